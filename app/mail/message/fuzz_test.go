package message_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app/mail/classify"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// fuzzLimits are small so that every fuzz input exercises the limits.
var fuzzLimits = message.Limits{MaxMessageBytes: 1 << 20, MaxDepth: 8, MaxAttachmentBytes: 64 << 10, MaxParts: 50}

// FuzzParse checks that no input makes Parse (or SanitizeHTML and
// classify.Classify on its result) panic, and that whatever Parse returns is
// valid UTF-8 within the limits. Seeds are the fixtures of both mail packages.
func FuzzParse(f *testing.F) {
	for _, glob := range []string{"testdata/*.eml", "../classify/testdata/*.eml"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add(nested(30))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := message.Parse(bytes.NewReader(data), fuzzLimits)
		if err != nil {
			return
		}
		for _, s := range []string{m.Text, m.Subject, m.From.Name, m.From.Email} {
			if !utf8.ValidString(s) {
				t.Errorf("got invalid UTF-8 %q", s)
			}
		}
		for _, a := range m.Attachments {
			if int64(len(a.Data)) > fuzzLimits.MaxAttachmentBytes {
				t.Errorf("attachment of %d bytes kept, want at most %d", len(a.Data), fuzzLimits.MaxAttachmentBytes)
			}
		}
		_ = message.SanitizeHTML(m.HTML)
		if r := classify.Classify(m); r.Kind == "" {
			t.Errorf("Classify: got no kind")
		}
	})
}

// typicalReply builds a reply of about size bytes: plain and HTML alternatives,
// quoted-printable, with a quoted announcement, as Gmail sends it.
func typicalReply(size int) []byte {
	para := "I tried the morning walk every day this week and it made a real difference — I slept better and felt calmer at work. "
	var text, html strings.Builder
	for text.Len()+html.Len() < size-1200 {
		text.WriteString(para + "\r\n")
		html.WriteString("<p>" + para + "</p>\r\n")
	}
	return []byte("From: Ana Lima <ana.lima@gmail.com>\r\nTo: coach+rt-a1b2c3@roundtable.example\r\n" +
		"Subject: Re: Week 3: one habit\r\nDate: Tue, 17 Nov 2026 10:02:01 +0100\r\n" +
		"Message-ID: <CAF=bench@mail.gmail.com>\r\nIn-Reply-To: <post-42@roundtable.example>\r\n" +
		"References: <post-42@roundtable.example>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" +
		"--alt\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		text.String() + "\r\n> This week: pick one habit.\r\n" +
		"--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" +
		"<div dir=\"ltr\">" + html.String() + "</div><blockquote class=\"gmail_quote\">This week: pick one habit.</blockquote>\r\n" +
		"--alt--\r\n")
}

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name string
		data []byte
	}{
		{"reply-8KB", typicalReply(8 << 10)},
		{"reply-1MB", typicalReply(1 << 20)},
		{"nested-1000", nested(1000)},
		{"attachment-30MB", bigMessage(30 << 20)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := message.Parse(bytes.NewReader(c.data), message.DefaultLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSanitizeHTML(b *testing.B) {
	m, err := message.Parse(bytes.NewReader(typicalReply(8<<10)), message.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(m.HTML)))
	b.ReportAllocs()
	for b.Loop() {
		message.SanitizeHTML(m.HTML)
	}
}
