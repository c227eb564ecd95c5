package message

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText returns the body bytes of a text part as UTF-8, and a sentence when
// they had to be guessed at. go-message has already converted known charsets;
// unknown is true when it could not, so data is still in the declared charset.
func decodeText(data []byte, declared string, unknown bool) (string, string) {
	if unknown {
		if utf8.Valid(data) {
			return string(data), fmt.Sprintf("The message declared charset %q, which Roundtable does not know; it was read as UTF-8.", clean(declared))
		}
		return windows1252(data), fmt.Sprintf("The message declared charset %q, which Roundtable does not know; it was read as Windows-1252.", clean(declared))
	}
	if utf8.Valid(data) {
		return string(data), ""
	}
	switch declared {
	case "", "us-ascii", "ascii":
		// 8-bit text with no charset (or a false "us-ascii") comes from old
		// Western mailers.
		return windows1252(data), "A text part had 8-bit characters but no charset; it was read as Windows-1252."
	default:
		return strings.ToValidUTF8(string(data), "\uFFFD"), fmt.Sprintf("A text part declared as %s held invalid characters; they were replaced with \uFFFD.", clean(declared))
	}
}

// windows1252 decodes b as Windows-1252, a superset of Latin-1 that every byte
// decodes in, so it never fails.
func windows1252(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// unflow joins the soft line breaks of a format=flowed body (RFC 3676), as Apple
// Mail and Thunderbird send it, so that paragraphs read as written and quoted
// lines keep their "> " marks for the trimmer.
func unflow(text string, delsp bool) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.Grow(len(text))
	var para strings.Builder
	paraDepth := -1
	flush := func() {
		if paraDepth < 0 {
			return
		}
		if paraDepth > 0 {
			b.WriteString(strings.Repeat(">", paraDepth))
			if para.Len() > 0 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(para.String())
		b.WriteByte('\n')
		para.Reset()
		paraDepth = -1
	}
	for _, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := line[depth:]
		if strings.HasPrefix(content, " ") {
			content = content[1:] // space-stuffing
		}
		if paraDepth >= 0 && depth != paraDepth {
			flush()
		}
		paraDepth = depth
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		para.WriteString(content)
		if !flowed {
			flush()
		}
	}
	flush()
	return strings.TrimSuffix(b.String(), "\n")
}
