package trim

import (
	"strings"
	"unicode/utf8"
)

// Signature is the block of lines a member ends their mails with when their client
// adds no "-- " above it: a name, a title, a phone number, a web address. Nothing in
// the lines themselves tells such a block from the member's words; that it comes back
// unchanged at the end of reply after reply does.
//
// The zero Signature matches nothing.
type Signature struct {
	// lines are the block's non-blank lines, normalised (see signatureKey).
	lines []string
}

const (
	// minSignatureReplies is how many earlier replies must end with the same block
	// before it is taken for a signature: one reply could end with anything.
	minSignatureReplies = 2
	// minSignatureLines keeps a lone repeated line ("Tom") in the text: it costs
	// the coach nothing to read and may be the member's whole greeting.
	minSignatureLines = 2
	// maxSignatureLines bounds the block looked for at the end of each reply.
	maxSignatureLines = 8
	// maxSignatureLineLen: signature lines are short; a long line is prose.
	maxSignatureLineLen = 80
)

// LearnSignature finds the signature in a member's earlier replies, given their
// texts as Reply returned them (so that quoted history does not hide the end of
// what the member wrote). It is the longest block of lines, at least
// minSignatureLines long, that at least minSignatureReplies of them end with. A
// sign-off above the block ("Best,") stays the member's, and so does a line that
// ends like a sentence ("See you Saturday!"): both are words, not a signature.
func LearnSignature(earlierTexts []string) Signature {
	tails := make([][]string, 0, len(earlierTexts))
	for _, t := range earlierTexts {
		tails = append(tails, signatureTail(t))
	}
	for n := maxSignatureLines; n >= minSignatureLines; n-- {
		count := map[string]int{}
		best, bestCount := "", 0
		for _, tail := range tails {
			if len(tail) < n {
				continue
			}
			key := strings.Join(tail[len(tail)-n:], "\n")
			count[key]++
			if count[key] > bestCount {
				best, bestCount = key, count[key]
			}
		}
		if bestCount >= minSignatureReplies {
			return Signature{lines: strings.Split(best, "\n")}
		}
	}
	return Signature{}
}

// LearnSignatureFromReplies is LearnSignature over earlier replies kept as
// ReplyWithSignature split them (the inbox stores Text and Quoted); see Written.
func LearnSignatureFromReplies(earlier []Result) Signature {
	texts := make([]string, 0, len(earlier))
	for _, r := range earlier {
		texts = append(texts, Written(r))
	}
	return LearnSignature(texts)
}

// Written returns what the member wrote, their signature included, from a reply
// that Reply or ReplyWithSignature split: once a signature is known it is cut from
// Text to the head of Quoted, so the halves are joined and trimmed again without
// one. A blank line may stand between the words and the signature where the
// member had none; LearnSignature, which learns from such texts, skips blank lines.
func Written(r Result) string {
	if r.Quoted == "" {
		return r.Text
	}
	return Reply(r.Text + "\n\n" + r.Quoted).Text
}

// Known reports whether a signature was learned: the zero Signature cuts nothing.
func (s Signature) Known() bool { return len(s.lines) > 0 }

// signatureTail returns the last lines of text that could belong to a signature,
// normalised: it stops at a sign-off, at a line that ends like a question or an
// exclamation, at a long line, or after maxSignatureLines.
func signatureTail(text string) []string {
	var tail []string
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0 && len(tail) < maxSignatureLines; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if !signatureShaped(l) {
			break
		}
		tail = append(tail, signatureKey(l))
	}
	for i, j := 0, len(tail)-1; i < j; i, j = i+1, j-1 {
		tail[i], tail[j] = tail[j], tail[i]
	}
	return tail
}

// signatureShaped reports a line that may be part of a signature block.
func signatureShaped(l string) bool {
	return utf8.RuneCountInString(l) <= maxSignatureLineLen && !strings.HasSuffix(l, "!") &&
		!strings.HasSuffix(l, "?") && !isSignOffLine(l, true)
}

// signatureKey normalises a line for comparison: mail clients re-wrap and re-space
// a signature, and members retype it with other capitals.
func signatureKey(l string) string {
	return strings.ToLower(strings.Join(strings.Fields(l), " "))
}

// drop unkeeps the signature's lines when the kept text ends with them, with the
// blank lines between them, so that they go to Quoted in their place in the body.
// Nothing is dropped when the signature is all the member kept.
func (s Signature) drop(lines []line, keep []bool) {
	if len(s.lines) == 0 {
		return
	}
	var at []int // indices of the block's lines, last first
	i := len(lines) - 1
	for ; i >= 0 && len(at) < len(s.lines); i-- {
		if !keep[i] || isBlank(lines[i].text) {
			continue
		}
		if signatureKey(lines[i].text) != s.lines[len(s.lines)-1-len(at)] {
			return
		}
		at = append(at, i)
	}
	if len(at) < len(s.lines) {
		return
	}
	for ; i >= 0; i-- {
		if keep[i] && !isBlank(lines[i].text) {
			break
		}
	}
	if i < 0 {
		return
	}
	for k := at[len(at)-1]; k < len(lines); k++ {
		keep[k] = false
	}
}
