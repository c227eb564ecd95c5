// Package message reads one incoming email (RFC 5322 with MIME) into the plain
// facts Roundtable needs to import a member's reply: who sent it, what it answers,
// its text in UTF-8, its attachments and, for bounces, the delivery report.
//
// Email is untrusted input: it may be malformed, huge, deeply nested or in any
// charset. Parse never panics, keeps every size within Limits, and records what was
// odd as plain sentences in Message.Notes instead of failing the whole message.
package message

import (
	"net/textproto"
	"time"

	// Every charset go-message knows is decoded to UTF-8, not just UTF-8 and ASCII.
	_ "github.com/emersion/go-message/charset"
)

// Limits bound the work and memory Parse may spend on one message, so that a
// hostile or broken email cannot stall an import or exhaust the laptop's memory.
type Limits struct {
	// MaxMessageBytes is the largest message accepted; a larger one is an error.
	MaxMessageBytes int64
	// MaxDepth is how deep multiparts and attached messages are followed.
	MaxDepth int
	// MaxAttachmentBytes is the largest attachment (or text body) kept in memory.
	MaxAttachmentBytes int64
	// MaxParts is how many MIME parts are looked at; later parts are ignored.
	MaxParts int
}

// DefaultLimits are generous enough for any real reply and small enough that a
// laptop never notices a hostile one.
var DefaultLimits = Limits{
	MaxMessageBytes:    50 << 20,
	MaxDepth:           20,
	MaxAttachmentBytes: 25 << 20,
	MaxParts:           500,
}

// withDefaults fills the limits left at zero (or below) from DefaultLimits, so a
// caller can override one limit without restating the others.
func (l Limits) withDefaults() Limits {
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = DefaultLimits.MaxMessageBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultLimits.MaxAttachmentBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultLimits.MaxParts
	}
	return l
}

// Address is one mailbox from an address header. Email is lower-cased so that it
// can be compared with the addresses Roundtable stores for members.
type Address struct {
	Name  string
	Email string
}

// Attachment is a non-body part of the message. An attachment over
// Limits.MaxAttachmentBytes is Omitted: its Data is nil but its Size is known, so
// the coach can be told what was left out.
type Attachment struct {
	Filename    string
	ContentType string
	Size        int64
	Data        []byte
	Omitted     bool
	// InMailbox: the sync left the file in the mailbox (message/left.go); it
	// is Omitted too.
	InMailbox bool
}

// Header holds the top-level header fields of a message, keyed by canonical name
// ("Auto-Submitted", "X-Autoreply"), with values unfolded, trimmed and made valid
// UTF-8 but otherwise raw. classify reads the signals it needs from here.
type Header map[string][]string

// Get returns the first value of the named field, or "" when it is absent.
func (h Header) Get(key string) string {
	v := h[textproto.CanonicalMIMEHeaderKey(key)]
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// Values returns every value of the named field, in the order they appeared.
func (h Header) Values(key string) []string {
	return h[textproto.CanonicalMIMEHeaderKey(key)]
}

// Has reports whether the named field is present at all, even empty.
func (h Header) Has(key string) bool {
	_, ok := h[textproto.CanonicalMIMEHeaderKey(key)]
	return ok
}

// Message is what Roundtable keeps of one parsed email.
type Message struct {
	// MessageID, InReplyTo and References are message ids without the angle
	// brackets; threading matches replies to announcements with them.
	MessageID  string
	InReplyTo  []string
	References []string

	From        Address
	To, Cc      []Address
	ReplyTo     []Address
	DeliveredTo []string // lower-cased, from every Delivered-To field
	Subject     string   // decoded from RFC 2047 to UTF-8
	Date        time.Time

	// Header keeps every top-level field for the signals classify needs
	// (Auto-Submitted, Precedence, Return-Path, List-Id, Content-Type, ...).
	Header Header

	// Text is the text/plain body in UTF-8 with "\n" line ends; when the message
	// has only HTML, it is that HTML turned into readable text with quoted parts
	// as "> " lines.
	Text string
	// HTML is the text/html body in UTF-8, exactly as sent: never show it
	// without SanitizeHTML.
	HTML string

	Attachments []Attachment
	// Embedded are the messages carried inside this one as message/rfc822
	// parts: a forwarded email, or the original returned inside a bounce.
	Embedded []*Message

	// Report is set when the message is a multipart/report (a bounce or delivery
	// notice, or a read receipt).
	Report *Report

	// Notes are plain sentences about anything odd met while reading, for the
	// log and for the coach when something was left out.
	Notes []string
}

// Report is the machine-readable part of a multipart/report message (RFC 6522).
type Report struct {
	// Type is the report-type parameter: "delivery-status" for bounces and
	// delivery notices (RFC 3464), "disposition-notification" for read receipts.
	Type string
	// ReportingMTA is the server that wrote the report.
	ReportingMTA string
	// Recipients holds one entry per recipient named in a delivery-status report.
	Recipients []RecipientStatus
	// OriginalMessageID is the Message-ID of the returned original message, when
	// the report carries it; it tells which announcement bounced.
	OriginalMessageID string
}

// RecipientStatus is one per-recipient block of a delivery-status report.
type RecipientStatus struct {
	FinalRecipient    string // the address, lower-cased, without "rfc822;"
	OriginalRecipient string // likewise
	Action            string // failed, delayed, delivered, relayed or expanded (lower-case)
	Status            string // the enhanced status code, such as 5.1.1
	DiagnosticCode    string // the remote server's words, without "smtp;"
	RemoteMTA         string
}
