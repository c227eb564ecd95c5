package inbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/sessions"
)

// invite plans a session for the world's cohort and returns it with each
// member's invitation copy (Message-ID and reply token).
func (w *world) invite(t *testing.T) (app.Session, map[int64]sentCopy) {
	t.Helper()
	ctx := context.Background()
	tokens := map[string]string{}
	plan := sessions.Planner{Store: w.db, Organizer: sessions.Person{Name: "Sam Coach", Email: "coach@example.com"},
		NewIDs: withIDs(func() (string, string) {
			w.seq++
			id, tok := fmt.Sprintf("invite.%d@example.com", w.seq), replyaddr.NewToken()
			tokens[id] = tok
			return id, tok
		})}
	s, err := plan.Create(ctx, app.SessionInput{CohortID: w.cohort.ID, Title: "Mastermind call", Minutes: 60,
		TimeZone: "Europe/Paris", Start: time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	items, err := w.db.Outbox(ctx, app.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	copies := map[int64]sentCopy{}
	for _, it := range items {
		if tok, ok := tokens[it.MessageID]; ok {
			copies[it.ClientID] = sentCopy{it.MessageID, tok}
		}
	}
	return s, copies
}

// calendarAnswer is a Gmail calendar's answer to the invitation, from a
// sender, for an attendee, with the provider's verdict on top.
func calendarAnswer(t *testing.T, uid, fromName, from, attendee, partstat, verdict, mid string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "gmail_rsvp.eml"))
	if err != nil {
		t.Fatal(err)
	}
	verb := map[string]string{"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively accepted"}[partstat]
	r := strings.NewReplacer("{{UID}}", uid, "{{FROM}}", from, "{{NAME}}", fromName, "{{ATTENDEE}}", attendee,
		"{{PARTSTAT}}", partstat, "{{MID}}", mid, "{{VERB}}", verb, "{{VERB_LOWER}}", strings.ToLower(verb))
	return withVerdict([]byte(r.Replace(string(raw))), verdict, from)
}

// plainAnswer is a member's plain reply to their invitation mail.
func plainAnswer(c app.Client, copy sentCopy, text, mid string) []byte {
	return []byte(fmt.Sprintf("From: %s <%s>\r\nTo: Sam Coach <coach+rt-%s@example.com>\r\nSubject: Re: Invitation: Mastermind call\r\n"+
		"Message-ID: <%s@example.net>\r\nIn-Reply-To: <%s>\r\nDate: Wed, 25 Feb 2026 09:00:00 +0000\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n\r\nOn Tue, Sam Coach wrote:\r\n> Accept or decline in your calendar\r\n",
		c.Name, c.Email, copy.token, mid, copy.messageID, text))
}

func answers(t *testing.T, w *world, id int64) map[string]string {
	t.Helper()
	s, err := w.db.Session(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range s.Attendees {
		got[a.Email] = a.RSVP + "/" + a.RSVPSource
	}
	return got
}

// TestSync_RSVPs: calendar apps' answers and plain "yes"/"no" replies are
// recorded on the session and enter no conversation; a forged answer — from
// someone who is not a member, in a member's name with a failing verdict, or
// for another attendee — records nothing.
func TestSync_RSVPs(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	s, copies := w.invite(t)
	before := len(w.replies(t))

	w.srv.deliver(t, "INBOX", calendarAnswer(t, s.UID, ana.Name, ana.Email, ana.Email, "ACCEPTED", "pass", "r1"))
	w.srv.deliver(t, "INBOX", calendarAnswer(t, s.UID, ben.Name, ben.Email, ben.Email, "DECLINED", "none", "r2"))
	// Forgeries: a stranger answering for Cleo; Cleo's address failing DMARC;
	// Ben answering for Cleo.
	w.srv.deliver(t, "INBOX", calendarAnswer(t, s.UID, "Mallory", "mallory@evil.example", cleo.Email, "DECLINED", "pass", "f1"))
	w.srv.deliver(t, "INBOX", calendarAnswer(t, s.UID, cleo.Name, cleo.Email, cleo.Email, "DECLINED", "fail", "f2"))
	w.srv.deliver(t, "INBOX", calendarAnswer(t, s.UID, ben.Name, ben.Email, cleo.Email, "DECLINED", "pass", "f3"))
	// An answer to an invitation Roundtable never sent.
	w.srv.deliver(t, "INBOX", calendarAnswer(t, "someone-else@calendar.example", ana.Name, ana.Email, ana.Email, "ACCEPTED", "pass", "o1"))
	// Ana's own mail that merely begins like an answer is not downloaded.
	w.srv.deliver(t, "INBOX", withVerdict([]byte("From: Ana <"+ana.Email+">\r\nTo: coach@example.com\r\nSubject: Accepted: the job offer!\r\n"+
		"Message-ID: <p1@example.net>\r\nContent-Type: text/plain\r\n\r\nGood news.\r\n"), "pass", ana.Email))

	sum := w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if sum.RSVPs != 2 || sum.Imported != 0 || sum.Unmatched != 0 {
		t.Fatalf("got %+v, want 2 RSVPs and nothing else imported", sum)
	}
	if wire := w.srv.sent(); strings.Contains(wire, "Good news.") {
		t.Errorf("Ana's own mail was downloaded")
	}
	want := map[string]string{ana.Email: "accepted/calendar", ben.Email: "declined/calendar", cleo.Email: "needs-action/"}
	if got := answers(t, w, s.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}

	// Cleo answers in words; Ana changes her mind in words ("can't make it").
	w.srv.deliver(t, "INBOX", withVerdict(plainAnswer(cleo, copies[cleo.ID], "Yes, see you there!", "t1"), "pass", cleo.Email))
	w.srv.deliver(t, "INBOX", withVerdict(plainAnswer(ana, copies[ana.ID], "Sorry, I can't make it after all", "t2"), "pass", ana.Email))
	// A longer answer is a message for the coach, not an RSVP.
	w.srv.deliver(t, "INBOX", withVerdict(plainAnswer(ben, copies[ben.ID], "Could we move it to Wednesday? Tuesdays are hard for me this month.", "t3"), "pass", ben.Email))
	sum = w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if sum.RSVPs != 2 || sum.Imported != 1 {
		t.Fatalf("got %+v, want 2 RSVPs read from text and Ben's message imported", sum)
	}
	want = map[string]string{ana.Email: "declined/text", ben.Email: "declined/calendar", cleo.Email: "accepted/text"}
	if got := answers(t, w, s.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if n := len(w.replies(t)); n != before {
		t.Errorf("the post has %d replies, want %d: RSVPs enter no conversation", n, before)
	}
	// Syncing again reads nothing twice.
	if sum := w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider}); sum.RSVPs != 0 {
		t.Errorf("second sync: %+v", sum)
	}
}
