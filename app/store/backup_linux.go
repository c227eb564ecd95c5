package store

import (
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// flushCopy writes out the pages of the copy f that are waiting in the kernel
// and waits for them, without fsync's journal commit and cache flush (which
// would make the writer's own fsync wait): sync_file_range over the whole file.
func flushCopy(f *os.File) error {
	return unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
}

// ioprio_set(2)'s constants, which x/sys/unix does not name.
const (
	ioprioWhoProcess = 1
	ioprioClassBE    = 2
	ioprioClassShift = 13
)

// copyNice is the CPU niceness of behind's thread (BenchmarkBackupLarge can
// try others with BENCH_COPY_NICE; 0 leaves the CPU priority as it is).
var copyNice = 10

// behind runs job on a thread of its own that yields to the rest of the app:
// nice 10 for the CPU, and the lowest best-effort I/O priority for the reads
// and writes it starts itself (the copy's flushes). Linux sets both per
// thread; the thread is never given back to Go (no UnlockOSThread), so it ends
// with job, and no other goroutine ever runs at its priority. (While the
// kernel makes this thread wait, the Go processor handed to it waits too; on
// the loaded test machine nice 10 measured no worse than nice 0, see
// docs/benchmarks.md.)
func behind(job func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		tid := unix.Gettid()
		if copyNice != 0 {
			unix.Setpriority(unix.PRIO_PROCESS, tid, copyNice)
		}
		unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, uintptr(tid), ioprioClassBE<<ioprioClassShift|7)
		done <- job()
	}()
	return <-done
}
