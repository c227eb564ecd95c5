//go:build linux && !bindings

package main

import (
	"strings"
	"testing"
)

func TestNoDisplayIsASentence(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := checkDisplay(); err == nil || !strings.Contains(err.Error(), "There is no display") {
		t.Fatalf("got %v, want a sentence saying there is no display", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if err := checkDisplay(); err != nil {
		t.Fatalf("got %v with a Wayland display, want none", err)
	}
}
