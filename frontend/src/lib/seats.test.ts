import { describe, expect, it } from 'vitest';
import { seats } from './seats';

describe('seats', () => {
  it('counts the chosen against the seats of an empty cohort', () => {
    expect(seats(0, 13, 12)).toEqual({ text: '13 chosen / 12 seats', over: 1 });
    expect(seats(0, 12, 12)).toEqual({ text: '12 chosen / 12 seats', over: 0 });
  });
  it('counts the members already in', () => {
    expect(seats(3, 10, 12)).toEqual({ text: '3 in + 10 chosen / 12 seats', over: 1 });
  });
  it('has no limit without a capacity', () => {
    expect(seats(3, 10, 0)).toEqual({ text: '3 in + 10 chosen', over: 0 });
    expect(seats(0, 1, 1).text).toBe('1 chosen / 1 seat');
  });
});
