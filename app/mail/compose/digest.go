package compose

import (
	"fmt"
	"net/url"
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
	zone := time.UTC
	if loc, err := time.LoadLocation(d.Zone); err == nil && d.Zone != "" {
		zone = loc
	}
	// Each post's subject as this member read it in their own copy.
	who := render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort, CoachName: from.Name}
	items := make([]app.DigestItem, len(d.Items))
	for i, it := range d.Items {
		it.PostSubject = render.Subject(it.PostSubject, who)
		items[i] = it
	}
	d.Items = items

	var posts, replies int
	groups := map[int64]int{}
	var order []int64
	for _, it := range d.Items {
		if _, ok := groups[it.PostID]; !ok {
			order = append(order, it.PostID)
		}
		if it.ReplyID == 0 {
			if !it.AlreadySent {
				posts++
			}
		} else {
			replies++
			groups[it.PostID]++
		}
		if _, ok := groups[it.PostID]; !ok {
			groups[it.PostID] = 0
		}
	}
	var b, full strings.Builder
	if d.Note != "" {
		b.WriteString(d.Note + "\n\n---\n\n")
	}
	// Items are handled by pointer: a busy week has thousands, and copying
	// each into per-post and "more" lists was most of the work.
	shown, more := 0, 0
	var rest []*app.DigestItem // the first listedReplies of those not shown in full
	var its []*app.DigestItem
	for _, postID := range order {
		var head *app.DigestItem
		its = its[:0]
		for i := range d.Items {
			if d.Items[i].PostID != postID {
				continue
			}
			if d.Items[i].ReplyID == 0 {
				head = &d.Items[i]
			} else {
				its = append(its, &d.Items[i])
			}
		}
		subject := subjectOf(head, its)
		switch {
		case head != nil && !head.AlreadySent:
			fmt.Fprintf(&b, "## %s\n\n%s\n\n[Reply to this post](%s)\n\n", escape(subject), head.Text, ItemMailto(from, subject, itemToken(d, head)))
		case head != nil:
			fmt.Fprintf(&b, "## %s\n\n*Sent to you on %s.*\n\n", escape(subject), head.At.In(zone).Format("Monday 2 January"))
		default:
			fmt.Fprintf(&b, "## %s\n\n", escape(subject))
		}
		if len(its) > 0 {
			fmt.Fprintf(&b, "%s\n\n", countLine(len(its), subject))
		}
		for _, it := range its {
			if shown >= fullReplies || b.Len()+full.Len() > maxDigestMarkdown {
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
			text, cut := cutText(it.Text, cutAt)
			b.WriteString(quote(text))
			if cut {
				b.WriteString(">\n> *… the rest is under “In full” at the end of this email.*\n")
				fmt.Fprintf(&full, "**%s** on “%s”\n\n%s\n", escape(it.Author), escape(subject), quote(it.Text))
			}
			fmt.Fprintf(&b, "\n[Reply to %s](%s)\n\n", escape(firstName(it.Author)), ItemMailto(from, subject, itemToken(d, it)))
		}
		b.WriteString("---\n\n")
	}
	if more > 0 {
		fmt.Fprintf(&b, "## %d more replies\n\n", more)
		for _, it := range rest {
			fmt.Fprintf(&b, "- **%s** on “%s”: %s [Reply](%s)\n", escape(it.Author), escape(it.PostSubject),
				escape(firstLine(it.Text, 80)), ItemMailto(from, it.PostSubject, itemToken(d, it)))
		}
		if more > len(rest) {
			fmt.Fprintf(&b, "\n*… and %s: a busy week. Your coach has them all.*\n", plural(more-len(rest), "more reply", "more replies"))
		}
		b.WriteString("\n---\n\n")
	}
	if full.Len() > 0 {
		b.WriteString("## In full\n\n" + full.String() + "\n")
	}
	b.WriteString("*Use a “Reply” link to answer one item; a reply to this whole email reaches your coach.*\n")
	return render.Content{Subject: digestSubject(d.Cohort, posts, replies, order, d.Items), Markdown: b.String()}
}

func subjectOf(head *app.DigestItem, its []*app.DigestItem) string {
	if head != nil {
		return head.PostSubject
	}
	return its[0].PostSubject
}

// digestSubject says what is new, with the count the member cares about:
// "[Spring mastermind] 4 new replies to “Week 3: your one big goal”".
func digestSubject(cohort string, posts, replies int, order []int64, items []app.DigestItem) string {
	prefix := "[" + cohort + "] "
	switch {
	case posts == 0 && len(order) == 1:
		return prefix + countLine(replies, items[0].PostSubject)
	case posts == 1 && replies == 0:
		for _, it := range items {
			if it.ReplyID == 0 && !it.AlreadySent {
				return prefix + "New: " + it.PostSubject
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
	for _, r := range s {
		if r < utf8.RuneSelf && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quote writes a member's text as a Markdown block quote, line for line.
func quote(s string) string {
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			b.WriteString(">\n")
			continue
		}
		b.WriteString("> " + escape(line))
		if i < len(lines)-1 && lines[i+1] != "" {
			b.WriteString("\\") // a hard line break: the member's lines stay lines
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// cutText cuts s at about n characters, at a word boundary, and reports
// whether it did.
func cutText(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n+n/5 {
		return s, false
	}
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
