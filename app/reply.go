package app

import "time"

// IMAPAccount is the coach's incoming mail server, where members' replies arrive.
// The password is not here: like the SMTP password it lives in the keyring.
type IMAPAccount struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"` // SecurityTLS, SecuritySTARTTLS, or SecurityNone (loopback only)
	User     string `json:"user"`
	Folder   string `json:"folder"` // the folder to watch; "INBOX" when empty
	// MarkRead marks imported replies as read in the mailbox. Off by default: the
	// coach's mailbox is only read, never changed, unless they turn this on.
	MarkRead bool `json:"markRead"`
	// MoveTo moves imported replies to this folder; "" leaves them where they are.
	MoveTo string `json:"moveTo"`
	// AuthServID names the coach's mail provider as it signs its verdicts in
	// Authentication-Results ("mx.google.com"; "(none)" for Outlook, which signs
	// none). Only that provider's verdict on a sender is believed; "" believes
	// none, so no reply can be more than plausible.
	AuthServID string `json:"authServId"`
	// KeepPersonal keeps the coach's other 1:1 mail with clients (mail that
	// answers nothing Roundtable sent). Off by default: only community mail is stored.
	KeepPersonal bool `json:"keepPersonal"`
}

// IMAPStatus is what the window shows of the incoming account, never the password.
type IMAPStatus struct {
	IMAP           IMAPAccount `json:"imap"`
	Configured     bool        `json:"configured"`
	HasPassword    bool        `json:"hasPassword"`
	PasswordStore  string      `json:"passwordStore"`
	PasswordNotice string      `json:"passwordNotice"`
	// SeenAuthServID is the provider name found on the mail imported lately, for
	// the coach to confirm as AuthServID; "" when none was seen or it is set.
	SeenAuthServID string `json:"seenAuthServId"`
}

// Why a reply was put under a post, as kept with every reply so the coach can see
// how sure the match is. These name the mechanism (what support and `inspect`
// need); MatchWords says each as a coach would.
const (
	MatchToken      = "reply address token"
	MatchInReplyTo  = "In-Reply-To header"
	MatchReferences = "References header"
	MatchThread     = "the cohort's thread in References (latest post, a guess)"
	MatchSubject    = "subject and sender (a guess)"
	MatchOtherCopy  = "the copy sent to another member (a guess)"
	MatchItem       = "reply to a digest item"
	MatchQuote      = "the digest item it quotes"
	MatchAssigned   = "assigned by the coach"
)

// matchWords are the match reasons in plain words, for the window and
// `conversations list`: what the member did, not which header said so. (Which
// of them are guesses is Reply.Guess's to say.)
var matchWords = map[string]string{
	MatchToken:      "Reply to your email",
	MatchInReplyTo:  "Reply to your email",
	MatchReferences: "Reply in your email's thread",
	MatchThread:     "A reply in the cohort's thread, put under the latest announcement",
	MatchSubject:    "The same subject, from a member",
	MatchOtherCopy:  "A reply to the copy another member got",
	MatchItem:       "Reply to an item of a digest",
	MatchQuote:      "Quotes an item of a digest",
	MatchAssigned:   "Placed here by you",
}

// MatchWords says a stored match reason as a coach would; a reason it does not
// know (from a newer version) is shown as stored.
func MatchWords(reason string) string {
	if w, ok := matchWords[reason]; ok {
		return w
	}
	return reason
}

// What an imported message turned out to be.
const (
	MailReply       = "reply"       // a member's reply, under a post
	MailUnmatched   = "unmatched"   // looks like a reply, but whose or to what is unclear: the coach decides
	MailAutoReply   = "auto_reply"  // out of office and the like: the member is marked away
	MailBounce      = "bounce"      // a delivery failure: the member's address is marked
	MailUnsubscribe = "unsubscribe" // the member asked to receive no more mail
	MailPersonal    = "personal"    // the coach's other mail with a client, kept only when asked
	MailCommand     = "command"     // a member's one-word reply changing how they get mail
	MailRSVP        = "rsvp"        // a member's answer to a session invitation: recorded on the session
	MailDone        = "done"        // a member's "done" reply to a lesson: recorded as completed, no conversation
)

// How sure Roundtable is of a reply's sender (package trust decides).
const (
	TrustVerified   = "verified"   // the coach's provider confirmed the sender's address
	TrustPlausible  = "plausible"  // from the member's address; no verdict either way
	TrustUnverified = "unverified" // another sender, or a failing verdict: held for the coach
)

// Who of a cohort's replies are shown to the other members without the coach's
// approval (Cohort.ReplySharing).
const (
	SharePlausible = "plausible" // verified and plausible replies
	ShareVerified  = "verified"  // verified replies only
)

// WrittenReply is what a member wrote in one reply, and what it quoted: all
// that learning their signature needs of their earlier replies.
type WrittenReply struct {
	Text, Quoted string
}

// Reply is one member's answer to a post as the window shows it.
type Reply struct {
	ID          int64     `json:"id"`
	PostID      int64     `json:"postId"`
	ClientID    int64     `json:"clientId"`
	Name        string    `json:"name"`
	Email       string    `json:"email"` // the address it came from
	Subject     string    `json:"subject"`
	SentAt      time.Time `json:"sentAt"`      // the Date the member's mail client wrote
	ReceivedAt  time.Time `json:"receivedAt"`  // when Roundtable imported it
	Text        string    `json:"text"`        // the member's own words
	Quoted      string    `json:"quoted"`      // what was trimmed: "show quoted text"
	MatchReason string    `json:"matchReason"` // as stored: MatchToken, MatchInReplyTo, ...
	MatchWords  string    `json:"matchWords"`  // the same in the coach's words (MatchWords)
	Guess       bool      `json:"guess"`       // matched by subject: the coach may want to check
	Unread      bool      `json:"unread"`
	Handled     bool      `json:"handled"`
	Trust       string    `json:"trust"` // TrustVerified, TrustPlausible or TrustUnverified
	TrustReason string    `json:"trustReason"`
	Approved    bool      `json:"approved"` // the coach approved it for the group
	Private     bool      `json:"private"`  // for the coach only
	Hidden      bool      `json:"hidden"`   // kept out of digests by the coach
	Highlighted bool      `json:"highlighted"`
	Pinned      bool      `json:"pinned"`
	// Shared: the other members will see it (digests): approved, or neither a
	// guess nor below the cohort's ReplySharing.
	Shared      bool              `json:"shared"`
	Attachments []ReplyAttachment `json:"attachments"`
	Notes       []string          `json:"notes"` // what was odd or left out while reading it
	// Answers are the coach's answers to this reply, oldest first: shown under
	// it in the conversation (the reply is "answered"), not as posts of their own.
	Answers []Answer `json:"answers"`
}

// Answer is the coach's answer to one member's reply: a post of kind "reply"
// in the member's thread, to that member alone or to the whole cohort.
type Answer struct {
	PostID   int64          `json:"postId"`
	Body     string         `json:"body"`  // Markdown, as the coach wrote it
	ToAll    bool           `json:"toAll"` // sent to every member, not only the one answered
	Status   string         `json:"status"`
	QueuedAt *time.Time     `json:"queuedAt"`
	Counts   map[string]int `json:"counts"` // outbox state → recipients
}

// ReplyAttachment describes a file that came with a reply. An Omitted file was
// not kept, and the coach finds it in their mailbox: it was over the size
// limit, or (InMailbox) it came with 1:1 mail, whose files the sync leaves in
// the mailbox.
type ReplyAttachment struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Omitted     bool   `json:"omitted"`
	InMailbox   bool   `json:"inMailbox"`
}

// ReplyMember is a recipient of a post, for "who has replied".
type ReplyMember struct {
	ClientID int64  `json:"clientId"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Away     bool   `json:"away"`
}

// Conversation is a post with the replies to it, in the order they came, and who
// of its recipients has and has not answered yet. The coach's answers to one
// member are no conversations of their own: they sit under the reply they
// answer, and the member's replies to them join the conversation they came from.
type Conversation struct {
	Post       Post          `json:"post"`
	Replies    []Reply       `json:"replies"`
	Replied    []ReplyMember `json:"replied"`
	NotReplied []ReplyMember `json:"notReplied"`
}

// UnmatchedReply is mail that looks like a reply but could not be put under a
// post for a member; the coach assigns it or ignores its sender.
type UnmatchedReply struct {
	ID         int64     `json:"id"`
	FromName   string    `json:"fromName"`
	FromEmail  string    `json:"fromEmail"`
	ClientID   int64     `json:"clientId"` // the client the address belongs to, 0 for none
	PostID     int64     `json:"postId"`   // the post it seems to answer, 0 when unknown
	Subject    string    `json:"subject"`
	SentAt     time.Time `json:"sentAt"`
	ReceivedAt time.Time `json:"receivedAt"`
	Text       string    `json:"text"`
	Quoted     string    `json:"quoted"`
	Reason     string    `json:"reason"` // why it could not be matched
	Trust      string    `json:"trust"`
}

// MailStatus is how mail to and from a client stands: what `clients show` and the
// client page print beside the address.
type MailStatus struct {
	Away         bool       `json:"away"`
	AwayUntil    *time.Time `json:"awayUntil"` // nil when the auto-reply named no date
	AwayNote     string     `json:"awayNote"`  // the auto-reply's subject
	Bouncing     bool       `json:"bouncing"`  // mail bounced for good; sending stops
	BounceReason string     `json:"bounceReason"`
	SoftBounce   string     `json:"softBounce"` // the last temporary failure, "" for none
	Unsubscribed bool       `json:"unsubscribed"`
	// UnsubscribePending: someone asked to unsubscribe the member without proof
	// it was them; the member was asked by email to confirm.
	UnsubscribePending bool `json:"unsubscribePending"`
	// SuspectedBounce is a delivery report naming the address that cites
	// nothing sent to it; the coach confirms or dismisses it. nil for none.
	SuspectedBounce *SuspectedBounce `json:"suspectedBounce"`
	History         []ClientEvent    `json:"history"` // newest first
}

// SuspectedBounce is a delivery report that may be about the client's address.
type SuspectedBounce struct {
	ID         int64     `json:"id"`
	Email      string    `json:"email"`
	Subject    string    `json:"subject"`
	Reason     string    `json:"reason"`
	Text       string    `json:"text"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// ClientEvent is one change to how a client is mailed, with its evidence.
type ClientEvent struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"` // "unsubscribed", "resubscribed", "bounce confirmed", ...
	Note string    `json:"note"`
}

// SentRef is one message Roundtable sent that a reply can point back at.
type SentRef struct {
	PostID   int64  `json:"postId"`
	CohortID int64  `json:"cohortId"`
	ClientID int64  `json:"clientId"` // 0 when only the cohort's thread is known
	Subject  string `json:"subject"`
	Name     string `json:"name"`
	Email    string `json:"email"` // the address it went to
	// ConfirmsUnsubscribe: this copy asked its member to confirm an unsubscribe
	// request, so a reply to it is their confirmation.
	ConfirmsUnsubscribe bool `json:"-"`
	// DigestID is set when the message is a member's digest (or an item of it).
	DigestID int64 `json:"-"`
	// Digest: the message is a whole digest, so its post is no conversation:
	// a reply to it belongs to the item it quotes.
	Digest bool `json:"-"`
	// SessionID is set when the message was mail about a live session: a reply
	// to it may be an RSVP in words ("yes", "can't make it").
	SessionID int64 `json:"-"`
	// LessonID is set when the message carried a lesson: a reply to it is
	// the lesson's check-in, and a "done" marks it completed.
	LessonID int64 `json:"-"`
}

// IncomingAttachment is a file to keep with an imported reply.
type IncomingAttachment struct {
	Filename    string
	ContentType string
	Size        int64
	Data        []byte // nil when Omitted
	Omitted     bool
	InMailbox   bool // left in the mailbox by the sync (Omitted too)
}

// IncomingMail is one imported message, ready to be written together with the
// mailbox position it came from, so that an import stopped at any point resumes
// without losing or repeating a message.
type IncomingMail struct {
	Account     string // which mailbox: user@host
	Folder      string
	UIDValidity uint32
	UID         uint32

	MessageID string // without angle brackets; "" when the message has none
	Hash      string // of the content, to recognise a copy without a Message-ID
	Kind      string // MailReply, MailUnmatched, MailAutoReply, MailBounce, MailUnsubscribe

	ClientID int64 // 0 when the sender is nobody the coach knows
	PostID   int64 // 0 when unmatched and no post is suggested

	FromName, FromEmail string
	Subject             string
	SentAt              time.Time
	Text, Quoted        string
	MatchReason         string
	Guess               bool
	UnmatchedReason     string
	Attachments         []IncomingAttachment
	Notes               []string

	AwayUntil *time.Time // auto-replies
	Reason    string     // auto-replies and bounces: what decided, in words
	Hard      bool       // bounces: permanent
	// Suspected: a bounce that names the client's address but cites nothing
	// sent to it; it is kept for the coach and changes nothing by itself.
	Suspected  bool
	BounceText string // suspected bounces: the report's text, for the coach

	// Unsubscribe requests: Proven ones are honoured at once; others wait for
	// the member to confirm. Confirms marks the member's confirmation.
	Proven, Confirms bool
	// ConfirmIDs identify the confirmation message an unproven request queues.
	ConfirmIDs MessageIdentity

	Trust, TrustReason string // replies: package trust's level and why
	// Private: the member began with "private": for the coach only, never shown
	// to the group.
	Private bool
	// Command is a member's one-word delivery change ("digest", "pause"...),
	// applied to their membership of the post's cohort; Kind is MailCommand.
	Command  string
	CohortID int64 // commands: the cohort whose delivery changes
	// ConfirmSubject and ConfirmBody are the email that confirms a command.
	ConfirmSubject, ConfirmBody string
	AuthServID                  string // the topmost Authentication-Results field's authserv-id
	// RSVPs (Kind MailRSVP): the session, the answer (RSVPAccepted, …) and
	// where it was read (RSVPFromCalendar or RSVPFromText).
	SessionID        int64
	RSVP, RSVPSource string
	// LessonID is the lesson a "done" reply completes, with CohortID: Kind
	// MailDone for a bare "done", or MailReply when words followed it (they
	// are the check-in, and the lesson is completed too).
	LessonID int64
}

// SyncSummary counts what one sync did.
type SyncSummary struct {
	Scanned     int `json:"scanned"`     // messages whose headers were looked at
	Imported    int `json:"imported"`    // replies put under a post
	AutoReplies int `json:"autoReplies"` // members marked away
	Bounces     int `json:"bounces"`
	Unsubscribe int `json:"unsubscribes"`
	Unmatched   int `json:"unmatched"` // waiting for the coach
	Skipped     int `json:"skipped"`   // unrelated mail, never downloaded or stored
	Duplicates  int `json:"duplicates"`
	// RSVPs are members' answers to session invitations, recorded on the session.
	RSVPs int `json:"rsvps"`
	// Done counts members' "done" replies to lessons, recorded as completed.
	Done int `json:"done"`
	// Personal counts the coach's other mail with clients, kept because the
	// account keeps 1:1 mail (on each client's page).
	Personal int      `json:"personal"`
	Notes    []string `json:"notes"`
}

// Inspection explains how Roundtable reads one message, without storing anything:
// what `roundtable inspect FILE.eml` prints.
type Inspection struct {
	Subject     string     `json:"subject"`
	MessageID   string     `json:"messageId"`
	FromName    string     `json:"fromName"`
	FromEmail   string     `json:"fromEmail"`
	ClientID    int64      `json:"clientId"` // 0: the sender is not a client
	ClientName  string     `json:"clientName"`
	Relevant    bool       `json:"relevant"` // would a sync import it at all
	Why         string     `json:"why"`      // why it is (or is not) looked at
	Kind        string     `json:"kind"`     // MailReply, MailUnmatched, ...; "" when not relevant
	KindReason  string     `json:"kindReason"`
	AwayUntil   *time.Time `json:"awayUntil"`
	PostID      int64      `json:"postId"`
	PostSubject string     `json:"postSubject"`
	MatchReason string     `json:"matchReason"`
	Unmatched   string     `json:"unmatched"` // why it is not threaded
	Trust       string     `json:"trust"`     // replies: verified, plausible or unverified
	TrustReason string     `json:"trustReason"`
	Text        string     `json:"text"`
	Quoted      string     `json:"quoted"`
	Attachments []string   `json:"attachments"`
	Notes       []string   `json:"notes"`
}
