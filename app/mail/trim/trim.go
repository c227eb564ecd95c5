// Package trim separates what a member wrote in a reply from everything their mail
// client added around it: quoted history, attribution lines ("On … wrote:" in many
// languages), Outlook header blocks, forwarded-message blocks, "-- " signatures and
// mobile footers. The digest shows only the member's words; the rest stays available
// behind "show quoted text". The phrases clients write, per language, are data in
// phrases.go and signoff.go; a signature with no "-- " is learned from the member's
// earlier replies (LearnSignature).
//
// The trimmer works line by line: each line is given a kind (text, empty, quote,
// attribution, header, delimiter, footer), the kinds are written as one letter per
// line, and a short list of rules over that string of letters decides which lines
// are the member's. Every rule is a precompiled RE2 expression, so the time taken is
// linear in the size of the body whatever the body holds.
package trim

import (
	"strings"

	"github.com/roundtablehq/roundtable/app/internal/lazyre"
)

// Result is a reply split into what the member wrote and what was trimmed away.
type Result struct {
	// Text is the member's new content, ready for the thread and the digest.
	Text string
	// Quoted is everything elided from Text, in its original order, so the app can
	// offer "show quoted text" without keeping the whole body twice.
	Quoted string
}

// Reply splits the text/plain body of a reply into the member's own words and the
// quoted part. Line endings become "\n", trailing white space is removed from every
// line, and both halves lose their leading and trailing blank lines.
func Reply(body string) Result {
	return reply(body, Signature{})
}

// ReplyWithSignature is Reply that also moves the member's own signature, learned
// from their earlier replies by LearnSignature, from the end of Text to Quoted.
func ReplyWithSignature(body string, sig Signature) Result {
	return reply(body, sig)
}

func reply(body string, sig Signature) Result {
	lines := prepare(body)
	kinds := classify(lines)
	var keep []bool
	// A sign-off under the quoted mail is set apart before the rules run, which
	// would take it for that mail's own footer.
	if start := trailingSignOff(lines, kinds); start >= 0 {
		keep = append(decide(kinds[:start]), make([]bool, len(kinds)-start)...)
		for i := start; i < len(kinds); i++ {
			keep[i] = kinds[i] == kindText || kinds[i] == kindEmpty
		}
	} else {
		keep = decide(kinds)
	}
	sig.drop(lines, keep)
	closeFooterGaps(lines, kinds, keep)

	var text, quoted []string
	for i, l := range lines {
		if keep[i] {
			text = append(text, l.text)
		} else {
			quoted = append(quoted, l.text)
		}
	}
	return Result{Text: joinTrimmed(text), Quoted: joinTrimmed(quoted)}
}

// closeFooterGaps unkeeps one of the blank lines around a footer dropped from the
// middle of the text ("Yes.", "", "Sent from my iPhone", "", "PS: …"), so that the
// member's paragraphs keep the one blank line they had around it.
func closeFooterGaps(lines []line, kinds []byte, keep []bool) {
	for i := 1; i+1 < len(lines); i++ {
		if kinds[i] != kindFooter || keep[i] {
			continue
		}
		end := i + 1
		for end < len(lines) && kinds[end] == kindFooter && !keep[end] {
			end++
		}
		if keep[i-1] && kinds[i-1] == kindEmpty && end < len(lines) && keep[end] && kinds[end] == kindEmpty {
			keep[end] = false
		}
		i = end
	}
}

// joinTrimmed joins lines with "\n" after dropping blank lines at both ends. The first
// kept line keeps its indentation: an indented code block may open a reply.
func joinTrimmed(lines []string) string {
	start, end := 0, len(lines)
	for start < end && isBlank(lines[start]) {
		start++
	}
	for end > start && isBlank(lines[end-1]) {
		end--
	}
	return strings.Join(lines[start:end], "\n")
}

// Line kinds, one letter each, so that the rules below can be written as regular
// expressions over the string of kinds.
const (
	kindText      = 't' // the member's words, or anything not recognised
	kindEmpty     = 'e' // blank
	kindQuote     = 'q' // starts with ">"
	kindMarker    = 'b' // attribution or "Original Message"/"Forwarded message" line
	kindHeader    = 'h' // part of a From:/Sent:/To:/Subject: block
	kindDelimiter = 'd' // "-- ", a long rule: everything after is signature or history
	kindFooter    = 's' // "Sent from my iPhone" and its cousins
)

// Rules over the string of kinds, in the order they are tried.
var (
	// History first, then the member's answer at the very end (bottom posting).
	ruleAnswerAtEnd = lazyre.New(`^(?:b[^t]+)*b[bqeh]+t[et]*$`)
	ruleAnswerStart = lazyre.New(`t[et]*$`)
	// Text, then an attribution with no quote after it: the history was pasted
	// without ">" (Outlook, Apple Mail, forwarded mail).
	ruleMarkerNoQuote = lazyre.New(`te*b[^q]*$`)
	// Text, then an attribution, its quote, and a few lines after it: those few
	// lines are the quoted mail's own footer, not the member's.
	ruleMarkerQuote = lazyre.New(`te*b[eqbh]*([te]*)$`)
	// Text followed by nothing but quotes and attributions: top posting.
	ruleQuoteAtEnd = lazyre.New(`te*[qbe]+$`)
	// Text followed by a header block (see markHeaderBlocks for its length).
	ruleHeaderBlock = lazyre.New(`t[eq]*hh`)
	// Quotes left hanging at the end once there is text to show.
	ruleTrailingQuote = lazyre.New(`[eq]+$`)
)

// maxFooterText is how many text lines may follow a quoted mail before they count as
// the member's own words rather than the quoted mail's footer.
const maxFooterText = 7

// decide returns, for each line, whether it belongs to the member's text.
func decide(kinds []byte) []bool {
	live := make([]int, len(kinds))
	for i := range live {
		live[i] = i
	}
	pattern := func() []byte {
		p := make([]byte, len(live))
		for i, n := range live {
			p[i] = kinds[n]
		}
		return p
	}
	drop := func(k byte) {
		out := live[:0]
		for _, n := range live {
			if kinds[n] != k {
				out = append(out, n)
			}
		}
		live = out
	}

	// Everything from the first delimiter on is a signature or someone else's mail.
	for i, n := range live {
		if kinds[n] == kindDelimiter {
			live = live[:i]
			break
		}
	}
	drop(kindFooter)

	p := pattern()
	switch {
	case len(p) == 0:
	case !containsKind(p, kindText) && containsKind(p, kindMarker):
		// Only quoted history with its attribution: the member wrote nothing.
		live = live[:0]
	case ruleAnswerAtEnd.Match(p):
		live = live[ruleAnswerStart.FindIndex(p)[0]:]
	case p[0] != kindMarker && ruleMarkerNoQuote.Match(p):
		live = live[:ruleMarkerNoQuote.FindIndex(p)[0]+1]
	default:
		if m := ruleMarkerQuote.FindSubmatchIndex(p); m != nil && countKind(p[m[2]:m[3]], kindText) < maxFooterText {
			live = live[:m[0]+1]
		} else if m := ruleQuoteAtEnd.FindIndex(p); m != nil {
			live = live[:m[0]+1]
		}
	}
	drop(kindMarker)

	if m := ruleHeaderBlock.FindIndex(pattern()); m != nil {
		live = live[:m[0]+1]
	}
	drop(kindHeader)

	if p := pattern(); containsKind(p, kindText) {
		if m := ruleTrailingQuote.FindIndex(p); m != nil {
			live = live[:m[0]]
		}
	}

	keep := make([]bool, len(kinds))
	for _, n := range live {
		keep[n] = true
	}
	return keep
}

func containsKind(p []byte, k byte) bool {
	for _, c := range p {
		if c == k {
			return true
		}
	}
	return false
}

func countKind(p []byte, k byte) int {
	n := 0
	for _, c := range p {
		if c == k {
			n++
		}
	}
	return n
}
