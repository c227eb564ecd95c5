package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// run runs one command line against the workspace and returns its exit status,
// stdout and stderr, as a terminal would show them.
func run(t *testing.T, workspace string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Ctx: context.Background(), Workspace: workspace, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	code := Run(env, args)
	return code, out.String(), errb.String()
}

func writeCSV(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clients.csv")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClientsImportAndList(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	csv := writeCSV(t, "Name,Email,Tags\nAda Lovelace,ada@example.com,vip\nGrace Hopper,grace@example.com,\nBad,nope,\n")

	code, out, errs := run(t, ws, "clients", "import", csv, "--json")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, errs)
	}
	var sum struct {
		Imported, Updated, Skipped int
		Rejected                   []struct {
			Line   int
			Reason string
		}
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("got %q, want JSON: %v", out, err)
	}
	if sum.Imported != 2 || len(sum.Rejected) != 1 || sum.Rejected[0].Line != 4 {
		t.Fatalf("got %+v, want 2 imported and line 4 rejected", sum)
	}

	// Again, skipping duplicates: nothing changes.
	code, out, _ = run(t, ws, "clients", "import", "--on-duplicate", "skip", csv)
	if code != 0 || !strings.HasPrefix(out, "Imported 0, updated 0, skipped 2, rejected 1.") {
		t.Fatalf("got %d %q, want a summary with 2 skipped", code, out)
	}

	code, out, _ = run(t, ws, "clients", "list", "--json")
	var rows []struct {
		ID     int64    `json:"id"`
		Name   string   `json:"name"`
		Email  string   `json:"email"`
		Status string   `json:"status"`
		Tags   []string `json:"tags"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
		t.Fatalf("got %d %q (%v), want a JSON list", code, out, err)
	}
	if len(rows) != 2 || rows[0].Name != "Ada Lovelace" || rows[0].Status != "active" || rows[0].Tags[0] != "vip" || rows[0].ID == 0 {
		t.Fatalf("got %+v, want Ada then Grace with id, status and tags", rows)
	}

	code, out, _ = run(t, ws, "clients", "list", "--search", "grace")
	if code != 0 || !strings.Contains(out, "grace@example.com") || strings.Contains(out, "ada@") {
		t.Fatalf("got %q, want only Grace in a table", out)
	}

	code, out, _ = run(t, ws, "clients", "export")
	if code != 0 || !strings.HasPrefix(out, "Name,Email,") || strings.Count(out, "\n") != 3 {
		t.Fatalf("got %q, want a header and two clients", out)
	}
	exported := filepath.Join(t.TempDir(), "out.csv")
	if code, _, _ = run(t, ws, "clients", "export", exported); code != 0 {
		t.Fatal("export to a file failed")
	}
	if b, _ := os.ReadFile(exported); !strings.Contains(string(b), "ada@example.com") {
		t.Fatalf("got %q in the exported file, want the clients", b)
	}
}

func TestCohorts(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"))

	code, _, errs := run(t, ws, "cohorts", "create", "Spring Mastermind", "--kind", "mastermind", "--start", "2026-03-01", "--end", "2026-06-30")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, errs)
	}
	code, out, errs := run(t, ws, "cohorts", "add-member", "spring mastermind", "ada@example.com", "GRACE@example.com")
	if code != 0 || out != "Added 2 to Spring Mastermind (0 already there).\n" {
		t.Fatalf("got %d %q, want 2 added", code, out)
	}
	if !strings.Contains(errs, "Masterminds work best with 8 to 16 members") {
		t.Fatalf("got %q on stderr, want the gentle size note", errs)
	}
	code, out, _ = run(t, ws, "cohorts", "list", "--json")
	var cohorts []struct {
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Members int    `json:"members"`
	}
	if err := json.Unmarshal([]byte(out), &cohorts); err != nil || code != 0 {
		t.Fatalf("got %q (%v), want JSON", out, err)
	}
	if len(cohorts) != 1 || cohorts[0].Members != 2 || cohorts[0].Kind != "mastermind" {
		t.Fatalf("got %+v, want one mastermind with 2 members", cohorts)
	}
	code, out, _ = run(t, ws, "cohorts", "show", "Spring Mastermind")
	if code != 0 || !strings.Contains(out, "ada@example.com") || !strings.Contains(out, "grace@example.com") {
		t.Fatalf("got %q, want the roster", out)
	}
}

func TestErrors(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"UnknownCommand", []string{"clients", "frobnicate"}, 2, `roundtable: "clients frobnicate" is not a command. Run "roundtable help"`},
		{"Typo", []string{"clints", "list"}, 2, `roundtable: "clints list" is not a command. Did you mean "roundtable clients list"?`},
		{"TypoOneWord", []string{"digets"}, 2, `roundtable: "digets" is not a command. Did you mean "roundtable digest"?`},
		{"UnknownWord", []string{"xyzzy"}, 2, `roundtable: "xyzzy" is not a command. Run "roundtable help" to see the commands.`},
		{"MissingFile", []string{"clients", "import"}, 2, "roundtable: name one CSV file to import"},
		{"FileNotThere", []string{"clients", "import", "/nonexistent/x.csv"}, 1, "roundtable: The file /nonexistent/x.csv could not be opened\n"},
		{"NoSuchCohort", []string{"cohorts", "add-member", "Nope", "a@example.com"}, 1, "roundtable: There is no cohort called \"Nope\".\n"},
		{"BadKind", []string{"cohorts", "create", "X", "--kind", "club"}, 1, `roundtable: "club" is not a kind of cohort`},
		{"BadDate", []string{"cohorts", "create", "X", "--start", "March"}, 1, `roundtable: "March" is not a date; write it as YYYY-MM-DD`},
		{"BadFlag", []string{"clients", "list", "--colour"}, 2, "roundtable: --colour is not an option of this command"},
		{"UnknownClient", []string{"clients", "show", "who@example.com"}, 1, "roundtable: No client has the address who@example.com.\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, ws, tc.args...)
			if code != tc.code || !strings.HasPrefix(errs, tc.stderr) || out != "" {
				t.Fatalf("got exit %d, stdout %q, stderr %q; want exit %d and stderr starting %q", code, out, errs, tc.code, tc.stderr)
			}
		})
	}
	t.Run("DamagedWorkspace", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.db")
		os.WriteFile(bad, []byte("not a database at all"), 0o600)
		code, _, errs := run(t, bad, "clients", "list")
		if code != 1 || !strings.Contains(errs, "is not a Roundtable workspace") {
			t.Fatalf("got %d %q, want a clear refusal", code, errs)
		}
	})
}

func TestWorkspaceFromEnvironment(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "env.db")
	t.Setenv(WorkspaceEnv, ws)
	if code, _, errs := run(t, "", "cohorts", "create", "Env Cohort"); code != 0 {
		t.Fatalf("got %d (%s)", code, errs)
	}
	if _, err := os.Stat(ws); err != nil {
		t.Fatalf("got %v, want the workspace created at $%s", err, WorkspaceEnv)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := run(t, "", "help")
	for _, want := range []string{"clients import", "clients list", "clients export", "cohorts create", "cohorts add-member", "cohorts list", "version"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("got %q, want %q listed", out, want)
		}
	}
	for words, cmd := range commands {
		code, out, _ := run(t, "", append(strings.Fields(words), "--help")...)
		if code != 0 || !strings.Contains(out, "Usage: roundtable [--workspace PATH] "+cmd.usage) {
			t.Fatalf("%s --help: got %d %q, want its usage", words, code, out)
		}
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "roundtable ") {
		t.Fatalf("got %d %q, want the version", code, out)
	}
}

// TestWindowOrCommand: the window opens only with no command, "open", or the
// window's own dash options; any other word is a command, known or not.
func TestWindowOrCommand(t *testing.T) {
	for _, c := range []struct {
		args    []string
		command bool
	}{
		{nil, false}, {[]string{"open"}, false}, {[]string{"-devserver", "127.0.0.1:1"}, false},
		{[]string{"sesions"}, true}, {[]string{"clients", "list"}, true}, {[]string{"--help"}, true}, {[]string{"--version"}, true},
	} {
		if got := IsCommand(c.args); got != c.command {
			t.Errorf("IsCommand(%q) = %v, want %v", c.args, got, c.command)
		}
	}
}

// TestImportFrenchHeadersAndMap: a French export keeps first and last names,
// the command says which column went where, and --map overrides a guess.
func TestImportFrenchHeadersAndMap(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	csv := writeCSV(t, "Prénom;Nom;Courriel;Remarque perso\nÉlodie;Durand;elodie@example.fr;vip\n")
	code, out, errs := run(t, ws, "clients", "import", csv)
	if code != 0 || !strings.Contains(out, `Columns: "Prénom" → first name, "Nom" → last name, "Courriel" → email (change with --map COLUMN=FIELD).`) {
		t.Fatalf("got %d %q %q, want the mapping printed", code, out, errs)
	}
	_, out, _ = run(t, ws, "clients", "show", "elodie@example.fr")
	if !strings.Contains(out, "Élodie Durand") {
		t.Fatalf("got %q, want the whole name kept", out)
	}
	code, out, errs = run(t, ws, "clients", "import", csv, "--map", "Remarque perso=tags", "--map", "4=tags")
	if code != 0 || !strings.Contains(out, `"Remarque perso" → tags`) {
		t.Fatalf("got %d %q %q, want the override used", code, out, errs)
	}
	code, _, errs = run(t, ws, "clients", "import", csv, "--map", "Téléphone=phone")
	if code != 1 || !strings.Contains(errs, `The file has no column "Téléphone"; its columns are Prénom, Nom, Courriel, Remarque perso.`) {
		t.Fatalf("got %d %q, want a sentence naming the columns", code, errs)
	}
}

// A command says when it checked the whole workspace first, and why; after a
// clean close it does not check, and says nothing.
func TestCommandSaysWhyItCheckedTheWorkspace(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	if code, _, errs := run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda Lovelace,ada@example.com\n")); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	if _, _, errs := run(t, ws, "cohorts", "create", "Circle"); strings.Contains(errs, "Checked") {
		t.Errorf("after a clean close the command checked the workspace: %s", errs)
	}
	// A crash: the lock file still holds its holder's pid.
	os.WriteFile(ws+".lock", []byte("4242\nroundtable outbox send\n"), 0o600)
	code, _, errs := run(t, ws, "cohorts", "create", "Second circle")
	if code != 0 || !strings.Contains(errs, "Checked the whole workspace before opening it, because it was not closed cleanly last time") {
		t.Errorf("after a crash: exit %d, stderr %q", code, errs)
	}
}

func TestTakeWorkspaceFlag(t *testing.T) {
	t.Setenv(WorkspaceEnv, "/env.db")
	for _, tc := range []struct {
		args     []string
		path     string
		leftOver []string
	}{
		{nil, "/env.db", nil},
		{[]string{"--workspace", "/a.db", "clients", "list"}, "/a.db", []string{"clients", "list"}},
		{[]string{"clients", "list", "--workspace=/b.db", "--json"}, "/b.db", []string{"clients", "list", "--json"}},
		{[]string{"-devserver", "127.0.0.1:1", "-workspace", "/c.db"}, "/c.db", []string{"-devserver", "127.0.0.1:1"}},
	} {
		path, rest := TakeWorkspaceFlag(tc.args)
		if path != tc.path || !slices.Equal(rest, tc.leftOver) {
			t.Errorf("TakeWorkspaceFlag(%q): got %q %q, want %q %q", tc.args, path, rest, tc.path, tc.leftOver)
		}
	}
}
