package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestBackUpNow: the window's "Back up now" writes a checked copy into the
// folder the coach chose, and the list shows what it holds.
func TestBackUpNow(t *testing.T) {
	ctx := context.Background()
	ws := filepath.Join(t.TempDir(), "workspace.db")
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.CreateClient(ctx, app.ClientInput{Name: "Ada", Email: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	svc := NewWorkspaceService(db, ws)
	Startup(ctx, svc)

	_, err = svc.SetBackupFolder("Sync")
	var be *BridgeError
	if !errors.As(err, &be) || be.Code != app.EINVALID || be.Field != "folder" {
		t.Fatalf("got %v, want a relative folder refused on the folder field", err)
	}
	dir := filepath.Join(t.TempDir(), "Sync")
	folder, err := svc.SetBackupFolder(dir)
	if err != nil || folder.Folder != dir || len(folder.Backups) != 0 {
		t.Fatalf("got %+v (%v), want the empty folder %s", folder, err, dir)
	}
	res, err := svc.BackUpNow()
	if err != nil || filepath.Dir(res.Backup.Path) != dir || res.Backup.Clients != 1 {
		t.Fatalf("got %+v (%v), want a backup with Ada in %s", res, err, dir)
	}
	folder, err = svc.Backups()
	if err != nil || len(folder.Backups) != 1 || folder.Backups[0].Path != res.Backup.Path || folder.DailyFailed != "" {
		t.Fatalf("got %+v (%v), want the one backup listed", folder, err)
	}
}

// TestStartBackups: with the window open, a workspace with no backup yet gets
// one at once.
func TestStartBackups(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "workspace.db")
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := NewWorkspaceService(db, ws)
	ctx, cancel := context.WithCancel(context.Background())
	Startup(ctx, svc)
	StartBackups(ctx, svc, 0, time.Hour)
	defer cancel()
	dir := filepath.Join(filepath.Dir(ws), "backups")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if found, _ := filepath.Glob(filepath.Join(dir, "roundtable-*.db")); len(found) == 1 {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("got %v in %s after 10 s, want the daily backup", entries, dir)
		}
	}
}
