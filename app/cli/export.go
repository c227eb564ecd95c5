package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/roundtablehq/roundtable/app/export"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	registerReader("export json", "export json FILE",
		"Write everything in the workspace (clients, cohorts with their rosters, posts and replies) to FILE as JSON.", exportJSON)
	registerReader("export mbox", "export mbox --cohort NAME FILE",
		"Write the replies of a cohort's conversations to FILE as an mbox that any mail program opens.", exportMbox)
	registerReader("export html", "export html --cohort NAME FILE",
		"Write a cohort's conversation to FILE as one HTML page that any browser opens offline.", exportHTML)
	registerReader("export csv", "export csv DIR",
		"Write everything in the workspace to DIR as CSV files (clients, cohorts, members, posts, replies) for a spreadsheet.", exportCSV)
}

func exportJSON(env *Env, args []string) error {
	fs := flag.NewFlagSet("export json", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the file to write", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		var clients, cohorts int
		err := export.WriteFile(pos[0], func(w io.Writer) error {
			ex, err := export.Everything(env.Ctx, db, time.Now())
			if err != nil {
				return err
			}
			clients, cohorts = len(ex.Clients), len(ex.Cohorts)
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(ex)
		})
		if err == nil {
			fmt.Fprintf(env.Stdout, "Wrote %d clients and %d cohorts to %s.\n", clients, cohorts, pos[0])
		}
		return err
	})
}

func exportMbox(env *Env, args []string) error {
	return exportCohort(env, "export mbox", args, func(db *store.DB, cohort string, w io.Writer) (int, error) {
		return export.Mbox(env.Ctx, db, cohort, w)
	}, "Wrote %d replies to %s.\n")
}

func exportHTML(env *Env, args []string) error {
	return exportCohort(env, "export html", args, func(db *store.DB, cohort string, w io.Writer) (int, error) {
		return export.Archive(env.Ctx, db, cohort, time.Now(), w)
	}, "Wrote the conversation with %d replies to %s.\n")
}

// exportCohort writes one cohort's conversation to the file named in args
// (--cohort NAME FILE) and says how many replies it wrote.
func exportCohort(env *Env, name string, args []string, write func(db *store.DB, cohort string, w io.Writer) (int, error), done string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *cohort == "" || len(pos) != 1 {
		return fmt.Errorf("%w: name the cohort with --cohort and the file to write", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		var n int
		err := export.WriteFile(pos[0], func(w io.Writer) (err error) {
			n, err = write(db, *cohort, w)
			return err
		})
		if err == nil {
			fmt.Fprintf(env.Stdout, done, n, pos[0])
		}
		return err
	})
}

func exportCSV(env *Env, args []string) error {
	fs := flag.NewFlagSet("export csv", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the folder to write the CSV files into", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		rows, err := export.CSV(env.Ctx, db, pos[0], time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Wrote %d files to %s:\n", len(export.CSVFiles), pos[0])
		for _, name := range export.CSVFiles {
			unit := "rows"
			if rows[name] == 1 {
				unit = "row"
			}
			fmt.Fprintf(env.Stdout, "  %-12s %d %s\n", name, rows[name], unit)
		}
		return nil
	})
}
