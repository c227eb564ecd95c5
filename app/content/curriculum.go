package content

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/render"
)

// CurriculumStore is what planning a curriculum needs from the workspace.
type CurriculumStore interface {
	SetCurriculum(ctx context.Context, in app.CurriculumInput) error
	Curriculum(ctx context.Context, cohortID int64) (app.Curriculum, error)
	DigestSettings(ctx context.Context, cohortID int64) (app.DigestSettings, error)
	Setting(ctx context.Context, key string, v any) error
}

// Check says, in a sentence the coach can act on, what is wrong with when a
// lesson is to be released.
func Check(in app.CurriculumInput) error {
	switch in.Rule {
	case app.ReleaseOnDate:
		if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
			return app.FieldErrorf(app.EINVALID, "date", "Give the release date as YYYY-MM-DD (%q is not one).", in.Date)
		}
		if in.Hour == nil {
			return app.FieldErrorf(app.EINVALID, "hour", "Give the hour of the release on %s.", in.Date)
		}
	case app.ReleaseCohortDay, app.ReleaseJoinDay:
		if in.Day < 1 {
			return app.FieldErrorf(app.EINVALID, "day", "Day 1 is the first day; give a day of 1 or more (%d was given).", in.Day)
		}
	default:
		return app.FieldErrorf(app.EINVALID, "rule", "Release a lesson on a date, on day N of the cohort, or on day N after each member joined.")
	}
	if in.Hour != nil && (*in.Hour < 0 || *in.Hour > 23) {
		return app.FieldErrorf(app.EINVALID, "hour", "The hour must be between 0 and 23 (%d was given).", *in.Hour)
	}
	return nil
}

// OnDate reads a release moment written in RFC 3339 ("2026-03-02T09:00:00+01:00")
// as the date and hour its clock shows: the hour is read in the zone the
// cohort's digest setting names, like every release. It must be on the hour.
func OnDate(s string) (in app.CurriculumInput, err error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return in, app.FieldErrorf(app.EINVALID, "date", "Give the release as a date and hour, such as 2026-03-02T09:00:00+01:00 (%q is not one).", s)
	}
	if t.Minute() != 0 || t.Second() != 0 {
		return in, app.FieldErrorf(app.EINVALID, "hour", "Lessons are released on the hour; give %s without minutes.", t.Format("2006-01-02T15"))
	}
	h := t.Hour()
	return app.CurriculumInput{Rule: app.ReleaseOnDate, Date: t.Format(time.DateOnly), Hour: &h}, nil
}

// Schedule checks and sets when a lesson is released in a cohort.
func Schedule(ctx context.Context, st CurriculumStore, in app.CurriculumInput) error {
	if err := Check(in); err != nil {
		return err
	}
	return st.SetCurriculum(ctx, in)
}

// Show returns a cohort's curriculum with each entry described in a sentence.
func Show(ctx context.Context, st CurriculumStore, cohortID int64) (app.Curriculum, error) {
	cur, err := st.Curriculum(ctx, cohortID)
	if err != nil {
		return cur, err
	}
	d, err := st.DigestSettings(ctx, cohortID)
	if err != nil {
		return cur, err
	}
	coach, err := digest.CoachZone(ctx, st)
	if err != nil {
		return cur, err
	}
	for i := range cur.Entries {
		cur.Entries[i].Described = Describe(cur.Entries[i], d, coach)
	}
	return cur, nil
}

// WriteGridCSV writes the progress grid as CSV: one line a member, a column a
// lesson holding its state, then the member's counts.
func WriteGridCSV(w io.Writer, g app.ProgressGrid) error {
	cw := csv.NewWriter(w)
	head := []string{"name", "email"}
	for _, l := range g.Lessons {
		head = append(head, l.Title)
	}
	head = append(head, "released", "replied", "done")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range g.Members {
		line := []string{r.Name, r.Email}
		for _, c := range r.Cells {
			line = append(line, c.State)
		}
		line = append(line, strconv.Itoa(r.Released), strconv.Itoa(r.Replied), strconv.Itoa(r.Done))
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// LessonStore is what saving a lesson needs from the workspace.
type LessonStore interface {
	SaveLesson(ctx context.Context, id int64, in app.LessonInput, correction bool, newIDs func() app.MessageIdentity) (app.Lesson, int, error)
}

// CheckLesson says what stops a lesson from going to members: a missing title
// or body, and placeholders the renderer does not know ("{{firstname}}"),
// which would reach every member as written, as a post's would.
func CheckLesson(in app.LessonInput) error {
	if err := app.CheckLesson(in); err != nil {
		return err
	}
	subject, body := app.LessonMail(app.Lesson{Title: in.Title, Body: in.Body, CheckIn: in.CheckIn, AskDone: in.AskDone})
	if ps := render.Check(render.Content{Subject: subject, Markdown: body}); len(ps) > 0 {
		field := map[string]string{app.FieldSubject: "title"}[ps[0].Field]
		if field == "" {
			field = "body"
		}
		return app.FieldErrorf(app.EINVALID, field, "%s", strings.Replace(ps[0].Message, "in the subject", "in the title", 1))
	}
	return nil
}

// SaveLesson checks and saves a lesson (id 0 creates one); with correction,
// the members who already had it get the corrected lesson (see
// store.SaveLesson). It returns how many corrections were queued.
func SaveLesson(ctx context.Context, st LessonStore, id int64, in app.LessonInput, correction bool, newIDs func() app.MessageIdentity) (app.Lesson, int, error) {
	if err := CheckLesson(in); err != nil {
		return app.Lesson{}, 0, err
	}
	return st.SaveLesson(ctx, id, in, correction, newIDs)
}
