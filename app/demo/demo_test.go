package demo

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app"
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
