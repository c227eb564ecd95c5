import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import CapacityMeter from './CapacityMeter.svelte';

describe('CapacityMeter', () => {
  const cases: [number, number, string, string][] = [
    [3, 12, 'room', '3 of 12 members'],
    [12, 12, 'full', '12 of 12 members'],
    [13, 12, 'over', '13 of 12 members'],
  ];
  for (const [members, capacity, state, text] of cases) {
    it(`shows ${text} as ${state}`, () => {
      render(CapacityMeter, { members, capacity });
      const meter = screen.getByRole('meter', { name: 'Members' });
      expect(meter.getAttribute('data-state')).toBe(state);
      expect(meter.getAttribute('aria-valuenow')).toBe(String(members));
      expect(screen.getByText(text)).toBeTruthy();
    });
  }

  it('shows no meter when the cohort has no limit', () => {
    render(CapacityMeter, { members: 5, capacity: 0 });
    expect(screen.queryByRole('meter')).toBeNull();
    expect(screen.getByText('5 members')).toBeTruthy();
  });
});
