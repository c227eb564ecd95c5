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
