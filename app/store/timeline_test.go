package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func TestTimeline(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	tick := func() { clock = clock.Add(time.Hour) }
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada := mustClient(t, db, "Ada Lovelace", "ada@example.com")
	other := mustClient(t, db, "Grace Hopper", "grace@example.com")
	tick()
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID, other.ID}, "")
	tick()
	p, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 1", Body: "Hello"})
	n := 0
	ids := func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: fmt.Sprintf("m%d@x", n), Token: fmt.Sprintf("tok%d", n), BounceToken: fmt.Sprintf("b%d", n)}
	}
	if _, err := db.QueuePost(ctx, p.ID, ids); err != nil {
		t.Fatal(err)
	}
	tick()
	mail := func(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
		return app.SessionMail{Subject: "Invitation: Call", Body: "Come", Method: "REQUEST", Calendars: map[int64][]byte{}}, nil
	}
	s, err := db.CreateSession(ctx, app.SessionInput{CohortID: cohort.ID, Title: "Call", Start: clock.Add(48 * time.Hour), Minutes: 60, TimeZone: "UTC"}, "uid@x", mail, ids)
	if err != nil {
		t.Fatal(err)
	}
	db.RecordRSVP(ctx, s.ID, ada.ID, app.RSVPAccepted, app.RSVPFromCalendar)
	db.SetAttendance(ctx, s.ID, []int64{ada.ID}, true)
	db.SetAttendeeNote(ctx, s.ID, ada.ID, "Stuck on pricing.")
	db.SetAttendeeNote(ctx, s.ID, other.ID, "Grace's note, not Ada's.")
	tick()
	db.RemoveMember(ctx, cohort.ID, ada.ID)

	got, err := db.Timeline(ctx, ada.ID, app.TimelineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range got {
		kinds = append(kinds, e.Kind+":"+e.Title)
		if e.Kind == app.TimelineNote && (!e.Private || e.Detail != "Stuck on pricing.") {
			t.Errorf("note %+v, want Ada's own, marked private", e)
		}
		if e.Kind == app.TimelineSession && e.Detail != "accepted, came" {
			t.Errorf("session detail %q, want accepted, came", e.Detail)
		}
	}
	want := "[session:Call note:Call left:Circle session_mail:Invitation: Call post:Week 1 joined:Circle]"
	if fmt.Sprint(kinds) != want {
		t.Fatalf("got %v, want %s (newest first)", kinds, want)
	}
	only, _ := db.Timeline(ctx, ada.ID, app.TimelineFilter{Kinds: []string{app.TimelinePost, app.TimelineJoined}})
	if len(only) != 2 {
		t.Errorf("filtered: %+v, want the post and the join", only)
	}
	page, _ := db.Timeline(ctx, ada.ID, app.TimelineFilter{Limit: 2, Before: got[1].At})
	if len(page) != 2 || page[0].Kind != app.TimelineLeft {
		t.Errorf("next page: %+v", page)
	}
}

// BenchmarkTimelineFirstPage reads the newest page of a client with 5,000
// events in a workspace of 50,000 copies (issue 10: under 50 ms).
func BenchmarkTimelineFirstPage(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada := mustClient(b, db, "Ada Lovelace", "ada@example.com")
	others := mustClient(b, db, "Others", "others@example.com")
	tx, err := db.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 50000 {
		at := base.Add(time.Duration(i) * time.Minute).Format(timeFormat)
		res, err := tx.Exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, created_at, updated_at) VALUES (?, 'announcement', ?, 'x', 'queued', ?, ?)`,
			cohort.ID, fmt.Sprintf("Post %d", i), at, at)
		if err != nil {
			b.Fatal(err)
		}
		pid, _ := res.LastInsertId()
		who := others.ID
		if i%10 == 0 {
			who = ada.ID
		}
		if _, err := tx.Exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, state, next_attempt_at, created_at, updated_at, sent_at)
			VALUES (?, ?, 'n', 'e', ?, ?, 'sent', ?, ?, ?, ?)`, pid, who, fmt.Sprintf("m%d@x", i), fmt.Sprintf("t%d", i), at, at, at, at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		evs, err := db.Timeline(ctx, ada.ID, app.TimelineFilter{Limit: 100})
		if err != nil || len(evs) != 100 {
			b.Fatalf("got %d events (%v)", len(evs), err)
		}
	}
}

// Paging with "Show older" (Before = the last event's time) never loses events
// that share the moment a page ended on.
func TestTimelinePagesKeepEveryEventOfAMoment(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	ada := mustClient(t, db, "Ada Lovelace", "ada@example.com")
	for i := range 7 { // seven cohorts joined in the same second
		c, err := db.CreateCohort(ctx, app.CohortInput{Name: fmt.Sprint("Circle ", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMembers(ctx, c.ID, []int64{ada.ID}, ""); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Timeline(ctx, ada.ID, app.TimelineFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var paged []app.TimelineEvent
	f := app.TimelineFilter{Limit: 3}
	for range 10 {
		page, err := db.Timeline(ctx, ada.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		f.Before = page[len(page)-1].At
	}
	if len(all) < 7 || len(paged) != len(all) {
		t.Fatalf("paging by 3 gave %d events, all at once %d", len(paged), len(all))
	}
}
