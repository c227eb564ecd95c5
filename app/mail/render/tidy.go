package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tidy makes odd input sendable instead of letting it stop a message: Build
// refuses any header value that could add a header or break the syntax, and a
// name pasted from a CSV with a line break, a subject copied from a member's mail,
// or a member's mail program's malformed Message-ID (`<abc>`, `<a b@c>`) must not
// leave a member without their post or the coach's answer. Names and the subject
// are put on one line (control characters become spaces, invalid UTF-8 is
// replaced); a Message-ID that cannot be written as <local@domain> is dropped
// from In-Reply-To and References (the answer then may not thread in the
// member's mail app, which is better than not arriving). Addresses and our own
// Message-ID are not touched: a wrong address is a real error, not an oddity.
// Each change is returned as a sentence for the coach, to record with the message.
func Tidy(env Envelope, b Body) (Envelope, Body, []string) {
	var notes []string
	line := func(what, v string) string {
		t := oneLineText(v)
		if t != v {
			notes = append(notes, fmt.Sprintf("The %s had a line break or a character mail cannot carry; it was sent tidied, on one line.", what))
		}
		return t
	}
	env.FromName = line("sender name", env.FromName)
	env.ToName = line("member's name", env.ToName)
	env.ListName = line("cohort's name", env.ListName)
	b.Subject = line("subject", b.Subject)

	badReply := ""
	if env.InReplyTo != "" {
		id, ok := cleanMsgID(env.InReplyTo)
		if ok {
			env.InReplyTo = id
		} else {
			notes = append(notes, fmt.Sprintf("The member's message had a malformed Message-ID (%q), so this was sent without In-Reply-To; their mail app may show it as a new conversation.", clip(env.InReplyTo)))
			badReply, env.InReplyTo = env.InReplyTo, ""
		}
	}
	if len(env.References) > 0 {
		refs := make([]string, 0, len(env.References))
		dropped := 0
		for _, r := range env.References {
			if id, ok := cleanMsgID(r); ok {
				refs = append(refs, id)
			} else if r != badReply { // already noted
				dropped++
			}
		}
		if dropped > 0 {
			notes = append(notes, fmt.Sprintf("%d malformed Message-ID(s) were left out of References.", dropped))
		}
		env.References = refs
	}
	return env, b, notes
}

// oneLineText turns every run of control characters (CR, LF, tab and the rest)
// into one space, replaces invalid UTF-8, and trims the ends.
func oneLineText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// cleanMsgID returns id as Build writes it (without angle brackets) when it is
// one; surrounding spaces and brackets, as members' headers sometimes carry,
// are taken off first.
func cleanMsgID(id string) (string, bool) {
	id = strings.TrimSpace(id)
	id = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">"))
	if oneLine("Message-ID", id) != nil || msgID(id, "Message-ID") != nil {
		return "", false
	}
	return id, true
}

// clip shortens a value quoted in a note.
func clip(s string) string {
	s = oneLineText(s)
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
