// Typed calls to WorkspaceService (app/ui/workspace.go).
import * as svc from '../../../wailsjs/go/ui/WorkspaceService';
import type { About, BackgroundRun, BackupFolder, BackupResult, Choices, RestoreResult, WorkspaceInfo } from './types';

export const workspaceApi = {
  info: (): Promise<WorkspaceInfo> => svc.Info(),
  choices: (): Promise<Choices> => svc.Choices(),
  /** openInBrowser opens a web or mail link in the system browser (Go refuses other schemes). */
  openInBrowser: (url: string): Promise<void> => svc.OpenInBrowser(url),
  /** openDemo makes a fresh demo workspace and reopens the window on it (the page reloads). */
  openDemo: (): Promise<void> => svc.OpenDemo(),
  /** leaveDemo reopens the window on the coach's own workspace. */
  leaveDemo: (): Promise<void> => svc.LeaveDemo(),
  about: (): Promise<About> => svc.About(),
  /** quit remembers the window's size and place, then closes it and ends the app. */
  quit: (): Promise<void> => svc.Quit(),
  /** backgroundRun is the system job that runs what is due while the window is closed, and its last run. */
  backgroundRun: (): Promise<BackgroundRun> => svc.BackgroundRun(),
  installBackgroundRun: (): Promise<BackgroundRun> => svc.InstallBackgroundRun(),
  removeBackgroundRun: (): Promise<BackgroundRun> => svc.RemoveBackgroundRun(),
  /** backups is the backup folder, the copies in it (newest first) and how the last automatic backup went. */
  backups: (): Promise<BackupFolder> => svc.Backups(),
  /** backUpNow copies the workspace into the backup folder while the window works on. */
  backUpNow: (): Promise<BackupResult> => svc.BackUpNow(),
  cancelBackup: (): Promise<void> => svc.CancelBackup(),
  /** setBackupFolder chooses the folder by its full path; "" goes back to the default beside the workspace. */
  setBackupFolder: (dir: string): Promise<BackupFolder> => svc.SetBackupFolder(dir),
  /** exportEverything writes the workspace as JSON (a file) or CSV (a folder) where the coach chooses; "" when cancelled. */
  exportEverything: (format: 'json' | 'csv'): Promise<string> => svc.ExportEverything(format),
  /** planRestore says what restoring a backup would do (what it holds, where the workspace is kept), changing nothing. */
  planRestore: (file: string): Promise<RestoreResult> => svc.PlanRestore(file) as Promise<RestoreResult>,
  /** restoreBackup closes the window, restores the backup and opens the window again on it. */
  restoreBackup: (file: string): Promise<void> => svc.RestoreBackup(file),
  /** restoredNote is what the restore that started this window said; "" otherwise. */
  restoredNote: (): Promise<string> => svc.RestoredNote(),
};
