// Package lockfile takes an exclusive OS lock on an open file without waiting:
// flock on unix, LockFileEx on Windows. The OS releases the lock when the file is
// closed or the process ends, however it ends, so a crash never leaves it held.
package lockfile

import "errors"

// ErrHeld is returned by Lock when another open file holds the lock.
var ErrHeld = errors.New("lockfile: held by another process")
