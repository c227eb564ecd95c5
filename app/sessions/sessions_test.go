package sessions_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

var from = compose.From{Name: "Coach Carter", Email: "coach@example.com", PlusAddressing: true}

// world is a workspace with a cohort, a planner for its coach, and an SMTP
// server that records what the outbox sends.
type world struct {
	t       *testing.T
	ctx     context.Context
	db      *store.DB
	cohort  app.Cohort
	clients map[string]app.Client
	plan    sessions.Planner
	server  *smtptest.Server
	clock   time.Time
	seen    int
}

func newWorld(t *testing.T, members ...string) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), clients: map[string]app.Client{},
		clock: time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)}
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return w.clock }
	w.db = db
	if w.cohort, err = db.CreateCohort(w.ctx, app.CohortInput{Name: "Spring Circle", Kind: app.KindMastermind}); err != nil {
		t.Fatal(err)
	}
	for _, name := range append(members, "Linus Torvalds") {
		c, err := db.CreateClient(w.ctx, app.ClientInput{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		w.clients[strings.Fields(name)[0]] = c
	}
	for _, name := range members {
		w.join(strings.Fields(name)[0])
	}
	w.plan = sessions.Planner{Store: db, Organizer: sessions.Person{Name: from.Name, Email: from.Email},
		NewIDs: compose.NewIDs(from), Now: func() time.Time { return w.clock }}
	w.server = smtptest.Start(t, smtptest.Options{})
	return w
}

func (w *world) join(first string) {
	w.t.Helper()
	if _, err := w.db.AddMembers(w.ctx, w.cohort.ID, []int64{w.clients[first].ID}, ""); err != nil {
		w.t.Fatal(err)
	}
}

// sent drains the outbox and returns the messages it sent since the last call.
func (w *world) sent() []smtptest.Message {
	w.t.Helper()
	dial := func(ctx context.Context) (outbox.Conn, error) {
		return submit.Dial(ctx, submit.Config{Host: w.server.Host, Port: w.server.Port, Security: app.SecurityNone, Timeout: 5 * time.Second})
	}
	ob := outbox.New(w.db, dial, outbox.Config{From: from}, nil)
	ob.SetClock(func() time.Time { return w.clock })
	if err := ob.Drain(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	msgs := w.server.Messages()[w.seen:]
	w.seen += len(msgs)
	return msgs
}

// invitation is what a member's mail app finds in one message.
type invitation struct {
	to, subject, text string
	method            string // the MIME type's method parameter
	layout            []string
	calendar          *ical.Calendar
	attachment        []byte
	calendarBytes     []byte
}

// read takes a message apart as a mail app would, recording its MIME layout.
func read(t *testing.T, m smtptest.Message) invitation {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	inv := invitation{to: m.To[0]}
	inv.subject, _ = r.Header.Subject()
	ct, _, _ := r.Header.ContentType()
	inv.layout = append(inv.layout, ct)
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			ct, params, _ := h.ContentType()
			inv.layout = append(inv.layout, ct)
			switch ct {
			case "text/plain":
				inv.text = string(body)
			case "text/calendar":
				inv.method = params["method"]
				inv.calendarBytes = body
				if inv.calendar, err = ical.NewDecoder(bytes.NewReader(body)).Decode(); err != nil {
					t.Fatalf("calendar part: %v", err)
				}
			}
		case *mail.AttachmentHeader:
			ct, _, _ := h.ContentType()
			name, _ := h.Filename()
			inv.layout = append(inv.layout, ct+" "+name)
			inv.attachment = body
		}
	}
	return inv
}

func (inv invitation) event(t *testing.T) *ical.Event {
	t.Helper()
	if inv.calendar == nil {
		t.Fatalf("the message to %s has no calendar part (layout %v)", inv.to, inv.layout)
	}
	evs := inv.calendar.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	return &evs[0]
}

func (inv invitation) prop(t *testing.T, name string) string {
	t.Helper()
	p := inv.event(t).Props.Get(name)
	if p == nil {
		return ""
	}
	return p.Value
}

func byRecipient(t *testing.T, msgs []smtptest.Message) map[string]invitation {
	t.Helper()
	out := map[string]invitation{}
	for _, m := range msgs {
		inv := read(t, m)
		out[inv.to] = inv
	}
	return out
}

func keys(m map[string]invitation) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (w *world) create(in app.SessionInput) app.Session {
	w.t.Helper()
	if in.CohortID == 0 && in.ClientID == 0 {
		in.CohortID = w.cohort.ID
	}
	s, err := w.plan.Create(w.ctx, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func paris(t *testing.T, y int, m time.Month, d, h int) time.Time {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, h, 0, 0, 0, loc)
}

func TestSessionLifecycle(t *testing.T) {
	w := newWorld(t, "Ada Lovelace", "Grace Hopper")
	s := w.create(app.SessionInput{Title: "Mastermind call", Start: paris(t, 2026, 3, 3, 18), Minutes: 60,
		TimeZone: "Europe/Paris", Link: "https://meet.example/circle", Agenda: "1. Wins", EveryWeeks: 1, Count: 8})

	// Created: one invitation per member, each naming only them.
	got := byRecipient(t, w.sent())
	if len(got) != 2 {
		t.Fatalf("invitations to %v, want Ada and Grace", keys(got))
	}
	for _, addr := range []string{"ada@example.org", "grace@example.org"} {
		inv, ok := got[addr]
		if !ok {
			t.Fatalf("no invitation to %s", addr)
		}
		wantLayout := []string{"multipart/mixed", "text/plain", "text/html", "text/calendar", "application/ics invite.ics"}
		if strings.Join(inv.layout, ",") != strings.Join(wantLayout, ",") {
			t.Errorf("layout %v, want %v (the calendar last among the alternatives)", inv.layout, wantLayout)
		}
		if inv.method != "REQUEST" || inv.calendar.Props.Get(ical.PropMethod).Value != "REQUEST" {
			t.Errorf("method %q in MIME, want REQUEST in MIME and VCALENDAR", inv.method)
		}
		if !bytes.Equal(inv.attachment, inv.calendarBytes) {
			t.Errorf("invite.ics differs from the calendar part")
		}
		if a := inv.prop(t, ical.PropAttendee); a != "mailto:"+addr {
			t.Errorf("ATTENDEE %q, want %s alone", a, addr)
		}
		if u := inv.prop(t, ical.PropUID); u != s.UID {
			t.Errorf("UID %q, want %q", u, s.UID)
		}
		if q := inv.prop(t, ical.PropSequence); q != "0" {
			t.Errorf("SEQUENCE %q, want 0", q)
		}
		if inv.subject != "Invitation: Mastermind call" || !strings.Contains(inv.text, "Tuesday 3 March 2026, 18:00") ||
			!strings.Contains(inv.text, "https://meet.example/circle") {
			t.Errorf("subject %q, text %q", inv.subject, inv.text)
		}
	}

	// Ada said yes to 18:00; a new title keeps it, a new time asks again.
	if err := w.db.RecordRSVP(w.ctx, s.ID, w.clients["Ada"].ID, app.RSVPAccepted, app.RSVPFromCalendar); err != nil {
		t.Fatal(err)
	}
	retitled := sessions.Input(s)
	retitled.Title = "Mastermind call (week 1)"
	if s, _ = w.plan.Update(w.ctx, s.ID, retitled); s.Attendees[0].RSVP != app.RSVPAccepted || s.Sequence != 1 {
		t.Fatalf("after a new title: %s, sequence %d; want Ada's yes kept", s.Attendees[0].RSVP, s.Sequence)
	}
	w.sent()

	// Changed: the same UID, a higher SEQUENCE, to both.
	in := sessions.Input(s)
	in.Title = "Mastermind call"
	in.Start = paris(t, 2026, 3, 3, 19)
	if s, _ = w.plan.Update(w.ctx, s.ID, in); s.Sequence != 2 || s.Attendees[0].RSVP != app.RSVPNone {
		t.Fatalf("sequence %d, Ada %s after a new time; want 2 and her answer asked again", s.Sequence, s.Attendees[0].RSVP)
	}
	got = byRecipient(t, w.sent())
	if len(got) != 2 {
		t.Fatalf("updates to %v, want both", keys(got))
	}
	for _, inv := range got {
		if inv.prop(t, ical.PropSequence) != "2" || inv.method != "REQUEST" || inv.prop(t, ical.PropUID) != s.UID {
			t.Errorf("update to %s: SEQUENCE %s, method %s", inv.to, inv.prop(t, ical.PropSequence), inv.method)
		}
		if start, _ := inv.event(t).DateTimeStart(nil); !start.Equal(paris(t, 2026, 3, 3, 19)) {
			t.Errorf("update to %s starts %v, want 19:00 Paris", inv.to, start)
		}
	}

	// A late joiner is invited to what is ahead, with the current SEQUENCE.
	w.join("Linus")
	if n, _, err := w.plan.SyncMembers(w.ctx, w.cohort.ID); err != nil || n != 1 {
		t.Fatalf("invited %d (%v), want Linus", n, err)
	}
	got = byRecipient(t, w.sent())
	if inv, ok := got["linus@example.org"]; !ok || len(got) != 1 || inv.prop(t, ical.PropSequence) != "2" || inv.method != "REQUEST" {
		t.Fatalf("late invitation: %v", keys(got))
	}

	// A member who leaves is told the session is off for them; the others are not.
	if err := w.db.RemoveMember(w.ctx, w.cohort.ID, w.clients["Grace"].ID); err != nil {
		t.Fatal(err)
	}
	if _, n, err := w.plan.SyncMembers(w.ctx, w.cohort.ID); err != nil || n != 1 {
		t.Fatalf("removed %d (%v), want Grace", n, err)
	}
	got = byRecipient(t, w.sent())
	inv, ok := got["grace@example.org"]
	if !ok || len(got) != 1 {
		t.Fatalf("cancellations to %v, want Grace only", keys(got))
	}
	if inv.method != "CANCEL" || inv.prop(t, ical.PropStatus) != "CANCELLED" || inv.prop(t, ical.PropSequence) != "3" {
		t.Errorf("Grace's cancellation: method %s, status %s, sequence %s", inv.method, inv.prop(t, ical.PropStatus), inv.prop(t, ical.PropSequence))
	}
	// Nothing more happens on a second sync.
	if i, r, err := w.plan.SyncMembers(w.ctx, w.cohort.ID); err != nil || i+r != 0 {
		t.Fatalf("second sync invited %d, removed %d (%v), want nothing", i, r, err)
	}

	// Cancelled: METHOD:CANCEL, STATUS:CANCELLED, higher SEQUENCE, to those still invited.
	if _, err := w.plan.Cancel(w.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	got = byRecipient(t, w.sent())
	if len(got) != 2 || got["ada@example.org"].method != "CANCEL" || got["linus@example.org"].method != "CANCEL" {
		t.Fatalf("cancellations to %v, want Ada and Linus", keys(got))
	}
	for _, inv := range got {
		if inv.prop(t, ical.PropStatus) != "CANCELLED" || inv.prop(t, ical.PropSequence) != "4" || inv.calendar.Props.Get(ical.PropMethod).Value != "CANCEL" {
			t.Errorf("cancellation to %s: status %s sequence %s", inv.to, inv.prop(t, ical.PropStatus), inv.prop(t, ical.PropSequence))
		}
	}
	if _, err := w.plan.Cancel(w.ctx, s.ID); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("cancelling twice: %v, want ECONFLICT", err)
	}
	// Session mail is not an announcement of the cohort.
	posts, err := w.db.ListPosts(w.ctx, w.cohort.ID)
	if err != nil || len(posts) != 0 {
		t.Errorf("cohort posts %d (%v), want none: session mail stays with the session", len(posts), err)
	}
}

func TestRemindersGoOnceEach(t *testing.T) {
	w := newWorld(t, "Ada Lovelace", "Grace Hopper")
	start := paris(t, 2026, 3, 10, 10)
	s := w.create(app.SessionInput{Title: "Hot seat", Start: start, Minutes: 45, TimeZone: "Europe/Paris"})
	w.sent()
	remind := func(at time.Time) int {
		t.Helper()
		w.clock = at
		n, err := w.plan.Reminders(w.ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := remind(start.Add(-25 * time.Hour)); n != 0 {
		t.Errorf("25 hours before: %d reminders, want none", n)
	}
	if n := remind(start.Add(-23 * time.Hour)); n != 2 {
		t.Errorf("a day before: %d reminders, want 2", n)
	}
	if n := remind(start.Add(-22 * time.Hour)); n != 0 {
		t.Errorf("again: %d reminders, want none", n)
	}
	msgs := w.sent()
	if len(msgs) != 2 {
		t.Fatalf("%d reminders sent, want 2", len(msgs))
	}
	r := read(t, msgs[0])
	if !strings.HasPrefix(r.subject, "Reminder: Hot seat, Tuesday 10 March 2026, 10:00") || r.calendar != nil {
		t.Errorf("reminder %q with calendar %v, want the time and no calendar", r.subject, r.calendar != nil)
	}
	// Grace declines; only Ada gets the hour-before reminder, once.
	if err := w.db.RecordRSVP(w.ctx, s.ID, w.clients["Grace"].ID, app.RSVPDeclined, app.RSVPFromCalendar); err != nil {
		t.Fatal(err)
	}
	if n := remind(start.Add(-50 * time.Minute)); n != 1 {
		t.Errorf("an hour before: %d reminders, want Ada's", n)
	}
	if n := remind(start.Add(-40 * time.Minute)); n != 0 {
		t.Errorf("again: %d, want none", n)
	}
	if n := remind(start.Add(time.Minute)); n != 0 {
		t.Errorf("after the start: %d, want none", n)
	}
}

func TestReminderAfterSleepGoesOnce(t *testing.T) {
	w := newWorld(t, "Ada Lovelace")
	start := paris(t, 2026, 3, 10, 10)
	w.create(app.SessionInput{Title: "Weekly", Start: start, Minutes: 45, TimeZone: "Europe/Paris", EveryWeeks: 1, Count: 3})
	w.sent()
	// The laptop slept through the day-before reminder: one mail, not two.
	w.clock = start.Add(-30 * time.Minute)
	if n, err := w.plan.Reminders(w.ctx, w.clock); err != nil || n != 1 {
		t.Fatalf("%d reminders (%v), want 1", n, err)
	}
	// The next week's occurrence has its own reminders.
	w.clock = start.AddDate(0, 0, 7).Add(-2 * time.Hour)
	if n, err := w.plan.Reminders(w.ctx, w.clock); err != nil || n != 1 {
		t.Fatalf("next week: %d reminders (%v), want 1", n, err)
	}
	if got := len(w.sent()); got != 2 {
		t.Errorf("%d reminders sent, want 2", got)
	}
}

func TestOneToOneSession(t *testing.T) {
	w := newWorld(t)
	s := w.create(app.SessionInput{ClientID: w.clients["Linus"].ID, Title: "1:1", Start: paris(t, 2026, 3, 4, 9), Minutes: 30, TimeZone: "Europe/Paris"})
	got := byRecipient(t, w.sent())
	if _, ok := got["linus@example.org"]; !ok || len(got) != 1 {
		t.Fatalf("1:1 invitation to %v, want Linus", keys(got))
	}
	if s.Client != "Linus Torvalds" || len(s.Attendees) != 1 {
		t.Errorf("session %+v", s)
	}
}

func TestCheckRefuses(t *testing.T) {
	base := app.SessionInput{CohortID: 1, Title: "Call", Start: time.Now(), Minutes: 60, TimeZone: "Europe/Paris"}
	for name, change := range map[string]func(*app.SessionInput){
		"ErrNoOwner":    func(in *app.SessionInput) { in.CohortID = 0 },
		"ErrBothOwners": func(in *app.SessionInput) { in.ClientID = 2 },
		"ErrNoTitle":    func(in *app.SessionInput) { in.Title = " " },
		"ErrZone":       func(in *app.SessionInput) { in.TimeZone = "Mars/Olympus" },
		"ErrMinutes":    func(in *app.SessionInput) { in.Minutes = 0 },
		"ErrLink":       func(in *app.SessionInput) { in.Link = "javascript:alert(1)" },
		"ErrCountOnce":  func(in *app.SessionInput) { in.Count = 3 },
		"ErrUntilDate":  func(in *app.SessionInput) { in.EveryWeeks, in.Until = 1, "30/06/2026" },
	} {
		t.Run(name, func(t *testing.T) {
			in := base
			change(&in)
			if _, err := sessions.Check(in); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("got %v, want EINVALID", err)
			}
		})
	}
	if _, err := sessions.Check(base); err != nil {
		t.Errorf("OK: %v", err)
	}
}

// A member who set their time zone reads the invitation's date as their own
// clock shows it; a member without one reads it in the session's zone, the
// one the coach planned it in. Their calendars get the same instant either way.
func TestInvitationDateInMemberZone(t *testing.T) {
	w := newWorld(t, "Ada Lovelace", "Grace Hopper")
	ada := w.clients["Ada"]
	in := app.ClientInput{Name: ada.Name, Email: ada.Email, TimeZone: "Asia/Tokyo", Status: app.StatusActive}
	if _, err := w.db.UpdateClient(w.ctx, ada.ID, in); err != nil {
		t.Fatal(err)
	}
	s := w.create(app.SessionInput{Title: "Mastermind call", Start: paris(t, 2026, 3, 3, 18), Minutes: 60, TimeZone: "Europe/Paris"})
	got := byRecipient(t, w.sent())
	if text := got["ada@example.org"].text; !strings.Contains(text, "Wednesday 4 March 2026, 02:00–03:00 (Asia/Tokyo)") {
		t.Errorf("Ada (Tokyo) reads %q, want Wednesday 4 March 2026, 02:00–03:00 (Asia/Tokyo)", text)
	}
	if text := got["grace@example.org"].text; !strings.Contains(text, "Tuesday 3 March 2026, 18:00–19:00 (Europe/Paris)") {
		t.Errorf("Grace (no zone) reads %q, want Tuesday 3 March 2026, 18:00–19:00 (Europe/Paris)", text)
	}

	// An update and the reminder follow the same rule.
	up := sessions.Input(s)
	up.Start = paris(t, 2026, 3, 3, 19)
	if _, err := w.plan.Update(w.ctx, s.ID, up); err != nil {
		t.Fatal(err)
	}
	got = byRecipient(t, w.sent())
	if text := got["ada@example.org"].text; !strings.Contains(text, "Wednesday 4 March 2026, 03:00–04:00 (Asia/Tokyo)") {
		t.Errorf("Ada's update reads %q", text)
	}
	if n, err := w.plan.Reminders(w.ctx, paris(t, 2026, 3, 2, 19).Add(time.Minute)); err != nil || n == 0 {
		t.Fatalf("reminders: %d, %v", n, err)
	}
	got = byRecipient(t, w.sent())
	if subj := got["ada@example.org"].subject; !strings.Contains(subj, "03:00–04:00 (Asia/Tokyo)") {
		t.Errorf("Ada's reminder is %q", subj)
	}
	if subj := got["grace@example.org"].subject; !strings.Contains(subj, "19:00–20:00 (Europe/Paris)") {
		t.Errorf("Grace's reminder is %q", subj)
	}
}
