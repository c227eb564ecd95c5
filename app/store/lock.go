package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store/lockfile"
)

// lock is the workspace's writer lock: an OS lock on a file beside the workspace
// (workspace.db.lock). The OS releases it when the process ends, however it ends,
// so a crash never leaves the workspace locked. The file holds the holder's pid and
// what it is (the window, or a command), for the sentence the next one reads.
type lock struct {
	f *os.File
}

// LockPath is the lock file of the workspace at path.
func LockPath(path string) string { return path + ".lock" }

// acquireLock takes the writer lock of the workspace at path for holder ("the
// window", "roundtable outbox send"), or refuses with an ELOCKED sentence naming
// the process that has it.
func acquireLock(path, holder string) (*lock, error) {
	name := LockPath(path)
	f, err := createPrivate(name, os.O_RDWR)
	if err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The lock file %s could not be created", name)
	}
	if err := lockfile.Lock(f); err != nil {
		f.Close()
		if errors.Is(err, lockfile.ErrHeld) {
			return nil, heldError(name)
		}
		return nil, app.Wrap(app.EINTERNAL, err, "The workspace %s could not be locked", path)
	}
	// Only the holder writes the file. Writing over the old line and then cutting
	// what is left keeps the moment a reader finds it empty as short as can be.
	line := []byte(fmt.Sprintf("%d\n%s\n", os.Getpid(), holder))
	if _, err := f.WriteAt(line, 0); err == nil {
		f.Truncate(int64(len(line)))
	}
	return &lock{f: f}, nil
}

// heldError is the coach's sentence when another process holds the lock: the
// window sends the outbox itself, a command is waited for.
func heldError(name string) error {
	// The holder writes its line just after taking the lock: give it a moment.
	var b []byte
	for range 40 {
		if b, _ = os.ReadFile(name); bytes.Count(b, []byte("\n")) >= 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	holder := ""
	if len(lines) >= 2 {
		holder = strings.TrimSpace(lines[1])
	}
	who := "another process"
	if pid > 0 {
		who = fmt.Sprintf("pid %d", pid)
	}
	if holder == "" {
		holder = "another Roundtable process"
	}
	if holder == HolderWindow {
		return app.Errorf(app.ELOCKED, "Roundtable is already open on this workspace (%s); it sends the outbox itself. Use that window, or close it first. Read-only commands such as \"roundtable outbox list\" work beside it.", who)
	}
	return app.Errorf(app.ELOCKED, "Another Roundtable job is working on this workspace (%s: %s). Try again when it has finished; read-only commands such as \"roundtable outbox list\" work beside it.", who, holder)
}

// HolderWindow names the window as the lock's holder.
const HolderWindow = "the window"

// release lets the next process in. The file stays: removing it would race with
// a process that opened it a moment before.
func (l *lock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	lockfile.Unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

// createPrivate opens name, creating it readable by the owner only (0600) whatever
// the umask: a workspace holds the coach's clients and their mail.
func createPrivate(name string, flag int) (*os.File, error) {
	_, statErr := os.Stat(name)
	f, err := os.OpenFile(name, flag|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}
