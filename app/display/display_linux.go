//go:build linux && !bindings

// Package display tells whether the window can open here, before anything
// loads GTK: both the command-line program (before it hands over to the window
// program) and the window program ask it.
package display

import (
	"os"

	"github.com/roundtablehq/roundtable/app"
)

// Check says in a sentence that the window cannot open, where GTK would
// otherwise abort with a stack of C warnings: over ssh, in a container, from
// cron.
func Check() error {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return app.Errorf(app.EUNAVAILABLE, "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run Roundtable from your desktop, or give it a command: \"roundtable help\" lists them.")
	}
	return nil
}
