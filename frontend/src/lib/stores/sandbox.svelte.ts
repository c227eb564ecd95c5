// The sandbox mailboxes: what each member (and the coach) received while mail
// goes to the built-in test server, opened as their mail app would show it.
import { mailApi } from '../api/mail';
import { errorMessage } from '../api/errors';
import type { MailView, SandboxMailbox, SandboxMessage } from '../api/types';

export class SandboxStore {
  mailboxes = $state<SandboxMailbox[]>([]);
  loaded = $state(false);
  error = $state('');
  address = $state('');
  messages = $state<SandboxMessage[]>([]);
  messagesError = $state('');
  messageId = $state(0);
  message = $state<MailView | null>(null);
  messageError = $state('');
  /** part is which part of the open message is shown. */
  part = $state<'html' | 'text'>('html');

  /** hasMail reports whether any mailbox holds a message. */
  get hasMail(): boolean {
    return this.mailboxes.some((m) => m.messages > 0);
  }

  async loadMailboxes(): Promise<void> {
    try {
      this.mailboxes = await mailApi.sandboxMailboxes();
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  /** open shows one mailbox's messages, newest first ("" for none). */
  async open(address: string): Promise<void> {
    if (address !== this.address) {
      this.address = address;
      this.messages = [];
      this.messageId = 0;
      this.message = null;
    }
    if (!address) return;
    try {
      const ms = await mailApi.sandboxMessages(address);
      if (address === this.address) {
        this.messages = ms;
        this.messagesError = '';
      }
    } catch (e) {
      if (address === this.address) this.messagesError = errorMessage(e);
    }
  }

  /** openMessage reads one message of the open mailbox (0 closes it). */
  async openMessage(id: number): Promise<void> {
    const address = this.address;
    if (id !== this.messageId) {
      this.messageId = id;
      this.message = null;
      this.messageError = '';
    }
    if (!id || !address) return;
    try {
      const m = await mailApi.sandboxMessage(address, id);
      if (address === this.address && id === this.messageId) {
        this.message = m;
        if (!m.html) this.part = 'text';
      }
    } catch (e) {
      if (address === this.address && id === this.messageId) this.messageError = errorMessage(e);
    }
  }
}

export const sandbox = new SandboxStore();
