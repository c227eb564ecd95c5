package render

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"strings"
	"sync"
	"testing"
)

func FuzzRenderIsSafe(f *testing.F) {
	for _, s := range []string{"# Hi {{first_name}}", "<script>x</script>", "[x](javascript:y)", "| a |\n|---|\n| b |", "こんにちは 🎉"} {
		f.Add(s, "<b>Ann</b>")
	}
	f.Fuzz(func(t *testing.T, md, name string) {
		b, err := Render(Content{Subject: "{{name}}", Markdown: md}, Vars{Name: name, Unsubscribe: "mailto:u@example.com"})
		if err != nil {
			return
		}
		checkSafeHTML(t, b.HTML)
		if strings.ContainsAny(b.Subject, "\r\n") {
			t.Errorf("got subject %q, want one line", b.Subject)
		}
	})
}

func FuzzQuotedPrintableRoundTrips(f *testing.F) {
	f.Add(".a\nFrom x \n" + strings.Repeat("é", 40))
	f.Fuzz(func(t *testing.T, s string) {
		enc := appendQP(nil, s)
		for _, line := range bytes.Split(enc, []byte("\r\n")) {
			if len(line) > 76 {
				t.Fatalf("got a %d-character line, want at most 76", len(line))
			}
		}
		dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(enc)))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
		// The decoder drops trailing whitespace of each line, as RFC 2045 asks.
		got := strings.ReplaceAll(string(dec), "\r\n", "\n")
		if trimLines(got) != trimLines(want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func TestRenderFromManyGoroutinesAtOnce(t *testing.T) {
	c := readContent(t, "testdata/render/headings-lists.md")
	want, err := Render(c, member)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := Render(c, member)
				if err != nil || got != want {
					t.Errorf("got a different rendering (%v) when rendering concurrently", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
