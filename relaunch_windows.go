package main

import (
	"os"
	"os/exec"
)

// relaunch starts Roundtable again on the workspace at path (Windows has no
// exec that keeps the process) and leaves; main exits after it returns.
func relaunch(path string, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, append([]string{"--workspace", path}, args...)...)
	return cmd.Start()
}
