// The replies area in words and numbers: unread counts, the sync status line,
// sizes of attachments, and the checks of the assign dialog. Pure functions, so
// the stores and views stay thin and the logic is tested on its own.
import type { Answer, Conversation, Progress, Reply, SyncState } from './api/types';
import { formatDateTime, plural } from './format';
import { postProgress } from './outbox';

/** unreadCount counts the unread replies of a cohort's conversations. */
export function unreadCount(convs: Conversation[]): number {
  let n = 0;
  for (const c of convs) for (const r of c.replies) if (r.unread) n++;
  return n;
}

/** postUnread counts one conversation's unread replies. */
export function postUnread(c: Conversation): number {
  return c.replies.filter((r) => r.unread).length;
}

/** firstName is how the window names a member in buttons: "Grace" for "Grace Hopper". */
export function firstName(name: string, email = ''): string {
  const n = name.trim().split(/\s+/)[0];
  return n || email.split('@')[0] || 'them';
}

/** timeAgo says how long ago a time was: "just now", "2 min ago", "3 h ago", then the date. */
export function timeAgo(at: string | Date | null | undefined, now: Date = new Date()): string {
  if (!at) return '';
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime()) || d.getFullYear() <= 1) return '';
  const s = Math.round((now.getTime() - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return formatDateTime(d);
}

/** syncSummaryText says what the last sync brought: "3 new replies", "no new replies", "1 to place". */
export function syncSummaryText(s: SyncState['summary'] | null | undefined): string {
  if (!s) return '';
  const parts = [s.imported ? plural(s.imported, 'new reply', 'new replies') : 'no new replies'];
  if (s.done) parts.push(`${plural(s.done, 'lesson')} marked done`);
  if (s.unmatched) parts.push(`${s.unmatched.toLocaleString()} to place`);
  if (s.autoReplies) parts.push(plural(s.autoReplies, 'auto-reply', 'auto-replies'));
  if (s.bounces) parts.push(plural(s.bounces, 'bounce'));
  if (s.unsubscribes) parts.push(plural(s.unsubscribes, 'unsubscribe'));
  return parts.join(', ');
}

/**
 * syncStatusText is the status line of the replies area: "Checking for replies…",
 * "Last checked 2 min ago — 3 new replies", "Not checked yet". An error is shown
 * apart, with a link to the mail account; this returns "" for it.
 */
export function syncStatusText(state: SyncState | null | undefined, now: Date = new Date()): string {
  if (!state) return '';
  if (state.running) return 'Checking for replies…';
  if (state.error) return '';
  const ago = timeAgo(state.at, now);
  if (!ago) return 'Not checked yet.';
  return `Last checked ${ago} — ${syncSummaryText(state.summary)}`;
}

/**
 * checkedText is the sidebar's line on replies: when they were last checked and
 * that the window checks by itself, so a coach knows replies come in without a click.
 */
export function checkedText(state: SyncState | null | undefined, now: Date = new Date()): string {
  if (!state) return '';
  const every = state.everyMinutes ? ` · every ${plural(state.everyMinutes, 'minute')}` : '';
  if (state.running) return `Checking for replies…${every}`;
  const ago = timeAgo(state.at, now);
  return (ago ? `Replies checked ${ago}` : 'Replies not checked yet') + every;
}

/** syncProgressText is the line while a sync runs: "Looking at 12 of 40 messages". */
export function syncProgressText(p: Progress | null | undefined): string {
  if (!p) return 'Connecting…';
  if (p.note) return p.note;
  if (p.total > 0) return `Looking at ${p.done.toLocaleString()} of ${p.total.toLocaleString()} messages`;
  return 'Connecting…';
}

/** formatSize writes a file size as the coach reads it: "900 bytes", "12 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return plural(bytes, 'byte');
  if (bytes < 1000 * 1000) return `${Math.round(bytes / 1000).toLocaleString()} KB`;
  return `${(bytes / 1000 / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
}

/** AssignChoice is what the assign dialog has chosen so far. */
export interface AssignChoice {
  clientId: number;
  postId: number;
}

/** assignProblem says what is still missing before an unmatched reply can be assigned; "" when ready. */
export function assignProblem(c: AssignChoice): string {
  if (!c.clientId && !c.postId) return 'Choose the client who wrote it and the announcement it answers.';
  if (!c.clientId) return 'Choose the client who wrote it.';
  if (!c.postId) return 'Choose the announcement it answers.';
  return '';
}

/** replyFrom names who wrote a reply: the member's name, else the address. */
export function replyFrom(r: Pick<Reply, 'name' | 'email'>): string {
  return r.name || r.email;
}

/**
 * mailboxOwner names the owner of a sandbox mailbox as a message's To shows
 * them: "Grace" for "Grace Hopper <grace@example.com>" in grace@example.com's
 * mailbox, else the address's local part.
 */
export function mailboxOwner(to: string, address: string): string {
  for (const part of to.split(',')) {
    const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(part);
    if (m && m[2].trim().toLowerCase() === address.toLowerCase() && m[1].trim()) return firstName(m[1]);
  }
  return firstName('', address);
}

/**
 * answerStatus says where the coach's answer stands, under the reply it answers:
 * "scheduled", "on its way", "sent 3 Dec, 10:00", "1 of 3 sent", "not sent".
 */
export function answerStatus(a: Pick<Answer, 'status' | 'queuedAt' | 'counts'>): string {
  if (a.status === 'scheduled') return 'scheduled';
  const p = postProgress(a.counts);
  if (p.waiting || p.retrying) return 'on its way';
  if (p.total && p.sent === p.total) return `sent ${formatDateTime(a.queuedAt)}`;
  if (p.sent) return `${p.sent.toLocaleString()} of ${p.total.toLocaleString()} sent`;
  return 'not sent';
}
