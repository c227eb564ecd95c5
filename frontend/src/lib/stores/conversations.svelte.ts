// Conversations: a cohort's sent posts, each with its replies in order and who
// has and has not answered; opening one marks its replies read. And the
// unmatched queue: mail that looks like a reply but whose writer or post is
// unclear, waiting for the coach to assign it or ignore its sender.
import { conversationsApi } from '../api/conversations';
import { digestsApi } from '../api/digests';
import { errorMessage } from '../api/errors';
import type { Conversation, Reply, ReplyMark, UnmatchedReply } from '../api/types';
import { markToast } from '../digest';
import { plural } from '../format';
import { firstName, unreadCount } from '../replies';
import { inbox } from './inbox.svelte';
import { toasts } from './toasts.svelte';

export class ConversationsStore {
  cohortId = $state(0);
  list = $state<Conversation[]>([]);
  loaded = $state(false);
  error = $state('');
  /** postId is the conversation open in view (0: none chosen yet). */
  postId = $state(0);
  /**
   * fresh holds the replies that were unread when the coach opened their
   * conversation: they keep their "new" mark for this visit although they are
   * now read.
   */
  fresh = $state<Set<number>>(new Set());
  private seq = 0;

  /** current is the open conversation: the chosen one, else the newest with replies, else the newest. */
  get current(): Conversation | undefined {
    return this.list.find((c) => c.post.id === this.postId) ?? this.list.find((c) => c.replies.length > 0) ?? this.list[0];
  }

  /** load lists a cohort's conversations (again, after a sync). */
  async load(cohortId: number): Promise<void> {
    if (cohortId !== this.cohortId) {
      this.cohortId = cohortId;
      this.list = [];
      this.postId = 0;
      this.fresh = new Set();
      this.loaded = false;
    }
    const seq = ++this.seq;
    try {
      const list = await conversationsApi.conversations(cohortId);
      if (seq !== this.seq) return;
      this.list = list;
      this.error = '';
      inbox.setUnread(cohortId, unreadCount(list));
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loaded = true;
    }
  }

  /** open shows one post's conversation and marks its unread replies read. */
  async open(postId: number): Promise<void> {
    this.postId = postId;
    await this.markOpenRead();
  }

  /** markOpenRead marks the replies in view read, keeping their "new" mark for now. */
  async markOpenRead(): Promise<void> {
    const c = this.current;
    if (!c) return;
    const unread = c.replies.filter((r) => r.unread);
    if (!unread.length) return;
    this.fresh = new Set([...this.fresh, ...unread.map((r) => r.id)]);
    try {
      await Promise.all(unread.map((r) => conversationsApi.markRead(r.id, true)));
      this.patch(new Set(unread.map((r) => r.id)), { unread: false });
    } catch (e) {
      toasts.error(e);
    }
  }

  /** setRead marks one reply read or unread again. */
  async setRead(r: Reply, read: boolean): Promise<void> {
    try {
      await conversationsApi.markRead(r.id, read);
      if (!read) {
        const fresh = new Set(this.fresh);
        fresh.delete(r.id);
        this.fresh = fresh;
      }
      this.patch(new Set([r.id]), { unread: !read });
    } catch (e) {
      toasts.error(e);
    }
  }

  /** setHandled marks a reply dealt with, or not. */
  async setHandled(r: Reply, handled: boolean): Promise<void> {
    try {
      await conversationsApi.markHandled(r.id, handled);
      this.patch(new Set([r.id]), { handled });
    } catch (e) {
      toasts.error(e);
    }
  }

  /**
   * approve shows a reply to the other members of its cohort (or, undone, lets
   * the cohort's setting decide again), then reloads: whether it is shared
   * follows from the Go side's rule.
   */
  async approve(r: Reply, approved: boolean): Promise<void> {
    try {
      await conversationsApi.approve(r.id, approved);
      this.patch(new Set([r.id]), approved ? { approved, shared: true } : { approved });
      toasts.show(approved ? `${firstName(r.name, r.email)}’s reply is shown to the group.` : 'Approval undone.');
    } catch (e) {
      toasts.error(e);
    }
    await this.load(this.cohortId);
  }

  /** mark sets or clears the coach's mark on a reply: hidden from digests, highlighted, pinned or private. */
  async mark(r: Reply, mark: ReplyMark, on: boolean): Promise<void> {
    try {
      await digestsApi.markReply(r.id, mark, on);
      this.patch(new Set([r.id]), { [mark]: on });
      toasts.show(markToast(firstName(r.name, r.email), mark, on));
    } catch (e) {
      toasts.error(e);
    }
  }

  /**
   * reply answers a reply through the outbox: to its writer only, or with toAll
   * to the whole cohort. It returns whether it was queued (the composer then
   * closes); errors show as a toast.
   */
  async reply(r: Reply, body: string, toAll: boolean): Promise<boolean> {
    if (!body.trim()) {
      toasts.error('Write something to reply with.');
      return false;
    }
    try {
      await conversationsApi.reply(r.id, body, toAll);
      toasts.show(toAll ? 'Your answer is in the outbox, on its way to the whole cohort.' : `Your answer is in the outbox, on its way to ${firstName(r.name, r.email)}.`);
      void this.load(this.cohortId);
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  private patch(ids: Set<number>, change: Partial<Reply>): void {
    this.list = this.list.map((c) => (c.replies.some((r) => ids.has(r.id)) ? { ...c, replies: c.replies.map((r) => (ids.has(r.id) ? { ...r, ...change } : r)) } : c));
    inbox.setUnread(this.cohortId, unreadCount(this.list));
  }
}

export class UnmatchedStore {
  list = $state<UnmatchedReply[]>([]);
  loaded = $state(false);
  error = $state('');

  async load(): Promise<void> {
    try {
      this.list = await conversationsApi.unmatched();
      this.error = '';
      inbox.unmatched = this.list.length;
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  /** assign puts a message under a post as a client's; it throws the Go side's sentence for the dialog. */
  async assign(u: UnmatchedReply, clientId: number, postId: number, addAlias: boolean, clientName: string): Promise<void> {
    await conversationsApi.assign(u.id, clientId, postId, addAlias);
    toasts.show(addAlias ? `Assigned to ${clientName}; mail from ${u.fromEmail} is theirs from now on.` : `Assigned to ${clientName}.`);
    await this.load();
    void inbox.refreshCounts();
  }

  /** ignore drops the sender's waiting mail and skips their mail from now on. */
  async ignore(email: string): Promise<void> {
    try {
      const n = await conversationsApi.ignoreSender(email);
      toasts.show(`Ignoring ${email} from now on${n ? ` (${plural(n, 'waiting message')} dropped)` : ''}.`);
    } catch (e) {
      toasts.error(e);
    }
    await this.load();
  }
}

export const conversations = new ConversationsStore();
export const unmatched = new UnmatchedStore();
