import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import ClientList from './ClientList.svelte';
import { PageLoader } from '../lib/pager.svelte';
import { Selection } from '../lib/selection.svelte';

function loader(total: number) {
  const fetch = vi.fn((offset: number, limit: number) =>
    Promise.resolve({
      rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
        id: offset + i + 1,
        name: `Client ${offset + i + 1}`,
        email: `c${offset + i + 1}@example.com`,
        status: 'active',
        tags: [],
        cohorts: 0,
        createdAt: '2026-01-02T10:00:00Z',
        updatedAt: '2026-02-03T10:00:00Z',
      })),
      total,
    }),
  );
  return { fetch, loader: new PageLoader(fetch, 200) };
}

describe('ClientList', () => {
  it('sizes the grid from the total but renders only rows in view', async () => {
    const { loader: l } = loader(10000);
    await l.reset();
    render(ClientList, { loader: l, selection: new Selection(), ontoggle: () => {}, onopen: () => {}, onselectall: () => {} });
    const grid = screen.getByRole('grid', { name: 'Clients' });
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    expect(screen.getAllByRole('row').length).toBeLessThan(100);
    expect(screen.getByRole('checkbox', { name: 'Select Client 1' })).toBeTruthy();
  });

  it('moves with the arrow keys, toggles with Space and opens with Enter', async () => {
    const { loader: l } = loader(50);
    await l.reset();
    const ontoggle = vi.fn();
    const onopen = vi.fn();
    render(ClientList, { loader: l, selection: new Selection(), ontoggle, onopen, onselectall: () => {} });
    const grid = screen.getByRole('grid', { name: 'Clients' });
    grid.focus();
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: ' ' });
    expect(ontoggle).toHaveBeenCalledWith(2, 3, false);
    await fireEvent.keyDown(grid, { key: 'ArrowUp' });
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onopen).toHaveBeenCalledWith(2);
    expect(grid.getAttribute('aria-activedescendant')).toBe('client-row-1');
  });

  it('passes shift on a checkbox click, for range selection', async () => {
    const { loader: l } = loader(20);
    await l.reset();
    const ontoggle = vi.fn();
    render(ClientList, { loader: l, selection: new Selection(), ontoggle, onopen: () => {}, onselectall: () => {} });
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Select Client 5' }), { shiftKey: true });
    expect(ontoggle).toHaveBeenCalledWith(4, 5, true);
  });
});
