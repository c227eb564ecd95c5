package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// With ROUNDTABLE_HEAP_PROFILE=FILE the app writes a heap profile of what the Go
// code holds, IDLE seconds after start (ROUNDTABLE_HEAP_PROFILE_AFTER, default
// 15), for scripts/bench/memory.sh: the process also holds WebKitGTK's UI side,
// whose memory no Go profile shows, so the two are measured apart.
func init() {
	path := os.Getenv("ROUNDTABLE_HEAP_PROFILE")
	if path == "" {
		return
	}
	after := 15 * time.Second
	if d, err := time.ParseDuration(os.Getenv("ROUNDTABLE_HEAP_PROFILE_AFTER")); err == nil {
		after = d
	}
	go func() {
		time.Sleep(after)
		runtime.GC()
		f, err := os.Create(path)
		if err != nil {
			return
		}
		defer f.Close()
		pprof.WriteHeapProfile(f)
	}()
}
