package ui

import (
	"context"
	"log/slog"

	"github.com/roundtablehq/roundtable/app/window"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// RememberWindow saves the window's size and position to path, for the next
// start. A failure is logged only: the window still closes.
func RememberWindow(ctx context.Context, path string) {
	if path == "" {
		return
	}
	var g window.Geometry
	g.Width, g.Height = runtime.WindowGetSize(ctx)
	g.X, g.Y = runtime.WindowGetPosition(ctx)
	if err := window.Save(path, g); err != nil {
		slog.Warn("window geometry not saved", "err", err)
	}
}

// OnQuit sets what runs before the window quits on the coach's shortcut (main.go
// remembers the geometry). A function, not a method, so the window cannot call it.
func OnQuit(s *WorkspaceService, before func()) { s.beforeQuit = before }

// Quit closes the window and ends the app: Ctrl+Q (Cmd+Q on macOS), which
// WebKitGTK and WebView2 do not provide by themselves.
func (s *WorkspaceService) Quit() {
	if s.beforeQuit != nil {
		s.beforeQuit()
	}
	runtime.Quit(s.ctx)
}
