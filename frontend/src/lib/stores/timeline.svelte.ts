// A client's timeline: the newest page, more on demand, filtered by kind.
import { clientsApi } from '../api/clients';
import { errorMessage } from '../api/errors';
import type { TimelineEvent, TimelineKind } from '../api/types';

/** timelineKinds are the filter's choices, in the coach's words. */
export const timelineKinds: { kind: TimelineKind; label: string }[] = [
  { kind: 'session', label: 'Sessions' },
  { kind: 'note', label: 'Private notes' },
  { kind: 'post', label: 'Announcements received' },
  { kind: 'digest', label: 'Digests received' },
  { kind: 'session_mail', label: 'Session mail' },
  { kind: 'reply', label: 'Replies' },
  { kind: 'personal', label: '1:1 mail' },
  { kind: 'mail', label: 'Bounces, away, unsubscribes' },
  { kind: 'joined', label: 'Joined a cohort' },
  { kind: 'left', label: 'Left a cohort' },
];

export class TimelineStore {
  clientId = $state(0);
  kind = $state<TimelineKind | ''>('');
  events = $state<TimelineEvent[]>([]);
  error = $state('');
  more = $state(false);
  private seq = 0;

  constructor(private pageSize = 50) {}

  /** load reads the newest page for a client and kind ('' for all). */
  async load(clientId: number, kind: TimelineKind | '' = this.kind): Promise<void> {
    this.clientId = clientId;
    this.kind = kind;
    this.events = [];
    await this.page('');
  }

  /** older reads the page before the last event shown. */
  async older(): Promise<void> {
    const last = this.events.at(-1);
    if (last) await this.page(last.at);
  }

  private async page(before: string) {
    const seq = ++this.seq;
    try {
      const es = await clientsApi.timeline(this.clientId, this.kind ? [this.kind] : [], before, this.pageSize);
      if (seq !== this.seq) return;
      this.events = [...this.events, ...es];
      this.more = es.length >= this.pageSize; // a page may run past the size to keep a moment whole
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    }
  }
}
