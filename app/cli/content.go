package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("lessons import", "lessons import DIR [--json]",
		"Import a folder of lessons (one Markdown file each, front matter: title, module, order, checkin). Lessons already there are updated in place.", lessonsImport)
	registerReader("lessons export", "lessons export DIR",
		"Write every lesson into DIR as SLUG.md, in the form import reads.", lessonsExport)
	registerReader("lessons list", "lessons list [--json]",
		"List the lesson library.", lessonsList)
	register("lessons delete", "lessons delete TITLE",
		"Delete a lesson from the library, its place in every curriculum and its marks. Mail members already received stays, with their replies.", lessonsDelete)
	register("curriculum set", "curriculum set --cohort NAME --lesson TITLE (--on RFC3339 | --cohort-day N | --join-day N)",
		"Set when a lesson is released in a cohort: on a date and hour, on day N of the cohort (day 1 is its start date), or on day N after each member joined. Hours follow the digest setting (your zone or each member's).", curriculumSet)
	registerReader("curriculum show", "curriculum show --cohort NAME [--json]",
		"Show a cohort's curriculum: when each lesson is released, and to how many members so far.", curriculumShow)
	register("curriculum late-joiners", "curriculum late-joiners --cohort NAME catch-up|next",
		"What a member who joins after lessons were due gets: every lesson due, at once in one welcome mail (catch-up), or only the lessons to come (next).", curriculumLateJoiners)
	registerReader("progress", "progress --cohort NAME [--json] [--csv]",
		"The cohort's members × lessons: not released, released, replied, done or excused, with counts.", progress)
	register("progress mark", "progress mark --cohort NAME --lesson TITLE EMAIL... done|excused|clear",
		"Mark members' lesson done or excused yourself (or clear your mark).", progressMark)
}

func lessonsImport(env *Env, args []string) error {
	fs := flag.NewFlagSet("lessons import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the folder of lessons", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		sum, err := content.Import(env.Ctx, db, pos[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		fmt.Fprintf(env.Stdout, "Imported %s: %d new lessons, %d updated, %d unchanged.\n", pos[0], sum.Created, sum.Updated, sum.Unchanged)
		return nil
	})
}

func lessonsExport(env *Env, args []string) error {
	fs := flag.NewFlagSet("lessons export", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the folder to write the lessons into", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		n, err := content.Export(env.Ctx, db, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Wrote %d lessons into %s.\n", n, pos[0])
		return nil
	})
}

func lessonsList(env *Env, args []string) error {
	fs := flag.NewFlagSet("lessons list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		ls, err := db.Lessons(env.Ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ls)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ORDER\tTITLE\tMODULE\tCHECK-IN\tFILE")
		for _, l := range ls {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s.md\n", l.Order, l.Title, l.Module, l.CheckIn, l.Slug)
		}
		return tw.Flush()
	})
}

func curriculumSet(env *Env, args []string) error {
	fs := flag.NewFlagSet("curriculum set", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	lesson := fs.String("lesson", "", "")
	on := fs.String("on", "", "")
	cohortDay := fs.Int("cohort-day", 0, "")
	joinDay := fs.Int("join-day", 0, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: curriculum set takes only options", errUsage)
	}
	given := 0
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "on" || f.Name == "cohort-day" || f.Name == "join-day" {
			given++
		}
	})
	if *cohort == "" || *lesson == "" || given != 1 {
		return fmt.Errorf("%w: give --cohort, --lesson and one of --on, --cohort-day or --join-day", errUsage)
	}
	in := app.CurriculumInput{Rule: app.ReleaseCohortDay, Day: *cohortDay}
	switch {
	case *on != "":
		var err error
		if in, err = content.OnDate(*on); err != nil {
			return err
		}
	case *joinDay != 0:
		in = app.CurriculumInput{Rule: app.ReleaseJoinDay, Day: *joinDay}
	}
	return env.workspace(func(db *store.DB) error {
		c, l, err := cohortAndLesson(env, db, *cohort, *lesson)
		if err != nil {
			return err
		}
		in.CohortID, in.LessonID = c.ID, l.ID
		if err := content.Schedule(env.Ctx, db, in); err != nil {
			return err
		}
		cur, err := content.Show(env.Ctx, db, c.ID)
		if err != nil {
			return err
		}
		for _, e := range cur.Entries {
			if e.LessonID == l.ID {
				fmt.Fprintf(env.Stdout, "%q in %s: %s.\n", l.Title, c.Name, e.Described)
			}
		}
		if in.Rule == app.ReleaseCohortDay && cur.StartDate == "" {
			fmt.Fprintf(env.Stderr, "Note: %s has no start date yet, so day-%d lessons wait for one (set it on the cohort's page).\n", c.Name, in.Day)
		}
		return nil
	})
}

func cohortAndLesson(env *Env, db *store.DB, cohort, lesson string) (app.Cohort, app.Lesson, error) {
	c, err := db.FindCohortByName(env.Ctx, cohort)
	if err != nil {
		return c, app.Lesson{}, err
	}
	l, err := db.FindLessonByTitle(env.Ctx, lesson)
	return c, l, err
}

func curriculumShow(env *Env, args []string) error {
	fs := flag.NewFlagSet("curriculum show", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *cohort == "" {
		return fmt.Errorf("%w: name the cohort with --cohort", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		cur, err := content.Show(env.Ctx, db, c.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, cur)
		}
		late := map[string]string{app.LateCatchUp: "catch up (every lesson due, in one welcome mail)", app.LateNext: "start from the next lesson"}
		fmt.Fprintf(env.Stdout, "%s, starting %s. Late joiners: %s.\n", cur.Cohort, orDash(cur.StartDate), late[cur.LateJoiners])
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LESSON\tWHEN\tRELEASED TO")
		for _, e := range cur.Entries {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", e.Lesson, e.Described, e.Released)
		}
		return tw.Flush()
	})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func curriculumLateJoiners(env *Env, args []string) error {
	fs := flag.NewFlagSet("curriculum late-joiners", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	rule := map[string]string{"catch-up": app.LateCatchUp, "next": app.LateNext}
	if *cohort == "" || len(pos) != 1 || rule[pos[0]] == "" {
		return fmt.Errorf("%w: give --cohort NAME and catch-up or next", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		if err := db.SetLateJoiners(env.Ctx, c.ID, rule[pos[0]]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Late joiners of %s: %s.\n", c.Name, pos[0])
		return nil
	})
}

func progress(env *Env, args []string) error {
	fs := flag.NewFlagSet("progress", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	asJSON := fs.Bool("json", false, "")
	asCSV := fs.Bool("csv", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *cohort == "" {
		return fmt.Errorf("%w: name the cohort with --cohort", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		g, err := db.ProgressGrid(env.Ctx, c.ID)
		if err != nil {
			return err
		}
		switch {
		case *asJSON:
			return writeJSON(env.Stdout, g)
		case *asCSV:
			return content.WriteGridCSV(env.Stdout, g)
		}
		// One column a lesson, numbered; a symbol a state, readable at 30 × 24.
		mark := map[string]string{app.LessonNotReleased: "·", app.LessonReleased: "o", app.LessonReplied: "R", app.LessonDone: "✓", app.LessonExcused: "x"}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 1, ' ', 0)
		head := []string{"MEMBER"}
		for i := range g.Lessons {
			head = append(head, fmt.Sprint(i+1))
		}
		fmt.Fprintln(tw, strings.Join(append(head, "REPLIED", "DONE"), "\t"))
		for _, r := range g.Members {
			line := []string{r.Name}
			for _, c := range r.Cells {
				line = append(line, mark[c.State])
			}
			line = append(line, fmt.Sprintf("%d/%d", r.Replied, r.Released), fmt.Sprint(r.Done))
			fmt.Fprintln(tw, strings.Join(line, "\t"))
		}
		foot := []string{"replied"}
		for _, l := range g.Lessons {
			foot = append(foot, fmt.Sprint(l.Replied))
		}
		fmt.Fprintln(tw, strings.Join(foot, "\t"))
		if err := tw.Flush(); err != nil {
			return err
		}
		for i, l := range g.Lessons {
			fmt.Fprintf(env.Stdout, "%d. %s\n", i+1, l.Title)
		}
		fmt.Fprintln(env.Stdout, "· not released  o released  R replied  ✓ done  x excused")
		return nil
	})
}

func progressMark(env *Env, args []string) error {
	fs := flag.NewFlagSet("progress mark", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	lesson := fs.String("lesson", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	state := map[string]string{"done": app.LessonDone, "excused": app.LessonExcused, "clear": ""}
	if len(pos) < 2 || *cohort == "" || *lesson == "" {
		return fmt.Errorf("%w: give --cohort, --lesson, at least one email and done, excused or clear", errUsage)
	}
	mark, ok := state[pos[len(pos)-1]]
	if !ok {
		return fmt.Errorf("%w: end with done, excused or clear", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		c, l, err := cohortAndLesson(env, db, *cohort, *lesson)
		if err != nil {
			return err
		}
		ids, err := clientIDsByEmail(env, db, pos[:len(pos)-1])
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := db.MarkLesson(env.Ctx, c.ID, l.ID, id, mark); err != nil {
				return err
			}
		}
		fmt.Fprintf(env.Stdout, "Marked %q %s for %d members.\n", l.Title, pos[len(pos)-1], len(ids))
		return nil
	})
}

func lessonsDelete(env *Env, args []string) error {
	fs := flag.NewFlagSet("lessons delete", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: name the lesson by its title", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		l, err := db.FindLessonByTitle(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		use, err := db.DeleteLesson(env.Ctx, l.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Deleted %q: out of %d curriculum(s); %d member(s) keep the mail they received.\n", use.Title, use.Cohorts, use.Members)
		return nil
	})
}
