import { beforeEach, describe, expect, it, vi } from 'vitest';

// Only the generated binding modules are replaced; everything above them is real.
vi.mock('../../../wailsjs/go/ui/ClientService', () => ({
  ChooseImportFile: vi.fn(),
  PreviewImport: vi.fn(),
  Import: vi.fn(),
  CancelImport: vi.fn(() => Promise.resolve()),
}));
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }));

import * as svc from '../../../wailsjs/go/ui/ClientService';
import * as runtime from '../../../wailsjs/runtime/runtime';
import { ImportStore, importCounts } from './import.svelte';

const preview = {
  file: '/home/coach/clients.csv',
  encoding: 'UTF-8',
  separator: ',',
  headers: ['Name', 'E-mail', 'Phone'],
  mapping: { name: 0, email: 1 },
  sample: [{ line: 2, client: { name: 'Ada', email: 'ada@example.com' } }],
  rows: 124,
  duplicates: 3,
  rejected: [
    { line: 7, reason: '"x" is not an email address.' },
    { line: 9, reason: 'Every client needs an email address.' },
  ],
  fields: ['name', 'email', 'phone'],
};

const mocked = <T>(f: T) => f as unknown as ReturnType<typeof vi.fn>;

beforeEach(() => {
  vi.clearAllMocks();
});

describe('ImportStore', () => {
  it('does nothing when the coach cancels the file dialog', async () => {
    mocked(svc.ChooseImportFile).mockResolvedValue('');
    const s = new ImportStore();
    await s.start();
    expect(s.step).toBe('closed');
    expect(svc.PreviewImport).not.toHaveBeenCalled();
  });

  it('previews the chosen file with a guessed mapping', async () => {
    mocked(svc.ChooseImportFile).mockResolvedValue('/home/coach/clients.csv');
    mocked(svc.PreviewImport).mockResolvedValue(preview);
    const s = new ImportStore();
    await s.start();
    expect(svc.PreviewImport).toHaveBeenCalledWith('/home/coach/clients.csv', null);
    expect(s.step).toBe('preview');
    expect(s.mapping).toEqual({ name: 0, email: 1 });
  });

  it('previews again with the changed mapping', async () => {
    mocked(svc.ChooseImportFile).mockResolvedValue('/f.csv');
    mocked(svc.PreviewImport).mockResolvedValue(preview);
    const s = new ImportStore();
    await s.start();
    await s.remap(2, 'phone');
    expect(svc.PreviewImport).toHaveBeenLastCalledWith('/f.csv', { name: 0, email: 1, phone: 2 });
  });

  it("shows the Go side's sentence when a mapping cannot work", async () => {
    mocked(svc.ChooseImportFile).mockResolvedValue('/f.csv');
    mocked(svc.PreviewImport)
      .mockResolvedValueOnce(preview)
      .mockRejectedValueOnce('No column holds email addresses. Choose the email column, or add one named "Email" to the file.');
    const s = new ImportStore();
    await s.start();
    await s.remap(1, '');
    expect(s.error).toMatch(/^No column holds email addresses/);
    expect(s.preview).toEqual(preview);
  });

  it('imports with progress and stops listening afterwards', async () => {
    const off = vi.fn();
    let report: (p: unknown) => void = () => {};
    mocked(runtime.EventsOn).mockImplementation((name: string, fn: (p: unknown) => void) => {
      expect(name).toBe('clients:import:progress');
      report = fn;
      return off;
    });
    mocked(svc.ChooseImportFile).mockResolvedValue('/f.csv');
    mocked(svc.PreviewImport).mockResolvedValue(preview);
    let finish: (v: unknown) => void = () => {};
    mocked(svc.Import).mockImplementation(() => new Promise((r) => (finish = r)));
    const s = new ImportStore();
    const imported = vi.fn();
    s.onImported(imported);
    await s.start();
    s.onDuplicate = 'update';
    const running = s.run();
    expect(s.step).toBe('importing');
    expect(svc.Import).toHaveBeenCalledWith('/f.csv', { name: 0, email: 1 }, 'update');
    report({ job: 'clients:import', done: 60, total: 124, note: 'Importing clients' });
    expect(s.progress?.done).toBe(60);
    finish({ imported: 120, updated: 3, skipped: 0, rejected: [] });
    await running;
    expect(s.step).toBe('done');
    expect(s.summary?.imported).toBe(120);
    expect(off).toHaveBeenCalledOnce();
    expect(imported).toHaveBeenCalledOnce();
  });

  it('returns to the preview with the sentence when the import is cancelled', async () => {
    const off = vi.fn();
    mocked(runtime.EventsOn).mockReturnValue(off);
    mocked(svc.ChooseImportFile).mockResolvedValue('/f.csv');
    mocked(svc.PreviewImport).mockResolvedValue(preview);
    mocked(svc.Import).mockRejectedValue('The import was stopped; no client was added or changed');
    const s = new ImportStore();
    await s.start();
    await s.run();
    expect(s.step).toBe('preview');
    expect(s.error).toBe('The import was stopped; no client was added or changed');
    expect(off).toHaveBeenCalledOnce();
  });
});

describe('importCounts', () => {
  it('says how many will come in, how many are known, how many are skipped', () => {
    expect(importCounts(preview)).toBe('124 clients, 3 already in your workspace, 2 rows will be skipped');
    expect(importCounts({ rows: 1, duplicates: 0, rejected: [] })).toBe('1 client');
  });
});
