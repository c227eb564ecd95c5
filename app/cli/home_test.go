package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestHome: the same screen as the window, in words and as JSON, beside it
// (read-only): a mastermind of two with no purpose gets both suggestions.
func TestHome(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	csv := writeCSV(t, "Name,Email\nAda Lovelace,ada@example.com\nGrace Hopper,grace@example.com\n")
	for _, args := range [][]string{
		{"clients", "import", csv},
		{"cohorts", "create", "Circle", "--kind", "mastermind"},
		{"cohorts", "add-member", "Circle", "ada@example.com", "grace@example.com"},
	} {
		if code, _, errs := run(t, ws, args...); code != 0 {
			t.Fatalf("%v: exit %d (%s)", args, code, errs)
		}
	}
	code, out, errs := run(t, ws, "home")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, errs)
	}
	for _, want := range []string{"Circle (2 members)", "! No purpose written yet.", "Masterminds work best with 8 to 16 members",
		"no tracking pixels, no link rewriting"} {
		if !strings.Contains(out, want) {
			t.Errorf("home says:\n%s\nwant %q in it", out, want)
		}
	}
	code, out, _ = run(t, ws, "home", "--json")
	var h struct {
		Cohorts []struct {
			Name      string
			QuietDays int
			Weeks     []struct{ Members int }
			Signals   []struct{ Kind string }
		}
	}
	if err := json.Unmarshal([]byte(out), &h); code != 0 || err != nil {
		t.Fatalf("got %d %q (%v), want JSON", code, out, err)
	}
	if len(h.Cohorts) != 1 || h.Cohorts[0].QuietDays != 14 || len(h.Cohorts[0].Weeks) != 8 || len(h.Cohorts[0].Signals) != 2 {
		t.Errorf("got %+v, want Circle with N=14, 8 weeks and 2 signals", h.Cohorts)
	}
	if code, out, _ := run(t, ws, "cohorts", "quiet-days", "Circle", "5"); code != 0 || !strings.Contains(out, "after 5 days") {
		t.Fatalf("quiet-days: %d %q", code, out)
	}
	if _, out, _ := run(t, ws, "home", "--json"); !strings.Contains(out, `"quietDays": 5`) {
		t.Errorf("home after quiet-days 5 says %s", out)
	}
	if code, _, errs := run(t, ws, "cohorts", "quiet-days", "Circle", "999"); code == 0 || !strings.Contains(errs, "between 1 and 365") {
		t.Errorf("quiet-days 999: exit %d, %q; want refused with the range", code, errs)
	}
}
