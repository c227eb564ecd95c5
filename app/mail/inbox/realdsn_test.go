package inbox_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestRealPostfixDSN sends a post through real Postfix to a member whose mailbox
// Dovecot no longer knows. Postfix writes the delivery report itself and returns
// it to the copy's own bounce address (VERP), where it lands in the coach's
// INBOX: the address is marked bouncing. A forged report naming another member,
// citing nothing Roundtable sent, only makes a suspected bounce.
func TestRealPostfixDSN(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	// Postfix accepts gone@ (its map lists it) but Dovecot refuses it at LMTP:
	// the bounce happens after Postfix took the message, as it does at a provider.
	const gone = "gone@example.test"
	srv.AddUser(t, gone, "unused")
	users := filepath.Join(srv.Dir, "dovecot", "users")
	b, err := os.ReadFile(users)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(line, gone+":") {
			keep = append(keep, line)
		}
	}
	if err := os.WriteFile(users, []byte(strings.Join(keep, "")), 0o640); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	stays, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ana Lima", Email: realmail.Members[0]})
	left, _ := db.CreateClient(ctx, app.ClientInput{Name: "Gus Gone", Email: gone})
	db.AddMembers(ctx, cohort.ID, []int64{stays.ID, left.ID}, "")
	coach := compose.From{Name: "Coach", Email: realmail.Coach, PlusAddressing: true}
	post, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 1", Body: "Hello {{first_name}}."})
	if _, err := db.QueuePost(ctx, post.ID, compose.NewIDs(coach)); err != nil {
		t.Fatal(err)
	}
	dial := func(ctx context.Context) (outbox.Conn, error) {
		return submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 20 * time.Second})
	}
	if err := outbox.New(db, dial, outbox.Config{From: coach}, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}

	// A forged report, straight to the coach, naming Ana and citing nothing of ours.
	c, err := smtp.Dial(srv.Addr(srv.SMTPPort))
	if err != nil {
		t.Fatal(err)
	}
	forged := "From: Mail Delivery System <MAILER-DAEMON@mx.elsewhere.example>\r\nTo: " + realmail.Coach + "\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <forged1@mx.elsewhere.example>\r\n" +
		"Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\n<" + stays.Email + ">: 550 5.1.1 User unknown\r\n"
	if err := c.SendMail("", []string{realmail.Coach}, strings.NewReader(forged)); err != nil {
		t.Fatal(err)
	}
	c.Close()

	cfg := inbox.Config{Host: srv.Host, Port: srv.IMAPSPort, Security: app.SecurityTLS, User: realmail.Coach,
		Password: realmail.Password, TLSConfig: srv.TLSConfig(), Timeout: 20 * time.Second}
	waitForCount(t, cfg, 2) // Postfix's own report and the forged one
	sum, err := inbox.Sync(ctx, db, inbox.DialerFor(cfg), inbox.Options{Account: "coach@dovecot"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bounces != 2 {
		t.Fatalf("got %+v, want both reports read", sum)
	}
	st, _ := db.ClientMailStatus(ctx, left.ID)
	if !st.Bouncing || !strings.Contains(st.BounceReason, "5.1.1") || !strings.Contains(st.BounceReason, "bounce address") {
		t.Fatalf("got %+v for Gus, want bouncing, proven by the bounce address", st)
	}
	st, _ = db.ClientMailStatus(ctx, stays.ID)
	if st.Bouncing || st.SuspectedBounce == nil {
		t.Fatalf("got %+v for Ana, want only a suspected bounce", st)
	}
}
