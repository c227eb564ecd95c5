package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestLock(t *testing.T) {
	ctx := context.Background()

	t.Run("ErrSecondWriter", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := OpenAs(path, HolderWindow)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(path)
		wantCode(t, err, app.ELOCKED)
		want := "Roundtable is already open on this workspace (pid " + strconv.Itoa(os.Getpid()) + "); it sends the outbox itself."
		if got := app.ErrorMessage(err); !strings.HasPrefix(got, want) {
			t.Fatalf("got %q, want it to start %q", got, want)
		}
		db.Close()
		db, err = Open(path) // free again once closed
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	})

	t.Run("ErrSecondWriterNamesTheJob", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := OpenAs(path, "roundtable outbox send")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = OpenAs(path, HolderWindow)
		wantCode(t, err, app.ELOCKED)
		if got, want := app.ErrorMessage(err), "(pid "+strconv.Itoa(os.Getpid())+": roundtable outbox send)"; !strings.Contains(got, want) {
			t.Fatalf("got %q, want it to name %q", got, want)
		}
	})

	t.Run("ReadOnlyBesideTheWriter", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		mustClient(t, db, "Ada", "ada@example.com")
		ro, err := OpenReadOnly(path)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		mustClient(t, db, "Bob", "bob@example.com") // the writer goes on writing
		page, err := ro.ListClients(ctx, app.ClientFilter{})
		if err != nil || page.Total != 2 {
			t.Fatalf("got %d clients (%v), want 2 read beside the writer", page.Total, err)
		}
		_, err = ro.CreateClient(ctx, app.ClientInput{Name: "Cy", Email: "cy@example.com"})
		if err == nil {
			t.Fatal("got a write through a read-only workspace, want an error")
		}
	})

	t.Run("ErrReadOnlyNeedsMigrating", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		old, err := openAt(path, SchemaVersion()-1)
		if err != nil {
			t.Fatal(err)
		}
		old.Close()
		before, _ := os.ReadFile(path)
		_, err = OpenReadOnly(path)
		wantCode(t, err, app.ETOONEW)
		if !strings.Contains(app.ErrorMessage(err), "needs updating") {
			t.Fatalf("got %q, want it to say the workspace needs updating", app.ErrorMessage(err))
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Fatal("a read-only open changed the workspace")
		}
	})

	t.Run("ErrReadOnlyNoWorkspace", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		_, err := OpenReadOnly(path)
		wantCode(t, err, app.ENOTFOUND)
		if _, err := os.Stat(path); err == nil {
			t.Fatal("a read-only open created the workspace")
		}
	})
}
