import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../wailsjs/go/ui/DigestService', () => ({
  Settings: vi.fn(),
  SaveSettings: vi.fn(() => Promise.resolve()),
  Preview: vi.fn(),
  History: vi.fn(),
  RunDue: vi.fn(),
}));

import * as svc from '../../../wailsjs/go/ui/DigestService';
import { DigestsStore } from './digests.svelte';
import { toasts } from './toasts.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const settings = { every: 'daily', weekday: 5, hour: 18, memberLocal: false, approval: false, note: '', described: 'Daily at 18:00 (your time, Europe/Paris)', next: '2026-12-01T17:00:00Z' };

beforeEach(() => {
  vi.clearAllMocks();
  toasts.items = [];
  mocked(svc.Settings).mockResolvedValue(settings);
});

describe('DigestsStore', () => {
  it('says how many digests "Send what is due now" queued, or that nothing was due', async () => {
    const s = new DigestsStore();
    await s.load(4);
    mocked(svc.RunDue).mockResolvedValueOnce({ digests: 2, posts: 0 });
    await s.runDue();
    expect(toasts.items.at(-1)?.message).toBe('Queued 2 digests');
    mocked(svc.RunDue).mockResolvedValueOnce({ digests: 0, posts: 0 });
    await s.runDue();
    expect(toasts.items.at(-1)?.message).toBe('Nothing is due');
    expect(s.running).toBe(false);
  });

  it('saves and shows the schedule in words', async () => {
    const s = new DigestsStore();
    await s.load(4);
    await s.save({ ...settings, described: '', next: null });
    expect(svc.SaveSettings).toHaveBeenCalledWith(4, { ...settings, described: '', next: null });
    expect(toasts.items.at(-1)?.message).toBe('Digest: Daily at 18:00 (your time, Europe/Paris).');
  });

  it('keeps only the latest preview asked for', async () => {
    const s = new DigestsStore();
    await s.load(4);
    let first!: (v: unknown) => void;
    mocked(svc.Preview).mockImplementationOnce(() => new Promise((r) => (first = r)));
    mocked(svc.Preview).mockResolvedValueOnce({ subject: 'For Ben', items: null, empty: false });
    const a = s.showPreview(1);
    await s.showPreview(2);
    first({ subject: 'For Ana', items: null, empty: false });
    await a;
    expect(s.previewClientId).toBe(2);
    expect(s.preview?.subject).toBe('For Ben');
    expect(s.preview?.items).toEqual([]);
    expect(s.previewLoading).toBe(false);
  });

  it('lists what a client received, items always an array', async () => {
    mocked(svc.History).mockResolvedValueOnce([{ id: 1, items: null }]);
    const s = new DigestsStore();
    await s.loadHistory(9);
    expect(s.history).toEqual([{ id: 1, items: [] }]);
    expect(s.historyLoaded).toBe(true);
  });
});
