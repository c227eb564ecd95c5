// The CSV import: choose a file, preview and map its columns, import with
// progress (cancellable), then a summary.
import { clientsApi } from '../api/clients';
import { errorMessage } from '../api/errors';
import { onImportProgress } from '../api/events';
import type { ImportPreview, ImportSummary, Mapping, OnDuplicate, Progress } from '../api/types';
import { setColumnField } from '../mapping';

export type ImportStep = 'closed' | 'loading' | 'preview' | 'importing' | 'done';

export class ImportStore {
  step = $state<ImportStep>('closed');
  path = $state('');
  preview = $state<ImportPreview | null>(null);
  mapping = $state<Mapping>({});
  onDuplicate = $state<OnDuplicate>('merge');
  progress = $state<Progress | null>(null);
  summary = $state<ImportSummary | null>(null);
  /** error is the sentence shown in the dialog (a mapping the file cannot take, a failed import). */
  error = $state('');
  refreshing = $state(false);
  private seq = 0;
  private imported: Array<() => void> = [];

  /** onImported registers fn to run after every import that changed something. */
  onImported(fn: () => void): void {
    this.imported.push(fn);
  }

  /** start asks for a file and previews it; a cancelled file dialog does nothing. */
  async start(): Promise<void> {
    this.error = '';
    let path: string;
    try {
      path = await clientsApi.chooseImportFile();
    } catch (e) {
      this.step = 'preview';
      this.preview = null;
      this.error = errorMessage(e);
      return;
    }
    if (!path) return;
    this.path = path;
    this.preview = null;
    this.summary = null;
    this.progress = null;
    this.step = 'loading';
    try {
      const p = await clientsApi.previewImport(path, null);
      this.preview = p;
      this.mapping = { ...(p.mapping ?? {}) };
    } catch (e) {
      this.error = errorMessage(e);
    }
    this.step = 'preview';
  }

  /** remap imports column col into field and previews the file again. */
  async remap(col: number, field: string): Promise<void> {
    this.mapping = setColumnField(this.mapping, col, field);
    const seq = ++this.seq;
    this.refreshing = true;
    try {
      const p = await clientsApi.previewImport(this.path, this.mapping);
      if (seq !== this.seq) return;
      this.preview = p;
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.refreshing = false;
    }
  }

  /** run imports the file with the chosen mapping, showing progress as it goes. */
  async run(): Promise<void> {
    this.error = '';
    this.progress = { job: 'clients:import', done: 0, total: this.preview?.rows ?? 0, note: 'Starting' };
    this.step = 'importing';
    const off = onImportProgress((p) => (this.progress = p));
    try {
      this.summary = await clientsApi.import(this.path, this.mapping, this.onDuplicate);
      this.step = 'done';
      for (const fn of this.imported) fn();
    } catch (e) {
      this.error = errorMessage(e);
      this.step = 'preview';
    } finally {
      off();
    }
  }

  /** cancel stops a running import; nothing is changed. */
  async cancel(): Promise<void> {
    try {
      await clientsApi.cancelImport();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  close(): void {
    if (this.step === 'importing') return;
    this.step = 'closed';
    this.preview = null;
    this.summary = null;
    this.error = '';
  }
}

/** importCounts is the line under the preview: "124 clients, 3 already in your workspace, 2 rows will be skipped". */
export function importCounts(p: Pick<ImportPreview, 'rows' | 'duplicates' | 'rejected'>): string {
  const parts = [`${p.rows.toLocaleString()} ${p.rows === 1 ? 'client' : 'clients'}`];
  if (p.duplicates > 0) parts.push(`${p.duplicates.toLocaleString()} already in your workspace`);
  const skipped = p.rejected?.length ?? 0;
  if (skipped > 0) parts.push(`${skipped.toLocaleString()} ${skipped === 1 ? 'row' : 'rows'} will be skipped`);
  return parts.join(', ');
}

export const importer = new ImportStore();
