// Package digest decides when a cohort's digest goes out and, later, what it holds.
// This file is the schedule: pure calendar arithmetic on time zones, with no store
// and no mail, so that every daylight-saving rule can be tested on its own.
package digest

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"

	// The zone database is embedded (about 450 KB) because Windows and some minimal
	// Linux installs have none, and a digest due at "09:00 Europe/Paris" must not
	// silently fall back to UTC there.
	_ "time/tzdata"
)

// Digest frequencies, as stored and as sent over the Wails bridge.
const (
	EveryDay  = app.DigestDaily
	EveryWeek = app.DigestWeekly
	EveryOff  = app.DigestOff
)

// Schedule is when a cohort's digest goes out.
type Schedule struct {
	Every       string       `json:"every"`       // "daily", "weekly" or "off"
	Weekday     time.Weekday `json:"weekday"`     // for weekly
	Hour        int          `json:"hour"`        // 0–23, local hour
	MemberLocal bool         `json:"memberLocal"` // at Hour in each member's own zone; else in the coach's
}

// DefaultSchedule returns the schedule a new cohort of this kind starts with
// (app.DefaultDigest says which and why).
func DefaultSchedule(kind string) Schedule { return ScheduleOf(app.DefaultDigest(kind)) }

// ScheduleOf takes the schedule out of a cohort's digest settings.
func ScheduleOf(d app.DigestSettings) Schedule {
	return Schedule{Every: d.Every, Weekday: time.Weekday(d.Weekday), Hour: d.Hour, MemberLocal: d.MemberLocal}
}

// Check reports, in a sentence the coach can act on, what is wrong with s. The
// weekday is checked even for a daily schedule because it is kept for when the
// coach switches back to weekly.
func (s Schedule) Check() error {
	switch s.Every {
	case EveryDay, EveryWeek, EveryOff:
	default:
		return app.Errorf(app.EINVALID, "Choose how often the digest goes out: daily, weekly or off.")
	}
	if s.Hour < 0 || s.Hour > 23 {
		return app.Errorf(app.EINVALID, "The digest hour must be between 0 and 23 (%d was given).", s.Hour)
	}
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		return app.Errorf(app.EINVALID, "Choose a day of the week for the weekly digest.")
	}
	return nil
}

// Describe returns the schedule as a sentence for the window and the CLI, such as
// "Every Friday at 09:00 (each member's time)".
func (s Schedule) Describe() string { return s.DescribeIn(nil) }

// DescribeIn is Describe naming the coach's zone when the digest goes at the
// coach's hour ("Daily at 18:00 (your time, Europe/Paris)"): a coach who travels
// must see that the hour is not wherever the laptop happens to be.
func (s Schedule) DescribeIn(coach *time.Location) string {
	var when string
	switch s.Every {
	case EveryDay:
		when = fmt.Sprintf("Daily at %02d:00", s.Hour)
	case EveryWeek:
		when = fmt.Sprintf("Every %s at %02d:00", s.Weekday, s.Hour)
	default:
		return "No digest"
	}
	if s.MemberLocal {
		return when + " (each member's time)"
	}
	if coach == nil {
		return when + " (your time)"
	}
	return when + " (your time, " + coach.String() + ")"
}

// ForMember says when the digest comes as the member reads it: "every Friday at
// 09:00 (your time)", or in the coach's zone when it is not member-local.
func (s Schedule) ForMember(coach *time.Location) string {
	when := s.Describe()
	if !s.on() {
		return when
	}
	when = strings.ToLower(when[:1]) + when[1:strings.Index(when, " (")]
	if s.MemberLocal {
		return when + " (your time)"
	}
	return when + " (" + orUTC(coach).String() + " time)"
}

// ZoneFor returns the zone in which s is reckoned for one member: the member's own
// (resolved by Zone) when the digest goes at each member's local hour, else the
// coach's.
func (s Schedule) ZoneFor(memberZone string, coach *time.Location) *time.Location {
	if s.MemberLocal {
		return Zone(memberZone, coach)
	}
	return orUTC(coach)
}

// Latest returns the most recent scheduled instant at or before now, in zone: the
// period a digest sent now belongs to. ok is false for "off".
func (s Schedule) Latest(zone *time.Location, now time.Time) (time.Time, bool) {
	if !s.on() {
		return time.Time{}, false
	}
	zone = orUTC(zone)
	n := now.In(zone)
	y, m, d := n.Date()
	// A week and a bit back always holds one scheduled day; the extra day covers an
	// instant pushed past midnight by a gap at the end of a day.
	for k := 0; k <= 8; k++ {
		day := time.Date(y, m, d-k, 12, 0, 0, 0, time.UTC)
		if !s.onDay(day.Weekday()) {
			continue
		}
		if t := at(zone, day.Year(), day.Month(), day.Day(), s.Hour); !t.After(now) {
			return t, true
		}
	}
	return time.Time{}, false // unreachable for a checked schedule
}

// Next returns the first scheduled instant strictly after now, in zone.
func (s Schedule) Next(zone *time.Location, now time.Time) (time.Time, bool) {
	if !s.on() {
		return time.Time{}, false
	}
	zone = orUTC(zone)
	n := now.In(zone)
	y, m, d := n.Date()
	// Start a day early: a gap at the end of yesterday can push its instant into today.
	for k := -1; k <= 8; k++ {
		day := time.Date(y, m, d+k, 12, 0, 0, 0, time.UTC)
		if !s.onDay(day.Weekday()) {
			continue
		}
		if t := at(zone, day.Year(), day.Month(), day.Day(), s.Hour); t.After(now) {
			return t, true
		}
	}
	return time.Time{}, false // unreachable for a checked schedule
}

// Due reports whether a member whose previous digest belonged to period prev (zero
// for none yet) is due a digest at now, and for which period: the latest scheduled
// instant, so a laptop asleep for three weeks sends ONE digest (the latest period),
// never one per missed period. A member who joined (joined time) after the latest
// instant is not due until the next one.
//
// Periods are instants, compared as instants: the caller stores period (in UTC) with
// the digest, in the same transaction that queues it, and passes it back as prev.
func (s Schedule) Due(zone *time.Location, prev, joined, now time.Time) (period time.Time, due bool) {
	latest, ok := s.Latest(zone, now)
	if !ok {
		return time.Time{}, false
	}
	if joined.After(latest) {
		return latest, false
	}
	if !prev.IsZero() && !prev.Before(latest) {
		return latest, false
	}
	return latest, true
}

// Zone resolves a member's IANA zone name, falling back to the coach's zone for ""
// or an unknown name (never an error: a typo in a CSV must not stop digests).
func Zone(name string, coach *time.Location) *time.Location {
	if name == "" {
		return orUTC(coach)
	}
	// "Local" would be this laptop's zone, which says nothing about the member.
	if name == "Local" {
		return orUTC(coach)
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return orUTC(coach)
	}
	zones.Store(name, loc)
	return loc
}

// zones keeps the zones Zone loaded by name: time.LoadLocation reads and parses
// the zone database on every call, and run-due asks for every member's zone
// every minute. A Location never changes, so sharing one is safe.
var zones sync.Map

func (s Schedule) on() bool { return s.Every == EveryDay || s.Every == EveryWeek }

func (s Schedule) onDay(w time.Weekday) bool { return s.Every == EveryDay || w == s.Weekday }

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// At is the instant of hour:00 on the local date y-m-d in loc, by the rule at
// states: the lessons of a curriculum go at their hour by the same rule as the
// digest.
func At(loc *time.Location, y int, m time.Month, d, hour int) time.Time {
	return at(orUTC(loc), y, m, d, hour)
}

// at returns the instant of hour:00 on the local date y-m-d in loc, defined as the
// first instant at which the local clock reads that date and hour or later. So an
// hour skipped by a spring-forward change goes at the end of the gap (the first
// valid instant after it), and an hour repeated by a fall-back change goes at its
// first occurrence. time.Date alone does not promise either.
func at(loc *time.Location, y int, m time.Month, d, hour int) time.Time {
	want := time.Date(y, m, d, hour, 0, 0, 0, time.UTC) // the wall clock, as a number
	t := time.Date(y, m, d, hour, 0, 0, 0, loc)
	switch w := wall(t); {
	case w.Equal(want):
		// The hour exists; if it exists twice, take the earlier one.
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			return t
		}
		_, before := start.Add(-time.Second).Zone()
		_, after := t.Zone()
		if before > after {
			earlier := t.Add(-time.Duration(before-after) * time.Second)
			if earlier.Before(start) && wall(earlier).Equal(want) {
				return earlier
			}
		}
		return t
	case w.After(want):
		// time.Date normalised into the zone after the gap: the gap ends where it starts.
		start, _ := t.ZoneBounds()
		return start
	default:
		// time.Date stayed in the zone before the gap: the gap ends where that zone ends.
		_, end := t.ZoneBounds()
		return end
	}
}

// wall returns t's local date and clock as if it were a UTC instant, so that two
// wall clocks can be compared.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}
