// Package outbox sends the messages queued in the workspace, one recipient at a
// time over one reused SMTP connection, within the provider's rate limits, with
// retries and backoff, recording every step so that a crash, a dropped network or
// a sleeping laptop loses nothing and sends nothing twice that can be helped.
//
// The ledger lives in the store: a message is marked "sending" (committed) before
// the server is told to take it (the final dot of DATA; its bytes may already be
// on the wire) and "sent" (committed) after the server's answer. After a crash the
// only message whose fate is unknown is the one still marked "sending"; it is sent
// again with the same Message-ID, so a copy that did arrive folds into the first.
//
// A message marked "sending" is this worker's claim, with a lease it renews while
// the bytes go: another sender on the same workspace never takes it over while it
// lives, so two senders never send one copy twice.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/submit"
)

// Store is the outbox ledger the worker reads and writes.
type Store interface {
	RecoverSending(ctx context.Context) (int, error)
	// NextDue returns the first message due at now, passing over skip (a
	// message whose claim is still being committed; 0 for none).
	NextDue(ctx context.Context, now time.Time, skip int64) (app.OutboxJob, error)
	NextWake(ctx context.Context) (time.Time, bool, error)
	MarkSending(ctx context.Context, id int64) error
	// RenewClaim extends the lease of a message this worker is transferring.
	RenewClaim(ctx context.Context, id int64) error
	MarkSentAndSending(ctx context.Context, sentID int64, answer string, nextID int64, durable bool) (bool, error)
	Requeue(ctx context.Context, id int64) error
	MarkRetry(ctx context.Context, id int64, answer string, next time.Time) error
	MarkFailed(ctx context.Context, id int64, answer string) error
	SentSince(ctx context.Context, t time.Time) (int, error)
	PostAttachmentData(ctx context.Context, postID int64) ([]app.PostAttachment, [][]byte, error)
	Digest(ctx context.Context, id int64) (app.Digest, error)
}

// Conn is an open connection to the SMTP server (a *submit.Conn).
type Conn interface {
	// SendWhen hands one message to the server, finishing it (the final dot
	// of DATA, after which the server takes it) only once ready returns nil;
	// when ready fails, the connection is dropped before the dot and the
	// server delivers nothing.
	SendWhen(from, to string, raw []byte, ready func() error) (answer string, err error)
	Close() error
}

// Dialer opens a connection to the SMTP server.
type Dialer func(ctx context.Context) (Conn, error)

// Config is how the worker sends.
type Config struct {
	From        compose.From
	PerMinute   int           // 0: no limit
	PerDay      int           // 0: no limit
	MaxAttempts int           // temporary failures before giving up; default 8
	Backoff     time.Duration // first retry delay, doubled each time; default 1 minute
	MaxBackoff  time.Duration // default 1 hour
	// OfflineWait is the first wait before trying an unreachable server again,
	// doubled each time up to 5 minutes; default 15 seconds.
	OfflineWait time.Duration
	// RenewEvery is how often the claim on a message being transferred is
	// renewed (a large attachment over a slow link takes minutes); it must stay
	// well within the store's lease (2 minutes). Default 30 seconds.
	RenewEvery time.Duration
}

func (c Config) withDefaults() Config {
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 8
	}
	if c.Backoff == 0 {
		c.Backoff = time.Minute
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = time.Hour
	}
	if c.OfflineWait == 0 {
		c.OfflineWait = 15 * time.Second
	}
	if c.RenewEvery == 0 {
		c.RenewEvery = 30 * time.Second
	}
	return c
}

// Worker states, shown to the coach.
const (
	StateIdle    = "idle"    // nothing due
	StateSending = "sending" // handing messages to the server
	StateOffline = "offline" // the server cannot be reached; waiting for the network
	StateLimited = "limited" // a sending limit was reached; waiting
	StatePaused  = "paused"  // the coach paused sending
	StateBlocked = "blocked" // the server refuses the account (password, certificate): the coach must act
)

// Status is what the worker is doing, in the coach's words.
type Status struct {
	State   string    `json:"state"`
	Note    string    `json:"note"`
	Sent    int       `json:"sent"`    // messages sent since the worker started
	NextTry time.Time `json:"nextTry"` // when it tries again, when waiting
}

// Worker sends the outbox.
type Worker struct {
	store  Store
	dial   Dialer
	cfg    Config
	report func(app.Progress)
	now    func() time.Time

	kick chan struct{}

	mu     sync.Mutex
	status Status
	paused bool
	recent []time.Time // send times within the last minute, for PerMinute

	// The attachments of the post being sent, read once for all its recipients.
	attPost int64
	atts    []render.Attachment

	// lazy counts the ledger writes since the last one that waited for the
	// disk, durableAt is when that was (see durableNow).
	lazy      int
	durableAt time.Time
}

// A run of ledger writes waits for the disk once every maxLazy messages or
// maxLazyAge, whichever comes first. Between two such writes, each message's
// record and the next one's claim are committed without waiting for the disk:
// a crash of the program loses none of them, but a power cut may undo those
// of the last moment — at most maxLazy+1 messages, sent then again with the
// same Message-ID. Waiting for the disk for every message made the worker's
// fsync and the server's queue fsync take turns on the same disk: a third to
// a half of the time of a send. The last record of a run is always durable.
const (
	maxLazy    = 15
	maxLazyAge = 100 * time.Millisecond
)

// durableNow says whether the next ledger write waits for the disk.
func (w *Worker) durableNow() bool {
	if w.lazy >= maxLazy || time.Since(w.durableAt) >= maxLazyAge {
		w.lazy, w.durableAt = 0, time.Now()
		return true
	}
	w.lazy++
	return false
}

// New returns a worker. report is called after every message (and may be nil).
func New(st Store, dial Dialer, cfg Config, report func(app.Progress)) *Worker {
	if report == nil {
		report = app.NoProgress
	}
	return &Worker{store: st, dial: dial, cfg: cfg.withDefaults(), report: report, now: time.Now,
		kick: make(chan struct{}, 1), status: Status{State: StateIdle, Note: "Nothing to send."}}
}

// SetClock makes the worker go by another clock than time.Now: `run-due --at`
// runs as if it were another time, and sends what is due by then. Call it
// before the worker starts.
func (w *Worker) SetClock(now func() time.Time) { w.now = now }

// Kick wakes the worker: something was queued, or the coach asked to retry now.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Pause stops sending after the message in hand; Resume starts again.
func (w *Worker) Pause() {
	w.mu.Lock()
	w.paused = true
	w.mu.Unlock()
	w.setStatus(StatePaused, "Sending is paused. Messages wait in the outbox.", time.Time{})
}

// Resume undoes Pause.
func (w *Worker) Resume() {
	w.mu.Lock()
	w.paused = false
	w.mu.Unlock()
	w.setStatus(StateIdle, "Sending resumed.", time.Time{})
	w.Kick()
}

// Status returns what the worker is doing.
func (w *Worker) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

func (w *Worker) setStatus(state, note string, next time.Time) {
	w.mu.Lock()
	w.status.State, w.status.Note, w.status.NextTry = state, note, next
	w.mu.Unlock()
}

func (w *Worker) isPaused() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.paused
}

// Run sends until ctx ends: whatever is due, then sleeps until the next message
// falls due, a Kick, or (when offline) the next try to reach the server.
func (w *Worker) Run(ctx context.Context) error {
	if _, err := w.store.RecoverSending(ctx); err != nil {
		return err
	}
	offlineWait := w.cfg.OfflineWait
	for {
		wait := time.Duration(0)
		if w.isPaused() {
			wait = time.Hour
		} else {
			err := w.sendDue(ctx)
			var we *waitError
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case errors.As(err, &we):
				wait = we.until.Sub(w.now())
			case err != nil:
				var se *submit.Error
				if errors.As(err, &se) && se.Temporary {
					w.setStatus(StateOffline, se.Msg, w.now().Add(offlineWait))
					wait, offlineWait = offlineWait, min(offlineWait*2, 5*time.Minute)
				} else {
					w.setStatus(StateBlocked, Message(err), time.Time{})
					wait = time.Hour // until the coach changes the account and kicks
				}
			default:
				offlineWait = w.cfg.OfflineWait
				next, ok, err := w.store.NextWake(ctx)
				if err != nil {
					return err
				}
				wait = time.Hour
				if ok {
					wait = next.Sub(w.now())
				}
			}
		}
		timer := time.NewTimer(max(wait, 50*time.Millisecond))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-w.kick:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// Message is the coach's sentence for an error of the worker's.
func Message(err error) string {
	var se *submit.Error
	var we *waitError
	switch {
	case errors.As(err, &se):
		return se.Msg
	case errors.As(err, &we):
		return we.note
	}
	return app.ErrorMessage(err)
}

// Drain sends everything due now and returns when nothing is due: the queue is
// empty, or only retries waiting for later remain. It is the CLI's `outbox send`.
func (w *Worker) Drain(ctx context.Context) error {
	if _, err := w.store.RecoverSending(ctx); err != nil {
		return err
	}
	for {
		err := w.sendDue(ctx)
		var we *waitError
		if errors.As(err, &we) && we.perMinute {
			select { // a per-minute limit is a short wait: wait it out
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(we.until.Sub(w.now())):
			}
			continue
		}
		return err
	}
}

// waitError says sending must wait until a time (a rate limit).
type waitError struct {
	until     time.Time
	perMinute bool
	note      string
}

func (e *waitError) Error() string { return e.note }

// next is a message fetched and rendered ahead of its turn.
type next struct {
	job       app.OutboxJob
	raw       []byte
	notes     []string // what compose tidied to make the message sendable
	renderErr error
	err       error // from the ledger; ENOTFOUND when nothing is due
}

// fetch finds the next due message other than skip and renders it, in the
// background: while one message goes over the wire, the next is prepared on the
// other core.
func (w *Worker) fetch(ctx context.Context, skip int64) <-chan next {
	ch := make(chan next, 1)
	go func() {
		job, err := w.store.NextDue(ctx, w.now(), skip)
		if err == nil && job.DigestID != 0 {
			var d app.Digest
			if d, err = w.store.Digest(ctx, job.DigestID); err == nil {
				job.Digest = &d
			}
		}
		if err == nil {
			var atts []render.Attachment
			if atts, err = w.attachments(ctx, job.Item.PostID); err == nil {
				raw, notes, renderErr := compose.Message(w.cfg.From, job, atts)
				ch <- next{job: job, raw: raw, notes: notes, renderErr: renderErr}
				return
			}
		}
		ch <- next{err: err}
	}()
	return ch
}

// attachments returns the post's files, reading them only when the post changes.
// Only fetch goroutines call it, one at a time.
func (w *Worker) attachments(ctx context.Context, postID int64) ([]render.Attachment, error) {
	if postID == w.attPost {
		return w.atts, nil
	}
	metas, datas, err := w.store.PostAttachmentData(ctx, postID)
	if err != nil {
		return nil, err
	}
	atts := make([]render.Attachment, len(metas))
	for i, m := range metas {
		atts[i] = render.Attachment{Filename: m.Filename, ContentType: m.ContentType, Data: datas[i]}
	}
	w.attPost, w.atts = postID, atts
	return atts, nil
}

// sendDue sends every message due now over one connection, closed at the end.
//
// The ledger is written once per message: recording one message as sent and
// claiming the next (marking it sending) is one transaction. That write is
// committed while the next message's bytes already go: the server is only told
// to take the message (the final dot of DATA) once its claim is on the disk. So
// the crash guarantee holds — only a message marked sending can have gone
// without being recorded — and the disk's fsync hides behind the wire.
func (w *Worker) sendDue(ctx context.Context) error {
	var conn Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	claims := w.keepClaims(ctx)
	defer claims.stop()
	n := <-w.fetch(ctx, 0)
	claimed := false          // n is marked as sending
	var claiming *ledgerWrite // n's claim, committing while n's bytes go
	for {
		if claiming == nil {
			if err := ctx.Err(); err != nil {
				return w.unclaim(n, claimed, err)
			}
			if w.isPaused() {
				return w.unclaim(n, claimed, nil)
			}
			if app.ErrorCode(n.err) == app.ENOTFOUND {
				w.setStatus(StateIdle, "Everything due has been sent.", time.Time{})
				return nil
			}
			if n.err != nil {
				return n.err
			}
			if !claimed {
				if err := w.checkLimits(ctx, 0); err != nil {
					return err
				}
			}
			if conn == nil {
				var err error
				if conn, err = w.dial(ctx); err != nil {
					return w.unclaim(n, claimed, err)
				}
				w.setStatus(StateSending, "Sending…", time.Time{})
			}
			if !claimed {
				if err := w.store.MarkSending(ctx, n.job.Item.ID); err != nil {
					if app.ErrorCode(err) != app.ECONFLICT {
						return err
					}
					n = <-w.fetch(ctx, 0) // cancelled meanwhile: on to the next
					continue
				}
			}
		}
		// The next message is fetched now, passing over this one, whose claim
		// may still be committing.
		ahead := w.fetch(ctx, n.job.Item.ID)
		claims.hold(n.job.Item.ID)
		answer, sendErr := w.transfer(conn, n, claiming)
		claims.hold(0)
		if claiming != nil {
			ok, err := claiming.wait()
			if err != nil {
				<-ahead
				return err
			}
			if !ok {
				// n was cancelled while its bytes went: the connection was
				// dropped before the dot, and nothing was delivered.
				conn.Close()
				conn = nil
				<-ahead
				n, claimed, claiming = <-w.fetch(ctx, 0), false, nil
				continue
			}
			claiming = nil
		}
		if sendErr == nil {
			w.noteSent()
		}
		m := <-ahead
		// Claim the next message in the same transaction when it may go at once
		// (n is sent but not yet in the ledger: count it against the daily limit).
		var nextID int64
		if sendErr == nil && m.err == nil && !w.isPaused() && ctx.Err() == nil && w.checkLimits(ctx, 1) == nil {
			nextID = m.job.Item.ID
		}
		if nextID != 0 {
			claiming = w.recordInBackground(ctx, n, answer, nextID)
			n, claimed = m, true
			continue
		}
		broken, _, err := w.record(ctx, n, answer, sendErr, 0, true)
		if err != nil {
			return err
		}
		if broken {
			conn.Close()
			conn = nil
		}
		n, claimed = m, false
	}
}

// ledgerWrite is a write of the ledger committing in the background.
type ledgerWrite struct {
	done    chan struct{}
	claimed bool
	err     error
}

// wait returns once the write is committed (or failed), and whether it
// claimed the next message.
func (lw *ledgerWrite) wait() (claimed bool, err error) {
	<-lw.done
	return lw.claimed, lw.err
}

// recordInBackground records n as sent and claims nextID in one transaction,
// beside the caller, which starts on nextID's bytes meanwhile.
func (w *Worker) recordInBackground(ctx context.Context, n next, answer string, nextID int64) *ledgerWrite {
	lw := &ledgerWrite{done: make(chan struct{})}
	durable := w.durableNow()
	go func() {
		defer close(lw.done)
		_, lw.claimed, lw.err = w.record(ctx, n, answer, nil, nextID, durable)
	}()
	return lw
}

// errUnclaimed stops a message that was cancelled while its bytes went.
var errUnclaimed = errors.New("the message was cancelled while it was being sent")

// unclaim puts a message marked as sending, but never handed over, back in the
// queue before the worker stops, and returns err.
func (w *Worker) unclaim(n next, claimed bool, err error) error {
	if claimed {
		if uerr := w.store.Requeue(context.WithoutCancel(context.Background()), n.job.Item.ID); uerr != nil && err == nil {
			err = uerr
		}
	}
	return err
}

// claimKeeper renews the claim on the message on its way every RenewEvery,
// so that no other sender takes a message still being transferred (a large
// attachment over a slow link takes minutes). One goroutine keeps the claims
// of a whole connection: a goroutine and a timer per message cost more than
// handing over a small one. A renewal that fails (the claim was taken after
// all) shows when the outcome is recorded: only the owner of a claim may
// record it.
type claimKeeper struct {
	mu   sync.Mutex
	id   int64 // the message being transferred; 0 between messages
	done chan struct{}
	wg   sync.WaitGroup
}

func (w *Worker) keepClaims(ctx context.Context) *claimKeeper {
	k := &claimKeeper{done: make(chan struct{})}
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		t := time.NewTicker(w.cfg.RenewEvery)
		defer t.Stop()
		for {
			select {
			case <-k.done:
				return
			case <-t.C:
				k.mu.Lock()
				id := k.id
				k.mu.Unlock()
				if id != 0 {
					// Already recorded meanwhile: the store refuses, nothing changes.
					w.store.RenewClaim(context.WithoutCancel(ctx), id)
				}
			}
		}
	}()
	return k
}

// hold says which message is being transferred now (0: none).
func (k *claimKeeper) hold(id int64) {
	k.mu.Lock()
	k.id = id
	k.mu.Unlock()
}

// stop ends the renewals.
func (k *claimKeeper) stop() {
	close(k.done)
	k.wg.Wait()
}

// transfer hands one message to the server; a message that could not be
// prepared is not sent at all. With claiming, the server is told to take the
// message only once its claim is committed.
func (w *Worker) transfer(conn Conn, n next, claiming *ledgerWrite) (string, error) {
	if n.renderErr != nil {
		return "", n.renderErr
	}
	ready := func() error { return nil }
	if claiming != nil {
		ready = func() error {
			claimed, err := claiming.wait()
			if err == nil && !claimed {
				err = errUnclaimed
			}
			return err
		}
	}
	return conn.SendWhen(compose.EnvelopeSender(w.cfg.From, n.job), n.job.Item.Email, n.raw, ready)
}

// record writes the outcome of one message to the ledger, and with nextID marks
// the next message as sending in the same transaction. It returns whether the
// connection broke and whether the next message was claimed; its error is only
// for failures of the ledger. durable says whether a sent message's record
// waits for the disk (durableNow); every other outcome does.
func (w *Worker) record(ctx context.Context, n next, answer string, sendErr error, nextID int64, durable bool) (broken, claimed bool, err error) {
	job := n.job
	// The ledger must record what happened even if the coach cancels now.
	ctx = context.WithoutCancel(ctx)
	if n.renderErr != nil {
		return false, false, w.store.MarkFailed(ctx, job.Item.ID, "The message could not be prepared: "+app.ErrorMessage(n.renderErr))
	}
	if sendErr == nil {
		if claimed, err = w.store.MarkSentAndSending(ctx, job.Item.ID, withNotes(plainAnswer(answer), n.notes), nextID, durable); err != nil {
			return false, false, err
		}
		w.report(app.Progress{Job: "outbox:send", Done: w.Status().Sent, Note: "Sent to " + job.Item.Email})
		return false, claimed, nil
	}
	var se *submit.Error
	if !errors.As(sendErr, &se) {
		se = &submit.Error{Temporary: true, Broken: true, Msg: "Sending failed: " + sendErr.Error()}
	}
	attempts := job.Item.Attempts + 1
	switch {
	case !se.Temporary:
		return se.Broken, false, w.store.MarkFailed(ctx, job.Item.ID, se.Msg)
	case attempts >= w.cfg.MaxAttempts:
		return se.Broken, false, w.store.MarkFailed(ctx, job.Item.ID, fmt.Sprintf("Gave up after %d tries. The last answer: %s", attempts, se.Msg))
	default:
		return se.Broken, false, w.store.MarkRetry(ctx, job.Item.ID, se.Msg, w.now().Add(w.backoff(attempts)))
	}
}

// backoff is the wait before try number attempts+1: Backoff doubled for each
// try already made, capped at MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < attempts && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.cfg.MaxBackoff)
}

func plainAnswer(answer string) string {
	if answer == "" {
		return "Accepted by the server."
	}
	return "Accepted by the server: " + answer
}

// withNotes adds what was tidied to the recorded answer, so the coach sees in
// the outbox that, say, a malformed Message-ID was left out.
func withNotes(answer string, notes []string) string {
	if len(notes) == 0 {
		return answer
	}
	return answer + " Note: " + strings.Join(notes, " ")
}

func (w *Worker) noteSent() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.status.Sent++
	if w.cfg.PerMinute > 0 {
		w.recent = append(w.recent, w.now())
	}
}

// checkLimits returns a *waitError when sending one more message now would pass
// the per-minute or per-day limit; unrecorded counts messages sent but not yet
// in the ledger.
func (w *Worker) checkLimits(ctx context.Context, unrecorded int) error {
	now := w.now()
	if w.cfg.PerMinute > 0 {
		w.mu.Lock()
		cut := 0
		for cut < len(w.recent) && now.Sub(w.recent[cut]) >= time.Minute {
			cut++
		}
		w.recent = w.recent[cut:]
		full := len(w.recent) >= w.cfg.PerMinute
		var until time.Time
		if full {
			until = w.recent[0].Add(time.Minute)
		}
		w.mu.Unlock()
		if full {
			note := fmt.Sprintf("Waiting a moment: your provider allows %d messages a minute.", w.cfg.PerMinute)
			w.setStatus(StateLimited, note, until)
			return &waitError{until: until, perMinute: true, note: note}
		}
	}
	if w.cfg.PerDay > 0 {
		n, err := w.store.SentSince(ctx, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		if n+unrecorded >= w.cfg.PerDay {
			until := now.Add(time.Hour)
			note := fmt.Sprintf("The daily limit of %d messages is reached; sending goes on as the day rolls over.", w.cfg.PerDay)
			w.setStatus(StateLimited, note, until)
			return &waitError{until: until, note: note}
		}
	}
	return nil
}
