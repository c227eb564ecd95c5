package trim

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// Cases of the shared reply-trimming corpus that the trimmer does not match yet,
// with the reason. The corpus test fails when one of these starts to match, so that
// the lists only ever shrink.
var (
	knownTextGaps   = map[string]string{}
	knownQuotedGaps = map[string]string{}
)

// corpusDir finds ../shared/corpora/reply-trimming relative to the repository root
// (the directory holding go.mod), or returns "" when it is not there.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpora", "reply-trimming")
	if _, err := os.Stat(filepath.Join(corpus, "emails")); err != nil {
		return ""
	}
	return corpus
}

// corpusNames lists the cases of the corpus, sorted.
func corpusNames(tb testing.TB, dir string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "emails", "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	sort.Strings(names)
	return names
}

// normalise is the corpus's comparison: "\n" line endings, no trailing white space on
// any line, none at the end, and no blank lines at the start.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	s = strings.Join(lines, "\n")
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	return strings.TrimLeft(s, "\n")
}

func readFile(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func TestReplyMatchesSharedCorpus(t *testing.T) {
	dir := corpusDir(t)
	if dir == "" {
		t.Skip("reply-trimming corpus not found beside the repository")
	}
	names := corpusNames(t, dir)
	var textOK, quotedOK int
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			body := readFile(t, filepath.Join(dir, "emails", name+".txt"))
			wantText := normalise(readFile(t, filepath.Join(dir, "trimmed", name+".txt")))
			wantQuoted := normalise(readFile(t, filepath.Join(dir, "elided", name+".txt")))
			got := Reply(body)

			textMatch := normalise(got.Text) == wantText
			quotedMatch := normalise(got.Quoted) == wantQuoted
			if textMatch {
				textOK++
			}
			if quotedMatch {
				quotedOK++
			}
			checkGap(t, "Text", knownTextGaps, name, textMatch, got.Text, wantText)
			checkGap(t, "Quoted", knownQuotedGaps, name, quotedMatch, got.Quoted, wantQuoted)
		})
	}
	t.Logf("reply-trimming corpus: %d/%d trimmed texts match exactly", textOK, len(names))
	t.Logf("reply-trimming corpus: %d/%d elided (quoted) parts match exactly", quotedOK, len(names))
}

// checkGap fails a case that does not match unless it is a known gap, and fails a
// known gap that now matches so that the list is kept honest.
func checkGap(t *testing.T, what string, gaps map[string]string, name string, match bool, got, want string) {
	t.Helper()
	reason, known := gaps[name]
	switch {
	case !match && !known:
		t.Errorf("%s: got\n%s\n---- want\n%s", what, got, want)
	case match && known:
		t.Errorf("%s now matches; remove it from the known gaps (%s)", what, reason)
	case !match && known:
		t.Logf("%s: known gap: %s", what, reason)
	}
}
