package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("cohorts create", "cohorts create NAME [--kind KIND] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--capacity N] [--purpose TEXT] [--json]",
		"Create a cohort. Kinds: mastermind, group_coaching, micro_community, course_cohort, community_of_practice, one_to_one, other.", cohortsCreate)
	register("cohorts add-member", "cohorts add-member NAME EMAIL... [--role member|co_host] [--joined YYYY-MM-DD]",
		"Add clients, found by email, to the cohort called NAME. --joined gives the day they joined (past or future, for members who started elsewhere): join-day lessons count from it.", cohortsAddMember)
	register("cohorts remove-member", "cohorts remove-member NAME EMAIL...",
		"Record that clients left the cohort (their history stays); its sessions ahead are cancelled in their calendars.", cohortsRemoveMember)
	registerReader("cohorts list", "cohorts list [--archived] [--json]",
		"List cohorts with their member counts.", cohortsList)
	registerReader("cohorts show", "cohorts show NAME [--history] [--json]",
		"Show a cohort and its roster.", cohortsShow)
}

func cohortsCreate(env *Env, args []string) error {
	fs := flag.NewFlagSet("cohorts create", flag.ContinueOnError)
	var in app.CohortInput
	fs.StringVar(&in.Kind, "kind", app.KindOther, "")
	fs.StringVar(&in.StartDate, "start", "", "")
	fs.StringVar(&in.EndDate, "end", "", "")
	fs.IntVar(&in.Capacity, "capacity", 0, "")
	fs.StringVar(&in.Purpose, "purpose", "", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the cohort (in quotes if it has spaces)", errUsage)
	}
	in.Name = pos[0]
	return env.workspace(func(db *store.DB) error {
		c, err := db.CreateCohort(env.Ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, c)
		}
		fmt.Fprintf(env.Stdout, "Created cohort %q (%s).\n", c.Name, c.Kind)
		return nil
	})
}

func cohortsAddMember(env *Env, args []string) error {
	fs := flag.NewFlagSet("cohorts add-member", flag.ContinueOnError)
	role := fs.String("role", app.RoleMember, "")
	joined := fs.String("joined", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("%w: name the cohort and at least one client's email", errUsage)
	}
	if _, err := time.Parse(time.DateOnly, *joined); *joined != "" && err != nil {
		return fmt.Errorf("%w: --joined takes a date like 2026-03-02", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		cohort, err := db.FindCohortByName(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		ids, err := clientIDsByEmail(env, db, pos[1:])
		if err != nil {
			return err
		}
		plan, err := planner(env, db)
		if err != nil {
			return err
		}
		n, err := plan.AddMembers(env.Ctx, cohort.ID, ids, *role)
		if err != nil {
			return err
		}
		if *joined != "" {
			if err := db.SetJoinDate(env.Ctx, cohort.ID, ids, *joined); err != nil {
				return err
			}
		}
		fmt.Fprintf(env.Stdout, "Added %d to %s (%d already there).\n", n, cohort.Name, len(ids)-n)
		c, err := db.FindCohortByID(env.Ctx, cohort.ID)
		if err == nil {
			for _, w := range c.Warnings {
				fmt.Fprintln(env.Stderr, "Note: "+w)
			}
		}
		return err
	})
}

func cohortsRemoveMember(env *Env, args []string) error {
	fs := flag.NewFlagSet("cohorts remove-member", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("%w: name the cohort and at least one client's email", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		cohort, err := db.FindCohortByName(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		ids, err := clientIDsByEmail(env, db, pos[1:])
		if err != nil {
			return err
		}
		plan, err := planner(env, db)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := plan.RemoveMember(env.Ctx, cohort.ID, id); err != nil {
				return err
			}
		}
		fmt.Fprintf(env.Stdout, "%d left %s.\n", len(ids), cohort.Name)
		return nil
	})
}

func cohortsList(env *Env, args []string) error {
	fs := flag.NewFlagSet("cohorts list", flag.ContinueOnError)
	archived := fs.Bool("archived", false, "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: cohorts list takes no arguments, only options", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		cs, err := db.ListCohorts(env.Ctx, *archived)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, cs)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tKIND\tMEMBERS\tSTART\tEND")
		for _, c := range cs {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", c.Name, c.Kind, c.Members, c.StartDate, c.EndDate)
		}
		return tw.Flush()
	})
}

func cohortsShow(env *Env, args []string) error {
	fs := flag.NewFlagSet("cohorts show", flag.ContinueOnError)
	history := fs.Bool("history", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name one cohort", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		roster, err := db.Roster(env.Ctx, c.ID, *history)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, struct {
				app.Cohort
				Roster []app.Member `json:"roster"`
			}{c, roster})
		}
		fmt.Fprintf(env.Stdout, "%s (%s), %d members\n", c.Name, c.Kind, c.Members)
		for _, w := range c.Warnings {
			fmt.Fprintln(env.Stdout, "Note: "+w)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tEMAIL\tROLE\tJOINED\tLEFT")
		for _, m := range roster {
			left := ""
			if m.LeftAt != nil {
				left = m.LeftAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Name, m.Email, m.Role, m.JoinedAt.Format("2006-01-02"), left)
		}
		return tw.Flush()
	})
}
