package trim

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the .text and .quoted golden files under testdata/cases")

// fixtures are the package's own cases under testdata/cases: NAME.email is the body
// as it arrives, NAME.text and NAME.quoted the expected Result.
var fixtures = []struct {
	name string
	why  string
}{
	{"gmail_english", "a Gmail top-post keeps only the member's words and signoff"},
	{"gmail_wrapped_attribution", "an attribution Gmail wrapped over two lines is elided whole"},
	{"outlook_header_block", "an Outlook From/Sent/To/Subject block after a rule is elided"},
	{"outlook_french_headers", "a French Outlook header block (De :, Envoyé :, À :, Objet :) is elided"},
	{"french_attribution", "Le … a écrit : with a no-break space is elided"},
	{"german_attribution", "Am … schrieb …: is elided and Viele Grüße stays"},
	{"spanish_attribution", "El … escribió: is elided"},
	{"japanese_attribution", "a Japanese Gmail attribution without a verb is elided"},
	{"japanese_apple_mail", "Apple Mail's Japanese のメール： and iPhoneから送信 are elided"},
	{"chinese_attribution", "a Chinese 写道： attribution is elided"},
	{"russian_gmail_attribution", "a Russian Gmail attribution ending in <address>: is elided"},
	{"iphone_footer", "Sent from my iPhone goes with the quoted part"},
	{"swedish_mobile_footer", "Skickat från min iPhone and … skrev …: are elided"},
	{"dash_signature", "everything after the \"-- \" delimiter is a signature"},
	{"bottom_posted_interleaved", "an interleaved reply keeps the member's answers with the questions they answer"},
	{"forwarded_message", "a forwarded message below the member's note is elided"},
	{"german_original_message", "-----Ursprüngliche Nachricht----- and its header block are elided"},
	{"only_quoted_text", "a reply that only quotes the announcement has no text"},
	{"no_quote", "a message with no quote at all is kept whole"},
	{"code_with_quote_marks", "\">\" and \"--\" inside a fenced code block are the member's code"},
	{"markdown_heading_and_to_line", "a Markdown heading rule and a lone \"To:\" line are the member's text"},
	{"crlf_line_endings", "CRLF bodies come out with \"\\n\" and no trailing spaces"},
	{"polish_thunderbird", "Thunderbird's Polish W dniu … pisze: is elided"},
	{"get_outlook_footer", "Get Outlook for Android and the header block after it are elided"},
	{"from_my_phone_sentence", "a sentence that mentions writing from a phone is the member's, not a footer"},
}

func TestReplyFixtures(t *testing.T) {
	for _, tc := range fixtures {
		t.Run(tc.name, func(t *testing.T) {
			base := filepath.Join("testdata", "cases", tc.name)
			got := Reply(readFile(t, base+".email"))
			if *update {
				writeGolden(t, base+".text", got.Text)
				writeGolden(t, base+".quoted", got.Quoted)
				return
			}
			if want := normalise(readFile(t, base+".text")); got.Text != want {
				t.Errorf("%s\nText: got\n%s\n---- want\n%s", tc.why, got.Text, want)
			}
			if want := normalise(readFile(t, base+".quoted")); got.Quoted != want {
				t.Errorf("%s\nQuoted: got\n%s\n---- want\n%s", tc.why, got.Quoted, want)
			}
		})
	}
}

// Every fixture on disk is in the table, so that none is silently skipped.
func TestEveryFixtureIsListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.email"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tc := range fixtures {
		listed[tc.name] = true
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".email")
		if !listed[name] {
			t.Errorf("fixture %s: got unlisted, want an entry in fixtures", name)
		}
	}
	if len(files) != len(fixtures) {
		t.Errorf("fixture files: got %d, want %d", len(files), len(fixtures))
	}
}

func writeGolden(t *testing.T, path, s string) {
	t.Helper()
	if s != "" {
		s += "\n"
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReplyOfEmptyBodyIsEmpty(t *testing.T) {
	for _, body := range []string{"", "\n", "  \r\n\t\n"} {
		if got := Reply(body); got != (Result{}) {
			t.Errorf("Reply(%q): got %+v, want empty", body, got)
		}
	}
}

// A megabyte of quoted lines must be trimmed in one pass: no rule may backtrack.
// Speed itself is measured by BenchmarkReplyLargeQuote, not asserted here.
func TestReplyOfMegabyteQuote(t *testing.T) {
	body := largeQuote(1 << 20)
	got := Reply(body)
	if got.Text != "Short answer on top." {
		t.Errorf("Text: got %.80q, want %q", got.Text, "Short answer on top.")
	}
	if !strings.HasPrefix(got.Quoted, "On Mon, Mar 4, 2024 at 9:15 AM Coach Ann <coach@example.com> wrote:\n> ") {
		t.Errorf("Quoted: got %.80q, want the attribution and the quote", got.Quoted)
	}
}

// A megabyte on a single line, and a megabyte of nothing but attribution-like
// lines, go through the same linear path.
func TestReplyOfHostileBodies(t *testing.T) {
	bodies := map[string]string{
		"one long line":      strings.Repeat("On 4 Mar 2024 <a@b> ", 1<<16),
		"attribution lines":  strings.Repeat("On Mon, Mar 4, 2024 at 9:15 AM Ann <\n", 1<<15),
		"header lines":       strings.Repeat("From: a\nTo: b\nSubject: c\n", 1<<15),
		"unclosed fences":    strings.Repeat("```\n> q\n", 1<<15),
		"delimiters":         strings.Repeat("--\n", 1<<16),
		"nested quote marks": strings.Repeat(">", 1<<20),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			checkInvariants(t, body, Reply(body))
		})
	}
}

func largeQuote(size int) string {
	var b strings.Builder
	b.WriteString("Short answer on top.\n\nOn Mon, Mar 4, 2024 at 9:15 AM Coach Ann <coach@example.com> wrote:\n")
	for b.Len() < size {
		b.WriteString("> This week: write down one habit you want to keep, and why it matters.\n")
	}
	return b.String()
}

// checkInvariants holds for every body: no line of Text or Quoted is made up, and
// nothing is returned with a trailing space or a CR. A line is made up unless, white
// space and quote marks set aside, it is a piece of the body as it is or of the body
// with its "Name> " quote prefixes rewritten to "> " (wrapped attributions are
// joined, so a piece may span several lines of the body).
func checkInvariants(t *testing.T, body string, got Result) {
	t.Helper()
	squeezed := squeeze(body)
	var rewritten strings.Builder
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r", "\n"), "\n") {
		rewritten.WriteString(squeeze(normaliseQuotePrefix(strings.TrimRightFunc(l, unicode.IsSpace))))
	}
	squeezedRewritten := rewritten.String()
	for _, part := range []struct{ name, text string }{{"Text", got.Text}, {"Quoted", got.Quoted}} {
		if strings.ContainsRune(part.text, '\r') {
			t.Errorf("%s: got a CR, want none", part.name)
		}
		for _, l := range strings.Split(part.text, "\n") {
			if strings.TrimRightFunc(l, unicode.IsSpace) != l {
				t.Errorf("%s: got trailing space in %.60q, want none", part.name, l)
			}
			if l := squeeze(l); !strings.Contains(squeezed, l) && !strings.Contains(squeezedRewritten, l) {
				t.Errorf("%s: got line %.60q, want only lines from the body", part.name, l)
			}
		}
	}
}

// squeeze drops white space, and the quote marks that normalising "Name> " and
// "| " prefixes may change, so that lines can be compared with the body they came
// from.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '>' || r == '|' {
			return -1
		}
		return r
	}, s)
}

func FuzzReply(f *testing.F) {
	for _, tc := range fixtures {
		b, err := os.ReadFile(filepath.Join("testdata", "cases", tc.name+".email"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	families, err := filepath.Glob(filepath.Join("testdata", "families", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range families {
		f.Add(parseFamilyFixture(f, path).body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		start := time.Now()
		got := Reply(body)
		// Only while fuzzing: a slow input is a finding, but timing is no part of the
		// ordinary test run, where the seeds run on a machine of any speed.
		if d := time.Since(start); fuzzing() && d > time.Second {
			t.Errorf("Reply took %v on %d bytes, want well under a second", d, len(body))
		}
		checkInvariants(t, body, got)
		// A signature learned from the body itself exercises the signature path on
		// every input; it too may only move lines, never make them up.
		sig := LearnSignature([]string{got.Text, got.Text})
		checkInvariants(t, body, ReplyWithSignature(body, sig))
	})
}

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// benchBodies is the shared corpus when it is there, and the package's fixtures.
func benchBodies(b *testing.B) []string {
	var bodies []string
	if dir := corpusDir(b); dir != "" {
		for _, name := range corpusNames(b, dir) {
			bodies = append(bodies, readFile(b, filepath.Join(dir, "emails", name+".txt")))
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.email"))
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		bodies = append(bodies, readFile(b, f))
	}
	return bodies
}

// BenchmarkReply trims every corpus and fixture body once per iteration.
func BenchmarkReply(b *testing.B) {
	bodies := benchBodies(b)
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			Reply(body)
		}
	}
}

// BenchmarkReplyLargeQuote trims a 1 MB body of quoted lines.
func BenchmarkReplyLargeQuote(b *testing.B) {
	body := largeQuote(1 << 20)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Reply(body)
	}
}
