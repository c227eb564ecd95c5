import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../wailsjs/go/ui/MailService', () => ({
  OutboxState: vi.fn(),
  Posts: vi.fn(),
  Outbox: vi.fn(),
  PauseSending: vi.fn(() => Promise.resolve()),
  ResumeSending: vi.fn(() => Promise.resolve()),
  RetryNow: vi.fn(),
  CancelUnsent: vi.fn(),
}));
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }));

import * as svc from '../../../wailsjs/go/ui/MailService';
import * as runtime from '../../../wailsjs/runtime/runtime';
import { OutboxStore } from './outbox.svelte';
import { toasts } from './toasts.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
let counts: Record<string, number> = {};

beforeEach(() => {
  vi.clearAllMocks();
  toasts.items = [];
  counts = { queued: 3 };
  mocked(svc.OutboxState).mockImplementation(() => Promise.resolve({ worker: { state: 'sending', note: 'Sending…', sent: 0, nextTry: '' }, counts, sandbox: true }));
  mocked(svc.Posts).mockImplementation(() =>
    Promise.resolve([
      { id: 8, subject: 'Draft', status: 'draft', counts: {} },
      { id: 7, subject: 'Week 1', status: 'queued', counts },
    ]),
  );
  mocked(svc.Outbox).mockResolvedValue([
    { id: 1, postId: 7, state: 'sent', name: 'Ada' },
    { id: 2, postId: 7, state: 'failed', name: 'Alan' },
    { id: 3, postId: 7, state: 'sent', name: 'Grace' },
  ]);
});
afterEach(() => vi.useRealTimers());

describe('OutboxStore', () => {
  it('lists posts on their way, not drafts, and the chosen post’s recipients', async () => {
    const s = new OutboxStore();
    await s.show(7);
    expect(s.posts.map((p) => p.id)).toEqual([7]);
    expect(svc.Outbox).toHaveBeenCalledWith({ postId: 7, state: '', limit: 0 });
    expect(s.post?.subject).toBe('Week 1');
    expect(s.waiting).toBe(3);
  });

  it('filters recipients by state and counts them for the filter', async () => {
    const s = new OutboxStore();
    await s.show(7);
    expect(s.itemCounts).toEqual({ sent: 2, failed: 1 });
    s.filter = 'failed';
    expect(s.visible.map((i) => i.name)).toEqual(['Alan']);
    await s.show(6);
    expect(s.filter).toBe('');
  });

  it('refreshes on progress events, at most twice a second', async () => {
    vi.useFakeTimers();
    let report: () => void = () => {};
    const off = vi.fn();
    mocked(runtime.EventsOn).mockImplementation((name: string, fn: () => void) => {
      expect(name).toBe('outbox:progress');
      report = fn;
      return off;
    });
    const s = new OutboxStore(60000, 500);
    const stop = s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(svc.OutboxState).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 30; i++) report(); // a burst of sends
    await vi.advanceTimersByTimeAsync(0);
    expect(svc.OutboxState).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(svc.OutboxState).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(svc.OutboxState).toHaveBeenCalledTimes(3);
    stop();
    expect(off).toHaveBeenCalledOnce();
  });

  it('looks again every few seconds while messages are waiting, and stops when all went', async () => {
    vi.useFakeTimers();
    mocked(runtime.EventsOn).mockReturnValue(() => {});
    const s = new OutboxStore(3000, 500);
    const stop = s.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(svc.OutboxState).toHaveBeenCalledTimes(2);
    counts = { sent: 3 };
    mocked(svc.OutboxState).mockImplementation(() => Promise.resolve({ worker: { state: 'idle', note: '', sent: 3, nextTry: '' }, counts, sandbox: true }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(svc.OutboxState).toHaveBeenCalledTimes(3);
    expect(s.busy).toBe(false);
    await vi.advanceTimersByTimeAsync(9000);
    expect(svc.OutboxState).toHaveBeenCalledTimes(3);
    stop();
  });

  it('says how many messages were cancelled', async () => {
    mocked(svc.CancelUnsent).mockResolvedValue(2);
    const s = new OutboxStore();
    await s.cancelUnsent(7);
    expect(svc.CancelUnsent).toHaveBeenCalledWith(7);
    expect(toasts.items.map((t) => t.message)).toContain('Cancelled 2 messages not sent yet');
  });

  it('shows a failed retry as the Go side’s sentence', async () => {
    mocked(svc.RetryNow).mockRejectedValue('The workspace is read-only.');
    const s = new OutboxStore();
    await s.retryNow(0);
    expect(toasts.items.some((t) => t.kind === 'error' && t.message === 'The workspace is read-only.')).toBe(true);
  });
});
