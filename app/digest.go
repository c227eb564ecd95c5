package app

import "time"

// How a member of a cohort gets its mail (Membership delivery).
const (
	DeliveryIndividual = "individual" // every post as it happens, and the digest of the others' replies
	DeliveryDigest     = "digest"     // posts only inside the digest
	DeliveryNone       = "none"       // nothing from this cohort for now
)

// DeliveryModes lists the delivery modes, in the order the window offers them.
var DeliveryModes = []string{DeliveryIndividual, DeliveryDigest, DeliveryNone}

// Digest schedules (DigestSettings.Every).
const (
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
	DigestOff    = "off"
)

// DigestSettings is how a cohort's digest goes: when, in whose time, and what
// enters it.
type DigestSettings struct {
	Every       string `json:"every"`       // DigestDaily, DigestWeekly or DigestOff
	Weekday     int    `json:"weekday"`     // 0 Sunday … 6 Saturday, for weekly
	Hour        int    `json:"hour"`        // 0–23, local hour
	MemberLocal bool   `json:"memberLocal"` // at Hour in each member's own zone; else the coach's
	// Approval: replies enter digests only once the coach approved them.
	Approval bool `json:"approval"`
	// Note is the coach's short note for the top of the next digests.
	Note string `json:"note"`
	// Described is the schedule in a sentence, for the window and the CLI.
	Described string `json:"described"`
	// Next is when the next digest goes (in the coach's zone; nil when off).
	Next *time.Time `json:"next"`
}

// DigestNoteMax bounds the coach's note, in bytes of UTF-8: a line or two at the
// top of a digest.
const DigestNoteMax = 2000

// DefaultDigest is a cohort kind's digest schedule before the coach changes it.
// The defaults are shown to the coach, never hidden, and all go at each member's
// own local hour, so a cohort spread over continents reads its digest at a sane
// time. Group kinds get one calm email a week on Friday morning, when the
// week's exchanges are over and there is time to read; a micro-community talks
// every day, so it gets a daily digest at 18:00, after work; a one-to-one cohort
// has no one else's replies to show, so it has none.
func DefaultDigest(kind string) DigestSettings {
	switch kind {
	case KindMicroCommunity:
		return DigestSettings{Every: DigestDaily, Weekday: 5, Hour: 18, MemberLocal: true}
	case KindOneToOne:
		return DigestSettings{Every: DigestOff, Weekday: 5, Hour: 9, MemberLocal: true}
	}
	return DigestSettings{Every: DigestWeekly, Weekday: 5, Hour: 9, MemberLocal: true}
}

// DigestCohort is a cohort whose digests are on, with its settings.
type DigestCohort struct {
	ID       int64
	Name     string
	Settings DigestSettings
}

// DigestMember is a member who may be due a digest: their zone, since when they
// are in the cohort, and their previous digest's period and end.
type DigestMember struct {
	ClientID   int64
	TimeZone   string
	Delivery   string
	Joined     time.Time
	LastPeriod time.Time // zero: no digest yet
	LastUntil  time.Time
}

// DigestDue is one member due a digest now: the period (the scheduled instant)
// it belongs to, the time zone it is written in, and since when its news run.
type DigestDue struct {
	ClientID int64
	Period   time.Time
	Zone     string
	Since    time.Time
}

// DigestItem is one thing in a digest: a post, or a member's reply to it.
type DigestItem struct {
	ID          int64     `json:"id"`
	PostID      int64     `json:"postId"`
	PostSubject string    `json:"postSubject"` // as members saw it
	ReplyID     int64     `json:"replyId"`     // 0 for the post itself
	ClientID    int64     `json:"clientId"`    // the reply's author; for a post, the member a lesson was released to, else 0
	Author      string    `json:"author"`
	At          time.Time `json:"at"`
	Text        string    `json:"text"` // the reply's trimmed text, or the post's Markdown
	Highlighted bool      `json:"highlighted"`
	Pinned      bool      `json:"pinned"`
	AlreadySent bool      `json:"alreadySent"` // a post the member received on its own
	ReplyTo     string    `json:"replyTo"`     // the item's "Reply to this" mailto: link
	Token       string    `json:"-"`           // the item's reply token for this member
}

// Digest is one member's digest: what it carried, when, and how it went.
type Digest struct {
	ID       int64        `json:"id"`
	CohortID int64        `json:"cohortId"`
	Cohort   string       `json:"cohort"`
	ClientID int64        `json:"clientId"`
	Name     string       `json:"name"`
	Email    string       `json:"email"`
	Period   time.Time    `json:"period"`
	Since    time.Time    `json:"since"`
	Until    time.Time    `json:"until"`
	Note     string       `json:"note"`
	Delivery string       `json:"delivery"`
	Zone     string       `json:"zone"` // the member's time zone the digest was written in
	Items    []DigestItem `json:"items"`
	// ItemToken makes an item's reply token when the items do not carry them
	// yet: the outbox's copy makes tokens only for the items the email shows,
	// a few hundred of a busy week's thousands.
	ItemToken func(itemID int64) string `json:"-"`
	State     string                    `json:"state"`     // the outbox state of its copy; "" when it was empty and not sent
	MessageID string                    `json:"messageId"` // the copy's Message-ID
}

// DigestPreview is the next digest as one member will get it, rendered by the
// same code as the real mail: what the window's preview and `roundtable digest
// preview` show.
type DigestPreview struct {
	Subject string       `json:"subject"`
	SendAt  time.Time    `json:"sendAt"`
	Items   []DigestItem `json:"items"`
	Text    string       `json:"text"`
	HTML    string       `json:"html"`
	Empty   bool         `json:"empty"` // nothing new: it would not be sent
}

// DigestNews counts what is new to the member in a digest's items: replies, and
// posts they did not receive on their own. A digest with none is not sent.
func DigestNews(items []DigestItem) int {
	n := 0
	for _, it := range items {
		if it.ReplyID != 0 || !it.AlreadySent {
			n++
		}
	}
	return n
}
