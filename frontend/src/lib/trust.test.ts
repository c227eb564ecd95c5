import { describe, expect, it } from 'vitest';
import { historyKind, notSharedReason, replySharing, sharingChoices, trustDescription, trustLabel, trustLevel } from './trust';

describe('trust marks', () => {
  it('name each level as the coach reads it, and anything unknown as unverified', () => {
    expect(['verified', 'plausible', 'unverified'].map(trustLabel)).toEqual(['Verified', 'From their address', 'Unverified']);
    expect(trustLevel('')).toBe('unverified');
    expect(trustLabel(undefined)).toBe('Unverified');
    expect(trustLabel('pass')).toBe('Unverified');
  });

  it('are described by the Go side’s reason, else by a sentence for the level', () => {
    expect(trustDescription('verified', ' DMARC passed for example.com. ')).toBe('DMARC passed for example.com.');
    expect(trustDescription('verified', '')).toContain('confirmed');
    expect(trustDescription('plausible', null)).toContain('no verdict');
    expect(trustDescription('nonsense', '')).toContain('cannot tell');
  });
});

describe('notSharedReason', () => {
  it('is empty for a reply the group sees', () => {
    expect(notSharedReason({ shared: true, guess: true, trust: 'unverified' })).toBe('');
  });

  it('says a guess first, then an unknown sender, then the cohort’s setting', () => {
    expect(notSharedReason({ shared: false, guess: true, trust: 'verified' })).toContain('guessed');
    expect(notSharedReason({ shared: false, guess: false, trust: 'unverified' })).toContain('cannot tell');
    expect(notSharedReason({ shared: false, guess: false, trust: 'plausible' })).toContain('only replies from verified senders');
  });
});

describe('reply sharing', () => {
  it('offers the recommended setting first and reads an unset one as it', () => {
    expect(sharingChoices.map((c) => c.value)).toEqual(['plausible', 'verified']);
    expect(sharingChoices[0].label).toContain('recommended');
    expect(replySharing('')).toBe('plausible');
    expect(replySharing('verified')).toBe('verified');
  });
});

describe('historyKind', () => {
  it('capitalises a kind and names an empty one', () => {
    expect(historyKind('bounce confirmed')).toBe('Bounce confirmed');
    expect(historyKind(' ')).toBe('Mail');
  });
});
