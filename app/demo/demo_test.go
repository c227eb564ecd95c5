package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/home"
	"github.com/roundtablehq/roundtable/app/store"
)

func TestCreate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	real := filepath.Join(dir, "workspace.db")
	own, err := store.Open(real)
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()

	t.Run("OK", func(t *testing.T) {
		for range 2 { // a second demo replaces the first
			path, err := Create(ctx, real)
			if err != nil {
				t.Fatal(err)
			}
			if path != filepath.Join(dir, FileName) {
				t.Fatalf("got %s, want the demo beside the workspace", path)
			}
			db, err := store.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			info, err := db.Info(ctx)
			back, isDemo := ReturnTo(ctx, db)
			db.Close()
			if err != nil || info.Clients != 40 || info.Cohorts != 3 {
				t.Fatalf("got %+v, %v, want 40 clients in 3 cohorts", info, err)
			}
			if !isDemo || back != real {
				t.Fatalf("got %q, %v, want a demo returning to %s", back, isDemo, real)
			}
		}
	})
	t.Run("RealWorkspaceUntouched", func(t *testing.T) {
		info, err := own.Info(ctx)
		if err != nil || info.Clients != 0 || info.Cohorts != 0 {
			t.Fatalf("got %+v, %v, want the coach's workspace still empty", info, err)
		}
		if _, isDemo := ReturnTo(ctx, own); isDemo {
			t.Fatal("got the coach's workspace marked as a demo")
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		other := t.TempDir()
		foreign := filepath.Join(other, FileName)
		db, err := store.Open(foreign) // a workspace the coach happened to name so
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := Create(ctx, filepath.Join(other, "workspace.db")); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT", err)
		}
		if _, err := os.Stat(foreign); err != nil {
			t.Fatalf("got %v, want the file left alone", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, err := Create(ctx, filepath.Join(dir, FileName)); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v, want EINVALID for a demo over itself", err)
		}
	})
}

// TestDemoHome: the demo's home screen has something to say, and nothing in
// it waits to be sent but the scheduled check-in.
func TestDemoHome(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	if err := Seed(ctx, db, "/nowhere/workspace.db"); err != nil {
		t.Fatal(err)
	}
	if got := db.Now(); !got.Equal(now) {
		t.Fatalf("the clock is left at %v, want it back at %v", got, now)
	}
	h, err := home.Build(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	signals := map[string][]string{}
	for _, c := range h.Cohorts {
		for _, s := range c.Signals {
			signals[c.Name] = append(signals[c.Name], s.Kind)
		}
	}
	want := map[string][]string{
		"Spring Mastermind": {app.SignalHogging, app.SignalSilent},
		"Writers' Circle":   {app.SignalNoPurpose},
		"Leadership Lab":    {app.SignalNoPurpose},
	}
	for name, kinds := range want {
		if strings.Join(signals[name], " ") != strings.Join(kinds, " ") {
			t.Errorf("%s: got signals %v, want %v", name, signals[name], kinds)
		}
	}
	if h.QuietTotal < 4 || h.Quiet[0].LastSaid == "" {
		t.Errorf("got %d quiet, first %+v; want the mastermind's quiet members with their last words", h.QuietTotal, h.Quiet)
	}
	if h.Outbox.Waiting != 0 || h.Outbox.Sending != 0 {
		t.Errorf("got outbox %+v, want nothing waiting: the demo sends nothing", h.Outbox)
	}
	var kinds []string
	for _, a := range h.Agenda {
		kinds = append(kinds, a.Kind)
	}
	if j := strings.Join(kinds, " "); !strings.Contains(j, "post") || !strings.Contains(j, "session") || !strings.Contains(j, "digest") {
		t.Errorf("got agenda %v, want the scheduled check-in, the lab's call and a digest", kinds)
	}
	if c := h.Cohorts[0]; c.Weeks[len(c.Weeks)-2].Replies == 0 {
		t.Errorf("got weeks %+v, want replies last week", c.Weeks)
	}
}
