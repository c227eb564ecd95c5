package clientcsv

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

func readFixture(t *testing.T, name string) (*File, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, nil)
}

func TestRead(t *testing.T) {
	cases := []struct {
		file      string
		encoding  string
		separator rune
		first     app.ClientInput
		rows      int
	}{
		{"crlf-first-last.csv", "UTF-8", ',', app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com",
			Phone: "+44 20 7946 0000", Tags: []string{"vip", "london"}}, 2},
		{"utf8-bom.csv", "UTF-8 with BOM", ',', app.ClientInput{Name: "Zoë Ångström", Email: "zoe@example.se", Status: "paused"}, 1},
		{"windows-1252-semicolon.csv", "Windows-1252", ';', app.ClientInput{Name: "François Müller",
			Email: "francois@example.fr", Notes: "Café crème € 5"}, 1},
		{"tabs.csv", "UTF-8", '\t', app.ClientInput{Name: "Ken Thompson", Email: "ken@example.com", Tags: []string{"unix"}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := readFixture(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.encoding || f.Separator != tc.separator {
				t.Fatalf("got %s / %q, want %s / %q", f.Encoding, f.Separator, tc.encoding, tc.separator)
			}
			if len(f.Rows) != tc.rows || len(f.Rejected) != 0 {
				t.Fatalf("got %d rows and rejected %+v, want %d rows and none rejected", len(f.Rows), f.Rejected, tc.rows)
			}
			if got := f.Rows[0].Client; fmt.Sprint(got) != fmt.Sprint(tc.first) {
				t.Fatalf("got %+v, want %+v", got, tc.first)
			}
			if f.Rows[0].Line != 2 {
				t.Fatalf("got line %d for the first row, want 2", f.Rows[0].Line)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	f, err := readFixture(t, "rejects.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range f.Rejected {
		got = append(got, fmt.Sprintf("%d: %s", r.Line, r.Reason))
	}
	want := []string{
		"3: The email is empty.",
		`4: "not-an-email" is not an email address.`,
		"5: The email ADA@example.com is already on line 2 of this file.",
		`8: The line could not be read as CSV: a quote mark (") is out of place; a cell with quotes must start and end with one.`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got rejected\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var emails []string
	for _, r := range f.Rows {
		emails = append(emails, fmt.Sprintf("%d:%s", r.Line, r.Client.Email))
	}
	if strings.Join(emails, " ") != "2:ada@example.com 6:multi@example.com 9:last@example.com" {
		t.Fatalf("got rows %v, want lines 2, 6 and 9 (line numbers count the lines inside quoted cells)", emails)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"empty.csv", "The file is empty: there is no header line and no client in it."},
		{"no-email-column.csv", `No column holds email addresses. Choose the email column, or add one named "Email" to the file.`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := readFixture(t, tc.file)
			if app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("Binary", func(t *testing.T) {
		_, err := Read(bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00")), nil)
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v, want a clear refusal of a binary file", err)
		}
	})
	t.Run("HeaderOnly", func(t *testing.T) {
		f, err := readFixture(t, "header-only.csv")
		if err != nil || len(f.Rows) != 0 {
			t.Fatalf("got %v, %v; want no rows and no error", f, err)
		}
	})
	t.Run("MappingOutOfRange", func(t *testing.T) {
		_, err := Read(strings.NewReader("a,b\n1,2\n"), map[string]int{"email": 5})
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v, want EINVALID", err)
		}
	})
	t.Run("ChosenMapping", func(t *testing.T) {
		f, err := Read(strings.NewReader("who,where\nAda,ada@example.com\n"), map[string]int{"name": 0, "email": 1})
		if err != nil || f.Rows[0].Client.Name != "Ada" || f.Rows[0].Client.Email != "ada@example.com" {
			t.Fatalf("got %+v, %v; want the coach's mapping used", f, err)
		}
	})
}

func TestGuessMapping(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		want    string
	}{
		{[]string{"E-mail", "Name"}, "map[email:0 name:1]"},
		{[]string{"Email Address", "First Name", "Last Name"}, "map[email:0 first_name:1 last_name:2]"},
		{[]string{"Prénom", "Nom", "Courriel", "Téléphone"}, "map[email:2 first_name:0 last_name:1 phone:3]"},
		{[]string{"Vorname", "Name", "E-Mail-Adresse", "Schlagwörter"}, "map[email:2 first_name:0 last_name:1 tags:3]"},
		{[]string{"Nombre", "Apellidos", "Correo electrónico", "Etiquetas", "Notas"}, "map[email:2 first_name:0 last_name:1 notes:4 tags:3]"},
		{[]string{"Nome", "Cognome", "Indirizzo e-mail"}, "map[email:2 first_name:0 last_name:1]"},
		{[]string{"Voornaam", "Achternaam", "E-mailadres"}, "map[email:2 first_name:0 last_name:1]"},
		{[]string{"Nom", "Adresse e-mail", "Étiquettes", "Fuseau horaire"}, "map[email:1 name:0 tags:2 time_zone:3]"},
		{[]string{"EMAIL", "Mobile Phone", "Time Zone", "Labels", "Unknown"}, "map[email:0 phone:1 tags:3 time_zone:2]"},
		{[]string{"email", "Email"}, "map[email:0]"},
	} {
		if got := fmt.Sprint(GuessMapping(tc.headers)); got != tc.want {
			t.Errorf("GuessMapping(%q): got %s, want %s", tc.headers, got, tc.want)
		}
	}
}

// TestGuessMappingByContent: the email column is found by what it holds when
// no header names it, and "Nom" holding whole names stays the whole name.
func TestGuessMappingByContent(t *testing.T) {
	f, err := Read(strings.NewReader("Prénom;Nom;Contact\nAna;Ana Lima;ana@example.net\nBen;Ben Okafor;ben@example.org\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(f.Mapping); got != "map[email:2 first_name:0 name:1]" {
		t.Fatalf("got %s, want the email column found by content and Nom as the whole name", got)
	}
	if f.Rows[0].Client.Name != "Ana Lima" || f.Rows[1].Client.Email != "ben@example.org" {
		t.Fatalf("got %+v, want Ana Lima and Ben's address", f.Rows)
	}

	f, err = Read(strings.NewReader("Prénom;Nom;Adresse électronique perso\nÉlodie;Durand;elodie@example.fr\n"), nil)
	if err != nil || f.Rows[0].Client.Name != "Élodie Durand" {
		t.Fatalf("got %+v, %v; want first and last name joined, never only the last name", f, err)
	}

	f, err = Read(strings.NewReader("Wer;Was\nAna;Tee\n"), nil)
	if !errors.Is(err, ErrNoEmailColumn) || f == nil || len(f.Headers) != 2 || len(f.Cells) != 1 {
		t.Fatalf("got %+v, %v; want ErrNoEmailColumn with the headers and cells to choose from", f, err)
	}
}

func TestExportImportsAgain(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.CreateClient(ctx, app.ClientInput{Name: "=HYPERLINK(\"x\")", Email: "formula@example.com", Phone: "+1 555 0100",
		Tags: []string{"a, b", "c"}, Aliases: []string{"f2@example.com"}, Notes: "line one\nline two"})
	clients, _ := db.AllClients(ctx, false)
	var buf bytes.Buffer
	if err := Write(&buf, clients); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, `'=HYPERLINK`) || !strings.Contains(out, ",+1 555 0100,") {
		t.Fatalf("got %q, want formulas defused and phone numbers left alone", out)
	}
	f, err := Read(strings.NewReader(out), nil)
	if err != nil || len(f.Rows) != 1 {
		t.Fatalf("got %v, %v; want the export to read back", f, err)
	}
	got := f.Rows[0].Client
	if got.Email != "formula@example.com" || got.Notes != "line one\nline two" || fmt.Sprint(got.Aliases) != "[f2@example.com]" {
		t.Fatalf("got %+v, want the exported client back", got)
	}
}

// tenThousand returns a CSV export of n clients as a spreadsheet would write it.
func tenThousand(n int) []byte {
	var b bytes.Buffer
	b.WriteString("First Name,Last Name,Email,Phone,Tags,Notes\n")
	for i := range n {
		fmt.Fprintf(&b, "First%d,Last%d,client%05d@example.com,+1 555 %04d,\"tag%d, spring\",Note for client %d\n", i, i, i, i%10000, i%7, i)
	}
	return b.Bytes()
}

func TestImportTenThousand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "big.csv")
	os.WriteFile(path, tenThousand(10000), 0o600)
	db, err := store.Open(filepath.Join(dir, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var reports int
	sum, err := Import(ctx, db, path, nil, app.OnDuplicateUpdate, func(app.Progress) { reports++ })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 10000 || len(sum.Rejected) != 0 {
		t.Fatalf("got %+v, want 10000 imported", sum)
	}
	if reports < 10 {
		t.Fatalf("got %d progress reports, want a steady stream for the progress bar", reports)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{Query: "client09999"}); p.Total != 1 {
		t.Fatalf("got %d matches for the last client, want 1", p.Total)
	}
	// Importing the same file again updates everyone and adds no one.
	sum, _ = Import(ctx, db, path, nil, app.OnDuplicateUpdate, app.NoProgress)
	if sum.Imported != 0 || sum.Updated != 10000 {
		t.Fatalf("got %+v on the second import, want 10000 updated", sum)
	}
}

// BenchmarkImport10000 measures reading and importing a 10,000-client CSV into a
// fresh workspace, the figure the coach feels when moving from another tool.
func BenchmarkImport10000(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "big.csv")
	os.WriteFile(path, tenThousand(10000), 0o600)
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("w%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := Import(ctx, db, path, nil, app.OnDuplicateUpdate, app.NoProgress); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

func TestPreviewShowsTheFilesOwnCells(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := Preview(context.Background(), db, filepath.Join("testdata", "crlf-first-last.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.SampleCells) != 2 || fmt.Sprint(p.SampleCells[0]) != "[Ada Lovelace ada@example.com +44 20 7946 0000 vip, london]" {
		t.Fatalf("got %q, want the first rows' cells as in the file", p.SampleCells)
	}
	if p.Rows != 2 || p.Sample[0].Client.Name != "Ada Lovelace" || p.Encoding != "UTF-8" {
		t.Fatalf("got %+v, want 2 rows read", p)
	}
}

// The rows an import skips can be saved to fix: the file's own header and cells
// with the reason beside them, and once fixed the file imports again without the
// reason column getting into a client.
func TestRejectedRowsSaveToFix(t *testing.T) {
	in := "Prénom;Nom;Adresse e-mail\nAna;Lima;ana@example.com\nBo;Li;not an email\nCleo;Park;ANA@example.com\n"
	f, err := Read(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rejected) != 2 {
		t.Fatalf("got %d rejected rows, want 2: %+v", len(f.Rejected), f.Rejected)
	}
	if !strings.Contains(f.Rejected[1].Reason, "line 2") {
		t.Errorf("the duplicate's reason %q does not name the first row's line", f.Rejected[1].Reason)
	}
	var out bytes.Buffer
	if err := WriteRejected(&out, f.Headers, f.Rejected); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Prénom", "Nom", "Adresse e-mail", "Why it was skipped"},
		{"Bo", "Li", "not an email", "Line 3: " + f.Rejected[0].Reason},
		{"Cleo", "Park", "ANA@example.com", "Line 4: " + f.Rejected[1].Reason},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows to fix:\n%q\nwant\n%q", got, want)
	}
	fixed := strings.Replace(strings.Replace(out.String(), "not an email", "bo@example.com", 1), "ANA@", "cleo@", 1)
	g, err := Read(strings.NewReader(fixed), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Rows) != 2 || len(g.Rejected) != 0 {
		t.Fatalf("the fixed file: %d rows, rejected %+v", len(g.Rows), g.Rejected)
	}
	if c := g.Rows[0].Client; c.Name != "Bo Li" || c.Email != "bo@example.com" || c.Notes != "" {
		t.Errorf("the fixed row imports as %+v", c)
	}
}
