import { describe, expect, it } from 'vitest';
import { clientErrorField, cohortErrorField, errorMessage, needsFileConsent, parseError } from './api/errors';

// What Wails hands the frontend: the Go error's text (ui.BridgeError as JSON),
// wrapped in an Error by the runtime's calls.js.
const bridged = (code: string, field: string, message: string) => new Error(JSON.stringify({ code, field, message }));

describe('parseError', () => {
  it('reads code, field and sentence from a bound method’s error', () => {
    expect(parseError(bridged('invalid', 'email', '"ada@" is not an email address.'))).toEqual({
      code: 'invalid',
      field: 'email',
      message: '"ada@" is not an email address.',
    });
  });
  it('reads the same JSON given as a bare string', () => {
    expect(parseError('{"code":"conflict","field":"name","message":"There is already a cohort called \\"Spring\\"."}')).toEqual({
      code: 'conflict',
      field: 'name',
      message: 'There is already a cohort called "Spring".',
    });
  });
  it('gives no field when Go sent none', () => {
    expect(parseError(new Error('{"code":"not_found","message":"There is no such client."}'))).toEqual({
      code: 'not_found',
      field: '',
      message: 'There is no such client.',
    });
  });
  const notOurs: [string, unknown, string][] = [
    ['a plain string (a Wails timeout, an old build)', 'Call to x timed out.', 'Call to x timed out.'],
    ['an Error with text', new Error('Network down'), 'Network down'],
    ['an object with a message', { message: 'Give the cohort a name.' }, 'Give the cohort a name.'],
    ['broken JSON', '{"code":', '{"code":'],
    ['JSON that is not ours', '{"x":1}', '{"x":1}'],
    ['nothing', undefined, 'Something went wrong. Please try again.'],
    ['an empty string', '  ', 'Something went wrong. Please try again.'],
    ['a number', 42, 'Something went wrong. Please try again.'],
  ];
  for (const [name, reason, want] of notOurs) {
    it(`shows ${name} as the sentence, with no code or field`, () => {
      expect(parseError(reason)).toEqual({ code: '', field: '', message: want });
      expect(errorMessage(reason)).toBe(want);
    });
  }
});

describe('clientErrorField', () => {
  const cases: [string, string][] = [
    ['email', 'email'],
    ['aliases', 'aliases'],
    ['status', 'status'],
    ['name', 'name'],
    ['', 'form'],
    ['capacity', 'form'],
  ];
  for (const [field, want] of cases) {
    it(`pins field "${field}" to ${want}`, () => expect(clientErrorField(parseError(bridged('invalid', field, 'x')))).toBe(want));
  }
  it('never reads the sentence: an address sentence without a field stays on the form', () => {
    expect(clientErrorField(parseError(bridged('invalid', '', 'The email address is wrong.')))).toBe('form');
  });
});

describe('cohortErrorField', () => {
  const cases: [string, string][] = [
    ['name', 'name'],
    ['kind', 'kind'],
    ['startDate', 'dates'],
    ['endDate', 'dates'],
    ['capacity', 'capacity'],
    ['email', 'form'],
    ['', 'form'],
  ];
  for (const [field, want] of cases) {
    it(`pins field "${field}" to ${want}`, () => expect(cohortErrorField(parseError(bridged('invalid', field, 'x')))).toBe(want));
  }
});

describe('needsFileConsent', () => {
  it('asks the coach when Go could keep the password only in a file', () => {
    expect(needsFileConsent(parseError(bridged('unavailable', 'passwordFile', 'No system keyring is available…')))).toBe(true);
  });
  it('does not ask for any other error, whatever its words', () => {
    expect(needsFileConsent(parseError(bridged('unavailable', '', 'No system keyring; keep the password in a file?')))).toBe(false);
  });
});
