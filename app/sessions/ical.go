// Package sessions plans live sessions (group calls, 1:1s) and tells members'
// calendars about them by email: iMIP (RFC 6047) invitations, updates and
// cancellations built on iTIP (RFC 5546), reminders before each session, and
// RSVPs read back from the calendar apps' replies.
package sessions

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"github.com/roundtablehq/roundtable/app"
)

// iTIP methods used here.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
	MethodReply   = "REPLY"
)

// prodID names the program that made the calendar object.
const prodID = "-//Roundtable//Roundtable sessions//EN"

// Person is an organizer or attendee: a name and an address.
type Person struct {
	Name  string
	Email string
}

// Invite is one member's copy of a session's calendar entry.
type Invite struct {
	Method    string // MethodRequest or MethodCancel
	Session   app.Session
	Organizer Person // the coach
	Attendee  Person // the member, the only attendee: members never see each other's addresses
	Stamp     time.Time
}

// Calendar writes the VCALENDAR of inv: METHOD, a VTIMEZONE that defines the
// session's zone (none for UTC), and one VEVENT with the session's UID and
// SEQUENCE, so every update and cancellation lands on the same entry in the
// member's calendar. A weekly session carries its RRULE.
func Calendar(inv Invite) ([]byte, error) {
	s := inv.Session
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%q is not a time zone Roundtable knows.", s.TimeZone)
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, prodID)
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, inv.Method)
	if loc != time.UTC {
		cal.Children = append(cal.Children, timezoneComponent(loc, s.Start.In(loc).Year()))
	}

	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, s.UID)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, inv.Stamp.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeStart, s.Start.In(loc))
	ev.Props.SetDateTime(ical.PropDateTimeEnd, s.End().In(loc))
	setRaw(ev.Props, ical.PropSequence, fmt.Sprint(s.Sequence))
	ev.Props.SetText(ical.PropSummary, s.Title)
	if d := description(s); d != "" {
		ev.Props.SetText(ical.PropDescription, d)
	}
	switch {
	case s.Location != "":
		ev.Props.SetText(ical.PropLocation, s.Location)
	case s.Link != "":
		ev.Props.SetText(ical.PropLocation, s.Link)
	}
	if s.Link != "" {
		setRaw(ev.Props, ical.PropURL, s.Link)
	}
	if r := rrule(s, loc); r != "" {
		p := ical.NewProp(ical.PropRecurrenceRule)
		p.Value = r
		ev.Props.Set(p)
	}
	status := "CONFIRMED"
	if inv.Method == MethodCancel {
		status = "CANCELLED"
	}
	setRaw(ev.Props, ical.PropStatus, status)
	setRaw(ev.Props, ical.PropTransparency, "OPAQUE")

	org := ical.NewProp(ical.PropOrganizer)
	org.Params.Set(ical.ParamCommonName, paramText(inv.Organizer.Name))
	org.Value = "mailto:" + inv.Organizer.Email
	ev.Props.Set(org)
	att := ical.NewProp(ical.PropAttendee)
	att.Params.Set(ical.ParamCommonName, paramText(inv.Attendee.Name))
	att.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
	att.Params.Set(ical.ParamCalendarUserType, "INDIVIDUAL")
	att.Params.Set(ical.ParamParticipationStatus, "NEEDS-ACTION")
	att.Params.Set(ical.ParamRSVP, "TRUE")
	att.Value = "mailto:" + inv.Attendee.Email
	ev.Props.Set(att)
	cal.Children = append(cal.Children, ev.Component)

	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The calendar entry for %q could not be written", s.Title)
	}
	return fold(b.Bytes()), nil
}

// description is the event's text: the link first (calendar apps show the
// first lines), then the agenda as written.
func description(s app.Session) string {
	var parts []string
	if s.Link != "" {
		parts = append(parts, "Join: "+s.Link)
	}
	if a := strings.TrimSpace(s.Agenda); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, "\n\n")
}

// rrule is the RRULE of a repeating session, "" for a single one. UNTIL is the
// end of the last day in the session's zone, written in UTC as RFC 5545 wants
// beside a DTSTART with a TZID.
func rrule(s app.Session, loc *time.Location) string {
	if s.EveryWeeks <= 0 {
		return ""
	}
	r := "FREQ=WEEKLY"
	if s.EveryWeeks > 1 {
		r += fmt.Sprintf(";INTERVAL=%d", s.EveryWeeks)
	}
	switch {
	case s.Count > 0:
		r += fmt.Sprintf(";COUNT=%d", s.Count)
	case s.Until != "":
		if end, ok := untilEnd(s.Until, loc); ok {
			r += ";UNTIL=" + end.UTC().Format("20060102T150405Z")
		}
	}
	return r
}

// untilEnd is the last second of the day d (YYYY-MM-DD) in loc.
func untilEnd(d string, loc *time.Location) (time.Time, bool) {
	day, err := time.ParseInLocation("2006-01-02", d, loc)
	if err != nil {
		return time.Time{}, false
	}
	return day.AddDate(0, 0, 1).Add(-time.Second), true
}

// setRaw sets a property whose value needs no text escaping (a number, a URI,
// a keyword), with its default value type.
func setRaw(props ical.Props, name, value string) {
	p := ical.NewProp(name)
	p.Value = value
	props.Set(p)
}

// paramText makes a name safe as a parameter value: iCalendar cannot carry a
// double quote or a line break there.
func paramText(s string) string {
	s = strings.NewReplacer(`"`, "'", "\r", " ", "\n", " ").Replace(s)
	return strings.TrimSpace(s)
}

// fold folds content lines longer than 75 octets (RFC 5545 3.1), which go-ical
// leaves whole, between UTF-8 characters.
func fold(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\r\n")) {
		content := bytes.TrimSuffix(line, []byte("\r\n"))
		limit := 75
		for len(content) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(content[cut]) {
				cut--
			}
			out.Write(content[:cut])
			out.WriteString("\r\n ")
			content = content[cut:]
			limit = 74 // the leading space counts
		}
		out.Write(content)
		if bytes.HasSuffix(line, []byte("\r\n")) {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}
