import { describe, expect, it, vi } from 'vitest';
import { Selection } from './selection.svelte';

const ids = [10, 11, 12, 13, 14, 15, 16, 17];
const loaded = (i: number) => ids[i];

describe('Selection', () => {
  it('toggles one row on and off', () => {
    const s = new Selection();
    s.toggle(2, 12);
    expect([...s.ids]).toEqual([12]);
    s.toggle(2, 12);
    expect(s.size).toBe(0);
  });

  it('shift-click selects the range from the last clicked row, downwards', async () => {
    const s = new Selection();
    s.toggle(1, 11);
    await s.extendTo(4, loaded, () => Promise.reject(new Error('not needed')));
    expect([...s.ids].sort()).toEqual([11, 12, 13, 14]);
  });

  it('shift-click selects the range upwards too', async () => {
    const s = new Selection();
    s.toggle(5, 15);
    await s.extendTo(3, loaded, () => Promise.reject(new Error('not needed')));
    expect([...s.ids].sort()).toEqual([13, 14, 15]);
  });

  it('shift-click keeps rows selected before', async () => {
    const s = new Selection();
    s.toggle(0, 10);
    s.toggle(5, 15);
    await s.extendTo(6, loaded, () => Promise.resolve(ids));
    expect([...s.ids].sort()).toEqual([10, 15, 16]);
  });

  it('asks for every id when the range reaches rows not loaded yet', async () => {
    const s = new Selection();
    s.toggle(0, 10);
    const all = vi.fn(() => Promise.resolve(ids));
    await s.extendTo(6, (i) => (i < 3 ? ids[i] : undefined), all);
    expect(all).toHaveBeenCalledOnce();
    expect(s.size).toBe(7);
  });

  it('shift-click with nothing clicked before selects just that row', async () => {
    const s = new Selection();
    await s.extendTo(3, loaded, () => Promise.resolve(ids));
    expect([...s.ids]).toEqual([13]);
  });

  it('select all takes every id, clear forgets them and the anchor', () => {
    const s = new Selection();
    s.selectAll(ids);
    expect(s.size).toBe(8);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.anchor).toBeNull();
  });
});
