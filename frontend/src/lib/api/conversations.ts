// Typed calls to ConversationService (app/ui/conversations.go): conversations per
// cohort, the unmatched queue, the incoming account, the inbox sync and the
// sandbox's "reply as a member".
import * as svc from '../../../wailsjs/go/ui/ConversationService';
import type { Conversation, IMAPAccount, IMAPStatus, Post, Reply, SyncState, UnmatchedReply } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function reply(r: Reply): Reply {
  return { ...r, attachments: r.attachments ?? [], notes: r.notes ?? [], answers: r.answers ?? [] };
}

function conversation(c: Conversation): Conversation {
  return { post: c.post, replies: (c.replies ?? []).map(reply), replied: c.replied ?? [], notReplied: c.notReplied ?? [] };
}

function syncState(s: SyncState): SyncState {
  return { ...s, summary: { ...s.summary, notes: s.summary?.notes ?? [] } };
}

export const conversationsApi = {
  conversations: (cohortId: number): Promise<Conversation[]> =>
    svc.Conversations(cohortId).then((cs) => (cs ?? []).map((c) => conversation(c as unknown as Conversation))),
  unreadCounts: (): Promise<Record<number, number>> => svc.UnreadCounts().then((m) => (m ?? {}) as Record<number, number>),
  markRead: (replyId: number, read: boolean): Promise<void> => svc.MarkRead(replyId, read),
  markHandled: (replyId: number, handled: boolean): Promise<void> => svc.MarkHandled(replyId, handled),
  /** approve shows a reply to the cohort's other members (or stops showing it) whatever its sender's trust. */
  approve: (replyId: number, approved: boolean): Promise<void> => svc.Approve(replyId, approved),
  reply: (replyId: number, body: string, toAll: boolean): Promise<Post> => svc.Reply(replyId, body, toAll),
  unmatched: (): Promise<UnmatchedReply[]> => svc.Unmatched().then((u) => u ?? []),
  assign: (replyId: number, clientId: number, postId: number, addAlias: boolean): Promise<void> =>
    svc.Assign(replyId, clientId, postId, addAlias),
  ignoreSender: (email: string): Promise<number> => svc.IgnoreSender(email),
  incomingAccount: (): Promise<IMAPStatus> => svc.IncomingAccount(),
  saveIncoming: (a: IMAPAccount, password: string, keepInFile = false): Promise<void> => svc.SaveIncoming(a, password, keepInFile),
  testIncoming: (a: IMAPAccount, password: string): Promise<void> => svc.TestIncoming(a, password),
  sync: (): Promise<SyncState> => svc.Sync().then((s) => syncState(s as SyncState)),
  cancelSync: (): Promise<void> => svc.CancelSync(),
  state: (): Promise<SyncState> => svc.State().then((s) => syncState(s as SyncState)),
  /**
   * sandboxReply answers as a member; with asHTML the text is HTML, sent as an
   * HTML-only mail app would; a non-empty to (an address or a mailto: link in
   * the message, such as a digest item's "Reply to this") replaces its reply address.
   */
  sandboxReply: (address: string, messageId: number, text: string, from = '', asHTML = false, to = ''): Promise<void> =>
    svc.SandboxReply(address, messageId, text, from, asHTML, to),
};
