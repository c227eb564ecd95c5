package sessions

import (
	"fmt"
	"time"

	"github.com/emersion/go-ical"
)

// A VTIMEZONE says how a zone's clock moves so a calendar app can place a
// TZID-stamped time without knowing the zone itself (Outlook does not use the
// IANA names). go-ical writes TZID on a DTSTART but no definition for it, which
// RFC 5545 forbids, so the definition is made here from Go's own zone data.

// transition is one change of a zone's offset.
type transition struct {
	at       time.Time // the instant, UTC
	from, to int       // offsets in seconds east of UTC, before and after
	name     string    // the abbreviation after (CEST, EST, …)
	dst      bool      // the clock moves to daylight saving time
}

// transitions lists the zone's changes during the calendar year (in the zone).
func transitions(loc *time.Location, year int) []transition {
	var out []transition
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	stop := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(stop) {
			return out
		}
		if !end.After(t) {
			// Go's bounds beyond the zone's last listed change come from its
			// rule and can end where they start; step over such a point.
			t = t.Add(time.Hour)
			continue
		}
		_, from := end.Add(-time.Second).Zone()
		name, to := end.Zone()
		if from != to {
			out = append(out, transition{at: end.UTC(), from: from, to: to, name: name, dst: end.IsDST()})
		}
		t = end
	}
}

// timezoneComponent returns the VTIMEZONE for loc, valid from the year before
// year onwards for as long as the zone keeps its present rules: a STANDARD and a
// DAYLIGHT part with yearly rules (first/second/…/last weekday of a month), or a
// single STANDARD part for a zone without daylight saving time. When a zone's
// changes follow no such rule (they move with a religious calendar, say), the
// parts list each change of the next years as an RDATE instead.
func timezoneComponent(loc *time.Location, year int) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	base := year - 1
	ts := transitions(loc, base)
	if len(ts) == 0 {
		name, off := time.Date(base, 1, 1, 0, 0, 0, 0, loc).Zone()
		std := ical.NewComponent(ical.CompTimezoneStandard)
		setLocal(std.Props, ical.PropDateTimeStart, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
		setRaw(std.Props, ical.PropTimezoneOffsetFrom, offset(off))
		setRaw(std.Props, ical.PropTimezoneOffsetTo, offset(off))
		std.Props.SetText(ical.PropTimezoneName, name)
		tz.Children = append(tz.Children, std)
		return tz
	}
	for _, tr := range ts {
		kind := ical.CompTimezoneStandard
		if tr.dst {
			kind = ical.CompTimezoneDaylight
		}
		c := ical.NewComponent(kind)
		// DTSTART is the wall-clock time the change happens at, read on the clock
		// before it (RFC 5545 3.6.5).
		local := tr.at.Add(time.Duration(tr.from) * time.Second)
		setLocal(c.Props, ical.PropDateTimeStart, local)
		setRaw(c.Props, ical.PropTimezoneOffsetFrom, offset(tr.from))
		setRaw(c.Props, ical.PropTimezoneOffsetTo, offset(tr.to))
		c.Props.SetText(ical.PropTimezoneName, tr.name)
		if rule, ok := yearlyRule(loc, tr, base); ok {
			p := ical.NewProp(ical.PropRecurrenceRule)
			p.SetValueType(ical.ValueRecurrence)
			p.Value = rule
			c.Props.Set(p)
		} else {
			for y := base + 1; y <= base+20; y++ {
				for _, later := range transitions(loc, y) {
					if later.dst == tr.dst {
						p := ical.NewProp(ical.PropRecurrenceDates)
						setLocalProp(p, later.at.Add(time.Duration(later.from)*time.Second))
						c.Props.Add(p)
					}
				}
			}
		}
		tz.Children = append(tz.Children, c)
	}
	return tz
}

// yearlyRule describes a change as "the Nth (or last) weekday of the month",
// and says so only if that rule gives Go's own changes for the next twenty years.
func yearlyRule(loc *time.Location, tr transition, year int) (string, bool) {
	local := tr.at.Add(time.Duration(tr.from) * time.Second)
	day, month := local.Day(), local.Month()
	wd := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[local.Weekday()]
	n := (day-1)/7 + 1
	last := day+7 > daysIn(month, local.Year())
	if last {
		n = -1
	}
	for y := year + 1; y <= year+20; y++ {
		want, found := nthWeekday(y, month, local.Weekday(), n), false
		for _, later := range transitions(loc, y) {
			l := later.at.Add(time.Duration(later.from) * time.Second)
			if later.dst == tr.dst {
				found = l.Month() == month && l.Day() == want && l.Hour() == local.Hour() && l.Minute() == local.Minute() &&
					later.from == tr.from && later.to == tr.to
			}
		}
		if !found {
			return "", false
		}
	}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(month), n, wd), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// nthWeekday is the day of the month of the nth (-1: last) weekday wd.
func nthWeekday(year int, m time.Month, wd time.Weekday, n int) int {
	if n < 0 {
		d := daysIn(m, year)
		for time.Date(year, m, d, 0, 0, 0, 0, time.UTC).Weekday() != wd {
			d--
		}
		return d
	}
	d := 1
	for time.Date(year, m, d, 0, 0, 0, 0, time.UTC).Weekday() != wd {
		d++
	}
	return d + 7*(n-1)
}

// offset writes seconds east of UTC as iCalendar's UTC-OFFSET (+0530, -0500).
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// setLocal writes a floating local time (no Z, no TZID), as VTIMEZONE parts want.
func setLocal(props ical.Props, name string, t time.Time) {
	p := ical.NewProp(name)
	setLocalProp(p, t)
	props.Set(p)
}

func setLocalProp(p *ical.Prop, t time.Time) {
	p.SetValueType(ical.ValueDateTime)
	p.Value = t.Format("20060102T150405")
}
