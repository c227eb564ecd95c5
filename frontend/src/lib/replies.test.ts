import { describe, expect, it } from 'vitest';
import { answerStatus, assignProblem, checkedText, firstName, formatSize, mailboxOwner, postUnread, syncStatusText, syncSummaryText, timeAgo, unreadCount } from './replies';
import type { Conversation, Reply, SyncState } from './api/types';

const reply = (id: number, unread: boolean): Reply =>
  ({ id, postId: 1, clientId: id, name: 'Grace Hopper', email: 'grace@example.com', text: 'hi', quoted: '', matchReason: 'reply address token', guess: false, unread, handled: false, attachments: [], notes: [] }) as unknown as Reply;
const conv = (...replies: Reply[]): Conversation => ({ post: { id: 1 } as Conversation['post'], replies, replied: [], notReplied: [] });
const summary = (over: Partial<SyncState['summary']> = {}): SyncState['summary'] => ({ scanned: 4, imported: 0, autoReplies: 0, bounces: 0, unsubscribes: 0, unmatched: 0, skipped: 0, duplicates: 0, rsvps: 0, done: 0, personal: 0, notes: [], ...over });

describe('unread counts', () => {
  it('count the unread replies of every conversation of a cohort', () => {
    const cs = [conv(reply(1, true), reply(2, false)), conv(reply(3, true)), conv()];
    expect(unreadCount(cs)).toBe(2);
    expect(cs.map(postUnread)).toEqual([1, 1, 0]);
  });
});

describe('the sync status line', () => {
  const now = new Date('2026-03-02T10:00:00Z');

  it('says when the inbox was last checked and what it brought', () => {
    const at = '2026-03-02T09:58:00Z';
    expect(syncStatusText({ running: false, at, summary: summary({ imported: 3 }), error: '' }, now)).toBe('Last checked 2 min ago — 3 new replies');
    expect(syncStatusText({ running: false, at, summary: summary({ imported: 1, unmatched: 2 }), error: '' }, now)).toBe('Last checked 2 min ago — 1 new reply, 2 to place');
    expect(syncStatusText({ running: false, at: '2026-03-02T09:59:50Z', summary: summary(), error: '' }, now)).toBe('Last checked just now — no new replies');
  });

  it('gives the sidebar when replies were checked and how often', () => {
    const at = '2026-03-02T09:58:00Z';
    expect(checkedText({ running: false, at, summary: summary(), error: '', everyMinutes: 5 }, now)).toBe('Replies checked 2 min ago · every 5 minutes');
    expect(checkedText({ running: false, at: null, summary: summary(), error: '', everyMinutes: 1 }, now)).toBe('Replies not checked yet · every 1 minute');
    expect(checkedText({ running: true, at, summary: summary(), error: '' }, now)).toBe('Checking for replies…');
    expect(checkedText(null, now)).toBe('');
  });

  it('says a sync is running, or that none ran yet, and leaves errors to their own line', () => {
    expect(syncStatusText({ running: true, at: null, summary: summary(), error: '' }, now)).toBe('Checking for replies…');
    expect(syncStatusText({ running: false, at: null, summary: summary(), error: '' }, now)).toBe('Not checked yet.');
    expect(syncStatusText({ running: false, at: '2026-03-02T09:58:00Z', summary: summary(), error: 'The mail server refused the password.' }, now)).toBe('');
    expect(syncStatusText(null, now)).toBe('');
  });

  it('counts what else a sync found', () => {
    expect(syncSummaryText(summary({ autoReplies: 1, bounces: 2 }))).toBe('no new replies, 1 auto-reply, 2 bounces');
    expect(syncSummaryText(summary({ imported: 2, done: 1 }))).toBe('2 new replies, 1 lesson marked done');
  });

  it('moves from minutes to hours to a date', () => {
    expect(timeAgo('2026-03-02T07:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-02-20T07:00:00Z', now)).not.toMatch(/ago/);
    expect(timeAgo('0001-01-01T00:00:00Z', now)).toBe('');
  });
});

describe('the assign dialog', () => {
  it('asks for the client and the announcement before assigning', () => {
    expect(assignProblem({ clientId: 0, postId: 0 })).toBe('Choose the client who wrote it and the announcement it answers.');
    expect(assignProblem({ clientId: 3, postId: 0 })).toBe('Choose the announcement it answers.');
    expect(assignProblem({ clientId: 0, postId: 7 })).toBe('Choose the client who wrote it.');
    expect(assignProblem({ clientId: 3, postId: 7 })).toBe('');
  });
});

describe('names and sizes', () => {
  it('name members by their first name, else their address', () => {
    expect(firstName('Grace Hopper')).toBe('Grace');
    expect(firstName('  ', 'ada@example.com')).toBe('ada');
    expect(mailboxOwner('"Grace Hopper" <grace@example.com>', 'grace@example.com')).toBe('Grace');
    expect(mailboxOwner('Ada <ada@example.com>, Grace Hopper <GRACE@example.com>', 'grace@example.com')).toBe('Grace');
    expect(mailboxOwner('katherine@example.com', 'katherine@example.com')).toBe('katherine');
  });

  it('write attachment sizes as people read them', () => {
    expect(formatSize(900)).toBe('900 bytes');
    expect(formatSize(12_400)).toBe('12 KB');
    expect(formatSize(3_400_000)).toBe('3.4 MB');
  });
});

describe('the coach’s answer under a reply', () => {
  it('says where it stands', () => {
    expect(answerStatus({ status: 'queued', queuedAt: null, counts: { queued: 1 } })).toBe('on its way');
    expect(answerStatus({ status: 'queued', queuedAt: '2026-03-02T10:00:00Z', counts: { sent: 1 } })).toMatch(/^sent \S/);
    expect(answerStatus({ status: 'queued', queuedAt: null, counts: { sent: 2, failed: 1 } })).toBe('2 of 3 sent');
    expect(answerStatus({ status: 'queued', queuedAt: null, counts: { failed: 1 } })).toBe('not sent');
    expect(answerStatus({ status: 'scheduled', queuedAt: null, counts: { queued: 1 } })).toBe('scheduled');
  });
});
