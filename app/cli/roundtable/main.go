// Command roundtable is Roundtable's command-line program: it runs the
// commands of app/cli and links neither Wails nor GTK and WebKitGTK, so that a
// command does not pay for loading the webview's 169 shared libraries (about
// 100 ms on Linux, before main runs; docs/benchmarks.md). With no command, or
// "open", it hands over to the window program installed with it
// (roundtable-window), with the same arguments.
//
// The window program (the repository's top-level main package) still runs
// every command too, for whoever calls it directly.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/cli"
	"github.com/roundtablehq/roundtable/app/display"
)

func main() {
	workspace, args := cli.TakeWorkspaceFlag(os.Args[1:])
	if cli.IsCommand(args) {
		stop := cpuProfile()
		code := cli.Run(&cli.Env{Ctx: context.Background(), Workspace: workspace,
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, args)
		stop()
		os.Exit(code)
	}
	if err := openWindow(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "roundtable:", app.ErrorMessage(err))
		os.Exit(1)
	}
}

// openWindow hands over to the window program, with the same arguments
// (--workspace and the window's own options among them); see run.
func openWindow(args []string) error {
	if err := display.Check(); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "Roundtable cannot find where it is installed, so it cannot open the window")
	}
	window, tried := findWindow(self)
	if window == "" {
		return app.Errorf(app.EUNAVAILABLE, "The window is not installed (looked for %s). Reinstall Roundtable, or give it a command: \"roundtable help\" lists them.", strings.Join(tried, " or "))
	}
	return run(window, args)
}

// windowName is the window program's file name (roundtable-window.exe on Windows).
var windowName = "roundtable-window" + exeSuffix

// findWindow returns the window program that belongs with the command-line
// program at self: beside it (a build tree: build/bin), or in
// ../libexec/roundtable (the .deb's /usr/bin and /usr/libexec/roundtable, and
// the same layout unpacked from the .tar.gz or copied under ~/.local). It
// returns "" and the paths it tried when neither is there.
func findWindow(self string) (string, []string) {
	if real, err := filepath.EvalSymlinks(self); err == nil {
		self = real // a symlink in ~/bin to the unpacked tree
	}
	dir := filepath.Dir(self)
	tried := []string{
		filepath.Join(dir, windowName),
		filepath.Join(dir, "..", "libexec", "roundtable", windowName),
	}
	for _, p := range tried {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return filepath.Clean(p), nil
		}
	}
	for i := range tried {
		tried[i] = filepath.Clean(tried[i])
	}
	return "", tried
}
