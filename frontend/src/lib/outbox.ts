// The outbox in numbers and words: a post's progress from its counts by state,
// the states as the coach reads them, and the recipients list's state filter.
import type { OutboxItem, OutboxItemState, WorkerStatus } from './api/types';

/** PostProgress is where a post's messages stand. */
export interface PostProgress {
  total: number;
  sent: number;
  failed: number;
  retrying: number;
  skipped: number;
  canceled: number;
  /** waiting is queued or being handed over now: will go without the coach doing anything. */
  waiting: number;
  /** settled will not change by itself: sent, failed, skipped or cancelled. */
  settled: number;
  /** percent is settled of total, 0–100, for the progress bar. */
  percent: number;
}

/** postProgress adds up a post's counts (app.Post.counts, outbox state → messages). */
export function postProgress(counts: Record<string, number> | null | undefined): PostProgress {
  const n = (k: OutboxItemState) => Math.max(0, counts?.[k] ?? 0);
  const sent = n('sent');
  const failed = n('failed');
  const retrying = n('retrying');
  const skipped = n('skipped');
  const canceled = n('canceled');
  const waiting = n('queued') + n('sending');
  const total = sent + failed + retrying + skipped + canceled + waiting;
  const settled = sent + failed + skipped + canceled;
  return { total, sent, failed, retrying, skipped, canceled, waiting, settled, percent: total ? Math.round((settled / total) * 100) : 0 };
}

/** progressText is the line under a progress bar: "2 of 3 sent · 1 retrying". */
export function progressText(p: PostProgress): string {
  const parts = [`${p.sent.toLocaleString()} of ${p.total.toLocaleString()} sent`];
  if (p.waiting) parts.push(`${p.waiting.toLocaleString()} waiting`);
  if (p.retrying) parts.push(`${p.retrying.toLocaleString()} retrying`);
  if (p.failed) parts.push(`${p.failed.toLocaleString()} failed`);
  if (p.skipped) parts.push(`${p.skipped.toLocaleString()} skipped`);
  if (p.canceled) parts.push(`${p.canceled.toLocaleString()} cancelled`);
  return parts.join(' · ');
}

/** busy reports whether messages will still go by themselves, so the window keeps looking. */
export function busy(counts: Record<string, number> | null | undefined): boolean {
  const p = postProgress(counts);
  return p.waiting + p.retrying > 0;
}

const stateLabels: Record<string, string> = {
  queued: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  retrying: 'Will retry',
  failed: 'Failed',
  skipped: 'Skipped',
  canceled: 'Cancelled',
};

/** stateLabel names one message's state. */
export function stateLabel(state: string): string {
  return stateLabels[state] ?? state;
}

/** StateFilter is what the recipients list shows: every message, or one state. */
export type StateFilter = '' | OutboxItemState;

/** stateFilters are the filter's choices, in the order a send goes through them. */
export const stateFilters: StateFilter[] = ['', 'queued', 'sending', 'sent', 'retrying', 'failed', 'skipped', 'canceled'];

/** filterItems keeps the messages in the chosen state ("" keeps all). */
export function filterItems(items: OutboxItem[], state: StateFilter): OutboxItem[] {
  return state ? items.filter((i) => i.state === state) : items;
}

/** countStates counts a list of messages by state, for the filter's numbers. */
export function countStates(items: OutboxItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i.state] = (out[i.state] ?? 0) + 1;
  return out;
}

/** workerSentence says what the outbox is doing, in plain words. */
export function workerSentence(w: WorkerStatus | null | undefined): string {
  if (!w) return '';
  switch (w.state) {
    case 'offline':
      return 'Offline — messages wait and go when the connection is back.';
    case 'paused':
      return 'Paused — messages wait in the outbox until you resume.';
    case 'sending':
      return 'Sending now.';
    case 'limited':
      return 'Waiting for the sending limit — the rest go by themselves.';
    case 'blocked':
      return 'Stopped — the mail server refuses the account.';
    default:
      return 'Idle — nothing is due to go now.';
  }
}

/**
 * outcomeText is what happened to one message, in plain words. A sent message
 * reads "Accepted by your mail server", whatever the server's own words (those
 * stay one click away: rawAnswer); every other state already records a
 * sentence for the coach ("Not sent: unsubscribed…", the refusal in words).
 */
export function outcomeText(i: Pick<OutboxItem, 'state' | 'lastAnswer'>): string {
  if (i.state === 'sent') return 'Accepted by your mail server';
  return i.lastAnswer || '—';
}

/** rawAnswer is the server's own answer behind "Details" for a sent message; "" when there is none to show. */
export function rawAnswer(i: Pick<OutboxItem, 'state' | 'lastAnswer'>): string {
  return i.state === 'sent' ? i.lastAnswer : '';
}
