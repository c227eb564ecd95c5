package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"golang.org/x/text/unicode/norm"
)

// snippetWords is how many words a snippet shows around the first word found.
const snippetWords = 18

// textWord is a word of a text: where it is (bytes) and, for each of its
// letters folded as the index folds them (lower case, accents removed), where
// that letter came from, so a match in folded text marks the original.
type textWord struct {
	start, end int
	folded     []rune
	from       []int // byte offset in the text of each folded rune
	to         []int // and the end of the rune it came from
}

// fold lower-cases r and takes its accents off ("É" → "e"), as the index's
// remove_diacritics does; a letter may fold to none (a lone combining mark).
func fold(r rune) []rune {
	if r < utf8.RuneSelf {
		return []rune{unicode.ToLower(r)}
	}
	var out []rune
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			out = append(out, unicode.ToLower(d))
		}
	}
	return out
}

// splitText splits text into words (runs of letters, marks and digits, as
// searchWords reads what is typed).
func splitText(text string) []textWord {
	var words []textWord
	var w *textWord
	for i, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
			w = nil
			continue
		}
		if w == nil {
			words = append(words, textWord{start: i})
			w = &words[len(words)-1]
		}
		end := i + utf8.RuneLen(r)
		w.end = end
		for _, f := range fold(r) {
			w.folded = append(w.folded, f)
			w.from = append(w.from, i)
			w.to = append(w.to, end)
		}
	}
	return words
}

// foldWord folds a word typed.
func foldWord(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, fold(r)...)
	}
	return out
}

// matchIn returns where (in bytes of the text) a word of the text holds one
// of the words searched: the whole word, its start for the last one typed
// (a prefix), anywhere inside it for a substring search; ok false if none.
func matchIn(w textWord, searched [][]rune, substring bool) (start, end int, ok bool) {
	for i, s := range searched {
		if len(s) == 0 || len(s) > len(w.folded) {
			continue
		}
		last := i == len(searched)-1
		for at := 0; at+len(s) <= len(w.folded); at++ {
			if string(w.folded[at:at+len(s)]) != string(s) {
				if !substring {
					break
				}
				continue
			}
			if at == 0 && !substring && !last && len(s) != len(w.folded) {
				break // a word other than the last must match whole
			}
			return w.from[at], w.to[at+len(s)-1], true
		}
	}
	return 0, 0, false
}

// snippet picks the first of texts that holds a word searched and returns a
// short piece of it around that word, the words found marked. Text is kept
// as text (the window never renders it as markup); line breaks and runs of
// spaces become one space. None found (a match FTS5 made that this reading
// misses): the start of the first text that is not empty.
func snippet(searched []string, substring bool, texts ...string) []app.SnippetPart {
	folded := make([][]rune, len(searched))
	for i, s := range searched {
		folded[i] = foldWord(s)
	}
	for _, text := range texts {
		words := splitText(text)
		for i, w := range words {
			if _, _, ok := matchIn(w, folded, substring); ok {
				return snippetAround(text, words, max(0, min(i-snippetWords/3, len(words)-snippetWords)), folded, substring)
			}
		}
	}
	for _, text := range texts {
		if strings.TrimSpace(text) != "" {
			return snippetAround(text, splitText(text), 0, folded, substring)
		}
	}
	return []app.SnippetPart{}
}

// snippetAround cuts text to snippetWords words from words[first] and marks
// the words found in that piece.
func snippetAround(text string, words []textWord, first int, searched [][]rune, substring bool) []app.SnippetPart {
	last := min(len(words), first+snippetWords) - 1
	from, to := 0, len(text)
	if first > 0 {
		from = words[first].start
	}
	if last < len(words)-1 {
		to = words[last].end
	}
	var parts []app.SnippetPart
	add := func(s string, hit bool) {
		if !hit {
			s = oneLine(s)
		}
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Hit == hit {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, app.SnippetPart{Text: s, Hit: hit})
	}
	if first > 0 {
		add("…", false)
	}
	at := from
	for _, w := range words[first : last+1] {
		if start, end, ok := matchIn(w, searched, substring); ok {
			add(text[at:start], false)
			add(text[start:end], true)
			at = end
		}
	}
	add(text[at:to], false)
	if to < len(text) {
		add("…", false)
	}
	if len(parts) > 0 && !parts[0].Hit {
		parts[0].Text = strings.TrimLeft(parts[0].Text, " ")
	}
	if n := len(parts); n > 0 && !parts[n-1].Hit {
		parts[n-1].Text = strings.TrimRight(parts[n-1].Text, " ")
	}
	out := parts[:0]
	for _, p := range parts {
		if p.Text != "" {
			out = append(out, p)
		}
	}
	return out
}

// oneLine turns every run of white space (line breaks too) into one space.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
