package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// coachMailbox starts the coach's IMAP server: go-imap's in-memory backend on
// 127.0.0.1, with an INBOX, and returns how the inbox reaches it and the user
// whose INBOX mail is delivered to.
func coachMailbox(t *testing.T) (inbox.Config, *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("coach@example.com", "secret")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return inbox.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: app.SecurityNone, User: "coach@example.com", Password: "secret", Timeout: 20 * time.Second}, user
}

// deliverReplies puts in the coach's INBOX one reply from each member to the
// copy of the announcement they got (sent, as the SMTP server took it), as
// their mail clients would write it: to the Reply-To address, in the thread.
func deliverReplies(t *testing.T, user *imapmemserver.User, sent []smtptest.Message) {
	t.Helper()
	for i, s := range sent {
		m, err := mail.ReadMessage(bytes.NewReader(s.Data))
		if err != nil {
			t.Fatal(err)
		}
		h := m.Header
		raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: %s\r\nDate: %s\r\nMessage-ID: <reply%03d@example.org>\r\nIn-Reply-To: %s\r\nReferences: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMy goal this week, number %d: déjà écrit.\r\n\r\nOn Monday the coach wrote:\r\n> Hello\r\n",
			s.To[0], h.Get("Reply-To"), "Crash test", time.Now().Format(time.RFC1123Z), i, h.Get("Message-ID"), h.Get("Message-ID"), i)
		if _, err := user.Append("INBOX", strings.NewReader(raw), &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// tableRows reads every row of table in the workspace file at path, keyed by
// id, each row all its columns as text.
func tableRows(t *testing.T, path, table string) map[int64]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	out := map[int64]string{}
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var row strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&row, "%s=%v; ", cols[i], v)
		}
		out[vals[0].(int64)] = row.String()
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupWhileSendingAndImporting takes `backup create` while the workspace
// is open as in the window, its outbox sending an announcement to 300 members
// and its inbox importing 300 replies at the same time. The backup, restored
// into a new file, holds each side mid-way, and nothing half-written: every
// copy and every reply it holds is, row for row, in the workspace afterwards,
// and the restored workspace, synced again with the same mailbox, imports
// exactly the replies the backup lacked and ends with the same replies.
func TestBackupWhileSendingAndImporting(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 600 messages and imports 300")
	}
	const members = 300
	ctx := context.Background()
	srv := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: 5 * time.Millisecond}})
	ws, _ := queuedToCohort(t, members, srv)
	if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
		t.Fatal(errs)
	}
	imapCfg, user := coachMailbox(t)
	deliverReplies(t, user, srv.Messages())
	if code, _, errs := run(t, ws, "post", "create", "--cohort", "Big", "--subject", "Week 2", "--body", writeBody(t)); code != 0 {
		t.Fatal(errs)
	}

	// The window: one process writing, the outbox and the inbox at once.
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := secret.Open(ws, true)
	if err != nil {
		t.Fatal(err)
	}
	route, err := account.RouteFor(ctx, db, sec, account.Running(""))
	if err != nil {
		t.Fatal(err)
	}
	opts := inbox.Options{Account: imapCfg.User, BatchSize: 20}
	sending, importing := make(chan error, 1), make(chan error, 1)
	go func() { sending <- outbox.New(db, route.Dial, route.Config, nil).Drain(ctx) }()
	// The import waits, once 20 replies are committed, until the backup is
	// taken: it is faster than the backup's start, so it would finish first.
	backedUp := make(chan struct{})
	imported := 0
	go func() {
		_, err := inbox.Sync(ctx, db, inbox.DialerFor(imapCfg), opts, func(p app.Progress) {
			if p.Note == "Importing replies" {
				if imported++; imported == 20 {
					<-backedUp
				}
			}
		})
		importing <- err
	}()
	count := func(path, table string) int {
		var n int
		r, _ := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		defer r.Close()
		r.QueryRow("SELECT count(*) FROM " + table).Scan(&n)
		return n
	}
	for deadline := time.Now().Add(30 * time.Second); len(srv.Messages()) < members+20 || count(ws, "replies") < 20; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("got %d sent and %d imported after 30 s, want both under way", len(srv.Messages())-members, count(ws, "replies"))
		}
	}
	code, out, errs := run(t, ws, "backup", "create", t.TempDir(), "--json")
	close(backedUp)
	if code != 0 {
		t.Fatalf("got exit %d (%s), want a backup while sending and importing", code, errs)
	}
	if err := <-sending; err != nil {
		t.Fatalf("sending: %v", err)
	}
	if err := <-importing; err != nil {
		t.Fatalf("importing: %v", err)
	}
	db.Close()
	restored, backupPath := restoreInto(t, out)

	// Every row the backup holds is the workspace's row, unchanged: replies
	// and the mail they came in are never rewritten, and a copy the backup
	// says was sent was sent then.
	for _, table := range []string{"inbox_messages", "replies"} {
		then, now := tableRows(t, restored, table), tableRows(t, ws, table)
		if len(then) < 20 || len(then) >= members || len(now) != members {
			t.Fatalf("%s: got %d rows in the backup and %d in the workspace, want the backup taken mid-way (20 or more, fewer than %d) and all %d in the workspace", table, len(then), len(now), members, members)
		}
		for id, row := range then {
			if now[id] != row {
				t.Errorf("%s %d: got %s in the backup, want %s as in the workspace", table, id, row, now[id])
			}
		}
	}
	then, now := tableRows(t, restored, "outbox"), tableRows(t, ws, "outbox")
	sentThen := 0
	for id, row := range then {
		if strings.Contains(row, "state=sent;") {
			sentThen++
			if now[id] != row {
				t.Errorf("outbox %d: got %s in the backup, want %s as in the workspace", id, row, now[id])
			}
		}
	}
	if len(then) != 2*members || sentThen < members+19 || sentThen == 2*members {
		t.Fatalf("got %d copies in the backup, %d of them sent, want %d, the second announcement sent mid-way", len(then), sentThen, 2*members)
	}
	// Nothing dangles: every reply has the mail it came in, and the folder's
	// import position is no further than what the backup holds, or a sync
	// after restoring would skip replies.
	r, _ := sql.Open("sqlite3", "file:"+restored+"?mode=ro")
	var broken int
	r.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&broken)
	r.Close()
	if broken != 0 {
		t.Fatalf("got %d rows pointing at nothing in the backup, want none", broken)
	}
	rdb, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	sum, err := inbox.Sync(ctx, rdb, inbox.DialerFor(imapCfg), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := members - count(backupPath, "replies"); sum.Imported != want {
		t.Fatalf("got %d imported by syncing the restored workspace, want the %d the backup lacked", sum.Imported, want)
	}
	words := func(path string) map[string]string {
		rows := map[string]string{}
		r, _ := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		defer r.Close()
		rs, err := r.Query("SELECT m.message_id, r.post_id, r.client_id, r.from_email, r.subject, r.text, r.quoted, r.state, r.match_reason FROM replies r JOIN inbox_messages m ON m.id = r.inbox_message_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		for rs.Next() {
			var id, post, client, from, subject, text, quoted, state, reason string
			rs.Scan(&id, &post, &client, &from, &subject, &text, &quoted, &state, &reason)
			rows[id] = strings.Join([]string{post, client, from, subject, text, quoted, state, reason}, "|")
		}
		return rows
	}
	got, want := words(restored), words(ws)
	if len(got) != members || len(want) != members {
		t.Fatalf("got %d replies after restoring and syncing, %d in the workspace, want %d each", len(got), len(want), members)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("reply %s: got %q after restoring and syncing, want %q", id, got[id], w)
		}
	}
	t.Logf("the backup holds %d of %d replies and %d of %d copies sent", count(backupPath, "replies"), members, sentThen, 2*members)
}
