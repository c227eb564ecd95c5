package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoWebviewInTheCommandLine is the point of this program: a command must
// not load GTK and WebKitGTK. It lists what the program links, with the tags
// the packages are built with, and fails on Wails, the window's packages, or
// any cgo package that asks pkg-config for GTK or WebKit.
func TestNoWebviewInTheCommandLine(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("got %v, want the go tool on PATH to list the program's packages", err)
	}
	for _, tags := range []string{"sqlite_fts5", "desktop,production,webkit2_41,sqlite_fts5"} {
		out, err := exec.Command(goTool, "list", "-deps", "-tags", tags,
			"-f", `{{.ImportPath}} {{join .CgoPkgConfig ","}}`, ".").CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps -tags %s: %v\n%s", tags, err, out)
		}
		sawCLI := false
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			path, pkgConfig, _ := strings.Cut(line, " ")
			const mod = "github.com/roundtablehq/roundtable/"
			switch {
			case path == mod+"app/cli":
				sawCLI = true
			case strings.HasPrefix(path, "github.com/wailsapp/"),
				path == mod+"app/ui", path == mod+"app/window",
				strings.Contains(pkgConfig, "gtk"), strings.Contains(pkgConfig, "webkit"):
				t.Errorf("with tags %s the command-line program links %s %s, want no webview", tags, path, pkgConfig)
			}
		}
		if !sawCLI {
			t.Fatalf("with tags %s: got no app/cli among the packages, want the listing of this program:\n%s", tags, out)
		}
	}
}

// TestFindWindow: the window program is found beside the command-line one (a
// build tree) or in ../libexec/roundtable (the .deb and the .tar.gz), also
// through a symlink to the command; and when it is missing, the paths tried
// are named.
func TestFindWindow(t *testing.T) {
	touch := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OK beside", func(t *testing.T) {
		dir := t.TempDir()
		touch(filepath.Join(dir, "bin", "roundtable"))
		touch(filepath.Join(dir, "bin", windowName))
		touch(filepath.Join(dir, "libexec", "roundtable", windowName))
		if got, _ := findWindow(filepath.Join(dir, "bin", "roundtable")); got != filepath.Join(dir, "bin", windowName) {
			t.Errorf("got %q, want the program beside the command", got)
		}
	})
	t.Run("OK installed", func(t *testing.T) {
		dir := t.TempDir()
		touch(filepath.Join(dir, "usr", "bin", "roundtable"))
		touch(filepath.Join(dir, "usr", "libexec", "roundtable", windowName))
		want := filepath.Join(dir, "usr", "libexec", "roundtable", windowName)
		if got, _ := findWindow(filepath.Join(dir, "usr", "bin", "roundtable")); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		// A link to the command elsewhere (~/bin/roundtable) finds it too.
		link := filepath.Join(dir, "home", "bin", "roundtable")
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "usr", "bin", "roundtable"), link); err != nil {
			t.Fatal(err)
		}
		if got, _ := findWindow(link); got != want {
			t.Errorf("through a symlink: got %q, want %q", got, want)
		}
	})
	t.Run("ErrMissing", func(t *testing.T) {
		dir := t.TempDir()
		touch(filepath.Join(dir, "bin", "roundtable"))
		got, tried := findWindow(filepath.Join(dir, "bin", "roundtable"))
		if got != "" || len(tried) != 2 || tried[1] != filepath.Join(dir, "libexec", "roundtable", windowName) {
			t.Errorf("got %q, tried %q; want none, and both places named", got, tried)
		}
	})
}
