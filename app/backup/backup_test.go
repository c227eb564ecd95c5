package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

var ctx = context.Background()

// openWorkspace opens a new workspace with a cohort of five members.
func openWorkspace(tb testing.TB) (*store.DB, int64) {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "workspace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Circle", Kind: app.KindMastermind})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for i := range 5 {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%d@example.com", i)})
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := db.AddMembers(ctx, h.ID, ids, app.RoleMember); err != nil {
		tb.Fatal(err)
	}
	return db, h.ID
}

var idSeq atomic.Int64

func newIDs() app.MessageIdentity {
	n := idSeq.Add(1)
	return app.MessageIdentity{MessageID: fmt.Sprintf("<%d@x.test>", n), Token: fmt.Sprintf("t%d", n), BounceToken: fmt.Sprintf("b%d", n)}
}

// post queues a post to the cohort: one outbox row per member, in one transaction.
func post(tb testing.TB, db *store.DB, cohort int64, subject string) {
	tb.Helper()
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort, Subject: subject, Body: "Hello {{first_name}}"})
	if err == nil {
		_, err = db.QueuePost(ctx, p.ID, newIDs)
	}
	if err != nil {
		tb.Error(err)
	}
}

func rawOpen(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	r, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// rows reads every row of table as text, by rowid.
func rows(tb testing.TB, db *sql.DB, table string) map[int64][]string {
	tb.Helper()
	rs, err := db.Query("SELECT rowid, * FROM " + table)
	if err != nil {
		tb.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	out := map[int64][]string{}
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		var id int64
		fmt.Sscan(vals[0].String, &id)
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = fmt.Sprintf("%v:%s", v.Valid, v.String)
		}
		out[id] = row
	}
	return out
}

func count(tb testing.TB, db *sql.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func fileHash(tb testing.TB, path string) [32]byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(b)
}

func names(tb testing.TB, dir string) []string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		ns = append(ns, e.Name())
	}
	sort.Strings(ns)
	return ns
}

// TestCreateWhileWriting takes a backup while another goroutine keeps adding
// clients and queueing posts (outbox rows), restores it into a new file and
// compares it with the workspace row by row: the copy is the workspace at one
// moment, whole transactions only, and every row in it is the workspace's.
func TestCreateWhileWriting(t *testing.T) {
	db, cohort := openWorkspace(t)
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.CreateClient(ctx, app.ClientInput{Name: fmt.Sprintf("Writer %d", i), Email: fmt.Sprintf("w%d@example.com", i)}); err != nil {
				t.Error(err)
				return
			}
			if i%5 == 0 {
				post(t, db, cohort, fmt.Sprintf("Post %d", i))
			}
			written.Add(1)
		}
	}()
	waitFor := func(n int64) {
		for written.Load() < n {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(50)
	before := written.Load()
	dir := filepath.Join(t.TempDir(), "backups")
	res, err := Create(ctx, db, dir, time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	after := written.Load()
	waitFor(after + 50)
	close(stop)
	wg.Wait()

	if got, want := names(t, dir), []string{"roundtable-2026-12-02-093000.db"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v in the folder, want %v (no partial file)", got, want)
	}
	st, err := os.Stat(res.Backup.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("got %v (%v), want a 0600 backup", st.Mode(), err)
	}

	restored := filepath.Join(t.TempDir(), "restored.db")
	if _, err := Restore(ctx, restored, res.Backup.Path, "a test", time.Now(), true); err != nil {
		t.Fatal(err)
	}
	r, live := rawOpen(t, restored), rawOpen(t, db.Path())
	clients := count(t, r, "SELECT count(*) FROM clients")
	if min, max := 5+int(before), 5+int(after)+1; clients < min || clients > max {
		t.Fatalf("got %d clients in the backup, want between %d and %d (the moment it was taken)", clients, min, max)
	}
	if res.Backup.Clients != clients {
		t.Errorf("got %d clients reported, want %d as in the copy", res.Backup.Clients, clients)
	}
	if n := count(t, r, "SELECT max(id) FROM clients"); n != clients {
		t.Errorf("got clients up to id %d but %d rows, want no gap (one moment of the workspace)", n, clients)
	}
	// A post's outbox rows are queued in one transaction: all or none.
	if n := count(t, r, "SELECT count(*) FROM (SELECT p.id FROM posts p LEFT JOIN outbox o ON o.post_id = p.id GROUP BY p.id HAVING count(o.id) NOT IN (0, 5))"); n != 0 {
		t.Errorf("got %d posts with some of their outbox rows, want none", n)
	}
	if n := count(t, r, "SELECT count(*) FROM outbox"); n == 0 || res.Backup.Messages != n {
		t.Errorf("got %d outbox rows (reported %d), want some, reported as messages", n, res.Backup.Messages)
	}
	for _, table := range []string{"clients", "cohorts", "memberships", "posts", "outbox", "settings"} {
		want, got := rows(t, live, table), rows(t, r, table)
		for id, row := range got {
			// A post is written as a draft, then queued in a second
			// transaction: a backup between the two holds the draft.
			if table == "posts" && slices.Contains(row, "true:draft") {
				continue
			}
			if !reflect.DeepEqual(row, want[id]) {
				t.Errorf("%s %d: got %v in the backup, want %v as in the workspace", table, id, row, want[id])
			}
		}
		if table == "clients" && len(want) <= len(got) {
			t.Errorf("got %d clients in the workspace, want more than the backup's %d (it went on writing)", len(want), len(got))
		}
	}
	var check string
	if err := r.QueryRow("PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("got quick_check %q (%v), want ok", check, err)
	}
}

// TestCreateCanceled: a backup stopped before it is done leaves nothing.
func TestCreateCanceled(t *testing.T) {
	db, _ := openWorkspace(t)
	dir := t.TempDir()
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := Create(c, db, dir, time.Now())
	if app.ErrorCode(err) != app.ECANCELED {
		t.Fatalf("got %v, want a cancelled backup", err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("got %v in the folder, want nothing", got)
	}
}

// backupOf makes a backup of a closed workspace by opening it, as the CLI does.
func backupOf(tb testing.TB, ws string, at time.Time) app.Backup {
	tb.Helper()
	db, err := store.Open(ws)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	res, err := Create(ctx, db, filepath.Join(filepath.Dir(ws), "backups"), at)
	if err != nil {
		tb.Fatal(err)
	}
	return res.Backup
}

func TestRestore(t *testing.T) {
	db, _ := openWorkspace(t)
	ws := db.Path()
	db.Close()
	b := backupOf(t, ws, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	if b.Clients != 5 || b.Cohorts != 1 {
		t.Fatalf("got %+v, want 5 clients and 1 cohort", b)
	}
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateClient(ctx, app.ClientInput{Name: "Later", Email: "later@example.com"}); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrLocked", func(t *testing.T) {
		hash := fileHash(t, ws)
		_, err := Restore(ctx, ws, b.Path, "a test", time.Now(), true)
		if app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("got %v, want the workspace refused while it is open", err)
		}
		if fileHash(t, ws) != hash {
			t.Fatal("the open workspace changed")
		}
	})
	db.Close()

	t.Run("NotConfirmed", func(t *testing.T) {
		hash := fileHash(t, ws)
		res, err := Restore(ctx, ws, b.Path, "a test", time.Now(), false)
		if err != nil || res.Done || res.Backup.Clients != 5 || !res.Backup.TakenAt.Equal(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("got %+v (%v), want what the backup holds and nothing done", res, err)
		}
		if fileHash(t, ws) != hash {
			t.Fatal("the workspace changed without confirming")
		}
		if _, err := os.Stat(res.KeptAside); err == nil {
			t.Fatal("a file was kept aside without confirming")
		}
	})

	t.Run("OK", func(t *testing.T) {
		now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		res, err := Restore(ctx, ws, b.Path, "a test", now, true)
		if err != nil || !res.Done {
			t.Fatalf("got %+v (%v), want it restored", res, err)
		}
		if want := ws + ".before-restore-20261202-100000"; res.KeptAside != want {
			t.Fatalf("got aside %s, want %s", res.KeptAside, want)
		}
		restored, err := store.Open(ws)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := restored.Info(ctx)
		restored.Close()
		if info.Clients != 5 {
			t.Fatalf("got %d clients after restoring, want the backup's 5", info.Clients)
		}
		aside, err := store.OpenReadOnly(res.KeptAside)
		if err != nil {
			t.Fatal(err)
		}
		info, _ = aside.Info(ctx)
		aside.Close()
		if info.Clients != 6 {
			t.Fatalf("got %d clients in the file kept aside, want the 6 it had", info.Clients)
		}
		if st, _ := os.Stat(ws); st.Mode().Perm() != 0o600 {
			t.Fatalf("got mode %v, want 0600", st.Mode().Perm())
		}
	})

	t.Run("ErrDamaged", func(t *testing.T) {
		damaged := filepath.Join(t.TempDir(), "roundtable-2026-12-01-080000.db")
		content, err := os.ReadFile(b.Path)
		if err != nil {
			t.Fatal(err)
		}
		// The header stays (a Roundtable workspace by its first page); the
		// tables' pages are overwritten, as a bad sector or a torn sync would.
		copy(content[4096:], bytes.Repeat([]byte{0xA5}, len(content)-4096))
		os.WriteFile(damaged, content, 0o600)
		hash, before := fileHash(t, ws), names(t, filepath.Dir(ws))
		_, err = Restore(ctx, ws, damaged, "a test", time.Now(), true)
		if app.ErrorCode(err) != app.EDAMAGED || !strings.Contains(app.ErrorMessage(err), "is damaged, so it cannot be restored") {
			t.Fatalf("got %v, want the damaged backup refused in a sentence", err)
		}
		if fileHash(t, ws) != hash || !reflect.DeepEqual(names(t, filepath.Dir(ws)), before) {
			t.Fatal("a refused restore changed the workspace's folder")
		}
		list, err := List(ctx, filepath.Dir(damaged))
		if err != nil || len(list) != 1 || list[0].Problem == "" {
			t.Fatalf("got %+v (%v), want the damaged copy listed with its problem", list, err)
		}
	})

	t.Run("ErrForeign", func(t *testing.T) {
		foreign := filepath.Join(t.TempDir(), "other.db")
		o, _ := sql.Open("sqlite3", foreign)
		o.Exec("CREATE TABLE notes (body TEXT)")
		o.Close()
		_, err := Restore(ctx, ws, foreign, "a test", time.Now(), true)
		if app.ErrorCode(err) != app.EDAMAGED || !strings.Contains(app.ErrorMessage(err), "is not a Roundtable backup") {
			t.Fatalf("got %v, want a foreign database refused", err)
		}
	})
}

// TestPrune keeps the newest copy of each of the last 7 days and of each of the
// last 4 ISO weeks, and leaves every file that is not one of ours alone.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	touch := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Daily at 03:00 from 1 November to Wednesday 2 December 2026, and a second
	// copy early on the 2nd.
	for d := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC); !d.After(time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		touch(d.Format(nameLayout))
	}
	touch("roundtable-2026-12-02-010000.db")
	foreign := []string{"notes.txt", "roundtable-2020-01-01.db", "workspace.db", "roundtable-2026-10-01-030000.db.txt", "Roundtable-2026-10-01-030000.db"}
	for _, f := range foreign {
		touch(f)
	}
	removed, err := Prune(dir, time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	kept := []string{
		// the last 7 days
		"roundtable-2026-11-26-030000.db", "roundtable-2026-11-27-030000.db", "roundtable-2026-11-28-030000.db",
		"roundtable-2026-11-29-030000.db", "roundtable-2026-11-30-030000.db", "roundtable-2026-12-01-030000.db",
		"roundtable-2026-12-02-030000.db",
		// the newest of the weeks of 16 and 9 November (the weeks of 30 and 23
		// November end with a daily copy kept already)
		"roundtable-2026-11-22-030000.db", "roundtable-2026-11-15-030000.db",
	}
	want := append(append([]string{}, kept...), foreign...)
	sort.Strings(want)
	if got := names(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(removed) != 33-len(kept) {
		t.Fatalf("got %d removed, want %d", len(removed), 33-len(kept))
	}
}

// TestRestoreAfterCrash restores over a workspace whose last writes are still
// in its -wal (the process that wrote them was killed): the file kept aside
// holds them, and the restored file gets none of them.
func TestRestoreAfterCrash(t *testing.T) {
	db, _ := openWorkspace(t)
	b := func() app.Backup {
		res, err := Create(ctx, db, t.TempDir(), time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return res.Backup
	}()
	if _, err := db.CreateClient(ctx, app.ClientInput{Name: "In the WAL", Email: "wal@example.com"}); err != nil {
		t.Fatal(err)
	}
	// The files as a kill -9 leaves them: the workspace and its -wal, copied
	// while the workspace is open.
	crashed := filepath.Join(t.TempDir(), "workspace.db")
	for _, suffix := range []string{"", "-wal"} {
		content, err := os.ReadFile(db.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(crashed+suffix, content, 0o600)
	}
	if st, err := os.Stat(crashed + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("got %v (%v), want the new client only in the -wal", st, err)
	}
	// Restoring from such a file would lose what is in its -wal: refused.
	other := filepath.Join(t.TempDir(), "workspace.db")
	if _, err := Restore(ctx, other, crashed, "a test", time.Now(), true); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "backup create") {
		t.Fatalf("got %v, want a file with a -wal refused with what to do", err)
	}
	// What the sentence says to do: a backup of it, read-only, holds the -wal's
	// changes.
	ro, err := store.OpenReadOnly(crashed)
	if err != nil {
		t.Fatal(err)
	}
	advised, err := Create(ctx, ro, t.TempDir(), time.Now())
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, rawOpen(t, advised.Backup.Path), "SELECT count(*) FROM clients WHERE email = 'wal@example.com'"); n != 1 {
		t.Fatalf("got %d clients from the -wal in the advised backup, want 1", n)
	}
	res, err := Restore(ctx, crashed, b.Path, "a test", time.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(crashed + "-wal"); err == nil {
		t.Fatal("got a -wal beside the restored workspace, want none")
	}
	for file, want := range map[string]int{res.KeptAside: 1, crashed: 0} {
		if n := count(t, rawOpen(t, file), "SELECT count(*) FROM clients WHERE email = 'wal@example.com'"); n != want {
			t.Errorf("%s: got %d clients from the -wal, want %d", filepath.Base(file), n, want)
		}
	}
}

// TestDaily makes the automatic backup only when the newest copy in the folder
// is a day old, into the folder the coach chose.
func TestDaily(t *testing.T) {
	db, _ := openWorkspace(t)
	dir := filepath.Join(t.TempDir(), "Sync", "Roundtable")
	if err := SetFolder(ctx, db, "relative/folder"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("got %v, want a relative folder refused", err)
	}
	if err := SetFolder(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		at   time.Time
		made bool
	}{
		{day, true},                      // none yet
		{day.Add(23 * time.Hour), false}, // made less than a day ago
		{day.Add(24 * time.Hour), true},
		{day.Add(30 * time.Hour), false},
	} {
		res, made, err := Daily(ctx, db, step.at)
		if err != nil || made != step.made {
			t.Fatalf("at %v: got made %v (%v), want %v", step.at, made, err, step.made)
		}
		if made && filepath.Dir(res.Backup.Path) != dir {
			t.Fatalf("got %s, want it in %s", res.Backup.Path, dir)
		}
	}
	if got := names(t, dir); len(got) != 2 {
		t.Fatalf("got %v, want two daily backups", got)
	}
}

func TestDefaultFolder(t *testing.T) {
	dir := filepath.Join("home", "coach", "roundtable")
	for ws, want := range map[string]string{
		"workspace.db":      "backups",
		"demo-workspace.db": "demo-workspace-backups",
		"clients 2026.db":   "clients 2026-backups",
	} {
		if got := DefaultFolder(filepath.Join(dir, ws)); got != filepath.Join(dir, want) {
			t.Errorf("%s: got %s, want %s", ws, got, filepath.Join(dir, want))
		}
	}
}

// TestCreateStoppedHalfWay cancels backups of a workspace of 20,000 clients
// at moments during the copy: each one either finished (one whole backup) or
// left nothing at all in the folder.
func TestCreateStoppedHalfWay(t *testing.T) {
	db, _ := openWorkspace(t)
	rows := make([]app.ImportRow, 20000)
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Client %d", i), Email: fmt.Sprintf("c%05d@example.com", i),
			Goals: strings.Repeat("Grow the practice. ", 10)}}
	}
	if _, err := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		t.Fatal(err)
	}
	canceled := 0
	for i, delay := range []time.Duration{time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, time.Second} {
		dir := t.TempDir()
		c, cancel := context.WithTimeout(ctx, delay)
		_, err := Create(c, db, dir, time.Date(2026, 12, 2, 9, 0, i, 0, time.UTC))
		cancel()
		got := names(t, dir)
		switch {
		case err == nil && len(got) == 1 && ours.MatchString(got[0]):
		case app.ErrorCode(err) == app.ECANCELED && len(got) == 0:
			canceled++
		default:
			t.Fatalf("after %v: got %v and %v in the folder, want one whole backup or nothing", delay, err, got)
		}
	}
	if canceled == 0 {
		t.Fatal("no backup was stopped half-way: the workspace is too small to test this")
	}
}
