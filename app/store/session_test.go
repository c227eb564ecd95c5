package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// TestMigrateSessionsKeepsPostsAndTheirMail checks that rebuilding posts for
// sessions (0013) keeps an older workspace's announcements, their outbox copies
// and the replies threaded under them.
func TestMigrateSessionsKeepsPostsAndTheirMail(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "workspace.db")
	old, err := openAt(path, 12)
	if err != nil {
		t.Fatal(err)
	}
	cohort, err := old.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	if err != nil {
		t.Fatal(err)
	}
	ada := mustClient(t, old, "Ada Lovelace", "ada@example.com")
	if _, err := old.AddMembers(ctx, cohort.ID, []int64{ada.ID}, ""); err != nil {
		t.Fatal(err)
	}
	p, err := old.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 1", Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ids := func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: time.Now().Format("150405.000000000") + "@x", Token: "tok" + string(rune('a'+n)), BounceToken: "b" + string(rune('a'+n))}
	}
	if _, err := old.QueuePost(ctx, p.ID, ids); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	posts, err := db.ListPosts(ctx, cohort.ID)
	if err != nil || len(posts) != 1 || posts[0].Subject != "Week 1" || posts[0].Counts[app.OutboxQueued] != 1 {
		t.Fatalf("got %+v (%v), want the post with its queued copy", posts, err)
	}
	job, err := db.NextDue(ctx, time.Now().Add(time.Hour), 0)
	if err != nil || job.Post.Cohort != "Circle" || job.Item.Email != "ada@example.com" || job.Calendar != nil {
		t.Fatalf("got %+v (%v), want Ada's copy of Week 1 without a calendar", job, err)
	}
	var fk int
	if err := db.db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
		t.Fatalf("foreign key problems: %d (%v)", fk, err)
	}
}

func TestSessionAttendanceAndNotes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada := mustClient(t, db, "Ada Lovelace", "ada@example.com")
	grace := mustClient(t, db, "Grace Hopper", "grace@example.com")
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID, grace.ID}, "")
	noMail := func(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
		return app.SessionMail{Subject: "Invitation", Body: "Come", Method: "REQUEST", Calendars: map[int64][]byte{}}, nil
	}
	n := 0
	ids := func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: "m" + string(rune('a'+n)) + "@x", Token: "t" + string(rune('a'+n)), BounceToken: "b" + string(rune('a'+n))}
	}
	s, err := db.CreateSession(ctx, app.SessionInput{CohortID: cohort.ID, Title: "Call", Start: time.Now(), Minutes: 60, TimeZone: "UTC"}, "uid-1@x", noMail, ids)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := db.SetAttendance(ctx, s.ID, []int64{ada.ID}, true); err != nil {
			t.Fatal(err)
		}
		if err := db.SetAttendance(ctx, s.ID, []int64{grace.ID}, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetSessionNote(ctx, s.ID, "Good energy."); err != nil {
			t.Fatal(err)
		}
		if err := db.SetAttendeeNote(ctx, s.ID, ada.ID, "Stuck on pricing."); err != nil {
			t.Fatal(err)
		}
		got, err := db.Session(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, g := got.Attendees[0], got.Attendees[1]
		if a.Attended == nil || !*a.Attended || g.Attended == nil || *g.Attended || a.Note != "Stuck on pricing." || got.Note != "Good energy." {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("ErrNotInvited", func(t *testing.T) {
		linus := mustClient(t, db, "Linus", "linus@example.com")
		wantCode(t, db.SetAttendance(ctx, s.ID, []int64{linus.ID}, true), app.ENOTFOUND)
	})
	t.Run("TextDoesNotOverrideCoach", func(t *testing.T) {
		if err := db.RecordRSVP(ctx, s.ID, ada.ID, app.RSVPAccepted, app.RSVPFromCoach); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.RecordRSVP(ctx, s.ID, ada.ID, app.RSVPDeclined, app.RSVPFromText), app.ENOTFOUND)
		got, _ := db.Session(ctx, s.ID)
		if got.Attendees[0].RSVP != app.RSVPAccepted {
			t.Fatalf("got %q, want the coach's answer kept", got.Attendees[0].RSVP)
		}
	})
}

// A cohort's reminders read a day and an hour before until the coach changes
// them; the window shows what it read.
func TestSessionRemindersSetting(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c, err := db.CreateCohort(ctx, app.CohortInput{Name: "Circle", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.SessionReminders(ctx, c.ID); err != nil || fmt.Sprint(got) != "[1440 60]" {
		t.Fatalf("new cohort's reminders %v, %v; want [1440 60]", got, err)
	}
	if err := db.SetSessionReminders(ctx, c.ID, []time.Duration{2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.SessionReminders(ctx, c.ID); fmt.Sprint(got) != "[120]" {
		t.Errorf("after setting two hours: %v", got)
	}
	if err := db.SetSessionReminders(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.SessionReminders(ctx, c.ID); len(got) != 0 {
		t.Errorf("after none: %v", got)
	}
	_, err = db.SessionReminders(ctx, c.ID+100)
	wantCode(t, err, app.ENOTFOUND)
}
