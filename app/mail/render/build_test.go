package render

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
)

func envelope() Envelope {
	return Envelope{
		FromName:        "Coach Carla",
		FromEmail:       "carla@coach.example",
		ToName:          "Ann Example",
		ToEmail:         "ann@example.com",
		ReplyTo:         "carla+rt-abc123@coach.example",
		MessageID:       "rt.test1@coach.example",
		InReplyTo:       "rt.parent@coach.example",
		References:      []string{"rt.root@coach.example", "rt.parent@coach.example"},
		ListUnsubscribe: "mailto:unsubscribe+ann@coach.example?subject=unsubscribe",
		Date:            time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		Headers:         map[string]string{"X-Roundtable-Post": "42"},
	}
}

// parsed is a built message read back the way a mail client would.
type parsed struct {
	header mail.Header
	text   string
	html   string
	atts   map[string][]byte
	types  []string
}

func parse(t *testing.T, msg []byte) parsed {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(msg))
	if err != nil {
		t.Fatalf("go-message cannot read the message: %v", err)
	}
	p := parsed{header: r.Header, atts: map[string][]byte{}}
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		body, err := io.ReadAll(part.Body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		switch h := part.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := h.ContentType()
			p.types = append(p.types, ct)
			switch ct {
			case "text/plain":
				p.text = string(body)
			case "text/html":
				p.html = string(body)
			}
		case *mail.AttachmentHeader:
			name, err := h.Filename()
			if err != nil {
				t.Fatalf("attachment name: %v", err)
			}
			ct, _, _ := h.ContentType()
			p.types = append(p.types, ct)
			p.atts[name] = body
		}
	}
	return p
}

func checkLines(t *testing.T, msg []byte) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(msg, []byte("\r\n"), nil), []byte("\n")) ||
		bytes.Contains(bytes.ReplaceAll(msg, []byte("\r\n"), nil), []byte("\r")) {
		t.Errorf("got a bare LF or CR, want CRLF line ends only")
	}
	inHeader := true
	for i, line := range strings.Split(string(msg), "\r\n") {
		if line == "" {
			inHeader = false
		}
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes, want at most 998", i+1, len(line))
		}
		if !inHeader && len(line) > 78 {
			t.Errorf("body line %d is %d bytes, want at most 78: %q", i+1, len(line), line)
		}
		if strings.HasPrefix(line, ".") {
			t.Errorf("line %d starts with a dot: %q", i+1, line)
		}
		for j := 0; j < len(line); j++ {
			if line[j] >= 0x80 {
				t.Errorf("line %d has a non-ASCII byte, want 7-bit clean: %q", i+1, line)
				break
			}
		}
	}
}

func TestBuildReadsBackAsSent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    string
		from    string
		to      string
		subject string
	}{
		{"OK", "testdata/render/headings-lists.md", "Coach Carla", "Ann Example", ""},
		{"Japanese", "testdata/render/japanese.md", "コーチ 佐藤", "山田 花子", ""},
		{"Emoji", "testdata/render/emoji.md", "Zoë 🌱 Müller-Lüdenscheidt, Coaching & Mentoring", "Renée \"Ren\" O'Brien", ""},
		{"LongSubject", "testdata/render/links.md", "Carla", "Ann", strings.Repeat("A long subject line about next week ", 6)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := readContent(t, tc.file)
			if tc.subject != "" {
				c.Subject = tc.subject
			}
			b, err := Render(c, member)
			if err != nil {
				t.Fatal(err)
			}
			env := envelope()
			env.FromName, env.ToName = tc.from, tc.to
			msg, err := Build(env, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, msg)
			p := parse(t, msg)

			if got, _ := p.header.Subject(); got != b.Subject {
				t.Errorf("got subject %q, want %q", got, b.Subject)
			}
			from, err := p.header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != tc.from || from[0].Address != env.FromEmail {
				t.Errorf("got From %v (%v), want %q <%s>", from, err, tc.from, env.FromEmail)
			}
			to, err := p.header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != tc.to || to[0].Address != env.ToEmail {
				t.Errorf("got To %v (%v), want %q <%s>", to, err, tc.to, env.ToEmail)
			}
			if got, _ := p.header.MessageID(); got != env.MessageID {
				t.Errorf("got Message-ID %q, want %q", got, env.MessageID)
			}
			if got, _ := p.header.MsgIDList("In-Reply-To"); len(got) != 1 || got[0] != env.InReplyTo {
				t.Errorf("got In-Reply-To %v, want %v", got, env.InReplyTo)
			}
			if got, _ := p.header.MsgIDList("References"); strings.Join(got, " ") != strings.Join(env.References, " ") {
				t.Errorf("got References %v, want %v", got, env.References)
			}
			if got, _ := p.header.Date(); !got.Equal(env.Date) {
				t.Errorf("got Date %v, want %v", got, env.Date)
			}
			for k, want := range map[string]string{
				"Reply-To":                 "<" + env.ReplyTo + ">",
				"List-Unsubscribe":         "<" + env.ListUnsubscribe + ">",
				"X-Roundtable-Post":        "42",
				"MIME-Version":             "1.0",
				"X-Auto-Response-Suppress": "OOF, AutoReply",
			} {
				if got := p.header.Get(k); got != want && !(k == "Reply-To" && got == env.ReplyTo) {
					t.Errorf("got %s %q, want %q", k, got, want)
				}
			}
			for _, k := range []string{"Bcc", "Cc"} {
				if p.header.Has(k) {
					t.Errorf("got a %s header, want none", k)
				}
			}
			if ct, _, _ := p.header.ContentType(); ct != "multipart/alternative" {
				t.Errorf("got Content-Type %q, want multipart/alternative", ct)
			}
			if strings.Join(p.types, ",") != "text/plain,text/html" {
				t.Errorf("got parts %v, want text/plain then text/html", p.types)
			}
			if crlf(b.Text) != p.text {
				t.Errorf("got text part %q, want the rendered text %q", p.text, b.Text)
			}
			if crlf(b.HTML) != p.html {
				t.Errorf("got HTML part that differs from the rendered HTML")
			}
		})
	}
}

func TestBuildWithAttachmentIsMultipartMixed(t *testing.T) {
	b, err := Render(readContent(t, "testdata/render/code.md"), member)
	if err != nil {
		t.Fatal(err)
	}
	pdf := bytes.Repeat([]byte("%PDF-1.7 \x00\x01\x02\xff binary"), 500)
	msg, err := Build(envelope(), b, []Attachment{
		{Filename: "Worksheet week 3.pdf", Data: pdf},
		{Filename: "../../計画表 — 第3週のワークシート（記入用）とても長いファイル名.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("こんにちは\n")},
		{Filename: "", Data: []byte{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, msg)
	p := parse(t, msg)
	if ct, _, _ := p.header.ContentType(); ct != "multipart/mixed" {
		t.Errorf("got Content-Type %q, want multipart/mixed", ct)
	}
	want := "text/plain,text/html,application/pdf,text/plain,application/octet-stream"
	if got := strings.Join(p.types, ","); got != want {
		t.Errorf("got parts %v, want %v", got, want)
	}
	if p.text != crlf(b.Text) || p.html != crlf(b.HTML) {
		t.Errorf("got bodies that differ from the rendered ones")
	}
	if !bytes.Equal(p.atts["Worksheet week 3.pdf"], pdf) {
		t.Errorf("got PDF of %d bytes, want the %d bytes attached", len(p.atts["Worksheet week 3.pdf"]), len(pdf))
	}
	if got := string(p.atts["計画表 — 第3週のワークシート（記入用）とても長いファイル名.txt"]); got != "こんにちは\n" {
		t.Errorf("got Japanese-named attachment %q (names %v), want its text", got, keys(p.atts))
	}
	if _, ok := p.atts["attachment"]; !ok {
		t.Errorf("got names %v, want an unnamed file called attachment", keys(p.atts))
	}
}

// crlf is s with the CRLF line ends it has on the wire.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestBuildRefusesHeaderInjection(t *testing.T) {
	b := Body{Subject: "Hi", Text: "x", HTML: "<p>x</p>"}
	for name, change := range map[string]func(*Envelope, *Body){
		"ErrSubjectCRLF":     func(_ *Envelope, b *Body) { b.Subject = "Hi\r\nBcc: victim@example.com" },
		"ErrSubjectLF":       func(_ *Envelope, b *Body) { b.Subject = "Hi\nBcc: victim@example.com" },
		"ErrToNameCRLF":      func(e *Envelope, _ *Body) { e.ToName = "Ann\r\nBcc: victim@example.com" },
		"ErrFromNameCR":      func(e *Envelope, _ *Body) { e.FromName = "Carla\rX: y" },
		"ErrToEmailCRLF":     func(e *Envelope, _ *Body) { e.ToEmail = "ann@example.com\r\nBcc: v@example.com" },
		"ErrReplyToLF":       func(e *Envelope, _ *Body) { e.ReplyTo = "carla@coach.example\nBcc: v@example.com" },
		"ErrMessageIDCRLF":   func(e *Envelope, _ *Body) { e.MessageID = "a@b\r\nBcc: v@example.com" },
		"ErrReferencesCRLF":  func(e *Envelope, _ *Body) { e.References = []string{"a@b\r\nBcc: v@example.com"} },
		"ErrUnsubscribeLF":   func(e *Envelope, _ *Body) { e.ListUnsubscribe = "mailto:u@b\nBcc: v@example.com" },
		"ErrHeaderValueCRLF": func(e *Envelope, _ *Body) { e.Headers = map[string]string{"X-A": "1\r\nBcc: v@example.com"} },
		"ErrHeaderNameColon": func(e *Envelope, _ *Body) { e.Headers = map[string]string{"Bcc: v@example.com\r\nX": "1"} },
		"ErrHeaderBcc":       func(e *Envelope, _ *Body) { e.Headers = map[string]string{"Bcc": "v@example.com"} },
		"ErrTwoRecipients":   func(e *Envelope, _ *Body) { e.ToEmail = "ann@example.com, bob@example.com" },
		"ErrNoMessageID":     func(e *Envelope, _ *Body) { e.MessageID = "" },
		"ErrHTTPUnsubscribe": func(e *Envelope, _ *Body) { e.ListUnsubscribe = "https://x.example/u" },
		"ErrListNameCRLF":    func(e *Envelope, _ *Body) { e.ListID, e.ListName = "c.x.example", "Circle\r\nBcc: v@example.com" },
		"ErrListIDAngle":     func(e *Envelope, _ *Body) { e.ListID = "c.x.example>\r\nBcc: v@example.com" },
		"ErrListIDNoDot":     func(e *Envelope, _ *Body) { e.ListID = "cohort-7" },
		"ErrHeaderListID":    func(e *Envelope, _ *Body) { e.Headers = map[string]string{"List-Id": "<x.example>"} },
	} {
		t.Run(name, func(t *testing.T) {
			env, body := envelope(), b
			change(&env, &body)
			msg, err := Build(env, body, nil)
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("got %v and %d bytes, want an %s error", err, len(msg), app.EINVALID)
			}
			var e *app.Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Errorf("got %v, want a sentence for the coach", err)
			}
		})
	}
}

// TestBuildListID writes List-Id (RFC 2919) as a quoted description and the
// identifier in angle brackets; a description that is not ASCII as encoded words.
func TestBuildListID(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{`Spring "A" mastermind`, `"Spring \"A\" mastermind" <cohort-7.roundtable.coach.example>`},
		{"", "<cohort-7.roundtable.coach.example>"},
		{"Cercle d'été", "=?utf-8?b?Q2VyY2xlIGQnw6l0w6k=?= <cohort-7.roundtable.coach.example>"},
	} {
		env := envelope()
		env.ListID, env.ListName = "cohort-7.roundtable.coach.example", c.name
		msg, err := Build(env, Body{Subject: "Hi", Text: "x", HTML: "<p>x</p>"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := mail.CreateReader(bytes.NewReader(msg))
		if got := r.Header.Get("List-Id"); got != c.want {
			t.Errorf("got List-Id %q, want %q", got, c.want)
		}
	}
}

func TestBuildAttachmentNameCannotInjectHeaders(t *testing.T) {
	_, err := Build(envelope(), Body{Subject: "x"}, []Attachment{{Filename: "a.txt\r\nBcc: v@example.com", Data: []byte("x")}})
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("got %v, want an %s error", err, app.EINVALID)
	}
}

func TestBuildEncodesInternationalDomains(t *testing.T) {
	env := envelope()
	env.ToEmail = "ann@bücher.example"
	msg, err := Build(env, Body{Subject: "x", Text: "x", HTML: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, msg)
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "ann@xn--bcher-kva.example" {
		t.Errorf("got To %v (%v), want ann@xn--bcher-kva.example", to, err)
	}
}

func TestQuotedPrintableProtectsLineStarts(t *testing.T) {
	text := ".starts with a dot\nFrom the start\n" + strings.Repeat("x", 74) + ".dot after soft break\ntrailing space \n" +
		strings.Repeat("é", 60) + "\r\n= sign and tab\t\n"
	var w bytes.Buffer
	writeQP(&w, text)
	sc := bufio.NewScanner(bytes.NewReader(w.Bytes()))
	for sc.Scan() {
		line := sc.Text()
		if len(line) > 76 {
			t.Errorf("got a %d-character line, want at most 76: %q", len(line), line)
		}
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "From ") {
			t.Errorf("got an unprotected line start: %q", line)
		}
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			t.Errorf("got trailing whitespace: %q", line)
		}
	}
	dec, err := io.ReadAll(quotedPrintableReader(w.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(text, "\r\n", "\n")
	if got := strings.ReplaceAll(string(dec), "\r\n", "\n"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestBuildTwiceIsByteIdentical: a copy rebuilt for a resend after a crash must
// be the message first sent, boundaries included, so that a server or client
// that saw the first one sees the same bytes again.
func TestBuildTwiceIsByteIdentical(t *testing.T) {
	b, err := Render(readContent(t, "testdata/render/code.md"), member)
	if err != nil {
		t.Fatal(err)
	}
	b.Calendar, b.CalendarMethod = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "REQUEST"
	atts := []Attachment{{Filename: "a.pdf", Data: []byte("%PDF")}}
	first, err := Build(envelope(), b, atts)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Build(envelope(), b, atts)
	if !bytes.Equal(first, again) {
		t.Fatalf("got two different messages from the same copy:\n%s\n---\n%s", first, again)
	}
	other := envelope()
	other.MessageID = "rt.test2@coach.example"
	second, _ := Build(other, b, atts)
	h1, h2 := parse(t, first).header, parse(t, second).header
	_, p1, _ := h1.ContentType()
	_, p2, _ := h2.ContentType()
	if p1["boundary"] == "" || p1["boundary"] == p2["boundary"] {
		t.Errorf("got boundaries %q and %q for two messages, want each its own", p1["boundary"], p2["boundary"])
	}
}

// TestBuildBoundaryInTextCannotEndAPart: the boundaries can be worked out from
// the Message-ID, so a member's name or a post may hold one; written into the
// text and HTML it must stay text, not end the part.
func TestBuildBoundaryInTextCannotEndAPart(t *testing.T) {
	env := envelope()
	var forged string
	for _, level := range []string{"alt", "mixed"} {
		bnd := boundary(env.MessageID, level)
		forged += "--" + bnd + "\nContent-Type: text/html\n\n<script>x</script>\n--" + bnd + "--\n"
	}
	b := Body{Subject: "Hi", Text: "Hi\n" + forged, HTML: "<p>Hi</p>\n" + forged}
	atts := []Attachment{{Filename: "a.txt", Data: []byte(forged)}}
	msg, err := Build(env, b, atts)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, msg)
	if p.text != crlf(b.Text) || p.html != crlf(b.HTML) || string(p.atts["a.txt"]) != forged {
		t.Errorf("got text %q html %q attachment %q, want the forged boundaries kept as text", p.text, p.html, p.atts["a.txt"])
	}
	if want := "text/plain,text/html,text/plain"; strings.Join(p.types, ",") != want {
		t.Errorf("got parts %v, want %s", p.types, want)
	}
}

func TestNewMessageIDIsUniqueAndUnderTheDomain(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewMessageID("Coach.Example")
		if seen[id] {
			t.Fatalf("got %q twice, want unique ids", id)
		}
		seen[id] = true
		if !strings.HasSuffix(id, "@coach.example") || len(id) < 30 || msgID(id, "id") != nil {
			t.Fatalf("got %q, want rt.<26 random characters>@coach.example", id)
		}
	}
}

func quotedPrintableReader(b []byte) io.Reader { return quotedprintable.NewReader(bytes.NewReader(b)) }
