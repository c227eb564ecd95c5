import { describe, expect, it } from 'vitest';
import { answerLabel, answersText, beforeText, fromSession, reminderChoices, sessionDetail, toInput, whenText, type SessionForm } from './sessions';
import type { Session, SessionAttendee } from './api/types';

const att = (over: Partial<SessionAttendee>): SessionAttendee =>
  ({ clientId: 1, name: 'Ana Lima', email: 'ana@example.com', state: 'invited', rsvp: 'needs-action', rsvpSource: '', note: '', ...over }) as SessionAttendee;

describe('sessions', () => {
  it('say each answer and where it was read', () => {
    expect(answerLabel(att({ rsvp: 'accepted', rsvpSource: 'calendar' }))).toBe('Coming (from their calendar)');
    expect(answerLabel(att({ rsvp: 'declined', rsvpSource: 'text' }))).toBe('Not coming (read from their reply)');
    expect(answerLabel(att({ rsvp: 'tentative', rsvpSource: 'coach' }))).toBe('Maybe (entered by you)');
    expect(answerLabel(att({}))).toBe('No answer yet');
    expect(answerLabel(att({ state: 'removed', rsvp: 'accepted' }))).toBe('Left the cohort');
  });

  it('count the answers of those still invited', () => {
    const s = { attendees: [att({ rsvp: 'accepted' }), att({ rsvp: 'accepted' }), att({ rsvp: 'declined' }), att({}), att({ state: 'removed', rsvp: 'tentative' })] } as Session;
    expect(answersText(s)).toBe('2 coming, 1 not, 0 maybe, 1 no answer');
  });

  it('place the start on the session’s own clock, across a DST change', () => {
    const form: SessionForm = { title: 'Call', local: '2026-03-31T18:00', timeZone: 'Europe/Paris', minutes: 60, link: '', location: '', agenda: '', everyWeeks: 1, count: 4 };
    const winter = toInput({ ...form, local: '2026-03-24T18:00' }, { cohortId: 3 });
    const summer = toInput(form, { cohortId: 3 });
    expect(winter.start).toBe('2026-03-24T17:00:00.000Z');
    expect(summer.start).toBe('2026-03-31T16:00:00.000Z');
    expect(summer).toMatchObject({ cohortId: 3, clientId: 0, everyWeeks: 1, count: 4, timeZone: 'Europe/Paris' });
    expect(toInput({ ...form, everyWeeks: 0 }, { cohortId: 3 }).count).toBe(0);
    expect(toInput({ ...form, local: '' }, { cohortId: 3 }).start).toBe('');
    expect(whenText({ start: summer.start, timeZone: 'Europe/Paris', minutes: 60 })).toContain('18:00');
  });
});

describe('editing and reminders', () => {
  it('fills the form with a session on its own clock, across a DST change, and keeps a series', () => {
    const f = fromSession({ title: 'Call', start: '2026-03-30T16:00:00Z', timeZone: 'Europe/Paris', minutes: 45, link: 'https://m', location: '', agenda: 'x', everyWeeks: 1, count: 0, until: '2026-06-01' } as never);
    expect(f).toMatchObject({ title: 'Call', local: '2026-03-30T18:00', timeZone: 'Europe/Paris', minutes: 45, link: 'https://m', everyWeeks: 1, until: '2026-06-01' });
    expect(toInput(f, { cohortId: 1 })).toMatchObject({ start: '2026-03-30T16:00:00.000Z', until: '2026-06-01', everyWeeks: 1 });
  });

  it('says reminders in words and offers the usual ones beside the cohort’s own', () => {
    expect([1440, 60, 15, 2880, 120, 90].map(beforeText)).toEqual(['A day before', 'An hour before', '15 minutes before', '2 days before', '2 hours before', '90 minutes before']);
    expect(reminderChoices([1440, 90])).toEqual([10080, 1440, 90, 60, 15]);
    expect(beforeText(10080)).toBe('A week before');
  });

  it('says a timeline session’s answer and attendance in words', () => {
    expect(['accepted, came', 'declined', 'needs-action, did not come', 'cancelled'].map(sessionDetail)).toEqual(['Coming, came', 'Not coming', 'No answer, did not come', 'Cancelled']);
  });
});
