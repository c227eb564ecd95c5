// Package window remembers the window's size and position between runs. It is
// the user's, not the workspace's (a workspace can be copied to another
// screen), so it lives in the user's config folder as a small JSON file.
package window

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Smallest and largest sizes worth restoring: anything outside is a damaged
// file or a screen that has changed, and the default size serves better.
const (
	minWidth, minHeight = 400, 300
	maxSide             = 20000
)

// Geometry is where the window was and how large.
type Geometry struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Usable reports whether g is worth restoring.
func (g Geometry) Usable() bool {
	return g.Width >= minWidth && g.Height >= minHeight && g.Width <= maxSide && g.Height <= maxSide &&
		g.X > -maxSide && g.X < maxSide && g.Y > -maxSide && g.Y < maxSide
}

// DefaultFile is $XDG_CONFIG_HOME/roundtable/window.json (or the system's equivalent).
func DefaultFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("window: config folder: %w", err)
	}
	return filepath.Join(dir, "roundtable", "window.json"), nil
}

// Load reads the geometry saved at path; ok is false when there is none worth
// restoring (first start, a damaged file), which is not an error to report.
func Load(path string) (g Geometry, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &g) != nil {
		return Geometry{}, false
	}
	return g, g.Usable()
}

// Save writes g to path, replacing what was there in one step so a crash never
// leaves half a file. A geometry not worth restoring is not saved.
func Save(path string, g Geometry) error {
	if !g.Usable() {
		return errors.New("window: geometry out of range")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("window: save: %w", err)
	}
	b, _ := json.Marshal(g)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("window: save: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("window: save: %w", err)
	}
	return nil
}
