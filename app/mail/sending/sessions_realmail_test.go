package sending_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-message"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestSessionInvitationsThroughPostfixAndDovecot sends a cohort's invitations
// over real Postfix, reads each back from the member's Dovecot mailbox with
// the MIME layout calendar apps expect, then has Ana's calendar accept and
// Ben's decline (iTIP REPLY mail sent back through Postfix to the coach's own
// address, without a reply token), and a stranger forge a decline for Cleo.
// The import records the two answers and not the forgery.
func TestSessionInvitationsThroughPostfixAndDovecot(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring mastermind", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	var members []app.Client
	for i, name := range []string{"Ana Lima", "Ben Okafor", "Cleo Park"} {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: name, Email: realmail.Members[i]})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, c)
	}
	ana, ben, cleo := members[0], members[1], members[2]
	if _, err := db.AddMembers(ctx, cohort.ID, []int64{ana.ID, ben.ID, cleo.ID}, ""); err != nil {
		t.Fatal(err)
	}
	coach := compose.From{Name: "Sam Coach", Email: realmail.Coach, PlusAddressing: true}
	plan := sessions.NewPlanner(db, coach)
	start := time.Now().AddDate(0, 0, 14).UTC().Truncate(time.Hour)
	s, err := plan.Create(ctx, app.SessionInput{CohortID: cohort.ID, Title: "Mastermind call", Start: start, Minutes: 60,
		TimeZone: "America/New_York", Link: "https://meet.example/spring", EveryWeeks: 1, Count: 6})
	if err != nil {
		t.Fatal(err)
	}
	if err := outbox.New(db, coachSubmission(srv), outbox.Config{From: coach}, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}

	// Each member's mailbox: text, HTML and the calendar (method=REQUEST, last)
	// as alternatives, invite.ics attached, one ATTENDEE: them.
	copies, err := db.Outbox(ctx, app.OutboxFilter{})
	if err != nil || len(copies) != 3 {
		t.Fatalf("got %d copies (%v), want 3", len(copies), err)
	}
	for _, c := range copies {
		if c.State != app.OutboxSent {
			t.Fatalf("%s: %s (%s)", c.Email, c.State, c.LastAnswer)
		}
		raw := fetchByMessageID(t, srv, c.Email, c.MessageID)
		layout, ics := mimeLayout(t, raw)
		want := "multipart/mixed[multipart/alternative[text/plain text/html text/calendar;method=REQUEST] application/ics;invite.ics]"
		if layout != want {
			t.Errorf("%s: layout %s, want %s", c.Email, layout, want)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(ics)).Decode()
		if err != nil {
			t.Fatalf("%s: %v", c.Email, err)
		}
		ev := cal.Events()[0]
		if a := ev.Props.Get(ical.PropAttendee); a == nil || a.Value != "mailto:"+c.Email {
			t.Errorf("%s: ATTENDEE %v", c.Email, a)
		}
		if got, _ := ev.DateTimeStart(nil); !got.Equal(start) {
			t.Errorf("%s: DTSTART %v, want %v", c.Email, got, start)
		}
	}

	// The answers come back through Postfix to the coach's own address.
	deliver(t, srv, ana.Email, realmail.Coach, calendarReplyMail(t, ana, s.UID, "ACCEPTED", "ana-rsvp"))
	deliver(t, srv, ben.Email, realmail.Coach, calendarReplyMail(t, ben, s.UID, "DECLINED", "ben-rsvp"))
	mallory := app.Client{Name: "Cleo Park", Email: "mallory@elsewhere.example"}
	forged := calendarReplyMail(t, mallory, s.UID, "DECLINED", "forged-rsvp")
	forged = bytes.Replace(forged, []byte("mailto:mallory@elsewhere.example"), []byte("mailto:"+cleo.Email), 1)
	deliver(t, srv, mallory.Email, realmail.Coach, forged)
	waitForMessages(t, srv, realmail.Coach, 3)

	sum, err := inbox.Sync(ctx, db, inbox.DialerFor(coachIMAP(srv)), inbox.Options{Account: realmail.Coach + "@dovecot"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.RSVPs != 2 || sum.Imported != 0 || sum.Unmatched != 0 {
		t.Fatalf("got %+v, want Ana's and Ben's answers only", sum)
	}
	s, err = db.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range s.Attendees {
		got[a.Name] = a.RSVP + "/" + a.RSVPSource
	}
	want := map[string]string{"Ana Lima": "accepted/calendar", "Ben Okafor": "declined/calendar", "Cleo Park": "needs-action/"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// mimeLayout describes a message's MIME tree in one line ("type[child child]"),
// with the method of a calendar part and the name of an attachment, and
// returns the calendar part.
func mimeLayout(t *testing.T, raw []byte) (string, []byte) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var ics []byte
	var describe func(e *message.Entity) string
	describe = func(e *message.Entity) string {
		ct, params, _ := e.Header.ContentType()
		if mr := e.MultipartReader(); mr != nil {
			var kids []string
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				kids = append(kids, describe(p))
			}
			return ct + "[" + strings.Join(kids, " ") + "]"
		}
		body, _ := io.ReadAll(e.Body)
		switch {
		case ct == "text/calendar":
			ics = body
			return ct + ";method=" + params["method"]
		case params["name"] != "":
			return ct + ";" + params["name"]
		}
		return ct
	}
	return describe(e), ics
}

// calendarReplyMail is what a member's calendar app sends when they answer:
// an iTIP REPLY naming them as the attendee, in a mail to the organizer.
func calendarReplyMail(t *testing.T, who app.Client, uid, partstat, mid string) []byte {
	t.Helper()
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Test calendar//EN")
	cal.Props.SetText(ical.PropMethod, "REPLY")
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, uid)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, time.Now().UTC())
	att := ical.NewProp(ical.PropAttendee)
	att.Params.Set(ical.ParamParticipationStatus, partstat)
	att.Params.Set(ical.ParamCommonName, who.Name)
	att.Value = "mailto:" + who.Email
	ev.Props.Set(att)
	cal.Children = append(cal.Children, ev.Component)
	var ics bytes.Buffer
	if err := ical.NewEncoder(&ics).Encode(cal); err != nil {
		t.Fatal(err)
	}
	verb := map[string]string{"ACCEPTED": "Accepted", "DECLINED": "Declined"}[partstat]
	return []byte(fmt.Sprintf("From: %s <%s>\r\nTo: Sam Coach <%s>\r\nSubject: %s: Mastermind call\r\nMessage-ID: <%s@calendar.example>\r\n"+
		"Date: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"+
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s has %s this invitation.\r\n"+
		"--b1\r\nContent-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\n%s\r\n--b1--\r\n",
		who.Name, who.Email, realmail.Coach, verb, mid, time.Now().Format(time.RFC1123Z), who.Name, strings.ToLower(verb), ics.String()))
}
