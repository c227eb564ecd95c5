import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../wailsjs/go/ui/ClientService', () => ({
  List: vi.fn(),
  IDs: vi.fn(),
  Archive: vi.fn(() => Promise.resolve()),
  Restore: vi.fn(() => Promise.resolve()),
  Tags: vi.fn(() => Promise.resolve([])),
  Get: vi.fn(),
  ConfirmBounce: vi.fn(() => Promise.resolve()),
  DismissBounce: vi.fn(() => Promise.resolve()),
  Resubscribe: vi.fn(() => Promise.resolve()),
}));
vi.mock('../../../wailsjs/go/ui/CohortService', () => ({ AddMembers: vi.fn() }));
vi.mock('../../../wailsjs/go/ui/WorkspaceService', () => ({ Info: vi.fn(() => Promise.resolve({})), Choices: vi.fn() }));

import * as clientSvc from '../../../wailsjs/go/ui/ClientService';
import * as cohortSvc from '../../../wailsjs/go/ui/CohortService';
import { ClientsStore } from './clients.svelte';
import { toasts } from './toasts.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `Client ${i + 1}`, email: `c${i + 1}@example.com`, status: 'active', tags: [], cohorts: 0 }));

beforeEach(() => {
  vi.clearAllMocks();
  toasts.items = [];
  mocked(clientSvc.List).mockImplementation((f: { offset: number; limit: number }) =>
    Promise.resolve({ rows: rows(5).slice(f.offset, f.offset + f.limit), total: 5 }),
  );
});
afterEach(() => vi.useRealTimers());

describe('ClientsStore', () => {
  it('waits for a pause in typing before searching, then asks once', async () => {
    vi.useFakeTimers();
    const s = new ClientsStore();
    s.setQuery('a');
    s.setQuery('ad');
    s.setQuery('ada ');
    expect(clientSvc.List).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(130);
    expect(clientSvc.List).toHaveBeenCalledOnce();
    expect(mocked(clientSvc.List).mock.calls[0][0]).toMatchObject({ query: 'ada', offset: 0, limit: 200 });
  });

  it('sends the filter, sort and archived choice with each page', async () => {
    const s = new ClientsStore();
    s.status = 'paused';
    s.tags = ['vip'];
    s.setSort('updated', true);
    await s.refresh();
    expect(mocked(clientSvc.List).mock.lastCall?.[0]).toMatchObject({ status: 'paused', tags: ['vip'], sort: 'updated', desc: true, archived: false });
  });

  it('says how many were added to the cohort', async () => {
    mocked(cohortSvc.AddMembers).mockResolvedValue(3);
    const s = new ClientsStore();
    await s.refresh();
    s.selection.selectAll([1, 2, 3]);
    await s.addSelectedToCohort({ id: 9, name: 'Spring Mastermind' } as never);
    expect(cohortSvc.AddMembers).toHaveBeenCalledWith(9, [1, 2, 3], 'member');
    expect(toasts.items.map((t) => t.message)).toContain('Added 3 to Spring Mastermind');
  });

  it('archives the selection and offers Undo, which restores the same clients', async () => {
    const s = new ClientsStore();
    await s.refresh();
    s.selection.selectAll([2, 4]);
    await s.archiveSelected();
    expect(clientSvc.Archive).toHaveBeenCalledWith([2, 4]);
    const toast = toasts.items.find((t) => t.message === 'Archived 2 clients');
    expect(toast?.action?.label).toBe('Undo');
    await toast?.action?.run();
    expect(clientSvc.Restore).toHaveBeenCalledWith([2, 4]);
  });

  it('select all takes every matching id from the Go side', async () => {
    mocked(clientSvc.IDs).mockResolvedValue([5, 4, 3, 2, 1]);
    const s = new ClientsStore();
    s.query = 'x';
    await s.selectAll();
    expect(mocked(clientSvc.IDs).mock.calls[0][0]).toMatchObject({ query: 'x' });
    expect(s.selection.size).toBe(5);
  });

  it('shift-click selects a range of loaded rows without asking for ids', async () => {
    const s = new ClientsStore();
    await s.refresh();
    await s.toggleRow(0, 1, false);
    await s.toggleRow(2, 3, true);
    expect([...s.selection.ids].sort()).toEqual([1, 2, 3]);
    expect(clientSvc.IDs).not.toHaveBeenCalled();
  });

  it('shows an archive failure as a toast with the sentence', async () => {
    mocked(clientSvc.Archive).mockRejectedValueOnce('The workspace is read-only.');
    const s = new ClientsStore();
    s.selection.selectAll([1]);
    await s.archiveSelected();
    expect(toasts.items.some((t) => t.kind === 'error' && t.message === 'The workspace is read-only.')).toBe(true);
  });

  it('opens a client with their mail history always a list', async () => {
    mocked(clientSvc.Get).mockResolvedValue({ client: { id: 7 }, cohorts: [], mail: { unsubscribed: false, history: null, suspectedBounce: null } });
    const s = new ClientsStore();
    await s.open(7);
    expect(s.detail?.mail?.history).toEqual([]);
  });

  it('confirms or dismisses a suspected bounce, then shows the client as the Go side has them', async () => {
    mocked(clientSvc.Get).mockResolvedValue({ client: { id: 7 }, cohorts: [], mail: { history: [{ at: '2026-03-02T10:00:00Z', kind: 'bounce confirmed', note: '' }] } });
    const s = new ClientsStore();
    await s.decideBounce(7, 31, true);
    expect(clientSvc.ConfirmBounce).toHaveBeenCalledWith(31);
    expect(clientSvc.Get).toHaveBeenCalledWith(7);
    expect(s.detail?.mail?.history[0].kind).toBe('bounce confirmed');
    await s.decideBounce(7, 32, false);
    expect(clientSvc.DismissBounce).toHaveBeenCalledWith(32);
  });

  it('shows the Go sentence when a resubscribe fails', async () => {
    mocked(clientSvc.Get).mockResolvedValue({ client: { id: 7 }, cohorts: [], mail: { history: [] } });
    mocked(clientSvc.Resubscribe).mockRejectedValueOnce('This client is not unsubscribed.');
    const s = new ClientsStore();
    await s.resubscribe(7);
    expect(clientSvc.Resubscribe).toHaveBeenCalledWith(7);
    expect(toasts.items.some((t) => t.kind === 'error' && t.message === 'This client is not unsubscribed.')).toBe(true);
  });
});
