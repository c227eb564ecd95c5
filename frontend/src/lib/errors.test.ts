import { describe, expect, it } from 'vitest';
import { clientErrorField, cohortErrorField, errorMessage } from './api/errors';

describe('errorMessage', () => {
  const cases: [string, unknown, string][] = [
    ['a bare string from Go', '"ada@" is not an email address.', '"ada@" is not an email address.'],
    ['an Error', new Error('There is already a cohort called "Spring".'), 'There is already a cohort called "Spring".'],
    ['an object with a message', { message: 'Give the cohort a name.' }, 'Give the cohort a name.'],
    ['nothing', undefined, 'Something went wrong. Please try again.'],
    ['an empty string', '  ', 'Something went wrong. Please try again.'],
    ['a number', 42, 'Something went wrong. Please try again.'],
  ];
  for (const [name, reason, want] of cases) {
    it(`shows the coach's sentence for ${name}`, () => {
      expect(errorMessage(reason)).toBe(want);
    });
  }
});

describe('clientErrorField', () => {
  const cases: [string, string][] = [
    ['Every client needs an email address.', 'email'],
    ['"ada@" is not an email address.', 'email'],
    ['The other address "x" is not an email address.', 'aliases'],
    ["ada@example.com is already the client's main address.", 'aliases'],
    ['The status "gone" is not one of active, paused or alumni.', 'status'],
    ['The workspace is busy; try again.', 'form'],
  ];
  for (const [msg, want] of cases) {
    it(`pins "${msg}" to ${want}`, () => expect(clientErrorField(msg)).toBe(want));
  }
});

describe('cohortErrorField', () => {
  const cases: [string, string][] = [
    ['Give the cohort a name.', 'name'],
    ['There is already a cohort called "Spring".', 'name'],
    ['"2026-13-01" is not a date; write it as YYYY-MM-DD, for example 2026-01-31.', 'dates'],
    ['The cohort ends (2026-01-01) before it starts (2026-02-01).', 'dates'],
    ['The capacity cannot be negative; use 0 for no limit.', 'capacity'],
  ];
  for (const [msg, want] of cases) {
    it(`pins "${msg}" to ${want}`, () => expect(cohortErrorField(msg)).toBe(want));
  }
});
