package message_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// parseFile parses a fixture from testdata with the default limits.
func parseFile(tb testing.TB, name string) *message.Message {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := message.Parse(f, message.DefaultLimits)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return m
}

func hasNote(m *message.Message, part string) bool {
	return slices.ContainsFunc(m.Notes, func(n string) bool { return strings.Contains(n, part) })
}

// TestParse_WhatTheCoachSees checks, for each real-shaped reply, the facts the
// coach's import shows: who wrote, about what, and the text they wrote.
func TestParse_WhatTheCoachSees(t *testing.T) {
	tests := []struct {
		file      string
		from      message.Address
		subject   string
		messageID string
		inReplyTo []string
		date      string
		text      []string // lines the text must contain
		notText   []string // what must not leak into the text
		note      string   // a note that must be there ("" for none)
	}{
		{
			file:      "gmail_reply.eml",
			from:      message.Address{Name: "Ana Lima", Email: "ana.lima@gmail.com"},
			subject:   "Re: Week 3: one habit",
			messageID: "CAF=abc123XYZ@mail.gmail.com",
			inReplyTo: []string{"post-42.1700000000@roundtable.example"},
			date:      "2026-11-17T10:02:01+01:00",
			text:      []string{"Great session this week — I finished the 5-day habit tracker and wrote down three wins.", "> This week: pick one habit and track it daily."},
			notText:   []string{"<div", "=E2"},
		},
		{
			file:      "outlook_html_only.eml",
			from:      message.Address{Name: "Ben Okafor", Email: "ben.okafor@contoso.example"},
			subject:   "RE: Week 3: one habit",
			messageID: "AM0PR01MB12345678ABCDEF@AM0PR01MB1234.eurprd01.prod.exchangelabs.com",
			inReplyTo: []string{"post-42.1700000000@roundtable.example"},
			date:      "2026-11-17T09:10:11Z",
			text:      []string{"I “finally” booked the course – it cost €120. My plan:", "- Walk every morning", "- Read 10 pages, see my list (https://example.org/list)", "> This week: pick one habit."},
			notText:   []string{"MsoNormal", "<p", "&nbsp;"},
		},
		{
			file:      "apple_flowed.eml",
			from:      message.Address{Name: "Chloe Martin", Email: "chloe@icloud.example"},
			subject:   "Re: Week 3: one habit",
			messageID: "5E6F7A8B-1234-4C5D-9E0F-ABCDEF012345@icloud.example",
			inReplyTo: []string{"post-42.1700000000@roundtable.example"},
			date:      "2026-11-17T11:30:00+01:00",
			text:      []string{"This week I will stretch for ten minutes after lunch, every single day, even when the office is busy.", "Chloé", "> This week: pick one habit and track it daily. Reply to this email with your plan."},
		},
		{
			file:      "iso2022jp.eml",
			from:      message.Address{Name: "山田", Email: "yamada@example.jp"},
			subject:   "Re: 今週の習慣",
			messageID: "20261118080000.1234@example.jp",
			date:      "2026-11-18T08:00:00+09:00",
			text:      []string{"今週は毎朝散歩します。"},
		},
		{
			file:      "koi8r.eml",
			from:      message.Address{Name: "Ольга", Email: "olga@example.ru"},
			subject:   "Мой план",
			messageID: "olga.1@example.ru",
			date:      "2026-11-18T10:00:00+03:00",
			text:      []string{"Я буду делать зарядку каждый день."},
		},
		{
			file:      "invalid_charset.eml",
			from:      message.Address{Name: "Renée", Email: "renee@example.fr"},
			subject:   "Re: Semaine 3",
			messageID: "renee.1@example.fr",
			date:      "2026-11-18T12:00:00+01:00",
			text:      []string{"Très bien, je commence lundi. Ça marche !"},
			note:      `The message declared charset "x-unknown", which Roundtable does not know; it was read as Windows-1252.`,
		},
		{
			file:      "no_content_type.eml",
			from:      message.Address{Name: "José García", Email: "jose@example.es"},
			subject:   "Re: Semana 3 ánimo",
			messageID: "jose.1@example.es",
			date:      "2026-11-19T09:00:00+01:00",
			text:      []string{"Hola, aquí está mi plan."},
			note:      "no charset; it was read as Windows-1252",
		},
		{
			file:      "truncated.eml",
			from:      message.Address{Name: "Eve", Email: "eve@example.com"},
			subject:   "Re: broken",
			messageID: "eve.1@example.com",
			date:      "2026-11-19T09:00:00+01:00",
			text:      []string{"The text part is fine."},
			note:      "The message is damaged",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := parseFile(t, tt.file)
			if m.From != tt.from {
				t.Errorf("From: got %+v, want %+v", m.From, tt.from)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject: got %q, want %q", m.Subject, tt.subject)
			}
			if m.MessageID != tt.messageID {
				t.Errorf("MessageID: got %q, want %q", m.MessageID, tt.messageID)
			}
			if !slices.Equal(m.InReplyTo, tt.inReplyTo) {
				t.Errorf("InReplyTo: got %q, want %q", m.InReplyTo, tt.inReplyTo)
			}
			if got := m.Date.Format(time.RFC3339); got != tt.date {
				t.Errorf("Date: got %s, want %s", got, tt.date)
			}
			for _, want := range tt.text {
				if !strings.Contains(m.Text, want) {
					t.Errorf("Text: got %q, want it to contain %q", m.Text, want)
				}
			}
			for _, bad := range tt.notText {
				if strings.Contains(m.Text, bad) {
					t.Errorf("Text: got %q, want no %q", m.Text, bad)
				}
			}
			if tt.note == "" && len(m.Notes) > 0 {
				t.Errorf("Notes: got %q, want none", m.Notes)
			}
			if tt.note != "" && !hasNote(m, tt.note) {
				t.Errorf("Notes: got %q, want one containing %q", m.Notes, tt.note)
			}
		})
	}
}

func TestParse_GmailReplyKeepsHTMLAndHeaders(t *testing.T) {
	m := parseFile(t, "gmail_reply.eml")
	if !strings.Contains(m.HTML, `<blockquote class="gmail_quote"`) {
		t.Errorf("HTML: got %q, want the raw HTML body", m.HTML)
	}
	if got, want := m.DeliveredTo, []string{"coach+rt-a1b2c3@roundtable.example"}; !slices.Equal(got, want) {
		t.Errorf("DeliveredTo: got %q, want %q", got, want)
	}
	if got, want := m.Header.Get("return-path"), "<ana.lima@gmail.com>"; got != want {
		t.Errorf("Header.Get(return-path): got %q, want %q", got, want)
	}
	if got := m.Header.Get("Content-Type"); !strings.HasPrefix(got, "multipart/alternative") {
		t.Errorf("Header.Get(Content-Type): got %q, want multipart/alternative", got)
	}
	if len(m.To) != 1 || m.To[0].Email != "coach+rt-a1b2c3@roundtable.example" {
		t.Errorf("To: got %+v, want the coach's token address", m.To)
	}
}

func TestParse_AttachmentsKeepNameTypeAndBytes(t *testing.T) {
	m := parseFile(t, "attachment.eml")
	if got, want := strings.TrimSpace(m.Text), "My plan is attached."; got != want {
		t.Errorf("Text: got %q, want %q", got, want)
	}
	if len(m.Attachments) != 2 {
		t.Fatalf("Attachments: got %d, want 2", len(m.Attachments))
	}
	pdf := m.Attachments[0]
	if pdf.Filename != "Résumé plan.pdf" || pdf.ContentType != "application/pdf" || pdf.Omitted {
		t.Errorf("first attachment: got %q %q omitted=%v, want \"Résumé plan.pdf\" application/pdf kept", pdf.Filename, pdf.ContentType, pdf.Omitted)
	}
	if !bytes.HasPrefix(pdf.Data, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf.Data, []byte("%%EOF\n")) || int64(len(pdf.Data)) != pdf.Size {
		t.Errorf("first attachment data: got %d bytes (size %d), want the decoded PDF", len(pdf.Data), pdf.Size)
	}
	if got, want := m.Attachments[1].Filename, "notes à lire.txt"; got != want {
		t.Errorf("RFC 2231 file name: got %q, want %q", got, want)
	}
}

func TestParse_AttachmentOverLimitIsCountedNotKept(t *testing.T) {
	f, err := os.ReadFile(filepath.Join("testdata", "attachment.eml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := message.Parse(bytes.NewReader(f), message.Limits{MaxAttachmentBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	pdf := m.Attachments[0]
	if !pdf.Omitted || pdf.Data != nil || pdf.Size != 2085 {
		t.Errorf("got omitted=%v data=%d size=%d, want omitted, no data, size 2085", pdf.Omitted, len(pdf.Data), pdf.Size)
	}
	if !hasNote(m, `An attachment "Résumé plan.pdf" of 2 KB was over the 1000 bytes limit and was not kept.`) {
		t.Errorf("Notes: got %q, want the over-limit sentence", m.Notes)
	}
	if m.Attachments[1].Omitted {
		t.Errorf("small attachment: got omitted, want kept")
	}
}

func TestParse_ForwardedMessageIsEmbedded(t *testing.T) {
	m := parseFile(t, "forward.eml")
	if len(m.Embedded) != 1 {
		t.Fatalf("Embedded: got %d, want 1", len(m.Embedded))
	}
	fwd := m.Embedded[0]
	if fwd.From.Email != "boss@company.example" || fwd.Subject != "Feedback" || fwd.MessageID != "boss.77@company.example" {
		t.Errorf("forwarded: got %+v %q %q, want the manager's message", fwd.From, fwd.Subject, fwd.MessageID)
	}
	if got, want := strings.TrimSpace(fwd.Text), "Great progress this quarter — keep going."; got != want {
		t.Errorf("forwarded text: got %q, want %q", got, want)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].ContentType != "message/rfc822" || m.Attachments[0].Filename != "feedback.eml" {
		t.Errorf("Attachments: got %+v, want feedback.eml as message/rfc822", m.Attachments)
	}
	if strings.Contains(m.Text, "Great progress") {
		t.Errorf("Text: got %q, want only the member's own words", m.Text)
	}
}

// nested builds a message whose multiparts nest depth levels deep.
func nested(depth int) []byte {
	var b bytes.Buffer
	b.WriteString("From: deep@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nbottom\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.Bytes()
}

func TestParse_DeeplyNestedStopsAtTheDepthLimit(t *testing.T) {
	m, err := message.Parse(bytes.NewReader(nested(1000)), message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(m, "nested more than 20 levels deep") {
		t.Errorf("Notes: got %q, want the depth sentence", m.Notes)
	}
	if m.Subject != "deep" {
		t.Errorf("Subject: got %q, want deep", m.Subject)
	}
	shallow, err := message.Parse(bytes.NewReader(nested(5)), message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(shallow.Text); got != "bottom" || len(shallow.Notes) != 0 {
		t.Errorf("5 levels: got text %q notes %q, want bottom and no notes", got, shallow.Notes)
	}
}

func TestParse_TooManyPartsAreIgnored(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("From: many@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f%d.bin\"\r\n\r\ndata\r\n", i)
	}
	b.WriteString("--x--\r\n")
	m, err := message.Parse(&b, message.Limits{MaxParts: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 9 { // the root is one of the 10 parts
		t.Errorf("Attachments: got %d, want 9", len(m.Attachments))
	}
	if !hasNote(m, "more than 10 parts") {
		t.Errorf("Notes: got %q, want the part-limit sentence", m.Notes)
	}
}

func TestParse_MessageOverSizeLimitIsRefused(t *testing.T) {
	body := strings.Repeat("x", 2000)
	_, err := message.Parse(strings.NewReader("From: a@b.c\r\n\r\n"+body), message.Limits{MaxMessageBytes: 1000})
	if got, want := app.ErrorCode(err), app.EINVALID; got != want {
		t.Fatalf("code: got %q, want %q (err %v)", got, want, err)
	}
	if got, want := app.ErrorMessage(err), "The message is larger than 1000 bytes, the most Roundtable imports."; got != want {
		t.Errorf("message: got %q, want %q", got, want)
	}
}

func TestParse_NotAnEmailIsRefused(t *testing.T) {
	for _, in := range []string{"", "just some words\r\n", " leading space\r\n\r\n"} {
		_, err := message.Parse(strings.NewReader(in), message.DefaultLimits)
		if got, want := app.ErrorCode(err), app.EINVALID; got != want {
			t.Errorf("Parse(%q): got code %q, want %q", in, got, want)
		}
	}
}

func TestParse_DamagedHeaderLineKeepsWhatCameBefore(t *testing.T) {
	in := "From: a@example.com\r\nSubject: hi\r\nthis is not a field\r\n\r\nbody\r\n"
	m, err := message.Parse(strings.NewReader(in), message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "hi" || !hasNote(m, "damaged line") {
		t.Errorf("got subject %q notes %q, want hi and a note", m.Subject, m.Notes)
	}
}

func TestParse_LooseAddressesStillGiveTheEmail(t *testing.T) {
	in := "From: Dr. Jane Doe, PhD <Jane@Example.com>\r\nTo: a@x.example, broken <b@y.example\r\nCc: MAILER-DAEMON\r\n\r\nhi\r\n"
	m, err := message.Parse(strings.NewReader(in), message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if m.From.Email != "jane@example.com" {
		t.Errorf("From: got %+v, want jane@example.com", m.From)
	}
	if len(m.To) != 2 || m.To[1].Email != "b@y.example" {
		t.Errorf("To: got %+v, want two addresses", m.To)
	}
	if len(m.Cc) != 1 || m.Cc[0].Name != "MAILER-DAEMON" {
		t.Errorf("Cc: got %+v, want the name MAILER-DAEMON", m.Cc)
	}
}

func TestParseHeader_ReadsOnlyTheHeader(t *testing.T) {
	f, err := os.ReadFile(filepath.Join("testdata", "gmail_reply.eml"))
	if err != nil {
		t.Fatal(err)
	}
	head := f[:bytes.Index(f, []byte("\r\n\r\n"))+4]
	m, err := message.ParseHeader(bytes.NewReader(head))
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != "CAF=abc123XYZ@mail.gmail.com" || m.From.Email != "ana.lima@gmail.com" || m.Text != "" {
		t.Errorf("got %q %q text %q, want the header facts and no text", m.MessageID, m.From.Email, m.Text)
	}
	if got, want := m.References, []string{"post-42.1700000000@roundtable.example"}; !slices.Equal(got, want) {
		t.Errorf("References: got %q, want %q", got, want)
	}
}

// bigMessage builds a message of about size bytes: a short reply plus a large
// base64 attachment, the shape of a member sending a photo.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: big@example.com\r\nSubject: photo\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n")
	b.WriteString("--big\r\nContent-Type: text/plain\r\n\r\nHere is my photo.\r\n")
	b.WriteString("--big\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=photo.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := strings.Repeat("QUJD", 19) + "\r\n"
	for b.Len() < size {
		b.WriteString(line)
	}
	b.WriteString("--big--\r\n")
	return b.Bytes()
}

// TestParse_ThirtyMegabyteMessageStaysBounded streams a 30 MB message with a
// 1 MB attachment limit: memory must not grow with the message.
func TestParse_ThirtyMegabyteMessageStaysBounded(t *testing.T) {
	msg := bigMessage(30 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := message.Parse(bytes.NewReader(msg), message.Limits{MaxAttachmentBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(m.Attachments) != 1 || !m.Attachments[0].Omitted || m.Attachments[0].Size < 20<<20 {
		t.Fatalf("Attachments: got %+v, want one omitted photo of over 20 MB", m.Attachments)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 12<<20 {
		t.Errorf("allocated: got %d MB, want under 12 MB for a 30 MB message", grew>>20)
	}
}

func TestHTMLToText_ReadsLikeTheEmail(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>One</p><p>Two<br>lines</p>", "One\n\nTwo\nlines"},
		{"lists", "<ol><li>first</li><li>second</li></ol><ul><li>dot</li></ul>", "1. first\n2. second\n\n- dot"},
		{"link", `<a href="https://x.example/a">read this</a>`, "read this (https://x.example/a)"},
		{"bare link", `<a href="https://x.example/">https://x.example/</a>`, "https://x.example/"},
		{"mailto", `<a href="mailto:a@b.example">a@b.example</a>`, "a@b.example"},
		{"quote", "<p>Yes!</p><blockquote><p>Will you come?</p><blockquote>Earlier</blockquote></blockquote>", "Yes!\n\n> Will you come?\n>\n>> Earlier"},
		{"entities and nbsp", "caf&eacute;&nbsp;&amp; tea", "café & tea"},
		{"script and style hidden", "<style>p{}</style><script>alert(1)</script>Hi", "Hi"},
		{"pre kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"whitespace collapsed", "<div>  many\n\n spaces  </div>", "many spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := message.HTMLToText(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHTMLToText_DeepNestingStaysSmall(t *testing.T) {
	in := strings.Repeat("<blockquote><ul><li>", 5000) + "deep"
	if got := message.HTMLToText(in); len(got) > 2*len(in)+8192 {
		t.Errorf("got %d bytes, want at most %d", len(got), 2*len(in)+8192)
	}
	in = strings.Repeat("<blockquote><ul><li>", 50) + "deep"
	got := message.HTMLToText(in)
	last := got[strings.LastIndexByte(got, '\n')+1:]
	if !strings.HasSuffix(last, "- deep") || len(last) > 100 {
		t.Errorf("last line: got %q, want the nesting capped under 100 bytes, ending in deep", last)
	}
}

// nestedForwards builds a message forwarded inside itself depth times, each
// level carrying a 100 KB attachment.
func nestedForwards(depth int) []byte {
	inner := "From: bottom@example.com\r\nSubject: bottom\r\n\r\nbottom\r\n"
	blob := strings.Repeat("QUJD", 25<<10) + "\r\n"
	for i := 0; i < depth; i++ {
		inner = fmt.Sprintf("From: level%d@example.com\r\nSubject: level %d\r\nContent-Type: multipart/mixed; boundary=\"f%d\"\r\n\r\n"+
			"--f%d\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n%s"+
			"--f%d\r\nContent-Type: message/rfc822\r\n\r\n%s\r\n--f%d--\r\n", i, i, i, i, blob, i, inner, i)
	}
	return []byte(inner)
}

func TestParse_NestedForwardsStopAtTheDepthLimit(t *testing.T) {
	m, err := message.Parse(bytes.NewReader(nestedForwards(40)), message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for e := m; len(e.Embedded) > 0; e = e.Embedded[0] {
		depth++
	}
	if depth == 0 || depth > 20 {
		t.Errorf("embedded depth: got %d, want between 1 and 20", depth)
	}
	if !hasNote(m, "levels deep") {
		// the note may sit on the deepest embedded message that met the limit
		found := false
		for e := m; e != nil; {
			if hasNote(e, "levels deep") {
				found = true
			}
			if len(e.Embedded) == 0 {
				break
			}
			e = e.Embedded[0]
		}
		if !found {
			t.Errorf("Notes: got none about depth, want one")
		}
	}
}

func TestParse_DeliveryReportGivesRecipientsAndOriginal(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "classify", "testdata", "bounce_postfix_dsn.eml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := message.Parse(f, message.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if m.Report == nil {
		t.Fatal("Report: got nil, want the delivery report")
	}
	want := message.RecipientStatus{
		FinalRecipient:    "old.member@example.net",
		OriginalRecipient: "old.member@example.net",
		Action:            "failed",
		Status:            "5.1.1",
		DiagnosticCode:    "550 5.1.1 <old.member@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
		RemoteMTA:         "mx.example.net",
	}
	if len(m.Report.Recipients) != 1 || m.Report.Recipients[0] != want {
		t.Errorf("Recipients: got %+v, want [%+v]", m.Report.Recipients, want)
	}
	if got, want := m.Report.Type, "delivery-status"; got != want {
		t.Errorf("Type: got %q, want %q", got, want)
	}
	if got, want := m.Report.ReportingMTA, "mx.roundtable.example"; got != want {
		t.Errorf("ReportingMTA: got %q, want %q", got, want)
	}
	if got, want := m.Report.OriginalMessageID, "post-42.member-7@roundtable.example"; got != want {
		t.Errorf("OriginalMessageID: got %q, want %q", got, want)
	}
}
