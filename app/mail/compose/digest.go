package compose

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
)

// A digest is written as Markdown and goes through the same renderer as posts,
// so it gets the same HTML and plain text, the same escaping and the same
// footer. Members' words are escaped character by character: whatever a member
// wrote shows as written and can add no markup, link or placeholder.

// Digest limits: one calm email, never a dump.
const (
	// cutAt is where a long reply is cut at the top; its whole text follows
	// under "In full" at the end of the same email (there is no web page).
	cutAt = 600
	// fullReplies is how many replies a digest shows; past it, the rest are
	// listed by author with their own reply links.
	fullReplies = 60
	// listedReplies is how many of the rest are listed, one line each; past
	// it, only their number is given. Without a bound, a busy week (thousands
	// of replies) made a digest over the renderer's limit, and it was not sent
	// at all.
	listedReplies = 100
	// maxDigestMarkdown keeps the digest well under the renderer's limit.
	maxDigestMarkdown = 600 << 10
)

// ItemAddress is the reply address of a digest item; without plus-addressing
// the coach's own address (the item is then named in the subject).
func ItemAddress(from From, token string) string {
	if from.PlusAddressing {
		return replyaddr.ForItem(from.Email, token)
	}
	return from.Email
}

// ItemMailto is a digest item's "Reply to this" link: a new message to the
// item's reply address with "Re: <post subject>", so the answer lands on that
// item whatever the member's mail client does with the digest itself.
func ItemMailto(from From, subject, token string) string {
	s := "Re: " + subject
	if !from.PlusAddressing {
		s += " [ref i-" + token + "]"
	}
	return "mailto:" + ItemAddress(from, token) + "?subject=" + url.PathEscape(s)
}

// DigestContent writes one member's digest: the coach's note, then each post
// with its new replies (the most active first), each with its author, the time
// in the member's zone and its own reply link; long replies in full at the end.
func DigestContent(from From, d app.Digest) render.Content {
	return digestContent(from, d, func(it *app.DigestItem) string { return itemToken(d, it) })
}

// digestContent writes the digest with token giving each shown item's reply
// token.
func digestContent(from From, d app.Digest, token func(*app.DigestItem) string) render.Content {
	zone := time.UTC
	if loc, err := time.LoadLocation(d.Zone); err == nil && d.Zone != "" {
		zone = loc
	}
	// Each post's subject as this member read it in their own copy.
	// A week has a few posts and thousands of replies: one subject per post.
	who := render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort, CoachName: from.Name}
	subjects := map[int64]string{}
	subjectOf := func(it *app.DigestItem) string {
		s, ok := subjects[it.PostID]
		if !ok {
			s = render.Subject(it.PostSubject, who)
			subjects[it.PostID] = s
		}
		return s
	}

	// Items grouped by post in one pass, by pointer: a busy week has thousands,
	// and copying or rescanning them per post was most of the work.
	type group struct {
		head *app.DigestItem
		its  []*app.DigestItem
	}
	var posts, replies int
	index := map[int64]int{}
	var groups []group
	for i := range d.Items {
		it := &d.Items[i]
		g, ok := index[it.PostID]
		if !ok {
			g = len(groups)
			index[it.PostID] = g
			groups = append(groups, group{})
		}
		if it.ReplyID == 0 {
			groups[g].head = it
			if !it.AlreadySent {
				posts++
			}
		} else {
			replies++
			groups[g].its = append(groups[g].its, it)
		}
	}
	// The digest is written as parts, each a run of whole Markdown blocks: the
	// renderer renders a part once and reuses it for every member whose digest
	// has it (render.Content.Parts). Most of a week's digest is the same parts
	// for everyone; members differ by the replies they wrote themselves.
	var b strings.Builder
	var parts, fulls []string
	last, fullLen := 0, 0
	cut := func() {
		if b.Len() > last {
			parts = append(parts, b.String()[last:])
			last = b.Len()
		}
	}
	if d.Note != "" {
		b.WriteString(d.Note + "\n\n")
		cut()
		b.WriteString("---\n\n")
		cut()
	}
	shown, more := 0, 0
	var rest []*app.DigestItem // the first listedReplies of those not shown in full
	for _, g := range groups {
		head, its := g.head, g.its
		first := head
		if first == nil {
			first = its[0]
		}
		subject := subjectOf(first)
		switch {
		case head != nil && !head.AlreadySent:
			fmt.Fprintf(&b, "## %s\n\n", escape(subject))
			cut()
			fmt.Fprintf(&b, "%s\n\n", head.Text)
			cut()
			fmt.Fprintf(&b, "[Reply to this post](%s)\n\n", ItemMailto(from, subject, token(head)))
		case head != nil:
			fmt.Fprintf(&b, "## %s\n\n*Sent to you on %s.*\n\n", escape(subject), head.At.In(zone).Format("Monday 2 January"))
		default:
			fmt.Fprintf(&b, "## %s\n\n", escape(subject))
		}
		if len(its) > 0 {
			fmt.Fprintf(&b, "%s\n\n", countLine(len(its), subject))
		}
		cut()
		for _, it := range its {
			if shown >= fullReplies || b.Len()+fullLen > maxDigestMarkdown {
				if more++; len(rest) < listedReplies {
					rest = append(rest, it)
				}
				continue
			}
			shown++
			mark := ""
			switch {
			case it.Pinned:
				mark = " · pinned by your coach"
			case it.Highlighted:
				mark = " · highlighted by your coach"
			}
			fmt.Fprintf(&b, "**%s**, %s%s\n\n", escape(it.Author), it.At.In(zone).Format("Mon 2 Jan, 15:04"), mark)
			text, isCut := cutText(it.Text, cutAt)
			quoteTo(&b, text)
			if isCut {
				b.WriteString(">\n> *… the rest is under “In full” at the end of this email.*\n")
				f := fmt.Sprintf("**%s** on “%s”\n\n%s\n", escape(it.Author), escape(subject), quote(it.Text))
				fulls = append(fulls, f)
				fullLen += len(f)
			}
			fmt.Fprintf(&b, "\n[Reply to %s](%s)\n\n", escape(firstName(it.Author)), ItemMailto(from, subject, token(it)))
			cut()
		}
		b.WriteString("---\n\n")
		cut()
	}
	if more > 0 {
		fmt.Fprintf(&b, "## %d more replies\n\n", more)
		for _, it := range rest {
			subject := subjectOf(it)
			fmt.Fprintf(&b, "- **%s** on “%s”: %s [Reply](%s)\n", escape(it.Author), escape(subject),
				escape(firstLine(it.Text, 80)), ItemMailto(from, subject, token(it)))
		}
		if more > len(rest) {
			fmt.Fprintf(&b, "\n*… and %s: a busy week. Your coach has them all.*\n", plural(more-len(rest), "more reply", "more replies"))
		}
		b.WriteString("\n---\n\n")
		cut()
	}
	if len(fulls) > 0 {
		b.WriteString("## In full\n\n")
		cut()
		for _, f := range fulls {
			b.WriteString(f)
			cut()
		}
		b.WriteString("\n")
	}
	b.WriteString("*Use a “Reply” link to answer one item; a reply to this whole email reaches your coach.*\n")
	cut()
	return render.Content{Subject: digestSubject(d.Cohort, posts, replies, len(groups), d.Items, subjectOf), Markdown: b.String(), Parts: parts}
}

// digestSubject says what is new, with the count the member cares about:
// "[Spring mastermind] 4 new replies to “Week 3: your one big goal”".
func digestSubject(cohort string, posts, replies, nposts int, items []app.DigestItem, subjectOf func(*app.DigestItem) string) string {
	prefix := "[" + cohort + "] "
	switch {
	case posts == 0 && nposts == 1:
		return prefix + countLine(replies, subjectOf(&items[0]))
	case posts == 1 && replies == 0:
		for i := range items {
			if items[i].ReplyID == 0 && !items[i].AlreadySent {
				return prefix + "New: " + subjectOf(&items[i])
			}
		}
	}
	var parts []string
	if replies > 0 {
		parts = append(parts, plural(replies, "new reply", "new replies"))
	}
	if posts > 0 {
		parts = append(parts, plural(posts, "new post", "new posts"))
	}
	return prefix + strings.Join(parts, " and ")
}

func countLine(n int, subject string) string {
	return plural(n, "new reply", "new replies") + " to “" + subject + "”"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// escape makes text literal in Markdown: every ASCII punctuation character is
// backslash-escaped (CommonMark turns "\x" back into "x"), so "**", "<b>",
// "[x](y)", "{{email}}" and "# " stay as typed.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	escapeTo(&b, s)
	return b.String()
}

func escapeTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf && markdownPunct[c] {
			b.WriteString(s[:i])
			b.WriteByte('\\')
			s = s[i:]
			i = 0
		}
	}
	b.WriteString(s)
}

// markdownPunct marks ASCII punctuation, which CommonMark lets a backslash escape.
var markdownPunct = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" {
		t[c] = true
	}
	return t
}()

// quote writes a member's text as a Markdown block quote, line for line.
func quote(s string) string {
	var b strings.Builder
	quoteTo(&b, s)
	return b.String()
}

func quoteTo(b *strings.Builder, s string) {
	s = strings.TrimRight(s, "\n")
	for {
		line, next, more := strings.Cut(s, "\n")
		line = strings.TrimRight(line, " \t")
		if line == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> ")
			escapeTo(b, line)
			if more && next != "" && next[0] != '\n' {
				b.WriteByte('\\') // a hard line break: the member's lines stay lines
			}
			b.WriteByte('\n')
		}
		if !more {
			return
		}
		s = next
	}
}

// cutText cuts s at about n characters, at a word boundary, and reports
// whether it did.
func cutText(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n+n/5 {
		return s, false
	}
	// Walk to the cut by byte offsets: the digest cuts the same long replies
	// for every member, so no copy of the whole text as runes.
	end, k := len(s), 0
	for i := range s {
		if k == n {
			end = i
			break
		}
		k++
	}
	if !utf8.ValidString(s[:end]) {
		return cutRunes(s, n)
	}
	for r := n; r > n/2 && s[end] != ' ' && s[end] != '\n'; r-- {
		_, size := utf8.DecodeLastRuneInString(s[:end])
		end -= size
	}
	return strings.TrimRight(s[:end], " \n") + " …", true
}

// cutRunes is cutText for text that is not valid UTF-8, whose bad bytes become
// U+FFFD as they would in any case.
func cutRunes(s string, n int) (string, bool) {
	runes := []rune(s)
	cut := n
	for cut > n/2 && runes[cut] != ' ' && runes[cut] != '\n' {
		cut--
	}
	return strings.TrimRight(string(runes[:cut]), " \n") + " …", true
}

func firstLine(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	t, _ := cutText(s, n)
	return t
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return "this"
}

// previewToken stands in for item tokens in a preview: nothing is recorded, so
// no real token exists yet; the links show their shape.
const previewToken = "preview"

// PreviewDigest renders a digest that is not recorded yet, for the coach to see
// exactly what the member will get.
func PreviewDigest(from From, d app.Digest, sendAt time.Time) (app.DigestPreview, error) {
	for i := range d.Items {
		d.Items[i].Token = previewToken
		subject := render.Subject(d.Items[i].PostSubject, render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort, CoachName: from.Name})
		d.Items[i].ReplyTo = ItemMailto(from, subject, previewToken)
	}
	p := app.DigestPreview{SendAt: sendAt, Items: d.Items, Empty: app.DigestNews(d.Items) == 0}
	b, err := render.Render(DigestContent(from, d), render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort,
		CoachName: from.Name, Unsubscribe: UnsubscribeURL(from, previewToken)})
	if err != nil {
		return p, err
	}
	p.Subject, p.Text, p.HTML = b.Subject, b.Text, b.HTML
	return p, nil
}

// itemToken is the item's reply token: the one it carries, or one made now.
func itemToken(d app.Digest, it *app.DigestItem) string {
	if it.Token == "" && d.ItemToken != nil {
		return d.ItemToken(it.ID)
	}
	return it.Token
}

// A digest's reply links are the only part of its text that differs between
// two members in the same zone who did not reply themselves. Message writes
// stand-ins for the item tokens, so those members' digests are the same
// Markdown and the renderer does the work once (render's body cache); the
// tokens go in after rendering. A stand-in has a token's length and alphabet,
// so the plain text wraps exactly as with the token, and a prefix drawn at
// start, so no member's text can contain one.
const slotNumberDigits = 26 - len("xxxxxxxx")

var slotPrefix = func() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}()

// tokenSlots collects the tokens a digest's stand-ins stand for. A stand-in
// names its item, not its place in the digest, so a part of the digest reads the
// same for every member who gets it.
type tokenSlots struct{ tokens map[int64]string }

// slot records the item's token and returns its stand-in.
func (s *tokenSlots) slot(d app.Digest) func(*app.DigestItem) string {
	return func(it *app.DigestItem) string {
		if s.tokens == nil {
			s.tokens = map[int64]string{}
		}
		s.tokens[it.ID] = itemToken(d, it)
		return fmt.Sprintf("%s%0*d", slotPrefix, slotNumberDigits, it.ID)
	}
}

// fill puts the tokens in place of their stand-ins.
func (s *tokenSlots) fill(text string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, slotPrefix)
		if i < 0 || len(text) < i+len(slotPrefix)+slotNumberDigits {
			break
		}
		id, err := strconv.ParseInt(text[i+len(slotPrefix):i+len(slotPrefix)+slotNumberDigits], 10, 64)
		tok, ok := s.tokens[id]
		if err != nil || !ok {
			b.WriteString(text[:i+len(slotPrefix)])
			text = text[i+len(slotPrefix):]
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(text))
		}
		b.WriteString(text[:i])
		b.WriteString(tok)
		text = text[i+len(slotPrefix)+slotNumberDigits:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text)
	return b.String()
}
