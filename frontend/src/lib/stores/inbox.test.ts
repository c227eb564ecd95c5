import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../wailsjs/go/ui/ConversationService', () => ({
  State: vi.fn(),
  Sync: vi.fn(),
  CancelSync: vi.fn(() => Promise.resolve()),
  Conversations: vi.fn(),
  UnreadCounts: vi.fn(),
  Unmatched: vi.fn(),
  MarkRead: vi.fn(() => Promise.resolve()),
  MarkHandled: vi.fn(() => Promise.resolve()),
  Reply: vi.fn(),
  Approve: vi.fn(() => Promise.resolve()),
}));
vi.mock('../../../wailsjs/go/ui/CohortService', () => ({ List: vi.fn() }));
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

import * as svc from '../../../wailsjs/go/ui/ConversationService';
import * as cohortSvc from '../../../wailsjs/go/ui/CohortService';
import * as runtime from '../../../wailsjs/runtime/runtime';
import { InboxStore, inbox } from './inbox.svelte';
import { ConversationsStore } from './conversations.svelte';
import { toasts } from './toasts.svelte';

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;
const summary = { scanned: 5, imported: 2, autoReplies: 0, bounces: 0, unsubscribes: 0, unmatched: 1, skipped: 2, duplicates: 0, notes: null };
const r = (id: number, unread: boolean) => ({ id, postId: 7, clientId: id, name: `Member ${id}`, email: `m${id}@example.com`, text: 'hi', quoted: '', matchReason: 'reply address token', guess: false, unread, handled: false, attachments: null, notes: null });

let convs: Record<number, unknown[]> = {};
beforeEach(() => {
  vi.clearAllMocks();
  toasts.items = [];
  convs = {
    1: [{ post: { id: 7, subject: 'Week 1' }, replies: [r(1, true), r(2, true), r(3, false)], replied: [], notReplied: null }],
    2: [{ post: { id: 9, subject: 'Hello' }, replies: [r(4, true)], replied: [], notReplied: [] }],
  };
  mocked(cohortSvc.List).mockResolvedValue([{ id: 1 }, { id: 2 }]);
  mocked(svc.Conversations).mockImplementation((id: number) => Promise.resolve(convs[id]));
  mocked(svc.UnreadCounts).mockResolvedValue({ 1: 2, 2: 1 });
  mocked(svc.Unmatched).mockResolvedValue([{ id: 50 }]);
  mocked(svc.State).mockResolvedValue({ running: false, at: null, summary: { ...summary, imported: 0 }, error: '' });
});

describe('InboxStore', () => {
  it('counts unread replies across cohorts and the unmatched queue for the sidebar', async () => {
    const s = new InboxStore();
    await s.load();
    expect(s.unread).toEqual({ 1: 2, 2: 1 });
    expect(s.totalUnread).toBe(3);
    expect(s.unmatched).toBe(1);
    expect(s.statusText).toBe('Not checked yet.');
  });

  it('syncs, says what came in once although the answer and the event both report it, and refreshes what is open', async () => {
    const s = new InboxStore();
    s.start();
    await Promise.resolve();
    toasts.items = [];
    const done = vi.fn();
    s.onDone(done);
    const st = { running: false, at: '2026-03-02T10:00:00Z', summary, error: '' };
    mocked(svc.Sync).mockResolvedValue(st);
    await s.sync();
    expect(s.running).toBe(false);
    expect(s.statusText).toMatch(/^Last checked .+ — 2 new replies, 1 to place$/);
    // The same result arrives as the "inbox:sync:done" event.
    const onDone = Object.fromEntries(mocked(runtime.EventsOn).mock.calls.map((c) => [c[0], c[1]]))['inbox:sync:done'];
    onDone(st);
    expect(done).toHaveBeenCalledTimes(1);
    expect(toasts.items.map((t) => t.message)).toEqual(['2 new replies imported']);
  });

  it('says how many 1:1 mails were kept when no reply came in', async () => {
    const s = new InboxStore();
    s.start();
    await Promise.resolve();
    toasts.items = [];
    mocked(svc.Sync).mockResolvedValue({ running: false, at: '2026-03-02T11:00:00Z', summary: { ...summary, imported: 0, personal: 3 }, error: '' });
    await s.sync();
    expect(toasts.items.map((t) => t.message)).toEqual(['1:1 mail with clients: 3 messages kept on their pages']);
  });

  it('shows the Go sentence when the inbox cannot be read', async () => {
    const s = new InboxStore();
    mocked(svc.Sync).mockRejectedValue('The mail server refused the password.');
    await s.sync();
    expect(s.error).toBe('The mail server refused the password.');
    expect(s.statusText).toBe('');
  });

  it('follows a sync the Go side started by itself from its progress events', () => {
    const s = new InboxStore();
    s.start();
    const on = Object.fromEntries(mocked(runtime.EventsOn).mock.calls.map((c) => [c[0], c[1]]));
    on['inbox:sync:progress']({ job: 'sync', done: 3, total: 10, note: '' });
    expect(s.running).toBe(true);
    expect(s.progressText).toBe('Looking at 3 of 10 messages');
  });
});

describe('ConversationsStore', () => {
  it('opening a conversation marks its replies read but keeps their "new" mark for the visit', async () => {
    const c = new ConversationsStore();
    await c.load(1);
    expect(c.current?.post.id).toBe(7);
    expect(c.current?.replies[0].attachments).toEqual([]);
    expect(inbox.unread[1]).toBe(2);
    await c.open(0);
    expect(svc.MarkRead).toHaveBeenCalledTimes(2);
    expect(svc.MarkRead).toHaveBeenCalledWith(1, true);
    expect(c.current?.replies.every((x) => !x.unread)).toBe(true);
    expect([...c.fresh]).toEqual([1, 2]);
    expect(inbox.unread[1]).toBe(0);
  });

  it('does not send an empty answer', async () => {
    const c = new ConversationsStore();
    await c.load(1);
    expect(await c.reply(c.current!.replies[0], '   ', false)).toBe(false);
    expect(svc.Reply).not.toHaveBeenCalled();
    expect(toasts.items[0].message).toBe('Write something to reply with.');
  });

  it('answers a member through the outbox', async () => {
    const c = new ConversationsStore();
    await c.load(1);
    mocked(svc.Reply).mockResolvedValue({ id: 12 });
    expect(await c.reply(c.current!.replies[0], 'Thanks!', false)).toBe(true);
    expect(svc.Reply).toHaveBeenCalledWith(1, 'Thanks!', false);
    expect(toasts.items[0].message).toBe('Your answer is in the outbox, on its way to Member.');
  });

  it('approves a reply for the group, then reloads what the Go side decides', async () => {
    const c = new ConversationsStore();
    await c.load(1);
    const first = c.current!.replies[0];
    // After approval the Go side answers with the reply shared.
    convs[1] = [{ post: { id: 7, subject: 'Week 1' }, replies: [{ ...r(1, true), approved: true, shared: true }], replied: [], notReplied: [] }];
    await c.approve(first, true);
    expect(svc.Approve).toHaveBeenCalledWith(1, true);
    expect(c.current?.replies[0]).toMatchObject({ approved: true, shared: true });
    expect(toasts.items[0].message).toBe('Member’s reply is shown to the group.');
  });

  it('shows the Go sentence when an approval fails and keeps the reply as it was', async () => {
    const c = new ConversationsStore();
    await c.load(1);
    mocked(svc.Approve).mockRejectedValueOnce('That reply was deleted.');
    await c.approve(c.current!.replies[0], true);
    expect(toasts.items.map((t) => t.message)).toEqual(['That reply was deleted.']);
    expect(c.current?.replies[0].approved).toBeUndefined();
  });
});
