// Package thread decides which post an incoming reply answers and whose reply it
// is, in order of certainty: the reply token in the address Roundtable gave the
// member, then the Message-IDs the reply cites, then — a guess — its subject and
// sender. Every decision carries its reason in the coach's words, and a reply
// whose sender does not fit goes to the unmatched queue instead of a thread, so
// nobody can post as somebody else.
package thread

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/trim"
)

// Lookup is what matching needs to know about clients and sent mail; the store
// provides it.
type Lookup interface {
	FindClientByEmail(ctx context.Context, email string) (app.Client, error)
	SentByToken(ctx context.Context, token string) (app.SentRef, error)
	SentByMessageID(ctx context.Context, id string) (app.SentRef, error)
	PostsBySubject(ctx context.Context, subject string, clientID int64) ([]app.SentRef, error)
	IsCurrentMember(ctx context.Context, cohortID, clientID int64) (bool, error)
	SentByItemToken(ctx context.Context, token string) (app.SentRef, error)
	Digest(ctx context.Context, id int64) (app.Digest, error)
}

// Match is where a reply belongs. A threaded reply has Reason set and Unmatched
// empty; an unmatched one says why in Unmatched and may still name the post it
// seems to answer (PostID) and the client its address belongs to (ClientID).
type Match struct {
	PostID    int64
	CohortID  int64  // the post's cohort
	Subject   string // the post's subject
	ClientID  int64
	Reason    string // app.MatchToken, app.MatchInReplyTo, ...
	Guess     bool
	Unmatched string
	// SessionID is set when the message answered is mail about a live
	// session: a short reply may then be an RSVP ("yes", "can't make it").
	SessionID int64
	// LessonID is set when the message answered carried a lesson: the reply
	// is its check-in, and a "done" marks it completed.
	LessonID int64
}

// Threaded reports whether the reply goes under a post.
func (m Match) Threaded() bool { return m.Unmatched == "" && m.PostID != 0 }

// Sender returns the client who sent m (by address or alias), and false when the
// address is nobody's.
func Sender(ctx context.Context, lk Lookup, m *message.Message) (app.Client, bool, error) {
	if m.From.Email == "" {
		return app.Client{}, false, nil
	}
	c, err := lk.FindClientByEmail(ctx, m.From.Email)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Client{}, false, nil
	}
	return c, err == nil, err
}

// Tokens returns the reply tokens in the addresses a message was delivered to
// (To, Cc, Delivered-To), without repeats.
func Tokens(m *message.Message) []string {
	var toks []string
	add := func(addr string) {
		if t, ok := replyaddr.Token(addr); ok {
			for _, have := range toks {
				if have == t {
					return
				}
			}
			toks = append(toks, t)
		}
	}
	for _, a := range m.To {
		add(a.Email)
	}
	for _, a := range m.Cc {
		add(a.Email)
	}
	for _, a := range m.DeliveredTo {
		add(a)
	}
	return toks
}

// ItemTokens returns the digest item tokens a message was sent to: in a
// plus-address, or named "[ref i-TOKEN]" in the subject where the coach's
// provider has no plus-addressing.
func ItemTokens(m *message.Message) []string {
	var toks []string
	add := func(t string) {
		if !slices.Contains(toks, t) {
			toks = append(toks, t)
		}
	}
	for _, a := range append(append(append([]message.Address{}, m.To...), m.Cc...), addresses(m.DeliveredTo)...) {
		if t, ok := replyaddr.ItemTokenOf(a.Email); ok {
			add(t)
		}
	}
	for _, sm := range subjectItemToken.FindAllStringSubmatch(strings.ToLower(m.Subject), -1) {
		add(sm[1])
	}
	return toks
}

var subjectItemToken = regexp.MustCompile(`\[ref i-([a-z2-7]{26})\]`)

func addresses(emails []string) []message.Address {
	out := make([]message.Address, len(emails))
	for i, e := range emails {
		out[i] = message.Address{Email: e}
	}
	return out
}

// byQuote places a reply to a digest as a whole by what it quotes: the one
// item whose words the quoted part holds. Quoting none, or several (a mail
// client that quotes the whole digest), it waits for the coach, with the
// digest named as context.
func byQuote(ctx context.Context, lk Lookup, m *message.Message, ref app.SentRef, match Match) (Match, error) {
	d, err := lk.Digest(ctx, ref.DigestID)
	if err != nil {
		return Match{}, err
	}
	quoted := letters(trim.Reply(m.Text).Quoted)
	var hits []app.DigestItem
	seen := map[int64]bool{}
	for _, it := range d.Items {
		key := letters(it.Text)
		if len(key) > 80 {
			key = key[:80]
		}
		if len(key) < 16 || seen[it.ID] || !strings.Contains(quoted, key) {
			continue
		}
		seen[it.ID] = true
		hits = append(hits, it)
	}
	if len(hits) == 1 {
		match.PostID, match.Subject, match.Reason, match.CohortID = hits[0].PostID, hits[0].PostSubject, app.MatchQuote, d.CohortID
		return match, nil
	}
	var titles []string
	for _, it := range d.Items {
		if !slices.Contains(titles, "“"+it.PostSubject+"”") {
			titles = append(titles, "“"+it.PostSubject+"”")
		}
	}
	what := "quotes none of its items"
	if len(hits) > 1 {
		what = fmt.Sprintf("quotes %d of its items", len(hits))
	}
	match.Unmatched = fmt.Sprintf("It answers the digest of %s as a whole and %s. The digest carried %s.",
		d.Until.Format("2 January"), what, strings.Join(titles, ", "))
	return match, nil
}

// letters keeps only the letters and digits of s, lower-cased, one space
// between words: quoted text and the item it came from compare equal whatever
// the mail client did to quote marks, wrapping and Markdown.
func letters(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

// CitedIDs returns the Message-IDs a message answers, the most telling first:
// In-Reply-To, then References from the newest back.
func CitedIDs(m *message.Message) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range m.InReplyTo {
		add(id)
	}
	for i := len(m.References) - 1; i >= 0; i-- {
		add(m.References[i])
	}
	return ids
}

// Find decides where reply m belongs.
func Find(ctx context.Context, lk Lookup, m *message.Message) (Match, error) {
	sender, known, err := Sender(ctx, lk, m)
	if err != nil {
		return Match{}, err
	}
	var match Match
	if known {
		match.ClientID = sender.ID
	}
	from := m.From.Email
	if from == "" {
		from = "an unknown sender"
	}

	// 1. The reply token: it names the post (or the digest item) and the member.
	type token struct {
		get    func() (app.SentRef, error)
		reason string
	}
	var tokens []token
	for _, tok := range ItemTokens(m) {
		tokens = append(tokens, token{func() (app.SentRef, error) { return lk.SentByItemToken(ctx, tok) }, app.MatchItem})
	}
	for _, tok := range Tokens(m) {
		tokens = append(tokens, token{func() (app.SentRef, error) { return lk.SentByToken(ctx, tok) }, app.MatchToken})
	}
	for _, t := range tokens {
		ref, err := t.get()
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return Match{}, err
		}
		if known && sender.ID == ref.ClientID && ref.Digest {
			return byQuote(ctx, lk, m, ref, match)
		}
		match.PostID, match.Subject, match.CohortID, match.SessionID, match.LessonID = ref.PostID, ref.Subject, ref.CohortID, ref.SessionID, ref.LessonID
		if known && sender.ID == ref.ClientID {
			match.Reason = t.reason
			return match, nil
		}
		if ref.Digest {
			match.PostID, match.Subject = 0, ""
		}
		match.Unmatched = fmt.Sprintf("The reply address was given to %s <%s>, but this came from %s.", ref.Name, ref.Email, from)
		return match, nil
	}

	// 2. The Message-IDs it answers.
	inReplyTo := map[string]bool{}
	for _, id := range m.InReplyTo {
		inReplyTo[id] = true
	}
	for _, id := range CitedIDs(m) {
		ref, err := lk.SentByMessageID(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return Match{}, err
		}
		if ref.Digest && known && sender.ID == ref.ClientID {
			return byQuote(ctx, lk, m, ref, match)
		}
		if ref.Digest {
			match.Unmatched = fmt.Sprintf("It answers the digest sent to %s <%s>, but came from %s.", ref.Name, ref.Email, from)
			return match, nil
		}
		match.PostID, match.Subject, match.CohortID, match.SessionID, match.LessonID = ref.PostID, ref.Subject, ref.CohortID, ref.SessionID, ref.LessonID
		if !known {
			match.Unmatched = fmt.Sprintf("It answers %q, but %s is not one of your clients.", ref.Subject, from)
			return match, nil
		}
		member := sender.ID == ref.ClientID
		if !member {
			if member, err = lk.IsCurrentMember(ctx, ref.CohortID, sender.ID); err != nil {
				return Match{}, err
			}
		}
		if !member {
			match.Unmatched = fmt.Sprintf("It answers %q, but %s is not a member of that cohort.", ref.Subject, sender.Name)
			return match, nil
		}
		switch {
		case ref.ClientID == 0:
			match.Reason, match.Guess = app.MatchThread, true
		case ref.ClientID != sender.ID:
			// A member citing another member's copy (forwarded to them, or a
			// reply-all): the post is likely right, the author is not proven.
			match.Reason, match.Guess = app.MatchOtherCopy, true
		case inReplyTo[id]:
			match.Reason = app.MatchInReplyTo
		default:
			match.Reason = app.MatchReferences
		}
		return match, nil
	}

	// 3. "Re:" and the subject of a post to a cohort the sender is in: a guess.
	if base, isReply := ReplySubject(m.Subject); known && isReply && base != "" {
		refs, err := lk.PostsBySubject(ctx, base, sender.ID)
		if err != nil {
			return Match{}, err
		}
		if len(refs) > 0 {
			match.PostID, match.Subject, match.CohortID = refs[0].PostID, refs[0].Subject, refs[0].CohortID
			match.Reason, match.Guess = app.MatchSubject, true
			return match, nil
		}
	}

	if known {
		match.Unmatched = "It has no reply address, cites no message Roundtable sent, and its subject matches no announcement to " + sender.Name + "'s cohorts."
	} else {
		match.Unmatched = from + " is not one of your clients, and the message names no announcement."
	}
	return match, nil
}

// replyPrefixes are the "Re:" of the languages mail clients write in (Outlook's
// localised ones among them: Italian "R:", Hungarian "Vá:", Greek "ΑΠ:", Korean
// "회신:", Japanese "返信:"...), lower case.
var replyPrefixes = []string{"re", "aw", "sv", "vs", "antw", "antwort", "réf", "ref", "rif", "r", "res", "odp", "odg",
	"ynt", "atb", "vá", "válasz", "απ", "σχετ", "отв", "ответ", "відп", "отг", "balas", "trả lời", "השב", "رد",
	"회신", "답장", "返信", "回复", "回覆", "答复", "答覆"}

// forwardPrefixes are not replies, but are stripped when they come after a "Re:".
var forwardPrefixes = []string{"fw", "fwd", "wg", "tr", "rv", "i", "pd", "vb", "vl", "enc", "doorst", "továbbítás", "προώθ", "пер", "转发", "転送", "전달"}

// prefixEnd returns where the first colon of s is, ASCII or full-width (Chinese
// and Japanese clients write "回复："), and the colon's length; -1 when none.
func prefixEnd(s string) (int, int) {
	i := strings.IndexByte(s, ':')
	if j := strings.Index(s, "："); j >= 0 && (i < 0 || j < i) {
		return j, len("：")
	}
	return i, 1
}

// ReplySubject strips the reply prefixes ("Re:", "AW:", "RE[2]:", "Re: Re:") and
// a mailing tag from a subject, and reports whether there was at least one.
func ReplySubject(s string) (string, bool) {
	s = strings.TrimSpace(s)
	isReply := false
	for {
		i, n := prefixEnd(s)
		if i < 0 {
			break
		}
		word, rest := s[:i], s[i+n:]
		w := strings.ToLower(strings.TrimSpace(word))
		if i := strings.IndexAny(w, "[("); i > 0 { // RE[2]: or Re(3):
			w = w[:i]
		}
		w = strings.TrimSpace(w)
		switch {
		case contains(replyPrefixes, w):
			isReply = true
		case isReply && contains(forwardPrefixes, w):
		default:
			return s, isReply
		}
		s = strings.TrimSpace(rest)
	}
	return s, isReply
}

func contains(list []string, w string) bool {
	for _, l := range list {
		if l == w {
			return true
		}
	}
	return false
}
