package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/mail/compose"
)

// TestContentService: the window writes a lesson, schedules it for day 1,
// the run releases it, the coach excuses a member and corrects the lesson;
// errors cross the bridge with their code and field.
func TestContentService(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Course", StartDate: time.Now().AddDate(0, 0, -1).Format(time.DateOnly)})
	ada, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com"})
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID}, "")
	db.SetJoinDate(ctx, cohort.ID, []int64{ada.ID}, time.Now().AddDate(0, 0, -3).Format(time.DateOnly))
	s := NewContentService(db)
	Startup(ctx, s)

	if got := bridged(t, func() error { _, err := s.SaveLesson(0, app.LessonInput{Title: "Week 1"}, false); return err }()); got.Code != app.EINVALID || got.Field != "body" {
		t.Fatalf("got %+v, want invalid on the body", got)
	}
	typo := func() error {
		_, err := s.SaveLesson(0, app.LessonInput{Title: "Week 1", Body: "Hi {{firstname}}."}, false)
		return err
	}
	if got := bridged(t, typo()); got.Field != "body" || !strings.Contains(got.Message, "{{first_name}}") {
		t.Fatalf("got %+v, want the unknown placeholder refused with the one meant", got)
	}
	l, err := s.SaveLesson(0, app.LessonInput{Title: "Week 1", Body: "Pick one habit.", CheckIn: "Which one?"}, false)
	if err != nil || l.Slug != "week-1" {
		t.Fatalf("got %+v, %v", l, err)
	}
	if got := bridged(t, s.Schedule(app.CurriculumInput{CohortID: cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay})); got.Field != "day" {
		t.Fatalf("got %+v, want the day refused", got)
	}
	if err := s.Schedule(app.CurriculumInput{CohortID: cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 1}); err != nil {
		t.Fatal(err)
	}
	ids := compose.NewIDs(compose.From{Email: "coach@example.com"})
	if sum, err := content.Release(ctx, db, time.Now(), ids, false); err != nil || sum.Lessons != 1 {
		t.Fatalf("release: %+v, %v", sum, err)
	}
	cur, err := s.Curriculum(cohort.ID)
	if err != nil || len(cur.Entries) != 1 || cur.Entries[0].Released != 1 || !strings.HasPrefix(cur.Entries[0].Described, "Day 1 of the cohort") {
		t.Fatalf("curriculum: %+v, %v", cur, err)
	}
	if err := s.Mark(cohort.ID, l.ID, ada.ID, app.LessonExcused); err != nil {
		t.Fatal(err)
	}
	if g, err := s.Progress(cohort.ID); err != nil || g.Members[0].Cells[0].State != app.LessonExcused {
		t.Fatalf("grid: %+v, %v", g, err)
	}
	if csv, err := s.ProgressCSV(cohort.ID); err != nil || !strings.Contains(csv, "Ada Lovelace,ada@example.com,excused,1,0,0") {
		t.Fatalf("csv: %q, %v", csv, err)
	}

	// A correction needs the running outbox; with it, Ada gets one and the outbox wakes.
	in := app.LessonInput{Slug: l.Slug, Title: l.Title, Body: "Pick one habit, fixed.", CheckIn: l.CheckIn}
	if got := bridged(t, func() error { _, err := s.SaveLesson(l.ID, in, true); return err }()); got.Code != app.EUNAVAILABLE {
		t.Fatalf("got %+v, want unavailable before the outbox runs", got)
	}
	kicks := 0
	s.from, s.kick = func() compose.From { return compose.From{Email: "coach@example.com"} }, func() { kicks++ }
	if _, err := s.SaveLesson(l.ID, in, false); err != nil || kicks != 0 {
		t.Fatalf("save without correction: %v, %d kicks", err, kicks)
	}
	if _, err := s.SaveLesson(l.ID, in, true); err != nil || kicks != 1 {
		t.Fatalf("save with correction: %v, %d kicks", err, kicks)
	}
	items, _ := db.Outbox(ctx, app.OutboxFilter{})
	if len(items) != 2 || items[0].Subject != "Correction: Week 1" && items[1].Subject != "Correction: Week 1" {
		t.Fatalf("outbox: %+v, want the lesson and its correction", items)
	}
	if err := s.Unschedule(cohort.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	if got := bridged(t, s.Unschedule(cohort.ID, l.ID)); got.Code != app.ENOTFOUND {
		t.Fatalf("got %+v, want not found", got)
	}
}

// TestContentService_Files: the grid saved where the dialog answers, and the
// folder the dialog gives for a lesson import or export.
func TestContentService_Files(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Spring Course", StartDate: time.Now().Format(time.DateOnly)})
	ada, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com"})
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID}, "")
	s := NewContentService(db)
	Startup(ctx, s)
	l, _ := s.SaveLesson(0, app.LessonInput{Title: "Week 1", Body: "Pick one habit."}, false)
	if err := s.Schedule(app.CurriculumInput{CohortID: cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 3}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv(DialogFileEnv, filepath.Join(dir, "grid.csv"))
	path, err := s.SaveProgressCSV(cohort.ID)
	if err != nil || path != filepath.Join(dir, "grid.csv") {
		t.Fatalf("got %q, %v", path, err)
	}
	b, _ := os.ReadFile(path)
	if want := "name,email,Week 1,released,replied,done\nAda Lovelace,ada@example.com,not_released,0,0,0\n"; string(b) != want {
		t.Fatalf("csv: got %q, want %q", b, want)
	}
	if got, err := s.ChooseFolder("Import lessons"); err != nil || got != dir {
		t.Fatalf("got %q, %v, want %q", got, err, dir)
	}
	if n, err := s.ExportFolder(dir); err != nil || n != 1 {
		t.Fatalf("export: %d, %v", n, err)
	}
	if sum, err := s.ImportFolder(dir); err != nil || sum.Unchanged != 1 || sum.Created+sum.Updated != 0 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	if got := bridged(t, func() error { _, err := s.SaveProgressCSV(cohort.ID + 99); return err }()); got.Code != app.ENOTFOUND {
		t.Fatalf("got %+v, want not found", got)
	}
}
