package render

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzTidy asserts what Tidy promises: whatever the names, subject and thread ids
// a job carries, the tidied message builds, and its header has no line that is not
// a field or a fold (nothing added a header).
func FuzzTidy(f *testing.F) {
	f.Add("Ada\r\nLovelace", "Week 1\nfor you", "<abc>", "a b@c")
	f.Add("Ada", "Hi", "ok@mail.example", "")
	f.Add("\x00\x7f\t", "=?utf-8?q?x?=", " <x@y> ", "<>")
	f.Add("Grace\nBcc: evil@evil.example", "\xff\xfe", "x@y\r\nBcc: e@e", "r@s")
	f.Fuzz(func(t *testing.T, name, subject, inReplyTo, ref string) {
		env := Envelope{FromName: "Coach", FromEmail: "coach@coach.example", ToName: name, ToEmail: "ada@example.org",
			MessageID: "m1@coach.example", InReplyTo: inReplyTo, References: []string{ref}}
		env, b, _ := Tidy(env, Body{Subject: subject, Text: "hi", HTML: "<p>hi</p>"})
		raw, err := Build(env, b, nil)
		if err != nil {
			t.Fatalf("Build(%q, %q, %q, %q) after Tidy: got %v, want a message", name, subject, inReplyTo, ref, err)
		}
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(head), "\r\n") {
			if line == "" || strings.ContainsAny(line, "\r\n") {
				t.Fatalf("got header line %q, want no bare CR or LF", line)
			}
			if line[0] == ' ' || line[0] == '\t' {
				continue
			}
			if field, _, ok := strings.Cut(line, ":"); !ok || strings.EqualFold(field, "Bcc") || strings.EqualFold(field, "Cc") {
				t.Fatalf("got header line %q, want a field of ours", line)
			}
		}
	})
}
