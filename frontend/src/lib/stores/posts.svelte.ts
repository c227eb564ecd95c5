// Announcements: a cohort's posts, and the draft open in the editor with its
// autosave, its live preview as a member will receive it, the test send and
// the real send.
import { mailApi } from '../api/mail';
import { errorMessage } from '../api/errors';
import type { Post, PostInput, Preview } from '../api/types';
import { debounce } from '../debounce';

/** PostsStore lists one cohort's posts, newest first. */
export class PostsStore {
  list = $state<Post[]>([]);
  cohortId = $state(0);
  loaded = $state(false);
  error = $state('');

  async load(cohortId: number): Promise<void> {
    if (cohortId !== this.cohortId) {
      this.cohortId = cohortId;
      this.list = [];
      this.loaded = false;
    }
    try {
      const list = await mailApi.posts(cohortId);
      if (cohortId !== this.cohortId) return;
      this.list = list;
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }
}

/** SaveState is what the editor says about the draft: "Saving…", "Saved". */
export type SaveState = 'new' | 'editing' | 'saving' | 'saved' | 'incomplete' | 'error';

/** Draft is one announcement being written. */
export class Draft {
  id = $state(0);
  subject = $state('');
  body = $state('');
  /** sendAt is when a scheduled post goes; null sends as soon as it is queued. */
  sendAt = $state<Date | null>(null);
  saveState = $state<SaveState>('new');
  saveError = $state('');
  preview = $state<Preview | null>(null);
  previewError = $state('');
  /** previewAs is the member whose copy the preview shows (0: the cohort's first member). */
  previewAs = $state(0);

  private version = 0;
  private removed = false;
  private saving: Promise<boolean> | null = null;
  private previewSeq = 0;
  private onSaved: ((p: Post) => void) | undefined;
  private readonly autosave: ReturnType<typeof debounce>;
  private readonly previewSoon: ReturnType<typeof debounce>;

  constructor(
    readonly cohortId: number,
    post: Post | null = null,
    { saveDelay = 800, previewDelay = 300, onSaved }: { saveDelay?: number; previewDelay?: number; onSaved?: (p: Post) => void } = {},
  ) {
    if (post) {
      this.id = post.id;
      this.subject = post.subject;
      this.body = post.body;
      this.sendAt = post.sendAt ? new Date(post.sendAt) : null;
      this.saveState = 'saved';
    }
    this.onSaved = onSaved;
    this.autosave = debounce(() => void this.save(), saveDelay);
    this.previewSoon = debounce(() => void this.refreshPreview(), previewDelay);
  }

  /** input is the post as the Go side takes it. */
  input(): PostInput {
    return { cohortId: this.cohortId, subject: this.subject, body: this.body, sendAt: this.sendAt ? this.sendAt.toISOString() : null, sendNow: false };
  }

  /** edit changes the subject or text; the draft saves itself after a pause in typing. */
  edit(change: { subject?: string; body?: string }): void {
    if (change.subject !== undefined) this.subject = change.subject;
    if (change.body !== undefined) this.body = change.body;
    this.version++;
    this.saveState = 'editing';
    this.autosave();
    this.previewSoon();
  }

  /** complete reports whether the Go side will take the draft: a new post needs a subject and text. */
  get complete(): boolean {
    return this.subject.trim() !== '' && this.body.trim() !== '';
  }

  /**
   * save writes the draft now. Saves never overlap, so that a new draft is created
   * once; edits made during a save are saved right after it. It returns whether
   * everything typed so far is saved.
   */
  async save(): Promise<boolean> {
    this.autosave.cancel();
    while (this.saving) await this.saving;
    if (this.saveState === 'saved' && this.id) return true;
    if (!this.id && !this.complete) {
      this.saveState = 'incomplete';
      return false;
    }
    const version = this.version;
    this.saveState = 'saving';
    this.saving = (async () => {
      try {
        const p = await mailApi.saveDraft(this.id, this.input());
        this.id = p.id;
        this.saveError = '';
        this.saveState = version === this.version ? 'saved' : 'editing';
        this.onSaved?.(p);
        return version === this.version;
      } catch (e) {
        this.saveError = errorMessage(e);
        this.saveState = 'error';
        return false;
      }
    })();
    try {
      return await this.saving;
    } finally {
      this.saving = null;
    }
  }

  /** refreshPreview renders the draft as the chosen member will receive it. */
  async refreshPreview(): Promise<void> {
    this.previewSoon.cancel();
    const seq = ++this.previewSeq;
    try {
      const p = await mailApi.preview(this.input(), this.previewAs);
      if (seq !== this.previewSeq) return;
      this.preview = p;
      this.previewError = '';
    } catch (e) {
      if (seq === this.previewSeq) this.previewError = errorMessage(e);
    }
  }

  /** setPreviewAs shows another member's copy. */
  setPreviewAs(clientId: number): void {
    this.previewAs = clientId;
    void this.refreshPreview();
  }

  /** sendTest saves the draft and sends one copy to the coach's own address; it throws the sentence. */
  async sendTest(): Promise<void> {
    if (!(await this.saveOrThrow())) return;
    await mailApi.sendTest(this.id);
  }

  /**
   * send queues the post for every member: at once when `at` is null, else at
   * that time. It saves first, and throws the Go side's sentence.
   */
  async send(at: Date | null): Promise<Post> {
    this.sendAt = at;
    this.version++;
    this.saveState = 'editing';
    await this.saveOrThrow();
    return mailApi.send(this.id);
  }

  /** remove deletes the draft (never sent) and stops saving it; it throws the Go side's sentence. */
  async remove(): Promise<void> {
    this.autosave.cancel();
    this.previewSoon.cancel();
    while (this.saving) await this.saving;
    if (this.id) await mailApi.deleteDraft(this.id);
    this.removed = true;
  }

  /** dispose stops the timers when the editor closes; unsaved edits are saved first. */
  async dispose(): Promise<void> {
    this.previewSoon.cancel();
    if (this.removed) return;
    if (this.saveState === 'editing') await this.save();
    this.autosave.cancel();
  }

  private async saveOrThrow(): Promise<boolean> {
    // Edits typed during a save leave the draft "editing": save again until it holds them all.
    for (let i = 0; i < 3; i++) {
      if (await this.save()) return true;
      if (this.saveState !== 'editing') break;
    }
    if (this.saveState === 'incomplete') {
      throw new Error(this.subject.trim() ? 'The announcement is empty; write something first.' : 'Give the announcement a subject: it is the first thing members see.');
    }
    throw new Error(this.saveError || 'The draft could not be saved.');
  }
}

/** saveLabel is the editor's note on the draft. */
export function saveLabel(s: SaveState): string {
  switch (s) {
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved';
    case 'editing':
      return 'Unsaved changes';
    case 'incomplete':
      return 'Not saved yet: add a subject and some text';
    case 'error':
      return 'Not saved';
    default:
      return 'New draft';
  }
}

/** statusLabel names a post's status as the cohort page lists it. */
export function postStatusLabel(p: Pick<Post, 'status'>): string {
  return p.status === 'draft' ? 'Draft' : p.status === 'scheduled' ? 'Scheduled' : 'Sent';
}

export const posts = new PostsStore();
