import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

vi.mock('../../wailsjs/go/ui/ClientService', () => ({ Timeline: vi.fn() }));

import * as svc from '../../wailsjs/go/ui/ClientService';
import ClientTimeline from './ClientTimeline.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const ev = (over: object) => ({ at: '2026-03-03T17:00:00Z', kind: 'post', title: 'Week 1', detail: 'sent', private: false, cohortId: 1, postId: 2, sessionId: 0, ...over });

beforeEach(() => vi.clearAllMocks());

describe('ClientTimeline', () => {
  it('shows events newest first with private notes marked, filters by kind and pages back', async () => {
    const page = [ev({ kind: 'session', title: 'Call', detail: 'accepted, came' }), ev({ kind: 'note', title: 'Call', detail: 'Stuck on pricing.', private: true })];
    mocked(svc.Timeline).mockResolvedValueOnce([...page, ...Array.from({ length: 48 }, (_, i) => ev({ title: `Post ${i}`, at: `2026-02-${String(28 - (i % 27)).padStart(2, '0')}T09:00:00Z` }))]);
    render(ClientTimeline, { clientId: 7 });
    const list = await screen.findByRole('list', { name: 'Timeline events' });
    expect(list.textContent).toContain('Sessions');
    // The answer in the window's words, not iCalendar's.
    expect(list.textContent).toContain('Call— Coming, came');
    expect(list.textContent).not.toContain('accepted');
    const note = screen.getByText('Private');
    expect(note.closest('li')?.textContent).toContain('Stuck on pricing.');
    expect(mocked(svc.Timeline).mock.calls[0]).toEqual([7, { kinds: [], before: '0001-01-01T00:00:00Z', limit: 50 }]);

    mocked(svc.Timeline).mockResolvedValueOnce([ev({ title: 'Oldest' })]);
    await fireEvent.click(screen.getByRole('button', { name: 'Show older' }));
    await waitFor(() => expect(screen.getByText('Oldest')).toBeTruthy());
    // The next page starts before the last event shown (Post 47, on 8 February).
    expect(mocked(svc.Timeline).mock.calls[1][1].before).toBe('2026-02-08T09:00:00Z');

    mocked(svc.Timeline).mockResolvedValueOnce([ev({ kind: 'note', title: 'Call', detail: 'Only notes', private: true })]);
    await fireEvent.change(screen.getByRole('combobox'), { target: { value: 'note' } });
    await waitFor(() => expect(screen.getByText(/Only notes/)).toBeTruthy());
    expect(mocked(svc.Timeline).mock.calls[2][1]).toEqual({ kinds: ['note'], before: '0001-01-01T00:00:00Z', limit: 50 });
    expect(screen.queryByText('Oldest')).toBeNull();
  });
});
