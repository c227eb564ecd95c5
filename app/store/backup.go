package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/roundtablehq/roundtable/app"
)

// CopyInto writes a consistent copy of the workspace into dst, which must not
// exist or be empty (an empty file keeps its mode: create it 0600 first), while
// the workspace goes on being written.
//
// The copy is made with SQLite's online backup API, a slice at a time
// (copyStepPages a step, with a pause between steps), so that the window never
// waits behind it:
//   - One read transaction, opened on a reader connection before the first
//     step and held to the last, is the snapshot: sqlite3_backup_step uses the
//     source's open read transaction instead of opening one per step, so the
//     writer (the outbox, an inbox import) commits all the while into the WAL
//     and the copy never starts over; it is the workspace exactly as it was
//     when the transaction began.
//   - The copy's own file is written without journal or fsync, and every
//     copyFlushBytes its pages are pushed to the disk and waited for
//     (flushCopy): the kernel never holds a gigabyte of the copy's pages that
//     a commit's fsync would have to wait behind. On one shared disk that
//     queue, not SQLite's locks, is what made the window wait (398 ms for a
//     write while VACUUM INTO copied 1 GB; see docs/benchmarks.md).
//   - Pages are copied, not rebuilt: a fraction of VACUUM INTO's CPU. The
//     copy keeps the workspace's free pages (it is as large as the file), and
//     is turned to rollback-journal mode at the end, so it stands alone
//     without a -wal beside it in a folder a sync client uploads.
//
// A cancelled context stops it between two steps.
func (db *DB) CopyInto(ctx context.Context, dst string) error {
	if err := behind(func() error { return db.copyInto(ctx, dst) }); err != nil {
		if ctx.Err() != nil {
			return app.Wrap(app.ECANCELED, err, "The backup was stopped; no copy was kept")
		}
		return app.Wrap(app.ErrorCode(dbError(err)), err, "The workspace could not be copied to %s", dst)
	}
	return nil
}

// copyStepPages is how many pages one step of CopyInto copies (1 MiB at the
// workspace's 4 KiB pages), copyPause how long it rests between two steps, and
// copyFlushBytes how much of the copy may wait in the kernel before it is put
// on the disk. Measured on a 1 GB workspace (BenchmarkBackupLarge).
var (
	copyStepPages  = 256
	copyPause      = time.Millisecond
	copyFlushBytes = int64(8 << 20)
)

// copyStepHook, when set (by tests), runs after every step of CopyInto.
var copyStepHook func()

func (db *DB) copyInto(ctx context.Context, dst string) error {
	src, err := db.rdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer src.Close()
	// No journal and no fsync for the copy's file: it is not named as a
	// backup until it is whole, checked and synced (backup.Create).
	out, err := sql.Open("sqlite3", dsn(dst)+"&_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		return err
	}
	defer out.Close()
	out.SetMaxOpenConns(1)
	dc, err := out.Conn(ctx)
	if err != nil {
		return err
	}
	defer dc.Close()
	f, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	err = dc.Raw(func(d any) error {
		return src.Raw(func(s any) error {
			return copyPages(ctx, d.(*sqlite3.SQLiteConn), s.(*sqlite3.SQLiteConn), f)
		})
	})
	if err != nil {
		return err
	}
	// The pages carry the workspace's WAL mark; a copy standing alone is
	// better in rollback-journal mode (no -wal or -shm beside it).
	var mode string
	if err := dc.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		return err
	}
	if mode != "delete" {
		return fmt.Errorf("the copy stayed in journal mode %q", mode)
	}
	return nil
}

// copyPages copies the workspace (src) into dst step by step inside one read
// transaction of src, pushing the copy's pages to the disk as it goes (f is
// the copy's file).
func copyPages(ctx context.Context, dst, src *sqlite3.SQLiteConn, f *os.File) error {
	if _, err := src.Exec("BEGIN", nil); err != nil {
		return err
	}
	defer src.Exec("ROLLBACK", nil)
	// BEGIN opens the read transaction lazily: a read makes it the snapshot.
	rows, err := src.Query("SELECT (SELECT count(*) FROM sqlite_schema), (SELECT page_size FROM pragma_page_size)", nil)
	if err != nil {
		return err
	}
	got := make([]driver.Value, 2)
	err = rows.Next(got)
	rows.Close()
	if err != nil {
		return err
	}
	pageSize, _ := got[1].(int64)
	bk, err := dst.Backup("main", src, "main")
	if err != nil {
		return err
	}
	defer bk.Close()
	var flushedPages int
	for {
		done, err := bk.Step(copyStepPages)
		if err != nil {
			return err
		}
		if done {
			break
		}
		if copyStepHook != nil {
			copyStepHook()
		}
		if copied := bk.PageCount() - bk.Remaining(); int64(copied-flushedPages)*pageSize >= copyFlushBytes {
			if err := flushCopy(f); err != nil {
				return err
			}
			flushedPages = copied
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(copyPause):
		}
	}
	return bk.Close()
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
		// Reading a whole copy through takes seconds of CPU: behind the
		// window, like the copy itself.
		var result string
		if err := behind(func() error { return ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result) }); err != nil {
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
