package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"github.com/roundtablehq/roundtable/app"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// member is the member every golden file is rendered for.
var member = Vars{
	FirstName:   "Ann",
	Name:        "Ann Example",
	Email:       "ann@example.com",
	CohortName:  "Spring Cohort",
	CoachName:   "Coach Carla",
	Unsubscribe: "mailto:unsubscribe+ann@coach.example?subject=unsubscribe",
}

// readContent reads a testdata announcement: a "Subject: " line, a blank line,
// then the Markdown.
func readContent(tb testing.TB, path string) Content {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	head, md, ok := strings.Cut(string(raw), "\n\n")
	if !ok || !strings.HasPrefix(head, "Subject: ") {
		tb.Fatalf("%s: want a Subject: line and a blank line first", path)
	}
	return Content{Subject: strings.TrimPrefix(head, "Subject: "), Markdown: md}
}

// golden compares got with the file at path, or rewrites it under -update.
func golden(tb testing.TB, path, got string) {
	tb.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		tb.Errorf("%s differs from the rendered output (go test -update rewrites it); got:\n%s", path, got)
	}
}

func TestRenderMatchesGoldenFiles(t *testing.T) {
	inputs, err := filepath.Glob("testdata/render/*.md")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(in, ".md")
		t.Run(filepath.Base(name), func(t *testing.T) {
			v := member
			if strings.Contains(name, "japanese") {
				v.FirstName, v.Name = "花子", "山田 花子"
			}
			b, err := Render(readContent(t, in), v)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".html", b.HTML)
			golden(t, name+".txt", "Subject: "+b.Subject+"\n\n"+b.Text)
		})
	}
}

func TestPlainTextLinesFitSeventySixColumns(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/render/*.md")
	for _, in := range inputs {
		b, err := Render(readContent(t, in), member)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(b.Text, "\n") {
			if uniseg.StringWidth(line) <= TextWidth {
				continue
			}
			// Only an unbreakable URL or a code line may stick out.
			if !strings.Contains(line, "://") && !strings.HasPrefix(line, "    ") {
				t.Errorf("%s: line is %d columns wide, want at most %d: %q", in, uniseg.StringWidth(line), TextWidth, line)
			}
		}
		if !utf8.ValidString(b.Text) || !utf8.ValidString(b.HTML) {
			t.Errorf("%s: output is not valid UTF-8", in)
		}
	}
}

func TestURLsAreNeverBrokenInPlainText(t *testing.T) {
	b, err := Render(readContent(t, "testdata/render/links.md"), member)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		"<https://example.com/worksheets/week-3?utm_source=roundtable&utm_medium=email&utm_campaign=cohort-spring-2026-very-long-campaign-name>",
		"https://example.com/a/very/long/path/that/goes/on/and/on/and/on/without/any/spaces/at/all/index.html",
	} {
		if !strings.Contains(b.Text, u) {
			t.Errorf("got text without the whole URL %s:\n%s", u, b.Text)
		}
	}
}

func TestFooterCarriesCohortAndUnsubscribeInBothParts(t *testing.T) {
	b, err := Render(Content{Subject: "Hi", Markdown: "Hello"}, member)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Text, "\n-- \nYou receive this because you are in Spring Cohort.") ||
		!strings.Contains(b.Text, "_private_") || !strings.Contains(b.Text, "_pause_") ||
		!strings.Contains(b.Text, "Unsubscribe\n<"+member.Unsubscribe+">") {
		t.Errorf("got text %q, want the footer with cohort and unsubscribe address", b.Text)
	}
	if !strings.Contains(b.HTML, `href="mailto:unsubscribe+ann@coach.example?subject=unsubscribe"`) ||
		!strings.Contains(b.HTML, "Spring Cohort") {
		t.Errorf("got HTML without the unsubscribe link:\n%s", b.HTML)
	}

	digest, err := Render(Content{Subject: "Digest", Markdown: "Replies", Footer: "Digest for {{cohort}}."}, member)
	if err != nil {
		t.Fatal(err)
	}
	if got := digest.Text[strings.Index(digest.Text, "-- \n")+4:]; got != "Digest for Spring Cohort.\n" {
		t.Errorf("got footer %q, want %q", got, "Digest for Spring Cohort.\n")
	}
}

func TestFirstNameFallsBackToFirstWordOfName(t *testing.T) {
	b, err := Render(Content{Subject: "Hi {{first_name}}", Markdown: "Hi"}, Vars{Name: "Bo Lind"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Subject != "Hi Bo" {
		t.Errorf("got %q, want %q", b.Subject, "Hi Bo")
	}
}

func TestRenderRefusesAnAnnouncementTooLongForEmail(t *testing.T) {
	_, err := Render(Content{Subject: "x", Markdown: strings.Repeat("a", 2<<20)}, member)
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("got %v, want an %s error", err, app.EINVALID)
	}
}

func TestCohortSubject(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Welcome to {{cohort}}, {{ first_name }}", "Welcome to Spring Circle, ‹first name›"},
		{"A word from {{coach_name}}", "A word from Maya"},
		{"Week 3: your one big goal", "Week 3: your one big goal"},
		{"{{unknown}} stays", "{{unknown}} stays"},
	} {
		if got := CohortSubject(c.in, "Spring Circle", "Maya"); got != c.want {
			t.Errorf("CohortSubject(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A copy rendered from the cache must be byte for byte the copy rendered
// afresh: two members of a cohort share the body, never the footer or subject.
func TestCachedBodyEqualsAFreshRender(t *testing.T) {
	files, _ := filepath.Glob("testdata/render/*.md")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	ana := Vars{Name: "Ana Lima", Email: "ana@example.com", CohortName: "Spring", CoachName: "Sam", Unsubscribe: "mailto:coach+u-ana@example.com"}
	bo := Vars{Name: "Bo <Li>", Email: "bo@example.org", CohortName: "Spring", CoachName: "Sam", Unsubscribe: "mailto:coach+u-bo@example.com"}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := Content{Subject: "Week 1, {{first_name}}", Markdown: string(raw)}
		if _, err := Render(c, ana); err != nil { // fills the cache
			t.Fatal(err)
		}
		cached, err := Render(c, bo)
		if err != nil {
			t.Fatal(err)
		}
		bodies = fifo[renderedBody]{max: 4, maxBytes: 8 << 20, size: renderedBody.bytes}
		fresh, err := Render(c, bo)
		if err != nil {
			t.Fatal(err)
		}
		if cached != fresh {
			t.Errorf("%s: the cached copy differs from a fresh one", f)
		}
		if !strings.Contains(cached.HTML, "coach+u-bo@") || strings.Contains(cached.HTML, "coach+u-ana@") {
			t.Errorf("%s: Bo's copy carries someone else's unsubscribe link", f)
		}
		if !strings.Contains(cached.Subject, "Bo") {
			t.Errorf("%s: subject %q is not Bo's", f, cached.Subject)
		}
	}
	// More documents than the cache holds: the first one is rendered again, right.
	var first Body
	for i := 0; i < 10; i++ {
		b, err := Render(Content{Subject: "s", Markdown: fmt.Sprintf("Post number %d, **{{first_name}}**.", i%7)}, ana)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		}
		if i == 7 && b != first {
			t.Errorf("post 0 rendered again differs:\n%s\n%s", b.Text, first.Text)
		}
	}
}
