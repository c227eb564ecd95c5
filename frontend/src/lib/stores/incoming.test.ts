import { describe, expect, it } from 'vitest';
import { applyIncomingPreset, cleanIncoming, emptyIncoming, servIdSuggestion } from './incoming.svelte';
import type { Preset } from '../api/types';

const preset = (over: Partial<Preset> = {}): Preset => ({
  id: 'gmail', name: 'Gmail', smtpHost: 'smtp.gmail.com', smtpPort: 465, security: 'tls', imapHost: 'imap.gmail.com', imapPort: 993,
  imapSecurity: '', domains: [], appPassword: true, perMinute: 20, perDay: 500, note: '', authServId: 'mx.google.com', ...over,
});

describe('incoming account', () => {
  it('starts read-only, keeping no personal mail and naming no provider', () => {
    const a = emptyIncoming();
    expect(a.keepPersonal).toBe(false);
    expect(a.authServId).toBe('');
    expect(a.markRead).toBe(false);
  });

  it('takes the provider’s name from a preset, even one without an IMAP server', () => {
    const a = { ...emptyIncoming(), user: 'me@gmail.com', keepPersonal: true };
    expect(applyIncomingPreset(a, preset())).toEqual({ ...a, host: 'imap.gmail.com', port: 993, security: 'tls', authServId: 'mx.google.com' });
    expect(applyIncomingPreset(a, preset({ imapHost: '', authServId: '(none)' }))).toEqual({ ...a, authServId: '(none)' });
    expect(applyIncomingPreset({ ...a, authServId: 'mine.example' }, preset({ authServId: '' })).authServId).toBe('mine.example');
  });

  it('trims the provider’s name before saving', () => {
    expect(cleanIncoming({ ...emptyIncoming(), authServId: ' mx.google.com ' }).authServId).toBe('mx.google.com');
  });

  it('suggests the name seen on synced mail only while the field is empty', () => {
    expect(servIdSuggestion({ authServId: '' }, { seenAuthServId: 'mx.google.com' })).toBe('mx.google.com');
    expect(servIdSuggestion({ authServId: ' ' }, { seenAuthServId: 'mx.google.com' })).toBe('mx.google.com');
    expect(servIdSuggestion({ authServId: 'fastmail.com' }, { seenAuthServId: 'mx.google.com' })).toBe('');
    expect(servIdSuggestion({ authServId: '' }, { seenAuthServId: '' })).toBe('');
    expect(servIdSuggestion({ authServId: '' }, null)).toBe('');
  });
});
