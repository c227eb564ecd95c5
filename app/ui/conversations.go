package ui

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/store"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Events of the replies area.
const (
	EventSyncProgress = "inbox:sync:progress"
	EventSyncDone     = "inbox:sync:done" // a sync finished: lists may have new replies
)

// ConversationService is the replies area of the window: conversations per
// cohort, the unmatched queue, the incoming account and the inbox sync.
type ConversationService struct {
	base
	db      *store.DB
	sec     Passwords
	sending *sending.Sending

	syncMu sync.Mutex // one sync at a time
	last   SyncState
	every  time.Duration // how often the window checks by itself (StartInbox)
}

// SyncState is what the last sync did, for the status line.
type SyncState struct {
	Running bool            `json:"running"`
	At      *time.Time      `json:"at"`
	Summary app.SyncSummary `json:"summary"`
	Error   string          `json:"error"`
	// EveryMinutes is how often the window checks by itself, so the sidebar can
	// say so ("every 5 minutes"); 0 while it does not.
	EveryMinutes int `json:"everyMinutes"`
}

// NewConversationService returns the service over an open workspace.
func NewConversationService(db *store.DB, sec Passwords) *ConversationService {
	return &ConversationService{db: db, sec: sec}
}

// StartInbox hands the service the running sandbox and syncs now and then every
// interval while the window is open. It is a function, not a method, so that the
// window cannot call it.
func StartInbox(ctx context.Context, s *ConversationService, snd *sending.Sending, interval time.Duration) {
	s.sending = snd
	s.mu.Lock()
	s.every = interval
	s.last.EveryMinutes = int(interval / time.Minute)
	s.mu.Unlock()
	wake := make(chan struct{}, 1)
	go func() {
		// The window paints first: see firstCheckAfter.
		select {
		case <-ctx.Done():
			return
		case <-time.After(firstCheckAfter):
		}
		if os.Getenv(NoIdleEnv) == "" {
			go s.watchInbox(ctx, wake)
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.Sync() // errors show in the status line; the coach need not be interrupted
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
		}
	}()
}

// firstCheckAfter is how long the window waits after it starts before it first
// checks the inbox and starts watching it. A check is a TLS handshake and a
// login, and an import when replies are waiting: run at once, it shared the
// two cores with WebKit's processes, which start at the same moment and are
// most of the wait before the coach sees anything (docs/benchmarks.md). A
// coach who asks sooner ("Check for replies") is not held back.
const firstCheckAfter = 2 * time.Second

// NoIdleEnv, when set, keeps the window from watching the inbox (IMAP IDLE), so
// that replies come in only when asked or polled: the browser tests count what
// each "Check for replies" brings.
const NoIdleEnv = "ROUNDTABLE_TEST_NO_IDLE"

// watchInbox has the server say when mail arrives (IMAP IDLE) and wakes the
// sync loop then, so a reply shows seconds after it lands. Without IDLE (or
// with no incoming server set up) the poll is all there is; a dropped
// connection is dialled again after a pause, with the poll going on meanwhile.
// A changed account is watched from the next dial.
func (s *ConversationService) watchInbox(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		dial, opts, err := account.InboxRoute(ctx, s.db, s.sec, account.Running(s.sending.Sandbox().IMAPAddr()))
		if err == nil {
			err = inbox.Watch(ctx, dial, opts.Folder, func() {
				select {
				case wake <- struct{}{}:
				default: // a sync is already asked for; it reads everything new
				}
			})
		}
		if errors.Is(err, inbox.ErrNoIdle) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(30 * time.Second):
		}
	}
}

// Conversations lists a cohort's posts, each with its replies and who has not
// replied yet.
func (s *ConversationService) Conversations(cohortID int64) ([]app.Conversation, error) {
	cs, err := s.db.ListConversations(s.ctx, cohortID)
	compose.TitleConversations(fromOf(s.sending), cs)
	return cs, fail(err)
}

// UnreadCounts returns how many replies are unread, per cohort id.
func (s *ConversationService) UnreadCounts() (map[int64]int, error) {
	m, err := s.db.UnreadCounts(s.ctx)
	return m, fail(err)
}

// MarkRead marks a reply read or unread.
func (s *ConversationService) MarkRead(replyID int64, read bool) error {
	return fail(s.db.MarkReplyRead(s.ctx, replyID, read))
}

// MarkHandled marks a reply handled (the coach dealt with it) or not.
func (s *ConversationService) MarkHandled(replyID int64, handled bool) error {
	return fail(s.db.MarkReplyHandled(s.ctx, replyID, handled))
}

// Reply answers a member's reply through the outbox, in their thread: to that
// member, or with toAll to the whole cohort.
func (s *ConversationService) Reply(replyID int64, body string, toAll bool) (app.Post, error) {
	p, err := sending.Answer(s.ctx, s.db, s.sending.From(), replyID, body, toAll)
	if err != nil {
		return p, fail(err)
	}
	s.sending.Worker().Kick()
	return p, nil
}

// Unmatched lists mail waiting for the coach to place it.
func (s *ConversationService) Unmatched() ([]app.UnmatchedReply, error) {
	us, err := s.db.Unmatched(s.ctx)
	return us, fail(err)
}

// Assign puts an unmatched reply under a post as a client's, and with addAlias
// remembers the address it came from as theirs.
func (s *ConversationService) Assign(replyID, clientID, postID int64, addAlias bool) error {
	return fail(s.db.AssignUnmatched(s.ctx, replyID, clientID, postID, addAlias))
}

// IgnoreSender drops the sender's waiting mail and skips their mail from now on;
// it returns how many waiting messages were dropped.
func (s *ConversationService) IgnoreSender(email string) (int, error) {
	n, err := s.db.IgnoreSender(s.ctx, email)
	return n, fail(err)
}

// IncomingAccount returns the incoming mail account as the settings page shows it.
func (s *ConversationService) IncomingAccount() (app.IMAPStatus, error) {
	st, err := account.IMAPStatusOf(s.ctx, s.db, s.sec)
	return st, fail(err)
}

// SaveIncoming saves the incoming account ("" keeps the saved password).
// keepInFile is the coach's agreement to keep the password in a file where no
// keyring can take it (asked for when an error has secret.FieldFileConsent).
func (s *ConversationService) SaveIncoming(a app.IMAPAccount, password string, keepInFile bool) error {
	if keepInFile {
		s.sec.AllowFile()
	}
	return fail(account.SaveIMAP(s.ctx, s.db, s.sec, a, password))
}

// TestIncoming connects and logs in without saving.
func (s *ConversationService) TestIncoming(a app.IMAPAccount, password string) error {
	return plain(account.TestIMAP(s.ctx, s.sec, a, password))
}

// Sync imports new replies now, reporting progress as EventSyncProgress;
// CancelSync stops it (what was imported stays, nothing is half-imported).
func (s *ConversationService) Sync() (SyncState, error) {
	if !s.syncMu.TryLock() {
		return s.State(), nil // one is running: its result will arrive as an event
	}
	defer s.syncMu.Unlock()
	ctx, done := s.startJob("sync")
	defer done()
	s.setState(SyncState{Running: true, At: s.last.At, Summary: s.last.Summary})
	sum, err := s.sync(ctx)
	st := finishedSync(sum, err, time.Now())
	s.setState(st)
	st = s.State()
	runtime.EventsEmit(s.ctx, EventSyncDone, st)
	if err != nil {
		return st, plain(err)
	}
	return st, nil
}

// finishedSync is the state a sync ends in. Error is the coach's sentence, shown
// as it is in the status line (an event, not a rejected call: never the bridge's
// JSON).
func finishedSync(sum app.SyncSummary, err error, at time.Time) SyncState {
	st := SyncState{At: &at, Summary: sum}
	if err != nil {
		st.Error = outbox.Message(err)
	}
	return st
}

func (s *ConversationService) sync(ctx context.Context) (app.SyncSummary, error) {
	if s.sending == nil {
		return app.SyncSummary{}, app.Errorf(app.EUNAVAILABLE, "Roundtable is still starting; try again in a moment.")
	}
	dial, opts, err := account.InboxRoute(ctx, s.db, s.sec, account.Running(s.sending.Sandbox().IMAPAddr()))
	if err != nil {
		return app.SyncSummary{}, err
	}
	return inbox.Sync(ctx, s.db, dial, opts, s.reporter(EventSyncProgress))
}

// CancelSync stops a running sync.
func (s *ConversationService) CancelSync() { s.cancelJob("sync") }

// State returns what the last sync did.
func (s *ConversationService) State() SyncState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *ConversationService) setState(st SyncState) {
	s.mu.Lock()
	st.EveryMinutes = int(s.every / time.Minute)
	s.last = st
	s.mu.Unlock()
}

// SandboxReply writes a reply as a member from their sandbox mailbox to one of the
// messages they received, to try the whole loop with no account; a non-empty
// from sends it from another address (it then waits in the unmatched queue).
// With asHTML the text is HTML, sent as a mail app that writes only HTML would.
// A non-empty to (an address or a mailto: link, such as a digest item's "Reply
// to this") replaces the message's reply address.
func (s *ConversationService) SandboxReply(address string, messageID int64, text, from string, asHTML bool, to string) error {
	return fail(s.sending.Sandbox().ReplyAsTo(s.ctx, address, messageID, text, from, to, asHTML))
}

// SafeHTML sanitises member-written HTML for showing in the window: no scripts,
// forms or handlers, remote images held back until asked for.
func (s *ConversationService) SafeHTML(html string) string { return message.SanitizeHTML(html) }

// Approve lets the other members see a reply whatever its trust or guess (or,
// with approved false, takes that back).
func (s *ConversationService) Approve(replyID int64, approved bool) error {
	return fail(s.db.ApproveReply(s.ctx, replyID, approved))
}
