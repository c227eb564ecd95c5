//go:build linux && !bindings

package display

import (
	"strings"
	"testing"
)

func TestNoDisplayIsASentence(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := Check(); err == nil || !strings.Contains(err.Error(), "There is no display") {
		t.Fatalf("got %v, want a sentence saying there is no display", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if err := Check(); err != nil {
		t.Fatalf("got %v with a Wayland display, want none", err)
	}
}
