package ui

import (
	"context"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
)

func TestSessionService(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com"})
	grace, _ := db.CreateClient(ctx, app.ClientInput{Name: "Grace Hopper", Email: "grace@example.com"})
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID}, "")
	s, cohorts := NewSessionService(db), NewCohortService(db)
	Startup(ctx, s, cohorts)
	in := app.SessionInput{CohortID: cohort.ID, Title: "Call", Start: time.Now().Add(48 * time.Hour), Minutes: 60, TimeZone: "Europe/Paris"}

	t.Run("ErrStillStarting", func(t *testing.T) {
		_, err := s.Create(in)
		if got := bridged(t, err); got.Code != app.EUNAVAILABLE {
			t.Fatalf("got %+v, want unavailable before the outbox runs", got)
		}
	})

	kicks := 0
	s.from = func() compose.From { return compose.From{Name: "Coach", Email: "coach@example.com"} }
	s.kick = func() { kicks++ }
	cohorts.kick = s.kick

	t.Run("ErrInvalid", func(t *testing.T) {
		bad := in
		bad.TimeZone = "Nowhere/Land"
		if got := bridged(t, func() error { _, err := s.Create(bad); return err }()); got.Code != app.EINVALID {
			t.Fatalf("got %+v, want invalid", got)
		}
		if kicks != 0 {
			t.Errorf("the outbox was woken %d times for nothing", kicks)
		}
	})

	t.Run("OK", func(t *testing.T) {
		sess, err := s.Create(in)
		if err != nil || len(sess.Attendees) != 1 || kicks != 1 {
			t.Fatalf("got %+v (%v), %d kicks; want Ada invited and the outbox woken", sess, err, kicks)
		}
		// Grace joins through the cohort service: she is invited too.
		if _, err := cohorts.AddMembers(cohort.ID, []int64{grace.ID}, ""); err != nil {
			t.Fatal(err)
		}
		if sess, _ = s.Get(sess.ID); len(sess.Attendees) != 2 || kicks != 2 {
			t.Fatalf("after Grace joined: %d attendees, %d kicks", len(sess.Attendees), kicks)
		}
		if err := s.SetRSVP(sess.ID, grace.ID, app.RSVPTentative); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAttendance(sess.ID, []int64{ada.ID, grace.ID}, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAttendeeNote(sess.ID, ada.ID, "Ask about pricing."); err != nil {
			t.Fatal(err)
		}
		cancelled, err := s.Cancel(sess.ID)
		if err != nil || cancelled.Status != app.SessionCancelled || cancelled.Sequence != 1 {
			t.Fatalf("cancel: %+v %v", cancelled, err)
		}
		clientsSvc := NewClientService(db)
		Startup(ctx, clientsSvc)
		evs, err := clientsSvc.Timeline(ada.ID, app.TimelineFilter{Kinds: []string{app.TimelineNote}})
		if err != nil || len(evs) != 1 || !evs[0].Private || evs[0].Detail != "Ask about pricing." {
			t.Fatalf("Ada's notes on her timeline: %+v %v", evs, err)
		}
		list, err := s.List(app.SessionFilter{CohortID: cohort.ID})
		if err != nil || len(list) != 1 || list[0].Attendees[1].RSVP != app.RSVPTentative || list[0].Attendees[0].Note != "Ask about pricing." {
			t.Fatalf("list: %+v %v", list, err)
		}
	})
}
