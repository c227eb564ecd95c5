package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	registerReader("clients timeline", "clients timeline EMAIL [--kind KIND]... [--before RFC3339] [--limit N] [--json]",
		"Everything that happened with a client, newest first: cohorts, mail received, replies, sessions with answer and attendance, your private notes.", clientsTimeline)
}

// timelineKinds are the --kind words, as app.Timeline* names them.
var timelineKinds = []string{app.TimelineJoined, app.TimelineLeft, app.TimelinePost, app.TimelineDigest, app.TimelineSessionMail,
	app.TimelineReply, app.TimelinePersonal, app.TimelineSession, app.TimelineNote, app.TimelineMail}

func clientsTimeline(env *Env, args []string) error {
	fs := flag.NewFlagSet("clients timeline", flag.ContinueOnError)
	var kinds listFlag
	fs.Var(&kinds, "kind", "")
	before := fs.String("before", "", "")
	limit := fs.Int("limit", 50, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name one client by email", errUsage)
	}
	f := app.TimelineFilter{Kinds: kinds, Limit: *limit}
	for _, k := range kinds {
		if indexOf(timelineKinds, k) < 0 {
			return fmt.Errorf("%w: --kind is one of %s", errUsage, strings.Join(timelineKinds, ", "))
		}
	}
	if *before != "" {
		if f.Before, err = time.Parse(time.RFC3339, *before); err != nil {
			return fmt.Errorf("%w: --before takes a time like 2026-05-03T09:00:00Z", errUsage)
		}
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindClientByEmail(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		evs, err := db.Timeline(env.Ctx, c.ID, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, evs)
		}
		if len(evs) == 0 {
			fmt.Fprintf(env.Stdout, "Nothing on %s's timeline yet.\n", c.Name)
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "WHEN\tWHAT\tTITLE\tDETAIL")
		for _, e := range evs {
			what := e.Kind
			if e.Private {
				what += " (private)"
			}
			detail, _, _ := strings.Cut(e.Detail, "\n")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.At.Local().Format("2006-01-02 15:04"), what, e.Title, detail)
		}
		return tw.Flush()
	})
}
