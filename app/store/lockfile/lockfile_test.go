package lockfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLock takes the lock through one open file, is refused through a second
// one (as a second process would be), and gets it once the first lets go.
func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db.lock")
	open := func() *os.File {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	first, second := open(), open()
	if err := Lock(first); err != nil {
		t.Fatal(err)
	}
	if err := Lock(second); !errors.Is(err, ErrHeld) {
		t.Fatalf("got %v, want ErrHeld while the first holds it", err)
	}
	if err := Unlock(first); err != nil {
		t.Fatal(err)
	}
	if err := Lock(second); err != nil {
		t.Fatalf("got %v after the first let go, want the lock", err)
	}
	first.Close()
	third := open()
	if err := Lock(third); !errors.Is(err, ErrHeld) {
		t.Fatalf("got %v, want ErrHeld: closing another file frees nothing", err)
	}
}
