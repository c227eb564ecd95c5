package digest

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func mustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var testZones = []string{"Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"}

func TestDefaultSchedule(t *testing.T) {
	tests := []struct {
		kind string
		want Schedule
	}{
		{app.KindMastermind, Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{app.KindGroupCoaching, Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{app.KindCourseCohort, Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{app.KindPractice, Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{app.KindMicroCommunity, Schedule{Every: EveryDay, Weekday: time.Friday, Hour: 18, MemberLocal: true}},
		{app.KindOneToOne, Schedule{Every: EveryOff, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{app.KindOther, Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
		{"", Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}},
	}
	for _, tt := range tests {
		got := DefaultSchedule(tt.kind)
		if got != tt.want {
			t.Errorf("DefaultSchedule(%q): got %+v, want %+v", tt.kind, got, tt.want)
		}
		if err := got.Check(); err != nil {
			t.Errorf("DefaultSchedule(%q).Check(): got %v, want nil", tt.kind, err)
		}
	}
	for _, kind := range app.CohortKinds {
		if err := DefaultSchedule(kind).Check(); err != nil {
			t.Errorf("DefaultSchedule(%q).Check(): got %v, want nil", kind, err)
		}
	}
}

func TestScheduleCheck(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, s := range []Schedule{
			{Every: EveryDay, Hour: 0},
			{Every: EveryDay, Hour: 23},
			{Every: EveryWeek, Weekday: time.Saturday, Hour: 12},
			{Every: EveryWeek, Weekday: time.Sunday, Hour: 7, MemberLocal: true},
			{Every: EveryOff},
		} {
			if err := s.Check(); err != nil {
				t.Errorf("%+v: got %v, want nil", s, err)
			}
		}
	})
	tests := []struct {
		name string
		s    Schedule
	}{
		{"ErrEveryEmpty", Schedule{Every: "", Hour: 9}},
		{"ErrEveryUnknown", Schedule{Every: "monthly", Hour: 9}},
		{"ErrHourNegative", Schedule{Every: EveryDay, Hour: -1}},
		{"ErrHour24", Schedule{Every: EveryDay, Hour: 24}},
		{"ErrWeekday", Schedule{Every: EveryWeek, Weekday: 7, Hour: 9}},
		{"ErrWeekdayNegative", Schedule{Every: EveryWeek, Weekday: -1, Hour: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Check()
			var e *app.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *app.Error", err)
			}
			if e.Code != app.EINVALID {
				t.Errorf("code: got %v, want %v", e.Code, app.EINVALID)
			}
			if e.Message == "" {
				t.Errorf("message: got empty, want a sentence")
			}
		})
	}
}

func TestScheduleDescribe(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	tests := []struct {
		s     Schedule
		coach *time.Location
		want  string
	}{
		{Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}, paris, "Every Friday at 09:00 (each member's time)"},
		{Schedule{Every: EveryDay, Hour: 18}, paris, "Daily at 18:00 (your time, Europe/Paris)"},
		{Schedule{Every: EveryDay, Hour: 0}, nil, "Daily at 00:00 (your time)"},
		{Schedule{Every: EveryWeek, Weekday: time.Monday, Hour: 23}, nil, "Every Monday at 23:00 (your time)"},
		{Schedule{Every: EveryOff, Hour: 9}, paris, "No digest"},
	}
	for _, tt := range tests {
		if got := tt.s.DescribeIn(tt.coach); got != tt.want {
			t.Errorf("%+v.DescribeIn(%v): got %q, want %q", tt.s, tt.coach, got, tt.want)
		}
	}
	s := Schedule{Every: EveryDay, Hour: 18}
	if got, want := s.Describe(), "Daily at 18:00 (your time)"; got != want {
		t.Errorf("Describe: got %q, want %q", got, want)
	}
}

// TestScheduleNextDST pins the instants around daylight-saving changes: a skipped
// hour goes at the end of the gap, a repeated hour at its first occurrence, and a
// weekly digest keeps its local hour on both sides of a change.
func TestScheduleNextDST(t *testing.T) {
	daily := func(h int) Schedule { return Schedule{Every: EveryDay, Hour: h} }
	weekly := func(d time.Weekday, h int) Schedule { return Schedule{Every: EveryWeek, Weekday: d, Hour: h} }
	tests := []struct {
		name string
		zone string
		s    Schedule
		now  string
		want string
	}{
		// Europe/Paris: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
		{"ParisSpringGap", "Europe/Paris", daily(2), "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},
		{"ParisSpringBefore", "Europe/Paris", daily(1), "2026-03-28T12:00:00Z", "2026-03-29T00:00:00Z"},
		{"ParisSpringAfter", "Europe/Paris", daily(3), "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},
		{"ParisDayAfterSpring", "Europe/Paris", daily(2), "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"},
		{"ParisFallFirst", "Europe/Paris", daily(2), "2026-10-24T12:00:00Z", "2026-10-25T00:00:00Z"},
		{"ParisFallOnce", "Europe/Paris", daily(2), "2026-10-25T00:00:00Z", "2026-10-26T01:00:00Z"},
		{"ParisWeeklyBeforeSpring", "Europe/Paris", weekly(time.Friday, 9), "2026-03-21T00:00:00Z", "2026-03-27T08:00:00Z"},
		{"ParisWeeklyAfterSpring", "Europe/Paris", weekly(time.Friday, 9), "2026-03-28T00:00:00Z", "2026-04-03T07:00:00Z"},
		{"ParisWeeklySundayGap", "Europe/Paris", weekly(time.Sunday, 2), "2026-03-23T00:00:00Z", "2026-03-29T01:00:00Z"},
		// America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
		{"NewYorkSpringGap", "America/New_York", daily(2), "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z"},
		{"NewYorkFallFirst", "America/New_York", daily(1), "2026-10-31T12:00:00Z", "2026-11-01T05:00:00Z"},
		{"NewYorkFallOnce", "America/New_York", daily(1), "2026-11-01T05:00:00Z", "2026-11-02T06:00:00Z"},
		{"NewYorkWeeklyAcrossFall", "America/New_York", weekly(time.Monday, 9), "2026-11-01T00:00:00Z", "2026-11-02T14:00:00Z"},
		{"NewYorkWeeklyBeforeFall", "America/New_York", weekly(time.Monday, 9), "2026-10-25T00:00:00Z", "2026-10-26T13:00:00Z"},
		// Asia/Kolkata: +05:30 all year.
		{"KolkataHalfHour", "Asia/Kolkata", daily(9), "2026-06-01T00:00:00Z", "2026-06-01T03:30:00Z"},
		{"KolkataMidnight", "Asia/Kolkata", daily(0), "2026-06-01T00:00:00Z", "2026-06-01T18:30:00Z"},
		{"KolkataHour23", "Asia/Kolkata", daily(23), "2026-06-01T18:00:00Z", "2026-06-02T17:30:00Z"},
		// Pacific/Auckland: 2026-04-05 03:00 NZDT -> 02:00 NZST; 2026-09-27 02:00 NZST -> 03:00 NZDT.
		{"AucklandFallFirst", "Pacific/Auckland", daily(2), "2026-04-04T00:00:00Z", "2026-04-04T13:00:00Z"},
		{"AucklandFallOnce", "Pacific/Auckland", daily(2), "2026-04-04T13:00:00Z", "2026-04-05T14:00:00Z"},
		{"AucklandSpringGap", "Pacific/Auckland", daily(2), "2026-09-26T00:00:00Z", "2026-09-26T14:00:00Z"},
		{"AucklandWeeklyDateLine", "Pacific/Auckland", weekly(time.Friday, 9), "2026-06-01T00:00:00Z", "2026-06-04T21:00:00Z"},
		// UTC.
		{"UTCHour0", "UTC", daily(0), "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z"},
		{"UTCHour23", "UTC", daily(23), "2026-06-01T23:00:00Z", "2026-06-02T23:00:00Z"},
		{"UTCWeeklySameDayLater", "UTC", weekly(time.Monday, 23), "2026-06-01T22:59:59Z", "2026-06-01T23:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zone := mustZone(t, tt.zone)
			got, ok := tt.s.Next(zone, utc(tt.now))
			if !ok {
				t.Fatalf("ok: got false, want true")
			}
			if want := utc(tt.want); !got.Equal(want) {
				t.Errorf("Next(%s): got %v, want %v", tt.now, got.UTC(), want)
			}
			if got.Location() != zone {
				t.Errorf("location: got %v, want %v", got.Location(), zone)
			}
		})
	}
}

func TestScheduleLatest(t *testing.T) {
	tests := []struct {
		name string
		zone string
		s    Schedule
		now  string
		want string
	}{
		{"AtInstant", "Europe/Paris", Schedule{Every: EveryDay, Hour: 9}, "2026-06-01T07:00:00Z", "2026-06-01T07:00:00Z"},
		{"JustBefore", "Europe/Paris", Schedule{Every: EveryDay, Hour: 9}, "2026-06-01T06:59:59Z", "2026-05-31T07:00:00Z"},
		{"WeeklyLastWeek", "America/New_York", Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9}, "2026-06-05T12:00:00Z", "2026-05-29T13:00:00Z"},
		{"WeeklyToday", "America/New_York", Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9}, "2026-06-05T13:00:00Z", "2026-06-05T13:00:00Z"},
		{"AucklandAheadOfUTC", "Pacific/Auckland", Schedule{Every: EveryWeek, Weekday: time.Saturday, Hour: 8}, "2026-06-05T21:00:00Z", "2026-06-05T20:00:00Z"},
		{"ParisInsideSpringGap", "Europe/Paris", Schedule{Every: EveryDay, Hour: 2}, "2026-03-29T00:59:59Z", "2026-03-28T01:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.s.Latest(mustZone(t, tt.zone), utc(tt.now))
			if !ok {
				t.Fatalf("ok: got false, want true")
			}
			if want := utc(tt.want); !got.Equal(want) {
				t.Errorf("Latest(%s): got %v, want %v", tt.now, got.UTC(), want)
			}
		})
	}
}

func TestScheduleOff(t *testing.T) {
	s := Schedule{Every: EveryOff, Hour: 9}
	now := utc("2026-06-01T12:00:00Z")
	if _, ok := s.Latest(time.UTC, now); ok {
		t.Errorf("Latest ok: got true, want false")
	}
	if _, ok := s.Next(time.UTC, now); ok {
		t.Errorf("Next ok: got true, want false")
	}
	if _, due := s.Due(time.UTC, time.Time{}, time.Time{}, now); due {
		t.Errorf("Due: got true, want false")
	}
}

func TestScheduleDue(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	weekly := Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9}
	daily := Schedule{Every: EveryDay, Hour: 18}
	var zero time.Time
	tests := []struct {
		name       string
		s          Schedule
		prev       time.Time
		joined     time.Time
		now        string
		wantPeriod string
		wantDue    bool
	}{
		// Fridays 2026-06-05, 06-12, 06-19, 06-26 at 09:00 CEST = 07:00Z.
		{"FirstDigest", weekly, zero, utc("2026-05-01T00:00:00Z"), "2026-06-05T07:30:00Z", "2026-06-05T07:00:00Z", true},
		{"OnTime", weekly, utc("2026-05-29T07:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-05T07:00:00Z", "2026-06-05T07:00:00Z", true},
		{"PrevEqualsLatest", weekly, utc("2026-06-05T07:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-05T10:00:00Z", "2026-06-05T07:00:00Z", false},
		{"PrevAfterLatest", weekly, utc("2026-06-12T07:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-11T10:00:00Z", "2026-06-05T07:00:00Z", false},
		{"AsleepThreeWeeks", weekly, utc("2026-06-05T07:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-27T08:00:00Z", "2026-06-26T07:00:00Z", true},
		{"JoinedAfterLatest", weekly, zero, utc("2026-06-05T07:00:01Z"), "2026-06-11T10:00:00Z", "2026-06-05T07:00:00Z", false},
		{"JoinedAtLatest", weekly, zero, utc("2026-06-05T07:00:00Z"), "2026-06-11T10:00:00Z", "2026-06-05T07:00:00Z", true},
		{"JoinedThenNextPeriod", weekly, zero, utc("2026-06-05T07:00:01Z"), "2026-06-12T07:00:00Z", "2026-06-12T07:00:00Z", true},
		{"DailyBeforeHour", daily, utc("2026-06-01T16:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-02T15:59:59Z", "2026-06-01T16:00:00Z", false},
		{"DailyAtHour", daily, utc("2026-06-01T16:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-02T16:00:00Z", "2026-06-02T16:00:00Z", true},
		{"DailyMissedTenDays", daily, utc("2026-06-01T16:00:00Z"), utc("2026-05-01T00:00:00Z"), "2026-06-11T09:00:00Z", "2026-06-10T16:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			period, due := tt.s.Due(paris, tt.prev, tt.joined, utc(tt.now))
			if due != tt.wantDue {
				t.Errorf("due: got %v, want %v", due, tt.wantDue)
			}
			if want := utc(tt.wantPeriod); !period.Equal(want) {
				t.Errorf("period: got %v, want %v", period.UTC(), want)
			}
		})
	}
}

// TestScheduleDueCatchUp runs a laptop that wakes at random times over a year and
// records each digest it sends: never two for one period, never one before its
// instant, and never more than one per scheduled instant passed.
func TestScheduleDueCatchUp(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for _, name := range testZones {
		zone := mustZone(t, name)
		s := Schedule{Every: EveryDay, Hour: rng.IntN(24)}
		now := utc("2026-01-01T00:00:00Z")
		joined := now
		var prev time.Time
		sent := map[int64]bool{}
		for now.Before(utc("2027-01-01T00:00:00Z")) {
			now = now.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
			period, due := s.Due(zone, prev, joined, now)
			if !due {
				continue
			}
			if sent[period.Unix()] {
				t.Fatalf("%s: period %v sent twice", name, period)
			}
			if period.After(now) || !period.After(prev) {
				t.Fatalf("%s: period %v at %v after %v", name, period, now, prev)
			}
			sent[period.Unix()] = true
			prev = period
			if _, again := s.Due(zone, prev, joined, now); again {
				t.Fatalf("%s: due again at %v right after sending", name, now)
			}
		}
	}
}

// TestScheduleMemberLocal: one weekly schedule, reckoned in each member's zone or
// in the coach's.
func TestScheduleMemberLocal(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	now := utc("2026-06-01T00:00:00Z") // a Monday
	s := Schedule{Every: EveryWeek, Weekday: time.Friday, Hour: 9, MemberLocal: true}
	tests := []struct {
		member string
		local  bool
		want   string
	}{
		{"Asia/Kolkata", true, "2026-06-05T03:30:00Z"},
		{"America/New_York", true, "2026-06-05T13:00:00Z"},
		{"Pacific/Auckland", true, "2026-06-04T21:00:00Z"},
		{"", true, "2026-06-05T07:00:00Z"},
		{"Mars/Olympus_Mons", true, "2026-06-05T07:00:00Z"},
		{"Asia/Kolkata", false, "2026-06-05T07:00:00Z"},
		{"Pacific/Auckland", false, "2026-06-05T07:00:00Z"},
	}
	for _, tt := range tests {
		s.MemberLocal = tt.local
		got, _ := s.Next(s.ZoneFor(tt.member, paris), now)
		if want := utc(tt.want); !got.Equal(want) {
			t.Errorf("member %q local %v: got %v, want %v", tt.member, tt.local, got.UTC(), want)
		}
	}
}

func TestZone(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	tests := []struct {
		name  string
		coach *time.Location
		want  string
	}{
		{"Asia/Kolkata", paris, "Asia/Kolkata"},
		{"", paris, "Europe/Paris"},
		{"Europe/Pari", paris, "Europe/Paris"},
		{"Local", paris, "Europe/Paris"},
		{"../../etc/passwd", paris, "Europe/Paris"},
		{"UTC", paris, "UTC"},
		{"", nil, "UTC"},
		{"nowhere", nil, "UTC"},
	}
	for _, tt := range tests {
		if got := Zone(tt.name, tt.coach).String(); got != tt.want {
			t.Errorf("Zone(%q): got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestScheduleEveryDayOf2026 walks a year of daily digests in each zone: exactly one
// instant per local date, at the local hour, or at the end of the gap on the one
// day that hour does not exist.
func TestScheduleEveryDayOf2026(t *testing.T) {
	for _, name := range testZones {
		zone := mustZone(t, name)
		for _, hour := range []int{0, 2, 9, 23} {
			s := Schedule{Every: EveryDay, Hour: hour}
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, zone).Add(-time.Second)
			seen := map[string]bool{}
			for i := 0; i < 365; i++ {
				next, _ := s.Next(zone, now)
				date := next.Format("2006-01-02")
				if seen[date] {
					t.Fatalf("%s hour %d: two instants on %s", name, hour, date)
				}
				seen[date] = true
				if next.Hour() != hour {
					// Only a spring-forward gap may move it, to the gap's end.
					before := next.Add(-time.Nanosecond)
					_, offBefore := before.Zone()
					_, offAfter := next.Zone()
					if offAfter <= offBefore {
						t.Fatalf("%s hour %d: %v is not at the hour nor at the end of a gap", name, hour, next)
					}
				}
				now = next
			}
			if len(seen) != 365 {
				t.Errorf("%s hour %d: got %d days, want 365", name, hour, len(seen))
			}
		}
	}
}

func checkProperties(t *testing.T, s Schedule, zone *time.Location, now time.Time) {
	t.Helper()
	latest, ok1 := s.Latest(zone, now)
	next, ok2 := s.Next(zone, now)
	if !ok1 || !ok2 {
		t.Fatalf("%+v %v at %v: got ok %v %v, want true true", s, zone, now, ok1, ok2)
	}
	if latest.After(now) || !next.After(now) {
		t.Fatalf("%+v %v at %v: got latest %v next %v, want latest <= now < next", s, zone, now, latest, next)
	}
	if n2, _ := s.Next(zone, latest); !n2.Equal(next) {
		t.Fatalf("%+v %v at %v: Next(Latest) got %v, want %v", s, zone, now, n2, next)
	}
	if l2, _ := s.Latest(zone, next); !l2.Equal(next) {
		t.Fatalf("%+v %v at %v: Latest(Next) got %v, want %v", s, zone, now, l2, next)
	}
	gap := next.Sub(latest)
	switch s.Every {
	case EveryDay:
		if gap < 20*time.Hour || gap > 28*time.Hour {
			t.Fatalf("%+v %v at %v: daily instants %v and %v are %v apart", s, zone, now, latest, next, gap)
		}
	case EveryWeek:
		if gap < 7*24*time.Hour-4*time.Hour || gap > 7*24*time.Hour+4*time.Hour {
			t.Fatalf("%+v %v at %v: weekly instants %v and %v are %v apart", s, zone, now, latest, next, gap)
		}
		if next.Weekday() != s.Weekday { // none of the test zones has a gap at midnight
			t.Fatalf("%+v %v at %v: next %v is not on %v", s, zone, now, next, s.Weekday)
		}
	}
}

func TestScheduleProperties(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	start, end := utc("2020-01-01T00:00:00Z").Unix(), utc("2040-01-01T00:00:00Z").Unix()
	for i := 0; i < 20000; i++ {
		s := Schedule{Every: EveryDay, Weekday: time.Weekday(rng.IntN(7)), Hour: rng.IntN(24)}
		if rng.IntN(2) == 0 {
			s.Every = EveryWeek
		}
		zone := mustZone(t, testZones[rng.IntN(len(testZones))])
		checkProperties(t, s, zone, time.Unix(start+rng.Int64N(end-start), 0))
	}
}

func FuzzSchedule(f *testing.F) {
	f.Add(int64(1774746000), uint8(0), uint8(2), uint8(0), false) // Paris spring gap
	f.Add(int64(1792886400), uint8(1), uint8(1), uint8(0), false) // New York fall back
	f.Add(int64(1775264400), uint8(3), uint8(2), uint8(5), true)  // Auckland fall back, weekly
	f.Add(int64(1780272000), uint8(2), uint8(23), uint8(1), true) // Kolkata
	f.Add(int64(0), uint8(4), uint8(0), uint8(6), false)          // UTC epoch
	f.Fuzz(func(t *testing.T, unix int64, zi, hour, weekday uint8, weekly bool) {
		// Years 1900 to 2200: beyond them the zone rules are extrapolated anyway.
		const lo, hi = -2208988800, 7258118400
		if unix < lo || unix > hi {
			return
		}
		s := Schedule{Every: EveryDay, Weekday: time.Weekday(weekday % 7), Hour: int(hour % 24)}
		if weekly {
			s.Every = EveryWeek
		}
		checkProperties(t, s, mustZone(t, testZones[int(zi)%len(testZones)]), time.Unix(unix, 0))
	})
}
