import { describe, expect, it } from 'vitest';
import { fromDateValue, toDateValue } from './dates';

describe('dates', () => {
  it('reads and writes a date', () => {
    const v = toDateValue('2027-03-14', false);
    expect(v?.toString()).toBe('2027-03-14');
    expect(fromDateValue(v, false)).toBe('2027-03-14');
  });
  it('reads and writes a date with its time, to the minute', () => {
    const v = toDateValue('2027-03-14T09:30', true);
    expect(fromDateValue(v, true)).toBe('2027-03-14T09:30');
  });
  it('is empty for nothing or nonsense', () => {
    expect(toDateValue('', false)).toBeUndefined();
    expect(toDateValue('14/03/2027', false)).toBeUndefined();
    expect(fromDateValue(undefined, true)).toBe('');
  });
});
