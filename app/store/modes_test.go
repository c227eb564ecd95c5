//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFileModes (unix only: Windows has no such modes) checks that the workspace and everything Roundtable makes beside
// it are readable by the coach alone, whatever the umask: files 0600, folders 0700.
func TestFileModes(t *testing.T) {
	old := syscall.Umask(0) // the modes are set, not left to the umask
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "new", "folder")
	path := filepath.Join(dir, "workspace.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustClient(t, db, "Ada", "ada@example.com")
	bak, err := db.Backup("test")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", LockPath(path), bak} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: got mode %o, want 600", filepath.Base(p), got)
		}
	}
	for _, d := range []string{dir, filepath.Dir(dir)} {
		st, _ := os.Stat(d)
		if got := st.Mode().Perm(); got != 0o700 {
			t.Errorf("%s: got mode %o, want 700", d, got)
		}
	}
}
