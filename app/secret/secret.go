// Package secret keeps the coach's mail passwords out of the workspace file: in
// the system keyring (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows). Only where no keyring can take them, and only once the
// coach has agreed (a confirm in the window, --password-file on the command
// line), are they kept in a file in the user's own config folder, readable by
// that user alone — never beside the workspace, which may sit in a synced folder.
package secret

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/roundtablehq/roundtable/app"
	"github.com/zalando/go-keyring"
)

// service is the name the passwords are filed under in the keyring.
const service = "Roundtable"

// FieldFileConsent is the Field of the error Set returns when only the file could
// take a password and the coach has not agreed to it: the window asks, the CLI
// names its flag.
const FieldFileConsent = "passwordFile"

// ErrNoConsent is in the chain of that error.
var ErrNoConsent = errors.New("secret: no keyring, and no consent to keep the password in a file")

// Store reads and writes secrets.
type Store struct {
	file string // the fallback file
	// NoKeyring makes the store use the file only (tests and scripts, through
	// ROUNDTABLE_KEYRING=off, which also counts as agreeing to the file).
	NoKeyring bool

	mu     sync.Mutex
	fileOK bool // the coach agreed to the file
}

// New returns a store whose fallback file is path (created only when needed).
func New(path string) *Store { return &Store{file: path} }

// DefaultFile is where the fallback file lives: the user's config folder
// (~/.config/roundtable/secrets.json on Linux, honouring $XDG_CONFIG_HOME).
func DefaultFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", app.Wrap(app.EUNAVAILABLE, err, "Your user's config folder could not be found (is $HOME set?)")
	}
	return filepath.Join(dir, "roundtable", "secrets.json"), nil
}

// File is the fallback file's path.
func (s *Store) File() string { return s.file }

// AllowFile records that the coach agreed to keep passwords in the file when the
// keyring cannot take them.
func (s *Store) AllowFile() {
	s.mu.Lock()
	s.fileOK = true
	s.mu.Unlock()
}

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

// Set saves the secret in the keyring. Where there is none, it goes to the file
// if the coach agreed (AllowFile, NoKeyring, or a file they agreed to earlier
// that still holds passwords); otherwise Set refuses with FieldFileConsent.
func (s *Store) Set(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var kerr error
	if !s.NoKeyring {
		if kerr = keyring.Set(service, name, value); kerr == nil {
			return s.removeFromFile(name) // the keyring has it now: no copy in the file
		}
	}
	if !s.NoKeyring && !s.fileOK && !s.fileExists() {
		return &app.Error{Code: app.EUNAVAILABLE, Field: FieldFileConsent,
			Message: fmt.Sprintf("No system keyring is available to keep the password. Roundtable can keep it in %s instead, a file only your user account can read, if you agree.", s.file),
			Err:     fmt.Errorf("%w: %v", ErrNoConsent, kerr)}
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

// Where says where the secret called name is kept ("system keyring" or the
// file's path), and a notice for the coach when it is the file.
func (s *Store) Where(name string) (place, notice string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, err := s.readFile(); err == nil {
		if _, ok := m[name]; ok {
			return s.file, "No system keyring was available, so with your agreement the password is kept in " + s.file + ", readable only by your user account."
		}
	}
	return "system keyring", ""
}

// MigrateFrom moves the passwords an older Roundtable kept in old (beside the
// workspace) into the keyring, or into the file where there is no keyring (the
// coach had agreed to a file then), and removes old. It does nothing when old
// does not exist, so calling it at every start moves the passwords once.
func (s *Store) MigrateFrom(old string) error {
	if old == "" || old == s.file {
		return nil
	}
	b, err := os.ReadFile(old)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The old password file %s could not be read", old)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The old password file %s is damaged; delete it and enter the password again", old)
	}
	s.AllowFile()
	for name, v := range m {
		if err := s.Set(name, v); err != nil {
			return err
		}
	}
	if err := os.Remove(old); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The old password file %s could not be removed", old)
	}
	return nil
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

// writeFile writes the file atomically: a temporary file (0600) in the same
// folder (0700), synced to disk, renamed over the old one, and the folder synced,
// so a crash or a full disk leaves the old file or the new one, never half of one
// and never a stray copy of a password.
func (s *Store) writeFile(m map[string]string) (err error) {
	b, _ := json.MarshalIndent(m, "", "  ")
	dir := filepath.Dir(s.file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	tmp, err := os.CreateTemp(dir, ".secrets-*.tmp") // created 0600
	if err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved (is the disk full?)")
	}
	if err = tmp.Sync(); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved (is the disk full?)")
	}
	if err = tmp.Close(); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved (is the disk full?)")
	}
	if err = os.Rename(tmp.Name(), s.file); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The password could not be saved")
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // the rename itself survives a power cut; not all file systems support it
		d.Close()
	}
	return nil
}

// Open returns the user's password store: the keyring, with the file in the
// user's config folder as the fallback, after moving any passwords an older
// Roundtable kept beside the workspace (workspace + ".secrets.json"). noKeyring
// (ROUNDTABLE_KEYRING=off) uses the file only; setting it is agreeing to the file.
// The store is usable even when the error (from the move) is not nil.
func Open(workspace string, noKeyring bool) (*Store, error) {
	file, err := DefaultFile()
	if err != nil {
		return New(""), err
	}
	s := New(file)
	s.NoKeyring = noKeyring
	if noKeyring {
		s.AllowFile()
	}
	if workspace != "" {
		err = s.MigrateFrom(workspace + ".secrets.json")
	}
	return s, err
}
