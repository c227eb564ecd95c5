package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/home"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	registerReader("home", "home [--json]",
		"What needs you: the coming week, what waits in the outbox and the inbox, members gone quiet, and each cohort's replies per member per week and health signals.", homeScreen)
	register("cohorts quiet-days", "cohorts quiet-days NAME DAYS",
		"After how many days without a reply a member of the cohort shows as gone quiet; 0 goes back to the default for its kind.", cohortsQuietDays)
}

func cohortsQuietDays(env *Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("cohorts quiet-days", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: name the cohort and the number of days", errUsage)
	}
	days, err := strconv.Atoi(pos[1])
	if err != nil {
		return fmt.Errorf("%w: DAYS is a whole number, such as 10 (0 for the kind's default)", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		if err := db.SetQuietDays(env.Ctx, c.ID, days); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Members of %s show as gone quiet after %d days without a reply.\n", c.Name, app.QuietDaysFor(c.Kind, days))
		return nil
	})
}

func homeScreen(env *Env, args []string) error {
	fs := flag.NewFlagSet("home", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: home takes no arguments", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		h, err := home.Build(env.Ctx, db, db.Now())
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, h)
		}
		printHome(env.Stdout, h)
		return nil
	})
}

// printHome writes the home screen as plain text, times in the coach's zone.
func printHome(w io.Writer, h app.Home) {
	zone, err := time.LoadLocation(h.Zone)
	if err != nil {
		zone = time.UTC
	}
	fmt.Fprintf(w, "This week (times in %s)\n", h.Zone)
	if len(h.Agenda) == 0 {
		fmt.Fprintln(w, "  Nothing planned in the next 7 days.")
	}
	for _, a := range h.Agenda {
		fmt.Fprintf(w, "  %s  %-7s  %s — %s\n", a.At.In(zone).Format("Mon 2 Jan 15:04"), a.Kind, a.Title, a.Detail)
	}
	fmt.Fprintln(w, "\nWaiting for you")
	fmt.Fprintf(w, "  Outbox: %d sending, %d waiting\n", h.Outbox.Sending, h.Outbox.Waiting)
	for _, f := range h.Outbox.Failed {
		fmt.Fprintf(w, "  Failed: %d of %q (%s): %s\n", f.Count, f.Subject, f.Cohort, f.Answer)
	}
	for _, c := range h.Unread {
		fmt.Fprintf(w, "  %d unread replies in %s\n", c.Count, c.Cohort)
	}
	for _, c := range h.Unapproved {
		fmt.Fprintf(w, "  %d replies from unverified senders wait for your approval in %s\n", c.Count, c.Cohort)
	}
	if h.Unmatched > 0 {
		fmt.Fprintf(w, "  %d messages wait to be matched to a member (roundtable inbox unmatched)\n", h.Unmatched)
	}
	for _, b := range h.Bounces {
		fmt.Fprintf(w, "  Suspected bounce for %s <%s>: %s\n", b.Name, b.Email, b.Reason)
	}
	fmt.Fprintf(w, "\nGone quiet (%d)\n", h.QuietTotal)
	for _, q := range h.Quiet {
		said := "never replied"
		if q.LastSaid != "" {
			said = "last said: " + q.LastSaid
		}
		fmt.Fprintf(w, "  %s <%s> in %s: %d days (%s)\n", q.Name, q.Email, q.Cohort, q.Days, said)
	}
	if len(h.Quiet) < h.QuietTotal {
		fmt.Fprintf(w, "  … and %d more (--json lists the first %d)\n", h.QuietTotal-len(h.Quiet), len(h.Quiet))
	}
	fmt.Fprintln(w, "\nCohorts: replies and check-ins per member, week by week (oldest first)")
	for _, c := range h.Cohorts {
		var per []string
		for _, wk := range c.Weeks {
			per = append(per, perMember(wk))
		}
		fmt.Fprintf(w, "  %s (%d members): %s\n", c.Name, c.Members, strings.Join(per, " "))
		for _, s := range c.Signals {
			fmt.Fprintf(w, "    ! %s %s\n", s.Message, s.Why)
		}
	}
	fmt.Fprintln(w, "\nMeasured from replies, check-ins and attendance only: no tracking pixels, no link rewriting.")
}

// perMember is a week's replies and check-ins per member, one decimal.
func perMember(wk app.WeekEngagement) string {
	if wk.Members == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(wk.Replies+wk.CheckIns)/float64(wk.Members))
}
