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

// FuzzQuotedPrintableFastPathIsExact holds appendQP, which copies runs of
// plain bytes at once, to the byte-at-a-time encoding it replaced: resends
// must stay byte-identical, whatever the text.
func FuzzQuotedPrintableFastPathIsExact(f *testing.F) {
	for _, s := range []string{
		strings.Repeat("word ", 40), strings.Repeat("x", 74) + " \n" + strings.Repeat("y", 80),
		strings.Repeat("a", 75) + ".b\nFrom here\n.dot", strings.Repeat("ab ", 25) + "\t\nend ", "é" + strings.Repeat("z", 73) + "From x",
		strings.Repeat("1234567890", 7) + "1234 ", "trailing\t", "\r\nx\ry \r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendQP(nil, s), qpByteByByte(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("for %q got\n%q\nwant\n%q", s, got, want)
		}
	})
}

// qpByteByByte is the encoding decided one byte at a time.
func qpByteByByte(dst []byte, s string) []byte {
	const maxLen = 76
	col := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			dst = append(dst, '\r', '\n')
			col = 0
			continue
		}
		n := 1
		switch {
		case qpLiteral[c]:
			if col == 0 && (c == '.' || c == 'F' && strings.HasPrefix(s[i:], "From ")) {
				n = 3
			}
		case c == ' ' || c == '\t':
			if i+1 == len(s) || s[i+1] == '\n' || s[i+1] == '\r' {
				n = 3
			}
		default:
			n = 3
		}
		if col+n > maxLen-1 {
			atEnd := i+1 == len(s) || s[i+1] == '\n' || s[i+1] == '\r'
			if !atEnd || col+n > maxLen {
				dst = append(dst, '=', '\r', '\n')
				col = 0
				if c == '.' || c == 'F' && strings.HasPrefix(s[i:], "From ") {
					n = 3
				}
			}
		}
		if n == 3 {
			dst = append(dst, '=', hexUpper[c>>4], hexUpper[c&0x0f])
		} else {
			dst = append(dst, c)
		}
		col += n
	}
	return dst
}

// BenchmarkQuotedPrintable encodes 100 KB of a digest's text both ways.
func BenchmarkQuotedPrintable(b *testing.B) {
	text := strings.Repeat("I tried the morning pages every day this week, and it changed how I start work — before the calls.\n", 1000)
	b.Run("runs", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			appendQP(make([]byte, 0, len(text)+len(text)/8), text)
		}
	})
	b.Run("byte-by-byte", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			qpByteByByte(make([]byte, 0, len(text)+len(text)/8), text)
		}
	})
}
