package main

import (
	"os"
	"os/exec"

	"github.com/roundtablehq/roundtable/app"
)

const exeSuffix = ".exe"

// run starts the window program and leaves it running: Windows has no exec
// that keeps the process, and a console should not wait on a window. (The
// Windows packages ship one program that is both; see docs/benchmarks.md.)
func run(window string, args []string) error {
	cmd := exec.Command(window, args...)
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The window program %s could not be started", window)
	}
	return cmd.Process.Release()
}
