// How sure Roundtable is of who sent a reply, and who else sees it, in words:
// the trust mark on every reply, the "not shown to the group" note, the
// cohort's sharing setting and a client's mail history. Pure functions, tested
// on their own; the Go side (package trust) decides the levels.
import type { Reply } from './api/types';

/** TrustLevel mirrors app.TrustVerified, app.TrustPlausible and app.TrustUnverified. */
export type TrustLevel = 'verified' | 'plausible' | 'unverified';

/** ReplySharing mirrors app.SharePlausible and app.ShareVerified: a cohort's Cohort.replySharing. */
export type ReplySharing = 'plausible' | 'verified';

const labels: Record<TrustLevel, string> = {
  verified: 'Verified',
  plausible: 'From their address',
  unverified: 'Unverified',
};

const fallbacks: Record<TrustLevel, string> = {
  verified: 'Your mail provider confirmed it comes from this address.',
  plausible: 'It comes from their address; your mail provider gave no verdict either way.',
  unverified: 'Roundtable cannot tell that the member sent it.',
};

/** trustLevel reads a level from the Go side; anything unknown counts as unverified. */
export function trustLevel(level: string | null | undefined): TrustLevel {
  return level === 'verified' || level === 'plausible' ? level : 'unverified';
}

/** trustLabel is the short mark on a reply: "Verified", "From their address", "Unverified". */
export function trustLabel(level: string | null | undefined): string {
  return labels[trustLevel(level)];
}

/** trustDescription is why a reply has its mark: the Go side's sentence, else a general one. */
export function trustDescription(level: string | null | undefined, reason: string | null | undefined): string {
  return reason?.trim() || fallbacks[trustLevel(level)];
}

/**
 * notSharedReason says why the other members do not see a reply in their
 * digests, for the "Not shown to the group" note; "" when they do.
 */
export function notSharedReason(r: Pick<Reply, 'shared' | 'guess' | 'trust'>): string {
  if (r.shared) return '';
  if (r.guess) return 'Roundtable guessed where it belongs.';
  if (trustLevel(r.trust) === 'unverified') return 'Roundtable cannot tell that the member sent it.';
  return 'This cohort shares only replies from verified senders.';
}

/** SharingChoice is one answer to "Members see each other's replies". */
export interface SharingChoice {
  value: ReplySharing;
  label: string;
  hint: string;
}

/** sharingChoices are the cohort's settings for sharing replies, the recommended first. */
export const sharingChoices: SharingChoice[] = [
  {
    value: 'plausible',
    label: 'From their own address (recommended)',
    hint: 'Replies that come from a member’s own address go to the group, unless your mail provider says they are forged.',
  },
  {
    value: 'verified',
    label: 'Only verified senders',
    hint: 'Only replies your mail provider confirmed go to the group; you approve the others one by one.',
  },
];

/** replySharing reads a cohort's setting; an unset one is the recommended default. */
export function replySharing(value: string | null | undefined): ReplySharing {
  return value === 'verified' ? 'verified' : 'plausible';
}

/** historyKind writes a mail history entry's kind as a label: "Bounce confirmed". */
export function historyKind(kind: string): string {
  const k = kind.trim();
  return k ? k[0].toUpperCase() + k.slice(1) : 'Mail';
}
