package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// TestDigestLoop runs the digest from the command line as a coach (or a timer)
// would: a post, two members answer, the schedule is set, the preview shows
// the third member what is coming, run-due sends each member their digest once,
// and the history says what each received.
func TestDigestLoop(t *testing.T) {
	t.Setenv("TZ", "UTC")
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Your goal", "--body", writeBody(t))
	if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
		t.Fatal(errs)
	}
	replyInSandbox(t, ws, "grace@example.com", "My goal: ship the compiler by March.")
	replyInSandbox(t, ws, "ada@example.com", "Mine: finish the notes on the engine.")
	if code, _, errs := run(t, ws, "inbox", "sync"); code != 0 {
		t.Fatal(errs)
	}

	// The defaults of the kind are shown; then daily at the next hour, UTC.
	code, out, errs := run(t, ws, "digest", "settings", "--cohort", "Circle")
	if code != 0 || !strings.Contains(out, "Circle: ") || !strings.Contains(out, "Next digest:") {
		t.Fatalf("got %d %q %q, want the schedule in words and the next digest", code, out, errs)
	}
	next := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	code, out, errs = run(t, ws, "digest", "settings", "--cohort", "Circle", "--schedule", "daily", "--hour", strconv.Itoa(next.Hour()),
		"--member-local", "off", "--note", "Call moved to Thursday.", "--json")
	var s app.DigestSettings
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != 0 {
		t.Fatalf("got %d %q %q, want settings as JSON", code, out, errs)
	}
	if s.Every != app.DigestDaily || s.Hour != next.Hour() || s.MemberLocal || s.Note != "Call moved to Thursday." || s.Next == nil || !s.Next.Equal(next) {
		t.Fatalf("got %+v, want daily at %d UTC with the note, next at %v", s, next.Hour(), next)
	}
	if code, _, errs := run(t, ws, "digest", "settings", "--cohort", "Circle", "--day", "someday"); code != 2 {
		t.Fatalf("got exit %d (%s), want 2 for a day that is not one", code, errs)
	}

	// Ken's preview carries both replies, each with its own reply link.
	code, out, errs = run(t, ws, "digest", "preview", "--cohort", "Circle", "--member", "ken@example.com", "--json")
	var p app.DigestPreview
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 0 {
		t.Fatalf("got %d %q %q, want the preview as JSON", code, out, errs)
	}
	var authors []string
	for _, it := range p.Items {
		if it.ReplyID != 0 {
			authors = append(authors, it.Author)
			if !strings.HasPrefix(it.ReplyTo, "mailto:") || !strings.Contains(it.ReplyTo, "subject=Re%3A%20Your%20goal") && !strings.Contains(it.ReplyTo, "subject=Re:%20Your%20goal") {
				t.Errorf("got reply link %q, want a mailto with subject Re: Your goal", it.ReplyTo)
			}
		}
	}
	if len(authors) != 2 || p.Empty || !p.SendAt.Equal(next) || !strings.Contains(p.Text, "ship the compiler") || !strings.Contains(p.Text, "Call moved to Thursday.") {
		t.Fatalf("got %v, empty %v, at %v, text %q; want Grace's and Ada's replies and the note, going at %v", authors, p.Empty, p.SendAt, p.Text, next)
	}
	// Grace's own words are never in her digest: only Ada's.
	_, out, _ = run(t, ws, "digest", "preview", "--cohort", "Circle", "--member", "grace@example.com")
	if strings.Contains(out, "ship the compiler") || !strings.Contains(out, "finish the notes") {
		t.Fatalf("got %q, want Ada's reply and not Grace's own", out)
	}

	// Before the hour nothing is due; a dry run at the hour counts, queues nothing.
	code, out, _ = run(t, ws, "run-due", "--at", next.Add(-time.Minute).Format(time.RFC3339), "--json")
	if r := dueResult(t, code, out); r.Digests != 0 || r.Sent == nil || r.Sent.Sent != 0 {
		t.Fatalf("got %+v, want nothing due a minute early", r)
	}
	code, out, _ = run(t, ws, "run-due", "--at", next.Format(time.RFC3339), "--dry-run", "--json")
	if r := dueResult(t, code, out); r.Digests != 3 || !r.DryRun || r.Sent != nil {
		t.Fatalf("got %+v, want 3 due and nothing done", r)
	}
	at := next.Add(2 * time.Minute).Format(time.RFC3339)
	code, out, _ = run(t, ws, "run-due", "--at", at, "--json")
	if r := dueResult(t, code, out); r.Digests != 3 || r.Sent == nil || r.Sent.Sent != 3 || !r.Sent.Sandbox || r.Inbox == nil {
		t.Fatalf("got %+v %+v, want 3 digests queued and sent into the sandbox, and the inbox synced", r, r.Sent)
	}
	// Again in the same period, and again later that day: nothing new goes.
	for _, again := range []string{at, next.Add(5 * time.Hour).Format(time.RFC3339)} {
		code, out, _ = run(t, ws, "run-due", "--at", again, "--json")
		if r := dueResult(t, code, out); r.Digests != 0 || r.Sent.Sent != 0 {
			t.Fatalf("run-due at %s: got %+v, want nothing sent twice", again, r)
		}
	}
	ken := sandboxMessages(t, ws, "ken@example.com")
	if len(ken) != 2 || !strings.Contains(ken[1].Raw, "ship the compiler") || !strings.Contains(ken[1].Raw, "List-Unsubscribe:") {
		t.Fatalf("got %d messages for Ken, want the post and then the digest with both replies", len(ken))
	}

	// What did Ken receive? The history says, item by item.
	code, out, _ = run(t, ws, "digest", "history", "--member", "ken@example.com", "--json")
	var hist []app.Digest
	if err := json.Unmarshal([]byte(out), &hist); err != nil || code != 0 || len(hist) != 1 {
		t.Fatalf("got %d %q, want one digest in Ken's history", code, out)
	}
	if n := app.DigestNews(hist[0].Items); n != 2 || hist[0].State != app.OutboxSent || hist[0].Note != "Call moved to Thursday." {
		t.Fatalf("got %d new items, state %q, note %q; want 2 replies, sent, with the note", n, hist[0].State, hist[0].Note)
	}
	_, out, _ = run(t, ws, "digest", "history", "--member", "ken@example.com")
	if !strings.Contains(out, "Circle") || !strings.Contains(out, "sent") {
		t.Fatalf("got %q, want a table row for Circle", out)
	}
}

// TestDigestMarksAndDelivery: the coach hides a reply and it leaves the
// digest; a member set to nothing gets no digest.
func TestDigestMarksAndDelivery(t *testing.T) {
	t.Setenv("TZ", "UTC")
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Your goal", "--body", writeBody(t))
	run(t, ws, "outbox", "send")
	replyInSandbox(t, ws, "grace@example.com", "My goal: ship the compiler by March.")
	run(t, ws, "inbox", "sync")
	_, out, _ := run(t, ws, "conversations", "list", "--cohort", "Circle", "--json")
	var convs []struct {
		Replies []struct {
			ID int64 `json:"id"`
		} `json:"replies"`
	}
	if err := json.Unmarshal([]byte(out), &convs); err != nil || len(convs) != 1 || len(convs[0].Replies) != 1 {
		t.Fatalf("got %q, want one conversation with Grace's reply", out)
	}
	id := strconv.FormatInt(convs[0].Replies[0].ID, 10)

	code, out, errs := run(t, ws, "conversations", "hide", id)
	if code != 0 || !strings.HasPrefix(out, "Hidden:") {
		t.Fatalf("got %d %q %q, want the reply hidden", code, out, errs)
	}
	if _, out, _ = run(t, ws, "digest", "preview", "--cohort", "Circle", "--member", "ken@example.com", "--json"); !strings.Contains(out, `"empty": true`) {
		t.Fatalf("got %s, want an empty digest once the only reply is hidden", out)
	}
	run(t, ws, "conversations", "hide", id, "--undo")
	if _, out, _ = run(t, ws, "digest", "preview", "--cohort", "Circle", "--member", "ken@example.com"); !strings.Contains(out, "ship the compiler") {
		t.Fatalf("got %q, want Grace's reply back in the preview", out)
	}
	if code, _, errs := run(t, ws, "conversations", "pin", "999"); code != 1 || !strings.Contains(errs, "roundtable: ") {
		t.Fatalf("got %d %q, want a sentence for a reply that does not exist", code, errs)
	}

	code, out, errs = run(t, ws, "members", "set-delivery", "--cohort", "Circle", "ken@example.com", "ada@example.com", "--mode", "none")
	if code != 0 || !strings.HasPrefix(out, "2 of 2 now get Circle: nothing") {
		t.Fatalf("got %d %q %q, want two members set to nothing", code, out, errs)
	}
	if code, _, _ := run(t, ws, "members", "set-delivery", "--cohort", "Circle", "ken@example.com", "--mode", "weekly"); code != 2 {
		t.Fatalf("got exit %d, want 2 for a mode that is not one", code)
	}
	run(t, ws, "digest", "settings", "--cohort", "Circle", "--schedule", "daily", "--hour", "9", "--member-local", "off")
	day := time.Now().UTC().Add(48 * time.Hour).Truncate(24 * time.Hour).Add(9 * time.Hour)
	code, out, _ = run(t, ws, "run-due", "--at", day.Format(time.RFC3339), "--json")
	if r := dueResult(t, code, out); r.Digests != 0 {
		t.Fatalf("got %+v, want no digest: Ken and Ada get nothing, Grace has no one else's news", r)
	}
}

func dueResult(t *testing.T, code int, out string) dueRun {
	t.Helper()
	var r dueRun
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("got %d %q (%v), want run-due's JSON", code, out, err)
	}
	return r
}

// TestConversationTitles: the conversation of a post written with
// placeholders is titled as the members read it.
func TestConversationTitles(t *testing.T) {
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Welcome to {{cohort}}, {{first_name}}", "--body", writeBody(t))
	_, out, _ := run(t, ws, "conversations", "list", "--cohort", "Circle")
	if !strings.HasPrefix(out, "Welcome to Circle, ‹first name› — ") {
		t.Fatalf("got %q, want the title as the members read it", out)
	}
}
