package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// A start must not read the whole workspace every time (a CLI command that finds
// nothing new should finish in a blink), but a workspace that may be damaged is
// still checked through before anything writes to it.
func TestCheckThroughOnlyWhenNeeded(t *testing.T) {
	path := t.TempDir() + "/workspace.db"
	reopen := func() *DB {
		t.Helper()
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := reopen()
	mustClient(t, db, "Ana Lima", "ana@example.com")
	db.Close()

	db = reopen()
	if db.CheckedBecause != "" {
		t.Errorf("closed cleanly and unchanged: checked through because %q", db.CheckedBecause)
	}
	// A crash: the process ends holding the lock, its pid still in the file.
	held, err := os.ReadFile(LockPath(path))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.WriteFile(LockPath(path), held, 0o600)
	db = reopen()
	if !strings.Contains(db.CheckedBecause, "not closed cleanly") {
		t.Errorf("after a crash: checked because %q", db.CheckedBecause)
	}
	db.Close()

	// Changed by something else since (a copy put back, a sync client).
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	db = reopen()
	if !strings.Contains(db.CheckedBecause, "changed") {
		t.Errorf("after the file changed: checked because %q", db.CheckedBecause)
	}
	db.Close()

	// The weekly check.
	line, _ := os.ReadFile(LockPath(path))
	var checked, size, mtime int64
	if _, err := fmt.Sscanf(string(line), "closed %d %d %d", &checked, &size, &mtime); err != nil {
		t.Fatalf("lock file after a clean close: %q: %v", line, err)
	}
	os.WriteFile(LockPath(path), fmt.Appendf(nil, "closed %d %d %d\n", time.Now().Add(-8*24*time.Hour).Unix(), size, mtime), 0o600)
	db = reopen()
	if !strings.Contains(db.CheckedBecause, "weekly") {
		t.Errorf("eight days after the last check: checked because %q", db.CheckedBecause)
	}
	db.Close()
	if db = reopen(); db.CheckedBecause != "" {
		t.Errorf("right after the weekly check: checked again because %q", db.CheckedBecause)
	}
	db.Close()
}

// Damage found after a crash is refused before anything writes, file untouched.
func TestDamageAfterACrashIsRefused(t *testing.T) {
	path := t.TempDir() + "/workspace.db"
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		mustClient(t, db, "Client", fmt.Sprintf("client%d@example.com", i))
	}
	db.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	held, _ := os.ReadFile(LockPath(path))
	db.Close()
	os.WriteFile(LockPath(path), held, 0o600)
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	st, _ := f.Stat()
	junk := []byte(strings.Repeat("\xa5", 8192))
	f.WriteAt(junk, st.Size()/2)
	f.Close()
	// The scribble keeps size and time as they were: only the crash tells.
	os.Chtimes(path, st.ModTime(), st.ModTime())
	before, _ := os.ReadFile(path)
	_, err = Open(path)
	wantCode(t, err, app.EDAMAGED)
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the damaged file was changed")
	}
}
