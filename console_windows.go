package main

import (
	"os"
	"syscall"
)

// attachConsole lets the CLI print in the Command Prompt it was started from.
// roundtable.exe is a GUI program (no console window flashes when the coach opens
// it from the Start menu), so Windows gives it no console: it borrows its
// parent's. Output already redirected to a file or pipe is left as it is.
func attachConsole() {
	if valid(os.Stdout) && valid(os.Stderr) {
		return
	}
	const attachParentProcess = ^uintptr(0)
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started without a console: nothing to print to
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if !valid(os.Stdout) {
			os.Stdout = out
		}
		if !valid(os.Stderr) {
			os.Stderr = out
		}
	}
	if !valid(os.Stdin) {
		if in, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = in
		}
	}
}

// valid reports whether f is an open handle (a GUI program's standard handles
// are 0 unless its parent redirected them).
func valid(f *os.File) bool {
	if f == nil {
		return false
	}
	h := syscall.Handle(f.Fd())
	if h == 0 || h == syscall.InvalidHandle {
		return false
	}
	_, err := syscall.GetFileType(h)
	return err == nil
}
