package sending_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// BenchmarkDigestSend2000Postfix queues the Friday digests of a cohort of
// 2,000 members over 5,000 new replies (due.Run) and sends them with the outbox
// worker (each digest loaded, composed, its ledger committed) to real Postfix
// over submission (STARTTLS + AUTH); in the same run it sends the same digests,
// composed beforehand, over one raw session: what the server alone costs. It
// reports both rates and their ratio (the goal: within 1.5×). Postfix's
// delivery of each batch into Dovecot is waited out before the next timing.
func BenchmarkDigestSend2000Postfix(b *testing.B) {
	const members = 2000
	srv := realmail.Start(b)
	from := compose.From{Name: "Sam Coach", Email: realmail.Coach, PlusAddressing: true}
	dial := func(ctx context.Context) (outbox.Conn, error) {
		c, err := submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 60 * time.Second})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	template := digestSendTemplate(b, members, from)
	ctx := context.Background()
	delivered := uint32(0)
	var workerTime, rawTime time.Duration
	for b.Loop() {
		b.StopTimer()
		rawTime += rawRound(b, srv, template, members, from, &delivered)

		// The worker: queue the digests, then send them all.
		db := openCopy(b, template)
		b.StartTimer()
		start := time.Now()
		if sum, err := due.Run(ctx, db, digestSendFriday, compose.NewIDs(from), sessions.Person{Email: from.Email}, false); err != nil || sum.Digests != members {
			b.Fatalf("got %+v, %v; want %d digests", sum, err, members)
		}
		if err := outbox.New(db, dial, outbox.Config{From: from}, nil).Drain(ctx); err != nil {
			b.Fatal(err)
		}
		workerTime += time.Since(start)
		b.StopTimer()
		if items, _ := db.Outbox(ctx, app.OutboxFilter{State: app.OutboxSent}); len(items) < members {
			b.Fatalf("got %d copies sent, want at least %d digests", len(items), members)
		}
		db.Close()
		delivered += members
		waitDelivered(b, srv, delivered)
		b.StartTimer()
	}
	runs := float64(b.N)
	b.ReportMetric(members*runs/workerTime.Seconds(), "msgs/s")
	b.ReportMetric(members*runs/rawTime.Seconds(), "raw-msgs/s")
	b.ReportMetric(workerTime.Seconds()/rawTime.Seconds(), "ratio")
}

var (
	digestSendMonday = time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC)
	digestSendFriday = time.Date(2025, 11, 28, 9, 30, 0, 0, time.UTC)
)

// digestSendTemplate writes a closed workspace file: a mastermind cohort of
// members (member i at plusAddressed(i)) whose copies of five Monday posts are marked
// sent, and 5,000 replies from its first 500 members on Tuesday.
func digestSendTemplate(b *testing.B, members int, from compose.From) string {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "template.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	clock := digestSendMonday
	db.Now = func() time.Time { return clock }
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "UTC"); err != nil {
		b.Fatal(err)
	}
	cohort, ids := bigCircle(b, db, members)
	var posts []app.Post
	for i := range 5 {
		p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: fmt.Sprintf("Week %d: one step", i+1),
			Body: "What is the **one step** you take this week?"})
		if err != nil {
			b.Fatal(err)
		}
		if p, err = db.QueuePost(ctx, p.ID, compose.NewIDs(from)); err != nil {
			b.Fatal(err)
		}
		posts = append(posts, p)
	}
	words := strings.Fields("I tried the morning pages every day this week and it changed how I start work before the calls")
	for i := range 5000 {
		m := i % 500
		n := 8 + i%40
		if i%40 == 0 {
			n = 160
		}
		var text strings.Builder
		for w := range n {
			text.WriteString(words[(i+w)%len(words)] + " ")
		}
		clock = digestSendMonday.AddDate(0, 0, 1).Add(time.Duration(i) * time.Second)
		in := app.IncomingMail{MessageID: fmt.Sprintf("r%d@example.org", i), Hash: fmt.Sprint("h", i), Kind: app.MailReply,
			ClientID: ids[m], PostID: posts[i%5].ID, FromName: fmt.Sprintf("Member %d", m), FromEmail: plusAddressed(m),
			Subject: "Re: " + posts[i%5].Subject, Text: strings.TrimSpace(text.String()), MatchReason: app.MatchToken,
			Trust: app.TrustVerified}
		if _, err := db.ImportMail(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	// The posts' copies went on Monday (they are not what is measured): the
	// ledger says so, and the worker has only the digests to send.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE outbox SET state = 'sent', sent_at = created_at"); err != nil {
		b.Fatal(err)
	}
	return path
}

// bigCircle makes the cohort "Big circle" of members new clients, "Member i"
// at plusAddressed(i), and returns it with their ids.
func bigCircle(b *testing.B, db *store.DB, members int) (app.Cohort, []int64) {
	b.Helper()
	ctx := context.Background()
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Big circle", Kind: app.KindMastermind})
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]app.ImportRow, members)
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Member %d", i), Email: plusAddressed(i)}}
	}
	if _, err := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		b.Fatal(err)
	}
	ids, _ := db.ClientIDs(ctx, app.ClientFilter{})
	if _, err := db.AddMembers(ctx, cohort.ID, ids, ""); err != nil {
		b.Fatal(err)
	}
	return cohort, ids
}

// plusAddressed is member i's address: plus-addressing spreads any number of
// distinct members over realmail's five mailboxes.
func plusAddressed(i int) string {
	local, domain, _ := strings.Cut(realmail.Members[i%len(realmail.Members)], "@")
	return fmt.Sprintf("%s+%d@%s", local, i, domain)
}

// openCopy opens a copy of the template workspace.
func openCopy(b *testing.B, template string) *store.DB {
	b.Helper()
	raw, err := os.ReadFile(template)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// waitDelivered waits until the members' mailboxes hold want messages in all.
func waitDelivered(b *testing.B, srv *realmail.Servers, want uint32) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		got := uint32(0)
		for _, m := range realmail.Members {
			got += countMessages(b, srv, m)
		}
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("got %d of %d messages delivered within 10 minutes", got, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// rawMessage is one digest composed beforehand, for the raw session.
type rawMessage struct {
	to  string
	raw []byte
}

// composedDigests queues the Friday digests in a copy of the template and
// composes each as the worker would: the bytes the raw session sends.
func composedDigests(b *testing.B, template string, members int, from compose.From) []rawMessage {
	b.Helper()
	ctx := context.Background()
	db := openCopy(b, template)
	defer db.Close()
	if sum, err := due.Run(ctx, db, digestSendFriday, compose.NewIDs(from), sessions.Person{Email: from.Email}, false); err != nil || sum.Digests != members {
		b.Fatalf("got %+v, %v; want %d digests", sum, err, members)
	}
	var msgs []rawMessage
	for id := int64(1); id <= int64(members); id++ {
		d, err := db.Digest(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		job := app.OutboxJob{Item: app.OutboxItem{Name: d.Name, Email: d.Email, MessageID: d.MessageID},
			Post: app.Post{CohortID: d.CohortID, Cohort: d.Cohort, Kind: "digest"}, Token: "abcdefghijklmnop",
			UnsubscribeToken: "unsubscribetoken", Digest: &d, CreatedAt: digestSendFriday}
		raw, _, err := compose.Message(from, job, nil)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, rawMessage{d.Email, raw})
	}
	return msgs
}

// rawRound composes the digests (untimed), sends them over one raw session,
// waits until they are delivered (untimed) and returns the session's time.
func rawRound(b *testing.B, srv *realmail.Servers, template string, members int, from compose.From, delivered *uint32) time.Duration {
	b.Helper()
	msgs := composedDigests(b, template, members, from)
	start := time.Now()
	sendRaw(b, srv, from, msgs)
	took := time.Since(start)
	*delivered += uint32(members)
	waitDelivered(b, srv, *delivered)
	return took
}

// sendRaw sends msgs over one submission session: what the server alone costs.
func sendRaw(b *testing.B, srv *realmail.Servers, from compose.From, msgs []rawMessage) {
	b.Helper()
	c, err := submit.Dial(context.Background(), submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
		User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 60 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, m := range msgs {
		if _, err := c.SendWhen(from.Email, m.to, m.raw, nil); err != nil {
			b.Fatal(err)
		}
	}
}
