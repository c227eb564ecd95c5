package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("sessions create", "sessions create --cohort NAME|--client EMAIL --title T --start TIME --duration 60m --tz ZONE [--link URL] [--location TEXT] [--agenda FILE.md] [--weekly N] [--until YYYY-MM-DD|--count N] [--json]",
		"Plan a live session and queue a calendar invitation to each member (then run outbox send). TIME is RFC 3339, or YYYY-MM-DDTHH:MM on the --tz clock.", sessionsCreate)
	register("sessions update", "sessions update ID [--title T] [--start TIME] [--duration D] [--tz ZONE] [--link URL] [--location TEXT] [--agenda FILE.md] [--weekly N] [--until DATE|--count N] [--json]",
		"Change a session (only what the options name) and queue the update to everyone invited.", sessionsUpdate)
	register("sessions cancel", "sessions cancel ID [--json]",
		"Call a session off and queue the cancellation to everyone invited.", sessionsCancel)
	registerReader("sessions list", "sessions list [--cohort NAME] [--client EMAIL] [--json]",
		"List sessions by start, with how many accepted.", sessionsList)
	registerReader("sessions show", "sessions show ID [--json]",
		"One session with each attendee's answer and attendance.", sessionsShow)
	register("sessions attend", "sessions attend ID EMAIL... [--absent]",
		"Record that these attendees came to the session (or, with --absent, did not).", sessionsAttend)
	register("sessions note", "sessions note ID --body FILE.md [--client EMAIL]",
		"Keep a private note on the session (or on one attendee in it). Never sent.", sessionsNote)
	register("sessions reminders", "sessions reminders --cohort NAME --before 24h,1h|none",
		"Set when the reminders before each of the cohort's sessions go (a day and an hour before by default).", sessionsReminders)
	register("sessions rsvp", "sessions rsvp ID EMAIL --answer accepted|declined|tentative",
		"Record an answer a member gave you another way (by phone, in person).", sessionsRSVP)
}

// sessionFlags are the options that set a session, and which were given.
type sessionFlags struct {
	fs                                            *flag.FlagSet
	cohort, client, title, start, tz, link, where string
	agenda, until, duration                       string
	weekly, count                                 int
}

func newSessionFlags(name string) *sessionFlags {
	f := &sessionFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.StringVar(&f.cohort, "cohort", "", "")
	f.fs.StringVar(&f.client, "client", "", "")
	f.fs.StringVar(&f.title, "title", "", "")
	f.fs.StringVar(&f.start, "start", "", "")
	f.fs.StringVar(&f.duration, "duration", "60m", "")
	f.fs.StringVar(&f.tz, "tz", "", "")
	f.fs.StringVar(&f.link, "link", "", "")
	f.fs.StringVar(&f.where, "location", "", "")
	f.fs.StringVar(&f.agenda, "agenda", "", "")
	f.fs.IntVar(&f.weekly, "weekly", 0, "")
	f.fs.StringVar(&f.until, "until", "", "")
	f.fs.IntVar(&f.count, "count", 0, "")
	return f
}

// apply sets on in what the command line gave.
func (f *sessionFlags) apply(in *app.SessionInput) error {
	var err error
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if given["title"] {
		in.Title = f.title
	}
	if given["tz"] {
		in.TimeZone = f.tz
	}
	if given["start"] {
		if in.Start, err = parseStart(f.start, in.TimeZone); err != nil {
			return err
		}
	}
	if given["duration"] || in.Minutes == 0 {
		d, err := time.ParseDuration(f.duration)
		if err != nil || d < time.Minute {
			return fmt.Errorf("%w: --duration takes a length like 60m or 1h30m", errUsage)
		}
		in.Minutes = int(d / time.Minute)
	}
	if given["link"] {
		in.Link = f.link
	}
	if given["location"] {
		in.Location = f.where
	}
	if given["agenda"] {
		b, err := os.ReadFile(f.agenda)
		if err != nil {
			return app.Wrap(app.EINVALID, err, "The agenda file %s could not be read", f.agenda)
		}
		in.Agenda = string(b)
	}
	if given["weekly"] {
		in.EveryWeeks = f.weekly
	}
	if given["until"] {
		in.Until, in.Count = f.until, 0
	}
	if given["count"] {
		in.Count, in.Until = f.count, ""
	}
	return nil
}

// parseStart reads --start: an RFC 3339 time, or a wall-clock time without an
// offset on the session's own clock.
func parseStart(s, zone string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: --start takes a time like 2026-03-03T18:00:00+01:00, or 2026-03-03T18:00 on the --tz clock", errUsage)
}

func sessionID(pos []string) (int64, error) {
	if len(pos) < 1 {
		return 0, fmt.Errorf("%w: give the session's ID (see sessions list)", errUsage)
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q is not a session ID", errUsage, pos[0])
	}
	return id, nil
}

// idAndJSON reads the arguments of a command that takes a session's ID and
// --json alone.
func idAndJSON(name string, args []string) (int64, bool, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return 0, false, err
	}
	if len(pos) > 1 {
		return 0, false, fmt.Errorf("%w: give one session ID", errUsage)
	}
	id, err := sessionID(pos)
	return id, *asJSON, err
}

// planner plans sessions as the coach who sends now.
func planner(env *Env, db *store.DB) (sessions.Planner, error) {
	from, err := senderOf(env.Ctx, db)
	return sessions.NewPlanner(db, from), err
}

func sessionsCreate(env *Env, args []string) error {
	f := newSessionFlags("sessions create")
	asJSON := f.fs.Bool("json", false, "")
	if pos, err := parse(f.fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: sessions create takes only options", errUsage)
	}
	if (f.cohort == "") == (f.client == "") || f.title == "" || f.start == "" {
		return fmt.Errorf("%w: give --cohort NAME or --client EMAIL, --title and --start", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		in := app.SessionInput{TimeZone: "UTC"}
		if f.cohort != "" {
			c, err := db.FindCohortByName(env.Ctx, f.cohort)
			if err != nil {
				return err
			}
			in.CohortID = c.ID
		} else {
			c, err := db.FindClientByEmail(env.Ctx, f.client)
			if err != nil {
				return err
			}
			in.ClientID = c.ID
		}
		if err := f.apply(&in); err != nil {
			return err
		}
		plan, err := planner(env, db)
		if err != nil {
			return err
		}
		s, err := plan.Create(env.Ctx, in)
		if err != nil {
			return err
		}
		return printSession(env, s, *asJSON, fmt.Sprintf("Planned session %d; invitations queued to %d (run outbox send).", s.ID, len(s.Attendees)))
	})
}

func sessionsUpdate(env *Env, args []string) error {
	f := newSessionFlags("sessions update")
	asJSON := f.fs.Bool("json", false, "")
	pos, err := parse(f.fs, args)
	if err != nil {
		return err
	}
	id, err := sessionID(pos)
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		s, err := db.Session(env.Ctx, id)
		if err != nil {
			return err
		}
		in := sessions.Input(s)
		if err := f.apply(&in); err != nil {
			return err
		}
		plan, err := planner(env, db)
		if err != nil {
			return err
		}
		if s, err = plan.Update(env.Ctx, id, in); err != nil {
			return err
		}
		return printSession(env, s, *asJSON, fmt.Sprintf("Updated session %d (sequence %d); the update is queued to everyone invited.", s.ID, s.Sequence))
	})
}

func sessionsCancel(env *Env, args []string) error {
	id, asJSON, err := idAndJSON("sessions cancel", args)
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		plan, err := planner(env, db)
		if err != nil {
			return err
		}
		s, err := plan.Cancel(env.Ctx, id)
		if err != nil {
			return err
		}
		return printSession(env, s, asJSON, fmt.Sprintf("Cancelled session %d; the cancellation is queued to everyone invited.", s.ID))
	})
}

func sessionsList(env *Env, args []string) error {
	fs := flag.NewFlagSet("sessions list", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	client := fs.String("client", "", "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: sessions list takes only options", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		var f app.SessionFilter
		if *cohort != "" {
			c, err := db.FindCohortByName(env.Ctx, *cohort)
			if err != nil {
				return err
			}
			f.CohortID = c.ID
		}
		if *client != "" {
			c, err := db.FindClientByEmail(env.Ctx, *client)
			if err != nil {
				return err
			}
			f.ClientID = c.ID
		}
		ss, err := db.Sessions(env.Ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ss)
		}
		if len(ss) == 0 {
			fmt.Fprintln(env.Stdout, "No sessions yet.")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tWHEN\tTITLE\tFOR\tSTATUS\tANSWERS")
		for _, s := range ss {
			who := s.Cohort
			if who == "" {
				who = s.Client
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", s.ID, sessions.When(s), s.Title, who, s.Status, answers(s))
		}
		return tw.Flush()
	})
}

// answers counts the attendees' answers: "2 yes, 1 no, 1 maybe, 3 no answer".
func answers(s app.Session) string {
	n := map[string]int{}
	for _, a := range s.Attendees {
		if a.State == app.AttendeeInvited {
			n[a.RSVP]++
		}
	}
	return fmt.Sprintf("%d yes, %d no, %d maybe, %d no answer", n[app.RSVPAccepted], n[app.RSVPDeclined], n[app.RSVPTentative], n[app.RSVPNone])
}

func sessionsShow(env *Env, args []string) error {
	id, asJSON, err := idAndJSON("sessions show", args)
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		s, err := db.Session(env.Ctx, id)
		if err != nil {
			return err
		}
		return printSession(env, s, asJSON, "")
	})
}

// printSession prints a session with its attendees, after a first line saying
// what the command did.
func printSession(env *Env, s app.Session, asJSON bool, done string) error {
	if asJSON {
		return writeJSON(env.Stdout, s)
	}
	if done != "" {
		fmt.Fprintln(env.Stdout, done)
	}
	who := "Cohort: " + s.Cohort
	if s.ClientID != 0 {
		who = "Client: " + s.Client
	}
	fmt.Fprintf(env.Stdout, "%s (%s)\n%s\nWhen: %s\n", s.Title, s.Status, who, sessions.When(s))
	if r := sessions.Repeats(s); r != "" {
		fmt.Fprintf(env.Stdout, "Repeats: %s\n", r)
	}
	if s.Link != "" {
		fmt.Fprintf(env.Stdout, "Link: %s\n", s.Link)
	}
	if s.Note != "" {
		fmt.Fprintf(env.Stdout, "Private note: %s\n", strings.TrimSpace(s.Note))
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEMAIL\tANSWER\tREAD FROM\tCAME")
	for _, a := range s.Attendees {
		answer := a.RSVP
		if a.State == app.AttendeeRemoved {
			answer = "left the cohort"
		}
		came := "-"
		if a.Attended != nil {
			came = map[bool]string{true: "yes", false: "no"}[*a.Attended]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Email, answer, a.RSVPSource, came)
	}
	return tw.Flush()
}

func sessionsAttend(env *Env, args []string) error {
	fs := flag.NewFlagSet("sessions attend", flag.ContinueOnError)
	absent := fs.Bool("absent", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	id, err := sessionID(pos)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("%w: name at least one attendee by email", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		ids, err := clientIDsByEmail(env, db, pos[1:])
		if err != nil {
			return err
		}
		if err := db.SetAttendance(env.Ctx, id, ids, !*absent); err != nil {
			return err
		}
		word := "came"
		if *absent {
			word = "did not come"
		}
		fmt.Fprintf(env.Stdout, "Recorded that %d %s.\n", len(ids), word)
		return nil
	})
}

func sessionsNote(env *Env, args []string) error {
	fs := flag.NewFlagSet("sessions note", flag.ContinueOnError)
	body := fs.String("body", "", "")
	client := fs.String("client", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	id, err := sessionID(pos)
	if err != nil {
		return err
	}
	if *body == "" || len(pos) != 1 {
		return fmt.Errorf("%w: give the session's ID and --body FILE.md", errUsage)
	}
	b, err := os.ReadFile(*body)
	if err != nil {
		return app.Wrap(app.EINVALID, err, "The note file %s could not be read", *body)
	}
	return env.workspace(func(db *store.DB) error {
		if *client == "" {
			return db.SetSessionNote(env.Ctx, id, string(b))
		}
		ids, err := clientIDsByEmail(env, db, []string{*client})
		if err != nil {
			return err
		}
		return db.SetAttendeeNote(env.Ctx, id, ids[0], string(b))
	})
}

func sessionsRSVP(env *Env, args []string) error {
	fs := flag.NewFlagSet("sessions rsvp", flag.ContinueOnError)
	answer := fs.String("answer", "", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	id, err := sessionID(pos)
	if err != nil {
		return err
	}
	switch *answer {
	case app.RSVPAccepted, app.RSVPDeclined, app.RSVPTentative:
	default:
		return fmt.Errorf("%w: --answer is accepted, declined or tentative", errUsage)
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: give the session's ID and one email", errUsage)
	}
	return env.workspace(func(db *store.DB) error {
		ids, err := clientIDsByEmail(env, db, pos[1:])
		if err != nil {
			return err
		}
		return db.RecordRSVP(env.Ctx, id, ids[0], *answer, app.RSVPFromCoach)
	})
}

func sessionsReminders(env *Env, args []string) error {
	fs := flag.NewFlagSet("sessions reminders", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "")
	before := fs.String("before", "", "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *cohort == "" || *before == "" {
		return fmt.Errorf("%w: give --cohort NAME and --before 24h,1h (or none)", errUsage)
	}
	var ds []time.Duration
	if *before != "none" {
		for _, f := range strings.Split(*before, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(f))
			if err != nil {
				return fmt.Errorf("%w: --before takes lengths like 24h,1h or 30m, or none", errUsage)
			}
			ds = append(ds, d)
		}
	}
	return env.workspace(func(db *store.DB) error {
		c, err := db.FindCohortByName(env.Ctx, *cohort)
		if err != nil {
			return err
		}
		if err := db.SetSessionReminders(env.Ctx, c.ID, ds); err != nil {
			return err
		}
		if len(ds) == 0 {
			fmt.Fprintf(env.Stdout, "No reminders before %s's sessions.\n", c.Name)
			return nil
		}
		var words []string
		for _, d := range ds {
			words = append(words, strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m"))
		}
		fmt.Fprintf(env.Stdout, "Reminders go %s before each of %s's sessions.\n", strings.Join(words, " and "), c.Name)
		return nil
	})
}
