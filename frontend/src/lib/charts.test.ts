import { describe, expect, it } from 'vitest';
import { weeklyOf, agendaDays, bars, chartSummary, dayHeading, formatRate, perMember, sparkline, sparklineLabel, weekLabel, writeHref } from './charts';
import type { AgendaItem, WeekEngagement } from './api/types';

const week = (replies: number, members: number, checkIns = 0): WeekEngagement => ({ replies, checkIns, attended: 0, members, active: 0 });

describe('perMember', () => {
  it('divides replies and check-ins by the members of the week', () => {
    expect(perMember(week(6, 12))).toBe(0.5);
    expect(perMember(week(3, 4, 1))).toBe(1);
  });
  it('is null for a week without members, never a division by zero', () => {
    expect(perMember(week(0, 0))).toBeNull();
    expect(formatRate(null)).toBe('—');
  });
});

describe('bars', () => {
  it('scales to the largest value and stands on the bottom', () => {
    const b = bars([1, 2, null], 100, 50, 1, 5);
    expect(b).toHaveLength(3);
    expect(b[1].height).toBe(50);
    expect(b[1].y).toBe(0);
    expect(b[0].height).toBe(25);
    expect(b[0].y + b[0].height).toBe(50);
    expect(b[2].height).toBe(0);
    expect(b[2].x + b[2].width).toBeCloseTo(100);
  });
  it('keeps a small week small: the scale has a floor', () => {
    expect(bars([0.2], 10, 40, 1)[0].height).toBeCloseTo(8);
  });
});

describe('sparkline', () => {
  it('draws a point a week, the highest at the top', () => {
    expect(sparkline([0, 2, 1], 22, 12, 1)).toBe('1,11 11,1 21,6');
  });
  it('lies flat at the bottom for a silent member', () => {
    expect(sparkline([0, 0], 10, 10, 0)).toBe('0,10 10,10');
  });
  it('says the weeks in words', () => {
    expect(sparklineLabel([0, 1, 0, 2])).toBe('3 replies in 4 weeks, 2 this week');
    expect(sparklineLabel([1, 0])).toBe('1 reply in 2 weeks, 0 this week');
  });
});

describe('days and weeks in the coach zone', () => {
  it('labels a week by its Monday where the coach is', () => {
    // Monday 00:00 in Auckland is still Sunday in UTC.
    expect(weekLabel('2026-11-15T11:00:00Z', 'Pacific/Auckland')).toMatch(/16/);
  });
  it('says today and tomorrow in the coach zone, not the machine zone', () => {
    const now = '2026-11-18T22:30:00Z'; // Wednesday 23:30 in Paris, Thursday 11:30 in Auckland
    expect(dayHeading('2026-11-18T22:45:00Z', now, 'Europe/Paris')).toBe('Today');
    expect(dayHeading('2026-11-18T23:30:00Z', now, 'Europe/Paris')).toBe('Tomorrow');
    expect(dayHeading('2026-11-18T23:30:00Z', now, 'Pacific/Auckland')).toBe('Today');
  });
  it('groups the agenda by day, in order', () => {
    const item = (at: string, title: string): AgendaItem =>
      ({ kind: 'session', at, title, detail: '', cohortId: 1, cohort: 'C', clientId: 0, sessionId: 1, postId: 0 }) as AgendaItem;
    const days = agendaDays([item('2026-11-18T16:00:00Z', 'a'), item('2026-11-18T17:00:00Z', 'b'), item('2026-11-19T09:00:00Z', 'c')], '2026-11-18T15:00:00Z', 'UTC');
    expect(days.map((d) => [d.heading, d.items.map((i) => i.title).join('')])).toEqual([
      ['Today', 'ab'],
      ['Tomorrow', 'c'],
    ]);
  });
  it('summarises a chart for screen readers', () => {
    const s = chartSummary([week(1, 2), week(0, 0)], ['2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z'], 'UTC');
    expect(s).toContain('0.5');
    expect(s).toContain('—');
  });
});

describe('writeHref', () => {
  it('opens a message to the member about the cohort', () => {
    expect(writeHref({ email: 'ana+x@example.com', cohort: 'Spring & Co', name: 'Ana Lima' })).toBe(
      'mailto:ana%2Bx@example.com?subject=Spring%20%26%20Co%3A%20how%20are%20you%20doing%2C%20Ana%3F',
    );
  });
});

describe('weeklyOf', () => {
  it('gives a silent member a line of zeros as long as the weeks', () => {
    const a = { weeks: ['a', 'b', 'c'], members: [{ clientId: 7, weekly: [1, 0, 2] }] };
    expect(weeklyOf(a, 7)).toEqual([1, 0, 2]);
    expect(weeklyOf(a, 8)).toEqual([0, 0, 0]);
  });
});
