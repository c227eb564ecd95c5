package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// CopyInto writes a consistent copy of the workspace into dst, which must not
// exist or be empty (an empty file keeps its mode: create it 0600 first), while
// the workspace goes on being written.
//
// The copy is made with VACUUM INTO on a reader connection rather than with the
// online backup API (sqlite3_backup_step), for these reasons:
//   - It runs in one read transaction of the readers' pool: WAL lets the writer
//     (the outbox, an inbox import) commit all the while, and the copy is the
//     workspace exactly as it was when the transaction began.
//   - The backup API copied step by step starts over whenever another
//     connection writes between two steps, and the outbox writes every few
//     seconds: on a busy workspace it might never finish. Copied in one step it
//     cannot be stopped half-way, and either way it copies the free pages and
//     the WAL mark of the header verbatim.
//   - VACUUM INTO writes a compact, self-contained file in rollback-journal mode
//     (no -wal beside it), which suits a folder a sync client uploads, and a
//     cancelled context interrupts it (go-sqlite3 calls sqlite3_interrupt).
//
// The price is CPU: it rebuilds every index of the copy instead of copying
// pages. Measured (BenchmarkBackup, 30 MB workspace, a writer adding a client
// every millisecond, 2 shared cores): 0.35–0.40 s a copy against 0.26–0.32 s
// for the backup API in one step, and the same slowest write during either
// (about 100–150 ms, against 30 ms with no copy): the copy competes for the
// disk either way, so the choice costs a quarter more time for a file that
// can be stopped, is smaller and stands alone. docs/benchmarks.md has the
// figures.
func (db *DB) CopyInto(ctx context.Context, dst string) error {
	if _, err := db.rdb.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		if ctx.Err() != nil {
			return app.Wrap(app.ECANCELED, err, "The backup was stopped; no copy was kept")
		}
		return app.Wrap(app.ErrorCode(dbError(err)), err, "The workspace could not be copied to %s", dst)
	}
	return nil
}

// InspectCopy checks a workspace file that is not open (a backup copy) without
// changing it or making anything beside it, and says what it holds. A file that
// is not a Roundtable workspace, is damaged (with deep anywhere: quick_check
// reads every page) or was written by a newer Roundtable is refused with an
// *app.Error; the returned Backup then still names the file and its size.
// Listing copies skips the deep check, which reads the whole file; a restore
// always makes it.
func InspectCopy(ctx context.Context, path string, deep bool) (app.Backup, error) {
	b := app.Backup{Path: path}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return b, app.Errorf(app.ENOTFOUND, "There is no backup at %s.", path)
		}
		return b, app.Wrap(app.EINVALID, err, "The backup %s could not be read", path)
	}
	b.Size = st.Size()
	damaged := func(err error) error {
		if ctx.Err() != nil { // stopped, not damaged
			return app.Wrap(app.ECANCELED, err, "Stopped before %s was checked through", path)
		}
		return app.Wrap(app.EDAMAGED, err, "The backup %s is damaged, so it cannot be restored. It was left untouched; choose another backup", path)
	}
	exists, _, err := inspectFile(path)
	if err != nil {
		return b, app.Wrap(app.EDAMAGED, err, "%s is not a Roundtable backup (it is not a Roundtable workspace), so it cannot be restored. It was left untouched", path)
	}
	if !exists {
		return b, damaged(errors.New("empty file"))
	}
	// immutable: the file is read as it is, with no lock and no -shm or
	// -journal made beside it, even in a folder Roundtable may not write.
	ro, err := sql.Open("sqlite3", dsn(path)+"&mode=ro&immutable=1")
	if err != nil {
		return b, app.Wrap(app.EINTERNAL, err, "The backup %s could not be opened", path)
	}
	defer ro.Close()
	ro.SetMaxOpenConns(1)
	if deep {
		var result string
		if err := ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result); err != nil {
			return b, damaged(err)
		}
		if result != "ok" {
			return b, damaged(errors.New(result))
		}
	}
	var appID, tables int
	if err := ro.QueryRowContext(ctx, "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema), (SELECT user_version FROM pragma_user_version)").Scan(&appID, &tables, &b.SchemaVersion); err != nil {
		return b, damaged(err)
	}
	if appID != applicationID || tables == 0 {
		return b, app.Errorf(app.EDAMAGED, "%s is not a Roundtable backup (it is a database of another program, or empty), so it cannot be restored. It was left untouched.", path)
	}
	if b.SchemaVersion > SchemaVersion() {
		return b, app.Errorf(app.ETOONEW, "The backup %s was made by a newer version of Roundtable (workspace version %d; this version reads up to %d). Update Roundtable to restore it.", path, b.SchemaVersion, SchemaVersion())
	}
	// A copy of an older version lacks the later tables: each count asks first.
	counts := []struct {
		n     *int
		table string
		where string
	}{
		{&b.Clients, "clients", " WHERE archived_at IS NULL"},
		{&b.Cohorts, "cohorts", " WHERE archived_at IS NULL"},
		{&b.Posts, "posts", ""},
		{&b.Messages, "outbox", ""},
		{&b.Messages, "replies", ""},
	}
	for _, c := range counts {
		var has, n int
		if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", c.table).Scan(&has); err != nil {
			return b, damaged(err)
		}
		if has == 0 {
			continue
		}
		if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table+c.where).Scan(&n); err != nil {
			return b, damaged(err)
		}
		*c.n += n
	}
	return b, nil
}

// RestoreWorkspace replaces the workspace at path with the copy src, keeping
// the workspace as it was at aside first ("" when there is none yet). It
// takes the workspace's writer lock for the whole time, so it is refused
// (ELOCKED) while the window or a writing command has the workspace open:
// replacing a file under a writer would lose what it writes next, or mix the
// two files' pages.
//
// Nothing changes until the copy is complete and checked in the workspace's
// folder; then the old file is linked (or, where links are not possible,
// copied) to aside, and the copy renamed over the workspace, so at every moment
// the workspace file is whole: the old one or the restored one.
func RestoreWorkspace(ctx context.Context, path, src, aside, holder string) error {
	if _, err := os.Stat(aside); aside != "" && err == nil {
		return app.Errorf(app.ECONFLICT, "%s already exists; wait a second and restore again.", aside)
	}
	if err := makePrivateDir(filepath.Dir(path)); err != nil {
		return app.Wrap(app.EINVALID, err, "The folder for the workspace %s could not be created", path)
	}
	l, err := acquireLock(path, holder)
	if err != nil {
		return err
	}
	defer l.release()
	tmp := fmt.Sprintf("%s.restoring-%s", path, randomID())
	defer os.Remove(tmp) // gone after the rename; left only by a failure
	if err := copyPrivate(src, tmp); err != nil {
		return app.Wrap(app.EINVALID, err, "The backup could not be copied next to the workspace, so nothing was changed")
	}
	if _, err := InspectCopy(ctx, tmp, true); err != nil {
		if app.ErrorCode(err) == app.ECANCELED {
			return err
		}
		return app.Wrap(app.EDAMAGED, err, "The backup did not copy intact next to the workspace (%s), so nothing was changed", app.ErrorMessage(err))
	}
	if err := settle(ctx, path); err != nil {
		return err
	}
	if err := keepAside(path, aside); err != nil {
		return app.Wrap(app.EINVALID, err, "The workspace could not be kept aside as %s, so nothing was changed", aside)
	}
	if err := os.Rename(tmp, path); err != nil {
		return app.Wrap(app.EINVALID, err, "The workspace could not be replaced, so it is as it was (a copy is also at %s)", aside)
	}
	syncDir(filepath.Dir(path))
	// The restored file was checked through just now: the next open need not
	// read it all again.
	l.checked = time.Now()
	return nil
}

// settle folds the workspace's WAL into the file itself, so that the file kept
// aside holds everything and no -wal is left to be applied to the restored
// file. It refuses while a reader (a read-only command) keeps the WAL in use.
func settle(ctx context.Context, path string) error {
	if exists, _, err := inspectFile(path); err != nil || !exists {
		return err
	}
	w, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path)
	}
	defer w.Close()
	var busy, logFrames, done int
	if err := w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return dbError(err)
	}
	if busy != 0 {
		return app.Errorf(app.EUNAVAILABLE, "Another Roundtable command is reading the workspace; try again when it has finished. Nothing was changed.")
	}
	if err := w.Close(); err != nil {
		return dbError(err)
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		if st, err := os.Stat(side); err == nil && side == path+"-wal" && st.Size() > 0 {
			return app.Errorf(app.EUNAVAILABLE, "Another Roundtable command is reading the workspace; try again when it has finished. Nothing was changed.")
		}
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	return nil
}

// keepAside makes aside the workspace as it is: a hard link (instant, and the
// workspace's own bytes), else a copy made durable before returning. aside is
// "" when there was no workspace to keep.
func keepAside(path, aside string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil // nothing to keep: restoring into a new file
	}
	if aside == "" {
		return errors.New("a workspace appeared while restoring")
	}
	if err := os.Link(path, aside); err == nil {
		return nil
	}
	return copyPrivate(path, aside)
}

// copyPrivate copies src to a new file dst (0600) and puts it on the disk.
func copyPrivate(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(0o600)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// syncDir puts a rename in dir on the disk. Some systems (Windows) cannot open
// a folder to sync it; there the rename is as durable as the system makes it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
