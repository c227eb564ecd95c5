package outbox

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/store"
)

var from = compose.From{Name: "Coach Carter", Email: "coach@example.com", PlusAddressing: true}

// fixture is a workspace with a cohort of n members and one queued post.
type fixture struct {
	db     *store.DB
	post   app.Post
	server *smtptest.Server
	w      *Worker
	clock  time.Time
}

func setup(t *testing.T, n int, hooks smtptest.Hooks, cfg Config) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring Circle", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: fmt.Sprintf("Member %03d", i), Email: fmt.Sprintf("m%03d@example.org", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := db.AddMembers(ctx, cohort.ID, ids, ""); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, server: smtptest.Start(t, smtptest.Options{Hooks: hooks}), clock: time.Now()}
	db.Now = func() time.Time { return f.clock } // one clock for the ledger and the worker
	f.post = queue(t, db, cohort.ID, "Week 1: hello {{first_name}}", "Welcome, **{{first_name}}**! Reply and tell us your goal.")
	cfg.From = from
	f.w = New(db, f.dial, cfg, nil)
	f.w.now = func() time.Time { return f.clock }
	return f
}

func queue(t *testing.T, db *store.DB, cohortID int64, subject, body string) app.Post {
	t.Helper()
	ctx := context.Background()
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohortID, Subject: subject, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	p, err = db.QueuePost(ctx, p.ID, compose.NewIDs(compose.From{Email: "coach@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) dial(ctx context.Context) (Conn, error) {
	c, err := submit.Dial(ctx, submit.Config{Host: f.server.Host, Port: f.server.Port, Security: app.SecurityNone, Timeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// reopen closes the workspace and opens it again with a new worker, as the
// next process would.
func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	f.db.Close()
	db, err := store.Open(f.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return f.clock }
	f.db = db
	f.w = New(db, f.dial, Config{From: from}, nil)
	f.w.now = func() time.Time { return f.clock }
}

func (f *fixture) states(t *testing.T) map[string]int {
	t.Helper()
	m, err := f.db.OutboxCounts(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDrainSendsEveryMemberTheirOwnCopy(t *testing.T) {
	f := setup(t, 3, smtptest.Hooks{}, Config{})
	if err := f.w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.states(t); got[app.OutboxSent] != 3 || len(got) != 1 {
		t.Fatalf("got states %v, want 3 sent", got)
	}
	items, _ := f.db.Outbox(context.Background(), app.OutboxFilter{})
	msgs := f.server.Messages()
	if len(msgs) != 3 {
		t.Fatalf("got %d messages at the server, want 3", len(msgs))
	}
	for i, m := range msgs {
		// Each copy's envelope sender is its own bounce address (VERP).
		if _, verp := replyaddr.BounceToken(m.From); len(m.To) != 1 || m.To[0] != items[i].Email || !verp {
			t.Fatalf("got envelope %s → %v, want one recipient %s", m.From, m.To, items[i].Email)
		}
		r, err := mail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header
		subject, _ := h.Subject()
		ids, _ := h.MsgIDList("Message-Id")
		replyTo, _ := h.AddressList("Reply-To")
		to, _ := h.AddressList("To")
		want := fmt.Sprintf("Week 1: hello Member")
		if subject != want || len(ids) != 1 || ids[0] != items[i].MessageID || len(to) != 1 || to[0].Address != items[i].Email {
			t.Fatalf("got subject %q ids %v to %v, want %q, the outbox's Message-ID and one recipient", subject, ids, to, want)
		}
		if len(replyTo) != 1 {
			t.Fatalf("got Reply-To %v, want one tokenised address", replyTo)
		}
		if _, ok := replyaddr.Token(replyTo[0].Address); !ok {
			t.Fatalf("got Reply-To %s, want it to carry a reply token", replyTo[0].Address)
		}
		if !strings.Contains(items[i].LastAnswer, "Accepted by the server") || items[i].SentAt == nil {
			t.Fatalf("got %+v, want the server's answer and the time recorded", items[i])
		}
	}
	// Draining again sends nothing: nothing is sent twice.
	f.w.Drain(context.Background())
	if n := len(f.server.Messages()); n != 3 {
		t.Fatalf("got %d messages after a second drain, want still 3", n)
	}
}

func TestTemporaryFailureIsRetriedLater(t *testing.T) {
	busy := true
	f := setup(t, 3, smtptest.Hooks{Rcpt: func(to string) error {
		if to == "m001@example.org" && busy {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		return nil
	}}, Config{Backoff: time.Minute})
	ctx := context.Background()
	if err := f.w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.states(t); got[app.OutboxSent] != 2 || got[app.OutboxRetrying] != 1 {
		t.Fatalf("got %v, want 2 sent and 1 retrying", got)
	}
	items, _ := f.db.Outbox(ctx, app.OutboxFilter{State: app.OutboxRetrying})
	it := items[0]
	if it.Attempts != 1 || !strings.Contains(it.LastAnswer, "451") || !it.NextAttemptAt.Equal(f.clock.Add(time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("got %+v, want 1 attempt, the server's 451 and a retry in a minute", it)
	}
	// Not due yet: draining now sends nothing.
	f.w.Drain(ctx)
	if n := len(f.server.Messages()); n != 2 {
		t.Fatalf("got %d messages before the retry was due, want 2", n)
	}
	busy = false
	f.clock = f.clock.Add(2 * time.Minute)
	f.w.Drain(ctx)
	if got := f.states(t); got[app.OutboxSent] != 3 {
		t.Fatalf("got %v after the retry, want 3 sent", got)
	}
}

func TestPermanentFailureIsRecordedInWords(t *testing.T) {
	f := setup(t, 2, smtptest.Hooks{Data: func(data []byte) error {
		if bytes.Contains(data, []byte("m000@example.org")) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "User unknown"}
		}
		return nil
	}}, Config{})
	f.w.Drain(context.Background())
	items, _ := f.db.Outbox(context.Background(), app.OutboxFilter{State: app.OutboxFailed})
	if len(items) != 1 || items[0].Email != "m000@example.org" || !strings.Contains(items[0].LastAnswer, "refused the message for good (550 5.1.1 User unknown)") {
		t.Fatalf("got %+v, want m000 failed with the server's words", items)
	}
	if got := f.states(t); got[app.OutboxSent] != 1 {
		t.Fatalf("got %v, want the other member sent", got)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	f := setup(t, 1, smtptest.Hooks{Rcpt: func(string) error {
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"}
	}}, Config{MaxAttempts: 3, Backoff: time.Second})
	for range 3 {
		f.w.Drain(context.Background())
		f.clock = f.clock.Add(time.Hour)
	}
	items, _ := f.db.Outbox(context.Background(), app.OutboxFilter{})
	if items[0].State != app.OutboxFailed || items[0].Attempts != 3 || !strings.HasPrefix(items[0].LastAnswer, "Gave up after 3 tries.") {
		t.Fatalf("got %+v, want failed after 3 tries", items[0])
	}
}

func TestDroppedConnectionLosesNothing(t *testing.T) {
	f := setup(t, 5, smtptest.Hooks{DropDuringData: func(n int) bool { return n == 2 }}, Config{Backoff: time.Second})
	ctx := context.Background()
	f.w.Drain(ctx)
	if got := f.states(t); got[app.OutboxSent] != 4 || got[app.OutboxRetrying] != 1 {
		t.Fatalf("got %v, want 4 sent over a new connection and the dropped one waiting", got)
	}
	f.clock = f.clock.Add(time.Minute)
	f.w.Drain(ctx)
	if got := f.states(t); got[app.OutboxSent] != 5 || len(f.server.Messages()) != 5 {
		t.Fatalf("got %v and %d at the server, want all 5 exactly once", got, len(f.server.Messages()))
	}
}

func TestOfflineLeavesTheQueueUntouched(t *testing.T) {
	f := setup(t, 2, smtptest.Hooks{}, Config{})
	f.server.Close()
	err := f.w.Drain(context.Background())
	var se *submit.Error
	if !errors.As(err, &se) || !se.Temporary {
		t.Fatalf("got %v, want a temporary connection error", err)
	}
	if got := f.states(t); got[app.OutboxQueued] != 2 {
		t.Fatalf("got %v, want both still queued with no attempt spent", got)
	}
}

func TestRecoversAMessageLeftSending(t *testing.T) {
	f := setup(t, 2, smtptest.Hooks{}, Config{})
	ctx := context.Background()
	job, _ := f.db.NextDue(ctx, f.clock, 0)
	f.db.MarkSending(ctx, job.Item.ID) // as if the app died mid-transfer
	f.reopen(t)                        // the next process, after the dead one's lock is gone
	f.w.Drain(ctx)
	if got := f.states(t); got[app.OutboxSent] != 2 {
		t.Fatalf("got %v, want the message left sending sent after recovery", got)
	}
}

func TestSkipsUnsubscribedAndBouncedMembers(t *testing.T) {
	ctx := context.Background()
	db, _ := store.Open(filepath.Join(t.TempDir(), "w.db"))
	defer db.Close()
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "C"})
	a, _ := db.CreateClient(ctx, app.ClientInput{Name: "Away", Email: "a@example.org"})
	b, _ := db.CreateClient(ctx, app.ClientInput{Name: "Bounce", Email: "b@example.org"})
	c, _ := db.CreateClient(ctx, app.ClientInput{Name: "Current", Email: "c@example.org"})
	db.AddMembers(ctx, cohort.ID, []int64{a.ID, b.ID, c.ID}, "")
	db.MarkUnsubscribed(ctx, a.ID)
	db.MarkBounced(ctx, b.ID, "550 5.1.1 user unknown")
	p := queue(t, db, cohort.ID, "S", "B")
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: p.ID})
	got := map[string]string{}
	for _, it := range items {
		got[it.Email] = it.State + ": " + it.LastAnswer
	}
	if !strings.HasPrefix(got["a@example.org"], "skipped: Not sent: unsubscribed on ") ||
		got["b@example.org"] != "skipped: Not sent: mail to this address bounced (550 5.1.1 user unknown)." ||
		got["c@example.org"] != "queued: " {
		t.Fatalf("got %v, want the unsubscribed and bounced members skipped with reasons", got)
	}
}

func TestPerMinuteLimit(t *testing.T) {
	f := setup(t, 3, smtptest.Hooks{}, Config{PerMinute: 2})
	err := f.w.sendDue(context.Background())
	var we *waitError
	if !errors.As(err, &we) || !we.perMinute || f.w.Status().State != StateLimited {
		t.Fatalf("got %v (status %+v), want a wait for the per-minute limit", err, f.w.Status())
	}
	if n := len(f.server.Messages()); n != 2 {
		t.Fatalf("got %d sent before the limit, want 2", n)
	}
	f.clock = f.clock.Add(61 * time.Second)
	if err := f.w.sendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(f.server.Messages()); n != 3 {
		t.Fatalf("got %d after a minute, want 3", n)
	}
}

func TestPerDayLimit(t *testing.T) {
	f := setup(t, 3, smtptest.Hooks{}, Config{PerDay: 1})
	err := f.w.Drain(context.Background())
	if err == nil || !strings.Contains(Message(err), "daily limit of 1") {
		t.Fatalf("got %v, want the daily limit explained", err)
	}
	if n := len(f.server.Messages()); n != 1 {
		t.Fatalf("got %d sent, want 1", n)
	}
}

func TestCancelUnsent(t *testing.T) {
	f := setup(t, 3, smtptest.Hooks{}, Config{})
	n, err := f.db.CancelUnsent(context.Background(), f.post.ID)
	if err != nil || n != 3 {
		t.Fatalf("got %d, %v; want 3 cancelled", n, err)
	}
	f.w.Drain(context.Background())
	if len(f.server.Messages()) != 0 {
		t.Fatal("a cancelled message was sent")
	}
}

func TestAttachmentsGoWithEveryCopy(t *testing.T) {
	ctx := context.Background()
	f := setup(t, 2, smtptest.Hooks{}, Config{})
	cohort, _ := f.db.FindCohortByName(ctx, "Spring Circle")
	p, _ := f.db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Worksheet", Body: "Attached."})
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0xA5}, 5000)...)
	if _, err := f.db.AddPostAttachment(ctx, p.ID, "Worksheet – week 1.pdf", "application/pdf", pdf); err != nil {
		t.Fatal(err)
	}
	_, err := f.db.AddPostAttachment(ctx, p.ID, "huge.mov", "video/quicktime", make([]byte, app.AttachmentLimitBytes))
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("got %v, want a file past 20 MB refused", err)
	}
	f.db.QueuePost(ctx, p.ID, withIDs(func() (string, string) { return render.NewMessageID("example.com"), replyaddr.NewToken() }))
	f.w.Drain(ctx)
	var withFile int
	for _, m := range f.server.Messages() {
		r, _ := mail.CreateReader(bytes.NewReader(m.Data))
		for {
			part, err := r.NextPart()
			if err != nil {
				break
			}
			if ah, ok := part.Header.(*mail.AttachmentHeader); ok {
				name, _ := ah.Filename()
				body, _ := io.ReadAll(part.Body)
				if name == "Worksheet – week 1.pdf" && bytes.Equal(body, pdf) {
					withFile++
				}
			}
		}
	}
	if withFile != 2 {
		t.Fatalf("got the file intact in %d copies, want both members' copies", withFile)
	}
	if _, err := f.db.AddPostAttachment(ctx, p.ID, "late.txt", "text/plain", []byte("x")); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("got %v, want no files added once queued", err)
	}
}

// TestRunWaitsOfflineAndSendsWhenTheNetworkReturns runs the worker as the window
// does: while the server cannot be reached it says so and keeps the queue; once
// the server answers again, everything goes, without the coach doing anything.
func TestRunWaitsOfflineAndSendsWhenTheNetworkReturns(t *testing.T) {
	f := setup(t, 3, smtptest.Hooks{}, Config{OfflineWait: 20 * time.Millisecond})
	var mu sync.Mutex
	online := false
	f.w.dial = func(ctx context.Context) (Conn, error) {
		mu.Lock()
		up := online
		mu.Unlock()
		if !up {
			return nil, &submit.Error{Temporary: true, Broken: true, Msg: "The mail server cannot be reached (are you offline?)."}
		}
		return f.dial(ctx)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.w.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the offline state", func() bool { return f.w.Status().State == StateOffline })
	if got := f.states(t); got[app.OutboxQueued] != 3 {
		t.Fatalf("got %v while offline, want all 3 still queued", got)
	}
	mu.Lock()
	online = true
	mu.Unlock()
	waitFor(t, "all three sent", func() bool { return len(f.server.Messages()) == 3 })
	waitFor(t, "the idle state", func() bool { return f.w.Status().State == StateIdle })
	if got := f.states(t); got[app.OutboxSent] != 3 {
		t.Fatalf("got %v, want 3 sent once back online", got)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// copies counts the copies each recipient received at the server.
func (f *fixture) copies() map[string]int {
	got := map[string]int{}
	for _, m := range f.server.Messages() {
		got[m.To[0]]++
	}
	return got
}

// TestRenewsTheClaimDuringASlowTransfer gives claims a lease far shorter than
// each transfer and runs recovery over and over meanwhile: the worker's renewals
// keep every claim alive, so nothing is requeued under it and no member gets two
// copies.
func TestRenewsTheClaimDuringASlowTransfer(t *testing.T) {
	// Each transfer takes three leases; renewals come ten times a lease, leaving
	// room for a slow commit on a busy machine.
	f := setup(t, 2, smtptest.Hooks{Delay: 1500 * time.Millisecond}, Config{RenewEvery: 50 * time.Millisecond})
	f.db.Now = time.Now
	f.w.now = time.Now
	f.db.Lease = 500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	recovered := make(chan int, 1)
	go func() {
		n := 0
		defer func() { recovered <- n }()
		for ctx.Err() == nil {
			k, _ := f.db.RecoverSending(ctx)
			n += k
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err := f.w.Drain(context.Background())
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if n := <-recovered; n != 0 {
		t.Fatalf("got %d live claims requeued during the transfer, want 0", n)
	}
	for to, n := range f.copies() {
		if n != 1 {
			t.Errorf("%s: got %d copies, want 1", to, n)
		}
	}
	if got := f.states(t); got[app.OutboxSent] != 2 {
		t.Fatalf("got %v, want 2 sent", got)
	}
}

// TestTwoWorkersOnOneWorkspace runs two workers draining the same outbox at once
// (as a second sender that got past the lock would): every member gets exactly
// one copy.
func TestTwoWorkersOnOneWorkspace(t *testing.T) {
	f := setup(t, 40, smtptest.Hooks{Delay: time.Millisecond}, Config{})
	f.db.Now = time.Now
	var wg sync.WaitGroup
	for range 2 {
		w := New(f.db, f.dial, Config{From: from}, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Drain(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got := f.copies()
	if len(got) != 40 {
		t.Fatalf("got copies for %d members, want 40", len(got))
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s: got %d copies, want 1", to, n)
		}
	}
}

// TestOddNameStillSendsWithANote puts a name with a line break (as an old CSV
// import left it) on a queued copy: the member still gets the post, and the
// outbox records what was tidied beside the server's answer.
func TestOddNameStillSendsWithANote(t *testing.T) {
	f := setup(t, 2, smtptest.Hooks{}, Config{})
	raw, err := sql.Open("sqlite3", f.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE outbox SET name = ? WHERE email = ?", "Member\r\nZero", "m000@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := f.w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.states(t); got[app.OutboxSent] != 2 {
		t.Fatalf("got states %v, want both sent", got)
	}
	items, _ := f.db.Outbox(context.Background(), app.OutboxFilter{})
	for _, it := range items {
		noted := strings.Contains(it.LastAnswer, "Note: The member's name had a line break")
		if noted != (it.Email == "m000@example.org") {
			t.Errorf("%s: got answer %q, want a note only for the odd name", it.Email, it.LastAnswer)
		}
	}
}

// ledger is the real store with a step of the test's own just before a message
// is recorded as sent and the next one claimed: that write is committed while
// the next message's bytes already go.
type ledger struct {
	*store.DB
	beforeClaim func(nextID int64) error
	wrote       func(nextID int64, durable bool) // each record of a sent message, as it is written
}

func (l ledger) MarkSentAndSending(ctx context.Context, sentID int64, answer string, nextID int64, durable bool) (bool, error) {
	if l.wrote != nil {
		l.wrote(nextID, durable)
	}
	if nextID != 0 && l.beforeClaim != nil {
		if err := l.beforeClaim(nextID); err != nil {
			return false, err
		}
	}
	return l.DB.MarkSentAndSending(ctx, sentID, answer, nextID, durable)
}

// reachedRcpt returns server hooks that say when the server is given the
// recipient addr, and a wait for that moment.
func reachedRcpt(t *testing.T, addr string) (smtptest.Hooks, func()) {
	reached := make(chan struct{})
	var once sync.Once
	hooks := smtptest.Hooks{Rcpt: func(to string) error {
		if to == addr {
			once.Do(func() { close(reached) })
		}
		return nil
	}}
	return hooks, func() {
		select {
		case <-reached:
		case <-time.After(5 * time.Second):
			t.Error("the second message never reached the server")
		}
	}
}

// TestCancelledWhileItsBytesGoIsNotDelivered cancels the rest of a post while
// the second copy is already on the wire: its claim then fails, the server is
// never told to take it, and nothing after it goes.
func TestCancelledWhileItsBytesGoIsNotDelivered(t *testing.T) {
	hooks, waitRcpt := reachedRcpt(t, "m001@example.org")
	f := setup(t, 3, hooks, Config{})
	ctx := context.Background()
	f.w = New(ledger{DB: f.db, beforeClaim: func(int64) error {
		waitRcpt()
		_, err := f.db.CancelUnsent(ctx, f.post.ID)
		return err
	}}, f.dial, Config{From: from}, nil)
	f.w.now = func() time.Time { return f.clock }
	if err := f.w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := f.server.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "m000@example.org" {
		t.Fatalf("got %d messages at the server, want only the first (the second was cancelled before its end)", len(msgs))
	}
	if got := f.states(t); got[app.OutboxSent] != 1 || got[app.OutboxCanceled] != 2 {
		t.Fatalf("got %v, want 1 sent and 2 cancelled", got)
	}
}

// TestLedgerFailureBeforeTheEndDeliversNothing fails the ledger write (a full
// disk) while the second copy's bytes go: the server is never told to take it,
// the coach gets the error, and the next run sends the rest, each once; only
// the copy in flight when the ledger failed goes again (same Message-ID).
func TestLedgerFailureBeforeTheEndDeliversNothing(t *testing.T) {
	hooks, waitRcpt := reachedRcpt(t, "m001@example.org")
	f := setup(t, 3, hooks, Config{})
	ctx := context.Background()
	full := errors.New("database or disk is full")
	f.w = New(ledger{DB: f.db, beforeClaim: func(int64) error {
		waitRcpt()
		return full
	}}, f.dial, Config{From: from}, nil)
	f.w.now = func() time.Time { return f.clock }
	if err := f.w.Drain(ctx); !errors.Is(err, full) {
		t.Fatalf("got %v, want the ledger's error", err)
	}
	if msgs := f.server.Messages(); len(msgs) != 1 {
		t.Fatalf("got %d messages at the server, want only the first", len(msgs))
	}
	if got := f.states(t); got[app.OutboxSending] != 1 || got[app.OutboxQueued] != 2 {
		t.Fatalf("got %v, want the first still marked sending and the other two queued", got)
	}
	f.reopen(t) // the coach frees some space and opens the workspace again
	if err := f.w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	byRcpt := map[string][]string{}
	for _, m := range f.server.Messages() {
		r, err := mail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := r.Header.MessageID()
		byRcpt[m.To[0]] = append(byRcpt[m.To[0]], id)
	}
	if len(byRcpt["m001@example.org"]) != 1 || len(byRcpt["m002@example.org"]) != 1 {
		t.Fatalf("got %v, want the second and third copies once each", byRcpt)
	}
	if first := byRcpt["m000@example.org"]; len(first) != 2 || first[0] != first[1] {
		t.Fatalf("got %v for the copy in flight, want it sent again with the same Message-ID", first)
	}
}

// TestLedgerWaitsForTheDiskAFewTimesASecond sends 60 copies and watches how
// each one's record is written: most without waiting for the disk, but never
// more than maxLazy in a row, the first and the last of the run waiting for
// it — so a power cut can undo only the records of the last moment, and a
// finished run is on the disk whole. Every member gets one copy.
func TestLedgerWaitsForTheDiskAFewTimesASecond(t *testing.T) {
	const n = 60
	f := setup(t, n, smtptest.Hooks{}, Config{})
	type write struct {
		next    int64
		durable bool
	}
	var mu sync.Mutex
	var writes []write
	f.w = New(ledger{DB: f.db, wrote: func(next int64, durable bool) {
		mu.Lock()
		writes = append(writes, write{next, durable})
		mu.Unlock()
	}}, f.dial, Config{From: from}, nil)
	f.w.now = func() time.Time { return f.clock }
	if err := f.w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(writes) != n {
		t.Fatalf("got %d records written, want %d", len(writes), n)
	}
	if !writes[0].durable || !writes[n-1].durable || writes[n-1].next != 0 {
		t.Fatalf("got first %+v and last %+v, want both waiting for the disk, the last claiming nothing", writes[0], writes[n-1])
	}
	lazy, run := 0, 0
	for _, w := range writes {
		if w.durable {
			run = 0
			continue
		}
		lazy++
		if run++; run > maxLazy {
			t.Fatalf("got more than %d records in a row without the disk: %+v", maxLazy, writes)
		}
	}
	if lazy == 0 {
		t.Fatal("every record waited for the disk: the run took turns with the server's own fsync")
	}
	for to, c := range f.copies() {
		if c != 1 {
			t.Errorf("%s: got %d copies, want 1", to, c)
		}
	}
}
