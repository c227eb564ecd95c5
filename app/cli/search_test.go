package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestSearch(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	csv := writeCSV(t, "Name,Email,Notes\nChloé Dubois,chloe@example.com,Wants to raise prices.\nAda Lovelace,ada@example.com,\n")
	if code, _, errs := run(t, ws, "clients", "import", csv); code != 0 {
		t.Fatalf("import: exit %d (%s)", code, errs)
	}
	if code, _, errs := run(t, ws, "cohorts", "create", "Circle"); code != 0 {
		t.Fatalf("cohorts create: exit %d (%s)", code, errs)
	}
	if code, _, errs := run(t, ws, "cohorts", "add-member", "Circle", "chloe@example.com"); code != 0 {
		t.Fatalf("add-member: exit %d (%s)", code, errs)
	}

	t.Run("OK", func(t *testing.T) {
		code, out, errs := run(t, ws, "search", "chloe", "prices")
		if code != 0 || !strings.Contains(out, "Clients (1)") || !strings.Contains(out, "Chloé Dubois") || !strings.Contains(out, "[prices]") {
			t.Fatalf("got exit %d, %q (%s); want Chloé with [prices] marked", code, out, errs)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		code, out, errs := run(t, ws, "search", "ada", "--json", "--kind", "client")
		var res app.SearchResults
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Groups) != 1 || res.Groups[0].Hits[0].Title != "Ada Lovelace" {
			t.Fatalf("got exit %d, %s (%s); want one group with Ada", code, out, errs)
		}
	})
	t.Run("Cohort", func(t *testing.T) {
		_, out, _ := run(t, ws, "search", "ada", "--cohort", "Circle")
		if !strings.Contains(out, "Nothing found") {
			t.Fatalf("got %q, want nothing: Ada is not in Circle", out)
		}
	})
	t.Run("HostileTextIsWords", func(t *testing.T) {
		code, out, errs := run(t, ws, "search", `"NEAR(`, "prices*", "-", "AND")
		if code != 0 || !strings.Contains(out, "Nothing found") {
			t.Fatalf("got exit %d, %q (%s); want a plain answer", code, out, errs)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"search"}, {"search", "x", "--kind", "lessons"}, {"search", "x", "--from", "March"}} {
			if code, _, errs := run(t, ws, args...); code != 2 || errs == "" {
				t.Errorf("%v: got exit %d (%s), want 2 with a sentence", args, code, errs)
			}
		}
	})
	t.Run("ErrNoSuchCohort", func(t *testing.T) {
		if code, _, errs := run(t, ws, "search", "x", "--cohort", "Nope"); code != 1 || errs == "" {
			t.Errorf("got exit %d (%s), want 1 with a sentence", code, errs)
		}
	})
}
