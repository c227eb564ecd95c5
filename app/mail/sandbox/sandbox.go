// Package sandbox is Roundtable's built-in mail server pair, for a coach who has
// not set up a mail account yet: an SMTP server and an IMAP server that listen
// only on this machine (127.0.0.1) and deliver every message locally, one
// mailbox per address. The outbox sends to it as to any relay, the coach opens
// any member's mailbox to see exactly what that member received, and the inbox
// import reads the coach's sandbox INBOX as it would a real one. Nothing ever
// leaves the machine.
//
// Delivered mail is kept in the workspace (Store) before the SMTP server says
// 250, and served over IMAP from memory. A mailbox's IMAP UIDs follow the order
// of the stored messages, and its UIDVALIDITY is always 1, so both stay the same
// across restarts: the store only ever adds mail, and IMAP clients cannot add,
// move or delete messages or folders here (flags and EXPUNGE work but last only
// until the sandbox stops).
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
)

// Store keeps the sandbox's mail in the workspace, so mailboxes survive a
// restart. *store.DB implements it.
type Store interface {
	// AppendSandboxMessage keeps one delivered message and returns its id.
	AppendSandboxMessage(ctx context.Context, mailbox string, raw []byte, received time.Time) (int64, error)
	// SandboxMessages lists a mailbox's messages, oldest first.
	SandboxMessages(ctx context.Context, mailbox string) ([]app.SandboxMessage, error)
	// SandboxMailboxes lists the mailboxes that hold mail.
	SandboxMailboxes(ctx context.Context) ([]app.SandboxMailbox, error)
}

// DefaultMaxMessageBytes is the largest message the sandbox accepts when Config
// says nothing: 25 MiB, about what common providers take.
const DefaultMaxMessageBytes = 25 << 20

// hostname names the sandbox in its greeting and in the Received lines it adds.
const hostname = "sandbox.roundtable.invalid"

// Config is what the sandbox needs to know from the workspace.
type Config struct {
	// CoachAddress is the coach's address (the configured from address, or
	// e.g. coach@sandbox.invalid). Its mailbox exists from the start, empty, so
	// the inbox import can log in before any reply came.
	CoachAddress string
	// Password is the IMAP and SMTP password of every sandbox address. The
	// caller generates it once per workspace and keeps it.
	Password string
	// MaxMessageBytes is the largest message accepted; larger ones are refused
	// with 552. Zero means DefaultMaxMessageBytes.
	MaxMessageBytes int64
}

// Sandbox is a running sandbox mail server pair. Its methods are safe for
// concurrent use.
type Sandbox struct {
	st    Store
	cfg   Config
	coach string // the coach's mailbox address

	ctx    context.Context // canceled by Close: stops deliveries under way
	cancel context.CancelFunc

	// deliverMu makes storing a message and showing it over IMAP one step, so
	// that IMAP UIDs are numbered in the same order as the stored ids.
	deliverMu sync.Mutex

	usersMu sync.Mutex
	users   map[string]*imapmemserver.User // by mailbox address

	smtpSrv   *smtp.Server
	smtpLn    *trackingListener
	smtpDone  chan struct{}
	imapSrv   *imapserver.Server
	imapLn    *trackingListener
	imapDone  chan struct{}
	imapConns sync.WaitGroup // one per accepted IMAP connection, until its session closes

	closeOnce sync.Once
	closeErr  error
}

// Start loads the stored mail and starts the SMTP and IMAP servers on
// 127.0.0.1, on ports the system chooses (see SMTPAddr and IMAPAddr).
func Start(ctx context.Context, st Store, cfg Config) (*Sandbox, error) {
	coach, ok := mailboxOf(cfg.CoachAddress)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "The sandbox needs the coach's email address; %q is not one", cfg.CoachAddress)
	}
	if cfg.Password == "" {
		return nil, app.Errorf(app.EINVALID, "The sandbox needs a password for its mailboxes")
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	s := &Sandbox{st: st, cfg: cfg, coach: coach, users: map[string]*imapmemserver.User{}}
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	s.user(coach)

	smtpLn, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	imapLn, err := listenLoopback()
	if err != nil {
		smtpLn.Close()
		return nil, err
	}
	imapLn.accepted = func() { s.imapConns.Add(1) }
	s.smtpLn, s.imapLn = smtpLn, imapLn
	s.ctx, s.cancel = context.WithCancel(context.Background())

	s.smtpSrv = smtp.NewServer(smtp.BackendFunc(s.newSMTPSession))
	s.smtpSrv.Domain = hostname
	s.smtpSrv.MaxMessageBytes = cfg.MaxMessageBytes
	s.smtpSrv.MaxRecipients = 1000
	s.smtpSrv.AllowInsecureAuth = true // loopback only: there is no wire to protect
	s.smtpSrv.ReadTimeout = 5 * time.Minute
	s.smtpSrv.WriteTimeout = time.Minute
	s.smtpSrv.ErrorLog = logger{"sandbox smtp"}

	s.imapSrv = imapserver.New(&imapserver.Options{
		NewSession:   s.newIMAPSession,
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:       logger{"sandbox imap"},
		InsecureAuth: true, // loopback only, as above
	})

	s.smtpDone, s.imapDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(s.smtpDone)
		s.smtpSrv.Serve(smtpLn) // returns once the listener is closed
	}()
	go func() {
		defer close(s.imapDone)
		s.imapSrv.Serve(imapLn)
	}()
	return s, nil
}

// load puts the stored mail into the IMAP server, each mailbox in stored order,
// so every message gets the UID it had before the restart.
func (s *Sandbox) load(ctx context.Context) error {
	boxes, err := s.st.SandboxMailboxes(ctx)
	if err != nil {
		return err
	}
	for _, b := range boxes {
		msgs, err := s.st.SandboxMessages(ctx, b.Address)
		if err != nil {
			return err
		}
		box, ok := mailboxOf(b.Address)
		if !ok {
			continue // not an address: nothing the SMTP server would have stored
		}
		u := s.user(box)
		for _, m := range msgs {
			if err := appendInbox(u, []byte(m.Raw), m.Received); err != nil {
				return app.Wrap(app.EINTERNAL, err, "The sandbox mailbox %s could not be loaded", box)
			}
		}
	}
	return nil
}

// SMTPAddr is the SMTP server's host:port, for the outbox (no TLS; any sandbox
// address and the password, or no login at all).
func (s *Sandbox) SMTPAddr() string { return s.smtpLn.Addr().String() }

// IMAPAddr is the IMAP server's host:port, for the inbox import (no TLS; the
// mailbox address as user name and the password).
func (s *Sandbox) IMAPAddr() string { return s.imapLn.Addr().String() }

// CoachAddress is the address of the coach's sandbox mailbox: the configured
// address in lower case, without +detail.
func (s *Sandbox) CoachAddress() string { return s.coach }

// Mailboxes lists every sandbox mailbox by address: each one that received
// mail, and the coach's, even while it is empty.
func (s *Sandbox) Mailboxes(ctx context.Context) ([]app.SandboxMailbox, error) {
	boxes, err := s.st.SandboxMailboxes(ctx)
	if err != nil {
		return nil, err
	}
	found := slices.ContainsFunc(boxes, func(b app.SandboxMailbox) bool { return strings.EqualFold(b.Address, s.coach) })
	if !found {
		boxes = append(boxes, app.SandboxMailbox{Address: s.coach})
		slices.SortFunc(boxes, func(a, b app.SandboxMailbox) int { return strings.Compare(a.Address, b.Address) })
	}
	return boxes, nil
}

// Messages lists what the sandbox delivered to address, oldest first, with the
// headers a mailbox list shows read and decoded. A +detail in address is
// ignored, as delivery ignores it.
func (s *Sandbox) Messages(ctx context.Context, address string) ([]app.SandboxMessage, error) {
	box, ok := mailboxOf(address)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "%q is not an email address", address)
	}
	msgs, err := s.st.SandboxMessages(ctx, box)
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		summarize(&msgs[i])
	}
	return msgs, nil
}

// Close stops both servers, drops their connections and waits until every
// connection's goroutine has ended. Closing twice does nothing more.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		// SMTP: closing our listener also closes the connections it handed out,
		// so Shutdown only waits for their handlers to notice.
		s.smtpLn.Close()
		<-s.smtpDone
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.smtpSrv.Shutdown(ctx); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			s.closeErr = fmt.Errorf("sandbox: stop smtp: %w", err)
		}
		// IMAP: the same; each accepted connection is counted until its
		// session is closed, the last thing its goroutine does.
		s.imapSrv.Close()
		s.imapLn.Close()
		<-s.imapDone
		s.imapConns.Wait()
	})
	return s.closeErr
}

// user returns the IMAP user of a mailbox, creating it with an empty INBOX on
// first use.
func (s *Sandbox) user(box string) *imapmemserver.User {
	s.usersMu.Lock()
	defer s.usersMu.Unlock()
	if u, ok := s.users[box]; ok {
		return u
	}
	u := imapmemserver.NewUser(box, s.cfg.Password)
	// A new user's first mailbox always gets UIDVALIDITY 1, so INBOX has the
	// same UIDVALIDITY after every restart.
	if err := u.Create("INBOX", nil); err != nil {
		panic("sandbox: create INBOX of a new user: " + err.Error()) // a fresh user has no mailbox
	}
	s.users[box] = u
	return u
}

// appendInbox shows a message in the user's INBOX, dated when it was received.
func appendInbox(u *imapmemserver.User, raw []byte, received time.Time) error {
	_, err := u.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{Time: received})
	return err
}

// listenLoopback listens on a free port of 127.0.0.1 only.
func listenLoopback() (*trackingListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, app.Wrap(app.EUNAVAILABLE, err, "The sandbox mail server could not start on this computer")
	}
	return &trackingListener{Listener: ln, conns: map[net.Conn]struct{}{}}, nil
}

// logger sends the servers' own error lines to the application log, leaving
// out the ones every Close causes.
type logger struct{ server string }

func (l logger) Printf(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }

func (l logger) Println(args ...any) { l.log(fmt.Sprintln(args...)) }

func (l logger) log(line string) {
	if strings.Contains(line, net.ErrClosed.Error()) {
		return
	}
	slog.Warn(strings.TrimSpace(line), "server", l.server)
}
