//go:build !linux || bindings

// Package display tells whether the window can open here, before anything
// loads GTK: both the command-line program (before it hands over to the window
// program) and the window program ask it.
package display

// Check: Windows and macOS always have a display for a desktop app, and
// generating the bindings opens none.
func Check() error { return nil }
