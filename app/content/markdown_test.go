package content_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/store"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(n)] = b
	}
	return out
}

// TestFolderRoundTrip: a folder written by hand imports; its export, imported
// into another workspace and exported again, is the same bytes; the values
// survive (quotes, colons, accents, blank lines, a rule inside the body).
func TestFolderRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	sum, err := content.Import(ctx, db, filepath.Join("testdata", "lessons"))
	if err != nil || sum.Created != 3 {
		t.Fatalf("import: %+v, %v; want 3 created", sum, err)
	}
	out1 := t.TempDir()
	if n, err := content.Export(ctx, db, out1); err != nil || n != 3 {
		t.Fatalf("export: %d, %v", n, err)
	}
	db2 := openStore(t)
	if _, err := content.Import(ctx, db2, out1); err != nil {
		t.Fatal(err)
	}
	out2 := t.TempDir()
	if _, err := content.Export(ctx, db2, out2); err != nil {
		t.Fatal(err)
	}
	a, b := readDir(t, out1), readDir(t, out2)
	if len(a) != 3 || len(b) != 3 {
		t.Fatalf("exported %d then %d files, want 3", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s changed on the round trip:\n%q\n%q", name, data, b[name])
		}
	}
	// The canonical form of a file already canonical is itself.
	hand := readDir(t, filepath.Join("testdata", "lessons"))
	if !bytes.Equal(hand["week-1.md"], a["week-1.md"]) {
		t.Errorf("week-1.md, written canonically by hand, exported as\n%s", a["week-1.md"])
	}

	ls, _ := db2.Lessons(ctx)
	want := []app.Lesson{
		{Slug: "week-1", Title: "Week 1: Foundations", Module: "Foundations", Order: 1, CheckIn: "What did you try this week?", AskDone: true,
			Body: "# Where we start\n\nWrite down **one** habit you want.\n\n- a list\n- of things\n"},
		{Slug: "semaine-2", Title: "Semaine 2 — « Les habitudes »", Module: "Foundations", Order: 2,
			Body: "No blank line after the fence, CRLF line ends,\nand no newline at the end."},
		{Slug: "quotes", Title: `Quotes "and" colons: # not a comment`, Order: 3, CheckIn: "Which one: A, B or C?",
			Body: "\n\nThree blank lines above this one stay two.\n\n---\n\nA rule inside the body is body.\n"},
	}
	if len(ls) != len(want) {
		t.Fatalf("got %d lessons, want %d", len(ls), len(want))
	}
	for i, w := range want {
		g := ls[i]
		g.ID, g.UpdatedAt = 0, w.UpdatedAt
		if g != w {
			t.Errorf("lesson %d: got %+v, want %+v", i, g, w)
		}
	}
}

// TestReimportUpdatesInPlace: importing the folder again changes the lessons
// that changed, keeps their ids (and so their curriculum), adds none.
func TestReimportUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	dir := t.TempDir()
	src := readDir(t, filepath.Join("testdata", "lessons"))
	for name, data := range src {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	if _, err := content.Import(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Lessons(ctx)
	edited := bytes.Replace(src["week-1.md"], []byte("**one** habit"), []byte("**two** habits"), 1)
	os.WriteFile(filepath.Join(dir, "week-1.md"), edited, 0o644)
	sum, err := content.Import(ctx, db, dir)
	if err != nil || sum != (app.LessonImport{Updated: 1, Unchanged: 2}) {
		t.Fatalf("re-import: %+v, %v; want 1 updated, 2 unchanged", sum, err)
	}
	after, _ := db.Lessons(ctx)
	ids := func(ls []app.Lesson) (out []int64) {
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	if !slices.Equal(ids(before), ids(after)) {
		t.Errorf("ids changed: %v then %v", ids(before), ids(after))
	}
	if !bytes.Contains([]byte(after[0].Body), []byte("**two** habits")) {
		t.Errorf("week 1 was not updated: %q", after[0].Body)
	}
}

// TestImportRefusesABadFolder: a file with a mistake stops the import with
// its name, and nothing is written.
func TestImportRefusesABadFolder(t *testing.T) {
	ctx := context.Background()
	for name, data := range map[string]string{
		"no-front-matter.md": "# Just Markdown\n",
		"unknown-key.md":     "---\ntitle: A\ntitel: typo\n---\n\nBody\n",
		"no-title.md":        "---\norder: 1\n---\n\nBody\n",
		"unclosed.md":        "---\ntitle: A\n\nBody\n",
		"same-title.md":      "---\ntitle: GOOD\n---\n\nAgain.\n",
		"placeholder.md":     "---\ntitle: Hi\n---\n\nHello {{firstname}}.\n",
	} {
		t.Run(name, func(t *testing.T) {
			db := openStore(t)
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a-good-one.md"), []byte("---\ntitle: Good\norder: 1\n---\n\nFine.\n"), 0o644)
			os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
			_, err := content.Import(ctx, db, dir)
			if app.ErrorCode(err) != app.EINVALID || !bytes.Contains([]byte(err.Error()), []byte(name)) {
				t.Errorf("got %v, want an invalid error naming %s", err, name)
			}
			if ls, _ := db.Lessons(ctx); len(ls) != 0 {
				t.Errorf("%d lessons written", len(ls))
			}
		})
	}
}

// FuzzLessonFile: whatever a file holds, a lesson read from it writes out in
// the canonical form, which reads back to the same lesson and writes out to
// the same bytes.
func FuzzLessonFile(f *testing.F) {
	for _, name := range []string{"week-1.md", "semaine-2.md", "quotes.md"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "lessons", name))
		f.Add(b)
	}
	f.Add([]byte("---\ntitle: \"a: b\"\norder: -3\ncheckin: '#'\ndone: true\n---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := content.ReadLessonFile("x.md", data)
		if err != nil {
			return
		}
		l := app.Lesson{Slug: in.Slug, Title: in.Title, Module: in.Module, Order: in.Order, Body: in.Body, CheckIn: in.CheckIn, AskDone: in.AskDone}
		out, err := content.LessonFile(l)
		if err != nil {
			t.Fatalf("write %+v: %v", l, err)
		}
		again, err := content.ReadLessonFile("x.md", out)
		if err != nil {
			t.Fatalf("the canonical form does not read back: %v\n%q", err, out)
		}
		if again != in {
			t.Fatalf("read back %+v, want %+v\n%q", again, in, out)
		}
		if out2, _ := content.LessonFile(l); !bytes.Equal(out, out2) {
			t.Fatalf("two writes differ")
		}
	})
}
