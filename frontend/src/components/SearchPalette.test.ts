import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/SearchService', () => ({ Search: vi.fn(), Kinds: vi.fn() }));
vi.mock('../../wailsjs/go/ui/CohortService', () => ({ List: vi.fn(() => Promise.resolve([])) }));

import * as svc from '../../wailsjs/go/ui/SearchService';
import SearchPalette from './SearchPalette.svelte';
import { search } from '../lib/stores/search.svelte';
import { noFilters } from '../lib/search';

const hits = () => within(screen.getByRole('listbox', { name: 'Results' })).getAllByRole('option');
const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const hit = (over: object) => ({
  kind: 'reply', id: 1, parentId: 7, cohortId: 2, cohort: 'Circle', clientId: 3, title: 'Ada', at: '2026-03-04T08:00:00Z',
  private: false, unmatched: false, substring: false, snippet: null, ...over,
});

beforeEach(() => {
  vi.clearAllMocks();
  Object.assign(search, { open: false, text: '', groups: [], active: -1, searched: '', error: '', filters: { ...noFilters } });
  mocked(svc.Kinds).mockResolvedValue([{ kind: 'client', label: 'Clients', one: 'client' }, { kind: 'reply', label: 'Replies', one: 'reply' }]);
  mocked(svc.Search).mockResolvedValue({
    groups: [
      { kind: 'client', label: 'Clients', total: 1, more: false, hits: [hit({ kind: 'client', id: 3, title: 'Ada Lovelace', cohortId: 0, cohort: '' })] },
      {
        kind: 'reply', label: 'Replies', total: 1, more: false,
        hits: [hit({ private: true, snippet: [{ text: 'I raised my ', hit: false }, { text: '<img src=x onerror=alert(1)>', hit: true }] })],
      },
    ],
  });
  location.hash = '';
});

describe('SearchPalette', () => {
  it('shows hits by kind as text, moves with the keys and opens with Enter', async () => {
    render(SearchPalette);
    search.show();
    const box = await screen.findByRole('combobox', { name: 'Search everything' });
    await fireEvent.input(box, { target: { value: 'ra' } });
    await waitFor(() => expect(hits()).toHaveLength(2));
    expect(svc.Search).toHaveBeenCalledWith(expect.objectContaining({ text: 'ra', kinds: [], perKind: 5 }));
    expect(screen.getByRole('group', { name: /Clients/ })).toBeTruthy();
    // Markup in what was found stays text.
    const mark = screen.getByText('<img src=x onerror=alert(1)>');
    expect(mark.tagName).toBe('MARK');
    expect(document.querySelector('#search-results img')).toBeNull();
    expect(screen.getByText('private')).toBeTruthy();

    expect(hits()[0].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(hits()[1].getAttribute('aria-selected')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe('search-hit-reply-1-0');
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(location.hash).toBe('#/replies/2/7');
    expect(search.open).toBe(false);
  }, 20000); // a busy machine renders slowly; the steps above wait as they must

  it('waits for two characters and says when nothing is found', async () => {
    mocked(svc.Search).mockResolvedValue({ groups: null });
    render(SearchPalette);
    search.show();
    const box = await screen.findByRole('combobox', { name: 'Search everything' });
    await fireEvent.input(box, { target: { value: 'a' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(svc.Search).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toContain('at least 2');
    await fireEvent.input(box, { target: { value: '"NEAR(' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Nothing found for “"NEAR(”'));
  });
});
