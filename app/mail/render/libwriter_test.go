package render

// Issue 12: could emersion/go-message or wneessen/go-mail (both already
// dependencies) write our messages instead of build.go? This file builds the
// same message with each, checks what a resend and a relay would see, and
// times all three on the same inputs. The figures and the decision are in
// docs/benchmarks.md ("The MIME writer against go-message and go-mail").
//
// Both prototypes keep Build's checks (header injection, addresses, IDNA,
// file names): only the writing is handed to the library, so the comparison
// is of the code a switch would remove.

import (
	"bytes"
	"io"
	"mime"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	gmail "github.com/emersion/go-message/mail"
	gomail "github.com/wneessen/go-mail"
)

// libBoundaries are fixed boundaries for the prototypes, so two builds can be
// compared byte for byte.
const libAlt, libMixed = "rt=_alt0123456789abcdef", "rt=_mix0123456789abcdef"

// libGoMailBoundary is go-mail's fixed boundary: go-mail writes the boundary
// parameter unquoted, so ours (with its "=", a MIME tspecial) would make the
// Content-Type unreadable; hex digits keep that defect out of the comparison.
const libGoMailBoundary = "0123456789abcdef0123456789abcdef"

// libChecks runs Build's header checks and returns the From and To
// addr-specs as Build sends them.
func libChecks(env Envelope, subject string) (from, to string, err error) {
	if _, err = header(env, subject); err != nil {
		return "", "", err
	}
	if from, err = checkedAddr(env.FromEmail, "sender"); err != nil {
		return "", "", err
	}
	to, err = checkedAddr(env.ToEmail, "member")
	return from, to, err
}

// checkedAddr returns the addr-spec as Build would send it (IDNA domain),
// refusing what Build refuses.
func checkedAddr(addr, what string) (string, error) { return address("", addr, what) }

// buildGoMessage writes env, b and atts with go-message's message and mail
// packages. mail.CreateWriter cannot take a fixed boundary (it resets
// Content-Type), so the outer writer is message.CreateWriter.
func buildGoMessage(env Envelope, b Body, atts []Attachment) ([]byte, error) {
	from, to, err := libChecks(env, b.Subject)
	if err != nil {
		return nil, err
	}
	// go-message writes fields in the reverse of the order they were added.
	var h gmail.Header
	h.Set("MIME-Version", "1.0")
	keys := make([]string, 0, len(env.Headers))
	for k := range env.Headers {
		keys = append(keys, k)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(keys)))
	for _, k := range keys {
		h.SetText(k, env.Headers[k])
	}
	h.Set("X-Auto-Response-Suppress", "OOF, AutoReply")
	if env.ListID != "" {
		v, err := listID(env.ListName, env.ListID)
		if err != nil {
			return nil, err
		}
		h.Set("List-Id", v)
	}
	if env.ListUnsubscribe != "" {
		h.Set("List-Unsubscribe", "<"+env.ListUnsubscribe+">")
	}
	h.SetMsgIDList("References", env.References)
	if env.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{env.InReplyTo})
	}
	h.SetMessageID(env.MessageID)
	h.SetSubject(b.Subject)
	if env.ReplyTo != "" {
		rt, err := checkedAddr(env.ReplyTo, "reply")
		if err != nil {
			return nil, err
		}
		h.SetAddressList("Reply-To", []*gmail.Address{{Address: rt}})
	}
	h.SetAddressList("To", []*gmail.Address{{Name: env.ToName, Address: to}})
	h.SetAddressList("From", []*gmail.Address{{Name: env.FromName, Address: from}})
	h.SetDate(env.Date)

	var w bytes.Buffer
	var alt *message.Writer
	var mixed *message.Writer
	if len(atts) == 0 {
		h.SetContentType("multipart/alternative", map[string]string{"boundary": libAlt})
		if alt, err = message.CreateWriter(&w, h.Header); err != nil {
			return nil, err
		}
	} else {
		h.SetContentType("multipart/mixed", map[string]string{"boundary": libMixed})
		if mixed, err = message.CreateWriter(&w, h.Header); err != nil {
			return nil, err
		}
		var ah message.Header
		ah.SetContentType("multipart/alternative", map[string]string{"boundary": libAlt})
		if alt, err = mixed.CreatePart(ah); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct{ ct, s string }{{"text/plain", b.Text}, {"text/html", b.HTML}} {
		var ph message.Header
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		ph.SetContentType(p.ct, map[string]string{"charset": "utf-8"})
		pw, err := alt.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(pw, p.s); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := alt.Close(); err != nil {
		return nil, err
	}
	for _, a := range atts {
		ap, err := attachmentHeader(a) // the same checks and type as Build
		if err != nil {
			return nil, err
		}
		_ = ap
		name := cleanFilename(a.Filename)
		ct, params, _ := mime.ParseMediaType(libContentType(a))
		params["name"] = name
		var ah gmail.AttachmentHeader
		ah.Set("Content-Transfer-Encoding", "base64")
		ah.SetFilename(name)
		ah.SetContentType(ct, params)
		aw, err := mixed.CreatePart(ah.Header)
		if err != nil {
			return nil, err
		}
		if _, err := aw.Write(a.Data); err != nil {
			return nil, err
		}
		if err := aw.Close(); err != nil {
			return nil, err
		}
	}
	if mixed != nil {
		if err := mixed.Close(); err != nil {
			return nil, err
		}
	}
	return w.Bytes(), nil
}

// libContentType is the attachment's media type as Build chooses it, without
// a name parameter (the libraries add their own).
func libContentType(a Attachment) string {
	ct := a.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(cleanFilename(a.Filename)))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	mt, params, _ := mime.ParseMediaType(ct)
	delete(params, "name")
	return mime.FormatMediaType(mt, params)
}

// buildGoMail writes env, b and atts with go-mail. go-mail has one settable
// boundary for every multipart level (Msg.SetBoundary); the per-level ones are
// random and only remembered inside one Msg.
func buildGoMail(env Envelope, b Body, atts []Attachment, fixBoundary bool) ([]byte, error) {
	from, to, err := libChecks(env, b.Subject)
	if err != nil {
		return nil, err
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8))
	if fixBoundary {
		m.SetBoundary(libGoMailBoundary)
	}
	if err := m.FromFormat(env.FromName, from); err != nil {
		return nil, err
	}
	if err := m.AddToFormat(env.ToName, to); err != nil {
		return nil, err
	}
	if env.ReplyTo != "" {
		rt, err := checkedAddr(env.ReplyTo, "reply")
		if err != nil {
			return nil, err
		}
		if err := m.ReplyTo(rt); err != nil {
			return nil, err
		}
	}
	m.Subject(b.Subject)
	m.SetDateWithValue(env.Date)
	m.SetMessageIDWithValue(env.MessageID)
	if env.InReplyTo != "" {
		m.SetGenHeader(gomail.HeaderInReplyTo, "<"+env.InReplyTo+">")
	}
	if len(env.References) > 0 {
		m.SetGenHeader(gomail.HeaderReferences, "<"+strings.Join(env.References, "> <")+">")
	}
	if env.ListUnsubscribe != "" {
		m.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+env.ListUnsubscribe+">")
	}
	if env.ListID != "" {
		v, err := listID(env.ListName, env.ListID)
		if err != nil {
			return nil, err
		}
		m.SetGenHeader("List-Id", v)
	}
	m.SetGenHeader("X-Auto-Response-Suppress", "OOF, AutoReply")
	for k, v := range env.Headers {
		m.SetGenHeader(gomail.Header(k), v)
	}
	m.SetBodyString(gomail.TypeTextPlain, b.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, b.HTML)
	for _, a := range atts {
		if _, err := attachmentHeader(a); err != nil {
			return nil, err
		}
		if err := m.AttachReader(cleanFilename(a.Filename), bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(libContentType(a)))); err != nil {
			return nil, err
		}
	}
	var w bytes.Buffer
	if _, err := m.WriteTo(&w); err != nil {
		return nil, err
	}
	return w.Bytes(), nil
}

// libCase is a message that exercises every protection Build has: a dot and
// "From " at line starts, a long line, a non-ASCII subject and names with
// phrase specials, a Japanese file name.
func libCase(tb testing.TB) (Envelope, Body, []Attachment) {
	tb.Helper()
	env := envelope()
	env.FromName = "Zoë 🌱 Müller-Lüdenscheidt, Coaching & Mentoring"
	env.ToName = "山田 花子"
	env.ListID, env.ListName = "cohort-7.roundtable.coach.example", "Cercle d'été"
	b := Body{
		Subject: "Récapitulatif de la semaine — « morning pages » et questions",
		Text:    "Hi Ann,\n.\n.hidden line\nFrom here on, we meet on Tuesdays.\n" + strings.Repeat("a long line ", 20) + "\ntrailing space \n",
		HTML:    "<p>Hi Ann,</p>\n.\n<p>From here on</p>\n" + strings.Repeat("<b>long</b> ", 30) + "\n",
	}
	atts := []Attachment{
		{Filename: "Worksheet week 3.pdf", Data: bytes.Repeat([]byte("%PDF-1.7 \x00\x01\xff"), 300)},
		{Filename: "計画表 — 第3週のワークシート.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("こんにちは\n")},
	}
	return env, b, atts
}

// libWriters are the three ways to build, for the test and the benchmark.
var libWriters = []struct {
	name  string
	build func(Envelope, Body, []Attachment) ([]byte, error)
}{
	{"ours", Build},
	{"go-message", buildGoMessage},
	{"go-mail", func(e Envelope, b Body, a []Attachment) ([]byte, error) { return buildGoMail(e, b, a, true) }},
	{"go-mail-random-boundaries", func(e Envelope, b Body, a []Attachment) ([]byte, error) { return buildGoMail(e, b, a, false) }},
}

// TestLibWritersAgainstBuild records why Build stays hand-written: each
// library's output is read back by go-message, and the protections Build has
// are checked one by one. The test asserts today's findings, so a library
// release that changes them fails here and the decision can be revisited.
func TestLibWritersAgainstBuild(t *testing.T) {
	env, b, atts := libCase(t)
	type finding struct {
		readsBack, identical, dotsProtected, fromProtected, sevenBit, linesShort bool
	}
	// linesShort: every line within 78 characters, headers of the parts too.
	want := map[string]finding{
		"ours":                      {readsBack: true, identical: true, dotsProtected: true, fromProtected: true, sevenBit: true, linesShort: true},
		"go-message":                {readsBack: true, identical: true, dotsProtected: false, fromProtected: false, sevenBit: true, linesShort: false},
		"go-mail":                   {readsBack: false, identical: true, dotsProtected: false, fromProtected: false, sevenBit: true, linesShort: false},
		"go-mail-random-boundaries": {readsBack: true, identical: false, dotsProtected: false, fromProtected: false, sevenBit: true, linesShort: false},
	}
	for _, w := range libWriters {
		t.Run(w.name, func(t *testing.T) {
			first, err := w.build(env, b, atts)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := w.build(env, b, atts)
			got := finding{identical: bytes.Equal(first, again), sevenBit: true, linesShort: true}
			got.readsBack = readsBackAs(first, b, atts)
			for _, line := range strings.Split(string(first), "\r\n") {
				if len(line) > 78 {
					got.linesShort = false
				}
				for i := 0; i < len(line); i++ {
					if line[i] >= 0x80 {
						got.sevenBit = false
					}
				}
			}
			got.dotsProtected = !bytes.Contains(first, []byte("\r\n."))
			got.fromProtected = !bytes.Contains(first, []byte("\r\nFrom "))
			if got != want[w.name] {
				t.Errorf("got %+v, want %+v", got, want[w.name])
				for _, line := range strings.Split(string(first), "\r\n") {
					if len(line) > 78 {
						t.Logf("long line: %s", line)
					}
				}
			}
		})
	}
}

// TestGoMailFixedBoundaryWithoutAttachments shows that go-mail's single fixed
// boundary is enough for a message with one multipart level: the defect in
// TestLibWritersAgainstBuild comes from nesting, which every attachment needs.
func TestGoMailFixedBoundaryWithoutAttachments(t *testing.T) {
	env, b, _ := libCase(t)
	first, err := buildGoMail(env, b, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := buildGoMail(env, b, nil, true)
	if !bytes.Equal(first, again) || !readsBackAs(first, b, nil) {
		t.Errorf("got identical=%v readsBack=%v, want both", bytes.Equal(first, again), readsBackAs(first, b, nil))
	}
}

// readsBackAs reports whether go-message reads msg back with b's text and HTML
// and every attachment under its name with its bytes.
func readsBackAs(msg []byte, b Body, atts []Attachment) bool {
	r, err := gmail.CreateReader(bytes.NewReader(msg))
	if err != nil {
		return false
	}
	s, err := r.Header.Subject()
	if err != nil || s != b.Subject {
		return false
	}
	seen := 0
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
		body, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gmail.InlineHeader:
			ct, _, _ := h.ContentType()
			if ct == "text/plain" && string(body) != crlf(b.Text) || ct == "text/html" && string(body) != crlf(b.HTML) {
				return false
			}
		case *gmail.AttachmentHeader:
			name, _ := h.Filename()
			for _, a := range atts {
				if cleanFilename(a.Filename) == name && bytes.Equal(a.Data, body) {
					seen++
				}
			}
		}
	}
	return seen == len(atts)
}

// BenchmarkMIMEWriters builds the announcement of BenchmarkBuild (no
// attachment) and the libCase message (two attachments) with each writer.
func BenchmarkMIMEWriters(b *testing.B) {
	body, err := Render(readContent(b, "testdata/announcement.md"), member)
	if err != nil {
		b.Fatal(err)
	}
	env := envelope()
	env.Date = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	cenv, cbody, catts := libCase(b)
	// checks is what both prototypes spend on Build's own checks before the
	// library writes anything: subtract it to see the library alone.
	checks := func(e Envelope, b Body, atts []Attachment) ([]byte, error) {
		if _, err := header(e, b.Subject); err != nil {
			return nil, err
		}
		for _, a := range []string{e.FromEmail, e.ToEmail, e.ReplyTo} {
			if _, err := checkedAddr(a, "x"); err != nil {
				return nil, err
			}
		}
		for _, a := range atts {
			if _, err := attachmentHeader(a); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	writers := append(libWriters[:len(libWriters):len(libWriters)], struct {
		name  string
		build func(Envelope, Body, []Attachment) ([]byte, error)
	}{"checks-only", checks})
	for _, w := range writers {
		b.Run("announcement/"+w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.build(env, body, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("attachments/"+w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.build(cenv, cbody, catts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
