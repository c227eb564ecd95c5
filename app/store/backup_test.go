package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

// emptyPrivate makes the empty 0600 file a copy goes into, as backup.Create does.
func emptyPrivate(tb testing.TB) string {
	tb.Helper()
	dst := filepath.Join(tb.TempDir(), "copy.db")
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return dst
}

// copyInSmallSteps makes CopyInto take many steps (4 pages each, no pause, a
// flush every 16 KiB) for the length of the test, calling hook after each.
func copyInSmallSteps(t *testing.T, hook func()) {
	t.Helper()
	pages, pause, flush := copyStepPages, copyPause, copyFlushBytes
	copyStepPages, copyPause, copyFlushBytes, copyStepHook = 4, 0, 16<<10, hook
	t.Cleanup(func() { copyStepPages, copyPause, copyFlushBytes, copyStepHook = pages, pause, flush, nil })
}

func TestCopyInto(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// The window writes between every two steps of the copy: the copy is
		// still the workspace as it was when it began, whole, and made in one
		// pass (a copy that started over at each write would never end).
		ctx := context.Background()
		db := openTest(t)
		seedClients(t, db, 2000)
		var pages int
		db.rdb.QueryRow("SELECT page_count FROM pragma_page_count").Scan(&pages)
		steps := 0
		copyInSmallSteps(t, func() {
			steps++
			if steps > pages { // more steps than pages: it started over
				t.Fatalf("got %d steps for %d pages, want one pass", steps, pages)
			}
			if _, err := db.CreateClient(ctx, app.ClientInput{Name: "During", Email: fmt.Sprintf("during%d@example.com", steps)}); err != nil {
				t.Fatal(err)
			}
		})
		dst := emptyPrivate(t)
		if err := db.CopyInto(ctx, dst); err != nil {
			t.Fatal(err)
		}
		if want := pages/4 - 1; steps < want {
			t.Fatalf("got %d steps, want at least %d (4 pages each of %d)", steps, want, pages)
		}
		b, err := InspectCopy(ctx, dst, true) // quick_check through
		if err != nil {
			t.Fatal(err)
		}
		if b.Clients != 2000 {
			t.Fatalf("got %d clients in the copy, want the 2000 there when it began", b.Clients)
		}
		page, err := db.ListClients(ctx, app.ClientFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2000+steps {
			t.Fatalf("got %d clients in the workspace, want %d", page.Total, 2000+steps)
		}
		st, _ := os.Stat(dst)
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("got mode %v, want 0600", st.Mode().Perm())
		}
		for _, side := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(dst + side); err == nil {
				t.Fatalf("got %s beside the copy, want it standing alone", side)
			}
		}
		head := make([]byte, 20)
		f, _ := os.Open(dst)
		f.Read(head)
		f.Close()
		if head[18] != 1 || head[19] != 1 {
			t.Fatalf("got file format %d/%d, want 1/1 (rollback journal, no -wal needed)", head[18], head[19])
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		db := openTest(t)
		db.rdb.SetMaxOpenConns(1) // the read below must use the copy's reader
		seedClients(t, db, 2000)
		steps := 0
		copyInSmallSteps(t, func() {
			if steps++; steps == 3 {
				cancel()
			}
		})
		err := db.CopyInto(ctx, emptyPrivate(t))
		wantCode(t, err, app.ECANCELED)
		if steps != 3 {
			t.Fatalf("got %d steps, want the copy to stop after the 3rd", steps)
		}
		// The one reader it used is back in the pool without its snapshot: a
		// read on it sees a write made after the copy stopped.
		if _, err := db.CreateClient(context.Background(), app.ClientInput{Name: "After", Email: "after@example.com"}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.rdb.QueryRow("SELECT count(*) FROM clients WHERE email = 'after@example.com'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("got %d (%v), want the client added after the copy stopped", n, err)
		}
	})
}
