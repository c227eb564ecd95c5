package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/zalando/go-keyring"
)

func TestFileFallback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	s := New(path)
	s.NoKeyring = true
	if _, err := s.Get("smtp"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("got %v, want ENOTFOUND before anything is saved", err)
	}
	if err := s.Set("smtp", "hunter2"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get("smtp"); err != nil || v != "hunter2" {
		t.Fatalf("got %q, %v; want the saved password", v, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("got mode %v, want 0600: readable only by the user", st.Mode().Perm())
	}
	if place, notice := s.Where("smtp"); place != path || !strings.Contains(notice, "readable only by your user account") {
		t.Fatalf("got %q %q, want the file named with a visible notice", place, notice)
	}
	s.Delete("smtp")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("got %v, want the file removed with its last secret", err)
	}
}

func TestKeyring(t *testing.T) {
	keyring.MockInit() // go-keyring's in-memory provider: no desktop session in tests
	path := filepath.Join(t.TempDir(), "secrets.json")
	s := New(path)
	if err := s.Set("smtp", "hunter2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("smtp"); v != "hunter2" {
		t.Fatalf("got %q, want the password from the keyring", v)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("the password was written to the file although the keyring took it")
	}
	if place, notice := s.Where("smtp"); place != "system keyring" || notice != "" {
		t.Fatalf("got %q %q, want the keyring and no notice", place, notice)
	}
}
