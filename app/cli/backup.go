package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/backup"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	// A backup reads the workspace through a reader and writes only in the
	// backup folder: it works beside the window, so cron can run it.
	registerReader("backup create", "backup create [DIR] [--json]",
		"Back the workspace up into DIR (default: the folder chosen in the window, else a \"backups\" folder beside the workspace), checked and private, keeping the last 7 daily and 4 weekly backups there.", backupCreate)
	registerReader("backup list", "backup list [DIR] [--json]",
		"List the backups in DIR (default as for backup create), newest first, with what each holds.", backupList)
	register("backup restore", "backup restore FILE [--yes] [--json]",
		"Show what the backup FILE holds and what restoring it would do; with --yes, replace the workspace with it, keeping the current file aside.", backupRestore)
}

func backupCreate(env *Env, args []string) error {
	dir, asJSON, err := folderArgs("backup create", args)
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		if dir == "" {
			if dir, err = backup.Folder(env.Ctx, db); err != nil {
				return err
			}
		}
		res, err := backup.Create(env.Ctx, db, dir, db.Now())
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(env.Stdout, res)
		}
		b := res.Backup
		fmt.Fprintf(env.Stdout, "Backed up to %s (%s), checked: %s.\n", b.Path, size(b.Size), holds(b))
		if len(res.Removed) > 0 {
			fmt.Fprintf(env.Stdout, "Removed %d older backup(s): %d daily and %d weekly are kept.\n", len(res.Removed), backup.KeepDaily, backup.KeepWeekly)
		}
		return nil
	})
}

func backupList(env *Env, args []string) error {
	dir, asJSON, err := folderArgs("backup list", args)
	if err != nil {
		return err
	}
	if dir == "" {
		if err := env.workspace(func(db *store.DB) (err error) {
			dir, err = backup.Folder(env.Ctx, db)
			return err
		}); err != nil {
			return err
		}
	}
	bs, err := backup.List(env.Ctx, dir)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(env.Stdout, bs)
	}
	if len(bs) == 0 {
		fmt.Fprintf(env.Stdout, "No backups in %s yet.\n", dir)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TAKEN (UTC)\tCLIENTS\tCOHORTS\tPOSTS\tMESSAGES\tSIZE\tFILE")
	for _, b := range bs {
		if b.Problem != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t%s\t%s\n", b.TakenAt.Format("2006-01-02 15:04"), size(b.Size), filepath.Base(b.Path))
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\n", b.TakenAt.Format("2006-01-02 15:04"), b.Clients, b.Cohorts, b.Posts, b.Messages, size(b.Size), filepath.Base(b.Path))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, b := range bs {
		if b.Problem != "" {
			fmt.Fprintln(env.Stdout, "Note: "+b.Problem)
		}
	}
	return nil
}

func backupRestore(env *Env, args []string) error {
	fs := flag.NewFlagSet("backup restore", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the backup file to restore", errUsage)
	}
	ws, err := env.path()
	if err != nil {
		return err
	}
	res, err := backup.Restore(env.Ctx, ws, pos[0], env.holder, time.Now(), *yes)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	b := res.Backup
	fmt.Fprintf(env.Stdout, "%s, taken %s UTC, checked: %s.\n", b.Path, b.TakenAt.Format("2006-01-02 15:04"), holds(b))
	switch {
	case !res.Done && res.KeptAside == "":
		fmt.Fprintf(env.Stdout, "Restoring it makes the workspace %s (there is none there yet).\nNothing was changed. Run again with --yes to restore it.\n", res.Workspace)
	case !res.Done:
		fmt.Fprintf(env.Stdout, "Restoring it replaces the workspace %s; the workspace as it is now is kept as %s.\nNothing was changed. Run again with --yes to restore it.\n", res.Workspace, res.KeptAside)
	case res.KeptAside == "":
		fmt.Fprintf(env.Stdout, "Restored into %s.\n", res.Workspace)
	default:
		fmt.Fprintf(env.Stdout, "Restored into %s. The workspace as it was is kept as %s.\n", res.Workspace, res.KeptAside)
	}
	return nil
}

// folderArgs parses what backup create and backup list take: [DIR] [--json].
// DIR is "" when not given.
func folderArgs(name string, args []string) (string, bool, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	switch {
	case err != nil:
		return "", false, err
	case len(pos) > 1:
		return "", false, fmt.Errorf("%w: give at most one folder", errUsage)
	case len(pos) == 1:
		return pos[0], *asJSON, nil
	}
	return "", *asJSON, nil
}

// holds says what a backup holds, in words.
func holds(b app.Backup) string {
	return fmt.Sprintf("%d clients, %d cohorts, %d posts, %d messages", b.Clients, b.Cohorts, b.Posts, b.Messages)
}

// size is a file size as a coach reads it.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	}
}
