// Package render turns a coach's Markdown announcement into the email a member
// receives: a personalised subject, a sanitised inline-styled HTML part and a
// wrapped plain-text part (Render), and the RFC 5322 message bytes handed to SMTP
// (Build). The in-app preview calls the same Render, so what the coach previews is
// byte for byte what is sent.
package render

import (
	"bufio"
	"bytes"
	"net/url"
	"strings"
	"sync"

	"github.com/roundtablehq/roundtable/app"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Vars personalise one member's copy. Each field fills a placeholder that the coach
// may type in the subject, the Markdown or the footer:
//
//	{{first_name}} {{name}} {{email}} {{cohort}} {{coach_name}} {{unsubscribe}}
//
// A placeholder not in this list is sent as written and reported by Lint.
type Vars struct {
	FirstName  string // {{first_name}}; when empty, the first word of Name
	Name       string // {{name}}
	Email      string // {{email}}
	CohortName string // {{cohort}}
	CoachName  string // {{coach_name}}
	// Unsubscribe is the member's unsubscribe address (a mailto: URL, as in the
	// List-Unsubscribe header); {{unsubscribe}} becomes a link to it.
	Unsubscribe string
}

// DefaultFooter is the footer used when Content.Footer is empty. Every post and
// digest tells the member why they receive it, that a reply can stay between
// them and the coach, how to change how they get the mail, and how to stop, in
// both parts. The way out is a sentence with the link on its word, the way
// members know it from other mail, never the bare mailto: address.
const DefaultFooter = "You receive this because you are in {{cohort}}. Start a reply with *private* to write to " +
	"{{coach_name}} alone; reply *digest*, *individual* or *pause* to change how you get these emails.\n\n" +
	"Don’t want these emails? [Unsubscribe]({{unsubscribe}})."

// Content is what the coach wrote, before personalisation.
type Content struct {
	Subject  string
	Markdown string
	// Footer is Markdown shown under a rule at the end of both parts, with the
	// same placeholders; empty means DefaultFooter. Digests pass their own.
	Footer string
	// Parts, when set, is Markdown cut into runs of whole blocks that
	// concatenate to Markdown; each is rendered on its own and remembered by its
	// text, for documents made of pieces many members share (digests).
	Parts []string
}

// Body is one member's rendered copy: what Build puts in the message and what the
// preview shows.
type Body struct {
	Subject string // placeholders filled, one line
	HTML    string // a whole HTML document, sanitised
	Text    string // plain text, LF line ends, wrapped at TextWidth columns
	// Calendar is an iCalendar object (RFC 5545, CRLF line ends) sent as the
	// last alternative with its iTIP method (iMIP, RFC 6047): calendar apps
	// show it as an invitation with buttons to answer. nil for other mail.
	Calendar       string
	CalendarMethod string
}

// maxMarkdown bounds what Render accepts: an announcement is a few pages, and a
// runaway paste should be an error the coach sees, not a 50 MB email.
const maxMarkdown = 1 << 20

// Render fills the placeholders with v and renders c into one member's Body.
// Substitution happens on the Markdown source with every value escaped, so a
// member called "<script>" or "**x**" appears exactly as named and cannot add
// markup; the coach's own raw HTML is shown as text, never passed through.
func Render(c Content, v Vars) (Body, error) {
	if len(c.Markdown)+len(c.Footer) > maxMarkdown {
		return Body{}, app.Errorf(app.EINVALID, "The announcement is too long to send by email (over 1 MB of text).")
	}
	footer := c.Footer
	if footer == "" {
		footer = DefaultFooter
	}
	subject := Subject(c.Subject, v)

	r := renderers.Get().(*docRenderer)
	defer renderers.Put(r)

	mainSrc := substitute(c.Markdown, v, markdownValue)
	var body renderedBody
	ok := false
	if len(c.Parts) > 0 {
		var err error
		if body, err = r.renderParts(c.Parts, v); err != nil {
			return Body{}, err
		}
		ok = true
	} else {
		body, ok = bodies.get(mainSrc)
	}
	if !ok && mainSrc != c.Markdown {
		// Placeholders in the text: render the blocks that hold one, reuse the
		// rest (parts.go).
		sp, cached := splits.get(c.Markdown)
		if !cached {
			var err error
			if sp, err = r.split(c.Markdown); err != nil {
				return Body{}, err
			}
			splits.put(c.Markdown, sp)
		}
		if sp.parts != nil {
			var err error
			if body, err = r.renderSplit(sp, v); err != nil {
				return Body{}, err
			}
			ok = true
		}
	}
	if !ok {
		src := []byte(mainSrc)
		doc := r.md.Parser().Parse(text.NewReader(src))
		html, err := r.cleanBlocks(src, doc)
		if err != nil {
			return Body{}, err
		}
		body = renderedBody{html: html, text: r.text.part(src, doc)}
		bodies.put(mainSrc, body)
	}
	footSrc := []byte(substitute(footer, v, markdownValue))
	footDoc := r.md.Parser().Parse(text.NewReader(footSrc))
	foot, err := r.cleanBlocks(footSrc, footDoc)
	if err != nil {
		return Body{}, err
	}
	html, err := r.inPage(subject, body.html, foot)
	if err != nil {
		return Body{}, err
	}
	return Body{
		Subject: subject,
		HTML:    html,
		Text:    body.text + "\n-- \n" + r.text.part(footSrc, footDoc),
	}, nil
}

// bodies remembers the rendered main part of the last few documents, by their
// Markdown after substitution. A post or a digest without personal placeholders
// in its text is the same Markdown for every member of a cohort, so its 2,000
// copies are rendered once; only the subject and the footer (which holds the
// member's own unsubscribe link) are rendered per copy. Digests stand in
// placeholders for their per-member reply links (compose) for the same reason.
var bodies = fifo[renderedBody]{max: 4, maxBytes: 4 << 20, size: renderedBody.bytes}

// maxCachedSource keeps a runaway document out of the cache: memory stays a few
// megabytes whatever is sent.
const maxCachedSource = 256 << 10

type renderedBody struct{ html, text string }

func (b renderedBody) bytes() int { return len(b.html) + len(b.text) }

// fifo is a small first-in first-out cache by a document's text, safe for the
// outbox worker's goroutines. It holds at most max entries and about maxBytes of
// text (keys and values), so a run of unusually long posts cannot make it grow.
type fifo[V any] struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	size     func(V) int
	keys     []string
	bytes    int
	m        map[string]V
}

func (c *fifo[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *fifo[V]) put(key string, v V) {
	n := len(key) + c.size(v)
	if len(key) > maxCachedSource || n > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]V{}
	}
	if _, ok := c.m[key]; ok {
		return
	}
	for len(c.keys) > 0 && (len(c.keys) >= c.max || c.bytes+n > c.maxBytes) {
		old := c.keys[0]
		c.bytes -= len(old) + c.size(c.m[old])
		delete(c.m, old)
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, key)
	c.bytes += n
	c.m[key] = v
}

// docRenderer holds a goldmark instance and its buffers; goldmark's parser keeps
// per-parse state, so each goroutine takes its own from a pool.
type docRenderer struct {
	md     goldmark.Markdown
	bw     *bufio.Writer
	buf    bytes.Buffer // rendered Markdown blocks
	page   bytes.Buffer // the page template around them
	clean  bytes.Buffer
	pieces []string
	memo   map[string]string // sanitised pieces by their unsanitised HTML
	text   textRenderer
}

var renderers = sync.Pool{New: func() any { return &docRenderer{md: newMarkdown()} }}

// newMarkdown configures goldmark: GitHub-flavoured Markdown (tables,
// strikethrough, autolinks, task lists), single newlines kept as line breaks
// because coaches type emails line by line, inline styles added to every element,
// and raw HTML escaped rather than omitted so nothing the coach typed vanishes.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(styler{}, 100))),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(emailNodes{}, 10)),
		),
	)
}

// Placeholder names as the coach types them.
var placeholderNames = []string{"first_name", "name", "email", "cohort", "coach_name", "unsubscribe"}

func lookup(name string, v Vars) (string, bool) {
	switch name {
	case "first_name":
		if v.FirstName != "" {
			return v.FirstName, true
		}
		if f := strings.Fields(v.Name); len(f) > 0 {
			return f[0], true
		}
		return "", true
	case "name":
		return v.Name, true
	case "email":
		return v.Email, true
	case "cohort":
		return v.CohortName, true
	case "coach_name":
		return v.CoachName, true
	case "unsubscribe":
		return v.Unsubscribe, true
	}
	return "", false
}

// placeholders calls fn for every {{...}} in s with its start, end and trimmed
// name; it is the one scanner shared by substitution and Lint.
func placeholders(s string, fn func(start, end int, name string)) {
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return
		}
		start := i + j
		k := strings.Index(s[start+2:], "}}")
		if k < 0 {
			return
		}
		end := start + 2 + k + 2
		name := strings.TrimSpace(s[start+2 : end-2])
		if strings.ContainsAny(name, "{\n") {
			i = start + 2
			continue
		}
		fn(start, end, name)
		i = end
	}
}

// substitute replaces known placeholders in s by their value, formatted by esc.
func substitute(s string, v Vars, esc func(s string, start int, name, value string, b *strings.Builder)) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	last := 0
	placeholders(s, func(start, end int, name string) {
		val, ok := lookup(name, v)
		if !ok {
			return
		}
		b.WriteString(s[last:start])
		esc(s, start, name, val, &b)
		last = end
	})
	b.WriteString(s[last:])
	return b.String()
}

// Subject is a subject as one member reads it: its placeholders filled in as
// Render fills them.
func Subject(subject string, v Vars) string {
	return strings.TrimSpace(substitute(subject, v, subjectValue))
}

// CohortSubject is a subject as the whole cohort read it, for the window's
// titles: the cohort's and the coach's names filled in, and what differs from
// member to member named in angle quotes ("Welcome to Circle, ‹first name›").
func CohortSubject(subject, cohort, coach string) string {
	return Subject(subject, Vars{FirstName: "‹first name›", Name: "‹name›", Email: "‹email›",
		CohortName: cohort, CoachName: coach, Unsubscribe: "‹unsubscribe›"})
}

// subjectValue writes a value for a header: one line, control characters as spaces.
func subjectValue(_ string, _ int, _, val string, b *strings.Builder) {
	for _, r := range val {
		if r < 0x20 || r == 0x7f {
			r = ' '
		}
		b.WriteRune(r)
	}
}

// markdownValue writes a value into Markdown so that it reads as literal text:
// every ASCII punctuation mark is backslash-escaped (CommonMark allows that for all
// of them), line breaks become spaces. Inside a link destination the value is
// percent-encoded instead, so "[profile](https://x/?e={{email}})" stays one link.
// The unsubscribe address is the exception: when it is a well-formed mailto: or
// https: URL it becomes an autolink.
func markdownValue(src string, start int, name, val string, b *strings.Builder) {
	val = strings.TrimSpace(val)
	if name == "unsubscribe" && linkableURL(val) {
		b.WriteByte('<')
		b.WriteString(val)
		b.WriteByte('>')
		return
	}
	if inDestination(src, start) {
		b.WriteString(strings.ReplaceAll(url.QueryEscape(val), "+", "%20"))
		return
	}
	for _, r := range val {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case r < 0x80 && isASCIIPunct(byte(r)):
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		default:
			b.WriteRune(r)
		}
	}
}

// inDestination reports whether position i of Markdown src is inside a link
// destination: after "](" or inside an autolink "<scheme:", with no space,
// bracket or parenthesis in between.
func inDestination(src string, i int) bool {
	colon := false
	for j := i - 1; j >= 0; j-- {
		switch c := src[j]; c {
		case '(':
			return j > 0 && src[j-1] == ']'
		case '<':
			return colon
		case ':':
			colon = true
		case ' ', '\t', '\n', ')', '[', ']', '>':
			return false
		}
	}
	return false
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// linkableURL reports whether u can stand inside a Markdown autolink as a link a
// member may follow: mailto: or https:, with nothing that ends the autolink early.
func linkableURL(u string) bool {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "mailto:") && !strings.HasPrefix(l, "https://") {
		return false
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == '<' || c == '>' || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// walkLinks calls fn with the destination of every link, autolink and image in doc.
func walkLinks(doc ast.Node, src []byte, fn func(dest string, image bool)) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			fn(string(n.Destination), false)
		case *ast.Image:
			fn(string(n.Destination), true)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				fn(string(n.URL(src)), false)
			}
		}
		return ast.WalkContinue, nil
	})
}
