//go:build !windows

package main

// attachConsole is needed on Windows only, where roundtable.exe is a GUI program.
func attachConsole() {}
