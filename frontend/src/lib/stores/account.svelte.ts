// The mail account: where mail goes (the coach's SMTP server, or the built-in
// sandbox while none is set up), the providers' presets, and testing and saving.
import { mailApi } from '../api/mail';
import { errorMessage } from '../api/errors';
import type { AccountStatus, Preset, SMTPAccount } from '../api/types';

class AccountStore {
  status = $state<AccountStatus | null>(null);
  presets = $state<Preset[]>([]);
  loaded = $state(false);
  error = $state('');

  /** sandbox is true while no account is set up and mail goes to the sandbox mailboxes. */
  get sandbox(): boolean {
    return this.status?.sandbox ?? false;
  }

  async load(): Promise<void> {
    try {
      const [status, presets] = await Promise.all([mailApi.account(), mailApi.presets()]);
      this.status = status;
      this.presets = presets;
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  /** test connects and logs in without saving; it returns "" or the Go side's sentence. */
  async test(a: SMTPAccount, password: string): Promise<string> {
    try {
      await mailApi.testAccount(a, password);
      return '';
    } catch (e) {
      return errorMessage(e);
    }
  }

  /** save stores the account ("" keeps the saved password); it throws the Go error for the form. */
  async save(a: SMTPAccount, password: string, keepInFile = false): Promise<void> {
    await mailApi.saveAccount(a, password, keepInFile);
    await this.load();
  }

  /** useSandbox forgets the account: mail goes to the sandbox again. */
  async useSandbox(): Promise<void> {
    await mailApi.useSandbox();
    await this.load();
  }
}

/** emptyAccount is the form for a coach who has set nothing up yet. */
export function emptyAccount(): SMTPAccount {
  return { host: '', port: 587, security: 'starttls', user: '', fromName: '', fromEmail: '', plusAddressing: true, perMinute: 20, perDay: 500 };
}

/** applyPreset fills the server, security and limits from a provider's preset; the coach's own fields stay. */
export function applyPreset(a: SMTPAccount, p: Preset): SMTPAccount {
  return { ...a, host: p.smtpHost, port: p.smtpPort, security: p.security, perMinute: p.perMinute, perDay: p.perDay };
}

/** matchPreset finds the preset whose server the account uses, to show its note again. */
export function matchPreset(a: SMTPAccount, presets: Preset[]): Preset | undefined {
  const host = a.host.trim().toLowerCase();
  return presets.find((p) => p.smtpHost === host);
}

/** defaultPort is the usual port for a kind of security, offered when the coach switches. */
export function defaultPort(security: string): number {
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export const account = new AccountStore();
