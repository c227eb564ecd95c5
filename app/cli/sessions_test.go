package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
)

// sessionJSON runs a sessions command with --json and reads the session.
func sessionJSON(t *testing.T, ws string, args ...string) app.Session {
	t.Helper()
	code, out, errs := run(t, ws, args...)
	var s app.Session
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	return s
}

// subjectOf decodes a raw message's subject, as a mail app shows it.
func subjectOf(t *testing.T, raw string) string {
	t.Helper()
	r, err := mail.CreateReader(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := r.Header.Subject()
	return s
}

// TestSessionsFromTheCommandLine plans a weekly session for a cohort, sends the
// invitations into the sandbox, moves it, takes attendance, lets a member
// leave and cancels it, as a coach would from a terminal.
func TestSessionsFromTheCommandLine(t *testing.T) {
	ws := cohortWithMembers(t)
	agenda := filepath.Join(t.TempDir(), "agenda.md")
	os.WriteFile(agenda, []byte("1. Wins\n2. Hot seat"), 0o600)
	start := time.Now().AddDate(0, 0, 7).Truncate(24 * time.Hour)
	s := sessionJSON(t, ws, "sessions", "create", "--cohort", "Circle", "--title", "Mastermind call",
		"--start", start.Format("2006-01-02")+"T18:00", "--tz", "Europe/Paris", "--duration", "90m",
		"--link", "https://meet.example/circle", "--agenda", agenda, "--weekly", "1", "--count", "6", "--json")
	paris, _ := time.LoadLocation("Europe/Paris")
	if l := s.Start.In(paris); l.Hour() != 18 || s.Minutes != 90 || s.EveryWeeks != 1 || s.Count != 6 || len(s.Attendees) != 3 || s.Sequence != 0 {
		t.Fatalf("got %+v, want 18:00 Paris, 90 minutes, weekly 6 times, 3 attendees", s)
	}
	if s.Agenda != "1. Wins\n2. Hot seat" || s.UID == "" {
		t.Errorf("agenda %q uid %q", s.Agenda, s.UID)
	}
	id := strconv.FormatInt(s.ID, 10)
	if code, out, errs := run(t, ws, "outbox", "send"); code != 0 || !strings.Contains(out, "3") {
		t.Fatalf("outbox send: %d %q %q", code, out, errs)
	}
	msgs := sandboxMessages(t, ws, "ada@example.com")
	if len(msgs) != 1 || subjectOf(t, msgs[0].Raw) != "Invitation: Mastermind call" ||
		!strings.Contains(msgs[0].Raw, "Content-Type: text/calendar; charset=utf-8; method=REQUEST") ||
		!strings.Contains(msgs[0].Raw, "invite.ics") {
		t.Fatalf("Ada's mailbox: %+v", msgs)
	}

	// Moved by an hour: sequence 1, the rest kept.
	s = sessionJSON(t, ws, "sessions", "update", id, "--start", start.Format("2006-01-02")+"T19:00", "--json")
	if s.Sequence != 1 || s.Start.In(paris).Hour() != 19 || s.Minutes != 90 || s.Count != 6 || s.Link != "https://meet.example/circle" {
		t.Fatalf("after update: %+v", s)
	}

	code, out, errs := run(t, ws, "sessions", "list", "--cohort", "Circle")
	if code != 0 || !strings.Contains(out, "Mastermind call") || !strings.Contains(out, "19:00") || !strings.Contains(out, "3 no answer") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}

	// Attendance in one pass, a private note.
	if code, _, errs := run(t, ws, "sessions", "attend", id, "ada@example.com", "grace@example.com"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "sessions", "attend", id, "ken@example.com", "--absent"); code != 0 {
		t.Fatal(errs)
	}
	note := filepath.Join(t.TempDir(), "note.md")
	os.WriteFile(note, []byte("Grace wants to present next time."), 0o600)
	if code, _, errs := run(t, ws, "sessions", "note", id, "--body", note); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "sessions", "rsvp", id, "grace@example.com", "--answer", "accepted"); code != 0 {
		t.Fatal(errs)
	}
	s = sessionJSON(t, ws, "sessions", "show", id, "--json")
	came := map[string]string{}
	for _, a := range s.Attendees {
		v := "-"
		if a.Attended != nil {
			v = strconv.FormatBool(*a.Attended)
		}
		came[a.Email] = v + "/" + a.RSVP + "/" + a.RSVPSource
	}
	want := map[string]string{"ada@example.com": "true/needs-action/", "grace@example.com": "true/accepted/coach", "ken@example.com": "false/needs-action/"}
	for k, v := range want {
		if came[k] != v {
			t.Errorf("%s: got %s, want %s", k, came[k], v)
		}
	}
	if s.Note != "Grace wants to present next time." {
		t.Errorf("note %q", s.Note)
	}

	// Ken leaves: his calendar is told; the others are not.
	if code, _, errs := run(t, ws, "cohorts", "remove-member", "Circle", "ken@example.com"); code != 0 {
		t.Fatal(errs)
	}
	run(t, ws, "outbox", "send")
	ken := sandboxMessages(t, ws, "ken@example.com")
	if len(ken) != 3 || !strings.Contains(ken[0].Raw+ken[len(ken)-1].Raw, "method=CANCEL") {
		t.Fatalf("Ken's mailbox: %d messages, want invitation, update and cancellation", len(ken))
	}
	if n := len(sandboxMessages(t, ws, "ada@example.com")); n != 2 {
		t.Errorf("Ada has %d messages, want invitation and update only", n)
	}

	s = sessionJSON(t, ws, "sessions", "cancel", id, "--json")
	if s.Status != app.SessionCancelled || s.Sequence != 3 {
		t.Fatalf("after cancel: status %s sequence %d, want cancelled 3", s.Status, s.Sequence)
	}
	if code, _, _ := run(t, ws, "sessions", "cancel", id); code != 1 {
		t.Errorf("cancelling twice: exit %d, want 1", code)
	}
}

func TestSessionsCommandLineErrors(t *testing.T) {
	ws := cohortWithMembers(t)
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"sessions", "create", "--cohort", "Circle", "--start", "2026-03-03T18:00"}, 2}, // no title
		{[]string{"sessions", "create", "--cohort", "Circle", "--client", "ada@example.com", "--title", "x", "--start", "2026-03-03T18:00"}, 2},
		{[]string{"sessions", "create", "--cohort", "Circle", "--title", "x", "--start", "tomorrow"}, 2},
		{[]string{"sessions", "create", "--cohort", "Circle", "--title", "x", "--start", "2026-03-03T18:00", "--tz", "Mars/Base"}, 1},
		{[]string{"sessions", "create", "--cohort", "Nope", "--title", "x", "--start", "2026-03-03T18:00"}, 1},
		{[]string{"sessions", "show", "42"}, 1},
		{[]string{"sessions", "show", "x"}, 2},
	} {
		if code, _, errs := run(t, ws, c.args...); code != c.code {
			t.Errorf("%v: exit %d (%s), want %d", c.args, code, errs, c.code)
		}
	}
}

// TestRunDueSendsRemindersOnce: the timer's run-due sends the day-before
// reminder to each member once, however often it runs.
func TestRunDueSendsRemindersOnce(t *testing.T) {
	ws := cohortWithMembers(t)
	start := time.Now().UTC().AddDate(0, 0, 10).Truncate(time.Hour)
	if code, _, errs := run(t, ws, "sessions", "create", "--cohort", "Circle", "--title", "Call", "--start", start.Format(time.RFC3339)); code != 0 {
		t.Fatal(errs)
	}
	at := start.Add(-23 * time.Hour).Format(time.RFC3339)
	code, out, errs := run(t, ws, "run-due", "--at", at, "--json")
	if res := dueResult(t, code, out+errs); res.Reminders != 3 {
		t.Fatalf("first run: %d reminders, want 3", res.Reminders)
	}
	code, out, errs = run(t, ws, "run-due", "--at", at, "--json")
	if res := dueResult(t, code, out+errs); res.Reminders != 0 {
		t.Fatalf("second run: %d reminders, want none", res.Reminders)
	}
	msgs := sandboxMessages(t, ws, "grace@example.com")
	if len(msgs) != 2 || !strings.HasPrefix(subjectOf(t, msgs[1].Raw), "Reminder: Call, ") {
		t.Fatalf("Grace has %d messages, want the invitation and one reminder", len(msgs))
	}
}

// TestPlainYesFromTheSandboxIsAnRSVP: a member answers the invitation mail
// with "yes" from their sandbox mailbox; the sync records it on the session,
// read from text, and no conversation gets it.
func TestPlainYesFromTheSandboxIsAnRSVP(t *testing.T) {
	ws := cohortWithMembers(t)
	start := time.Now().UTC().AddDate(0, 0, 5).Truncate(time.Hour)
	s := sessionJSON(t, ws, "sessions", "create", "--cohort", "Circle", "--title", "Call", "--start", start.Format(time.RFC3339), "--json")
	if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "sandbox", "reply-as", "ada@example.com", "--text", "Yes, see you there!"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "sandbox", "reply-as", "ken@example.com", "--text", "Sorry, can't make it"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, ws, "inbox", "sync", "--json")
	var sum app.SyncSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.RSVPs != 2 || sum.Imported != 0 {
		t.Fatalf("sync: %d %q %q, want 2 RSVPs and no replies", code, out, errs)
	}
	s = sessionJSON(t, ws, "sessions", "show", strconv.FormatInt(s.ID, 10), "--json")
	got := map[string]string{}
	for _, a := range s.Attendees {
		got[a.Email] = a.RSVP + "/" + a.RSVPSource
	}
	want := map[string]string{"ada@example.com": "accepted/text", "grace@example.com": "needs-action/", "ken@example.com": "declined/text"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %s, want %s", k, got[k], v)
		}
	}
}

// TestSessionReminderSetting: a cohort that wants one reminder, two hours
// before, gets exactly that from run-due.
func TestSessionReminderSetting(t *testing.T) {
	ws := cohortWithMembers(t)
	code, out, errs := run(t, ws, "sessions", "reminders", "--cohort", "Circle", "--before", "2h")
	if code != 0 || !strings.Contains(out, "Reminders go 2h before each of Circle's sessions.") {
		t.Fatalf("got %d %q %q", code, out, errs)
	}
	if code, _, _ := run(t, ws, "sessions", "reminders", "--cohort", "Circle", "--before", "soon"); code != 2 {
		t.Errorf("--before soon: exit %d, want 2", code)
	}
	start := time.Now().UTC().AddDate(0, 0, 10).Truncate(time.Hour)
	s := sessionJSON(t, ws, "sessions", "create", "--cohort", "Circle", "--title", "Call", "--start", start.Format(time.RFC3339), "--json")
	if len(s.Reminders) != 1 || s.Reminders[0] != 120 {
		t.Fatalf("reminders %v, want [120]", s.Reminders)
	}
	for _, c := range []struct {
		before time.Duration
		want   int
	}{{23 * time.Hour, 0}, {90 * time.Minute, 3}} {
		code, out, errs := run(t, ws, "run-due", "--at", start.Add(-c.before).Format(time.RFC3339), "--json")
		if res := dueResult(t, code, out+errs); res.Reminders != c.want {
			t.Errorf("%v before: %d reminders, want %d", c.before, res.Reminders, c.want)
		}
	}
	if code, out, _ := run(t, ws, "sessions", "reminders", "--cohort", "Circle", "--before", "none"); code != 0 || !strings.Contains(out, "No reminders") {
		t.Errorf("none: %d %q", code, out)
	}
}

// TestClientTimeline: a client's page of history on the command line, with
// the private note marked, and a filter by kind.
func TestClientTimeline(t *testing.T) {
	ws := cohortWithMembers(t)
	start := time.Now().UTC().AddDate(0, 0, 3).Truncate(time.Hour)
	s := sessionJSON(t, ws, "sessions", "create", "--cohort", "Circle", "--title", "Call", "--start", start.Format(time.RFC3339), "--json")
	id := strconv.FormatInt(s.ID, 10)
	run(t, ws, "sessions", "attend", id, "ada@example.com")
	note := filepath.Join(t.TempDir(), "n.md")
	os.WriteFile(note, []byte("Ada wants feedback on her deck."), 0o600)
	if code, _, errs := run(t, ws, "sessions", "note", id, "--body", note, "--client", "ada@example.com"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, ws, "clients", "timeline", "ada@example.com", "--json")
	var evs []app.TimelineEvent
	if err := json.Unmarshal([]byte(out), &evs); err != nil || code != 0 {
		t.Fatalf("got %d %q %q", code, out, errs)
	}
	kinds := map[string]app.TimelineEvent{}
	for _, e := range evs {
		kinds[e.Kind] = e
	}
	if n := kinds[app.TimelineNote]; !n.Private || n.Detail != "Ada wants feedback on her deck." {
		t.Errorf("note %+v, want it private", n)
	}
	if s := kinds[app.TimelineSession]; s.Detail != "needs-action, came" {
		t.Errorf("session %+v", s)
	}
	if _, ok := kinds[app.TimelineJoined]; !ok {
		t.Errorf("no join in %+v", evs)
	}
	code, out, _ = run(t, ws, "clients", "timeline", "ada@example.com", "--kind", "note")
	if code != 0 || !strings.Contains(out, "note (private)") || strings.Contains(out, "joined") {
		t.Errorf("filtered: %d %q", code, out)
	}
	if code, _, _ := run(t, ws, "clients", "timeline", "ada@example.com", "--kind", "gossip"); code != 2 {
		t.Errorf("unknown kind: exit %d, want 2", code)
	}
}
