package sessions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// requireEnv turns the skip into a failure when Python's icalendar is missing,
// as for the real mail servers: CI sets it, so a missing package cannot let the
// second opinion pass silently.
const requireEnv = "ROUNDTABLE_REQUIRE_REAL_MAIL"

// pythonICalendar returns the python3 that can import icalendar, skipping tb
// (or failing it under requireEnv) when there is none.
func pythonICalendar(tb testing.TB) string {
	tb.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if p, err := exec.LookPath("python3"); err == nil {
			py = p
		}
	}
	if err := exec.Command(py, "-c", "import icalendar, dateutil").Run(); err != nil {
		if ok, _ := strconv.ParseBool(os.Getenv(requireEnv)); ok {
			tb.Fatalf("python3 with icalendar is needed (%s is set): install python3-icalendar (scripts/setup.sh): %v", requireEnv, err)
		}
		tb.Skipf("python3 with icalendar is not installed (set %s=1 to fail instead)", requireEnv)
	}
	return py
}

// pyCase is one file for testdata/check_ics.py with what it must find.
type pyCase struct {
	File     string   `json:"file"`
	Method   string   `json:"method"`
	UID      string   `json:"uid"`
	Sequence int      `json:"sequence"`
	Status   string   `json:"status"`
	Starts   []string `json:"starts"`
}

// TestPythonICalendarReadsWhatWeWrite has a second, independent parser read
// invitations, updates and cancellations in the four zones, single and
// repeating (COUNT and UNTIL) across DST changes, placing every start with the
// file's own VTIMEZONE; the starts must be the ones Go computes.
func TestPythonICalendarReadsWhatWeWrite(t *testing.T) {
	py := pythonICalendar(t)
	dir := t.TempDir()
	var cases []pyCase
	add := func(name, method string, s app.Session) {
		b, err := Calendar(Invite{Method: method, Session: s, Organizer: coach, Attendee: ada, Stamp: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, strings.ReplaceAll(name, "/", "-")+".ics")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		status := "CONFIRMED"
		if method == MethodCancel {
			status = "CANCELLED"
		}
		c := pyCase{File: file, Method: method, UID: s.UID, Sequence: s.Sequence, Status: status}
		for _, at := range Occurrences(s, s.Start, s.Start.AddDate(3, 0, 0)) {
			c.Starts = append(c.Starts, at.UTC().Format(time.RFC3339))
		}
		cases = append(cases, c)
	}
	for i, zone := range zones {
		s := weekly(t, zone)
		s.UID = fmt.Sprintf("rt-session-%d@example.com", i)
		add(zone+"-weekly", MethodRequest, s)
		s.Sequence++
		s.EveryWeeks, s.Count, s.Until = 2, 0, "2026-12-15"
		add(zone+"-update-until", MethodRequest, s)
		s.Sequence++
		add(zone+"-cancel", MethodCancel, s)
		one := weekly(t, zone)
		one.EveryWeeks, one.Count = 0, 0
		one.Start = time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC) // a Sunday when clocks change in New York
		add(zone+"-single", MethodRequest, one)
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(py, filepath.Join("testdata", "check_ics.py"))
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Python's icalendar disagrees: %v\n%s", err, out)
	}
	if len(cases) != 16 {
		t.Fatalf("checked %d files, want 16", len(cases))
	}
}
