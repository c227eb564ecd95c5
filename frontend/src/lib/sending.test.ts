import { describe, expect, it } from 'vitest';
import { blockedSentence, planSentence, problemsOf, sendLabel, skippedLine } from './sending';

describe('the send confirmation in words', () => {
  const plan = { title: 'Week 1', cohort: 'Summer Circle', recipients: 3, skipped: [] };

  it('names the cohort and the members who get it', () => {
    expect(planSentence(plan)).toBe('Send “Week 1” to the 3 members of Summer Circle now? Each gets their own copy.');
    expect(sendLabel(3)).toBe('Send to 3 members');
    expect(sendLabel(1)).toBe('Send to 1 member');
  });

  it('counts the skipped among the members, and says why each is skipped', () => {
    const skipped = [{ clientId: 2, name: 'Alan Turing', email: 'alan@example.com', skip: 'Not sent: the client is archived.' }];
    expect(planSentence({ ...plan, recipients: 2, skipped })).toBe('Send “Week 1” to 2 of the 3 members of Summer Circle now? Each gets their own copy.');
    expect(skippedLine(skipped[0])).toBe('Alan Turing — Not sent: the client is archived.');
    expect(skippedLine({ name: '', email: 'x@example.com', skip: 'Not sent: unsubscribed.' })).toBe('x@example.com — Not sent: unsubscribed.');
  });

  it('keeps an empty subject visible', () => {
    expect(planSentence({ ...plan, title: ' ' })).toContain('“(no subject)”');
  });

  it('sorts problems by field and says what a disabled Send waits for', () => {
    const ps = [
      { field: 'subject', message: 'Give the announcement a subject: it is the first thing members see.' },
      { field: 'body', message: '{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?' },
    ];
    expect(problemsOf(ps, 'body').map((p) => p.message)).toEqual([ps[1].message]);
    expect(problemsOf(null, 'body')).toEqual([]);
    expect(blockedSentence(ps)).toBe('Fix these 2 things first; nothing has been sent.');
    expect(blockedSentence(ps.slice(1))).toBe('Fix this first; nothing has been sent.');
    expect(blockedSentence([])).toBe('');
  });
});
