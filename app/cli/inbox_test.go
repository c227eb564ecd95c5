package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
	"github.com/roundtablehq/roundtable/app/store"
)

// replyInSandbox writes a reply as member to the first message in their sandbox
// mailbox, as the member would from their mail client.
func replyInSandbox(t *testing.T, ws, member, text string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, _ := account.SandboxConfig(ctx, db)
	sb, err := sandbox.Start(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	msgs, err := sb.Messages(ctx, member)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("got %d messages for %s (%v), want the announcement", len(msgs), member, err)
	}
	if err := sb.ReplyAs(ctx, member, msgs[0].ID, text, ""); err != nil {
		t.Fatal(err)
	}
}

// TestSandboxLoop runs the whole community loop with no account: post, send into
// the sandbox, a member replies from their mailbox, sync, and the reply shows
// trimmed under the post.
func TestSandboxLoop(t *testing.T) {
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Your goal", "--body", writeBody(t))
	if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
		t.Fatal(errs)
	}
	replyInSandbox(t, ws, "grace@example.com", "My goal: ship the compiler by March.\n\nGrace")
	if code, out, errs := run(t, ws, "sandbox", "reply-as", "ken@example.com", "--text", "Mine: write every day."); code != 0 || !strings.HasPrefix(out, "Replied as ken@example.com") {
		t.Fatalf("got %d %q %q, want a reply written as Ken", code, out, errs)
	}

	code, out, errs := run(t, ws, "inbox", "sync", "--json")
	var sum struct{ Imported, Skipped, Unmatched int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.Imported != 2 {
		t.Fatalf("got %d %q %q, want two replies imported", code, out, errs)
	}
	if _, out, _ := run(t, ws, "inbox", "sync", "--json"); !strings.Contains(out, `"imported": 0`) {
		t.Fatalf("got %q on a second sync, want nothing imported twice", out)
	}
	code, out, _ = run(t, ws, "conversations", "list", "--cohort", "Circle", "--json")
	var convs []struct {
		Post struct {
			Subject string `json:"subject"`
		} `json:"post"`
		Replies []struct {
			ID          int64  `json:"id"`
			Trust       string `json:"trust"`
			Shared      bool   `json:"shared"`
			Email       string `json:"email"`
			Text        string `json:"text"`
			Quoted      string `json:"quoted"`
			MatchReason string `json:"matchReason"`
		} `json:"replies"`
		NotReplied []struct {
			Email string `json:"email"`
		} `json:"notReplied"`
	}
	if err := json.Unmarshal([]byte(out), &convs); err != nil || code != 0 || len(convs) != 1 || len(convs[0].Replies) != 2 {
		t.Fatalf("got %q, want one post with two replies", out)
	}
	r := convs[0].Replies[0]
	if r.Email != "grace@example.com" {
		r = convs[0].Replies[1]
	}
	if r.Email != "grace@example.com" || r.Text != "My goal: ship the compiler by March.\n\nGrace" || r.MatchReason != "reply address token" {
		t.Fatalf("got %+v, want Grace's words alone, matched by the reply token", r)
	}
	if !strings.Contains(r.Quoted, "wrote:") || len(convs[0].NotReplied) != 1 {
		t.Fatalf("got quoted %q and %d not replied, want the quote kept aside and 1 still to reply", r.Quoted, len(convs[0].NotReplied))
	}
	// The sandbox vouches for what it wrote as the member, as a provider's
	// DMARC pass would: verified, and shown to the group.
	if r.Trust != "verified" || !r.Shared {
		t.Fatalf("got trust %q shared %v, want verified and shared", r.Trust, r.Shared)
	}

	// The coach answers Grace from the command line, as the window does: one
	// message, to her, in her thread.
	answer := filepath.Join(t.TempDir(), "answer.md")
	os.WriteFile(answer, []byte("Great goal, Grace. What is the first step?\n"), 0o600)
	code, out, errs = run(t, ws, "conversations", "answer", fmt.Sprint(r.ID), "--body", answer, "--json")
	var post struct {
		Subject string         `json:"subject"`
		Counts  map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &post); err != nil || code != 0 || post.Counts["queued"] != 1 || post.Subject != "Re: Your goal" {
		t.Fatalf("got %d %q %q, want one answer queued, \"Re: Your goal\"", code, out, errs)
	}
	run(t, ws, "outbox", "send")
	grace := sandboxMessages(t, ws, "grace@example.com")
	if len(grace) != 2 || !strings.Contains(grace[1].Raw, "What is the first step?") || !strings.Contains(grace[1].Raw, "In-Reply-To:") {
		t.Fatalf("got %d messages for Grace, want the announcement and the answer in her thread", len(grace))
	}
	if ken := sandboxMessages(t, ws, "ken@example.com"); len(ken) != 1 {
		t.Fatalf("got %d messages for Ken, want only the announcement (the answer was for Grace)", len(ken))
	}
	// The answer shows under Grace's reply, not as a conversation of its own.
	if _, out, _ := run(t, ws, "conversations", "list", "--cohort", "Circle"); strings.Count(out, " replies, ") != 1 ||
		!strings.Contains(out, "(Reply to your email; sender verified") ||
		!strings.Contains(out, "    Your answer:\n      Great goal, Grace. What is the first step?\n") {
		t.Fatalf("got %q, want one conversation with the answer under Grace's reply", out)
	}
	if code, _, errs := run(t, ws, "conversations", "answer", "999", "--body", answer); code != 1 || !strings.Contains(errs, "cannot be answered") {
		t.Fatalf("got %d %q, want a sentence for an unknown reply", code, errs)
	}
	if code, out, _ := run(t, ws, "unmatched", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("got %q, want nothing unmatched", out)
	}
	// From another address the reply cannot be placed by itself: it waits.
	run(t, ws, "sandbox", "reply-as", "ada@example.com", "--text", "From my phone account.", "--from", "ada.mobile@example.net")
	run(t, ws, "inbox", "sync")
	if _, out, _ := run(t, ws, "unmatched", "list", "--json"); !strings.Contains(out, `"fromEmail": "ada.mobile@example.net"`) {
		t.Fatalf("got %q, want the reply from the unknown address in the unmatched queue", out)
	}
	code, out, _ = run(t, ws, "clients", "show", "grace@example.com", "--json")
	if code != 0 || !strings.Contains(out, `"mail": {`) || !strings.Contains(out, `"bouncing": false`) {
		t.Fatalf("got %q, want the client's mail marks", out)
	}
}

// sandboxMessages returns what one member's sandbox mailbox holds.
func sandboxMessages(t *testing.T, ws, member string) []app.SandboxMessage {
	t.Helper()
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	msgs, err := db.SandboxMessages(context.Background(), member)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestClientMailMarksJSON: clients show --json carries a suspected bounce and a
// pending unsubscribe beside the confirmed marks.
func TestClientMailMarksJSON(t *testing.T) {
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Hello", "--body", writeBody(t))
	run(t, ws, "outbox", "send")
	eml := filepath.Join(t.TempDir(), "bounce.eml")
	os.WriteFile(eml, []byte("From: MAILER-DAEMON@mx.example.org\r\nTo: coach@sandbox.invalid\r\nSubject: Undelivered Mail Returned to Sender\r\n"+
		"Message-ID: <b1@mx.example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n<ken@example.com>: host mx.example.org said: 550 5.1.1 User unknown\r\n"), 0o600)
	code, out, _ := run(t, ws, "inspect", eml, "--json")
	if code != 0 || !strings.Contains(out, "suspected bounce") {
		t.Fatalf("got %d %q, want it read as a suspected bounce", code, out)
	}
	// The same report, and an unsubscribe request without proof, arrive in
	// the coach's sandbox mailbox as they would from outside.
	raw, _ := os.ReadFile(eml)
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := db.ClientUnsubscribeToken(context.Background(), clientID(t, db, "grace@example.com"))
	db.AppendSandboxMessage(context.Background(), "coach@sandbox.invalid", raw, time.Now())
	db.AppendSandboxMessage(context.Background(), "coach@sandbox.invalid", []byte("From: Someone <prank@example.org>\r\n"+
		"To: coach@sandbox.invalid\r\nSubject: unsubscribe "+tok+"\r\nMessage-ID: <u1@example.org>\r\n\r\nunsubscribe\r\n"), time.Now())
	db.Close()
	if code, out, errs := run(t, ws, "inbox", "sync", "--json"); code != 0 || !strings.Contains(out, `"bounces": 1`) {
		t.Fatalf("got %d %q %q, want the report imported", code, out, errs)
	}
	code, out, _ = run(t, ws, "clients", "show", "ken@example.com", "--json")
	var ken struct {
		Mail app.MailStatus `json:"mail"`
	}
	if err := json.Unmarshal([]byte(out), &ken); err != nil || code != 0 || ken.Mail.Bouncing || ken.Mail.SuspectedBounce == nil ||
		!strings.Contains(ken.Mail.SuspectedBounce.Text, "User unknown") {
		t.Fatalf("got %q, want a suspected bounce with its text, not bouncing", out)
	}
	code, out, _ = run(t, ws, "clients", "show", "grace@example.com", "--json")
	if code != 0 || !strings.Contains(out, `"unsubscribePending": true`) || !strings.Contains(out, `"unsubscribed": false`) {
		t.Fatalf("got %q, want Grace's unsubscribe pending", out)
	}
	if code, out, _ := run(t, ws, "clients", "bounce", "confirm", fmt.Sprint(ken.Mail.SuspectedBounce.ID)); code != 0 || !strings.Contains(out, "Confirmed") {
		t.Fatalf("got %d %q, want the bounce confirmed", code, out)
	}
	if _, out, _ := run(t, ws, "clients", "show", "ken@example.com", "--json"); !strings.Contains(out, `"bouncing": true`) {
		t.Fatalf("got %q, want Ken bouncing after the coach confirmed", out)
	}
}

func clientID(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	c, err := db.FindClientByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestInspect(t *testing.T) {
	ws := cohortWithMembers(t)
	eml := filepath.Join(t.TempDir(), "reply.eml")
	os.WriteFile(eml, []byte("From: Ada Lovelace <ada@example.com>\r\nTo: coach@example.com\r\nSubject: Re: hello\r\n"+
		"Message-ID: <x1@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nCount me in!\r\n\r\nOn Sun, Coach wrote:\r\n> hello\r\n"), 0o600)
	code, out, errs := run(t, ws, "inspect", eml)
	if code != 0 || !strings.Contains(out, "client Ada Lovelace") || !strings.Contains(out, "--- what the member wrote ---\nCount me in!\n") {
		t.Fatalf("got %d %q %q, want the sender mapped to Ada and the trimmed text", code, out, errs)
	}
	body := filepath.Join(t.TempDir(), "body.txt")
	os.WriteFile(body, []byte("Yes please.\n\nSent from my iPhone\n\nOn Mon, 23 Nov 2026 at 10:00, Coach <coach@example.com> wrote:\n> hi\n"), 0o600)
	if code, out, _ := run(t, ws, "inspect", "--body-only", body); code != 0 || out != "Yes please.\n" {
		t.Fatalf("got %d %q, want only the member's words", code, out)
	}
}

// TestSandboxSyncAcrossRestarts alternates replies and syncs, each command a new
// sandbox (as a new process starts one) loaded from the workspace: the sandbox's
// UIDVALIDITY and UIDs stay the same, so each sync imports exactly the replies
// written since the last one — none skipped, none twice.
func TestSandboxSyncAcrossRestarts(t *testing.T) {
	ws := cohortWithMembers(t)
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Your goal", "--body", writeBody(t))
	if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
		t.Fatal(errs)
	}
	sync := func(want int) {
		t.Helper()
		code, out, errs := run(t, ws, "inbox", "sync", "--json")
		var sum struct{ Imported int }
		if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.Imported != want {
			t.Fatalf("got %d %q %q, want %d imported", code, out, errs, want)
		}
	}
	for i, member := range []string{"ada@example.com", "grace@example.com", "ken@example.com"} {
		if code, _, errs := run(t, ws, "sandbox", "reply-as", member, "--text", fmt.Sprintf("Reply number %d.", i+1)); code != 0 {
			t.Fatal(errs)
		}
		sync(1)
		sync(0)
	}
	run(t, ws, "sandbox", "reply-as", "ada@example.com", "--text", "A second word from Ada.")
	run(t, ws, "sandbox", "reply-as", "ken@example.com", "--text", "A second word from Ken.")
	sync(2)
	sync(0)
	_, out, _ := run(t, ws, "conversations", "list", "--cohort", "Circle", "--json")
	var convs []struct {
		Replies []struct{ Text string } `json:"replies"`
	}
	if err := json.Unmarshal([]byte(out), &convs); err != nil || len(convs) != 1 || len(convs[0].Replies) != 5 {
		t.Fatalf("got %q, want the post with its 5 replies, each once", out)
	}
}
