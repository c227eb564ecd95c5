//go:build windows

package lockfile

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockedRange is far past the pid and holder written in the file: Windows locks
// are mandatory, and a locked first byte would stop the next process from
// reading whom to name in its sentence.
func lockedRange() *windows.Overlapped { return &windows.Overlapped{OffsetHigh: 1} }

// Lock takes an exclusive lock on one byte of f without waiting; Windows
// releases it when the handle closes or the process ends.
func Lock(f *os.File) error {
	ol := lockedRange()
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return ErrHeld
	}
	return err
}

// Unlock releases the lock; closing the file does too.
func Unlock(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, lockedRange())
}
