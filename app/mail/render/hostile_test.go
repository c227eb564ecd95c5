package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
)

// allowedAttrs are the only attributes a rendered email may carry.
var allowedAttrs = map[string]bool{"style": true, "href": true, "src": true, "alt": true, "title": true,
	"charset": true, "name": true, "content": true, "start": true}

// checkSafeHTML fails when doc has an element or attribute that can run code or
// load something other than an https, http or mailto URL.
func checkSafeHTML(t *testing.T, doc string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.CommentToken {
			t.Errorf("got a comment %q, want none", z.Token().Data)
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "style", "form", "input", "link", "svg", "math", "base":
			t.Errorf("got a <%s> element, want none", tok.Data)
		}
		for _, a := range tok.Attr {
			if !allowedAttrs[a.Key] {
				t.Errorf("got attribute %s=%q on <%s>, want none", a.Key, a.Val, tok.Data)
			}
			if a.Key == "href" || a.Key == "src" {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "mailto:") {
					t.Errorf("got %s=%q on <%s>, want an https, http or mailto URL", a.Key, a.Val, tok.Data)
				}
			}
			if a.Key == "style" && (strings.Contains(strings.ToLower(a.Val), "url(") || strings.Contains(strings.ToLower(a.Val), "expression")) {
				t.Errorf("got style %q, want no url() or expression()", a.Val)
			}
		}
	}
}

func TestHostileMarkdownRendersInert(t *testing.T) {
	for name, md := range map[string]string{
		"ScriptTag":        "Hello <script>alert(1)</script> there",
		"ScriptBlock":      "<script>\nalert(document.cookie)\n</script>",
		"ImgOnerror":       `<img src=x onerror="alert(1)">`,
		"RawLink":          `<a href="javascript:alert(1)" onclick="alert(2)">click</a>`,
		"Iframe":           `<iframe src="https://evil.example"></iframe>`,
		"StyleBlock":       "<style>body{background:url(https://evil.example/t.png)}</style>",
		"StyleAttr":        `<div style="background:url(javascript:alert(1))">x</div>`,
		"JavascriptLink":   "[click](javascript:alert(1))",
		"MixedCaseScheme":  "[click](JaVaScRiPt:alert(1))",
		"EntityScheme":     "[click](&#106;avascript:alert(1))",
		"EscapedScheme":    "[click](java\\script:alert(1))",
		"VBScript":         "[click](vbscript:msgbox(1))",
		"DataLink":         "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"DataImage":        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
		"JavascriptImage":  "![x](javascript:alert(1))",
		"AutolinkScheme":   "<javascript:alert(1)>",
		"LinkTitle":        `[x](https://ok.example "a\" onmouseover=\"alert(1)")`,
		"ReferenceLink":    "[x][r]\n\n[r]: javascript:alert(1)",
		"Comment":          "<!-- secret --> text",
		"TableCell":        "| a |\n|---|\n| <script>alert(1)</script> |",
		"FencedInfo":       "```\"><script>alert(1)</script>\ncode\n```",
		"SVG":              "<svg onload=alert(1)>",
		"PlaceholderInURL": "[x](javascript:{{email}})",
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Render(Content{Subject: "Hi", Markdown: md}, member)
			if err != nil {
				t.Fatal(err)
			}
			checkSafeHTML(t, b.HTML)
		})
	}
}

func TestRawHTMLIsShownAsText(t *testing.T) {
	b, err := Render(Content{Subject: "Hi", Markdown: "Use the <b>bold</b> tag"}, member)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.HTML, "Use the &lt;b&gt;bold&lt;/b&gt; tag") {
		t.Errorf("got HTML without the escaped tag:\n%s", b.HTML)
	}
	if !strings.Contains(b.Text, "Use the <b>bold</b> tag") {
		t.Errorf("got text %q, want the tag as typed", b.Text)
	}
}

func TestMemberValuesCannotInject(t *testing.T) {
	for name, value := range map[string]string{
		"Script":        "<script>alert(1)</script>",
		"ImgOnerror":    `"><img src=x onerror=alert(1)>`,
		"Markdown":      "**x** _y_ `z` [link](javascript:alert(1)) ![i](https://t.example/p.png)",
		"Heading":       "Ann\n# Owned\n<script>x</script>",
		"Placeholder":   "{{email}}",
		"Entity":        "&lt;script&gt; &amp;",
		"Autolink":      "<https://evil.example> www.evil.example",
		"Backslash":     `\*x\*`,
		"Table":         "| a | b |",
		"ListAndQuote":  "- x\n> y\n1. z",
		"HTMLComment":   "<!-- x -->",
		"CodeFence":     "```",
		"LinkReference": "[r]: javascript:alert(1)",
	} {
		t.Run(name, func(t *testing.T) {
			v := member
			v.FirstName, v.Name = value, value
			c := Content{
				Subject:  "Hi {{first_name}}",
				Markdown: "Hello {{first_name}}, welcome.\n\n**{{name}}** [profile](https://x.example/{{first_name}})\n\n{{name}}",
				Footer:   "For {{name}}.",
			}
			b, err := Render(c, v)
			if err != nil {
				t.Fatal(err)
			}
			checkSafeHTML(t, b.HTML)
			for _, tag := range []string{"<script", "<img", "<em>", "<code", "<h1", "<table", "<blockquote", "<li"} {
				if strings.Contains(b.HTML, tag) {
					t.Errorf("got %s in the HTML from a member's name, want the name as text:\n%s", tag, b.HTML)
				}
			}
			if strings.Count(b.HTML, "<a ") != 1 || !strings.Contains(b.HTML, `<a href="https://x.example/`) {
				t.Errorf("got %d links, want the profile link only:\n%s", strings.Count(b.HTML, "<a "), b.HTML)
			}
			want := strings.Join(strings.Fields(value), " ")
			if !strings.Contains(strings.Join(strings.Fields(b.Text), " "), "Hello "+want+", welcome.") {
				t.Errorf("got text %q, want the name %q as typed", b.Text, want)
			}
			if strings.ContainsAny(b.Subject, "\r\n") {
				t.Errorf("got subject %q, want one line", b.Subject)
			}
		})
	}
}

func TestUnsubscribeThatIsNotAURLIsText(t *testing.T) {
	v := member
	v.Unsubscribe = "javascript:alert(1)"
	b, err := Render(Content{Subject: "Hi", Markdown: "x"}, v)
	if err != nil {
		t.Fatal(err)
	}
	checkSafeHTML(t, b.HTML)
	if strings.Contains(b.HTML, "href=") || strings.Contains(b.HTML, "javascript") {
		t.Errorf("got a link from a javascript: unsubscribe value:\n%s", b.HTML)
	}
}

func TestSanitisingByBlocksEqualsWholeDocument(t *testing.T) {
	inputs := []string{
		"<script>alert(1)</script>\n\n<div onclick=x>\n\n**x** <b>",
		"<title>x\n\n# after",
		"- <style>a{}\n- b\n\n> <img src=x onerror=y>\n\nend",
		"```\n</code></pre><script>x</script>\n```\n\n</div></body></html><p>",
	}
	files, _ := filepath.Glob("testdata/render/*.md")
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		inputs = append(inputs, string(raw))
	}
	r := renderers.Get().(*docRenderer)
	defer renderers.Put(r)
	for i, md := range inputs {
		src := []byte(md)
		doc := r.md.Parser().Parse(text.NewReader(src))
		foot := []byte("Footer <u>{{x}}</u>")
		footDoc := r.md.Parser().Parse(text.NewReader(foot))
		got, err := r.html("Subject </title><script>", src, doc, foot, footDoc)
		if err != nil {
			t.Fatal(err)
		}
		pieces, err := r.htmlPieces("Subject </title><script>", src, doc, foot, footDoc)
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		want.WriteString("<!DOCTYPE html>\n")
		expandStyles(&want, sanitizer().Sanitize(strings.Join(pieces, "")))
		if got != want.String() {
			t.Errorf("input %d: got\n%s\nwant\n%s", i, got, want.String())
		}
	}
}
