package ui

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/backup"
	"github.com/roundtablehq/roundtable/app/demo"
	"github.com/roundtablehq/roundtable/app/store"
)

// dailyState is what the automatic backup last said, for the window to show.
type dailyState struct {
	mu     sync.Mutex
	failed string
}

// BackUpNow copies the workspace into the backup folder while the window works
// on ("Back up now").
func (s *WorkspaceService) BackUpNow() (app.BackupResult, error) {
	ctx, done := s.startJob("backup")
	defer done()
	dir, err := backup.Folder(ctx, s.db)
	if err != nil {
		return app.BackupResult{}, fail(err)
	}
	res, err := backup.Create(ctx, s.db, dir, time.Now())
	return res, fail(err)
}

// CancelBackup stops a backup under way; it leaves no partial copy.
func (s *WorkspaceService) CancelBackup() { s.cancelJob("backup") }

// Backups returns the backup folder, the copies in it and how the last
// automatic backup went.
func (s *WorkspaceService) Backups() (app.BackupFolder, error) {
	dir, err := backup.Folder(s.ctx, s.db)
	if err != nil {
		return app.BackupFolder{}, fail(err)
	}
	bs, err := backup.List(s.ctx, dir)
	s.daily.mu.Lock()
	defer s.daily.mu.Unlock()
	return app.BackupFolder{Folder: dir, Backups: bs, DailyFailed: s.daily.failed}, fail(err)
}

// SetBackupFolder makes dir (a full path; "" for the default beside the
// workspace) the folder backups go to.
func (s *WorkspaceService) SetBackupFolder(dir string) (app.BackupFolder, error) {
	if err := backup.SetFolder(s.ctx, s.db, dir); err != nil {
		return app.BackupFolder{}, fail(err)
	}
	return s.Backups()
}

// StartBackups makes the daily automatic backup while the window is open:
// after wait (so that the copy does not compete with the window's first
// paint) when the newest copy is a day old, then checking every interval. A
// function, not a method, so that the window cannot call it.
func StartBackups(ctx context.Context, s *WorkspaceService, wait, interval time.Duration) {
	if _, isDemo := demo.ReturnTo(ctx, s.db); isDemo {
		return // made-up data: nothing to lose
	}
	go func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backup.Every(ctx, s.db, interval, s.dailyReport)
	}()
}

// dailyReport keeps what the last automatic backup said, for Backups.
func (s *WorkspaceService) dailyReport(err error) {
	if err != nil {
		slog.Error("daily backup", "err", err)
	}
	s.daily.mu.Lock()
	s.daily.failed = app.ErrorMessage(err)
	s.daily.mu.Unlock()
}

// RestoredEnv carries what a restore made from the window said, from the
// process that restored (after its window closed) to the window it starts
// again (RestoredNote).
const RestoredEnv = "ROUNDTABLE_RESTORED"

// OnRestore sets how the window restores a backup: main.go closes the window
// (releasing the workspace), calls RestoreAfterClose and starts again on the
// workspace. A function, not a method, so that the window cannot call it.
func OnRestore(s *WorkspaceService, restore func(file string)) { s.restore = restore }

// PlanRestore says what restoring the backup at file would do — what it holds
// (read from the copy, checked through) and where the workspace as it is now
// would be kept — changing nothing. A damaged or foreign copy is refused here,
// before the window closes.
func (s *WorkspaceService) PlanRestore(file string) (app.RestoreResult, error) {
	res, err := backup.Restore(s.ctx, s.path, file, store.HolderWindow, time.Now(), false)
	return res, fail(err)
}

// RestoreBackup checks the backup at file once more, then closes the window
// and restores it; the window opens again on the restored workspace and says
// how it went (RestoredNote).
func (s *WorkspaceService) RestoreBackup(file string) error {
	if _, err := s.PlanRestore(file); err != nil {
		return err
	}
	if s.restore == nil {
		return fail(app.Errorf(app.EUNAVAILABLE, "Restoring is not available in this window; use “roundtable backup restore”."))
	}
	s.restore(file)
	return nil
}

// RestoreAfterClose restores the backup at file into the workspace, once the
// window that asked for it has closed, and returns the sentence the next
// window shows: what was restored and where the old workspace is kept, or
// why nothing was changed.
func RestoreAfterClose(workspace, file string) string {
	res, err := backup.Restore(context.Background(), workspace, file, store.HolderWindow, time.Now(), true)
	if err != nil {
		return "The backup was not restored, and the workspace is as it was: " + app.ErrorMessage(err)
	}
	b := res.Backup
	note := fmt.Sprintf("Restored the backup of %s (%s, %s, %s).", b.TakenAt.Local().Format("2 January 2006, 15:04"),
		count(b.Clients, "client"), count(b.Cohorts, "cohort"), count(b.Messages, "message"))
	if res.KeptAside != "" {
		note += " The workspace as it was is kept as " + res.KeptAside + "."
	}
	return note
}

// RestoredNote is what the restore that started this window said; "" when
// this window did not follow a restore.
func (s *WorkspaceService) RestoredNote() string { return s.restored }

// count is "1 client", "2 clients".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
