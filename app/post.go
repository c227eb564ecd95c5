package app

import (
	"fmt"
	"time"
)

// Post kinds.
const (
	PostAnnouncement = "announcement"
	PostDigest       = "digest"
	PostAnswer       = "reply" // the coach's answer to a member's reply
)

// Post statuses.
const (
	PostDraft     = "draft"
	PostScheduled = "scheduled" // queued at SendAt
	PostQueued    = "queued"    // one outbox row per recipient exists
)

// Outbox states of one message to one recipient.
const (
	OutboxQueued   = "queued"   // waiting its turn
	OutboxSending  = "sending"  // being handed to the server now
	OutboxSent     = "sent"     // the server accepted it
	OutboxRetrying = "retrying" // a temporary failure; tried again at NextAttemptAt
	OutboxFailed   = "failed"   // the server refused it for good
	OutboxSkipped  = "skipped"  // not sent on purpose (unsubscribed, bouncing): LastAnswer says why
	OutboxCanceled = "canceled" // the coach cancelled it before it went
)

// PostKindSession is the kind of a post that is mail about a live session (an
// invitation, update, cancellation or reminder); it is not a conversation.
const PostKindSession = "session"

// Post is what the coach writes to a cohort.
type Post struct {
	ID       int64  `json:"id"`
	CohortID int64  `json:"cohortId"`
	Cohort   string `json:"cohort"`
	Kind     string `json:"kind"`
	Subject  string `json:"subject"` // as the coach wrote it, placeholders and all
	// Title is the subject as the members read it, for the window's titles:
	// cohort and coach filled in, per-member fields named (compose.Title).
	Title     string         `json:"title"`
	Body      string         `json:"body"` // Markdown
	Status    string         `json:"status"`
	SendAt    *time.Time     `json:"sendAt"`
	CreatedAt time.Time      `json:"createdAt"`
	UpdatedAt time.Time      `json:"updatedAt"`
	QueuedAt  *time.Time     `json:"queuedAt"`
	Counts    map[string]int `json:"counts"` // outbox state → recipients
	// SendNow: "send now to everyone": each member gets it on its own whatever
	// their delivery; digests list it as already sent.
	SendNow bool `json:"sendNow"`
}

// PostInput is what the coach sets on a post.
type PostInput struct {
	CohortID int64      `json:"cohortId"`
	Subject  string     `json:"subject"`
	Body     string     `json:"body"`
	SendAt   *time.Time `json:"sendAt"`  // nil: send now when queued
	SendNow  bool       `json:"sendNow"` // to everyone on their own, whatever their delivery
}

// OutboxItem is one message to one recipient.
type OutboxItem struct {
	ID            int64      `json:"id"`
	PostID        int64      `json:"postId"`
	Subject       string     `json:"subject"`
	ClientID      int64      `json:"clientId"`
	Name          string     `json:"name"`
	Email         string     `json:"email"`
	MessageID     string     `json:"messageId"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"nextAttemptAt"`
	LastAnswer    string     `json:"lastAnswer"` // the server's words, or why it was skipped
	UpdatedAt     time.Time  `json:"updatedAt"`
	SentAt        *time.Time `json:"sentAt"`
}

// OutboxFilter narrows the outbox list.
type OutboxFilter struct {
	PostID int64  `json:"postId"` // 0 for all
	State  string `json:"state"`  // "" for all
	Limit  int    `json:"limit"`
}

// OutboxJob is everything needed to render and send one outbox message: the item,
// its post, and the cohort's thread.
type OutboxJob struct {
	Item  OutboxItem `json:"item"`
	Post  Post       `json:"post"`
	Token string     `json:"-"` // the reply token for (post, member); never shown
	// BounceToken names this copy in its envelope sender (VERP), so a delivery
	// report about it is recognised for sure; "" for copies queued before.
	BounceToken string `json:"-"`
	// UnsubscribeToken is the member's own, for List-Unsubscribe: not the reply
	// token, which is in every copy a member may forward.
	UnsubscribeToken string    `json:"-"`
	ThreadID         string    `json:"threadId"`
	InReplyTo        string    `json:"inReplyTo"` // the member's message a reply answers, "" for a post to the cohort
	CreatedAt        time.Time `json:"createdAt"` // the message's Date, fixed when queued
	// DigestID names the digest the copy carries (0 for a post); the worker
	// loads it into Digest before composing.
	DigestID int64   `json:"-"`
	Digest   *Digest `json:"-"`
	// Calendar is the copy's own iCalendar object (an invitation, an update, a
	// cancellation), sent beside the text with its iTIP CalendarMethod; nil for
	// other mail.
	Calendar       []byte `json:"-"`
	CalendarMethod string `json:"-"`
}

// PostAttachment is a file attached to a post (without its bytes).
type PostAttachment struct {
	ID          int64  `json:"id"`
	PostID      int64  `json:"postId"`
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// Attachment size limits: above the warning most providers still deliver but
// some members' mailboxes will not; above the limit many providers refuse the
// whole message, so Roundtable refuses the file.
const (
	AttachmentWarnBytes  = 10 << 20
	AttachmentLimitBytes = 20 << 20
)

// AttachmentWarnings returns gentle notes about the total size of a post's
// attachments.
func AttachmentWarnings(atts []PostAttachment) []string {
	var total int64
	for _, a := range atts {
		total += a.Size
	}
	if total > AttachmentWarnBytes {
		return []string{"The attachments add up to more than 10 MB; some members' mailboxes may refuse the message. A link to the file is kinder."}
	}
	return nil
}

// MessageIdentity is what makes one queued copy unique: its Message-ID, the reply
// token of its Reply-To and the bounce token of its envelope sender.
type MessageIdentity struct {
	MessageID   string
	Token       string
	BounceToken string
}

// The fields of a post a PostProblem can concern, named as PostInput's json.
const (
	FieldSubject = "subject"
	FieldBody    = "body"
)

// PostProblem is one thing that stops a post from being sent, about one field:
// the window shows it beside that field and in the send confirmation, the CLI
// refuses with it.
type PostProblem struct {
	Field   string `json:"field"` // FieldSubject or FieldBody
	Message string `json:"message"`
}

// Recipient is a member a post is addressed to. Skip is why they will get no
// copy (unsubscribed, bouncing, archived, taking the cohort's posts in their
// digest...), the sentence the outbox records for them; "" when they get one.
type Recipient struct {
	ClientID int64  `json:"clientId"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Skip     string `json:"skip"`
}

// SendPlan is what sending a post would do, worked out before anything is
// queued, for the coach to confirm (the window) or read (the CLI): to which
// cohort, how many members get their own copy, who is skipped and why (by the
// very rule the outbox applies when it queues), notes about the attachments,
// and what stops it. Ready is false while Problems is not empty.
type SendPlan struct {
	PostID     int64         `json:"postId"`
	CohortID   int64         `json:"cohortId"`
	Cohort     string        `json:"cohort"`
	Title      string        `json:"title"`      // the subject as the members read it
	Recipients int           `json:"recipients"` // members who get their own copy
	Skipped    []Recipient   `json:"skipped"`
	Notes      []string      `json:"notes"` // attachment size and the like: worth knowing, not stopping
	Problems   []PostProblem `json:"problems"`
	SendAt     *time.Time    `json:"sendAt"` // when it is scheduled; nil: at once
	Ready      bool          `json:"ready"`
}

// Refusal is the error that sending a post with problems returns: the first
// problem's sentence (and field), and how many more there are.
func (p SendPlan) Refusal() error {
	if len(p.Problems) == 0 {
		return nil
	}
	first := p.Problems[0]
	msg := first.Message
	if n := len(p.Problems) - 1; n == 1 {
		msg += " (and 1 more thing to fix)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (and %d more things to fix)", n)
	}
	return FieldErrorf(EINVALID, first.Field, "%s", msg)
}
