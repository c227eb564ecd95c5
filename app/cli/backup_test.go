package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/store"
)

// backupJSON is the part of `backup create --json` and `backup list --json`
// a script reads.
type backupJSON struct {
	Path     string `json:"path"`
	TakenAt  string `json:"takenAt"`
	Clients  int    `json:"clients"`
	Cohorts  int    `json:"cohorts"`
	Messages int    `json:"messages"`
	Problem  string `json:"problem"`
}

func TestBackupCreateListRestore(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"))
	run(t, ws, "cohorts", "create", "Circle")
	dir := filepath.Join(t.TempDir(), "Synced", "Roundtable")

	code, out, errs := run(t, ws, "backup", "create", dir, "--json")
	var created struct {
		Backup  backupJSON `json:"backup"`
		Removed []string   `json:"removed"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || code != 0 {
		t.Fatalf("got %d %q %q (%v), want JSON", code, out, errs, err)
	}
	b := created.Backup
	if filepath.Dir(b.Path) != dir || !strings.HasPrefix(filepath.Base(b.Path), "roundtable-") || b.Clients != 2 || b.Cohorts != 1 || created.Removed == nil {
		t.Fatalf("got %+v, want a backup in %s holding 2 clients and 1 cohort", created, dir)
	}
	if st, err := os.Stat(b.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("got %v (%v), want a 0600 file", st, err)
	}

	t.Run("DefaultFolder", func(t *testing.T) {
		code, out, _ := run(t, ws, "backup", "create")
		want := filepath.Join(filepath.Dir(ws), "w-backups") + string(filepath.Separator)
		if code != 0 || !strings.HasPrefix(out, "Backed up to "+want) || !strings.Contains(out, "2 clients, 1 cohorts") {
			t.Fatalf("got %d %q, want a backup in %s", code, out, want)
		}
	})

	t.Run("BesideTheWindow", func(t *testing.T) {
		window, err := store.OpenAs(ws, store.HolderWindow)
		if err != nil {
			t.Fatal(err)
		}
		defer window.Close()
		other := t.TempDir()
		if code, _, errs := run(t, ws, "backup", "create", other); code != 0 {
			t.Fatalf("got exit %d (%s), want a backup while the window has the workspace", code, errs)
		}
		hash := fileBytes(t, ws)
		code, _, errs := run(t, ws, "backup", "restore", b.Path, "--yes")
		if code != 1 || !strings.Contains(errs, "Roundtable is already open on this workspace") {
			t.Fatalf("got %d %q, want the restore refused while the window is open", code, errs)
		}
		if !bytes.Equal(fileBytes(t, ws), hash) {
			t.Fatal("the workspace changed under the window")
		}
	})

	code, out, _ = run(t, ws, "backup", "list", dir, "--json")
	var list []backupJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 1 || list[0].Clients != 2 || list[0].Path != b.Path {
		t.Fatalf("got %d %q (%v), want the one backup with 2 clients", code, out, err)
	}
	code, out, _ = run(t, ws, "backup", "list", dir)
	if code != 0 || !strings.Contains(out, "CLIENTS") || !strings.Contains(out, filepath.Base(b.Path)) {
		t.Fatalf("got %q, want a table naming the backup", out)
	}

	t.Run("NewLaptop", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "Roundtable", "workspace.db")
		code, out, errs := run(t, fresh, "backup", "restore", b.Path, "--yes")
		if code != 0 || out != b.Path+", taken "+strings.Replace(b.TakenAt[:16], "T", " ", 1)+" UTC, checked: 2 clients, 1 cohorts, 0 posts, 0 messages.\nRestored into "+fresh+".\n" {
			t.Fatalf("got %d %q %q, want the backup restored as the new workspace", code, out, errs)
		}
		if code, out, _ := run(t, fresh, "clients", "list"); code != 0 || !strings.Contains(out, "ada@example.com") {
			t.Fatalf("got %q, want the backup's clients", out)
		}
	})

	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nLin,lin@example.com\n"))
	before := fileBytes(t, ws)
	code, out, errs = run(t, ws, "backup", "restore", b.Path)
	if code != 0 || !strings.Contains(out, "2 clients, 1 cohorts") || !strings.Contains(out, "Nothing was changed. Run again with --yes") || !strings.Contains(out, ws+".before-restore-") {
		t.Fatalf("got %d %q %q, want what the backup holds and what would happen", code, out, errs)
	}
	if !bytes.Equal(fileBytes(t, ws), before) {
		t.Fatal("the workspace changed without --yes")
	}

	code, out, errs = run(t, ws, "backup", "restore", b.Path, "--yes")
	if code != 0 || !strings.Contains(out, "Restored into "+ws) {
		t.Fatalf("got %d %q %q, want it restored", code, out, errs)
	}
	code, out, _ = run(t, ws, "clients", "list", "--json")
	if code != 0 || strings.Contains(out, "lin@example.com") || !strings.Contains(out, "grace@example.com") {
		t.Fatalf("got %q, want the clients of the backup", out)
	}
	aside, _ := filepath.Glob(ws + ".before-restore-*")
	if len(aside) != 1 {
		t.Fatalf("got %v, want the old workspace kept aside", aside)
	}
	code, out, _ = run(t, aside[0], "clients", "list")
	if code != 0 || !strings.Contains(out, "lin@example.com") {
		t.Fatalf("got %q in the file kept aside, want Lin still there", out)
	}
}

func TestBackupRestoreDamaged(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda,ada@example.com\n"))
	dir := t.TempDir()
	if code, _, errs := run(t, ws, "backup", "create", dir); code != 0 {
		t.Fatal(errs)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "roundtable-*.db"))
	content := fileBytes(t, backups[0])
	for i := 4096; i < len(content); i++ {
		content[i] ^= 0x5A
	}
	os.WriteFile(backups[0], content, 0o600)
	before := fileBytes(t, ws)

	code, _, errs := run(t, ws, "backup", "restore", backups[0], "--yes")
	if code != 1 || !strings.HasPrefix(errs, "roundtable: The backup "+backups[0]+" is damaged, so it cannot be restored.") {
		t.Fatalf("got %d %q, want one sentence refusing the damaged backup", code, errs)
	}
	if !bytes.Equal(fileBytes(t, ws), before) {
		t.Fatal("the workspace changed")
	}
	if aside, _ := filepath.Glob(ws + ".before-restore-*"); len(aside) != 0 {
		t.Fatalf("got %v, want nothing kept aside for a refused restore", aside)
	}
	code, out, _ := run(t, ws, "backup", "list", dir)
	if code != 0 || !strings.Contains(out, "Note: The backup") {
		t.Fatalf("got %q, want the damaged backup listed with a note", out)
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExport(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"))
	run(t, ws, "cohorts", "create", "Circle")
	run(t, ws, "cohorts", "add-member", "Circle", "ada@example.com")
	dir := t.TempDir()

	file := filepath.Join(dir, "all.json")
	code, out, errs := run(t, ws, "export", "json", file)
	if code != 0 || out != "Wrote 2 clients and 1 cohorts to "+file+".\n" {
		t.Fatalf("got %d %q %q, want the export written", code, out, errs)
	}
	var ex struct {
		Clients []struct{ Email string } `json:"clients"`
		Cohorts []struct {
			Name   string                   `json:"name"`
			Roster []struct{ Email string } `json:"roster"`
		} `json:"cohorts"`
	}
	if err := json.Unmarshal(fileBytes(t, file), &ex); err != nil || len(ex.Clients) != 2 || len(ex.Cohorts) != 1 || ex.Cohorts[0].Roster[0].Email != "ada@example.com" {
		t.Fatalf("got %+v (%v), want both clients and the cohort with Ada", ex, err)
	}

	code, out, _ = run(t, ws, "export", "mbox", "--cohort", "Circle", filepath.Join(dir, "circle.mbox"))
	if code != 0 || !strings.HasPrefix(out, "Wrote 0 replies to ") {
		t.Fatalf("got %d %q, want an empty mbox written", code, out)
	}
	code, _, errs = run(t, ws, "export", "mbox", "--cohort", "Autumn", filepath.Join(dir, "autumn.mbox"))
	if code != 1 || !strings.Contains(errs, "Autumn") {
		t.Fatalf("got %d %q, want the unknown cohort named", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "autumn.mbox")); err == nil {
		t.Fatal("a failed export left a file")
	}
	if code, _, _ = run(t, ws, "export", "mbox", "circle.mbox"); code != 2 {
		t.Fatalf("got exit %d without --cohort, want 2", code)
	}

	page := filepath.Join(dir, "circle.html")
	code, out, _ = run(t, ws, "export", "html", "--cohort", "circle", page)
	if code != 0 || out != "Wrote the conversation with 0 replies to "+page+".\n" || !strings.Contains(string(fileBytes(t, page)), "<h1>Circle</h1>") {
		t.Fatalf("got %d %q, want the archive page written", code, out)
	}
	code, out, _ = run(t, ws, "export", "csv", filepath.Join(dir, "sheets"))
	if code != 0 || !strings.Contains(out, "clients.csv  2 rows") || !strings.Contains(out, "members.csv  1 row\n") {
		t.Fatalf("got %d %q, want the CSV files written with their counts", code, out)
	}
	if !strings.Contains(string(fileBytes(t, filepath.Join(dir, "sheets", "members.csv"))), "Circle,Ada,ada@example.com") {
		t.Fatal("members.csv does not list Ada in Circle")
	}
}
