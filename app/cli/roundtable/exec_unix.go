//go:build !windows

package main

import (
	"syscall"

	"github.com/roundtablehq/roundtable/app"
)

const exeSuffix = ""

// run replaces this process with the window program: the process keeps its
// id, so whatever started "roundtable" (a desktop launcher, a script, the
// benchmarks) still holds the window, and its exit status is the window's. It
// returns only when the exec fails.
func run(window string, args []string) error {
	err := syscall.Exec(window, append([]string{window}, args...), syscall.Environ())
	return app.Wrap(app.EUNAVAILABLE, err, "The window program %s could not be started", window)
}
