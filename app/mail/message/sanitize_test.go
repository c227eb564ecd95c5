package message_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/mail/message"
)

// TestSanitizeHTML_NothingExecutableOrRemoteSurvives feeds hostile member HTML
// and checks what the webview would receive.
func TestSanitizeHTML_NothingExecutableOrRemoteSurvives(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		banned []string // must not appear (case-insensitive)
		kept   []string // must appear
	}{
		{"script", `<p>hi</p><script>alert(1)</script>`, []string{"<script", "alert"}, []string{"<p>hi</p>"}},
		{"onerror", `<img src="x" onerror="alert(1)">`, []string{"onerror", "alert"}, nil},
		{"onclick on a div", `<div onclick="steal()">text</div>`, []string{"onclick", "steal"}, []string{"text"}},
		{"javascript link", `<a href="javascript:alert(1)">click</a>`, []string{"javascript:", "href"}, []string{"click"}},
		{"javascript link hidden by entities", `<a href="jav&#x09;ascript:alert(1)">click</a>`, []string{"javascript", "alert", "href"}, []string{"click"}},
		{"data link", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, []string{"data:", "href"}, nil},
		{"form and input", `<form action="https://evil.example/"><input name="pw" type="password"><button>go</button></form>`, []string{"<form", "<input", "<button", "evil.example"}, nil},
		{"iframe", `<iframe src="https://evil.example/"></iframe>after`, []string{"<iframe", "evil.example"}, []string{"after"}},
		{"object and embed", `<object data="x.swf"></object><embed src="x.swf">`, []string{"<object", "<embed", "swf"}, nil},
		{"style element", `<style>body{background:url(https://track.example/p.gif)}</style>text`, []string{"<style", "track.example", "url("}, []string{"text"}},
		{"css url in style attribute", `<p style="background-image:url('https://track.example/p.gif')">text</p>`, []string{"style=", "track.example", "url("}, []string{"text"}},
		{"svg with script", `<svg onload="alert(1)"><script>alert(2)</script><circle r="5"/></svg>`, []string{"<svg", "onload", "alert", "<script"}, nil},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example/">`, []string{"<meta", "evil.example"}, nil},
		{"base and link", `<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/s.css">`, []string{"<base", "<link", "evil.example"}, nil},
		{"cid image dropped", `<img src="cid:part1.abc@mail" alt="logo">`, []string{"cid:", "src="}, []string{`alt="logo"`}},
		{"data image dropped", `<img src="data:image/png;base64,iVBORw0KGgo=">`, []string{"data:", "src="}, nil},
		{"srcset dropped", `<img srcset="https://track.example/a.png 2x">`, []string{"srcset", "track.example"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := message.SanitizeHTML(tt.in)
			lower := strings.ToLower(got)
			for _, b := range tt.banned {
				if strings.Contains(lower, strings.ToLower(b)) {
					t.Errorf("got %q, want no %q", got, b)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("got %q, want it to keep %q", got, k)
				}
			}
		})
	}
}

func TestSanitizeHTML_RemoteImageWaitsForTheCoach(t *testing.T) {
	got := message.SanitizeHTML(`<img src="https://photos.example/me.jpg" alt="Me at the summit">`)
	if strings.Contains(got, " src=") {
		t.Errorf("got %q, want no src that would load the image", got)
	}
	for _, want := range []string{`data-remote-src="https://photos.example/me.jpg"`, `alt="Me at the summit"`} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestSanitizeHTML_LinksOpenOutsideWithoutReferrer(t *testing.T) {
	got := message.SanitizeHTML(`<a href="https://example.org/list" rel="opener" target="_self">my list</a>`)
	want := `<a href="https://example.org/list" rel="noopener noreferrer" target="_blank">my list</a>`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSanitizeHTML_OrdinaryEmailLooksTheSame(t *testing.T) {
	in := `<p>Hi <b>Sam</b>,</p><blockquote><p>quoted &amp; kept</p></blockquote><table><tr><td colspan="2">cell</td></tr></table>`
	if got := message.SanitizeHTML(in); got != in {
		t.Errorf("got %q, want %q unchanged", got, in)
	}
}

func TestLinks(t *testing.T) {
	in := `<p><a href="https://example.com/a">a</a> <a href="javascript:alert(1)">js</a>
<a href="HTTP://EXAMPLE.ORG">b</a> <a href="https://example.com/a">again</a>
<a href="mailto:ada@example.com">mail</a> <a href="data:text/html,x">d</a> <a>none</a>
<img src="https://evil.example/x.png"><a href="/relative">r</a></p>`
	got := message.Links(message.SanitizeHTML(in))
	want := []string{"https://example.com/a", "http://EXAMPLE.ORG", "mailto:ada@example.com"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
