package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// partsInputs are posts whose blocks could interact: placeholders in every kind
// of block, a placeholder that empties a line, setext underlines, lazy
// continuation, lists with blank lines, code, tables, raw HTML, CRLF, link
// references, and no final newline.
var partsInputs = []string{
	"Hi {{first_name}},\n\nThis week: **one big goal**.\n\n- write it down\n- tell {{cohort}}\n\nSee you,\n{{coach_name}}",
	"{{first_name}}\n===\n\nbody",
	"{{first_name}}\n---\nafter",
	"Hello {{name}}\nlazy line\n    not code\n> quote {{email}}\nlazy quote\n\nend",
	"1. one {{first_name}}\n\n   still one\n2. two\n\n\n- other list\n\n  {{name}}\n",
	"```\ncode {{first_name}}\n```\n{{first_name}}\n\n    indented {{name}}\n",
	"| a | b |\n|---|---|\n| {{first_name}} | x |\n\n<div>{{name}}</div>\n\ntext",
	"Hi {{first_name}}\r\n\r\nCRLF body\r\n- item\r\n",
	"[link][ref] for {{first_name}}\n\n[ref]: https://example.com/{{email}}",
	"[your page](https://example.com/u/{{email}}) and <{{email}}>\n\n* * *\n\n# Heading {{cohort}}",
	"\n\n\nleading blanks {{first_name}}\n\n\n\ntrailing\n\n\n",
	"- [ ] task {{first_name}}\n- [x] done\n\n~~struck {{name}}~~ {{unknown}} {{ first_name }}",
	"> {{first_name}}\n>\n> - quoted list\n\n<!-- comment {{name}} -->\nafter html",
	"{{first_name}}",
	"no placeholder at all\n\njust text",
}

// TestPartsEqualWholeRender: a post rendered part by part (parts.go) is byte
// for byte the post rendered whole, for every member.
func TestPartsEqualWholeRender(t *testing.T) {
	inputs := append([]string(nil), partsInputs...)
	files, _ := filepath.Glob("testdata/render/*.md")
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		inputs = append(inputs, string(raw), "Dear {{first_name}},\n\n"+string(raw)+"\n\n— {{coach_name}} for {{cohort}}")
	}
	people := []Vars{
		{Name: "Ana Lima", Email: "ana@example.com", CohortName: "Spring", CoachName: "Sam", Unsubscribe: "mailto:u@example.com"},
		{Name: "", Email: "x@example.com", CohortName: "", CoachName: ""},
		{Name: "**Bo** <b>x</b> [a](b) # \\ {{email}}", Email: "b<o>@example.com", CohortName: "=== ---", CoachName: "- list?"},
		{Name: "山田 太郎", Email: "taro@example.jp", CohortName: "春の会", CoachName: "サム"},
	}
	for i, md := range inputs {
		for j, v := range people {
			got, err := Render(Content{Subject: "s", Markdown: md}, v)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Render(Content{Subject: "s", Markdown: substitute(md, v, markdownValue)}, v)
			if err != nil {
				t.Fatal(err)
			}
			if got.HTML != want.HTML {
				t.Errorf("input %d, member %d: HTML by parts differs:\n%s\n--- whole:\n%s", i, j, got.HTML, want.HTML)
			}
			if got.Text != want.Text {
				t.Errorf("input %d, member %d: text by parts differs:\n%q\n--- whole:\n%q", i, j, got.Text, want.Text)
			}
		}
	}
	// The parts path was taken (not the whole render) for a post with a greeting.
	if _, err := Render(Content{Subject: "s", Markdown: partsInputs[0]}, people[0]); err != nil {
		t.Fatal(err)
	}
	sp, ok := splits.get(partsInputs[0])
	if !ok || len(sp.parts) < 3 {
		t.Fatalf("the greeting post was not cut into parts: %+v", sp)
	}
	personal := 0
	for _, p := range sp.parts {
		if p.personal {
			personal++
		}
	}
	if personal != 3 || !strings.Contains(sp.parts[0].src, "{{first_name}}") {
		t.Errorf("got %d personal parts, want 3 (greeting, list, sign-off)", personal)
	}
}

// FuzzPartsEqualWholeRender looks for a post and a name for which rendering by
// parts and rendering whole differ.
func FuzzPartsEqualWholeRender(f *testing.F) {
	for _, md := range partsInputs {
		f.Add(md, "Ana Lima")
	}
	f.Fuzz(func(t *testing.T, md, name string) {
		if len(md) > 4096 || strings.ContainsAny(name, "\r\n") {
			return
		}
		v := Vars{Name: name, Email: "a@example.com", CohortName: "Spring", CoachName: "Sam"}
		got, err := Render(Content{Subject: "s", Markdown: md}, v)
		if err != nil {
			return
		}
		want, err := Render(Content{Subject: "s", Markdown: substitute(md, v, markdownValue)}, v)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("by parts differs from whole for %q with name %q:\n%q\n%q", md, name, got.Text, want.Text)
		}
	})
}

// The caches hold a bounded amount of text whatever is sent: long documents
// push older ones out, and one larger than the budget is not kept at all.
func TestCacheStaysWithinItsBytes(t *testing.T) {
	c := fifo[renderedPart]{max: 100, maxBytes: 1000, size: renderedPart.bytes}
	for i := range 50 {
		c.put(fmt.Sprint("key", i), renderedPart{html: strings.Repeat("x", 90)})
		if c.bytes > c.maxBytes {
			t.Fatalf("after %d puts the cache holds %d bytes, over its %d", i+1, c.bytes, c.maxBytes)
		}
	}
	if _, ok := c.get("key49"); !ok {
		t.Error("the newest entry was not kept")
	}
	if _, ok := c.get("key0"); ok {
		t.Error("the oldest entry was kept past the budget")
	}
	c.put("huge", renderedPart{html: strings.Repeat("x", 2000)})
	if _, ok := c.get("huge"); ok {
		t.Error("an entry larger than the whole budget was kept")
	}
	if _, ok := c.get("key49"); !ok {
		t.Error("an entry too large to keep pushed the others out")
	}
}
