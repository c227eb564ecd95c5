// Typed calls to SessionService (app/ui/sessions.go): live sessions, their
// invitations (sent by the Go side), answers and attendance.
import * as svc from '../../../wailsjs/go/ui/SessionService';
import type { RSVP, Session, SessionFilter, SessionInput } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function session(s: unknown): Session {
  const v = s as Session;
  return { ...v, attendees: v.attendees ?? [], reminders: v.reminders ?? [] };
}

export const sessionsApi = {
  list: (f: SessionFilter): Promise<Session[]> => svc.List(f as any).then((ss) => (ss ?? []).map(session)),
  get: (id: number): Promise<Session> => svc.Get(id).then(session),
  /** create plans a session; the Go side queues an invitation to each member and wakes the outbox. */
  create: (input: SessionInput): Promise<Session> => svc.Create(input as any).then(session),
  update: (id: number, input: SessionInput): Promise<Session> => svc.Update(id, input as any).then(session),
  cancel: (id: number): Promise<Session> => svc.Cancel(id).then(session),
  setAttendance: (id: number, clientIds: number[], attended: boolean): Promise<void> => svc.SetAttendance(id, clientIds, attended),
  setNote: (id: number, note: string): Promise<void> => svc.SetNote(id, note),
  setAttendeeNote: (id: number, clientId: number, note: string): Promise<void> => svc.SetAttendeeNote(id, clientId, note),
  reminders: (cohortId: number): Promise<number[]> => svc.Reminders(cohortId).then((ms) => ms ?? []),
  setReminders: (cohortId: number, minutes: number[]): Promise<void> => svc.SetReminders(cohortId, minutes),
  setRSVP: (id: number, clientId: number, answer: RSVP): Promise<void> => svc.SetRSVP(id, clientId, answer),
};
