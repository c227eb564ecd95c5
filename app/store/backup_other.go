//go:build !linux

package store

import "os"

// flushCopy puts the pages of the copy f written so far on the disk, so that
// they do not pile up in front of the writer's commits (see CopyInto).
func flushCopy(f *os.File) error {
	return f.Sync()
}

// copyNice is unused here: only Linux gives one thread a priority of its own.
var copyNice = 0

// behind runs job; only Linux lowers the priority of a single thread.
func behind(job func() error) error {
	return job()
}
