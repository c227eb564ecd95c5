//go:build !windows

package main

import (
	"os"
	"syscall"
)

// relaunch replaces this process with Roundtable on the workspace at path, with
// the window's own arguments (the dev build's -devserver among them). The
// process keeps its id, so whatever started it still waits on it; the workspace
// lock and the window's sockets close on exec.
func relaunch(path string, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(exe, append([]string{exe, "--workspace", path}, args...), os.Environ())
}
