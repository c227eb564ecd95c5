package realmail

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// subject has accents, an em dash and an emoji so the headers' encoding is exercised.
const subject = "Réunion de jeudi — ça avance ☕"

func TestServers(t *testing.T) {
	s := Start(t)

	t.Run("SubmittedMessageReachesMemberAndCoachPlusAddress", func(t *testing.T) {
		const token = "coach+rt-abc123@example.test"
		msg, id := newMessage(Coach, []string{Members[0], token}, subject)
		if err := submit(s, Coach, Password, []string{Members[0], token}, msg); err != nil {
			t.Fatalf("submit: %v", err)
		}
		for _, tc := range []struct{ user, deliveredTo string }{
			{Members[0], Members[0]},
			{Coach, token},
		} {
			hdr := waitForMessage(t, dialIMAPS(t, s, tc.user), id)
			if got := decodedSubject(t, hdr); got != subject {
				t.Errorf("%s: subject: got %q, want %q", tc.user, got, subject)
			}
			if got := hdr["Delivered-To"]; !slices.Contains(got, tc.deliveredTo) {
				t.Errorf("%s: Delivered-To: got %q, want %q", tc.user, got, tc.deliveredTo)
			}
		}
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		c, err := smtp.DialStartTLS(s.Addr(s.SubmissionPort), s.TLSConfig())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = c.Auth(sasl.NewPlainClient("", Coach, "not-the-password"))
		if got := smtpCode(err); got != 535 {
			t.Errorf("AUTH with a wrong password: got %v (code %d), want code 535", err, got)
		}
	})

	t.Run("ErrAuthWithoutSTARTTLS", func(t *testing.T) {
		c := dialPlain(t, s.Addr(s.SubmissionPort))
		if c.SupportsAuth("PLAIN") {
			t.Errorf("AUTH PLAIN advertised before STARTTLS: got true, want false")
		}
		err := c.Auth(sasl.NewPlainClient("", Coach, Password))
		if got := smtpCode(err); got < 500 {
			t.Errorf("AUTH before STARTTLS: got %v (code %d), want a 5xx refusal", err, got)
		}
		// go-smtp aborts a refused AUTH with "*", which Postfix takes for junk and
		// hangs up on; MAIL needs a fresh connection.
		err = dialPlain(t, s.Addr(s.SubmissionPort)).Mail(Coach, nil)
		if got := smtpCode(err); got != 530 {
			t.Errorf("MAIL before STARTTLS: got %v (code %d), want code 530", err, got)
		}
	})

	t.Run("ErrRelayOutside", func(t *testing.T) {
		const outside = "someone@gmail.com"
		msg, _ := newMessage(Coach, []string{outside}, subject)
		err := submit(s, Coach, Password, []string{outside}, msg)
		if got := smtpCode(err); got < 500 {
			t.Errorf("submission to %s: got %v (code %d), want a 5xx refusal", outside, err, got)
		}
		c := dialPlain(t, s.Addr(s.SMTPPort))
		if err := c.Mail("stranger@example.net", nil); err != nil {
			t.Fatal(err)
		}
		err = c.Rcpt(outside, nil)
		if got := smtpCode(err); got < 500 {
			t.Errorf("plain SMTP to %s: got %v (code %d), want a 5xx refusal", outside, err, got)
		}
	})

	t.Run("ErrUnknownLocalUser", func(t *testing.T) {
		msg, _ := newMessage(Coach, []string{"nobody@example.test"}, subject)
		err := submit(s, Coach, Password, []string{"nobody@example.test"}, msg)
		if got := smtpCode(err); got != 550 {
			t.Errorf("submission to nobody@example.test: got %v (code %d), want code 550", err, got)
		}
	})

	t.Run("AddedUserReceivesMailOverIMAPSTARTTLS", func(t *testing.T) {
		const newcomer, password = "newcomer@example.test", "fresh-Passw0rd"
		s.AddUser(t, newcomer, password)
		msg, id := newMessage(Coach, []string{newcomer}, subject)
		if err := submit(s, Coach, Password, []string{newcomer}, msg); err != nil {
			t.Fatalf("submit: %v", err)
		}
		c, err := imapclient.DialStartTLS(s.Addr(s.IMAPPort), &imapclient.Options{TLSConfig: s.TLSConfig()})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(newcomer, password).Wait(); err != nil {
			t.Fatalf("login as %s: %v", newcomer, err)
		}
		hdr := waitForMessage(t, c, id)
		if got := hdr["Delivered-To"]; !slices.Contains(got, newcomer) {
			t.Errorf("Delivered-To: got %q, want %q", got, newcomer)
		}
	})

	t.Run("FilledMaildirShowsInINBOX", func(t *testing.T) {
		var msgs [][]byte
		var ids []string
		for range 3 {
			msg, id := newMessage(Members[1], []string{Coach}, subject)
			msgs = append(msgs, msg)
			ids = append(ids, id)
		}
		if got := s.FillMaildir(t, Members[4], slices.Values(msgs)); got != len(msgs) {
			t.Fatalf("FillMaildir wrote %d messages, want %d", got, len(msgs))
		}
		c := dialIMAPS(t, s, Members[4])
		for _, id := range ids {
			hdr := waitForMessage(t, c, id)
			if got := decodedSubject(t, hdr); got != subject {
				t.Errorf("subject: got %q, want %q", got, subject)
			}
		}
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if sel.NumMessages != uint32(len(msgs)) {
			t.Errorf("INBOX messages: got %d, want %d", sel.NumMessages, len(msgs))
		}
	})
}

// newMessage builds a small UTF-8 text message with a fresh Message-ID.
func newMessage(from string, to []string, subj string) (msg []byte, messageID string) {
	messageID = fmt.Sprintf("<%s@roundtable.example.test>", rand.Text())
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	for _, addr := range to {
		fmt.Fprintf(&b, "To: %s\r\n", addr)
	}
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subj))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: %s\r\n", messageID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString("Bonjour à tous,\r\nvoici le point de la semaine.\r\n")
	return b.Bytes(), messageID
}

// submit sends one message over submission with STARTTLS and AUTH PLAIN, as a mail
// client of the coach's would.
func submit(s *Servers, user, password string, to []string, msg []byte) error {
	c, err := smtp.DialStartTLS(s.Addr(s.SubmissionPort), s.TLSConfig())
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
		return err
	}
	if err := c.SendMail(user, to, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// dialPlain connects without TLS, greets, and closes when t ends.
func dialPlain(t testing.TB, addr string) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.example.test"); err != nil {
		t.Fatal(err)
	}
	return c
}

// dialIMAPS logs user in over implicit TLS and logs out when t ends.
func dialIMAPS(t testing.TB, s *Servers, user string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialTLS(s.Addr(s.IMAPSPort), &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, Password).Wait(); err != nil {
		t.Fatalf("login as %s: %v", user, err)
	}
	return c
}

// waitForMessage polls INBOX until the message with messageID is there (delivery is
// asynchronous) and returns its header.
func waitForMessage(t testing.TB, c *imapclient.Client, messageID string) mail.Header {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		found, err := c.UIDSearch(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}},
		}, nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if uids := found.AllUIDs(); len(uids) > 0 {
			section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
			msgs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{
				BodySection: []*imap.FetchItemBodySection{section},
			}).Collect()
			if err != nil || len(msgs) != 1 {
				t.Fatalf("fetch %s: got %d messages, %v; want 1", messageID, len(msgs), err)
			}
			m, err := mail.ReadMessage(bytes.NewReader(msgs[0].FindBodySection(section)))
			if err != nil {
				t.Fatalf("parse header of %s: %v", messageID, err)
			}
			return m.Header
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %s: not in INBOX after 10s", messageID)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func decodedSubject(t testing.TB, h mail.Header) string {
	t.Helper()
	got, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject %q: %v", h.Get("Subject"), err)
	}
	return got
}

// smtpCode is the reply code of an SMTP refusal, or 0 when err is not one.
func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}
