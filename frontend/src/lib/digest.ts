// Digests in words: schedules, delivery modes, the coach's marks on replies and
// what "Send what is due now" did. Pure functions, tested on their own; the Go
// side (package digest) decides what is due and what a digest holds.
import type { DeliveryMode, DigestSettings, DueSummary, Reply, ReplyMark } from './api/types';
import { plural } from './format';

/** Every mirrors app.DigestDaily, DigestWeekly and DigestOff. */
export type Every = 'daily' | 'weekly' | 'off';

/** everyChoices are the schedule's options, in the order the form offers them. */
export const everyChoices: { value: Every; label: string }[] = [
  { value: 'weekly', label: 'Weekly' },
  { value: 'daily', label: 'Daily' },
  { value: 'off', label: 'Off' },
];

/** weekdays names the days as Go's time.Weekday numbers them: 0 is Sunday. */
export const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** hourLabel writes an hour of the day as the schedule does: 9 → "09:00". */
export function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

const deliveryLabels: Record<DeliveryMode, string> = {
  individual: 'Every post',
  digest: 'Digest only',
  none: 'Nothing',
};

/** deliveryChoices are the delivery modes with their labels and what each means for the member. */
export const deliveryChoices: { value: DeliveryMode; label: string; hint: string }[] = [
  { value: 'individual', label: deliveryLabels.individual, hint: 'Each post as its own email, and the digest of the others’ replies.' },
  { value: 'digest', label: deliveryLabels.digest, hint: 'Posts only inside the digest: one email per digest.' },
  { value: 'none', label: deliveryLabels.none, hint: 'Nothing from this cohort for now; they stay a member.' },
];

/** deliveryMode reads a membership's delivery; unknown or empty is every post, the Go default. */
export function deliveryMode(mode: string | null | undefined): DeliveryMode {
  return mode === 'digest' || mode === 'none' ? mode : 'individual';
}

/** deliveryLabel names how a member gets the cohort's mail: "Every post", "Digest only", "Nothing". */
export function deliveryLabel(mode: string | null | undefined): string {
  return deliveryLabels[deliveryMode(mode)];
}

/** noteLength is the note's length as the Go side counts it: bytes of UTF-8. */
export function noteLength(note: string): number {
  return new TextEncoder().encode(note).length;
}

/** editable is a copy of the settings the form may change, without the Go side's words. */
export function editable(d: DigestSettings): DigestSettings {
  return { every: d.every, weekday: d.weekday, hour: d.hour, memberLocal: d.memberLocal, approval: d.approval, note: d.note, described: '', next: null };
}

/** sameSchedule tells whether two settings go at the same times (the note and approval aside). */
export function sameSchedule(a: DigestSettings, b: DigestSettings): boolean {
  if (a.every !== b.every) return false;
  if (a.every === 'off') return true;
  return a.hour === b.hour && a.memberLocal === b.memberLocal && (a.every === 'daily' || a.weekday === b.weekday);
}

/** dueText says what "Send what is due now" did: "Queued 3 digests", "Released 2 lessons" or "Nothing is due". */
export function dueText(s: DueSummary): string {
  const parts = [];
  if (s.digests > 0) parts.push(plural(s.digests, 'digest'));
  if (s.reminders > 0) parts.push(plural(s.reminders, 'session reminder'));
  const lessons = s.lessons > 0 ? `released ${plural(s.lessons, 'lesson')}` : '';
  if (parts.length) return `Queued ${parts.join(' and ')}` + (lessons ? ` and ${lessons}` : '');
  if (lessons) return lessons[0].toUpperCase() + lessons.slice(1);
  return 'Nothing is due';
}

/** emptyPreviewText is what an empty digest preview says instead of a mail that will not go. */
export function emptyPreviewText(name: string): string {
  return `Nothing new for ${name} since their last digest; it will not be sent.`;
}

/** ReplyMarkAction is one of the coach's marks on a reply as a toggle button. */
export interface ReplyMarkAction {
  mark: ReplyMark;
  on: boolean;
  /** label names the button; it changes with the state, and aria-pressed says it too. */
  label: string;
  /** hint says what the mark does, for the button's title. */
  hint: string;
}

/** replyMarks are the marks the conversation offers on a reply, with whether each is on. */
export function replyMarks(r: Pick<Reply, 'hidden' | 'highlighted' | 'pinned'>): ReplyMarkAction[] {
  return [
    { mark: 'pinned', on: !!r.pinned, label: r.pinned ? 'Pinned' : 'Pin', hint: 'Pinned replies stay at the top of every digest until unpinned.' },
    { mark: 'highlighted', on: !!r.highlighted, label: r.highlighted ? 'Highlighted' : 'Highlight', hint: 'Highlighted replies come first under their post in the digest.' },
    { mark: 'hidden', on: !!r.hidden, label: r.hidden ? 'Hidden from digests' : 'Hide from digests', hint: 'Hidden replies stay here for you but go in no digest.' },
  ];
}

/** markToast is the note after a mark changed: "Ana’s reply is pinned." */
export function markToast(who: string, mark: ReplyMark, on: boolean): string {
  const words: Record<ReplyMark, [string, string]> = {
    hidden: ['is hidden from digests', 'goes in digests again'],
    highlighted: ['is highlighted in digests', 'is no longer highlighted'],
    pinned: ['is pinned to the top of digests', 'is no longer pinned'],
    private: ['is private: for you only', 'is no longer private'],
  };
  return `${who}’s reply ${words[mark][on ? 0 : 1]}.`;
}
