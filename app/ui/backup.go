package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/backup"
	"github.com/roundtablehq/roundtable/app/demo"
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
