// Package secret keeps the coach's mail passwords out of the workspace file: in
// the system keyring (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows) and, where no keyring is available, in a file readable only
// by the user, with a notice the window shows so the coach knows.
package secret

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/roundtablehq/roundtable/app"
	"github.com/zalando/go-keyring"
)

// service is the name the passwords are filed under in the keyring.
const service = "Roundtable"

// Store reads and writes secrets.
type Store struct {
	file string // the fallback file
	// NoKeyring makes the store use the file only (tests, and systems where the
	// keyring prompts on every read).
	NoKeyring bool

	mu sync.Mutex
}

// New returns a store whose fallback file is path (created only when needed).
func New(path string) *Store { return &Store{file: path} }

// Get returns the secret called name; ENOTFOUND when there is none.
func (s *Store) Get(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.NoKeyring {
		v, err := keyring.Get(service, name)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, keyring.ErrNotFound) && !s.fileExists() {
			return "", app.Wrap(app.EUNAVAILABLE, err, "The system keyring could not be read; unlock it and try again")
		}
	}
	m, err := s.readFile()
	if err != nil {
		return "", err
	}
	v, ok := m[name]
	if !ok {
		return "", app.Errorf(app.ENOTFOUND, "No password is saved yet.")
	}
	return v, nil
}

// Set saves the secret. It tries the keyring first and falls back to the file.
func (s *Store) Set(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.NoKeyring {
		if err := keyring.Set(service, name, value); err == nil {
			return s.removeFromFile(name) // the keyring has it now: no copy in the file
		}
	}
	m, err := s.readFile()
	if err != nil {
		return err
	}
	m[name] = value
	return s.writeFile(m)
}

// Delete removes the secret wherever it is.
func (s *Store) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.NoKeyring {
		if err := keyring.Delete(service, name); err != nil && !errors.Is(err, keyring.ErrNotFound) && !s.fileExists() {
			return app.Wrap(app.EUNAVAILABLE, err, "The password could not be removed from the system keyring")
		}
	}
	return s.removeFromFile(name)
}

// Where says where the secret called name is kept, and a notice for the coach
// when it is the file.
func (s *Store) Where(name string) (place, notice string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, err := s.readFile(); err == nil {
		if _, ok := m[name]; ok {
			return s.file, "No system keyring was available, so the password is kept in " + s.file + ", readable only by your user account."
		}
	}
	return "system keyring", ""
}

func (s *Store) fileExists() bool {
	_, err := os.Stat(s.file)
	return err == nil
}

func (s *Store) readFile() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(s.file)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, app.Wrap(app.EUNAVAILABLE, err, "The password file %s could not be read", s.file)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, app.Wrap(app.EDAMAGED, err, "The password file %s is damaged; delete it and enter the password again", s.file)
	}
	return m, nil
}

func (s *Store) removeFromFile(name string) error {
	m, err := s.readFile()
	if err != nil || len(m) == 0 {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	if len(m) == 0 {
		return os.Remove(s.file)
	}
	return s.writeFile(m)
}

// writeFile writes the file with mode 0600 through a temporary file and a rename,
// so a crash never leaves half a file.
func (s *Store) writeFile(m map[string]string) error {
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.MkdirAll(filepath.Dir(s.file), 0o700); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	tmp := s.file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		os.Remove(tmp)
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved (is the disk full?)")
	}
	if err := os.Rename(tmp, s.file); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	return nil
}
