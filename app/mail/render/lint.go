package render

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/text"
)

// Limits Lint warns about.
const (
	// SubjectWarnLength is where many phone inboxes cut a subject off; it is also
	// RFC 5322's recommended line length.
	SubjectWarnLength = 78
	// GmailClipBytes is the size of HTML beyond which Gmail hides the rest of a
	// message behind "[Message clipped] View entire message", footer included.
	GmailClipBytes = 102 * 1024
)

// Lint returns advice for the coach about c before it is sent: a long subject,
// unknown placeholders in the footer, links a member cannot or should not
// follow, images and size. An empty result means nothing to look at; none of
// these stop Render or a send. What does stop a send (an empty subject or text,
// an unknown placeholder in either) is Check's, so it is not repeated here.
func Lint(c Content) []string {
	var out []string
	add := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}

	if n := utf8.RuneCountInString(strings.TrimSpace(c.Subject)); n > SubjectWarnLength {
		add("The subject is %d characters long; many mail apps cut it off after about %d.", n, SubjectWarnLength)
	}

	placeholders(c.Footer, func(start, end int, name string) {
		if _, ok := lookup(name, Vars{}); !ok {
			add("%s", unknownSentence(c.Footer[start:end], "footer", name)+" It will be sent as written.")
		}
	})

	r := renderers.Get().(*docRenderer)
	for _, part := range []string{c.Markdown, c.Footer} {
		src := []byte(part)
		doc := r.md.Parser().Parse(text.NewReader(src))
		walkLinks(doc, src, func(dest string, image bool) {
			lintLink(dest, image, add)
		})
	}

	renderers.Put(r)

	sample := Vars{FirstName: "Alexandra", Name: "Alexandra Example", Email: "alexandra@example.com",
		CohortName: "Cohort", CoachName: "Coach", Unsubscribe: "mailto:unsubscribe@example.com"}
	if b, err := Render(c, sample); err == nil && len(b.HTML) > GmailClipBytes {
		add("The email is %d KB of HTML; Gmail shows only the first %d KB and hides the rest, unsubscribe line included. Shorten it or move long parts to a link.",
			len(b.HTML)/1024, GmailClipBytes/1024)
	}
	return out
}

func lintLink(dest string, image bool, add func(string, ...any)) {
	what := "link"
	if image {
		what = "image"
	}
	l := strings.ToLower(strings.TrimSpace(dest))
	scheme, _, hasScheme := strings.Cut(l, ":")
	switch {
	case dest == "":
		add("A %s has no address.", what)
	case image && scheme == "data":
		add("An image is embedded in the text (%d KB); mail apps block embedded images and it will be removed. Put it on the web and link to it, or send it as an attachment.", len(dest)/1024)
	case scheme == "https":
		if image {
			add("The image %s is loaded from the web when the email is opened; some mail apps hide images until the member allows them, so do not put anything essential only in an image.", shorten(dest))
		}
	case scheme == "http":
		add("The %s %s does not use https; mail apps may flag it as unsafe. Use https:// if the site supports it.", what, shorten(dest))
	case scheme == "mailto" && !image:
	case !hasScheme || strings.ContainsAny(scheme, "/.?#"):
		add("The %s %s is not a full web address (https://…); it will not work in an email.", what, shorten(dest))
	default:
		add("The %s %s uses %s:, which mail apps do not open; it will be removed.", what, shorten(dest), scheme)
	}
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "…"
}
