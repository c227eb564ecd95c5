//go:build !linux || bindings

package main

// checkDisplay: Windows and macOS always have a display for a desktop app, and
// generating the bindings opens none.
func checkDisplay() error { return nil }
