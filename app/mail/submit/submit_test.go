package submit

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
)

const msg = "From: coach@example.com\r\nTo: ada@example.com\r\nSubject: Hi\r\n\r\nHello.\r\n.starts with a dot\r\n"

func config(s *smtptest.Server, security string) Config {
	return Config{Host: s.Host, Port: s.Port, Security: security, User: "coach", Password: "secret", TLS: s.ClientTLS, Timeout: 5 * time.Second}
}

func TestSend(t *testing.T) {
	users := map[string]string{"coach": "secret"}
	for _, tc := range []struct {
		name     string
		opts     smtptest.Options
		security string
	}{
		{"ImplicitTLS", smtptest.Options{ImplicitTLS: true, Users: users}, app.SecurityTLS},
		{"STARTTLS", smtptest.Options{StartTLS: true, Users: users}, app.SecuritySTARTTLS},
		{"LoopbackWithoutTLS", smtptest.Options{Users: users}, app.SecurityNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := smtptest.Start(t, tc.opts)
			c, err := Dial(context.Background(), config(s, tc.security))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, to := range []string{"ada@example.com", "grace@example.com"} {
				if _, err := c.Send("coach@example.com", to, []byte(msg)); err != nil {
					t.Fatal(err)
				}
			}
			got := s.Messages()
			if len(got) != 2 || got[1].To[0] != "grace@example.com" || got[0].From != "coach@example.com" {
				t.Fatalf("got %+v, want two messages over one connection", got)
			}
			if string(got[0].Data) != msg {
				t.Fatalf("got %q, want the bytes unchanged (dot-stuffing undone by the server)", got[0].Data)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrWrongPassword", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{ImplicitTLS: true, Users: map[string]string{"coach": "secret"}})
		cfg := config(s, app.SecurityTLS)
		cfg.Password = "wrong"
		_, err := Dial(ctx, cfg)
		var e *Error
		if !errors.As(err, &e) || !e.Auth || e.Temporary || !strings.Contains(e.Msg, "did not accept the user name or password") {
			t.Fatalf("got %#v, want an authentication error in plain words", err)
		}
	})
	t.Run("ErrUntrustedCertificate", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{ImplicitTLS: true})
		cfg := config(s, app.SecurityTLS)
		cfg.TLS = nil // the system's roots do not trust the test certificate
		_, err := Dial(ctx, cfg)
		var e *Error
		if !errors.As(err, &e) || e.Temporary || !strings.Contains(e.Msg, "certificate is not trusted") {
			t.Fatalf("got %v, want the certificate refused", err)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		port := l.Addr().(*net.TCPAddr).Port
		l.Close() // nothing listens there now
		_, err := Dial(ctx, Config{Host: "127.0.0.1", Port: port, Security: app.SecurityNone})
		var e *Error
		if !errors.As(err, &e) || !e.Temporary || !strings.Contains(e.Msg, "cannot be reached") {
			t.Fatalf("got %v, want an offline sentence", err)
		}
	})
	t.Run("ErrNoEncryptionToRemoteHost", func(t *testing.T) {
		_, err := Dial(ctx, Config{Host: "smtp.example.com", Port: 25, Security: app.SecurityNone})
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v, want unencrypted mail to another machine refused", err)
		}
	})
	t.Run("RecipientRefusedTemporarily", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Rcpt: func(to string) error {
			if to == "busy@example.com" {
				return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "Mailbox busy"}
			}
			if to == "gone@example.com" {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
			}
			return nil
		}}})
		cfg := config(s, app.SecurityNone)
		cfg.User = ""
		c, err := Dial(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Send("coach@example.com", "busy@example.com", []byte(msg))
		var e *Error
		if !errors.As(err, &e) || !e.Temporary || e.Broken || e.Code != 450 {
			t.Fatalf("got %#v, want a temporary 450 that keeps the connection", err)
		}
		_, err = c.Send("coach@example.com", "gone@example.com", []byte(msg))
		if !errors.As(err, &e) || e.Temporary || e.Code != 550 || !strings.Contains(e.Msg, "refused the recipient for good (550 5.1.1 No such user)") {
			t.Fatalf("got %#v, want a permanent 550 in words", err)
		}
		// The connection still works after both refusals.
		if _, err := c.Send("coach@example.com", "ada@example.com", []byte(msg)); err != nil {
			t.Fatalf("got %v, want the connection reusable after a refusal", err)
		}
	})
	t.Run("MessageRefused", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Data: func([]byte) error {
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected as spam"}
		}}})
		cfg := config(s, app.SecurityNone)
		cfg.User = ""
		c, _ := Dial(ctx, cfg)
		_, err := c.Send("coach@example.com", "ada@example.com", []byte(msg))
		var e *Error
		if !errors.As(err, &e) || e.Temporary || e.Code != 554 {
			t.Fatalf("got %#v, want a permanent refusal", err)
		}
	})
	t.Run("DroppedDuringData", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{DropDuringData: func(int) bool { return true }}})
		cfg := config(s, app.SecurityNone)
		cfg.User = ""
		c, _ := Dial(ctx, cfg)
		_, err := c.Send("coach@example.com", "ada@example.com", []byte(msg+strings.Repeat("x", 100000)))
		var e *Error
		if !errors.As(err, &e) || !e.Temporary || !e.Broken {
			t.Fatalf("got %#v, want a temporary failure on a broken connection", err)
		}
	})
	t.Run("SlowServer", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: 2 * time.Second}})
		cfg := config(s, app.SecurityNone)
		cfg.User, cfg.Timeout = "", 300*time.Millisecond
		c, _ := Dial(ctx, cfg)
		_, err := c.Send("coach@example.com", "ada@example.com", []byte(msg))
		var e *Error
		if !errors.As(err, &e) || !e.Temporary || !strings.Contains(e.Msg, "did not answer in time") {
			t.Fatalf("got %#v, want a timeout worded for the coach", err)
		}
	})
}
