package app

import "time"

// DefaultQuietDays is how many days without a reply make a member of a cohort of
// this kind "gone quiet", unless the coach set a number on the cohort. The
// numbers follow each kind's rhythm:
//   - micro-communities talk every day (their digest is daily): a week of
//     silence is already unusual, so 7;
//   - course cohorts move lesson by lesson, usually weekly: a member who skipped
//     a week's check-in is falling behind, and the earlier the coach notices the
//     likelier they catch up, so 7;
//   - masterminds, group coaching, 1:1 clients and other groups meet or post
//     about weekly: missing one round happens, missing two is a pattern, so 14;
//   - communities of practice are expected to have many quiet readers (the
//     "90-9-1" rule of online communities), so only a month of silence is
//     worth a nudge: 30.
var DefaultQuietDays = map[string]int{
	KindMastermind:     14,
	KindGroupCoaching:  14,
	KindMicroCommunity: 7,
	KindCourseCohort:   7,
	KindPractice:       30,
	KindOneToOne:       14,
	KindOther:          14,
}

// QuietDaysMax bounds the coach's number of days (a year).
const QuietDaysMax = 365

// QuietDaysFor returns the days of silence that count for a cohort: the coach's
// number when set (non-zero), else the kind's default.
func QuietDaysFor(kind string, set int) int {
	if set > 0 {
		return set
	}
	if n, ok := DefaultQuietDays[kind]; ok {
		return n
	}
	return 14
}

// Agenda item kinds on the home screen.
const (
	AgendaSession = "session" // a live session's occurrence
	AgendaPost    = "post"    // an announcement scheduled to go
	AgendaDigest  = "digest"  // a cohort's next digest
	AgendaLesson  = "lesson"  // a lesson of a cohort's curriculum falling due
)

// Home is what the home screen shows: what happens today and this week, what
// waits for the coach, who has gone quiet, and how each cohort is doing. Weeks
// are the coach's (Monday to Sunday in Zone).
type Home struct {
	Now    time.Time    `json:"now"`
	Zone   string       `json:"zone"`   // the coach's time zone, IANA name
	Agenda []AgendaItem `json:"agenda"` // the next 7 days, in time order
	Outbox HomeOutbox   `json:"outbox"`
	// Unread are the replies the coach has not read, per cohort.
	Unread []CohortCount `json:"unread"`
	// Unapproved counts replies from an unverified sender that wait for the
	// coach's approval before the group sees them.
	Unapproved []CohortCount      `json:"unapproved"`
	Unmatched  int                `json:"unmatched"` // mail waiting to be told whose reply it is
	Bounces    []BounceRef        `json:"bounces"`   // open suspected bounces
	Quiet      []QuietMember      `json:"quiet"`     // most recently gone quiet first, at most QuietListMax
	QuietTotal int                `json:"quietTotal"`
	Cohorts    []CohortEngagement `json:"cohorts"`
	// Weeks are the starts of the weeks the charts cover, oldest first, as
	// RFC 3339 times (Monday 00:00 in the coach's zone).
	Weeks []string `json:"weeks"`
	// CheckIns says whether some cohort has lessons, so that engagement
	// counts check-ins (and the window says so).
	CheckIns bool `json:"checkIns"`
}

// QuietListMax bounds the quiet members listed on the home screen; QuietTotal
// says how many there are in all.
const QuietListMax = 100

// HomeWeeks is how many weeks the engagement charts cover.
const HomeWeeks = 8

// AgendaItem is one thing due in the coming days.
type AgendaItem struct {
	Kind      string    `json:"kind"` // AgendaSession, AgendaPost, AgendaDigest or AgendaLesson
	At        time.Time `json:"at"`
	Title     string    `json:"title"`
	Detail    string    `json:"detail"`
	CohortID  int64     `json:"cohortId"`
	Cohort    string    `json:"cohort"`
	ClientID  int64     `json:"clientId"` // a 1:1 session's client
	SessionID int64     `json:"sessionId"`
	PostID    int64     `json:"postId"`
}

// HomeOutbox is the outbox in numbers: what is being sent, what waits (the
// window adds whether it waits for the connection), and what failed, with the
// sentence that says how to fix it.
type HomeOutbox struct {
	Sending int             `json:"sending"`
	Waiting int             `json:"waiting"` // queued or retrying
	Failed  []OutboxFailure `json:"failed"`
}

// OutboxFailure is the failed messages of one post that failed for one reason.
type OutboxFailure struct {
	PostID  int64  `json:"postId"`
	Subject string `json:"subject"`
	Cohort  string `json:"cohort"`
	Count   int    `json:"count"`
	Answer  string `json:"answer"` // the coach's sentence: what happened and what to do
}

// CohortCount is a number for one cohort.
type CohortCount struct {
	CohortID int64  `json:"cohortId"`
	Cohort   string `json:"cohort"`
	Count    int    `json:"count"`
}

// QuietMember is a member who has said nothing in a cohort for its quiet days.
type QuietMember struct {
	ClientID  int64      `json:"clientId"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	CohortID  int64      `json:"cohortId"`
	Cohort    string     `json:"cohort"`
	QuietDays int        `json:"quietDays"` // the cohort's N
	Days      int        `json:"days"`      // days since their last reply, or since they joined
	LastAt    *time.Time `json:"lastAt"`    // their last reply in the cohort; nil: never replied
	LastSaid  string     `json:"lastSaid"`  // its first words
	LastPost  int64      `json:"lastPost"`  // the post it answered, to open the conversation
	AwayUntil *time.Time `json:"awayUntil"` // the return date of an auto-reply, now past
}

// CohortEngagement is one cohort's activity over the chart's weeks and its
// health signals.
type CohortEngagement struct {
	CohortID  int64  `json:"cohortId"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Members   int    `json:"members"`   // current members counted (co-hosts left out)
	QuietDays int    `json:"quietDays"` // the N in force
	// QuietDaysSet is the coach's own number (0: the kind's default).
	QuietDaysSet int `json:"quietDaysSet"`
	// Weeks match Home.Weeks, oldest first.
	Weeks   []WeekEngagement `json:"weeks"`
	Signals []HealthSignal   `json:"signals"`
}

// WeekEngagement is what a cohort's members did in one week.
type WeekEngagement struct {
	Replies  int `json:"replies"`
	CheckIns int `json:"checkIns"`
	Attended int `json:"attended"` // members marked present at a session that week
	Members  int `json:"members"`  // members in the cohort that week
	Active   int `json:"active"`   // members who replied, checked in or attended
}

// Health signal kinds.
const (
	SignalNoPurpose       = "no_purpose"
	SignalSize            = "size"
	SignalHogging         = "hogging"
	SignalSilent          = "silent"
	SignalCheckInsFalling = "checkins_falling"
)

// HealthSignal is a suggestion about a cohort, never a block: what was seen,
// why it matters in one sentence, and the members it concerns.
type HealthSignal struct {
	Kind    string      `json:"kind"`
	Message string      `json:"message"`
	Why     string      `json:"why"`
	Members []MemberRef `json:"members"`
}

// MemberRef names a member a signal concerns.
type MemberRef struct {
	ClientID int64  `json:"clientId"`
	Name     string `json:"name"`
}

// MemberActivity is one member's replies (and check-ins) per week over the
// chart's weeks, oldest first: the roster's sparkline.
type MemberActivity struct {
	ClientID int64 `json:"clientId"`
	Weekly   []int `json:"weekly"`
}

// BounceRef is an open suspected bounce, with the client it names.
type BounceRef struct {
	ID         int64     `json:"id"`
	ClientID   int64     `json:"clientId"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Reason     string    `json:"reason"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Activity kinds: what counts as a member taking part. Only what members do
// by their own hand: no tracking pixels, no rewritten links.
const (
	ActivityReply    = "reply"    // a reply threaded under a cohort's post
	ActivityCheckIn  = "checkin"  // a lesson check-in (issue 9)
	ActivityAttended = "attended" // marked present at one of the cohort's sessions
)

// Activity is one thing a member did in a cohort, when.
type Activity struct {
	CohortID int64
	ClientID int64
	At       time.Time
	Kind     string // ActivityReply, ActivityCheckIn or ActivityAttended
}

// HomeCohort is a current cohort as the home screen reads it.
type HomeCohort struct {
	ID        int64
	Name      string
	Kind      string
	Purpose   string
	Capacity  int
	QuietDays int  // the coach's number, 0 for the kind's default
	Lessons   bool // it has a curriculum: its members check in
}

// HomeMember is one membership of a current cohort: current, or ended inside
// the weeks the charts cover.
type HomeMember struct {
	CohortID  int64
	ClientID  int64
	Name      string
	Email     string
	Role      string
	JoinedAt  time.Time
	LeftAt    *time.Time
	Delivery  string
	Status    string // the client's: active, paused, alumni
	Archived  bool
	Mailable  bool       // not unsubscribed, not bouncing
	AwayUntil *time.Time // an auto-reply said so; nil otherwise
	Away      bool       // an auto-reply came and no reply since
}

// LastReply is a member's most recent reply in a cohort.
type LastReply struct {
	At     time.Time
	Text   string
	PostID int64
}

// HomeQuery says which times the home screen's facts are read for.
type HomeQuery struct {
	Now         time.Time
	Since       time.Time // members' activity from then
	Until       time.Time // posts scheduled to go before then
	FailedSince time.Time // failed messages from then (older ones the coach has seen)
}

// HomeFacts is what the home screen is computed from, read from the workspace
// in one go so that its numbers agree with each other.
type HomeFacts struct {
	Cohorts    []HomeCohort
	Members    []HomeMember
	Activity   []Activity // since the asked time, in time order
	Sessions   []Session  // scheduled, without attendees
	Posts      []Post     // scheduled to go before the asked time (also overdue)
	Digests    []DigestCohort
	Outbox     HomeOutbox
	Unread     []CohortCount
	Unapproved []CohortCount
	Unmatched  int
	Bounces    []BounceRef
	CheckIns   bool // some cohort has a curriculum, so members check in
}

// RosterActivity is a cohort's members' replies and check-ins per week: the
// weeks' starts (oldest first) and each member with any activity in them.
type RosterActivity struct {
	Weeks []string `json:"weeks"` // RFC 3339, as Home.Weeks

	Members []MemberActivity `json:"members"`
}
