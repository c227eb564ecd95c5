// The inbox: importing members' replies ("Check for replies", its progress and
// Cancel, the status line) and the numbers the sidebar shows — unread replies
// per cohort and mail waiting to be placed. It follows the "inbox:sync:progress"
// and "inbox:sync:done" events, so syncs the Go side runs by itself show too.
import { conversationsApi } from '../api/conversations';
import { errorMessage } from '../api/errors';
import { onSyncDone, onSyncProgress } from '../api/events';
import type { Progress, SyncState } from '../api/types';
import { syncProgressText, syncStatusText } from '../replies';
import { plural } from '../format';
import { toasts } from './toasts.svelte';

export class InboxStore {
  state = $state<SyncState | null>(null);
  progress = $state<Progress | null>(null);
  /** unread counts unread replies by cohort id (active cohorts). */
  unread = $state<Record<number, number>>({});
  /** unmatched is how many messages wait for the coach to place them. */
  unmatched = $state(0);
  /** now moves on every half minute, so "2 min ago" stays true. */
  now = $state(new Date());
  private listeners: Array<(s: SyncState) => void> = [];

  /** running is true while a sync is under way (started here or by the Go side's timer). */
  get running(): boolean {
    return this.state?.running ?? false;
  }

  /** totalUnread is the sidebar's number beside "Replies". */
  get totalUnread(): number {
    let n = 0;
    for (const v of Object.values(this.unread)) n += v;
    return n;
  }

  /** statusText is the status line: "Last checked 2 min ago — 3 new replies". */
  get statusText(): string {
    return syncStatusText(this.state, this.now);
  }

  /** progressText says what a running sync is doing. */
  get progressText(): string {
    return syncProgressText(this.progress);
  }

  /** error is the last sync's sentence when it failed, "" otherwise. */
  get error(): string {
    return this.state && !this.state.running ? this.state.error : '';
  }

  /** onDone registers fn to run after every sync, to refresh what is open. */
  onDone(fn: (s: SyncState) => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  /** start follows syncs for as long as the window is open; it returns the stop. */
  start(): () => void {
    const offProgress = onSyncProgress((p) => {
      // Events may arrive after the sync's end (they travel separately): a late
      // one must not bring the finished sync back to "running".
      if (Date.now() - this.finishedAt < 2000) return;
      this.progress = p;
      if (this.state && !this.state.running) this.state = { ...this.state, running: true };
      else if (!this.state) this.state = { running: true, at: null, summary: emptySummary(), error: '', };
    });
    const offDone = onSyncDone((s) => this.finished(s));
    const timer = setInterval(() => (this.now = new Date()), 30000);
    void this.load();
    return () => {
      offProgress();
      offDone();
      clearInterval(timer);
    };
  }

  /** load reads the last sync's state and the counts. */
  async load(): Promise<void> {
    try {
      this.state = await conversationsApi.state();
    } catch {
      // the status line stays empty; the counts below still load
    }
    await this.refreshCounts();
  }

  /** refreshCounts reads the unread replies per cohort and the unmatched queue's length. */
  async refreshCounts(): Promise<void> {
    try {
      const [unread, unmatched] = await Promise.all([conversationsApi.unreadCounts(), conversationsApi.unmatched()]);
      this.unread = unread;
      this.unmatched = unmatched.length;
    } catch {
      // counts are a convenience; the views say what went wrong when opened
    }
  }

  /** setUnread updates one cohort's number after the coach read or un-read a reply. */
  setUnread(cohortId: number, n: number): void {
    this.unread = { ...this.unread, [cohortId]: n };
  }

  /** sync checks for replies now; the result comes back as the done event too. */
  async sync(): Promise<void> {
    this.finishedAt = 0; // this sync's progress counts from now
    this.progress = null;
    this.state = { ...(this.state ?? { at: null, summary: emptySummary(), error: '' }), running: true, error: '' };
    try {
      const s = await conversationsApi.sync();
      if (!s.running) this.finished(s);
    } catch (e) {
      // The done event carries the same sentence; make sure it shows even without it.
      const msg = errorMessage(e);
      if (this.state?.running) this.finished({ ...(this.state as SyncState), running: false, at: new Date().toISOString(), error: msg });
    }
  }

  /** cancel stops a running sync; what was imported stays. */
  async cancel(): Promise<void> {
    try {
      await conversationsApi.cancelSync();
    } catch (e) {
      toasts.error(e);
    }
  }

  private lastDone = '';
  private finishedAt = 0;

  private finished(s: SyncState): void {
    this.finishedAt = Date.now();
    this.state = { ...s, summary: { ...s.summary, notes: s.summary?.notes ?? [] } };
    this.progress = null;
    this.now = new Date();
    // The call's answer and the event bring the same result: act on it once.
    const key = `${s.at}|${s.error}|${s.summary?.scanned}`;
    if (key === this.lastDone) return;
    this.lastDone = key;
    if (!s.error && s.summary?.imported) toasts.show(`${plural(s.summary.imported, 'new reply', 'new replies')} imported`);
    else if (!s.error && s.summary?.personal) toasts.show(`1:1 mail with clients: ${plural(s.summary.personal, 'message')} kept on their pages`);
    void this.refreshCounts();
    for (const fn of this.listeners) fn(this.state);
  }
}

function emptySummary(): SyncState['summary'] {
  return { scanned: 0, imported: 0, autoReplies: 0, bounces: 0, unsubscribes: 0, unmatched: 0, skipped: 0, duplicates: 0, rsvps: 0, done: 0, personal: 0, notes: [] };
}

export const inbox = new InboxStore();
