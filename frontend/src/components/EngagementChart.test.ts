import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import EngagementChart from './EngagementChart.svelte';
import Sparkline from './Sparkline.svelte';

const week = (replies: number, members: number) => ({ replies, checkIns: 0, attended: 1, members, active: 0 });
const starts = ['2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z'];

describe('EngagementChart', () => {
  it('draws a bar a week, the busiest the tallest, and says the numbers in words and in a table', () => {
    render(EngagementChart, { weeks: [week(2, 4), week(4, 4), week(0, 4)], starts, zone: 'UTC', cohort: 'Circle' });
    const img = screen.getByRole('img', { name: /^Circle: Replies per member per week/ });
    const rects = Array.from(img.querySelectorAll('rect'));
    expect(rects).toHaveLength(3);
    expect(Number(rects[1].getAttribute('height'))).toBeGreaterThan(Number(rects[0].getAttribute('height')));
    expect(Number(rects[2].getAttribute('height'))).toBe(0);
    const table = screen.getByRole('table', { name: 'Weekly engagement of Circle' });
    expect(table.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(table.textContent).toContain('0.5');
  });
});

describe('Sparkline', () => {
  it('is an image named by the member and their weeks', () => {
    render(Sparkline, { weekly: [0, 1, 2], name: 'Ana' });
    const img = screen.getByRole('img', { name: 'Ana: 3 replies in 3 weeks, 2 this week' });
    expect(img.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(3);
  });
});
