// The digests area: the open cohort's digest settings, the preview of its next
// digest as one member gets it, "Send what is due now", and the digests a
// client received.
import { digestsApi } from '../api/digests';
import { errorMessage } from '../api/errors';
import type { Digest, DigestPreview, DigestSettings } from '../api/types';
import { dueText } from '../digest';
import { toasts } from './toasts.svelte';

export class DigestsStore {
  cohortId = $state(0);
  settings = $state<DigestSettings | null>(null);
  error = $state('');
  running = $state(false);

  /** preview is the digest shown in the preview, for previewClientId. */
  preview = $state<DigestPreview | null>(null);
  previewClientId = $state(0);
  previewError = $state('');
  previewLoading = $state(false);
  private previewSeq = 0;

  historyClientId = $state(0);
  history = $state<Digest[]>([]);
  historyError = $state('');
  historyLoaded = $state(false);

  /** load reads a cohort's digest settings, with the schedule in words and when the next goes. */
  async load(cohortId: number): Promise<void> {
    if (cohortId !== this.cohortId) {
      this.cohortId = cohortId;
      this.settings = null;
      this.preview = null;
      this.previewClientId = 0;
    }
    try {
      const d = await digestsApi.settings(cohortId);
      if (cohortId === this.cohortId) {
        this.settings = d;
        this.error = '';
      }
    } catch (e) {
      if (cohortId === this.cohortId) this.error = errorMessage(e);
    }
  }

  /** save changes the open cohort's settings; it throws the Go side's error for the form to show. */
  async save(d: DigestSettings): Promise<void> {
    const id = this.cohortId;
    await digestsApi.saveSettings(id, d);
    await this.load(id);
    toasts.show(this.settings ? `Digest: ${this.settings.described}.` : 'Digest settings saved.');
  }

  /**
   * showPreview renders the next digest as one member of the open cohort will
   * get it; fresh drops what was shown before (the preview opens anew: replies
   * may have changed meanwhile).
   */
  async showPreview(clientId: number, fresh = false): Promise<void> {
    const seq = ++this.previewSeq;
    if (fresh) this.preview = null;
    this.previewClientId = clientId;
    this.previewLoading = true;
    try {
      const p = await digestsApi.preview(this.cohortId, clientId);
      if (seq !== this.previewSeq) return;
      this.preview = p;
      this.previewError = '';
    } catch (e) {
      if (seq !== this.previewSeq) return;
      this.preview = null;
      this.previewError = errorMessage(e);
    } finally {
      if (seq === this.previewSeq) this.previewLoading = false;
    }
  }

  /** runDue queues every digest whose hour has come and says how many. */
  async runDue(): Promise<void> {
    this.running = true;
    try {
      const s = await digestsApi.runDue();
      toasts.show(dueText(s));
      if (this.cohortId) await this.load(this.cohortId);
    } catch (e) {
      toasts.error(e);
    } finally {
      this.running = false;
    }
  }

  /** loadHistory lists the digests a client received, newest first. */
  async loadHistory(clientId: number): Promise<void> {
    if (clientId !== this.historyClientId) {
      this.historyClientId = clientId;
      this.history = [];
      this.historyLoaded = false;
    }
    try {
      const h = await digestsApi.history(clientId);
      if (clientId !== this.historyClientId) return;
      this.history = h;
      this.historyError = '';
    } catch (e) {
      if (clientId === this.historyClientId) this.historyError = errorMessage(e);
    } finally {
      if (clientId === this.historyClientId) this.historyLoaded = true;
    }
  }
}

export const digests = new DigestsStore();
