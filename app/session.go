package app

import "time"

// Session statuses.
const (
	SessionScheduled = "scheduled"
	SessionCancelled = "cancelled"
)

// RSVP answers, as iCalendar's PARTSTAT names them (lower case).
const (
	RSVPNone      = "needs-action" // no answer yet
	RSVPAccepted  = "accepted"
	RSVPDeclined  = "declined"
	RSVPTentative = "tentative"
)

// Where an RSVP was read: a calendar app's iTIP REPLY, the words of a plain
// reply ("yes", "can't make it"), or the coach's own hand.
const (
	RSVPFromCalendar = "calendar"
	RSVPFromText     = "text"
	RSVPFromCoach    = "coach"
)

// Attendee states: invited, or removed (they left the cohort; their calendar
// was told the session is off for them).
const (
	AttendeeInvited = "invited"
	AttendeeRemoved = "removed"
)

// DefaultReminders are the reminders before each session unless the cohort
// says otherwise: a day before and an hour before.
var DefaultReminders = []time.Duration{24 * time.Hour, time.Hour}

// Session is a live session (a group call, a 1:1) of a cohort or of one client.
type Session struct {
	ID       int64  `json:"id"`
	UID      string `json:"uid"` // the iCalendar UID, the same in every update
	CohortID int64  `json:"cohortId"`
	Cohort   string `json:"cohort"`
	ClientID int64  `json:"clientId"` // a 1:1 session: the client; else 0
	Client   string `json:"client"`
	Title    string `json:"title"`
	// Start is the first occurrence's start, UTC; TimeZone is where its wall
	// clock is kept, so a weekly session stays at 18:00 across DST changes.
	Start    time.Time `json:"start"`
	Minutes  int       `json:"minutes"`
	TimeZone string    `json:"timeZone"`
	Link     string    `json:"link"`
	Location string    `json:"location"`
	Agenda   string    `json:"agenda"` // Markdown
	// EveryWeeks is 0 for a single session, N for every N weeks; the series
	// ends on Until (YYYY-MM-DD in TimeZone, "" for none) or after Count
	// occurrences (0 for none).
	EveryWeeks int    `json:"everyWeeks"`
	Until      string `json:"until"`
	Count      int    `json:"count"`
	Sequence   int    `json:"sequence"` // raised on every change sent
	Status     string `json:"status"`
	// Reminders are the minutes before each occurrence a reminder goes (the
	// cohort's setting; a day and an hour by default).
	Reminders []int `json:"reminders"`
	// Note is the coach's private note, never sent.
	Note      string            `json:"note"`
	CreatedAt time.Time         `json:"createdAt"`
	UpdatedAt time.Time         `json:"updatedAt"`
	Attendees []SessionAttendee `json:"attendees"`
}

// End is when the first occurrence ends.
func (s Session) End() time.Time { return s.Start.Add(time.Duration(s.Minutes) * time.Minute) }

// SessionAttendee is one member invited to a session, with their answer and
// whether they came.
type SessionAttendee struct {
	ClientID   int64      `json:"clientId"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	TimeZone   string     `json:"timeZone"` // the client's own zone, "" when unknown
	State      string     `json:"state"`
	RSVP       string     `json:"rsvp"`
	RSVPSource string     `json:"rsvpSource"` // "" while there is no answer
	RSVPAt     *time.Time `json:"rsvpAt"`
	Attended   *bool      `json:"attended"` // nil until the coach takes attendance
	Note       string     `json:"note"`     // private
}

// SessionInput is what the coach sets on a session.
type SessionInput struct {
	CohortID   int64     `json:"cohortId"`
	ClientID   int64     `json:"clientId"`
	Title      string    `json:"title"`
	Start      time.Time `json:"start"`
	Minutes    int       `json:"minutes"`
	TimeZone   string    `json:"timeZone"`
	Link       string    `json:"link"`
	Location   string    `json:"location"`
	Agenda     string    `json:"agenda"`
	EveryWeeks int       `json:"everyWeeks"`
	Until      string    `json:"until"`
	Count      int       `json:"count"`
}

// SessionFilter narrows the session list.
type SessionFilter struct {
	CohortID int64 `json:"cohortId"` // 0: all
	ClientID int64 `json:"clientId"` // 0: all
}

// SessionMail is one mailing about a session (an invitation, an update, a
// cancellation, a reminder): its subject and Markdown body, and each
// recipient's own calendar object.
type SessionMail struct {
	Subject string
	Body    string
	// Texts holds the subject and body of recipients whose copy reads
	// differently (the date in their own time zone), by client id; the others
	// get Subject and Body.
	Texts map[int64]SessionText
	// Method is the iTIP method of the calendar part (REQUEST, CANCEL), "" for
	// a mail without one (a reminder).
	Method string
	// Calendars holds each recipient's .ics by client id.
	Calendars map[int64][]byte
}

// SessionText is the subject and Markdown body of one recipient's copy.
type SessionText struct {
	Subject string
	Body    string
}

// SessionMailer writes the mailing about session s to the attendees to. The
// store calls it inside the transaction that changes the session, so the
// change and its mail are one.
type SessionMailer func(s Session, to []SessionAttendee) (SessionMail, error)

// Timeline event kinds: what happened with one client, in time order.
const (
	TimelineJoined      = "joined"       // joined a cohort
	TimelineLeft        = "left"         // left a cohort
	TimelinePost        = "post"         // an announcement or an answer they received
	TimelineDigest      = "digest"       // a digest they received
	TimelineSessionMail = "session_mail" // an invitation, update, cancellation or reminder
	TimelineReply       = "reply"        // their reply to the community
	TimelinePersonal    = "personal"     // their 1:1 mail with the coach (kept only when the coach asked)
	TimelineSession     = "session"      // a session they were invited to, with answer and attendance
	TimelineNote        = "note"         // the coach's private note on them in a session
	TimelineMail        = "mail"         // unsubscribed, bounced, away, resubscribed…
)

// TimelineEvent is one thing on a client's timeline.
type TimelineEvent struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Title  string    `json:"title"`
	Detail string    `json:"detail"`
	// Private marks the coach's own notes: never sent, never shown to anyone.
	Private   bool  `json:"private"`
	CohortID  int64 `json:"cohortId"`
	PostID    int64 `json:"postId"`
	SessionID int64 `json:"sessionId"`
}

// TimelineFilter narrows a timeline: some kinds only ("" all), events before
// a time (zero: from the newest), at most Limit (0: 200).
type TimelineFilter struct {
	Kinds  []string  `json:"kinds"`
	Before time.Time `json:"before"`
	Limit  int       `json:"limit"`
}
