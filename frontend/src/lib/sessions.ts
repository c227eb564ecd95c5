// What the window says about sessions: answers in words, counts, and the
// start the coach typed on the session's own clock turned into an instant.
import { fromDate, parseDateTime, toCalendarDateTime, toZoned } from '@internationalized/date';
import type { Session, SessionAttendee, SessionInput } from './api/types';

/** answerLabel says an attendee's answer and where it was read. */
export function answerLabel(a: SessionAttendee): string {
  if (a.state === 'removed') return 'Left the cohort';
  const word = { accepted: 'Coming', declined: 'Not coming', tentative: 'Maybe', 'needs-action': 'No answer yet' }[a.rsvp] ?? a.rsvp;
  const from = { calendar: 'from their calendar', text: 'read from their reply', coach: 'entered by you' }[a.rsvpSource];
  return from ? `${word} (${from})` : word;
}

/** answerCounts counts the invited attendees' answers. */
export function answerCounts(s: Session): { accepted: number; declined: number; tentative: number; none: number } {
  const n = { accepted: 0, declined: 0, tentative: 0, none: 0 };
  for (const a of s.attendees) {
    if (a.state !== 'invited') continue;
    if (a.rsvp === 'accepted' || a.rsvp === 'declined' || a.rsvp === 'tentative') n[a.rsvp]++;
    else n.none++;
  }
  return n;
}

/** answersText is the counts in one line: "2 coming, 1 not, 1 maybe, 3 no answer". */
export function answersText(s: Session): string {
  const n = answerCounts(s);
  return `${n.accepted} coming, ${n.declined} not, ${n.tentative} maybe, ${n.none} no answer`;
}

/** whenText says when a session starts on its own clock: "Tue 3 Mar 2026, 18:00 (Europe/Paris)". */
export function whenText(s: Pick<Session, 'start' | 'timeZone' | 'minutes'>): string {
  const d = new Date(s.start);
  if (Number.isNaN(d.getTime())) return '';
  const f = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: s.timeZone || 'UTC' });
  return `${f.format(d)} (${s.timeZone || 'UTC'}), ${s.minutes} min`;
}

/** SessionForm is what the plan-a-session form holds. */
export interface SessionForm {
  title: string;
  /** local is the start on the session's clock, as a datetime-local input gives it ("2026-03-03T18:00"). */
  local: string;
  timeZone: string;
  minutes: number;
  link: string;
  location: string;
  agenda: string;
  /** everyWeeks: 0 for once. */
  everyWeeks: number;
  count: number;
  /** until ends a series on a date (YYYY-MM-DD); kept as it was when a session is edited. */
  until?: string;
}

/** toInput turns the form into the session's input, the start placed on its own clock. */
export function toInput(f: SessionForm, owner: { cohortId?: number; clientId?: number }): SessionInput {
  let start = '';
  try {
    start = toZoned(parseDateTime(f.local), f.timeZone || 'UTC').toDate().toISOString();
  } catch {
    start = '';
  }
  return {
    cohortId: owner.cohortId ?? 0, clientId: owner.clientId ?? 0, title: f.title, start, minutes: f.minutes,
    timeZone: f.timeZone || 'UTC', link: f.link, location: f.location, agenda: f.agenda,
    everyWeeks: f.everyWeeks, until: f.everyWeeks > 0 ? (f.until ?? '') : '', count: f.everyWeeks > 0 ? f.count : 0,
  };
}

/** localZone is the coach's own zone, the form's default. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** fromSession fills the form with a session to edit, its start on the session's own clock. */
export function fromSession(s: Session): SessionForm {
  const zone = s.timeZone || 'UTC';
  let local = '';
  try {
    local = toCalendarDateTime(fromDate(new Date(s.start), zone)).toString().slice(0, 16);
  } catch {
    local = '';
  }
  return {
    title: s.title, local, timeZone: zone, minutes: s.minutes, link: s.link, location: s.location, agenda: s.agenda,
    everyWeeks: s.everyWeeks, count: s.count || 6, until: s.until,
  };
}

/** beforeText says a reminder's lead in words: 1440 → "A day before", 60 → "An hour before", 90 → "90 minutes before". */
export function beforeText(minutes: number): string {
  if (minutes === 1440) return 'A day before';
  if (minutes === 60) return 'An hour before';
  if (minutes === 10080) return 'A week before';
  if (minutes % 1440 === 0) return `${minutes / 1440} days before`;
  if (minutes % 60 === 0) return `${minutes / 60} hours before`;
  return `${minutes} minutes before`;
}

/** reminderChoices are the leads the window offers: a week, a day, an hour, 15 minutes, and any other the cohort has (set from the CLI), longest first. */
export function reminderChoices(current: number[]): number[] {
  return [...new Set([10080, 1440, 60, 15, ...current])].sort((a, b) => b - a);
}

/** sessionDetail says a timeline session's answer and attendance in the window's words: "accepted, came" → "Coming, came". */
export function sessionDetail(detail: string): string {
  const [answer, ...rest] = detail.split(', ');
  const words: Record<string, string> = {
    accepted: 'Coming', declined: 'Not coming', tentative: 'Maybe', 'needs-action': 'No answer', cancelled: 'Cancelled', 'left the cohort': 'Left the cohort',
  };
  return [words[answer] ?? answer, ...rest].join(', ');
}
