// The sessions area: the open cohort's sessions, the one looked at, and the
// coach's actions on them (plan, cancel, attendance, private notes).
import { sessionsApi } from '../api/sessions';
import { errorMessage } from '../api/errors';
import type { RSVP, Session, SessionInput } from '../api/types';
import { toasts } from './toasts.svelte';

export class SessionsStore {
  /** cohortId or clientId names whose sessions are listed (a cohort's, or a client's 1:1s). */
  cohortId = $state(0);
  clientId = $state(0);
  list = $state<Session[]>([]);
  error = $state('');
  loaded = $state(false);
  /** openId is the session whose attendees show, 0 for none. */
  openId = $state(0);
  /** reminders are the minutes before each of the cohort's sessions a reminder goes; null until read. */
  reminders = $state<number[] | null>(null);

  get open(): Session | undefined {
    return this.list.find((s) => s.id === this.openId);
  }

  /** load reads a cohort's sessions (or, with clientId, a client's 1:1s) by start. */
  async load(cohortId: number, clientId = 0): Promise<void> {
    if (cohortId !== this.cohortId || clientId !== this.clientId) {
      this.cohortId = cohortId;
      this.clientId = clientId;
      this.list = [];
      this.openId = 0;
      this.loaded = false;
      this.reminders = null;
    }
    if (cohortId) {
      sessionsApi.reminders(cohortId).then(
        (ms) => {
          if (cohortId === this.cohortId) this.reminders = ms;
        },
        (e) => (this.error = errorMessage(e)),
      );
    }
    try {
      const ss = await sessionsApi.list({ cohortId, clientId });
      if (cohortId === this.cohortId && clientId === this.clientId) {
        this.list = ss;
        this.error = '';
      }
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  private put(s: Session) {
    const i = this.list.findIndex((x) => x.id === s.id);
    if (i >= 0) this.list[i] = s;
    else this.list = [...this.list, s].sort((a, b) => a.start.localeCompare(b.start));
  }

  /** create plans a session; its invitations go out through the outbox. */
  async create(input: SessionInput): Promise<Session> {
    const s = await sessionsApi.create(input);
    this.put(s);
    this.openId = s.id;
    toasts.show(`Planned “${s.title}”: ${s.attendees.length} invitation${s.attendees.length === 1 ? '' : 's'} on their way`);
    return s;
  }

  /** update changes a session; everyone invited gets the update (the Go side raises its SEQUENCE). */
  async update(id: number, input: SessionInput): Promise<Session> {
    const s = await sessionsApi.update(id, input);
    this.put(s);
    toasts.show(`Updated “${s.title}”: the change is on its way to everyone invited`);
    return s;
  }

  /** setAnswer records an answer a member gave the coach another way (in person, by phone). */
  async setAnswer(id: number, clientId: number, answer: RSVP): Promise<void> {
    try {
      await sessionsApi.setRSVP(id, clientId, answer);
      this.put(await sessionsApi.get(id));
    } catch (e) {
      toasts.error(e);
    }
  }

  /** setReminders sets the cohort's reminders; the sessions listed carry them too. */
  async setReminders(cohortId: number, minutes: number[]): Promise<void> {
    const before = this.reminders;
    this.reminders = minutes;
    try {
      await sessionsApi.setReminders(cohortId, minutes);
      toasts.show(minutes.length ? 'Reminders saved' : 'No reminders before this cohort’s sessions');
    } catch (e) {
      this.reminders = before;
      toasts.error(e);
    }
  }

  /** cancel calls a session off; everyone invited gets a cancellation. */
  async cancel(id: number): Promise<void> {
    try {
      const s = await sessionsApi.cancel(id);
      this.put(s);
      toasts.show(`Cancelled “${s.title}”; the cancellation is on its way`);
    } catch (e) {
      toasts.error(e);
    }
  }

  /** setAttended ticks (or unticks) one attendee, at once. */
  async setAttended(id: number, clientId: number, attended: boolean): Promise<void> {
    try {
      await sessionsApi.setAttendance(id, [clientId], attended);
      this.put(await sessionsApi.get(id));
    } catch (e) {
      toasts.error(e);
    }
  }

  /** saveMemberNote keeps the coach's private note on one attendee (it shows on their timeline); false when it failed. */
  async saveMemberNote(id: number, clientId: number, note: string): Promise<boolean> {
    try {
      await sessionsApi.setAttendeeNote(id, clientId, note);
      this.put(await sessionsApi.get(id));
      toasts.show('Note saved (private: never sent)');
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  /** saveNote keeps the coach's private note on a session. */
  async saveNote(id: number, note: string): Promise<void> {
    try {
      await sessionsApi.setNote(id, note);
      this.put(await sessionsApi.get(id));
      toasts.show('Note saved (private: never sent)');
    } catch (e) {
      toasts.error(e);
    }
  }
}

export const sessions = new SessionsStore();
