package trim

import (
	"strings"
	"testing"
)

// The lookups lower-case the line and compare it with the tables as they are, so
// a phrase written with a capital would silently never match.
func TestPhraseTablesAreLowerCase(t *testing.T) {
	check := func(table, lang string, phrases []string) {
		t.Helper()
		for _, p := range phrases {
			if p != strings.ToLower(p) || p != strings.TrimSpace(p) || p == "" {
				t.Errorf("%s[%s]: got %q, want it lower case and trimmed", table, lang, p)
			}
		}
	}
	for lang, w := range attributionLanguages {
		for _, list := range [][]string{w.closing, w.joined, w.before, w.open, w.quoting} {
			check("attributionLanguages", lang, list)
		}
	}
	for lang, phrases := range separatorPhrases {
		check("separatorPhrases", lang, phrases)
	}
	for lang, names := range headerFieldNames {
		check("headerFieldNames", lang, names)
	}
	for lang, phrases := range signOffPhrases {
		check("signOffPhrases", lang, phrases)
	}
	for lang, o := range footerOpenings {
		check("footerOpenings", lang, o.verbs)
		check("footerOpenings", lang, o.preps)
	}
}

// A separator phrase outside the byte bounds that isMarker checks first could
// never match.
func TestSeparatorPhrasesFitMarkerBounds(t *testing.T) {
	for lang, phrases := range separatorPhrases {
		for _, p := range phrases {
			if len(p) < minMarkerPhrase || len(p) > maxMarkerPhrase {
				t.Errorf("separatorPhrases[%s]: got %q of %d bytes, want %d to %d", lang, p, len(p), minMarkerPhrase, maxMarkerPhrase)
			}
		}
	}
}
