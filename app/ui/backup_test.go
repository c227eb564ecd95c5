package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// TestRestoreFromTheWindow: the window says what a backup holds before
// anything changes, refuses a damaged copy while still open, and once closed
// the backup is restored, the workspace as it was kept aside, and the next
// window told so.
func TestRestoreFromTheWindow(t *testing.T) {
	ctx := context.Background()
	ws := filepath.Join(t.TempDir(), "workspace.db")
	db, err := store.OpenAs(ws, store.HolderWindow)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.CreateClient(ctx, app.ClientInput{Name: "Ada", Email: "ada@example.com"})
	svc := NewWorkspaceService(db, ws)
	Startup(ctx, svc)
	var asked string
	OnRestore(svc, func(file string) { asked = file })
	svc.SetBackupFolder(filepath.Join(t.TempDir(), "Sync"))
	res, err := svc.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	db.CreateClient(ctx, app.ClientInput{Name: "Grace", Email: "grace@example.com"}) // after the backup

	plan, err := svc.PlanRestore(res.Backup.Path)
	if err != nil || plan.Done || plan.Backup.Clients != 1 || plan.KeptAside == "" {
		t.Fatalf("got %+v (%v), want the plan: 1 client, the workspace kept aside, nothing done", plan, err)
	}
	damaged := filepath.Join(t.TempDir(), "roundtable-2026-11-30-090000.db")
	os.WriteFile(damaged, []byte("SQLite format 3\x00 but not really"), 0o600)
	if err := svc.RestoreBackup(damaged); err == nil || asked != "" {
		t.Fatalf("got %v (asked %q), want a damaged copy refused while the window is open", err, asked)
	}
	if err := svc.RestoreBackup(res.Backup.Path); err != nil || asked != res.Backup.Path {
		t.Fatalf("got %v (asked %q), want the window to close for the restore", err, asked)
	}
	if note := RestoreAfterClose(ws, asked); !strings.Contains(note, "not restored") {
		t.Fatalf("got %q while the window still holds the workspace, want it refused", note)
	}
	db.Close() // the window closes

	note := RestoreAfterClose(ws, asked)
	if !strings.HasPrefix(note, "Restored the backup of ") || !strings.Contains(note, "(1 client, 0 cohorts") || !strings.Contains(note, "kept as "+ws+".before-restore") {
		t.Fatalf("got %q, want the restore and where the old workspace is kept", note)
	}
	again, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if cs, _ := again.AllClients(ctx, false); len(cs) != 1 || cs[0].Email != "ada@example.com" {
		t.Fatalf("got %+v, want only Ada, as in the backup", cs)
	}
	t.Setenv(RestoredEnv, note)
	next := NewWorkspaceService(again, ws)
	if got := next.RestoredNote(); got != note || next.RestoredNote() != note || os.Getenv(RestoredEnv) != "" {
		t.Fatalf("got %q, want the note for this window, and none left for a later reopen", got)
	}
}
