package sandbox

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
	gomail "github.com/wneessen/go-mail"
)

const (
	coach    = "coach@sandbox.invalid"
	password = "s3cret-sandbox-password"
)

// openStore opens a fresh workspace file in a temporary folder.
func openStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "workspace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func start(tb testing.TB, st Store, cfg Config) *Sandbox {
	tb.Helper()
	if cfg.CoachAddress == "" {
		cfg.CoachAddress = coach
	}
	if cfg.Password == "" {
		cfg.Password = password
	}
	sb, err := Start(context.Background(), st, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sb.Close() })
	return sb
}

// fixture reads a message from testdata with CRLF line ends, as SMTP carries it.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

// send sends msg over one SMTP connection, logging in when user is set.
func send(tb testing.TB, addr, user, from string, to []string, msg []byte) error {
	tb.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if user != "" {
		if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
			return err
		}
	}
	if err := c.SendMail(from, to, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

func mustSend(tb testing.TB, sb *Sandbox, from string, to []string, msg []byte) {
	tb.Helper()
	if err := send(tb, sb.SMTPAddr(), "", from, to, msg); err != nil {
		tb.Fatal(err)
	}
}

// sendThree sends the two members their announcement and the coach Ana's reply.
func sendThree(tb testing.TB, sb *Sandbox) (ana, ben, reply []byte) {
	tb.Helper()
	ana, ben, reply = fixture(tb, "announcement-ana.eml"), fixture(tb, "announcement-ben.eml"), fixture(tb, "reply-ana.eml")
	mustSend(tb, sb, coach, []string{"ana@example.com"}, ana)
	if err := send(tb, sb.SMTPAddr(), coach, coach, []string{"Ben@Example.com"}, ben); err != nil {
		tb.Fatal(err)
	}
	mustSend(tb, sb, "ana@example.com", []string{"coach+rt-abc@sandbox.invalid"}, reply)
	return ana, ben, reply
}

// inbox logs in as user and reads the whole INBOX: its UIDVALIDITY and every
// message with its UID and bytes.
func inbox(tb testing.TB, addr, user string) (uint32, []*imapclient.FetchMessageBuffer) {
	tb.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		tb.Fatalf("login as %s: %v", user, err)
	}
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		tb.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return sel.UIDValidity, nil
	}
	msgs, err := c.Fetch(imap.UIDSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
		UID:          true,
		Envelope:     true,
		InternalDate: true,
		BodySection:  []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Logout().Wait(); err != nil {
		tb.Fatal(err)
	}
	return sel.UIDValidity, msgs
}

func body(m *imapclient.FetchMessageBuffer) []byte {
	return m.FindBodySection(&imap.FetchItemBodySection{})
}

// header returns the unfolded value of the first header field named key in raw.
func header(raw []byte, key string) string {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	unfolded := strings.NewReplacer("\r\n\t", " ", "\r\n ", " ").Replace(string(head))
	for _, line := range strings.Split(unfolded, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func TestDeliveryFillsOneMailboxPerMember(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{})
	ana, ben, reply := sendThree(t, sb)
	ctx := context.Background()

	boxes, err := sb.Mailboxes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range boxes {
		got = append(got, b.Address)
		if b.Messages != 1 || b.LastReceived == nil {
			t.Errorf("got %+v, want 1 message and a time", b)
		}
	}
	if want := []string{"ana@example.com", "ben@example.com", coach}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got mailboxes %v, want %v", got, want)
	}

	tests := []struct {
		mailbox, deliveredTo, from, to, subject string
		sent                                    []byte
	}{
		{"ana@example.com", "ana@example.com", "Coach Carla <coach@sandbox.invalid>", "Ana Silva <ana@example.com>", "Week 3: what’s next", ana},
		{"BEN@example.com", "Ben@Example.com", "Coach Carla <coach@sandbox.invalid>", "Benoît Dupré <ben@example.com>", "Week 3: what's next", ben},
		{"coach+anything@sandbox.invalid", "coach+rt-abc@sandbox.invalid", "Ana Silva <ana@example.com>", "coach+rt-abc@sandbox.invalid", "Re: Week 3: what's next", reply},
	}
	for _, tt := range tests {
		t.Run(tt.mailbox, func(t *testing.T) {
			msgs, err := sb.Messages(ctx, tt.mailbox)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 {
				t.Fatalf("got %d messages, want 1", len(msgs))
			}
			m := msgs[0]
			if m.From != tt.from || m.To != tt.to || m.Subject != tt.subject {
				t.Errorf("got from %q to %q subject %q, want %q %q %q", m.From, m.To, m.Subject, tt.from, tt.to, tt.subject)
			}
			if want := header(tt.sent, "Date"); m.Date != want {
				t.Errorf("got date %q, want %q", m.Date, want)
			}
			raw := []byte(m.Raw)
			if !bytes.HasSuffix(raw, tt.sent) {
				t.Errorf("got raw message not ending in the bytes sent:\n%s", m.Raw)
			}
			if got := header(raw, "Delivered-To"); got != tt.deliveredTo {
				t.Errorf("got Delivered-To %q, want %q", got, tt.deliveredTo)
			}
			if got := header(raw, "Received"); !strings.HasPrefix(got, "from ") {
				t.Errorf("got Received %q, want a from clause", got)
			}
		})
	}
}

func TestIMAPShowsWhatEachMemberReceived(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{})
	ana, _, reply := sendThree(t, sb)

	t.Run("Member", func(t *testing.T) {
		_, msgs := inbox(t, sb.IMAPAddr(), "ana@example.com")
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
		if got, want := msgs[0].Envelope.Subject, "Week 3: what’s next"; got != want {
			t.Errorf("got subject %q, want %q", got, want)
		}
		b := body(msgs[0])
		if !bytes.HasSuffix(b, ana) {
			t.Errorf("got body not ending in the bytes sent:\n%s", b)
		}
		if !strings.Contains(string(b), "\r\n.A line that starts with a dot") {
			t.Errorf("got body without the dot-stuffed line:\n%s", b)
		}
	})

	t.Run("Coach", func(t *testing.T) {
		_, msgs := inbox(t, sb.IMAPAddr(), coach)
		if len(msgs) != 1 {
			t.Fatalf("got %d messages, want 1", len(msgs))
		}
		b := body(msgs[0])
		if got, want := header(b, "Delivered-To"), "coach+rt-abc@sandbox.invalid"; got != want {
			t.Errorf("got Delivered-To %q, want %q", got, want)
		}
		if got, want := header(b, "Return-Path"), "<ana@example.com>"; got != want {
			t.Errorf("got Return-Path %q, want %q", got, want)
		}
		if !bytes.HasSuffix(b, reply) {
			t.Errorf("got body not ending in the bytes sent:\n%s", b)
		}
		stored, err := sb.Messages(context.Background(), coach)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != stored[0].Raw {
			t.Errorf("got IMAP bytes that differ from the stored message:\n%s\nwant\n%s", b, stored[0].Raw)
		}
	})

	t.Run("AddressWithoutMail", func(t *testing.T) {
		_, msgs := inbox(t, sb.IMAPAddr(), "nobody@example.com")
		if len(msgs) != 0 {
			t.Fatalf("got %d messages, want an empty INBOX", len(msgs))
		}
	})
}

func TestRestartKeepsMailAndUIDs(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{})
	sendThree(t, sb)
	mustSend(t, sb, "ben@example.com", []string{"coach+rt-def@sandbox.invalid"}, fixture(t, "reply-ana.eml"))
	validity, before := inbox(t, sb.IMAPAddr(), coach)
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}

	sb = start(t, db, Config{})
	gotValidity, after := inbox(t, sb.IMAPAddr(), coach)
	if gotValidity != validity {
		t.Errorf("got UIDVALIDITY %d, want %d as before the restart", gotValidity, validity)
	}
	if len(after) != len(before) || len(after) != 2 {
		t.Fatalf("got %d messages, want %d as before the restart", len(after), len(before))
	}
	for i := range after {
		if after[i].UID != before[i].UID || !bytes.Equal(body(after[i]), body(before[i])) {
			t.Errorf("message %d: got UID %d, want %d with the same bytes", i, after[i].UID, before[i].UID)
		}
		if !after[i].InternalDate.Equal(before[i].InternalDate) {
			t.Errorf("message %d: got INTERNALDATE %v, want %v", i, after[i].InternalDate, before[i].InternalDate)
		}
	}

	// The next message numbers on from there.
	mustSend(t, sb, "ana@example.com", []string{coach}, fixture(t, "reply-ana.eml"))
	_, msgs := inbox(t, sb.IMAPAddr(), coach)
	if got, want := msgs[len(msgs)-1].UID, before[1].UID+1; got != want {
		t.Errorf("got UID %d for the new message, want %d", got, want)
	}
}

func TestSMTP(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{MaxMessageBytes: 64 << 10})
	msg := fixture(t, "announcement-ana.eml")
	ctx := context.Background()

	t.Run("OKWithoutLogin", func(t *testing.T) {
		if err := send(t, sb.SMTPAddr(), "", coach, []string{"a1@example.com"}, msg); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("OKWithLogin", func(t *testing.T) {
		if err := send(t, sb.SMTPAddr(), "anyone@example.org", coach, []string{"a2@example.com"}, msg); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ManyRecipientsOneCopyEach", func(t *testing.T) {
		to := []string{"m1@example.com", "m2@example.com", "M1@example.com"}
		if err := send(t, sb.SMTPAddr(), "", coach, to, msg); err != nil {
			t.Fatal(err)
		}
		for _, box := range []string{"m1@example.com", "m2@example.com"} {
			msgs, err := sb.Messages(ctx, box)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 {
				t.Errorf("%s: got %d messages, want 1", box, len(msgs))
			}
		}
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		c, err := smtp.Dial(sb.SMTPAddr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = c.Auth(sasl.NewPlainClient("", coach, "wrong"))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 535 {
			t.Fatalf("got %v, want 535", err)
		}
	})

	t.Run("ErrNotAnAddress", func(t *testing.T) {
		err := send(t, sb.SMTPAddr(), "", coach, []string{"postmaster"}, msg)
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code/100 != 5 {
			t.Fatalf("got %v, want a 5xx refusal", err)
		}
	})

	t.Run("ErrTooLarge", func(t *testing.T) {
		big := append(bytes.Clone(msg), bytes.Repeat([]byte(strings.Repeat("x", 76)+"\r\n"), 1000)...)
		c, err := smtp.Dial(sb.SMTPAddr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = c.SendMail(coach, []string{"big@example.com"}, bytes.NewReader(big))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 552 {
			t.Fatalf("got %v, want 552", err)
		}
		msgs, err := sb.Messages(ctx, "big@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 0 {
			t.Fatalf("got %d messages stored, want none", len(msgs))
		}
		// The connection stays usable for the next message.
		if err := c.SendMail(coach, []string{"big@example.com"}, bytes.NewReader(msg)); err != nil {
			t.Fatalf("got %v sending a small message after a refused one, want nil", err)
		}
	})
}

func TestIMAPRefusesWhatARestartWouldLose(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{})
	mustSend(t, sb, "ana@example.com", []string{coach}, fixture(t, "reply-ana.eml"))

	c, err := imapclient.DialInsecure(sb.IMAPAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	t.Run("ErrWrongPassword", func(t *testing.T) {
		if err := c.Login(coach, "wrong").Wait(); err == nil {
			t.Fatal("got nil, want a refused login")
		}
	})
	if err := c.Login(coach, password).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrAppend", func(t *testing.T) {
		msg := fixture(t, "reply-ana.eml")
		cmd := c.Append("INBOX", int64(len(msg)), nil)
		cmd.Write(msg)
		cmd.Close()
		if _, err := cmd.Wait(); err == nil {
			t.Fatal("got nil, want APPEND refused")
		}
	})
	t.Run("ErrCreate", func(t *testing.T) {
		if err := c.Create("Archive", nil).Wait(); err == nil {
			t.Fatal("got nil, want CREATE refused")
		}
	})
	t.Run("ErrMove", func(t *testing.T) {
		if _, err := c.Move(imap.SeqSetNum(1), "Archive").Wait(); err == nil {
			t.Fatal("got nil, want MOVE refused")
		}
	})
	t.Run("FlagsOK", func(t *testing.T) {
		err := c.Store(imap.SeqSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestStart(t *testing.T) {
	db := openStore(t)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"ErrNoCoachAddress", Config{Password: password}},
		{"ErrCoachAddressNotAnAddress", Config{CoachAddress: "Carla", Password: password}},
		{"ErrNoPassword", Config{CoachAddress: coach}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Start(context.Background(), db, tt.cfg)
			if got := app.ErrorCode(err); got != app.EINVALID {
				t.Fatalf("got %v (code %q), want code %q", err, got, app.EINVALID)
			}
		})
	}

	t.Run("CoachMailboxListedWhileEmpty", func(t *testing.T) {
		sb := start(t, db, Config{CoachAddress: "Carla+roundtable@Example.com"})
		if got, want := sb.CoachAddress(), "carla@example.com"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		boxes, err := sb.Mailboxes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(boxes) != 1 || boxes[0].Address != "carla@example.com" || boxes[0].Messages != 0 || boxes[0].LastReceived != nil {
			t.Fatalf("got %+v, want only carla@example.com, empty", boxes)
		}
	})
}

func TestCloseStopsBothServers(t *testing.T) {
	db := openStore(t)
	baseline := runtime.NumGoroutine()
	sb, err := Start(context.Background(), db, Config{CoachAddress: coach, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr, imapAddr := sb.SMTPAddr(), sb.IMAPAddr()

	// Idle clients on both servers must not hold Close up.
	sc, err := smtp.Dial(smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if err := sc.Hello("localhost"); err != nil {
		t.Fatal(err)
	}
	ic, err := imapclient.DialInsecure(imapAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ic.Close()
	if err := ic.Login(coach, password).Wait(); err != nil {
		t.Fatal(err)
	}
	// A connection that has said nothing yet.
	raw, err := net.Dial("tcp", imapAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sb.Close(); err != nil {
		t.Fatalf("got %v closing twice, want nil", err)
	}
	for _, addr := range []string{smtpAddr, imapAddr} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("got a connection to %s after Close, want refused", addr)
		}
	}
	if err := sc.Noop(); err == nil {
		t.Error("got nil from the SMTP client after Close, want its connection dropped")
	}
	<-ic.Closed()
	sc.Close()
	raw.Close()

	// Every server goroutine has ended (the clients' own end once their
	// connections are dropped).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > baseline {
		buf := make([]byte, 1<<16)
		t.Fatalf("got %d goroutines after Close, want at most %d:\n%s", got, baseline, buf[:runtime.Stack(buf, true)])
	}
}

func TestMailboxOf(t *testing.T) {
	tests := []struct {
		addr, want string
		ok         bool
	}{
		{"ana@example.com", "ana@example.com", true},
		{"Ana@Example.COM", "ana@example.com", true},
		{"<coach+rt-abc@sandbox.invalid>", "coach@sandbox.invalid", true},
		{"coach+rt-abc+more@sandbox.invalid", "coach@sandbox.invalid", true},
		{"+only@example.com", "+only@example.com", true},
		{"postmaster", "", false},
		{"@example.com", "", false},
		{"ana@", "", false},
		{"Ana <ana@example.com>", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := mailboxOf(tt.addr)
		if got != tt.want || ok != tt.ok {
			t.Errorf("mailboxOf(%q): got %q, %v, want %q, %v", tt.addr, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkDeliver sends 1,000 messages over one SMTP connection into a real
// workspace file, each stored and shown over IMAP before the next is sent.
func BenchmarkDeliver(b *testing.B) {
	const perConn = 1000
	db := openStore(b)
	sb := start(b, db, Config{})
	msg := fixture(b, "announcement-ana.eml")
	to := []string{"ana@example.com"}
	b.SetBytes(int64(len(msg)) * perConn)
	var sent int
	for b.Loop() {
		c, err := smtp.Dial(sb.SMTPAddr())
		if err != nil {
			b.Fatal(err)
		}
		for range perConn {
			if err := c.SendMail(coach, to, bytes.NewReader(msg)); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Quit(); err != nil {
			b.Fatal(err)
		}
		sent += perConn
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msgs/s")
}

// TestOutboxLibrarySends checks the settings the outbox uses for the sandbox with
// the library it sends with: plain SMTP on 127.0.0.1, AUTH PLAIN.
func TestOutboxLibrarySends(t *testing.T) {
	db := openStore(t)
	sb := start(t, db, Config{})
	host, portText, _ := net.SplitHostPort(sb.SMTPAddr())
	port, _ := strconv.Atoi(portText)

	for _, auth := range []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthNoAuth} {
		t.Run(string(auth), func(t *testing.T) {
			c, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.NoTLS),
				gomail.WithSMTPAuth(auth), gomail.WithUsername(coach), gomail.WithPassword(password))
			if err != nil {
				t.Fatal(err)
			}
			m := gomail.NewMsg()
			if err := m.From(coach); err != nil {
				t.Fatal(err)
			}
			if err := m.To("dana+" + string(auth) + "@example.com"); err != nil {
				t.Fatal(err)
			}
			m.Subject("Welcome, Dana")
			m.SetBodyString(gomail.TypeTextPlain, "Hello Dana.")
			if err := c.DialAndSend(m); err != nil {
				t.Fatal(err)
			}
		})
	}
	msgs, err := sb.Messages(context.Background(), "dana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Subject != "Welcome, Dana" {
		t.Fatalf("got %d messages (%+v), want 2 with subject %q", len(msgs), msgs, "Welcome, Dana")
	}
	if got := header([]byte(msgs[0].Raw), "Received"); !strings.Contains(got, "with ESMTPA") {
		t.Errorf("got Received %q, want it to say the sender logged in (ESMTPA)", got)
	}
}
