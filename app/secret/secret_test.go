package secret

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/zalando/go-keyring"
)

// noKeyring makes go-keyring fail as it does where no Secret Service runs.
func noKeyring(t *testing.T) {
	t.Helper()
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
}

func TestFileFallback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "roundtable", "secrets.json")
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
	dir, _ := os.Stat(filepath.Dir(path))
	if dir.Mode().Perm() != 0o700 {
		t.Fatalf("got folder mode %v, want 0700", dir.Mode().Perm())
	}
	if place, notice := s.Where("smtp"); place != path || !strings.Contains(notice, "readable only by your user account") {
		t.Fatalf("got %q %q, want the file named with a visible notice", place, notice)
	}
	s.Delete("smtp")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("got %v, want the file removed with its last secret", err)
	}
}

func TestAtomicWriteLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	s := New(filepath.Join(dir, "secrets.json"))
	s.NoKeyring = true
	for i, name := range []string{"smtp:a@h", "imap:a@h", "smtp:b@h"} {
		if err := s.Set(name, strings.Repeat("x", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	s.Delete("imap:a@h")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "secrets.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("got %v in the folder, want only secrets.json", names)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "secrets.json"))
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || len(m) != 2 || m["smtp:b@h"] != "xxx" {
		t.Fatalf("got %s (%v), want two passwords in valid JSON", b, err)
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

func TestNoKeyringNeedsConsent(t *testing.T) {
	noKeyring(t)
	path := filepath.Join(t.TempDir(), "secrets.json")
	s := New(path)
	t.Run("ErrNoConsent", func(t *testing.T) {
		err := s.Set("smtp", "hunter2")
		if !errors.Is(err, ErrNoConsent) || app.ErrorField(err) != FieldFileConsent {
			t.Fatalf("got %v (field %q), want a refusal asking for consent", err, app.ErrorField(err))
		}
		if !strings.Contains(app.ErrorMessage(err), path) {
			t.Fatalf("got %q, want the sentence to name the file", app.ErrorMessage(err))
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatal("the password was written without the coach's consent")
		}
	})
	t.Run("OK", func(t *testing.T) {
		s.AllowFile()
		if err := s.Set("smtp", "hunter2"); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Get("smtp"); err != nil || v != "hunter2" {
			t.Fatalf("got %q, %v; want the password from the file", v, err)
		}
		// A later process finds the file the coach agreed to and keeps using it.
		again := New(path)
		if err := again.Set("imap", "x"); err != nil {
			t.Fatalf("got %v, want the agreed file used again", err)
		}
	})
}

func TestMigrateFromBesideTheWorkspace(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "Dropbox", "workspace.db")
	os.MkdirAll(filepath.Dir(ws), 0o755)
	old := ws + ".secrets.json"
	if err := os.WriteFile(old, []byte(`{"smtp:coach@smtp.example":"hunter2"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	newFile := filepath.Join(t.TempDir(), "config", "roundtable", "secrets.json")

	t.Run("IntoTheFileWithoutKeyring", func(t *testing.T) {
		noKeyring(t)
		s := New(newFile)
		if err := s.MigrateFrom(old); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Fatalf("got %v, want the file beside the workspace removed", err)
		}
		if v, err := s.Get("smtp:coach@smtp.example"); err != nil || v != "hunter2" {
			t.Fatalf("got %q, %v; want the password in the new place", v, err)
		}
		if place, _ := s.Where("smtp:coach@smtp.example"); place != newFile {
			t.Fatalf("got %q, want %q", place, newFile)
		}
		// Once: a second start finds nothing to move and changes nothing.
		before, _ := os.ReadFile(newFile)
		if err := New(newFile).MigrateFrom(old); err != nil {
			t.Fatal(err)
		}
		if after, _ := os.ReadFile(newFile); string(after) != string(before) {
			t.Fatalf("got %s, want %s unchanged", after, before)
		}
	})
	t.Run("IntoTheKeyring", func(t *testing.T) {
		keyring.MockInit()
		os.WriteFile(old, []byte(`{"imap:coach@imap.example":"s3cret"}`), 0o600)
		other := filepath.Join(t.TempDir(), "secrets.json")
		s := New(other)
		if err := s.MigrateFrom(old); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Fatalf("got %v, want the old file removed", err)
		}
		if _, err := os.Stat(other); !os.IsNotExist(err) {
			t.Fatalf("got %v, want no file: the keyring took the password", err)
		}
		if place, _ := s.Where("imap:coach@imap.example"); place != "system keyring" {
			t.Fatalf("got %q, want the keyring", place)
		}
	})
}

func TestDefaultFileIsInTheUsersConfigFolder(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	got, err := DefaultFile()
	if err != nil || got != filepath.Join(cfg, "roundtable", "secrets.json") {
		t.Fatalf("got %q, %v; want %q", got, err, filepath.Join(cfg, "roundtable", "secrets.json"))
	}
}
