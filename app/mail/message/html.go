package message

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxNesting caps the quote marks and list indents written for nested HTML, so
// that thousands of nested blockquotes cannot make every line enormous.
const maxNesting = 20

// maxLinkText caps the text remembered for an open link; a link's text is only
// compared with its address.
const maxLinkText = 2048

// HTMLToText turns an HTML body into readable plain text for members whose mail
// client sends only HTML: paragraphs and line breaks are kept, lists get "- " or
// "1. ", links read "text (url)", and blockquotes become "> " lines so the reply
// trimmer can recognise quoted history. It streams tokens, so it takes time
// linear in the input however deeply the HTML nests.
func HTMLToText(src string) string {
	return htmlToText(src, 2*len(src)+4096)
}

// htmlToText converts src, stopping once the text reaches max bytes: real HTML
// never gives more text than markup, but nesting tricks could multiply it.
func htmlToText(src string, max int) string {
	c := &htmlText{}
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if c.b.Len() > max {
			tt = html.ErrorToken
		}
		switch tt {
		case html.ErrorToken:
			return c.result()
		case html.TextToken:
			if c.skip == 0 {
				c.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var attrs map[string]string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					if attrs == nil {
						attrs = map[string]string{}
					}
					attrs["href"] = string(v)
				}
			}
			c.start(atom.Lookup(name), attrs, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(atom.Lookup(name))
		}
	}
}

// htmlText is the state of one HTMLToText conversion.
type htmlText struct {
	b          strings.Builder
	line       strings.Builder // the current line, without its quote prefix
	quote      int
	pre        int
	skip       int
	lists      []listState
	links      []linkState
	space      bool // a space is pending before the next word
	blankNext  bool // a blank line is wanted before the next text
	blankQuote int  // the quote depth the blank line belongs to
}

type listState struct {
	ordered bool
	n       int
}

type linkState struct {
	href string
	text []byte // a strings.Builder would be copied when the slice grows
}

func (c *htmlText) start(a atom.Atom, attrs map[string]string, selfClosing bool) {
	switch a {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template, atom.Noscript, atom.Svg:
		if !selfClosing {
			c.skip++
		}
	case atom.Body:
		c.skip = 0
	case atom.Br:
		c.newline()
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Ul, atom.Ol, atom.Dl:
		c.paragraph()
		if a == atom.Ul || a == atom.Ol {
			c.lists = append(c.lists, listState{ordered: a == atom.Ol})
		}
	case atom.Div, atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Address, atom.Center, atom.Dt, atom.Dd, atom.Figure:
		c.newline()
	case atom.Hr:
		c.newline()
		c.word("---")
		c.newline()
	case atom.Pre:
		c.paragraph()
		c.pre++
	case atom.Blockquote:
		c.paragraph()
		c.quote++
	case atom.Li:
		c.newline()
		indent := len(c.lists) - 1
		if indent > maxNesting {
			indent = maxNesting
		}
		if indent > 0 {
			c.line.WriteString(strings.Repeat("  ", indent))
		}
		if n := len(c.lists); n > 0 && c.lists[n-1].ordered {
			c.lists[n-1].n++
			c.line.WriteString(strconv.Itoa(c.lists[n-1].n) + ". ")
		} else {
			c.line.WriteString("- ")
		}
		c.space = false
	case atom.Td, atom.Th:
		c.space = true
	case atom.A:
		if !selfClosing && len(c.links) < maxNesting {
			c.links = append(c.links, linkState{href: strings.TrimSpace(attrs["href"])})
		}
	}
}

func (c *htmlText) end(a atom.Atom) {
	switch a {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template, atom.Noscript, atom.Svg:
		if c.skip > 0 {
			c.skip--
		}
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table:
		c.paragraph()
	case atom.Ul, atom.Ol:
		if len(c.lists) > 0 {
			c.lists = c.lists[:len(c.lists)-1]
		}
		c.paragraph()
	case atom.Div, atom.Tr, atom.Li, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Address, atom.Center, atom.Dt, atom.Dd, atom.Figure:
		c.newline()
	case atom.Pre:
		if c.pre > 0 {
			c.pre--
		}
		c.paragraph()
	case atom.Blockquote:
		c.paragraph()
		if c.quote > 0 {
			c.quote--
		}
	case atom.A:
		if n := len(c.links); n > 0 {
			l := &c.links[n-1]
			c.links = c.links[:n-1]
			c.linkSuffix(l)
		}
	}
}

// linkSuffix writes " (url)" after a link's text unless the text already says it.
func (c *htmlText) linkSuffix(l *linkState) {
	href := l.href
	lower := strings.ToLower(href)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
	case strings.HasPrefix(lower, "mailto:"):
		href = href[len("mailto:"):]
		if i := strings.IndexByte(href, '?'); i >= 0 {
			href = href[:i]
		}
	default:
		return // anchors, javascript: and the like mean nothing in plain text
	}
	text := strings.TrimSpace(string(l.text))
	if text == "" {
		c.word(href)
		return
	}
	if text == href || text == l.href || strings.TrimSuffix(text, "/") == strings.TrimSuffix(href, "/") {
		return
	}
	c.space = true
	c.word("(" + href + ")")
}

// text writes a run of text, collapsing white space outside <pre>.
func (c *htmlText) text(s string) {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	for i := range c.links {
		if len(c.links[i].text) < maxLinkText {
			c.links[i].text = append(c.links[i].text, s...)
		}
	}
	if c.pre > 0 {
		lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		for i, l := range lines {
			if i > 0 {
				c.newline()
			}
			c.flushBlank()
			c.line.WriteString(l)
		}
		return
	}
	if s != "" && isHTMLSpace(s[0]) {
		c.space = true
	}
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 {
			c.space = true
		}
		c.word(w)
	}
	if s != "" && isHTMLSpace(s[len(s)-1]) && len(words) > 0 {
		c.space = true
	}
}

func isHTMLSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

// word writes one word, with a space before it when one is pending.
func (c *htmlText) word(w string) {
	c.flushBlank()
	if c.space && c.line.Len() > 0 {
		last := c.line.String()[c.line.Len()-1]
		if last != ' ' {
			c.line.WriteByte(' ')
		}
	}
	c.space = false
	c.line.WriteString(w)
}

// flushBlank writes the blank line a paragraph asked for, now that text follows.
func (c *htmlText) flushBlank() {
	if c.blankNext {
		c.blankNext = false
		if c.b.Len() > 0 {
			q := c.quote
			if c.blankQuote < q {
				q = c.blankQuote
			}
			c.writeLineAt("", q)
		}
	}
}

// newline ends the current line if it has anything on it.
func (c *htmlText) newline() {
	c.space = false
	if c.line.Len() == 0 {
		return
	}
	c.writeLine(c.line.String())
	c.line.Reset()
}

// paragraph ends the current line and asks for a blank line before more text.
func (c *htmlText) paragraph() {
	c.newline()
	if !c.blankNext {
		c.blankQuote = c.quote
	}
	c.blankNext = true
}

// writeLine writes one finished line with its quote prefix.
func (c *htmlText) writeLine(s string) { c.writeLineAt(s, c.quote) }

// writeLineAt writes one finished line at quote depth q.
func (c *htmlText) writeLineAt(s string, q int) {
	if q > maxNesting {
		q = maxNesting
	}
	s = strings.TrimRight(s, " \t")
	if q > 0 {
		c.b.WriteString(strings.Repeat(">", q))
		if s != "" {
			c.b.WriteByte(' ')
		}
	}
	c.b.WriteString(s)
	c.b.WriteByte('\n')
}

// result finishes the text: trailing space trimmed, runs of blank lines folded.
func (c *htmlText) result() string {
	c.newline()
	lines := strings.Split(c.b.String(), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(strings.Trim(l, ">")) == "" && !strings.HasPrefix(l, ">") {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
