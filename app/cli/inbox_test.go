package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
