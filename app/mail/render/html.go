package render

import (
	"bufio"
	"bytes"
	htmltemplate "html/template"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/microcosm-cc/bluemonday"
	"github.com/roundtablehq/roundtable/app"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Inline styles. Mail clients drop <style> blocks and external CSS (Gmail keeps
// some, Outlook's Word engine little), so every element carries its own style
// attribute. The sanitiser allows exactly these strings and nothing else.
const (
	fontStack   = "-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif"
	monoStack   = "Menlo,Consolas,Courier New,monospace"
	styleBody   = "margin:0;padding:0;background-color:#ffffff;"
	styleMain   = "max-width:600px;margin:0 auto;padding:24px 16px;font-family:" + fontStack + ";font-size:16px;line-height:1.5;color:#1f2328;word-wrap:break-word;"
	styleFooter = "max-width:600px;margin:0 auto;padding:0 16px 24px;font-family:" + fontStack + ";font-size:13px;line-height:1.5;color:#57606a;word-wrap:break-word;"
	styleRule   = "border:0;border-top:1px solid #d0d7de;margin:24px 0;"
	styleP      = "margin:0 0 16px;"
	styleH1     = "margin:24px 0 16px;font-size:24px;line-height:1.25;font-weight:600;"
	styleH2     = "margin:24px 0 16px;font-size:20px;line-height:1.25;font-weight:600;"
	styleH3     = "margin:24px 0 16px;font-size:17px;line-height:1.25;font-weight:600;"
	styleH4     = "margin:24px 0 16px;font-size:16px;line-height:1.25;font-weight:600;"
	styleA      = "color:#0b5cad;text-decoration:underline;"
	styleList   = "margin:0 0 16px;padding-left:24px;"
	styleLi     = "margin:0 0 4px;"
	styleQuote  = "margin:0 0 16px;padding:0 0 0 12px;border-left:4px solid #d0d7de;color:#57606a;"
	stylePre    = "margin:0 0 16px;padding:12px;background-color:#f6f8fa;border-radius:6px;font-family:" + monoStack + ";font-size:14px;line-height:1.45;white-space:pre-wrap;word-wrap:break-word;"
	styleCode   = "padding:1px 4px;background-color:#f6f8fa;border-radius:4px;font-family:" + monoStack + ";font-size:14px;"
	styleImg    = "max-width:100%;height:auto;border:0;"
	styleTable  = "border-collapse:collapse;margin:0 0 16px;"
	styleTd     = "border:1px solid #d0d7de;padding:6px 10px;"
	styleTh     = "border:1px solid #d0d7de;padding:6px 10px;font-weight:600;"
)

var cellAligns = []string{"", "text-align:left;", "text-align:center;", "text-align:right;"}

// styler is a goldmark AST transformer that gives every node the inline style of
// its element. Table cell alignment is folded into the same attribute so that the
// set of possible style values stays closed (see allowedStyles).
type styler struct{}

func (styler) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var s string
		switch n := n.(type) {
		case *ast.Paragraph:
			s = styleP
		case *ast.Heading:
			s = [...]string{styleH1, styleH2, styleH3, styleH4, styleH4, styleH4}[n.Level-1]
		case *ast.Link, *ast.AutoLink:
			s = styleA
		case *ast.List:
			s = styleList
		case *ast.ListItem:
			s = styleLi
		case *ast.Blockquote:
			s = styleQuote
		case *ast.CodeSpan:
			s = styleCode
		case *ast.ThematicBreak:
			s = styleRule
		case *ast.Image:
			s = styleImg
		case *east.Table:
			s = styleTable
		case *east.TableCell:
			s = styleTd
			if _, head := n.Parent().(*east.TableHeader); head {
				s = styleTh
			}
			switch n.Alignment {
			case east.AlignLeft:
				s += cellAligns[1]
			case east.AlignCenter:
				s += cellAligns[2]
			case east.AlignRight:
				s += cellAligns[3]
			}
			n.Alignment = east.AlignNone
		}
		if s != "" {
			n.SetAttributeString("style", styleTokenBytes[s])
		}
		return ast.WalkContinue, nil
	})
}

// emailNodes renders the nodes whose stock goldmark HTML does not suit email:
// code blocks (which take no attributes there), raw HTML (shown as text: the coach
// types prose, and a pasted tag should be visible rather than silently omitted)
// and task-list boxes (form inputs that mail clients strip).
type emailNodes struct{}

func (emailNodes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(east.KindTaskCheckBox, renderTaskCheckBox)
}

func renderCodeBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<pre style="` + styleToken[stylePre] + `"><code>`)
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	_, _ = w.WriteString(`<p style="` + styleP + `">`)
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := bytes.TrimRight(seg.Value(src), "\r\n")
		if i > 0 {
			_, _ = w.WriteString("<br>\n")
		}
		_, _ = w.Write(util.EscapeHTML(line))
	}
	if n.HasClosure() {
		_, _ = w.WriteString("<br>\n")
		_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(n.ClosureLine.Value(src), "\r\n")))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

func renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	return ast.WalkSkipChildren, nil
}

func renderTaskCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString("&#9745; ")
	} else {
		_, _ = w.WriteString("&#9744; ")
	}
	return ast.WalkContinue, nil
}

// pageTemplate is the document around the rendered Markdown: no external CSS, fonts or
// images, a single centred column of at most 600px that narrows on phones, no
// layout tables (Outlook's Word engine ignores max-width and shows it full width,
// which still reads well). It is parsed on first use, as the sanitizer is made:
// not on the start of every command, most of which send nothing.
var pageTemplate = sync.OnceValue(func() *htmltemplate.Template {
	return htmltemplate.Must(htmltemplate.New("page").Parse(`<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Subject}}</title></head>` +
		`<body style="` + styleToken[styleBody] + `"><div style="` + styleToken[styleMain] + `">
{{.Main}}</div><div style="` + styleToken[styleFooter] + `"><hr style="` + styleToken[styleRule] + `">
{{.Footer}}</div></body></html>
`))
})

type pageData struct {
	Subject      string
	Main, Footer htmltemplate.HTML
}

// Markers the page template is executed with, to find where the rendered
// Markdown goes; they cannot occur in the template's escaped subject.
const (
	mainMarker   = "\x00main\x00"
	footerMarker = "\x00footer\x00"
)

// html renders the two Markdown documents into the page and sanitises the result.
//
// The document is sanitised piece by piece: the page template around the
// Markdown, and each top-level block of the Markdown (a paragraph, a list, a
// table). Every piece is balanced HTML, so the result is what bluemonday makes
// of the whole document (TestSanitisingByBlocksEqualsWholeDocument checks that),
// and a piece seen before in this renderer is not sanitised again: when a
// cohort's copies differ only in the greeting, most of the work is done once.
func (r *docRenderer) html(subject string, mainSrc []byte, mainDoc ast.Node, footSrc []byte, footDoc ast.Node) (string, error) {
	main, err := r.cleanBlocks(mainSrc, mainDoc)
	if err != nil {
		return "", err
	}
	foot, err := r.cleanBlocks(footSrc, footDoc)
	if err != nil {
		return "", err
	}
	return r.inPage(subject, main, foot)
}

// inPage puts the sanitised main and footer HTML into the page template.
func (r *docRenderer) inPage(subject, main, foot string) (string, error) {
	head, mid, tail, err := r.frame(subject)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	out.Grow(len("<!DOCTYPE html>\n") + 2*(len(head)+len(mid)+len(tail)) + len(main) + len(foot))
	out.WriteString("<!DOCTYPE html>\n")
	expandStyles(&out, r.sanitize(head))
	out.WriteString(main)
	expandStyles(&out, r.sanitize(mid))
	out.WriteString(foot)
	expandStyles(&out, r.sanitize(tail))
	return out.String(), nil
}

// cleanBlocks renders a Markdown document block by block, sanitised and with
// its styles expanded: the HTML that goes into the page.
func (r *docRenderer) cleanBlocks(src []byte, doc ast.Node) (string, error) {
	pieces, err := r.blocks(src, doc)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, p := range pieces {
		expandStyles(&out, r.sanitize(p))
	}
	return out.String(), nil
}

// blocks renders each top-level block of doc, unsanitised. The strings view
// r's buffers and are valid until the next call.
func (r *docRenderer) blocks(src []byte, doc ast.Node) ([]string, error) {
	if r.bw == nil {
		r.bw = bufio.NewWriterSize(nil, 4096)
	}
	r.buf.Reset()
	r.bw.Reset(&r.buf)
	var ends []int
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if err := r.md.Renderer().Render(r.bw, src, c); err != nil {
			return nil, app.Wrap(app.EINTERNAL, err, "The announcement could not be rendered.")
		}
		ends = append(ends, r.buf.Len())
	}
	blocks := unsafeString(r.buf.Bytes())
	pieces := r.pieces[:0]
	start := 0
	for _, end := range ends {
		pieces = append(pieces, blocks[start:end])
		start = end
	}
	r.pieces = pieces
	return pieces, nil
}

// frame returns the unsanitised page template around the main Markdown, between
// it and the footer, and after the footer.
func (r *docRenderer) frame(subject string) (head, mid, tail string, err error) {
	r.page.Reset()
	// The Markdown goes in at the markers below; the Markdown renderer escaped all
	// of the coach's text, and bluemonday is the second line.
	data := pageData{Subject: subject, Main: mainMarker, Footer: footerMarker}
	if err := pageTemplate().Execute(&r.page, data); err != nil {
		return "", "", "", app.Wrap(app.EINTERNAL, err, "The announcement could not be rendered.")
	}
	frame := r.page.String()
	head, rest, _ := strings.Cut(frame, mainMarker)
	mid, tail, _ = strings.Cut(rest, footerMarker)
	return head, mid, tail, nil
}

// htmlPieces returns the unsanitised document as pieces that concatenate to it
// (for the test that sanitising by pieces equals sanitising the whole).
func (r *docRenderer) htmlPieces(subject string, mainSrc []byte, mainDoc ast.Node, footSrc []byte, footDoc ast.Node) ([]string, error) {
	head, mid, tail, err := r.frame(subject)
	if err != nil {
		return nil, err
	}
	out := []string{head}
	for _, d := range []struct {
		src []byte
		doc ast.Node
	}{{mainSrc, mainDoc}, {footSrc, footDoc}} {
		ps, err := r.blocks(d.src, d.doc)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out = append(out, strings.Clone(p))
		}
		if d.doc == mainDoc {
			out = append(out, mid)
		}
	}
	return append(out, tail), nil
}

// expandStyles writes s with every style="sN" token replaced by its style.
func expandStyles(out *strings.Builder, s string) {
	const open = `style="s`
	for {
		i := strings.Index(s, open)
		if i < 0 {
			out.WriteString(s)
			return
		}
		j := i + len(open)
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		n, err := strconv.Atoi(s[j:k])
		if err != nil || k == len(s) || s[k] != '"' || n >= len(styleValues) {
			out.WriteString(s[:j])
			s = s[j:]
			continue
		}
		out.WriteString(s[:i])
		out.WriteString(`style="`)
		out.WriteString(styleValues[n])
		out.WriteByte('"')
		s = s[k+1:]
	}
}

// maxMemo bounds the sanitised pieces a renderer remembers.
const maxMemo = 512

func (r *docRenderer) sanitize(piece string) string {
	if c, ok := r.memo[piece]; ok {
		return c
	}
	if r.memo == nil || len(r.memo) >= maxMemo {
		r.memo = make(map[string]string, 64)
	}
	r.clean.Reset()
	if err := sanitizer().SanitizeReaderToWriter(strings.NewReader(piece), &r.clean); err != nil {
		return "" // cannot happen with an in-memory reader and writer
	}
	c := r.clean.String()
	r.memo[strings.Clone(piece)] = c
	return c
}

// unsafeString views b as a string without copying; b must not change while the
// string is in use (here: for one Replacer call).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// sanitizer allows only what the page and the Markdown renderer produce: the
// elements below, style attributes equal to one of our constants, and links and
// images to https, http or mailto. bluemonday drops the doctype, which html adds
// back as a constant.
var sanitizer = sync.OnceValue(newSanitizer)

func newSanitizer() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("html", "head", "title", "body", "div", "p", "br", "hr",
		"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
		"strong", "em", "del", "a", "img", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("charset").Matching(regexp.MustCompile(`^utf-8$`)).OnElements("meta")
	p.AllowAttrs("name").Matching(regexp.MustCompile(`^viewport$`)).OnElements("meta")
	p.AllowAttrs("content").Matching(regexp.MustCompile(`^width=device-width, initial-scale=1$`)).OnElements("meta")
	p.AllowAttrs("style").Matching(allowedStyles).Globally()
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "alt", "title").OnElements("img")
	p.AllowAttrs("title").OnElements("a")
	p.AllowURLSchemes("https", "http", "mailto")
	p.RequireParseableURLs(true)
	return p
}

// The renderer writes each style as a short token (style="s7") and expands the
// tokens after sanitising: the sanitiser then checks one tiny pattern instead of
// matching every attribute against every style (a third of its time otherwise),
// and a token can only come from an attribute, since text and attribute values
// from the coach are escaped ("s7" in text is never inside style="...").
var (
	styleToken, styleValues = styleTokens()
	styleTokenBytes         = func() map[string][]byte {
		m := make(map[string][]byte, len(styleToken))
		for k, v := range styleToken {
			m[k] = []byte(v)
		}
		return m
	}()
	allowedStyles = regexp.MustCompile(`^s[0-9]{1,2}$`)
)

func styleTokens() (map[string]string, []string) {
	all := []string{styleBody, styleMain, styleFooter, styleRule, styleP, styleH1, styleH2, styleH3, styleH4,
		styleA, styleList, styleLi, styleQuote, stylePre, styleCode, styleImg, styleTable}
	for _, a := range cellAligns {
		all = append(all, styleTd+a, styleTh+a)
	}
	tokens := map[string]string{}
	for i, s := range all {
		tokens[s] = "s" + strconv.Itoa(i)
	}
	return tokens, all
}
