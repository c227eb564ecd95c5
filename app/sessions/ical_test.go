package sessions

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/roundtablehq/roundtable/app"
)

var (
	coach = Person{Name: "Coach Carter", Email: "coach@example.com"}
	ada   = Person{Name: "Ada Lovelace", Email: "ada@example.org"}
)

// zones are the test zones: two northern DST rules that differ (EU, US), one
// zone without DST and a half-hour offset, and a southern one whose summer
// spans the new year.
var zones = []string{"Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"}

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func weekly(tb testing.TB, zone string) app.Session {
	loc := mustLoad(tb, zone)
	return app.Session{UID: "rt-session-1@example.com", Title: "Mastermind call", TimeZone: zone,
		Start: time.Date(2026, 3, 3, 18, 0, 0, 0, loc).UTC(), Minutes: 90, EveryWeeks: 1, Count: 40,
		Link: "https://meet.example/abc-def", Agenda: "1. Wins\n2. Hot seat: Ada", Sequence: 3}
}

func decode(tb testing.TB, b []byte) *ical.Calendar {
	tb.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		tb.Fatalf("decode: %v\n%s", err, b)
	}
	return cal
}

func text(tb testing.TB, props ical.Props, name string) string {
	tb.Helper()
	p := props.Get(name)
	if p == nil {
		tb.Fatalf("no %s", name)
	}
	return p.Value
}

func TestInvitationFieldByField(t *testing.T) {
	s := weekly(t, "Europe/Paris")
	stamp := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	b, err := Calendar(Invite{Method: MethodRequest, Session: s, Organizer: coach, Attendee: ada, Stamp: stamp})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets, want at most 75: %q", len(line), line)
		}
	}
	cal := decode(t, b)
	if got := text(t, cal.Props, ical.PropMethod); got != "REQUEST" {
		t.Errorf("METHOD %q, want REQUEST", got)
	}
	if got := text(t, cal.Props, ical.PropVersion); got != "2.0" {
		t.Errorf("VERSION %q", got)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	ev := evs[0]
	for name, want := range map[string]string{
		ical.PropUID: s.UID, ical.PropSequence: "3", ical.PropStatus: "CONFIRMED",
		ical.PropRecurrenceRule: "FREQ=WEEKLY;COUNT=40", ical.PropURL: s.Link,
		ical.PropDateTimeStamp: "20260220T090000Z",
	} {
		if got := text(t, ev.Props, name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	if got, _ := ev.Props.Text(ical.PropSummary); got != "Mastermind call" {
		t.Errorf("SUMMARY %q", got)
	}
	if got, _ := ev.Props.Text(ical.PropDescription); !strings.Contains(got, "Join: https://meet.example/abc-def") || !strings.Contains(got, "2. Hot seat: Ada") {
		t.Errorf("DESCRIPTION %q, want the link and the agenda", got)
	}
	start, err := ev.DateTimeStart(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !start.Equal(s.Start) {
		t.Errorf("DTSTART %v, want %v", start, s.Start)
	}
	if tz := ev.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID); tz != "Europe/Paris" {
		t.Errorf("DTSTART TZID %q", tz)
	}
	if v := ev.Props.Get(ical.PropDateTimeStart).Value; v != "20260303T180000" {
		t.Errorf("DTSTART %q, want the wall clock 20260303T180000", v)
	}
	end, _ := ev.DateTimeEnd(nil)
	if !end.Equal(s.Start.Add(90 * time.Minute)) {
		t.Errorf("DTEND %v, want 90 minutes after the start", end)
	}
	org := ev.Props.Get(ical.PropOrganizer)
	if org.Value != "mailto:coach@example.com" || org.Params.Get(ical.ParamCommonName) != "Coach Carter" {
		t.Errorf("ORGANIZER %+v", org)
	}
	atts := ev.Props.Values(ical.PropAttendee)
	if len(atts) != 1 {
		t.Fatalf("%d attendees, want only the member", len(atts))
	}
	a := atts[0]
	for param, want := range map[string]string{ical.ParamRSVP: "TRUE", ical.ParamParticipationStatus: "NEEDS-ACTION",
		ical.ParamRole: "REQ-PARTICIPANT", ical.ParamCommonName: "Ada Lovelace"} {
		if got := a.Params.Get(param); got != want {
			t.Errorf("ATTENDEE %s %q, want %q", param, got, want)
		}
	}
	if a.Value != "mailto:ada@example.org" {
		t.Errorf("ATTENDEE %q", a.Value)
	}
	// The TZID is defined in the calendar itself.
	var tzs []*ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			tzs = append(tzs, c)
		}
	}
	if len(tzs) != 1 || text(t, tzs[0].Props, ical.PropTimezoneID) != "Europe/Paris" {
		t.Fatalf("want one VTIMEZONE Europe/Paris, got %d", len(tzs))
	}
	kinds := map[string]int{}
	for _, c := range tzs[0].Children {
		kinds[c.Name]++
	}
	if kinds[ical.CompTimezoneStandard] != 1 || kinds[ical.CompTimezoneDaylight] != 1 {
		t.Errorf("VTIMEZONE parts %v, want one STANDARD and one DAYLIGHT", kinds)
	}
}

func TestCancellationSaysCancelled(t *testing.T) {
	s := weekly(t, "America/New_York")
	s.Sequence = 4
	b, err := Calendar(Invite{Method: MethodCancel, Session: s, Organizer: coach, Attendee: ada, Stamp: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	cal := decode(t, b)
	if got := text(t, cal.Props, ical.PropMethod); got != "CANCEL" {
		t.Errorf("METHOD %q, want CANCEL", got)
	}
	ev := cal.Events()[0]
	if got := text(t, ev.Props, ical.PropStatus); got != "CANCELLED" {
		t.Errorf("STATUS %q, want CANCELLED", got)
	}
	if got := text(t, ev.Props, ical.PropSequence); got != "4" {
		t.Errorf("SEQUENCE %q, want 4", got)
	}
	if got := text(t, ev.Props, ical.PropUID); got != s.UID {
		t.Errorf("UID %q, want the session's", got)
	}
}

func TestUTCSessionNeedsNoTimezone(t *testing.T) {
	s := weekly(t, "UTC")
	b, err := Calendar(Invite{Method: MethodRequest, Session: s, Organizer: coach, Attendee: ada, Stamp: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("TZID")) {
		t.Errorf("a UTC session names a TZID:\n%s", b)
	}
	if !bytes.Contains(b, []byte("DTSTART:20260303T180000Z")) {
		t.Errorf("want DTSTART in UTC:\n%s", b)
	}
}

func TestUntilIsTheEndOfTheLastDayInUTC(t *testing.T) {
	s := weekly(t, "Pacific/Auckland")
	s.Count, s.Until, s.EveryWeeks = 0, "2026-06-30", 2
	b, err := Calendar(Invite{Method: MethodRequest, Session: s, Organizer: coach, Attendee: ada, Stamp: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ev := decode(t, b).Events()[0]
	// 30 June 23:59:59 NZST (+12) is 11:59:59 UTC.
	if got := text(t, ev.Props, ical.PropRecurrenceRule); got != "FREQ=WEEKLY;INTERVAL=2;UNTIL=20260630T115959Z" {
		t.Errorf("RRULE %q", got)
	}
}

// TestTimezoneRulesGiveGosTransitions expands each VTIMEZONE part's RRULE with
// an independent RRULE engine (rrule-go, through go-ical) and checks that every
// change of offset it describes over ten years is one Go's zone data knows.
func TestTimezoneRulesGiveGosTransitions(t *testing.T) {
	for _, zone := range zones {
		t.Run(zone, func(t *testing.T) {
			loc := mustLoad(t, zone)
			tz := timezoneComponent(loc, 2026)
			if zone == "Asia/Kolkata" {
				if len(tz.Children) != 1 || tz.Children[0].Name != ical.CompTimezoneStandard {
					t.Fatalf("want a single STANDARD part for a zone without DST, got %d parts", len(tz.Children))
				}
				if got := text(t, tz.Children[0].Props, ical.PropTimezoneOffsetTo); got != "+0530" {
					t.Errorf("TZOFFSETTO %q, want +0530", got)
				}
				return
			}
			var want []time.Time
			for y := 2025; y <= 2034; y++ {
				for _, tr := range transitions(loc, y) {
					want = append(want, tr.at)
				}
			}
			var got []time.Time
			for _, part := range tz.Children {
				from, err := parseOffset(text(t, part.Props, ical.PropTimezoneOffsetFrom))
				if err != nil {
					t.Fatal(err)
				}
				set, err := part.RecurrenceSet(time.UTC)
				if err != nil || set == nil {
					t.Fatalf("%s: no recurrence: %v", part.Name, err)
				}
				// The rule runs on the local clock before the change: shift by
				// TZOFFSETFROM to get the instant.
				for _, l := range set.Between(time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC), true) {
					got = append(got, l.Add(-from))
				}
			}
			if len(got) != len(want) {
				t.Fatalf("got %d changes, want %d", len(got), len(want))
			}
			seen := map[time.Time]bool{}
			for _, g := range got {
				seen[g.UTC()] = true
			}
			for _, w := range want {
				if !seen[w] {
					t.Errorf("Go's change at %v is not in the VTIMEZONE", w)
				}
			}
		})
	}
}

func parseOffset(s string) (time.Duration, error) {
	t, err := time.Parse("-0700", s)
	if err != nil {
		return 0, err
	}
	_, off := t.Zone()
	return time.Duration(off) * time.Second, nil
}

// TestWeeklySessionKeepsItsWallClockAcrossDST expands the invitation's RRULE
// with rrule-go and checks it against Occurrences: both keep 18:00 local, so
// the UTC time moves when the zone changes its clocks.
func TestWeeklySessionKeepsItsWallClockAcrossDST(t *testing.T) {
	for _, zone := range zones {
		t.Run(zone, func(t *testing.T) {
			loc := mustLoad(t, zone)
			s := weekly(t, zone)
			b, err := Calendar(Invite{Method: MethodRequest, Session: s, Organizer: coach, Attendee: ada, Stamp: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			ev := decode(t, b).Events()[0]
			set, err := ev.RecurrenceSet(loc)
			if err != nil {
				t.Fatal(err)
			}
			fromICS := set.All()
			ours := Occurrences(s, s.Start, s.Start.AddDate(2, 0, 0))
			if len(fromICS) != 40 || len(ours) != 40 {
				t.Fatalf("got %d from the RRULE and %d from Occurrences, want 40 each", len(fromICS), len(ours))
			}
			offsets := map[int]bool{}
			for i := range ours {
				if !fromICS[i].Equal(ours[i]) {
					t.Errorf("occurrence %d: RRULE %v, Occurrences %v", i, fromICS[i], ours[i])
				}
				l := ours[i].In(loc)
				if l.Hour() != 18 || l.Minute() != 0 || l.Weekday() != time.Tuesday {
					t.Errorf("occurrence %d at %v local, want Tuesday 18:00", i, l)
				}
				_, off := l.Zone()
				offsets[off] = true
			}
			if wantShift := zone != "Asia/Kolkata"; (len(offsets) > 1) != wantShift {
				t.Errorf("offsets seen %v; a change of clocks expected: %v", offsets, wantShift)
			}
		})
	}
}

func TestOccurrencesEndOnUntilAndCount(t *testing.T) {
	loc := mustLoad(t, "Europe/Paris")
	s := app.Session{TimeZone: "Europe/Paris", Start: time.Date(2026, 1, 6, 9, 0, 0, 0, loc).UTC(), Minutes: 60,
		EveryWeeks: 2, Until: "2026-02-17"}
	got := Occurrences(s, s.Start, s.Start.AddDate(1, 0, 0))
	if len(got) != 4 || got[3].In(loc).Day() != 17 {
		t.Errorf("until: got %v, want 6 and 20 January, 3 and 17 February", got)
	}
	s.Until, s.Count = "", 3
	if got := Occurrences(s, s.Start, s.Start.AddDate(1, 0, 0)); len(got) != 3 {
		t.Errorf("count: got %d occurrences, want 3", len(got))
	}
	s.EveryWeeks, s.Count = 0, 0
	if got := Occurrences(s, s.Start, s.Start.AddDate(1, 0, 0)); len(got) != 1 {
		t.Errorf("single: got %d occurrences, want 1", len(got))
	}
}
