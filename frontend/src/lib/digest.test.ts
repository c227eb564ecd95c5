import { describe, expect, it } from 'vitest';
import type { DigestSettings } from './api/types';
import { deliveryLabel, deliveryMode, dueText, editable, emptyPreviewText, hourLabel, markToast, noteLength, replyMarks, sameSchedule } from './digest';

const weekly: DigestSettings = { every: 'weekly', weekday: 5, hour: 9, memberLocal: true, approval: false, note: '', described: "Every Friday at 09:00 (each member's time)", next: '2026-12-04T09:00:00Z' };

describe('digest words', () => {
  it('write hours as the schedule does', () => {
    expect([hourLabel(0), hourLabel(9), hourLabel(18)]).toEqual(['00:00', '09:00', '18:00']);
  });

  it('name delivery modes, unknown ones as the Go default', () => {
    expect([deliveryLabel('individual'), deliveryLabel('digest'), deliveryLabel('none')]).toEqual(['Every post', 'Digest only', 'Nothing']);
    expect(deliveryMode('')).toBe('individual');
    expect(deliveryMode('weird')).toBe('individual');
  });

  it('say what "Send what is due now" did', () => {
    expect(dueText({ digests: 3, posts: 0, reminders: 0, lessons: 0 })).toBe('Queued 3 digests');
    expect(dueText({ digests: 1, posts: 2, reminders: 0, lessons: 0 })).toBe('Queued 1 digest');
    expect(dueText({ digests: 2, posts: 0, reminders: 1, lessons: 0 })).toBe('Queued 2 digests and 1 session reminder');
    expect(dueText({ digests: 0, posts: 0, reminders: 3, lessons: 0 })).toBe('Queued 3 session reminders');
    expect(dueText({ digests: 0, posts: 0, reminders: 0, lessons: 2 })).toBe('Released 2 lessons');
    expect(dueText({ digests: 1, posts: 0, reminders: 0, lessons: 1 })).toBe('Queued 1 digest and released 1 lesson');
    expect(dueText({ digests: 0, posts: 0, reminders: 0, lessons: 0 })).toBe('Nothing is due');
  });

  it('say an empty digest will not be sent', () => {
    expect(emptyPreviewText('Ana')).toBe('Nothing new for Ana since their last digest; it will not be sent.');
  });

  it('count the note as the Go side does, in bytes of UTF-8', () => {
    expect(noteLength('abc')).toBe(3);
    expect(noteLength('é')).toBe(2);
    expect(noteLength('👋')).toBe(4);
  });

  it('keep what the form edits and drop the Go side’s words', () => {
    const e = editable(weekly);
    expect(e.described).toBe('');
    expect(e.next).toBeNull();
    expect({ ...e, described: weekly.described, next: weekly.next }).toEqual(weekly);
  });

  it('compare schedules by when they go, not by what is kept for later', () => {
    expect(sameSchedule(weekly, { ...weekly, note: 'Hi', approval: true })).toBe(true);
    expect(sameSchedule(weekly, { ...weekly, weekday: 1 })).toBe(false);
    expect(sameSchedule({ ...weekly, every: 'daily' }, { ...weekly, every: 'daily', weekday: 1 })).toBe(true);
    expect(sameSchedule({ ...weekly, every: 'off' }, { ...weekly, every: 'off', hour: 3, memberLocal: false })).toBe(true);
    expect(sameSchedule(weekly, { ...weekly, memberLocal: false })).toBe(false);
  });
});

describe('reply marks', () => {
  it('offer pin, highlight and hide, each pressed when on', () => {
    const off = replyMarks({ hidden: false, highlighted: false, pinned: false });
    expect(off.map((m) => [m.mark, m.on, m.label])).toEqual([
      ['pinned', false, 'Pin'],
      ['highlighted', false, 'Highlight'],
      ['hidden', false, 'Hide from digests'],
    ]);
    const on = replyMarks({ hidden: true, highlighted: true, pinned: true });
    expect(on.map((m) => [m.on, m.label])).toEqual([
      [true, 'Pinned'],
      [true, 'Highlighted'],
      [true, 'Hidden from digests'],
    ]);
  });

  it('say what changed', () => {
    expect(markToast('Ana', 'hidden', true)).toBe('Ana’s reply is hidden from digests.');
    expect(markToast('Ana', 'hidden', false)).toBe('Ana’s reply goes in digests again.');
    expect(markToast('Ana', 'pinned', true)).toBe('Ana’s reply is pinned to the top of digests.');
  });
});
