package content

import (
	"strings"
	"unicode"
)

// doneWords are the first lines that mark a lesson done, in English, French,
// German and Spanish, as normalizeLine leaves them (lower case, no accents, no
// punctuation).
var doneWords = map[string]bool{
	"done": true, "all done": true, "im done": true, "i am done": true, "finished": true, "complete": true, "completed": true,
	"fait": true, "cest fait": true, "termine": true, "terminee": true, "fini": true, "finie": true,
	"erledigt": true, "fertig": true, "ich bin fertig": true, "geschafft": true,
	"hecho": true, "listo": true, "lista": true, "terminado": true, "terminada": true, "ya esta": true,
}

// IsDone reports whether a reply marks a lesson done: its first line is
// "done" or a common equivalent ("Fait !", "Erledigt.", "¡Listo!", "DONE ✅").
// It returns the rest of the reply, after that line, trimmed.
func IsDone(text string) (bool, string) {
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, "\n")
	if len(first) > 40 {
		return false, ""
	}
	return doneWords[normalizeLine(first)], strings.TrimSpace(rest)
}

// normalizeLine lower-cases a line, drops accents, apostrophes and everything
// that is not a letter, and joins the words with single spaces.
func normalizeLine(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r):
			b.WriteRune(fold(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// fold takes the accent off the letters French, German and Spanish put them on.
func fold(r rune) rune {
	switch r {
	case 'à', 'â', 'á', 'ä':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'î', 'ï', 'í':
		return 'i'
	case 'ô', 'ó', 'ö':
		return 'o'
	case 'ù', 'û', 'ú', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}
