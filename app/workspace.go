package app

import (
	"os"
	"path/filepath"
	"runtime"
)

// WorkspaceInfo tells the coach which file they are working in.
type WorkspaceInfo struct {
	Path          string `json:"path"`
	SchemaVersion int    `json:"schemaVersion"`
	Clients       int    `json:"clients"`
	Cohorts       int    `json:"cohorts"`
	Version       string `json:"version"` // the Roundtable version running
	// Demo is true in a demo workspace (see app/demo), which the window marks
	// and offers to leave.
	Demo bool `json:"demo"`
}

// About is what the window's About shows: the version and where things are kept.
type About struct {
	Version    string `json:"version"`
	Workspace  string `json:"workspace"`  // the workspace file open now
	DataFolder string `json:"dataFolder"` // where the default workspace lives
	Secrets    string `json:"secrets"`    // where passwords go when no keyring is available
	System     string `json:"system"`     // "linux/amd64"
}

// Version is the Roundtable version, set at build time with
// -ldflags "-X github.com/roundtablehq/roundtable/app.Version=...".
var Version = "0.1.0-dev"

// DefaultWorkspacePath is where the workspace lives when the coach has not chosen
// another file: the user's data folder, as each system names it
// ($XDG_DATA_HOME/roundtable/workspace.db on Linux).
func DefaultWorkspacePath() (string, error) {
	switch runtime.GOOS {
	case "darwin", "windows":
		dir, err := os.UserConfigDir() // ~/Library/Application Support, %AppData%
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, "Roundtable", "workspace.db"), nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "roundtable", "workspace.db"), nil
}
