package ui

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app/demo"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestDemoRoundTrip opens the demo from an empty workspace and goes back, as the
// welcome's button and the demo banner do; the window's reopening is recorded.
func TestDemoRoundTrip(t *testing.T) {
	ctx := context.Background()
	own := filepath.Join(t.TempDir(), "workspace.db")
	db, err := store.Open(own)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := NewWorkspaceService(db, own)
	Startup(ctx, svc)
	var reopened string
	OnReopen(svc, func(path string) { reopened = path })

	if err := svc.LeaveDemo(); err == nil {
		t.Fatal("got no error leaving a demo from the coach's own workspace")
	}
	if err := svc.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(own), demo.FileName); reopened != want {
		t.Fatalf("got reopen on %q, want %q", reopened, want)
	}
	if info, err := svc.Info(); err != nil || info.Demo || info.Clients != 0 {
		t.Fatalf("got %+v, %v, want the coach's workspace empty and not a demo", info, err)
	}

	demoDB, err := store.Open(reopened)
	if err != nil {
		t.Fatal(err)
	}
	defer demoDB.Close()
	inDemo := NewWorkspaceService(demoDB, reopened)
	Startup(ctx, inDemo)
	OnReopen(inDemo, func(path string) { reopened = path })
	if info, err := inDemo.Info(); err != nil || !info.Demo || info.Clients != 40 {
		t.Fatalf("got %+v, %v, want a demo with 40 clients", info, err)
	}
	if err := inDemo.OpenDemo(); err == nil {
		t.Fatal("got no error opening a demo from the demo")
	}
	if err := inDemo.LeaveDemo(); err != nil || reopened != own {
		t.Fatalf("got %v, reopen on %q, want back to %q", err, reopened, own)
	}
	if a := inDemo.About(); a.Version == "" || filepath.Base(a.Workspace) != demo.FileName {
		t.Fatalf("got %+v, want the version and the workspace", a)
	}
}
