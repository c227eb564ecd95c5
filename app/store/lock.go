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
	f         *os.File
	workspace string
	// closed is what the previous holder wrote when it closed the workspace
	// (zero after a crash); checked is when the file was last checked through
	// (quick_check).
	closed  closedState
	checked time.Time
}

// closedState is the lock file's line after a clean close: when the workspace
// was last checked through, and its size and modification time at close, so
// that a file changed by anything else since (a restored copy, a sync client,
// a disk fault that rewrote it) is checked again.
type closedState struct {
	checked time.Time
	size    int64
	mtime   int64 // nanoseconds
}

// checkEvery is how often a workspace that is always closed cleanly is still
// checked through at open. A check reads the whole file (a second or more for
// years of mail), so it is not on every start: a CLI command that finds nothing
// new must finish in a blink.
const checkEvery = 7 * 24 * time.Hour

// checkReason says why the workspace should be checked through at this open,
// or "" when it need not be: after a crash, a power cut or a kill (the previous
// holder never wrote "closed"), when the file changed since it was closed, on a
// workspace never opened here (no lock file yet), and once a week.
func (l *lock) checkReason(now time.Time) string {
	switch {
	case l.closed.checked.IsZero():
		return "it was not closed cleanly last time"
	case now.Sub(l.closed.checked) >= checkEvery || now.Before(l.closed.checked):
		return "the weekly check is due"
	}
	st, err := os.Stat(l.workspace)
	if err != nil || st.Size() != l.closed.size || st.ModTime().UnixNano() != l.closed.mtime {
		return "the file changed since Roundtable closed it"
	}
	return ""
}

// closedPrefix starts the lock file's single line once its holder closed the
// workspace; the holder's own content is two lines (pid, holder), so heldError
// never takes one for the other.
const closedPrefix = "closed "

// readClosed reads what the previous holder left in the lock file.
func (l *lock) readClosed() {
	b := make([]byte, 128)
	n, _ := l.f.ReadAt(b, 0)
	rest, ok := strings.CutPrefix(strings.TrimSpace(string(b[:n])), closedPrefix)
	if !ok {
		return
	}
	var checked, size, mtime int64
	if k, err := fmt.Sscanf(rest, "%d %d %d", &checked, &size, &mtime); err == nil && k == 3 {
		l.closed = closedState{checked: time.Unix(checked, 0), size: size, mtime: mtime}
		l.checked = l.closed.checked
	}
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
	l := &lock{f: f, workspace: path}
	l.readClosed()
	// Only the holder writes the file. Writing over the old line and then cutting
	// what is left keeps the moment a reader finds it empty as short as can be.
	l.write(fmt.Sprintf("%d\n%s\n", os.Getpid(), holder))
	return l, nil
}

func (l *lock) write(content string) {
	if _, err := l.f.WriteAt([]byte(content), 0); err == nil {
		l.f.Truncate(int64(len(content)))
	}
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
	// Written last, under the lock: a process killed before this line leaves
	// its pid in the file, and the next open checks the workspace through.
	if st, err := os.Stat(l.workspace); err == nil && !l.checked.IsZero() {
		l.write(fmt.Sprintf("%s%d %d %d\n", closedPrefix, l.checked.Unix(), st.Size(), st.ModTime().UnixNano()))
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
