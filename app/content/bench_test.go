package content_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// The benchmarks' workspace: 50 course cohorts of 30 members, each with a
// curriculum of the same 24 weekly lessons (day 1, 8, 15, …), started on
// Monday 1 September 2025; on Wednesday 19 November (day 80) twelve lessons are
// out, and run-due at 10:00 released them all and recorded the week's
// digests. In the first cohort every member answered each lesson out, and a
// third of them marked it done.
const (
	benchCohorts = 50
	benchMembers = 30
	benchLessons = 24
)

var (
	benchStart = time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	benchNow   = time.Date(2025, 11, 19, 10, 0, 0, 0, time.UTC)
	benchFrom  = compose.From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}

	benchOnce     sync.Once
	benchTemplate string
	benchErr      error
)

// benchWorkspacePath builds the template once per process (under
// $ROUNDTABLE_BENCH_DIR when set, so a script can time the CLI on it) and
// returns its path.
func benchWorkspacePath(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		dir := os.Getenv("ROUNDTABLE_BENCH_DIR")
		if dir != "" {
			os.MkdirAll(dir, 0o755)
		} else {
			var err error
			if dir, err = os.MkdirTemp("", "content-bench"); err != nil {
				benchErr = err
				return
			}
		}
		benchTemplate, benchErr = makeContentTemplate(filepath.Join(dir, "content-bench.db"))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchTemplate
}

func makeContentTemplate(path string) (string, error) {
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".part"
	os.Remove(tmp)
	db, err := store.Open(tmp)
	if err != nil {
		return "", err
	}
	clock := benchStart.AddDate(0, 0, -7)
	db.Now = func() time.Time { return clock }
	ctx := context.Background()
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "Europe/Paris"); err != nil {
		return "", err
	}
	var ins []app.LessonInput
	for i := range benchLessons {
		ins = append(ins, app.LessonInput{Title: fmt.Sprintf("Week %d", i+1), Order: i + 1, Module: fmt.Sprintf("Module %d", i/6+1),
			Body: "This week: **one step**, written down, done every day.\n\n- try it\n- note what happened\n", CheckIn: "What did you try?", AskDone: true})
	}
	if _, err := db.UpsertLessons(ctx, ins); err != nil {
		return "", err
	}
	lessons, err := db.Lessons(ctx)
	if err != nil {
		return "", err
	}
	rows := make([]app.ImportRow, benchCohorts*benchMembers)
	zones := []string{"Europe/Paris", "America/New_York", "Asia/Tokyo", ""}
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Member %04d", i), Email: fmt.Sprintf("m%04d@example.org", i),
			TimeZone: zones[i%len(zones)]}}
	}
	if _, err := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		return "", err
	}
	ids, err := db.ClientIDs(ctx, app.ClientFilter{})
	if err != nil {
		return "", err
	}
	for c := range benchCohorts {
		h, err := db.CreateCohort(ctx, app.CohortInput{Name: fmt.Sprintf("Course %02d", c+1), Kind: app.KindCourseCohort,
			StartDate: benchStart.Format(time.DateOnly)})
		if err != nil {
			return "", err
		}
		if _, err := db.AddMembers(ctx, h.ID, ids[c*benchMembers:(c+1)*benchMembers], ""); err != nil {
			return "", err
		}
		for i, l := range lessons {
			if err := db.SetCurriculum(ctx, app.CurriculumInput{CohortID: h.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 1 + 7*i}); err != nil {
				return "", err
			}
		}
	}
	clock = benchNow
	sum, err := due.Run(ctx, db, benchNow, compose.NewIDs(benchFrom), sessions.Person{Email: benchFrom.Email}, false)
	if err != nil {
		return "", err
	}
	if sum.Lessons != benchCohorts*benchMembers*12 {
		return "", fmt.Errorf("released %d lessons, want %d", sum.Lessons, benchCohorts*benchMembers*12)
	}
	// The first cohort's check-ins.
	g, err := db.ProgressGrid(ctx, 1)
	if err != nil {
		return "", err
	}
	items, err := db.Outbox(ctx, app.OutboxFilter{})
	if err != nil {
		return "", err
	}
	postOf := map[string]int64{} // the lesson's post by its title
	for _, it := range items {
		postOf[it.Subject] = it.PostID
	}
	n := 0
	for _, r := range g.Members {
		for _, cell := range r.Cells {
			if cell.State == app.LessonNotReleased {
				continue
			}
			n++
			title, _ := lessonTitle(lessons, cell.LessonID)
			post := postOf[title]
			in := app.IncomingMail{MessageID: fmt.Sprintf("r%d@example.org", n), Hash: fmt.Sprint("h", n), Kind: app.MailReply, ClientID: r.ClientID,
				PostID: post, FromName: r.Name, FromEmail: r.Email, Subject: "Re: lesson", Text: "I tried it on three mornings out of five.",
				MatchReason: app.MatchToken, Trust: app.TrustVerified}
			if n%3 == 0 {
				in.Kind, in.Text, in.CohortID, in.LessonID = app.MailDone, "", 1, cell.LessonID
			}
			if _, err := db.ImportMail(ctx, in); err != nil {
				return "", err
			}
		}
	}
	// The outbox sent it all meanwhile: nothing waits in it (taken out of the
	// queue here, as a worker would once sent).
	done := map[int64]bool{}
	for _, it := range items {
		if !done[it.PostID] {
			done[it.PostID] = true
			if _, err := db.CancelUnsent(ctx, it.PostID); err != nil {
				return "", err
			}
		}
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

func lessonTitle(ls []app.Lesson, id int64) (string, bool) {
	for _, l := range ls {
		if l.ID == id {
			return l.Title, true
		}
	}
	return "", false
}

// openBench opens a copy of the template.
func openBench(b *testing.B) *store.DB {
	b.Helper()
	raw, err := os.ReadFile(benchWorkspacePath(b))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkRunDueNothingDue is run-due's core (lessons, digests, reminders)
// over 50 cohorts × 30 members × 24 lessons when nothing is due: what the
// window's timer does every minute. Goal: under 50 ms.
func BenchmarkRunDueNothingDue(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	at := benchNow.Add(time.Hour)
	db.Now = func() time.Time { return at }
	ids, org := compose.NewIDs(benchFrom), sessions.Person{Email: benchFrom.Email}
	for b.Loop() {
		sum, err := due.Run(ctx, db, at, ids, org, false)
		if err != nil || sum.Lessons+sum.Digests+sum.Reminders != 0 {
			b.Fatalf("got %+v, %v; want nothing due", sum, err)
		}
	}
}

// BenchmarkReleaseNothingDue is the lessons' share of it.
func BenchmarkReleaseNothingDue(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	at := benchNow.Add(time.Hour)
	for b.Loop() {
		if sum, err := content.Release(ctx, db, at, compose.NewIDs(benchFrom), false); err != nil || sum.Lessons != 0 {
			b.Fatalf("got %+v, %v", sum, err)
		}
	}
}

// BenchmarkProgressGrid reads the grid of a cohort of 30 members × 24
// lessons, twelve out, each answered, a third done. Goal: under 20 ms.
func BenchmarkProgressGrid(b *testing.B) {
	db := openBench(b)
	ctx := context.Background()
	for b.Loop() {
		g, err := db.ProgressGrid(ctx, 1)
		if err != nil || len(g.Members) != benchMembers || len(g.Lessons) != benchLessons || g.Lessons[0].Replied != benchMembers {
			b.Fatalf("got %d × %d (%+v), %v", len(g.Members), len(g.Lessons), g.Lessons[0], err)
		}
	}
}
