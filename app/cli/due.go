package cli

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

func init() {
	register("run-due", "run-due [--at RFC3339] [--dry-run] [--json]",
		"Do everything that is due (scheduled posts, lessons, digests, session reminders), send the outbox, import replies, and exit: what a timer runs while the window is closed. --at runs as if the clock said that time.", runDue)
}

// dueRun is what `run-due --json` prints: what was due and queued, what was
// sent, what came in.
type dueRun struct {
	due.Summary
	DryRun bool             `json:"dryRun"`
	Sent   *sent            `json:"sent,omitempty"`
	Inbox  *app.SyncSummary `json:"inbox,omitempty"`
	Errors []string         `json:"errors,omitempty"`
}

func runDue(env *Env, args []string) error {
	fs := flag.NewFlagSet("run-due", flag.ContinueOnError)
	at := atFlag(fs)
	dryRun := fs.Bool("dry-run", false, "")
	asJSON := fs.Bool("json", false, "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return fmt.Errorf("%w: run-due takes no arguments, only options", errUsage)
	}
	now, err := at()
	if err != nil {
		return err
	}
	return env.workspace(func(db *store.DB) error {
		// As if the clock said now: what is recorded carries that time, and the
		// outbox sends what is due by it.
		start := time.Now()
		db.Now = func() time.Time { return now.Add(time.Since(start)) }

		from, err := senderOf(env.Ctx, db)
		if err != nil {
			return err
		}
		res := dueRun{DryRun: *dryRun}
		// What one part could not do is said; what the others queued is
		// still sent (a failure releasing lessons keeps no digest back).
		res.Summary, err = due.Run(env.Ctx, db, now, compose.NewIDs(from), sessions.Organizer(from), *dryRun)
		failed := err
		if err != nil {
			res.Errors = append(res.Errors, sentence(err))
		}
		if !*dryRun {
			failed = errors.Join(failed, sendAndSync(env, db, &res))
			if err := due.RecordRun(env.Ctx, db, start, res.Summary, failed); err != nil && failed == nil {
				failed = err
			}
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, res); err != nil {
				return err
			}
		} else {
			printDue(env, res)
		}
		return failed
	})
}

// sendAndSync sends what is due and imports replies; a failure of one does not
// stop the other (a server down for sending may still let replies in).
func sendAndSync(env *Env, db *store.DB, res *dueRun) error {
	m, err := env.mail(db)
	if err != nil {
		return err
	}
	defer m.close()
	var errs []error
	s, err := m.drain(env, db)
	if s.States != nil {
		res.Sent = &s
	}
	if err != nil {
		errs = append(errs, errors.New(sentence(err)))
	}
	sum, err := m.sync(env, db)
	if err == nil {
		res.Inbox = &sum
	} else {
		errs = append(errs, errors.New(sentence(err)))
	}
	for _, e := range errs {
		res.Errors = append(res.Errors, e.Error())
	}
	return errors.Join(errs...)
}

func printDue(env *Env, res dueRun) {
	if res.DryRun {
		fmt.Fprintf(env.Stdout, "Due now: %d lessons, %d digests, %d copies of scheduled posts. Nothing was queued (dry run).\n", res.Lessons, res.Digests, res.Posts)
		return
	}
	fmt.Fprintf(env.Stdout, "Released %d lessons; queued %d digests and %d session reminders; %d copies of scheduled posts were due.\n",
		res.Lessons, res.Digests, res.Reminders, res.Posts)
	if res.Sent != nil {
		printSent(env, *res.Sent)
	}
	if res.Inbox != nil {
		printSync(env, *res.Inbox)
	}
}
