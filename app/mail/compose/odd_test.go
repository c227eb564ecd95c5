package compose

import (
	"bufio"
	"bytes"
	"context"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/submit"
)

// TestOddInputStillSends renders jobs carrying what members and CSV files really
// send (malformed Message-IDs, names with line breaks) through the real renderer,
// hands each to a real SMTP server, and checks that it was accepted with
// well-formed headers and that the coach gets a note for what was changed.
func TestOddInputStillSends(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	conn, err := submit.Dial(context.Background(), submit.Config{Host: srv.Host, Port: srv.Port, Security: app.SecurityNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	from := From{Name: "Coach", Email: "coach@coach.example", PlusAddressing: true}

	for _, tc := range []struct {
		name      string
		edit      func(*app.OutboxJob)
		inReplyTo string // the In-Reply-To wanted, "" for none
		toName    string
		subject   string
		notes     int
	}{
		{"OK", func(j *app.OutboxJob) { j.InReplyTo = "member@mail.example" }, "member@mail.example", "Ada Lovelace", "Hi Ada", 0},
		{"MessageIDWithoutAt", func(j *app.OutboxJob) { j.InReplyTo = "<abc>" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"MessageIDWithoutAtOrBrackets", func(j *app.OutboxJob) { j.InReplyTo = "abc" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"MessageIDWithSpaces", func(j *app.OutboxJob) { j.InReplyTo = "abc def@mail.example" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"MessageIDInBracketsWithSpaceAround", func(j *app.OutboxJob) { j.InReplyTo = " <ok@mail.example> " }, "ok@mail.example", "Ada Lovelace", "Hi Ada", 0},
		{"MessageIDWithLineBreak", func(j *app.OutboxJob) { j.InReplyTo = "x@mail.example\r\nBcc: evil@evil.example" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"NameWithLineBreakFromCSV", func(j *app.OutboxJob) { j.Item.Name = "Ada\r\nLovelace" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"NameThatTriesToAddAHeader", func(j *app.OutboxJob) { j.Item.Name = "Ada\nBcc: evil@evil.example" }, "", "Ada Bcc: evil@evil.example", "Hi Ada", 1},
		{"NameWithTabAndNUL", func(j *app.OutboxJob) { j.Item.Name = "Ada\t\x00Lovelace" }, "", "Ada Lovelace", "Hi Ada", 1},
		{"NameWithInvalidUTF8", func(j *app.OutboxJob) { j.Item.Name = "Ada \xff Lovelace" }, "", "Ada \uFFFD Lovelace", "Hi Ada", 1},
		{"SubjectWithLineBreak", func(j *app.OutboxJob) { j.Post.Subject = "Week 1\r\nfor {{first_name}}" }, "", "Ada Lovelace", "Week 1 for Ada", 1},
		{"PlainSubject", func(j *app.OutboxJob) { j.Post.Subject = "Hi" }, "", "Ada Lovelace", "Hi", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := job()
			j.ThreadID = ""
			tc.edit(&j)
			raw, notes, err := Message(from, j, nil)
			if err != nil {
				t.Fatalf("got %v, want the message built", err)
			}
			if len(notes) != tc.notes {
				t.Fatalf("got notes %q, want %d", notes, tc.notes)
			}
			before := srv.Accepted()
			if _, err := conn.Send(from.Email, j.Item.Email, raw); err != nil {
				t.Fatalf("got %v, want the server to accept it", err)
			}
			if got := srv.Accepted(); got != before+1 {
				t.Fatalf("got %d accepted, want %d", got, before+1)
			}
			got := srv.Messages()[len(srv.Messages())-1].Data
			wellFormed(t, got)
			r, err := mail.CreateReader(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			h := r.Header
			irt, err := h.MsgIDList("In-Reply-To")
			if err != nil || strings.Join(irt, " ") != tc.inReplyTo {
				t.Errorf("got In-Reply-To %q (%v), want %q", irt, err, tc.inReplyTo)
			}
			if tc.inReplyTo == "" && h.Get("References") != "" {
				t.Errorf("got References %q, want none", h.Get("References"))
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != tc.toName || to[0].Address != "ada@example.org" {
				t.Errorf("got To %v (%v), want %q <ada@example.org>", to, err, tc.toName)
			}
			if s, _ := h.Subject(); s != tc.subject {
				t.Errorf("got subject %q, want %q", s, tc.subject)
			}
			for _, k := range []string{"Bcc", "Cc"} {
				if h.Has(k) {
					t.Errorf("got a %s header, want none: a value added a header", k)
				}
			}
		})
	}
	t.Run("SenderNameWithLineBreak", func(t *testing.T) {
		raw, notes, err := Message(From{Name: "Coach\r\nCarter", Email: "coach@coach.example"}, job(), nil)
		if err != nil || len(notes) != 1 {
			t.Fatalf("got %v, notes %q; want it built with one note", err, notes)
		}
		wellFormed(t, raw)
		r, _ := mail.CreateReader(bytes.NewReader(raw))
		if f, _ := r.Header.AddressList("From"); len(f) != 1 || f[0].Name != "Coach Carter" {
			t.Fatalf("got From %v, want Coach Carter on one line", f)
		}
	})
}

// wellFormed checks the header block line by line: CRLF endings, each line a
// field "Name: value" or a fold starting with white space, none over 998 octets.
func wellFormed(tb testing.TB, raw []byte) {
	tb.Helper()
	head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		tb.Fatal("got no blank line after the header")
	}
	for i, line := range strings.Split(string(head), "\r\n") {
		if strings.ContainsAny(line, "\r\n\x00") || len(line) > 998 {
			tb.Fatalf("header line %d %q: got a bare CR/LF, NUL or an overlong line", i, line)
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			tb.Fatalf("header line %d %q: got no field name", i, line)
		}
	}
	if _, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader(); err != nil {
		tb.Fatalf("got %v, want a header any reader accepts", err)
	}
}
