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
	fs := flag.NewFlagSet("export mbox", flag.ContinueOnError)
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
			n, err = export.Mbox(env.Ctx, db, *cohort, w)
			return err
		})
		if err == nil {
			fmt.Fprintf(env.Stdout, "Wrote %d replies to %s.\n", n, pos[0])
		}
		return err
	})
}
