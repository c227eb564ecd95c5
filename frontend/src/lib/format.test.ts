import { describe, expect, it } from 'vitest';
import { formatDay, formatDays, kindLabel, plural, shortVersion } from './format';

describe('format', () => {
  it('shows a calendar day without shifting it across time zones', () => {
    const want = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(2026, 0, 31));
    expect(formatDay('2026-01-31')).toBe(want);
  });

  it('shows open-ended cohort dates', () => {
    expect(formatDays('', '')).toBe('');
    expect(formatDays('2026-03-01', '')).toMatch(/^from /);
    expect(formatDays('', '2026-03-01')).toMatch(/^until /);
  });

  it('names kinds and counts as a coach reads them', () => {
    expect(kindLabel('community_of_practice')).toBe('Community of practice');
    expect(plural(1, 'client')).toBe('1 client');
    expect(plural(3, 'client')).toBe('3 clients');
  });
});

describe('shortVersion', () => {
  it('keeps the version and leaves the build to About', () => {
    expect(shortVersion('0.1.0-dev+167.g8a51f88')).toBe('0.1.0-dev');
    expect(shortVersion('0.2.0')).toBe('0.2.0');
  });
});
