// The outbox: what the sending worker is doing, every post that was sent or is
// on its way with its progress, and the recipients of the post in view. It
// follows the "outbox:progress" event (throttled) and, while anything is still
// to go, looks again every few seconds.
import { mailApi } from '../api/mail';
import { errorMessage } from '../api/errors';
import { onOutboxProgress } from '../api/events';
import type { OutboxItem, OutboxState, Post } from '../api/types';
import { throttle } from '../debounce';
import { busy, countStates, filterItems, type StateFilter } from '../outbox';
import { plural } from '../format';
import { toasts } from './toasts.svelte';

export class OutboxStore {
  state = $state<OutboxState | null>(null);
  /** posts are those queued or scheduled, newest first; drafts are not in the outbox. */
  posts = $state<Post[]>([]);
  postId = $state(0);
  items = $state<OutboxItem[]>([]);
  filter = $state<StateFilter>('');
  loaded = $state(false);
  error = $state('');
  private seq = 0;
  private listeners: Array<() => void> = [];
  private readonly refreshSoon: ReturnType<typeof throttle>;

  constructor(
    private readonly pollMs = 3000,
    throttleMs = 500,
  ) {
    this.refreshSoon = throttle(() => void this.refresh(), throttleMs);
  }

  /** post is the post in view, when one is chosen. */
  get post(): Post | undefined {
    return this.posts.find((p) => p.id === this.postId);
  }

  /** visible are the recipients in view after the state filter. */
  get visible(): OutboxItem[] {
    return filterItems(this.items, this.filter);
  }

  /** itemCounts counts the post's recipients by state, for the filter. */
  get itemCounts(): Record<string, number> {
    return countStates(this.items);
  }

  /** waiting is how many messages will still go by themselves (the sidebar's number). */
  get waiting(): number {
    const c = this.state?.counts ?? {};
    return (c.queued ?? 0) + (c.sending ?? 0) + (c.retrying ?? 0);
  }

  /** busy reports whether anything is still to go, so the window keeps looking. */
  get busy(): boolean {
    return busy(this.state?.counts) || this.state?.worker.state === 'sending';
  }

  /** onChange registers fn to run after each refresh (the sandbox follows new mail). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** show chooses the post whose recipients are listed (0 for none). */
  show(postId: number): Promise<void> {
    if (postId !== this.postId) {
      this.postId = postId;
      this.items = [];
      this.filter = '';
    }
    return this.refresh();
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const postId = this.postId;
    try {
      const [state, posts, items] = await Promise.all([
        mailApi.outboxState(),
        mailApi.posts(0),
        postId ? mailApi.outbox({ postId, state: '', limit: 0 }) : Promise.resolve([]),
      ]);
      if (seq !== this.seq) return;
      this.state = state;
      this.posts = posts.filter((p) => p.status !== 'draft');
      this.items = items;
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loaded = true;
    }
    for (const fn of this.listeners) fn();
  }

  /**
   * start follows the outbox for as long as the window is open: each progress
   * event (at most every half second) and, while something is still to go, a
   * look every few seconds. It returns the stop.
   */
  start(): () => void {
    const off = onOutboxProgress(() => this.refreshSoon());
    const timer = setInterval(() => {
      if (this.busy) this.refreshSoon();
    }, this.pollMs);
    void this.refresh();
    return () => {
      off();
      clearInterval(timer);
      this.refreshSoon.cancel();
    };
  }

  async pause(): Promise<void> {
    await this.act(() => mailApi.pause(), 'Sending paused');
  }

  async resume(): Promise<void> {
    await this.act(() => mailApi.resume(), 'Sending resumed');
  }

  /** retryNow sends the post's waiting and failed messages again at once (all posts for 0). */
  async retryNow(postId: number): Promise<void> {
    await this.act(async () => {
      const n = await mailApi.retryNow(postId);
      return n ? `Trying ${plural(n, 'message')} again now` : 'Nothing to retry';
    });
  }

  /** cancelUnsent stops the post's messages that have not gone yet. */
  async cancelUnsent(postId: number): Promise<void> {
    await this.act(async () => {
      const n = await mailApi.cancelUnsent(postId);
      return n ? `Cancelled ${plural(n, 'message')} not sent yet` : 'Nothing was waiting to be sent';
    });
  }

  private async act(run: () => Promise<string | void>, done = ''): Promise<void> {
    try {
      const said = await run();
      toasts.show(said || done);
    } catch (e) {
      toasts.error(e);
    }
    await this.refresh();
  }
}

export const outbox = new OutboxStore();
