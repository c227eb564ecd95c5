import { describe, expect, it } from 'vitest';
import { answerLabel, answersText, toInput, whenText, type SessionForm } from './sessions';
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
