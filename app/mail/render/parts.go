package render

import (
	"strings"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// A post is the same Markdown for every member but for its placeholders, which
// usually sit in one greeting line. Rather than parse and render the whole post
// for each of 2,000 members, the post is cut once into its top-level blocks
// (paragraphs, lists, tables, quotes...), each block without a placeholder is
// rendered once, and only the blocks with one are rendered per member.
//
// Rendering a top-level block on its own gives what it gives inside the
// document: CommonMark starts each top-level block afresh, and a placeholder's
// value is escaped (markdownValue) so it cannot open or close a block. The one
// exception is a link reference definition ("[x]: https://…"), which reaches
// across blocks: a post with one is rendered whole. TestPartsEqualWholeRender
// holds the two ways to the same bytes.

// part is the Markdown of one top-level block, from the start of its first line
// to the start of the next block's.
type part struct {
	src      string
	personal bool // holds a placeholder: rendered for each member
	renderedPart
}

func (p renderedPart) bytes() int { return len(p.html) + len(p.text) }

// bytes is what a split post holds: its parts' text and the rendered ones.
func (sp *splitPost) bytes() int {
	n := 0
	for _, p := range sp.parts {
		n += len(p.src) + p.renderedPart.bytes()
	}
	return n
}

// renderedPart is a part rendered: its HTML and text, and how many blocks it
// made (a blank part makes none).
type renderedPart struct {
	html, text string
	blocks     int
}

// splitPost is a post cut into parts; nil parts means render it whole.
type splitPost struct{ parts []part }

// split cuts markdown into parts and renders those without a placeholder, or
// returns nil when the post must be rendered whole.
func (r *docRenderer) split(markdown string) (*splitPost, error) {
	src := []byte(markdown)
	pc := parser.NewContext()
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if len(pc.References()) > 0 {
		return &splitPost{}, nil
	}
	var starts []int
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		p := c.Pos()
		if p < 0 || p > len(src) {
			return &splitPost{}, nil
		}
		starts = append(starts, strings.LastIndexByte(markdown[:p], '\n')+1)
	}
	if len(starts) == 0 {
		return &splitPost{}, nil
	}
	starts[0] = 0
	sp := &splitPost{}
	for i, start := range starts {
		end := len(markdown)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if end < start {
			return &splitPost{}, nil
		}
		p := part{src: markdown[start:end]}
		placeholders(p.src, func(_, _ int, name string) {
			if _, ok := lookup(name, Vars{}); ok {
				p.personal = true
			}
		})
		if !p.personal {
			var err error
			if p.renderedPart, err = r.renderPart(p.src); err != nil {
				return nil, err
			}
		}
		sp.parts = append(sp.parts, p)
	}
	return sp, nil
}

// renderPart renders one part's Markdown (placeholders filled) to sanitised
// HTML and plain text.
func (r *docRenderer) renderPart(src string) (renderedPart, error) {
	b := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(b))
	html, err := r.cleanBlocks(b, doc)
	if err != nil {
		return renderedPart{}, err
	}
	return renderedPart{html: html, text: r.text.part(b, doc), blocks: doc.ChildCount()}, nil
}

// renderSplit renders one member's body from a split post.
func (r *docRenderer) renderSplit(sp *splitPost, v Vars) (renderedBody, error) {
	out := make([]renderedPart, len(sp.parts))
	for i, p := range sp.parts {
		out[i] = p.renderedPart
		if p.personal {
			var err error
			if out[i], err = r.renderPart(substitute(p.src, v, markdownValue)); err != nil {
				return renderedBody{}, err
			}
		}
	}
	return join(out), nil
}

// renderParts renders a document given as parts (Content.Parts), each part
// rendered once and then found by its text (placeholders filled).
func (r *docRenderer) renderParts(parts []string, v Vars) (renderedBody, error) {
	out := make([]renderedPart, len(parts))
	for i, p := range parts {
		src := substitute(p, v, markdownValue)
		rp, ok := renderedParts.get(src)
		if !ok {
			var err error
			if rp, err = r.renderPart(src); err != nil {
				return renderedBody{}, err
			}
			renderedParts.put(src, rp)
		}
		out[i] = rp
	}
	return join(out), nil
}

// renderedParts remembers parts of documents given in parts. A digest of a busy
// week has about 150 (posts, 60 replies, the list of the rest, replies in
// full), about half a megabyte; 400 parts or 8 MB cover a period's digests with
// a few variants. With the other two caches (4 MB each) rendering holds at most
// 16 MB, whatever is sent.
var renderedParts = fifo[renderedPart]{max: 400, maxBytes: 8 << 20, size: renderedPart.bytes}

// join puts rendered parts together as the whole document renders: HTML blocks
// one after the other, text blocks separated by one newline (textRenderer.blocks).
func join(parts []renderedPart) renderedBody {
	var h, t strings.Builder
	n := 0
	for _, p := range parts {
		h.WriteString(p.html)
		if p.blocks > 0 {
			if n > 0 {
				t.WriteByte('\n')
			}
			t.WriteString(p.text)
			n++
		}
	}
	return renderedBody{html: h.String(), text: t.String()}
}

// splits remembers the last few posts cut into parts, by their Markdown.
var splits = fifo[*splitPost]{max: 4, maxBytes: 4 << 20, size: (*splitPost).bytes}
