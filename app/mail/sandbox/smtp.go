package sandbox

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpSession is one SMTP connection. Logging in is optional: the server listens
// on 127.0.0.1 only, so whoever can connect already runs as a user of this
// machine. AUTH PLAIN is offered because mail libraries expect it, and it
// checks the password so a wrong setting shows up here as it would at a real
// provider.
type smtpSession struct {
	sb     *Sandbox
	conn   *smtp.Conn
	authed bool
	from   string
	rcpts  []string
}

func (s *Sandbox) newSMTPSession(c *smtp.Conn) (smtp.Session, error) {
	if addr, ok := c.Conn().RemoteAddr().(*net.TCPAddr); !ok || !addr.IP.IsLoopback() {
		return nil, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "The sandbox takes mail from this computer only"}
	}
	return &smtpSession{sb: s, conn: c}, nil
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		_, ok := mailboxOf(username)
		if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(ss.sb.cfg.Password)) != 1 {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, opts *smtp.MailOptions) error {
	ss.from = from
	return nil
}

// Rcpt accepts every address: each one gets a mailbox of its own.
func (ss *smtpSession) Rcpt(to string, opts *smtp.RcptOptions) error {
	if _, ok := mailboxOf(to); !ok {
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "That is not an email address"}
	}
	if !slices.ContainsFunc(ss.rcpts, func(r string) bool { return strings.EqualFold(r, to) }) {
		ss.rcpts = append(ss.rcpts, to)
	}
	return nil
}

// Data delivers the message to every recipient. A message over the size limit
// never gets here in full: the reader fails with 552 and nothing is stored.
func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err // smtp.ErrDataTooLarge is the 552 the client should see
	}
	var ip net.IP
	if addr, ok := ss.conn.Conn().RemoteAddr().(*net.TCPAddr); ok {
		ip = addr.IP
	}
	env := envelope{from: ss.from, helo: ss.conn.Hostname(), ip: ip, authed: ss.authed}
	for _, rcpt := range ss.rcpts {
		if err := ss.sb.deliver(env, rcpt, data); err != nil {
			slog.Error("sandbox: delivery failed", "rcpt", rcpt, "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "The sandbox could not store the message; try again"}
		}
	}
	return nil
}

func (ss *smtpSession) Reset() {
	ss.from = ""
	ss.rcpts = nil
}

func (ss *smtpSession) Logout() error { return nil }

// envelope is what the SMTP conversation said about a message besides its
// bytes.
type envelope struct {
	from   string
	helo   string
	ip     net.IP
	authed bool
	// vouched: the sandbox wrote the message itself for its From address (a
	// reply as a member), so its verdict on that sender passes.
	vouched bool
}

// AuthServID is the name the sandbox signs its Authentication-Results with, as
// a mail provider does; the import believes only that name's verdict while the
// coach works in the sandbox.
const AuthServID = "sandbox.roundtable.invalid"

// deliver stores one copy of data for rcpt, then shows it in the IMAP INBOX of
// rcpt's mailbox. It puts in front the headers a delivering server adds:
// Return-Path with the envelope sender, Delivered-To with the address as the
// sender wrote it (+detail included: the importer reads reply tokens there),
// and a Received line.
func (s *Sandbox) deliver(env envelope, rcpt string, data []byte) error {
	box, ok := mailboxOf(rcpt)
	if !ok {
		return fmt.Errorf("sandbox: deliver to %q: not an address", rcpt)
	}
	received := time.Now().UTC().Truncate(time.Millisecond) // as precise as the store keeps it
	raw := withDeliveryHeaders(env, rcpt, received, data)

	s.deliverMu.Lock()
	defer s.deliverMu.Unlock()
	if _, err := s.st.AppendSandboxMessage(s.ctx, box, raw, received); err != nil {
		return err
	}
	return appendInbox(s.user(box), raw, received)
}

func withDeliveryHeaders(env envelope, rcpt string, received time.Time, data []byte) []byte {
	nl := "\r\n"
	if !bytes.Contains(data, []byte("\r\n")) && bytes.Contains(data, []byte("\n")) {
		nl = "\n" // keep a message written with bare newlines consistent
	}
	with := "ESMTP"
	if env.authed {
		with = "ESMTPA"
	}
	helo := oneLine(env.helo)
	if helo == "" {
		helo = "unknown"
	}
	ip := "127.0.0.1"
	if env.ip != nil {
		ip = env.ip.String()
	}
	var b bytes.Buffer
	b.Grow(len(data) + 300)
	fmt.Fprintf(&b, "Return-Path: <%s>%s", oneLine(env.from), nl)
	fmt.Fprintf(&b, "Delivered-To: %s%s", oneLine(rcpt), nl)
	fmt.Fprintf(&b, "Received: from %s (localhost [%s])%s\tby %s (Roundtable sandbox) with %s%s\tfor <%s>; %s%s",
		helo, ip, nl, hostname, with, nl, oneLine(rcpt), received.Format(time.RFC1123Z), nl)
	// The verdict a provider adds on top: the sandbox can vouch only for what it
	// wrote itself; anything else handed to it has no verdict.
	verdict := "none"
	if env.vouched {
		verdict = "pass"
	}
	fmt.Fprintf(&b, "Authentication-Results: %s; dmarc=%s header.from=%s%s", AuthServID, verdict, oneLine(domainOf(env.from)), nl)
	b.Write(data)
	return b.Bytes()
}

// oneLine keeps a value from the SMTP conversation from breaking the header
// it is written into.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return "unknown.invalid"
}
