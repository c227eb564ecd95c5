// Package due does what is due now, in one place for the window's timer and for
// `roundtable run-due` (run from a systemd timer, launchd or Task Scheduler when
// the window is closed): the lessons whose release has come, the digests whose
// hour has come and the reminders before live sessions; scheduled posts are
// already in the outbox, due at their time, and go when it runs.
package due

import (
	"context"
	"errors"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/sessions"
)

// Store is what the runner needs from the workspace.
type Store interface {
	digest.Store
	content.Store
	sessions.Store
	ScheduledDue(ctx context.Context, now time.Time) (int, error)
}

// Summary says what a run found due and queued.
type Summary struct {
	Digests int `json:"digests"` // digest copies queued now
	Posts   int `json:"posts"`   // copies of scheduled posts whose time has come (the outbox sends them)
	// Reminders are reminder copies queued now before live sessions (not
	// counted in a dry run: whether one went already is known only by trying).
	Reminders int `json:"reminders"`
	// Lessons are the lessons released now (by mail, into the next digest,
	// or listed in a late joiner's welcome mail).
	Lessons int `json:"lessons"`
}

// Run queues everything due at now; org is the coach, who sends the session
// reminders. With dryRun it only counts: nothing is recorded, so a later run
// does the same work.
func Run(ctx context.Context, st Store, now time.Time, newIDs func() app.MessageIdentity, org sessions.Person, dryRun bool) (Summary, error) {
	var sum Summary
	var err error
	if sum.Posts, err = st.ScheduledDue(ctx, now); err != nil {
		return sum, err
	}
	// Lessons first: a lesson released into a member's digest at the digest's
	// own hour goes in that digest. A failure there is reported, and does not
	// keep the digests and reminders from going.
	l, lessonsErr := content.Release(ctx, st, now, newIDs, dryRun)
	sum.Lessons = l.Lessons
	if dryRun {
		sum.Digests, err = countDigests(ctx, st, now)
		return sum, errors.Join(lessonsErr, err)
	}
	d, err := digest.Run(ctx, st, now, newIDs)
	sum.Digests = d.Digests
	if err != nil {
		return sum, errors.Join(lessonsErr, err)
	}
	plan := sessions.Planner{Store: st, Organizer: org, NewIDs: newIDs, Now: func() time.Time { return now }}
	sum.Reminders, err = plan.Reminders(ctx, now)
	return sum, errors.Join(lessonsErr, err)
}

// countDigests is how many members are due a digest at now (empty ones
// included: what they carry is decided only when they are recorded).
func countDigests(ctx context.Context, st Store, now time.Time) (int, error) {
	coach, err := digest.CoachZone(ctx, st)
	if err != nil {
		return 0, err
	}
	cohorts, err := st.DigestCohorts(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cohorts {
		members, err := st.DigestMembers(ctx, c.ID)
		if err != nil {
			return 0, err
		}
		n += len(digest.Plan(c, members, coach, now))
	}
	return n, nil
}

// Every runs Run at start and then every interval until ctx ends, calling
// queued after each run that queued something (the window wakes its outbox) and
// failed after one that failed (the window shows it; the next tick tries again);
// a run where one part failed and another queued calls both.
func Every(ctx context.Context, st Store, interval time.Duration, newIDs func() app.MessageIdentity, org sessions.Person,
	queued func(Summary), failed func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sum, err := Run(ctx, st, time.Now(), newIDs, org, false)
		if err != nil && ctx.Err() == nil {
			failed(err)
		}
		if sum.Digests > 0 || sum.Reminders > 0 || sum.Lessons > 0 {
			queued(sum) // also after a part failed: what the others queued goes
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// LastRunKey names the setting where `roundtable run-due` writes down its last
// run, so the window can show whether the timer that runs it works.
const LastRunKey = "run_due_last"

// Settings is where the last run is kept.
type Settings interface {
	Setting(ctx context.Context, key string, v any) error
	SaveSetting(ctx context.Context, key string, v any) error
}

// RecordRun writes down a run that started at, with what it did and how it
// ended.
func RecordRun(ctx context.Context, st Settings, at time.Time, sum Summary, failed error) error {
	r := app.LastRun{At: at.UTC(), Digests: sum.Digests, Posts: sum.Posts, Reminders: sum.Reminders, Lessons: sum.Lessons}
	if failed != nil {
		r.Error = app.ErrorMessage(failed)
	}
	return st.SaveSetting(ctx, LastRunKey, r)
}

// LastRunOf returns the last recorded run; ok is false when there has been none.
func LastRunOf(ctx context.Context, st Settings) (r app.LastRun, ok bool, err error) {
	err = st.Setting(ctx, LastRunKey, &r)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return r, false, nil
	}
	return r, err == nil, err
}
