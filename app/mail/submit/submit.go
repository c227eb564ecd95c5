// Package submit hands finished messages to the coach's SMTP server (message
// submission, RFC 6409) over one connection reused for many messages. It uses
// go-mail for the connection, TLS and authentication, and speaks MAIL/RCPT/DATA
// itself so that every message gets its own answer from the server: the outbox
// records each one.
package submit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/internal/roots"
	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Config says how to reach the server.
type Config struct {
	Host     string
	Port     int
	Security string // app.SecurityTLS, app.SecuritySTARTTLS or app.SecurityNone
	User     string // empty: no authentication
	Password string
	// TLS overrides the TLS settings (tests trust their own certificate with it).
	// Certificates are always verified.
	TLS *tls.Config
	// Timeout bounds connecting and each command; 0 means 30 seconds.
	Timeout time.Duration
}

// Conn is an open, authenticated connection to the server.
type Conn struct {
	c       *smtp.Client
	timeout time.Duration
}

// Check refuses settings that could never work or would be unsafe, in the coach's
// words: above all, an unencrypted connection anywhere but this computer.
func (cfg Config) Check() error {
	if strings.TrimSpace(cfg.Host) == "" {
		return app.FieldErrorf(app.EINVALID, "host", "Enter the server name of your outgoing mail (SMTP) server, for example smtp.gmail.com.")
	}
	if cfg.Port <= 0 || cfg.Port > 65535 {
		return app.FieldErrorf(app.EINVALID, "port", "The port must be a number between 1 and 65535 (usually 465 or 587).")
	}
	switch cfg.Security {
	case app.SecurityTLS, app.SecuritySTARTTLS:
	case app.SecurityNone:
		if !app.IsLoopback(cfg.Host) {
			return app.FieldErrorf(app.EINVALID, "security", "An unencrypted connection is only allowed to this computer; choose TLS or STARTTLS for %s.", cfg.Host)
		}
	default:
		return app.FieldErrorf(app.EINVALID, "security", "Security must be tls, starttls or none.")
	}
	return nil
}

// Dial connects, secures and authenticates. Its errors are *Error, in plain words.
func Dial(ctx context.Context, cfg Config) (*Conn, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	tlsCfg := cfg.TLS
	if tlsCfg == nil {
		roots.Prepare() // loaded while the connection is made
		tlsCfg = roots.Config(cfg.Host)
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(tlsCfg)}
	switch cfg.Security {
	case app.SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case app.SecuritySTARTTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	switch {
	case cfg.User == "":
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthNoAuth))
	case cfg.Security == app.SecurityNone: // loopback only (Check), where PLAIN in clear is safe
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlainNoEnc), gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	default:
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, explain(err, "connect")
	}
	c, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, explain(err, "connect")
	}
	return &Conn{c: c, timeout: timeout}, nil
}

// Send hands one message to the server for one recipient and returns the
// server's answer to the finished DATA (e.g. "2.0.0 Ok: queued as 4F3A2"). On
// failure the connection is reset and stays usable unless the error says it broke.
func (c *Conn) Send(from, to string, raw []byte) (string, error) {
	return c.SendWhen(from, to, raw, nil)
}

// SendWhen is Send, except that the message is finished — the final dot of
// DATA, after which the server takes responsibility for it — only once ready
// returns nil. The envelope and the body go over the wire meanwhile, so
// whatever ready waits for (the outbox committing its claim on the message)
// overlaps the transfer. When ready fails, the connection is dropped before the
// dot, so the server delivers nothing, and the error says the connection broke.
func (c *Conn) SendWhen(from, to string, raw []byte, ready func() error) (string, error) {
	if err := c.c.UpdateDeadline(c.timeout); err != nil {
		return "", explain(err, "send")
	}
	if err := c.c.Mail(from); err != nil {
		c.c.Reset()
		return "", explain(err, "sender")
	}
	if err := c.c.Rcpt(to); err != nil {
		c.c.Reset()
		return "", explain(err, "recipient")
	}
	w, err := c.c.Data()
	if err != nil {
		c.c.Reset()
		return "", explain(err, "data")
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return "", explain(err, "data")
	}
	if ready != nil {
		if err := ready(); err != nil {
			c.c.Close() // no QUIT: inside DATA it would be part of the message
			return "", &Error{Temporary: true, Broken: true, Err: err, Msg: "The message was not finished: " + err.Error()}
		}
	}
	if err := w.Close(); err != nil {
		return "", explain(err, "data")
	}
	answer := ""
	if dc, ok := w.(*smtp.DataCloser); ok {
		answer = dc.ServerResponse()
	}
	return strings.TrimSpace(answer), nil
}

// Close says goodbye to the server and closes the connection.
func (c *Conn) Close() error {
	if err := c.c.Quit(); err != nil {
		return c.c.Close()
	}
	return nil
}

// Error is a failure to send, classified for the outbox and worded for the coach.
type Error struct {
	// Temporary failures (4xx answers, network trouble) are worth retrying;
	// permanent ones (5xx) are not.
	Temporary bool
	// Broken means the connection cannot be used again: open a new one.
	Broken bool
	// Auth means the server refused the user name or password.
	Auth bool
	Code int    // the SMTP reply code, 0 when the server never answered
	Text string // the server's own words
	Msg  string // the coach's sentence
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// explain classifies err from the given step and words it for the coach.
func explain(err error, step string) error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	e := &Error{Err: err, Temporary: true, Broken: true}
	var tp *textproto.Error
	var netErr net.Error
	switch {
	case errors.As(err, &tp):
		e.Code, e.Text = tp.Code, tp.Msg
		e.Temporary = tp.Code >= 400 && tp.Code < 500
		e.Broken = tp.Code == 421
		e.Msg = answerSentence(step, tp.Code, tp.Msg)
		if step == "connect" && (tp.Code == 535 || tp.Code == 534 || tp.Code == 530) {
			e.Auth, e.Temporary = true, false
			e.Msg = authSentence(tp.Code, tp.Msg)
		}
	case isCertError(err):
		e.Temporary = false
		e.Msg = "The server's security certificate is not trusted, so nothing was sent. Check the server name; if it is right, the server's certificate is wrong or the network is intercepting mail."
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed):
		e.Msg = "The connection to the mail server was dropped; the message will be sent again."
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Msg = "The mail server did not answer in time; Roundtable will try again."
	case isUnreachable(err):
		e.Msg = "The mail server cannot be reached (are you offline?). Messages wait in the outbox and go when the connection is back."
	case strings.Contains(err.Error(), "does not support SMTP AUTH"):
		e.Temporary = false
		e.Msg = "The server does not offer to log in on this connection. Check the port and security: most providers want 465 with TLS or 587 with STARTTLS."
	case strings.Contains(strings.ToLower(err.Error()), "starttls"):
		e.Temporary = false
		e.Msg = "The server does not offer STARTTLS on this port, so the password would go unencrypted. Choose TLS (usually port 465) or check the port."
	default:
		e.Msg = "Sending failed: " + err.Error()
	}
	return e
}

// answerSentence puts the server's refusal into words, keeping its own text.
func answerSentence(step string, code int, text string) string {
	who := map[string]string{"sender": "the sender address", "recipient": "the recipient", "data": "the message", "connect": "the connection", "send": "the message"}[step]
	if code >= 500 {
		return fmt.Sprintf("The server refused %s for good (%d %s).", who, code, text)
	}
	return fmt.Sprintf("The server could not take %s right now (%d %s); Roundtable will try again.", who, code, text)
}

func authSentence(code int, text string) string {
	s := fmt.Sprintf("The server did not accept the user name or password (%d %s).", code, text)
	low := strings.ToLower(text)
	if strings.Contains(low, "application-specific") || strings.Contains(low, "app password") ||
		strings.Contains(low, "5.7.9") || strings.Contains(low, "web login") || strings.Contains(low, "basic authentication is disabled") {
		s += " This provider needs an app password: create one in your account's security settings and use it instead of your normal password."
	} else {
		s += " Check them; for Gmail, Outlook, iCloud and Fastmail use an app password, not your normal one."
	}
	return s
}

func isCertError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

func isUnreachable(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) || errors.As(err, &opErr) && opErr.Op == "dial"
}
