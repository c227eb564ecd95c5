package trim

import (
	"path/filepath"
	"strings"
	"testing"
)

// minFamilyFixtures is how many hand-written fixtures testdata/families must hold,
// so that a glob that silently matches nothing cannot pass.
const minFamilyFixtures = 60

// familyFixture is one file of testdata/families, named FAMILY-N.txt:
//
//	why: what the case shows, in one line
//	=== body
//	the reply as the member's client sent it
//	=== text
//	what the coach should see: the member's words and nothing else
//
// Unlike the golden files under testdata/cases, the expected text is written by
// hand and never regenerated, so a fixture fails until the trimmer gets it right.
type familyFixture struct {
	why, body, text string
}

func parseFamilyFixture(tb testing.TB, path string) familyFixture {
	tb.Helper()
	raw := strings.ReplaceAll(readFile(tb, path), "\r\n", "\n")
	head, rest, ok := strings.Cut(raw, "\n=== body\n")
	if !ok || !strings.HasPrefix(head, "why: ") {
		tb.Fatalf("%s: got no 'why:' line and '=== body' marker, want both", path)
	}
	body, text, ok := strings.Cut(rest, "=== text\n")
	if !ok {
		tb.Fatalf("%s: got no '=== text' marker, want one", path)
	}
	return familyFixture{why: strings.TrimPrefix(head, "why: "), body: body, text: normalise(text)}
}

// TestReplyFamilies checks every shape of reply found in the wild, grouped by
// family (attributions per language, separators, header blocks, mobile footers,
// and shapes that must not be cut), against what a coach should see.
func TestReplyFamilies(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "families", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minFamilyFixtures {
		t.Fatalf("family fixtures: got %d, want at least %d", len(files), minFamilyFixtures)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			fx := parseFamilyFixture(t, path)
			got := Reply(fx.body)
			if got.Text != fx.text {
				t.Errorf("%s\nText: got\n%s\n---- want\n%s", fx.why, got.Text, fx.text)
			}
			// What the member wrote is shown; everything else must still be behind
			// "show quoted text", not lost.
			if fx.text != normalise(fx.body) && got.Quoted == "" {
				t.Errorf("%s\nQuoted: got nothing, want the trimmed part", fx.why)
			}
			checkInvariants(t, fx.body, got)
			// What a member wrote, sent on its own, must come back whole: trimming
			// is idempotent, and none of the member's lines looks like history.
			if again := Reply(fx.text); again.Text != fx.text {
				t.Errorf("%s\nText of the member's words alone: got\n%s\n---- want them unchanged", fx.why, again.Text)
			}
		})
	}
}
