// Package backup keeps copies of the workspace in a folder the coach chooses (a
// synced folder is fine): made while the app works on, checked, private to the
// coach, thinned to the last 7 daily and 4 weekly copies, and restored only
// after saying what a copy holds and keeping the current file aside.
//
// A copy appears under its final name (roundtable-YYYY-MM-DD-HHMMSS.db, in UTC)
// only once it is whole, checked and on the disk: a sync client never uploads
// half a copy, and a failed or cancelled backup leaves nothing behind. Files in
// the folder that do not carry that name are never touched.
package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// FolderSetting names the setting that holds the folder the coach chose for
// backups (a JSON string); without it backups go to DefaultFolder.
const FolderSetting = "backup_folder"

// Keep how many: the newest copy of each of the last KeepDaily days that have
// one, and of each of the last KeepWeekly ISO weeks (as restic's --keep-daily
// and --keep-weekly count them: a copy may be both).
const (
	KeepDaily  = 7
	KeepWeekly = 4
)

// nameLayout is a backup's file name: the time it was made, in UTC, so that
// names sort in time order whatever the time zone or the clock change.
const nameLayout = "roundtable-2006-01-02-150405.db"

// ours matches the names Roundtable gives its copies, and nothing else.
var ours = regexp.MustCompile(`^roundtable-\d{4}-\d{2}-\d{2}-\d{6}\.db$`)

// partialPrefix starts the name of a copy being made (hidden on Unix), so that
// it is never listed, restored or synced as a backup.
const partialPrefix = ".roundtable-partial-"

// Store is what a backup needs of the open workspace.
type Store interface {
	CopyInto(ctx context.Context, dst string) error
	Path() string
	Setting(ctx context.Context, key string, v any) error
}

// Folder is where backups go: the folder the coach chose (FolderSetting), or
// DefaultFolder.
func Folder(ctx context.Context, st Store) (string, error) {
	var dir string
	err := st.Setting(ctx, FolderSetting, &dir)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return "", err
	}
	if dir == "" {
		return DefaultFolder(st.Path()), nil
	}
	return dir, nil
}

// DefaultFolder is the backups folder beside the workspace: on the same disk,
// so a dead laptop loses both; the guide says to choose a synced folder. It is
// "backups" for the usual workspace.db and NAME-backups for any other file, so
// two workspaces in one folder (the demo beside the coach's own) never thin
// out each other's copies.
func DefaultFolder(workspace string) string {
	base := filepath.Base(workspace)
	if base == "workspace.db" {
		return filepath.Join(filepath.Dir(workspace), "backups")
	}
	return filepath.Join(filepath.Dir(workspace), strings.TrimSuffix(base, filepath.Ext(base))+"-backups")
}

// Create copies the open workspace into dir as it is now (SQLite's backup API,
// a slice at a time behind the window, see store.CopyInto: the app writes on
// meanwhile), checks the copy through, makes it 0600 and durable, names it for
// the time (now, in UTC) and then thins the folder to the copies retention
// keeps.
func Create(ctx context.Context, st Store, dir string, now time.Time) (app.BackupResult, error) {
	var res app.BackupResult
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, app.Wrap(app.EINVALID, err, "The backup folder %s could not be created; choose another folder", dir)
	}
	final := filepath.Join(dir, now.UTC().Format(nameLayout))
	if _, err := os.Stat(final); err == nil {
		return res, app.Errorf(app.ECONFLICT, "A backup was made this very second (%s); wait a second and try again.", filepath.Base(final))
	}
	tmp, err := makePartial(dir)
	if err != nil {
		return res, app.Wrap(app.EINVALID, err, "Roundtable cannot write in the backup folder %s; choose another folder", dir)
	}
	defer os.Remove(tmp) // gone after the rename; removed on any failure
	if err := st.CopyInto(ctx, tmp); err != nil {
		return res, err
	}
	b, err := store.InspectCopy(ctx, tmp, true)
	if err != nil && ctx.Err() != nil {
		return res, app.Wrap(app.ECANCELED, err, "The backup was stopped; no copy was kept")
	}
	if err != nil {
		return res, app.Wrap(app.EDAMAGED, err, "The backup copy did not check out (%s), so it was not kept", app.ErrorMessage(err))
	}
	if err := seal(tmp); err != nil {
		return res, app.Wrap(app.EINVALID, err, "The backup could not be written to the disk in %s, so it was not kept", dir)
	}
	if err := ctx.Err(); err != nil {
		return res, app.Wrap(app.ECANCELED, err, "The backup was stopped; no copy was kept")
	}
	if err := os.Rename(tmp, final); err != nil {
		return res, app.Wrap(app.EINVALID, err, "The backup could not be named %s, so it was not kept", final)
	}
	syncDir(dir)
	b.Path, b.TakenAt = final, now.UTC().Truncate(time.Second)
	res.Backup = b
	res.Removed, err = Prune(dir, now)
	if err != nil {
		return res, err
	}
	return res, nil
}

// makePartial creates the empty file a copy is made into, 0600 before any byte
// goes in (SQLite keeps the mode of the file it fills).
func makePartial(dir string) (string, error) {
	f, err := os.CreateTemp(dir, partialPrefix+"*.db")
	if err != nil {
		return "", err
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// seal makes the copy private and puts it on the disk before it gets its name.
func seal(path string) error {
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir puts a rename on the disk; some systems cannot sync a folder, and
// there the rename is as durable as they make it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// taken is when the copy named name was made, if the name is one of ours.
func taken(name string) (time.Time, bool) {
	if !ours.MatchString(name) {
		return time.Time{}, false
	}
	t, err := time.Parse(nameLayout, name)
	return t, err == nil
}

// copies lists the backups in dir (our names only), newest first.
func copies(dir string) ([]app.Backup, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The backup folder %s could not be read", dir)
	}
	var bs []app.Backup
	for _, e := range entries {
		if t, ok := taken(e.Name()); ok && e.Type().IsRegular() {
			bs = append(bs, app.Backup{Path: filepath.Join(dir, e.Name()), TakenAt: t})
		}
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].TakenAt.After(bs[j].TakenAt) })
	return bs, nil
}

// Prune removes the copies in dir that retention does not keep (the newest of
// each of the last KeepDaily days and KeepWeekly ISO weeks, in UTC), and
// partial copies that a crash left behind more than a day before now. Files
// whose names are not ours are never touched. It returns what it removed.
func Prune(dir string, now time.Time) ([]string, error) {
	bs, err := copies(dir)
	if err != nil {
		return nil, err
	}
	days, weeks := map[string]bool{}, map[string]bool{}
	removed := []string{}
	for _, b := range bs {
		keep := false
		if d := b.TakenAt.Format("2006-01-02"); !days[d] && len(days) < KeepDaily {
			days[d], keep = true, true
		}
		y, w := b.TakenAt.ISOWeek()
		if wk := fmt.Sprintf("%d-W%02d", y, w); !weeks[wk] && len(weeks) < KeepWeekly {
			weeks[wk], keep = true, true
		}
		if keep {
			continue
		}
		if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, app.Wrap(app.EINVALID, err, "The old backup %s could not be removed", b.Path)
		}
		removed = append(removed, b.Path)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, partialPrefix+"*.db"))
	for _, p := range leftovers {
		if st, err := os.Stat(p); err == nil && now.Sub(st.ModTime()) > 24*time.Hour {
			os.Remove(p)
		}
	}
	return removed, nil
}

// List returns the backups in dir, newest first, each with what it holds. A
// copy that cannot be read is listed with its Problem rather than hidden: the
// coach should know that a copy they count on is no good.
func List(ctx context.Context, dir string) ([]app.Backup, error) {
	bs, err := copies(dir)
	if err != nil {
		return nil, err
	}
	out := []app.Backup{}
	for _, b := range bs {
		got, err := store.InspectCopy(ctx, b.Path, false)
		got.TakenAt = b.TakenAt
		if err != nil {
			got.Problem = app.ErrorMessage(err)
		}
		out = append(out, got)
	}
	return out, nil
}

// Check checks the copy at file through, as a restore would, and says what it
// holds; a damaged, foreign or too new copy is refused with the coach's
// sentence. A copy not named by Roundtable (a workspace file brought from
// another laptop) is dated by its modification time.
func Check(ctx context.Context, file string) (app.Backup, error) {
	// A workspace copied while open (or after a crash) may keep its latest
	// changes in the -wal beside it, which a copy of the file alone would lose.
	if st, err := os.Stat(file + "-wal"); err == nil && st.Size() > 0 {
		return app.Backup{Path: file}, app.Errorf(app.EINVALID, "%s has changes not yet written into it, in %s beside it, which a restore would lose. Run \"roundtable --workspace %s backup create\" and restore the backup it makes.", file, filepath.Base(file)+"-wal", file)
	}
	b, err := store.InspectCopy(ctx, file, true)
	if err != nil {
		return b, err
	}
	if t, ok := taken(filepath.Base(file)); ok {
		b.TakenAt = t
	} else if st, err := os.Stat(file); err == nil {
		b.TakenAt = st.ModTime().UTC().Truncate(time.Second)
	}
	return b, nil
}

// AsidePath is where Restore keeps the workspace as it was before replacing it.
func AsidePath(workspace string, now time.Time) string {
	return workspace + ".before-restore-" + now.UTC().Format("20060102-150405")
}

// Restore replaces the workspace with the copy at file, once the copy is
// checked through, keeping the current workspace at AsidePath first (when
// there is one: restoring on a new laptop makes the workspace). Without
// confirm it only checks the copy and says what it holds and what a restore
// would do, changing nothing. It is refused while the window or a writing
// command has the workspace open (holder names this process in the lock, for
// the sentence another one reads).
func Restore(ctx context.Context, workspace, file, holder string, now time.Time, confirm bool) (app.RestoreResult, error) {
	res := app.RestoreResult{Workspace: workspace, KeptAside: AsidePath(workspace, now)}
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	if same(file, workspace) {
		return res, app.Errorf(app.EINVALID, "%s is the workspace itself; choose a backup copy to restore.", file)
	}
	if _, err := os.Stat(workspace); errors.Is(err, os.ErrNotExist) {
		res.KeptAside = "" // a new laptop: nothing to keep
	}
	b, err := Check(ctx, file)
	res.Backup = b
	if err != nil || !confirm {
		return res, err
	}
	if err := store.RestoreWorkspace(ctx, workspace, file, res.KeptAside, holder); err != nil {
		return res, err
	}
	res.Done = true
	return res, nil
}

// same reports whether a and b name one file.
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// Settings is what choosing the backup folder needs.
type Settings interface {
	SaveSetting(ctx context.Context, key string, v any) error
}

// SetFolder makes dir the folder backups go to ("" for DefaultFolder). It must
// be an absolute path, since the window and cron run from different folders;
// it is created (0700) when missing, so a folder that cannot be written is
// refused now rather than at the next automatic backup.
func SetFolder(ctx context.Context, st Settings, dir string) error {
	if dir != "" {
		if !filepath.IsAbs(dir) {
			return app.FieldErrorf(app.EINVALID, "folder", "Choose the backup folder by its full path (%s is relative).", dir)
		}
		dir = filepath.Clean(dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return app.Wrap(app.EINVALID, err, "The backup folder %s could not be created; choose another folder", dir)
		}
		probe, err := makePartial(dir)
		if err != nil {
			return app.Wrap(app.EINVALID, err, "Roundtable cannot write in %s; choose another folder", dir)
		}
		os.Remove(probe)
	}
	return st.SaveSetting(ctx, FolderSetting, dir)
}

// DailyEvery is how long after the newest backup in the folder the automatic
// backup makes the next one.
const DailyEvery = 24 * time.Hour

// Daily makes the automatic backup: one into the chosen folder when the newest
// copy there (made by the window, a click or cron alike) is DailyEvery old or
// more, or there is none. It reports whether it made one. Counting from the
// folder, not from a note in the workspace, means a restored or moved
// workspace never skips a day, and a window open for weeks backs up daily.
func Daily(ctx context.Context, st Store, now time.Time) (app.BackupResult, bool, error) {
	dir, err := Folder(ctx, st)
	if err != nil {
		return app.BackupResult{}, false, err
	}
	bs, err := copies(dir)
	if err != nil {
		return app.BackupResult{}, false, err
	}
	if len(bs) > 0 && now.Sub(bs[0].TakenAt) < DailyEvery && !bs[0].TakenAt.After(now) {
		return app.BackupResult{}, false, nil
	}
	res, err := Create(ctx, st, dir, now)
	return res, err == nil, err
}

// Every runs Daily at start and then every interval until ctx ends, calling
// report after each run that made a backup (nil) or failed (the window shows
// the sentence until a later backup succeeds; the next tick tries again).
func Every(ctx context.Context, st Store, interval time.Duration, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_, made, err := Daily(ctx, st, time.Now())
		if made || err != nil && ctx.Err() == nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
