package main

import (
	"os"
	"runtime/pprof"
)

// With ROUNDTABLE_CPU_PROFILE=FILE a command writes a CPU profile of its whole
// run, for measuring a command as the coach runs it (a fresh process, start to
// exit) rather than in a test binary; docs/benchmarks.md says where it was used.
// It returns the function that ends the profile.
func cpuProfile() func() {
	path := os.Getenv("ROUNDTABLE_CPU_PROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
