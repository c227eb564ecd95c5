import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Only the generated binding module is replaced; everything above it is real.
vi.mock('../../../wailsjs/go/ui/MailService', () => ({
  SaveDraft: vi.fn(),
  Preview: vi.fn(),
  SendTest: vi.fn(() => Promise.resolve()),
  Send: vi.fn(),
  Posts: vi.fn(() => Promise.resolve([])),
}));

import * as svc from '../../../wailsjs/go/ui/MailService';
import { Draft, PostsStore, saveLabel } from './posts.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const post = (id: number, over: object = {}) => ({ id, cohortId: 3, subject: 'Week 1', body: 'Hi', status: 'draft', counts: {}, ...over });

beforeEach(() => {
  vi.clearAllMocks();
  mocked(svc.SaveDraft).mockImplementation((id: number, input: { subject: string; body: string }) => Promise.resolve(post(id || 41, input)));
  mocked(svc.Preview).mockResolvedValue({ subject: 'Week 1', html: '<p>Hi Ada</p>', text: 'Hi Ada', member: 'Ada Lovelace', warnings: null });
});
afterEach(() => vi.useRealTimers());

describe('Draft autosave', () => {
  it('waits for a pause in typing, then saves once with everything typed', async () => {
    vi.useFakeTimers();
    const d = new Draft(3);
    d.edit({ subject: 'Week 1' });
    d.edit({ body: 'H' });
    await vi.advanceTimersByTimeAsync(500);
    d.edit({ body: 'Hello {{first_name}}' });
    await vi.advanceTimersByTimeAsync(500);
    expect(svc.SaveDraft).not.toHaveBeenCalled();
    expect(saveLabel(d.saveState)).toBe('Unsaved changes');
    await vi.advanceTimersByTimeAsync(300);
    expect(svc.SaveDraft).toHaveBeenCalledOnce();
    expect(mocked(svc.SaveDraft).mock.calls[0]).toEqual([0, { cohortId: 3, subject: 'Week 1', body: 'Hello {{first_name}}', sendAt: null, sendNow: false }]);
    expect(d.id).toBe(41);
    expect(saveLabel(d.saveState)).toBe('Saved');
  });

  it('does not create a draft before it has a subject and text', async () => {
    vi.useFakeTimers();
    const d = new Draft(3);
    d.edit({ subject: 'Only a subject' });
    await vi.advanceTimersByTimeAsync(900);
    expect(svc.SaveDraft).not.toHaveBeenCalled();
    expect(d.saveState).toBe('incomplete');
  });

  it('updates the same draft after it was created', async () => {
    vi.useFakeTimers();
    const d = new Draft(3);
    d.edit({ subject: 'Week 1', body: 'Hi' });
    await vi.advanceTimersByTimeAsync(800);
    d.edit({ body: 'Hi there' });
    await vi.advanceTimersByTimeAsync(800);
    expect(mocked(svc.SaveDraft).mock.calls.map((c) => c[0])).toEqual([0, 41]);
  });

  it('creates the draft once when a save is asked for during the first one', async () => {
    let finish: (p: unknown) => void = () => {};
    mocked(svc.SaveDraft).mockImplementationOnce(() => new Promise((r) => (finish = r)));
    const d = new Draft(3);
    d.edit({ subject: 'Week 1', body: 'Hi' });
    const first = d.save();
    d.edit({ body: 'Hi again' });
    const second = d.save();
    expect(d.saveState).toBe('editing'); // the newest words are not saved yet
    finish(post(41));
    await first;
    await second;
    expect(mocked(svc.SaveDraft).mock.calls.map((c) => c[0])).toEqual([0, 41]);
    expect(mocked(svc.SaveDraft).mock.lastCall?.[1]).toMatchObject({ body: 'Hi again' });
    expect(d.saveState).toBe('saved');
  });

  it('says "Saving…" while the Go side writes', async () => {
    let finish: (p: unknown) => void = () => {};
    mocked(svc.SaveDraft).mockImplementationOnce(() => new Promise((r) => (finish = r)));
    const d = new Draft(3);
    d.edit({ subject: 'Week 1', body: 'Hi' });
    const saving = d.save();
    expect(saveLabel(d.saveState)).toBe('Saving…');
    finish(post(41));
    await saving;
    expect(saveLabel(d.saveState)).toBe('Saved');
  });

  it("keeps the Go side's sentence when a save fails", async () => {
    mocked(svc.SaveDraft).mockRejectedValueOnce('This announcement is already queued, so it can no longer be edited.');
    const d = new Draft(3, post(9) as never);
    d.edit({ body: 'changed' });
    expect(await d.save()).toBe(false);
    expect(d.saveState).toBe('error');
    expect(d.saveError).toMatch(/already queued/);
  });

  it('tells whoever listens the id of a new draft', async () => {
    const onSaved = vi.fn();
    const d = new Draft(3, null, { onSaved });
    d.edit({ subject: 'Week 1', body: 'Hi' });
    await d.save();
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 41 }));
  });
});

describe('Draft preview and sending', () => {
  it('previews as the chosen member', async () => {
    const d = new Draft(3, post(9) as never);
    d.setPreviewAs(17);
    await vi.waitFor(() => expect(d.preview?.member).toBe('Ada Lovelace'));
    expect(mocked(svc.Preview).mock.lastCall).toEqual([{ cohortId: 3, subject: 'Week 1', body: 'Hi', sendAt: null, sendNow: false }, 17]);
    expect(d.preview?.warnings).toEqual([]);
  });

  it('keeps the newest preview when answers arrive out of order', async () => {
    let slow: (v: unknown) => void = () => {};
    mocked(svc.Preview)
      .mockImplementationOnce(() => new Promise((r) => (slow = r)))
      .mockResolvedValueOnce({ subject: 'S', html: '', text: 'new', member: 'Grace Hopper', warnings: [] });
    const d = new Draft(3, post(9) as never);
    const old = d.refreshPreview();
    await d.refreshPreview();
    slow({ subject: 'S', html: '', text: 'old', member: 'Ada Lovelace', warnings: [] });
    await old;
    expect(d.preview?.member).toBe('Grace Hopper');
  });

  it('saves unsaved edits before a test send', async () => {
    const d = new Draft(3, post(9) as never);
    d.edit({ body: 'last words' });
    await d.sendTest();
    expect(mocked(svc.SaveDraft).mock.lastCall?.[1]).toMatchObject({ body: 'last words' });
    expect(svc.SendTest).toHaveBeenCalledWith(9);
  });

  it('sends now with no time, or schedules with one', async () => {
    mocked(svc.Send).mockImplementation((id: number) => Promise.resolve(post(id, { status: 'queued' })));
    const d = new Draft(3, post(9, { sendAt: '2030-01-01T09:00:00Z' }) as never);
    await d.send(null);
    expect(mocked(svc.SaveDraft).mock.lastCall?.[1]).toMatchObject({ sendAt: null, sendNow: false });
    expect(svc.Send).toHaveBeenCalledWith(9);
    const at = new Date(Date.UTC(2031, 2, 4, 8, 30));
    await new Draft(3, post(10) as never).send(at);
    expect(mocked(svc.SaveDraft).mock.lastCall?.[1]).toMatchObject({ sendAt: '2031-03-04T08:30:00.000Z' });
  });

  it('does not send a draft it could not save, and says why', async () => {
    const d = new Draft(3);
    d.edit({ body: 'no subject yet' });
    await expect(d.send(null)).rejects.toThrow(/subject/);
    expect(svc.Send).not.toHaveBeenCalled();
  });
});

describe('PostsStore', () => {
  it('lists a cohort’s posts', async () => {
    mocked(svc.Posts).mockResolvedValue([post(2), post(1, { status: 'queued' })]);
    const s = new PostsStore();
    await s.load(3);
    expect(svc.Posts).toHaveBeenCalledWith(3);
    expect(s.list.map((p) => p.id)).toEqual([2, 1]);
  });
});
