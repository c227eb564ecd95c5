// The incoming mail account: the coach's IMAP mailbox, where members' replies
// arrive. Roundtable only reads it unless the coach asks for imported replies to
// be marked read or moved. In sandbox mode none is needed: replies are read from
// the sandbox.
import { conversationsApi } from '../api/conversations';
import { errorMessage } from '../api/errors';
import type { IMAPAccount, IMAPStatus, Preset } from '../api/types';

class IncomingStore {
  status = $state<IMAPStatus | null>(null);
  loaded = $state(false);
  error = $state('');

  async load(): Promise<void> {
    try {
      this.status = await conversationsApi.incomingAccount();
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  /** test connects and logs in without saving; it returns "" or the Go side's sentence. */
  async test(a: IMAPAccount, password: string): Promise<string> {
    try {
      await conversationsApi.testIncoming(a, password);
      return '';
    } catch (e) {
      return errorMessage(e);
    }
  }

  /** save stores the account ("" keeps the saved password); it throws the sentence for the form. */
  async save(a: IMAPAccount, password: string, keepInFile = false): Promise<void> {
    await conversationsApi.saveIncoming(a, password, keepInFile);
    await this.load();
  }
}

/** emptyIncoming is the form before anything is set up: the inbox, only read. */
export function emptyIncoming(): IMAPAccount {
  return { host: '', port: 993, security: 'tls', user: '', folder: 'INBOX', markRead: false, moveTo: '', authServId: '', keepPersonal: false };
}

/**
 * applyIncomingPreset fills the IMAP server and the provider's name in its
 * verdicts (authServId) from a provider's preset; the rest stays.
 */
export function applyIncomingPreset(a: IMAPAccount, p: Preset): IMAPAccount {
  const named = p.authServId ? { ...a, authServId: p.authServId } : a;
  if (!p.imapHost) return named;
  return { ...named, host: p.imapHost, port: p.imapPort || 993, security: p.imapSecurity || (p.imapPort === 143 ? 'starttls' : 'tls') };
}

/**
 * servIdSuggestion is the provider's name to offer the coach: the one seen on
 * recently synced mail, while the field is empty; "" for none.
 */
export function servIdSuggestion(a: Pick<IMAPAccount, 'authServId'>, status: Pick<IMAPStatus, 'seenAuthServId'> | null | undefined): string {
  const seen = status?.seenAuthServId?.trim() ?? '';
  return a.authServId.trim() === '' ? seen : '';
}

/** defaultImapPort is the usual IMAP port for a kind of security. */
export function defaultImapPort(security: string): number {
  return security === 'tls' ? 993 : 143;
}

/** cleanIncoming trims the form for the Go side; an empty folder is the inbox. */
export function cleanIncoming(a: IMAPAccount): IMAPAccount {
  return { ...a, host: a.host.trim(), user: a.user.trim(), folder: a.folder.trim() || 'INBOX', moveTo: a.moveTo.trim(), authServId: a.authServId.trim(), port: Number(a.port) || 0 };
}

export const incoming = new IncomingStore();
