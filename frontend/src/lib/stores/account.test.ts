import { describe, expect, it } from 'vitest';
import { applyPreset, defaultPort, emptyAccount, matchPreset } from './account.svelte';
import { applyIncomingPreset, emptyIncoming } from './incoming.svelte';

const fastmail = { id: 'fastmail', name: 'Fastmail', smtpHost: 'smtp.fastmail.com', smtpPort: 465, security: 'tls', imapHost: '', imapPort: 993, perMinute: 30, perDay: 4000, note: 'Create an app password.', imapSecurity: '', domains: ['fastmail.com'], appPassword: true, authServId: 'messagingengine.com' };

describe('mail account presets', () => {
  it('fill the server, security and limits, and keep the coach’s own fields', () => {
    const a = { ...emptyAccount(), user: 'me@fastmail.com', fromName: 'Sam', fromEmail: 'sam@example.com', plusAddressing: false };
    expect(applyPreset(a, fastmail)).toEqual({ ...a, host: 'smtp.fastmail.com', port: 465, security: 'tls', perMinute: 30, perDay: 4000 });
  });

  it('are recognised again from a saved account', () => {
    expect(matchPreset({ ...emptyAccount(), host: ' SMTP.fastmail.com ' }, [fastmail])?.id).toBe('fastmail');
    expect(matchPreset({ ...emptyAccount(), host: 'mail.example.com' }, [fastmail])).toBeUndefined();
  });

  it('offer the usual port for each kind of security', () => {
    expect([defaultPort('tls'), defaultPort('starttls'), defaultPort('none')]).toEqual([465, 587, 25]);
  });

  it('fill the IMAP server with its own security (Proton Mail Bridge: STARTTLS on this computer)', () => {
    const bridge = { ...fastmail, id: 'proton', smtpHost: '127.0.0.1', smtpPort: 1025, security: 'starttls', imapHost: '127.0.0.1', imapPort: 1143, imapSecurity: 'starttls', authServId: '' };
    const got = applyIncomingPreset({ ...emptyIncoming(), user: 'me@proton.me' }, bridge);
    expect([got.host, got.port, got.security, got.user]).toEqual(['127.0.0.1', 1143, 'starttls', 'me@proton.me']);
    expect(applyIncomingPreset(emptyIncoming(), { ...fastmail, imapHost: 'imap.fastmail.com' }).security).toBe('tls');
  });
});
