package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// TextWidth is the column the plain-text part wraps at. It leaves room for the
// "> " that a reply quoting it adds, under the 78 columns RFC 5322 recommends.
const TextWidth = 76

// plainText renders the Markdown as readable plain text: underlined headings,
// "- " and "1. " lists, "> " quotes, indented code, links as "text <url>",
// paragraphs wrapped at TextWidth display columns (East Asian wide characters count
// two and may break between them; URLs are never broken), then the footer under
// the "-- " signature line, which mail clients dim and leave out of quoted replies.
func (t *textRenderer) plainText(mainSrc []byte, mainDoc ast.Node, footSrc []byte, footDoc ast.Node) string {
	return t.part(mainSrc, mainDoc) + "\n-- \n" + t.part(footSrc, footDoc)
}

// part renders one Markdown document (the main text or the footer) as plain text.
func (t *textRenderer) part(src []byte, doc ast.Node) string {
	t.b = strings.Builder{}
	t.src = src
	t.b.Grow(len(src) + 128)
	t.blocks(doc, "", "", false)
	return t.b.String()
}

type textRenderer struct {
	b       strings.Builder
	src     []byte
	ps      []piece
	wrapBuf []piece
	wr      wrapper
}

// blocks writes the block children of parent; first prefixes the first line, rest
// every other. tight lists separate blocks by a newline instead of a blank line.
func (t *textRenderer) blocks(parent ast.Node, first, rest string, tight bool) {
	i := 0
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		p := first
		if i > 0 {
			if !tight {
				t.b.WriteString(strings.TrimRight(rest, " "))
				t.b.WriteByte('\n')
			}
			p = rest
		}
		t.block(c, p, rest)
		i++
	}
}

func (t *textRenderer) block(n ast.Node, first, rest string) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		t.wrapped(n, first, rest)
	case *ast.Heading:
		if n.Level > 2 {
			h := strings.Repeat("#", n.Level) + " "
			t.wrapped(n, first+h, rest+strings.Repeat(" ", len(h)))
			return
		}
		start := t.b.Len()
		t.wrapped(n, first, rest)
		widest := 0
		for _, l := range strings.Split(strings.TrimSuffix(t.b.String()[start:], "\n"), "\n") {
			widest = max(widest, width(strings.TrimPrefix(strings.TrimPrefix(l, first), rest)))
		}
		t.b.WriteString(rest)
		t.b.WriteString(strings.Repeat([]string{"=", "-"}[n.Level-1], max(widest, 3)))
		t.b.WriteByte('\n')
	case *ast.ThematicBreak:
		t.b.WriteString(first)
		t.b.WriteString("* * *\n")
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			p := rest
			if i == 0 {
				p = first
			}
			t.b.WriteString(p)
			t.b.WriteString("    ")
			seg := lines.At(i)
			t.b.WriteString(strings.TrimRight(string(seg.Value(t.src)), "\r\n"))
			t.b.WriteByte('\n')
		}
	case *ast.HTMLBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			p := rest
			if i == 0 {
				p = first
			}
			seg := lines.At(i)
			t.b.WriteString(p)
			t.b.WriteString(strings.TrimRight(string(seg.Value(t.src)), "\r\n"))
			t.b.WriteByte('\n')
		}
		if n.HasClosure() {
			t.b.WriteString(rest)
			t.b.WriteString(strings.TrimRight(string(n.ClosureLine.Value(t.src)), "\r\n"))
			t.b.WriteByte('\n')
		}
	case *ast.Blockquote:
		t.blocks(n, first+"> ", rest+"> ", false)
	case *ast.List:
		num := n.Start
		i := 0
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "- "
			if n.IsOrdered() {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			p := first
			if i > 0 {
				if !n.IsTight {
					t.b.WriteString(strings.TrimRight(rest, " "))
					t.b.WriteByte('\n')
				}
				p = rest
			}
			t.blocks(item, p+marker, rest+strings.Repeat(" ", len(marker)), n.IsTight)
			if item.FirstChild() == nil {
				t.b.WriteString(p + strings.TrimSpace(marker) + "\n")
			}
			i++
		}
	case *east.Table:
		t.table(n, first, rest)
	default:
		t.blocks(n, first, rest, false)
	}
}

// table lays a table out in aligned columns when it fits the width, and as one
// "Header: value" line per cell otherwise, which stays readable on a phone.
func (t *textRenderer) table(n *east.Table, first, rest string) {
	var rows [][]string
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var row []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, t.inlineString(c))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	cols := len(rows[0])
	widths := make([]int, cols)
	for _, row := range rows {
		for i := 0; i < cols && i < len(row); i++ {
			widths[i] = max(widths[i], width(row[i]))
		}
	}
	total := width(rest) + 3*(cols-1)
	for _, w := range widths {
		total += w
	}
	if total <= TextWidth {
		for ri, row := range rows {
			p := rest
			if ri == 0 {
				p = first
			}
			var line strings.Builder
			for i := 0; i < cols; i++ {
				cell := ""
				if i < len(row) {
					cell = row[i]
				}
				if i > 0 {
					line.WriteString(" | ")
				}
				line.WriteString(cell)
				if i < cols-1 {
					line.WriteString(strings.Repeat(" ", widths[i]-width(cell)))
				}
			}
			t.b.WriteString(p)
			t.b.WriteString(strings.TrimRight(line.String(), " "))
			t.b.WriteByte('\n')
			if ri == 0 {
				parts := make([]string, cols)
				for i, w := range widths {
					parts[i] = strings.Repeat("-", max(w, 1))
				}
				t.b.WriteString(rest)
				t.b.WriteString(strings.Join(parts, "-|-"))
				t.b.WriteByte('\n')
			}
		}
		return
	}
	head := rows[0]
	for ri, row := range rows[1:] {
		if ri > 0 {
			t.b.WriteString(strings.TrimRight(rest, " "))
			t.b.WriteByte('\n')
		}
		for i, cell := range row {
			label := ""
			if i < len(head) {
				label = head[i] + ": "
			}
			p := rest
			if ri == 0 && i == 0 {
				p = first
			}
			t.ps = append(t.ps[:0], piece{s: label + cell})
			t.writeWrapped(p, rest+"  ")
		}
	}
}

// piece is a run of inline text: breakable text, an atom that must stay on one
// line (a URL), or a line break.
type piece struct {
	s    string
	atom bool
	nl   bool
}

func (t *textRenderer) wrapped(n ast.Node, first, rest string) {
	t.ps = t.ps[:0]
	t.inlines(n)
	t.writeWrapped(first, rest)
}

// inlineString renders n's inlines on one line (for table cells).
func (t *textRenderer) inlineString(n ast.Node) string {
	t.ps = t.ps[:0]
	t.inlines(n)
	var b strings.Builder
	for _, p := range t.ps {
		if p.nl {
			b.WriteByte(' ')
		} else {
			b.WriteString(p.s)
		}
	}
	return strings.TrimSpace(b.String())
}

func (t *textRenderer) add(s string)  { t.ps = append(t.ps, piece{s: s}) }
func (t *textRenderer) atom(s string) { t.ps = append(t.ps, piece{s: s, atom: true}) }

// inlines appends the pieces for n's inline children.
func (t *textRenderer) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(t.src)
			if c.IsRaw() {
				t.add(string(v))
			} else {
				t.add(unescape(v))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				t.ps = append(t.ps, piece{nl: true})
			}
		case *ast.String:
			t.add(string(c.Value))
		case *ast.CodeSpan:
			t.add("`")
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				if s, ok := g.(*ast.Text); ok {
					t.add(string(s.Segment.Value(t.src)))
				}
			}
			t.add("`")
		case *ast.Emphasis:
			mark := "_"
			if c.Level >= 2 {
				mark = "*"
			}
			t.add(mark)
			t.inlines(c)
			t.add(mark)
		case *east.Strikethrough:
			t.add("~~")
			t.inlines(c)
			t.add("~~")
		case *ast.Link:
			dest := string(c.Destination)
			start := len(t.ps)
			t.inlines(c)
			var label strings.Builder
			for _, p := range t.ps[start:] {
				label.WriteString(p.s)
			}
			l := strings.TrimSpace(label.String())
			if l == dest || "mailto:"+l == dest || l == "" {
				t.ps = append(t.ps[:start], piece{s: dest, atom: true})
				continue
			}
			t.add(" ")
			t.atom("<" + dest + ">")
		case *ast.AutoLink:
			if c.AutoLinkType == ast.AutoLinkEmail {
				t.atom(string(c.Label(t.src)))
			} else {
				t.atom(string(c.URL(t.src)))
			}
		case *ast.Image:
			start := len(t.ps)
			t.inlines(c)
			var alt strings.Builder
			for _, p := range t.ps[start:] {
				alt.WriteString(p.s)
			}
			t.ps = t.ps[:start]
			if a := strings.TrimSpace(alt.String()); a != "" {
				t.add("[image: " + a + "] ")
			} else {
				t.add("[image] ")
			}
			t.atom("<" + string(c.Destination) + ">")
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				t.add(string(seg.Value(t.src)))
			}
		case *east.TaskCheckBox:
			if c.IsChecked {
				t.add("[x] ")
			} else {
				t.add("[ ] ")
			}
		default:
			t.inlines(c)
		}
	}
}

// writeWrapped fills lines up to TextWidth from t.ps. Break opportunities come
// from the Unicode line-breaking algorithm inside text pieces; atoms are kept
// whole even when longer than a line, so a URL is never cut.
func (t *textRenderer) writeWrapped(first, rest string) {
	// Trailing line breaks (a hard break at the end of a paragraph) add nothing.
	for len(t.ps) > 0 && t.ps[len(t.ps)-1].nl {
		t.ps = t.ps[:len(t.ps)-1]
	}
	w := &t.wr
	w.out, w.rest, w.prefix = &t.b, rest, first
	w.avail = TextWidth - width(first)
	w.line, w.word = w.line[:0], w.word[:0]
	w.lineW, w.wordW, w.pending, w.lines = 0, 0, 0, 0
	breakBefore := true
	for _, p := range t.ps {
		if !p.atom && !p.nl && strings.Contains(p.s, "://") {
			// A URL the Markdown did not link (escaped, or in a name) is kept
			// whole too: its text before and after wraps as usual.
			t.wrapBuf = splitURLs(t.wrapBuf[:0], p.s)
		} else {
			t.wrapBuf = append(t.wrapBuf[:0], p)
		}
		for _, p := range t.wrapBuf {
			switch {
			case p.nl:
				w.flushWord(0)
				w.newline()
				breakBefore = true
			case p.atom:
				if breakBefore {
					w.flushWord(0)
				}
				w.word = append(w.word, p.s...)
				w.wordW += width(p.s)
				breakBefore = false
			default:
				s := p.s
				state := -1
				firstSeg := true
				for len(s) > 0 {
					var seg string
					seg, s, state = nextLineSegment(s, state)
					if !firstSeg || breakBefore {
						w.flushWord(0)
					}
					firstSeg = false
					trimmed := strings.TrimRight(seg, " \t")
					w.word = append(w.word, trimmed...)
					w.wordW += width(trimmed)
					if len(trimmed) < len(seg) {
						w.flushWord(1)
					}
				}
				// The end of a piece is a break opportunity only after a space or in
				// the middle of text; gluing avoids a break between "(" and a URL.
				breakBefore = strings.HasSuffix(p.s, " ")
			}
		}
	}
	w.flushWord(0)
	if w.lineW > 0 || w.lines == 0 {
		w.newline()
	}
}

// wrapper is the state of writeWrapped, kept on the textRenderer so its buffers
// are reused from paragraph to paragraph.
type wrapper struct {
	out          *strings.Builder
	prefix, rest string
	avail        int
	line, word   []byte
	lineW, wordW int
	pending      int // spaces after the last word on the line, written only if more follows
	lines        int
}

func (w *wrapper) newline() {
	w.lines++
	w.out.WriteString(w.prefix)
	w.out.Write(w.line)
	w.out.WriteByte('\n')
	w.line = w.line[:0]
	w.lineW, w.pending = 0, 0
	if w.prefix != w.rest {
		w.prefix = w.rest
		w.avail = max(TextWidth-width(w.rest), 20)
	}
}

// flushWord puts the word being built on the line, first breaking the line when
// it would not fit, and notes the spaces that followed it.
func (w *wrapper) flushWord(spaces int) {
	if len(w.word) > 0 {
		if w.lineW > 0 && w.lineW+w.pending+w.wordW > w.avail {
			w.newline()
		}
		if w.lineW > 0 {
			for range w.pending {
				w.line = append(w.line, ' ')
			}
			w.lineW += w.pending
		}
		w.line = append(w.line, w.word...)
		w.lineW += w.wordW
		w.word, w.wordW, w.pending = w.word[:0], 0, 0
	}
	if w.lineW > 0 {
		w.pending += spaces
	}
}

// unescape resolves backslash escapes and character references in one pass, as
// goldmark's HTML writer does: "\\&amp;" is the text "&amp;", not "&".
func unescape(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) && isASCIIPunct(v[i+1]) {
			b.WriteByte(v[i+1])
			i++
			continue
		}
		if c == '&' {
			if j := bytes.IndexByte(v[i:min(len(v), i+40)], ';'); j > 0 {
				ref := v[i : i+j+1]
				if r := util.ResolveNumericReferences(util.ResolveEntityNames(ref)); !bytes.Equal(r, ref) {
					b.Write(r)
					i += j
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// splitURLs appends s to ps as text pieces, with every space-delimited word that
// contains "://" as an atom.
func splitURLs(ps []piece, s string) []piece {
	last := 0
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		if strings.Contains(s[i:j], "://") {
			if last < i {
				ps = append(ps, piece{s: s[last:i]})
			}
			ps = append(ps, piece{s: s[i:j], atom: true})
			last = j
		}
		i = j
	}
	if last < len(s) {
		ps = append(ps, piece{s: s[last:]})
	}
	return ps
}

// width is the display width of s in columns: East Asian wide characters and
// most emoji take two.
func width(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return uniseg.StringWidth(s)
}

// nextLineSegment returns the text up to and including the next line-break
// opportunity (with the spaces after it). Plain ASCII breaks only at spaces and
// takes a fast path; anything else follows the Unicode line-breaking algorithm,
// which breaks between CJK characters and keeps 。、」 off the start of a line.
func nextLineSegment(s string, state int) (seg, rest string, newState int) {
	i := 0
	for i < len(s) && s[i] != ' ' && s[i] < 0x80 {
		i++
	}
	if i == len(s) || s[i] == ' ' {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		return s[:i], s[i:], -1
	}
	seg, rest, _, newState = uniseg.FirstLineSegmentInString(s, state)
	return seg, rest, newState
}
