package message

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// sanitizer is built once: a bluemonday policy is safe for concurrent use.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Only ordinary web and mail links; javascript:, data:, cid: and the rest
	// are dropped with the attribute.
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	// Email layout is mostly tables with these harmless presentational attributes.
	p.AllowAttrs("align").Matching(regexp.MustCompile(`(?i)^(left|right|center|justify)$`)).OnElements("p", "div", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("table", "td", "th")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	return p
})

// SanitizeHTML makes a member's HTML safe to show in the app's webview. Nothing
// executable survives (scripts, styles, frames, objects, forms, event handlers,
// javascript: and data: links, SVG), links open outside the app with
// rel="noopener noreferrer", and nothing remote is loaded: a remote image keeps
// its address in data-remote-src (with its alt text) instead of src, so the UI can
// offer "load remote images"; cid: and data: images are dropped.
func SanitizeHTML(src string) string {
	safe := sanitizer().Sanitize(src)
	return rewriteLinksAndImages(safe)
}

// rewriteLinksAndImages runs over bluemonday's output, which is already safe, and
// only renames or drops attributes: img src moves to data-remote-src when it is
// http or https and is dropped otherwise, and every link gets target and rel.
func rewriteLinksAndImages(src string) string {
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		t := z.Token()
		if (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && (t.Data == "img" || t.Data == "a" || t.Data == "area") {
			if t.Data == "img" {
				t.Attr = remoteImage(t.Attr)
			} else {
				t.Attr = outsideLink(t.Attr)
			}
		}
		b.WriteString(t.String())
	}
}

// remoteImage keeps an http(s) image's address in data-remote-src, not src.
func remoteImage(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0]
	var remote string
	for _, a := range attrs {
		switch strings.ToLower(a.Key) {
		case "src":
			u := strings.TrimSpace(a.Val)
			lu := strings.ToLower(u)
			if strings.HasPrefix(lu, "http://") || strings.HasPrefix(lu, "https://") {
				remote = u
			}
		case "srcset", "data-remote-src":
		default:
			out = append(out, a)
		}
	}
	if remote != "" {
		out = append(out, html.Attribute{Key: "data-remote-src", Val: remote})
	}
	return out
}

// outsideLink makes a link open in the system browser without telling the site
// where it came from.
func outsideLink(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0]
	hasHref := false
	for _, a := range attrs {
		switch strings.ToLower(a.Key) {
		case "rel", "target":
		case "href":
			hasHref = true
			out = append(out, a)
		default:
			out = append(out, a)
		}
	}
	if hasHref {
		out = append(out,
			html.Attribute{Key: "rel", Val: "noopener noreferrer"},
			html.Attribute{Key: "target", Val: "_blank"})
	}
	return out
}

// Links returns the addresses of the links in html, in order and without
// repeats: only http, https and mailto. The window lists them beside a mail
// frame, whose sandbox lets no click inside it go anywhere, so the coach can open
// one in the system browser on purpose.
func Links(src string) []string {
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		t := z.Token()
		if t.Data != "a" && t.Data != "area" {
			continue
		}
		for _, a := range t.Attr {
			if strings.ToLower(a.Key) != "href" {
				continue
			}
			u := strings.TrimSpace(a.Val)
			lu := strings.ToLower(u)
			if (strings.HasPrefix(lu, "http://") || strings.HasPrefix(lu, "https://") || strings.HasPrefix(lu, "mailto:")) && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
}
