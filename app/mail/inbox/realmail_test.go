package inbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestSyncFromDovecot sends replies shaped as Gmail, Outlook and Apple Mail write
// them, an out-of-office and a DSN bounce through real Postfix into the coach's
// real Dovecot mailbox, beside a personal mail, and imports them over IMAPS.
func TestSyncFromDovecot(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Spring mastermind"})
	var members []app.Client
	for i, name := range []string{"Ana Lima", "Ben Okafor", "Cleo Park", "Dev Rao"} {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: name, Email: realmail.Members[i]})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, c)
	}
	db.AddMembers(ctx, cohort.ID, []int64{members[0].ID, members[1].ID, members[2].ID, members[3].ID}, "")
	post, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 3: one habit", Body: "Pick one habit."})
	tokens := map[string]string{}
	seq := 0
	post, err = db.QueuePost(ctx, post.ID, withIDs(func() (string, string) {
		seq++
		id, tok := fmt.Sprintf("post.%d@example.test", seq), replyaddr.NewToken()
		tokens[id] = tok
		return id, tok
	}))
	if err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: post.ID})
	sent := map[int64][2]string{} // client → message id, token
	for _, it := range items {
		sent[it.ClientID] = [2]string{it.MessageID, tokens[it.MessageID]}
	}

	// fill reads a fixture, fills it in for the member, and leaves out the
	// delivery headers: Postfix and Dovecot write their own.
	fill := func(fixture string, m app.Client, mid string) []byte {
		raw, err := os.ReadFile(filepath.Join("testdata", fixture))
		if err != nil {
			t.Fatal(err)
		}
		s := sent[m.ID]
		out := strings.NewReplacer("{{TOKEN}}", s[1], "{{CITED}}", s[0], "{{FROM}}", m.Email, "{{NAME}}", m.Name,
			"{{MID}}", mid, "{{SUBJECT}}", post.Subject, "coach+rt-", "coach+rt-", "@example.com>", "@example.test>").Replace(string(raw))
		out = regexp.MustCompile(`(?m)^(Delivered-To|Return-Path): .*\r?\n`).ReplaceAllString(out, "")
		return []byte(strings.ReplaceAll(strings.ReplaceAll(out, "\r\n", "\n"), "\n", "\r\n"))
	}
	// deliver hands a message to Postfix's port 25 service, as the member's
	// provider would, for the coach's address (a reply address for replies).
	deliver := func(from, to string, raw []byte) {
		t.Helper()
		c, err := smtp.Dial(srv.Addr(srv.SMTPPort))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SendMail(from, []string{to}, strings.NewReader(string(raw))); err != nil {
			t.Fatalf("deliver to %s: %v", to, err)
		}
	}
	replyTo := func(m app.Client) string { return "coach+rt-" + sent[m.ID][1] + "@example.test" }
	deliver(members[0].Email, replyTo(members[0]), fill("gmail_reply.eml", members[0], "g1"))
	deliver(members[1].Email, replyTo(members[1]), fill("outlook_reply.eml", members[1], "o1"))
	deliver(members[2].Email, replyTo(members[2]), fill("apple_reply.eml", members[2], "a1"))
	deliver(members[3].Email, replyTo(members[3]), fill("auto_reply.eml", members[3], "ooo1"))
	deliver("", realmail.Coach, fill("bounce_dsn.eml", members[1], "dsn1"))
	deliver("friend@example.org", realmail.Coach, fill("personal.eml", members[0], "p1"))

	cfg := inbox.Config{Host: srv.Host, Port: srv.IMAPSPort, Security: app.SecurityTLS, User: realmail.Coach,
		Password: realmail.Password, TLSConfig: srv.TLSConfig(), Timeout: 20 * time.Second}
	waitForCount(t, cfg, 6)
	opts := inbox.Options{Account: realmail.Coach + "@dovecot"}
	sum, err := inbox.Sync(ctx, db, inbox.DialerFor(cfg), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scanned != 6 || sum.Imported != 3 || sum.AutoReplies != 1 || sum.Bounces != 1 || sum.Skipped != 1 {
		t.Fatalf("got %+v, want 6 scanned: 3 replies, 1 auto-reply, 1 bounce, 1 personal mail skipped", sum)
	}
	replies, _ := db.Replies(ctx, post.ID)
	if len(replies) != 3 {
		t.Fatalf("got %d replies under the post, want 3", len(replies))
	}
	for _, r := range replies {
		if r.MatchReason != app.MatchToken || r.Text == "" || strings.Contains(r.Text, "\n>") || strings.Contains(r.Text, "wrote:") || r.Quoted == "" {
			t.Errorf("got %s's reply %q (quoted %d bytes, %s), want the member's words only, matched by token", r.Email, r.Text, len(r.Quoted), r.MatchReason)
		}
	}
	away, _ := db.ClientMailStatus(ctx, members[3].ID)
	bounced, _ := db.ClientMailStatus(ctx, members[1].ID)
	if !away.Away || !bounced.Bouncing || !strings.Contains(bounced.BounceReason, "5.1.1") {
		t.Fatalf("got away %+v and bounce %+v, want Dev away and Ben's address bouncing (5.1.1)", away, bounced)
	}
	// Nothing new: a second sync imports nothing.
	sum, err = inbox.Sync(ctx, db, inbox.DialerFor(cfg), opts, nil)
	if err != nil || sum.Imported+sum.AutoReplies+sum.Bounces != 0 {
		t.Fatalf("got %+v, %v on the second sync, want nothing imported twice", sum, err)
	}
}

// waitForCount waits until the coach's INBOX holds n messages: delivery through
// Postfix and LMTP is asynchronous.
func waitForCount(t *testing.T, cfg inbox.Config, n uint32) {
	t.Helper()
	c, err := imapclient.DialTLS(fmt.Sprintf("%s:%d", cfg.Host, cfg.Port), &imapclient.Options{TLSConfig: cfg.TLSConfig})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(cfg.User, cfg.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if st.NumMessages != nil && *st.NumMessages >= n {
			return
		}
	}
	t.Fatalf("the coach's INBOX did not reach %d messages", n)
}
