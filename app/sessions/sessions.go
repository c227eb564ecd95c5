package sessions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
)

// Store is what planning sessions needs from the workspace. Every method that
// changes who must hear about a session takes the mailer and writes the change
// and its mail in one transaction.
type Store interface {
	CreateSession(ctx context.Context, in app.SessionInput, uid string, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error)
	UpdateSession(ctx context.Context, id int64, in app.SessionInput, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error)
	CancelSession(ctx context.Context, id int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error)
	InviteNewMembers(ctx context.Context, sessionID int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error)
	RemoveFormerMembers(ctx context.Context, sessionID int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error)
	QueueReminder(ctx context.Context, sessionID int64, occurrence time.Time, minutes []int, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error)
	ScheduledSessions(ctx context.Context, cohortID int64) ([]app.Session, error)
	Session(ctx context.Context, id int64) (app.Session, error)
	AddMembers(ctx context.Context, cohortID int64, clientIDs []int64, role string) (int, error)
	RemoveMember(ctx context.Context, cohortID, clientID int64) error
}

// Organizer is the coach as the organizer of their sessions: the sender of
// their mail.
func Organizer(from compose.From) Person { return Person{Name: from.Name, Email: from.Email} }

// NewPlanner returns the planner for the coach who sends as from.
func NewPlanner(st Store, from compose.From) Planner {
	return Planner{Store: st, Organizer: Organizer(from), NewIDs: compose.NewIDs(from)}
}

// Planner plans sessions for one coach: the organizer of every invitation.
type Planner struct {
	Store     Store
	Organizer Person
	NewIDs    func() app.MessageIdentity
	Now       func() time.Time // time.Now when nil
}

func (p Planner) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// Create plans a session and queues an invitation to each member of its
// cohort (or to its client).
func (p Planner) Create(ctx context.Context, in app.SessionInput) (app.Session, error) {
	in, err := Check(in)
	if err != nil {
		return app.Session{}, err
	}
	return p.Store.CreateSession(ctx, in, p.newUID(), p.mailer(kindInvitation), p.NewIDs)
}

// Update changes a session and queues the update (same UID, higher SEQUENCE)
// to everyone invited.
func (p Planner) Update(ctx context.Context, id int64, in app.SessionInput) (app.Session, error) {
	in, err := Check(in)
	if err != nil {
		return app.Session{}, err
	}
	return p.Store.UpdateSession(ctx, id, in, p.mailer(kindUpdate), p.NewIDs)
}

// Cancel calls a session off and queues the cancellation to everyone invited.
func (p Planner) Cancel(ctx context.Context, id int64) (app.Session, error) {
	return p.Store.CancelSession(ctx, id, p.mailer(kindCancel), p.NewIDs)
}

// SyncMembers brings the cohort's sessions still ahead in line with its
// roster: a member who joined gets invitations to them, one who left gets
// cancellations. Call it after every change of the roster.
func (p Planner) SyncMembers(ctx context.Context, cohortID int64) (invited, removed int, err error) {
	ss, err := p.Store.ScheduledSessions(ctx, cohortID)
	if err != nil {
		return 0, 0, err
	}
	now := p.now()
	for _, s := range ss {
		if s.CohortID == 0 {
			continue
		}
		if _, ok := NextOccurrence(s, now); !ok {
			continue
		}
		n, err := p.Store.InviteNewMembers(ctx, s.ID, p.mailer(kindInvitation), p.NewIDs)
		if err != nil {
			return invited, removed, err
		}
		invited += n
		if n, err = p.Store.RemoveFormerMembers(ctx, s.ID, p.mailer(kindRemoved), p.NewIDs); err != nil {
			return invited, removed, err
		}
		removed += n
	}
	return invited, removed, nil
}

// AddMembers puts clients into a cohort and invites them to its sessions
// ahead; it returns how many joined.
func (p Planner) AddMembers(ctx context.Context, cohortID int64, clientIDs []int64, role string) (int, error) {
	n, err := p.Store.AddMembers(ctx, cohortID, clientIDs, role)
	if err != nil {
		return n, err
	}
	_, _, err = p.SyncMembers(ctx, cohortID)
	return n, err
}

// RemoveMember records that a client left a cohort and cancels its sessions
// ahead in their calendar.
func (p Planner) RemoveMember(ctx context.Context, cohortID, clientID int64) error {
	if err := p.Store.RemoveMember(ctx, cohortID, clientID); err != nil {
		return err
	}
	_, _, err := p.SyncMembers(ctx, cohortID)
	return err
}

// Reminders queues the reminders due at now: for each occurrence not begun
// yet, one mail per member once any of the cohort's reminder times (a day
// before, an hour before) has come. It returns how many copies it queued.
func (p Planner) Reminders(ctx context.Context, now time.Time) (int, error) {
	ss, err := p.Store.ScheduledSessions(ctx, 0)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, s := range ss {
		occ, due := DueReminder(s, now)
		if len(due) == 0 {
			continue
		}
		n, err := p.Store.QueueReminder(ctx, s.ID, occ, due, p.reminder(occ), p.NewIDs)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// DueReminder returns the next occurrence of s after now and the reminder
// offsets (minutes) whose time has come for it; none when no reminder is due.
func DueReminder(s app.Session, now time.Time) (time.Time, []int) {
	occ, ok := NextStart(s, now)
	if !ok {
		return time.Time{}, nil
	}
	var due []int
	for _, m := range s.Reminders {
		if !now.Before(occ.Add(-time.Duration(m) * time.Minute)) {
			due = append(due, m)
		}
	}
	return occ, due
}

// Check tidies a session's input and refuses what cannot be planned, with a
// sentence for the coach.
func Check(in app.SessionInput) (app.SessionInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Link = strings.TrimSpace(in.Link)
	in.Location = strings.TrimSpace(in.Location)
	in.Until = strings.TrimSpace(in.Until)
	switch {
	case (in.CohortID == 0) == (in.ClientID == 0):
		return in, app.Errorf(app.EINVALID, "A session is for one cohort or for one client.")
	case in.Title == "" || strings.ContainsAny(in.Title, "\r\n"):
		return in, app.Errorf(app.EINVALID, "Give the session a title on one line: it is what members see in their calendar.")
	case in.Start.IsZero():
		return in, app.Errorf(app.EINVALID, "Say when the session starts.")
	case in.Minutes <= 0 || in.Minutes > 24*60:
		return in, app.Errorf(app.EINVALID, "A session lasts between a minute and a day.")
	case in.EveryWeeks < 0 || in.EveryWeeks > 52:
		return in, app.Errorf(app.EINVALID, "A session repeats every 1 to 52 weeks.")
	case in.Count < 0:
		return in, app.Errorf(app.EINVALID, "The number of sessions cannot be negative.")
	case in.EveryWeeks == 0 && (in.Count > 0 || in.Until != ""):
		return in, app.Errorf(app.EINVALID, "An end date or a number of sessions needs a session that repeats (every N weeks).")
	case in.Count > 0 && in.Until != "":
		return in, app.Errorf(app.EINVALID, "Give an end date or a number of sessions, not both.")
	}
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil || in.TimeZone == "Local" {
		return in, app.Errorf(app.EINVALID, "%q is not a time zone Roundtable knows; use a name such as Europe/Paris.", in.TimeZone)
	}
	if in.Until != "" {
		end, ok := untilEnd(in.Until, loc)
		if !ok {
			return in, app.Errorf(app.EINVALID, "The end date %q is not a date like 2026-06-30.", in.Until)
		}
		if end.Before(in.Start) {
			return in, app.Errorf(app.EINVALID, "The end date is before the first session.")
		}
	}
	if in.Link != "" {
		u, err := url.Parse(in.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(in.Link, " \r\n") {
			return in, app.Errorf(app.EINVALID, "The video link must be a web address (https://…).")
		}
	}
	in.Start = in.Start.UTC().Truncate(time.Minute)
	return in, nil
}

// Input is the input that would plan s again, for an update that changes a
// few fields.
func Input(s app.Session) app.SessionInput {
	return app.SessionInput{CohortID: s.CohortID, ClientID: s.ClientID, Title: s.Title, Start: s.Start, Minutes: s.Minutes,
		TimeZone: s.TimeZone, Link: s.Link, Location: s.Location, Agenda: s.Agenda, EveryWeeks: s.EveryWeeks, Until: s.Until, Count: s.Count}
}

// newUID makes a session's UID: random, under the coach's domain, as RFC 5545
// suggests, so it is unique across everything their members' calendars hold.
func (p Planner) newUID() string {
	var b [16]byte
	rand.Read(b[:])
	domain := "roundtable.invalid"
	if _, d, ok := strings.Cut(p.Organizer.Email, "@"); ok && d != "" {
		domain = strings.ToLower(d)
	}
	return "rt-session-" + hex.EncodeToString(b[:]) + "@" + domain
}

// The kinds of mail about a session.
const (
	kindInvitation = "invitation"
	kindUpdate     = "update"
	kindCancel     = "cancel"
	kindRemoved    = "removed" // the session goes on without this member
)

// mailer writes the mail of one kind: the same words for everyone, a calendar
// object per member naming them as the attendee.
func (p Planner) mailer(kind string) app.SessionMailer {
	return func(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
		method, subject := MethodRequest, "Invitation: "+s.Title
		switch kind {
		case kindUpdate:
			subject = "Updated: " + s.Title
		case kindCancel:
			method, subject = MethodCancel, "Cancelled: "+s.Title
		case kindRemoved:
			method, subject = MethodCancel, "No longer invited: "+s.Title
		}
		m := app.SessionMail{Subject: subject, Body: body(s, kind, nil), Method: method, Calendars: map[int64][]byte{}}
		m.Texts = ownTexts(s, to, func(zone *time.Location) app.SessionText {
			return app.SessionText{Subject: subject, Body: body(s, kind, zone)}
		})
		for _, a := range to {
			ics, err := Calendar(Invite{Method: method, Session: s, Organizer: p.Organizer,
				Attendee: Person{Name: a.Name, Email: a.Email}, Stamp: p.now()})
			if err != nil {
				return m, err
			}
			m.Calendars[a.ClientID] = ics
		}
		return m, nil
	}
}

// reminder writes the reminder of the occurrence starting at occ: words only,
// the calendar already holds the session.
func (p Planner) reminder(occ time.Time) app.SessionMailer {
	return func(s app.Session, to []app.SessionAttendee) (app.SessionMail, error) {
		one := s
		one.Start, one.EveryWeeks, one.Count, one.Until = occ, 0, 0, ""
		text := func(zone *time.Location) app.SessionText {
			return app.SessionText{Subject: "Reminder: " + s.Title + ", " + WhenIn(one, zone), Body: body(one, "reminder", zone)}
		}
		m := text(nil)
		return app.SessionMail{Subject: m.Subject, Body: m.Body, Texts: ownTexts(one, to, text)}, nil
	}
}

// ownTexts writes the copies of members who set their own time zone, when
// it is not the session's: they read the date as their clock shows it. The
// others (no zone, or an unknown one) read it in the session's zone, the one
// the coach planned it in.
func ownTexts(s app.Session, to []app.SessionAttendee, text func(zone *time.Location) app.SessionText) map[int64]app.SessionText {
	out := map[int64]app.SessionText{}
	for _, a := range to {
		if a.TimeZone == "" || a.TimeZone == s.TimeZone {
			continue
		}
		zone, err := time.LoadLocation(a.TimeZone)
		if err != nil {
			continue
		}
		out[a.ClientID] = text(zone)
	}
	return out
}

// body is the Markdown of a mail about a session, its date in zone (nil: the
// session's own).
func body(s app.Session, kind string, zone *time.Location) string {
	var b strings.Builder
	switch kind {
	case kindCancel:
		b.WriteString("This session is **cancelled**; your calendar removes it.\n\n")
	case kindRemoved:
		b.WriteString("You are no longer on the list for this session; your calendar removes it.\n\n")
	case kindUpdate:
		b.WriteString("This session has **changed**; your calendar shows the new details.\n\n")
	}
	fmt.Fprintf(&b, "**%s**\n\n", escape(s.Title))
	fmt.Fprintf(&b, "- When: %s\n", WhenIn(s, zone))
	if r := Repeats(s); r != "" {
		fmt.Fprintf(&b, "- Repeats: %s\n", r)
	}
	if s.Link != "" {
		fmt.Fprintf(&b, "- Join: <%s>\n", s.Link)
	}
	if s.Location != "" {
		fmt.Fprintf(&b, "- Where: %s\n", escape(s.Location))
	}
	if a := strings.TrimSpace(s.Agenda); a != "" && kind != kindCancel && kind != kindRemoved {
		b.WriteString("\n" + a + "\n")
	}
	if kind == kindInvitation || kind == kindUpdate {
		b.WriteString("\nAccept or decline in your calendar, or simply reply \"yes\" or \"no\" to this email.\n")
	}
	return b.String()
}

// escape keeps a title or place from being read as Markdown or a placeholder.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, "`", "\\`", "{", `\{`, "#", `\#`).Replace(s)
}

// When says when the session's first occurrence is, in its own zone:
// "Tuesday 3 March 2026, 18:00–19:00 (Europe/Paris)".
func When(s app.Session) string { return WhenIn(s, nil) }

// WhenIn says when the session's first occurrence is in zone, as a member
// there reads it: "Wednesday 4 March 2026, 02:00–03:00 (Asia/Tokyo)". A nil
// zone is the session's own.
func WhenIn(s app.Session, zone *time.Location) string {
	loc := zone
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(s.TimeZone); err != nil {
			loc = time.UTC
		}
	}
	start, end := s.Start.In(loc), s.End().In(loc)
	return fmt.Sprintf("%s, %s–%s (%s)", start.Format("Monday 2 January 2006"), start.Format("15:04"), end.Format("15:04"), loc)
}

// Repeats says how the session repeats, "" for a single one.
func Repeats(s app.Session) string {
	if s.EveryWeeks <= 0 {
		return ""
	}
	r := "every week"
	if s.EveryWeeks > 1 {
		r = fmt.Sprintf("every %d weeks", s.EveryWeeks)
	}
	switch {
	case s.Count > 0:
		r += fmt.Sprintf(", %d times", s.Count)
	case s.Until != "":
		if d, err := time.Parse("2006-01-02", s.Until); err == nil {
			r += " until " + d.Format("2 January 2006")
		}
	}
	return r
}

// Occurrences returns the starts of s's occurrences that begin before to and
// end after from, in order. A weekly session keeps its wall-clock time in its
// zone, so across a DST change its UTC time moves by the hour, as in the
// members' calendars.
func Occurrences(s app.Session, from, to time.Time) []time.Time {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	first := s.Start.In(loc)
	dur := time.Duration(s.Minutes) * time.Minute
	var until time.Time
	if s.Until != "" {
		until, _ = untilEnd(s.Until, loc)
	}
	var out []time.Time
	for i := 0; ; i++ {
		if i > 0 && (s.EveryWeeks <= 0 || (s.Count > 0 && i >= s.Count)) {
			return out
		}
		t := time.Date(first.Year(), first.Month(), first.Day()+7*s.EveryWeeks*i, first.Hour(), first.Minute(), 0, 0, loc)
		if !t.Before(to) || (!until.IsZero() && t.After(until)) {
			return out
		}
		if t.Add(dur).After(from) {
			out = append(out, t.UTC())
		}
		if i > 100000 {
			return out
		}
	}
}

// NextStart is the first occurrence of s starting after now.
func NextStart(s app.Session, now time.Time) (time.Time, bool) {
	horizon := now.AddDate(0, 0, 7*max(s.EveryWeeks, 1)+1)
	for _, t := range Occurrences(s, now, horizon) {
		if t.After(now) {
			return t, true
		}
	}
	return time.Time{}, false
}

// NextOccurrence is the first occurrence of s not over at now (it may be
// under way).
func NextOccurrence(s app.Session, now time.Time) (time.Time, bool) {
	horizon := now.AddDate(0, 0, 7*max(s.EveryWeeks, 1)+1)
	if ts := Occurrences(s, now, horizon); len(ts) > 0 {
		return ts[0], true
	}
	if s.Start.After(horizon) {
		return s.Start, true
	}
	return time.Time{}, false
}
