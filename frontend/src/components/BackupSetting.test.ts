import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import BackupSetting from './BackupSetting.svelte';

const backup = {
  path: '/home/ana/Sync/roundtable-2026-12-02-093000.db',
  takenAt: '2026-12-02T09:30:00Z',
  size: 1253376,
  schemaVersion: 12,
  clients: 120,
  cohorts: 4,
  posts: 38,
  messages: 2210,
};
const empty = { folder: '/home/ana/.local/share/roundtable/backups', backups: [], dailyFailed: '' };

describe('BackupSetting', () => {
  it('says there is no backup yet and backs up on a click', async () => {
    const api = {
      backups: vi.fn().mockResolvedValueOnce(empty).mockResolvedValueOnce({ ...empty, backups: [backup] }),
      backUpNow: vi.fn(async () => ({ backup, removed: [] })),
      setBackupFolder: vi.fn(),
      planRestore: vi.fn(),
      restoreBackup: vi.fn(),
    };
    render(BackupSetting, { api });
    expect((await screen.findByTestId('backup-latest')).textContent).toBe('No backup yet.');
    expect((screen.getByLabelText('Backup folder (full path)') as HTMLInputElement).value).toBe(empty.folder);
    await fireEvent.click(screen.getByRole('button', { name: 'Back up now' }));
    expect(api.backUpNow).toHaveBeenCalledOnce();
    expect((await screen.findByRole('status')).textContent).toBe('Backed up: 120 clients, 4 cohorts, 2,210 messages.');
    expect(screen.getByTestId('backup-latest').textContent).toMatch(/120 clients, 4 cohorts, 2,210 messages\.\s+1 backup in the folder\./);
  });

  it('puts a refused folder under the field', async () => {
    const api = {
      backups: vi.fn(async () => empty),
      backUpNow: vi.fn(),
      setBackupFolder: vi.fn(async () => {
        throw JSON.stringify({ code: 'invalid', field: 'folder', message: 'Choose the backup folder by its full path (Sync is relative).' });
      }),
      planRestore: vi.fn(),
      restoreBackup: vi.fn(),
    };
    render(BackupSetting, { api });
    await screen.findByTestId('backup-latest');
    const input = screen.getByLabelText('Backup folder (full path)') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'Sync' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Use this folder' }).closest('form')!);
    expect(api.setBackupFolder).toHaveBeenCalledWith('Sync');
    expect((await screen.findByText(/by its full path/)).id).toBe('backup-folder-error');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('says when the automatic backup failed', async () => {
    const api = { backups: vi.fn(async () => ({ ...empty, dailyFailed: 'The disk is full, so nothing was saved.' })), backUpNow: vi.fn(), setBackupFolder: vi.fn(), planRestore: vi.fn(), restoreBackup: vi.fn() };
    render(BackupSetting, { api });
    expect((await screen.findByRole('alert')).textContent).toContain('The last automatic backup failed: The disk is full');
  });

  it('says what a backup holds and where the workspace is kept before restoring it', async () => {
    const keptAside = '/home/ana/.local/share/roundtable/workspace.db.before-restore-2026-12-02-101500';
    const api = {
      backups: vi.fn(async () => ({ ...empty, backups: [backup] })),
      backUpNow: vi.fn(),
      setBackupFolder: vi.fn(),
      planRestore: vi.fn(async () => ({ backup, workspace: '/home/ana/.local/share/roundtable/workspace.db', keptAside, done: false })),
      restoreBackup: vi.fn(async () => {}),
    };
    render(BackupSetting, { api });
    await screen.findByTestId('backup-latest');
    await fireEvent.click(screen.getByRole('button', { name: /^Restore the backup of / }));
    expect(api.planRestore).toHaveBeenCalledWith(backup.path);
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('holds 120 clients, 4 cohorts, 2,210 messages');
    expect(dialog.textContent).toContain(`kept as ${keptAside}`);
    expect(api.restoreBackup).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect(api.restoreBackup).toHaveBeenCalledWith(backup.path);
  });
});
