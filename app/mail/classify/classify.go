// Package classify decides what an incoming email is: a member's real reply, an
// automatic reply (out of office, read receipt), or a bounce, so that only real
// replies reach the thread and the digest, and bounces can mark an address as bad.
//
// It looks only at the parsed message: header signals first (they are reliable),
// then the subject and body wording of the many mail servers and clients that
// send no standard signal. When unsure it says "reply": a member's words must
// never be hidden as an auto-reply.
package classify

import (
	"time"

	"github.com/roundtablehq/roundtable/app/mail/message"
)

// Kind names what a message is.
type Kind string

// The kinds a message can be.
const (
	KindReply     Kind = "reply"      // written by a person: import it
	KindAutoReply Kind = "auto_reply" // out of office, vacation notice, read receipt: note it
	KindBounce    Kind = "bounce"     // the mail could not be delivered: mark the address
)

// Result is what Classify decided and why, in words a coach can read.
type Result struct {
	Kind Kind
	// Reason names the signal that decided, such as
	// "Auto-Submitted: auto-replied header".
	Reason string
	// AwayUntil is the return date an out-of-office text states, at midnight in
	// the message's time zone; zero when it states none or it is unclear.
	AwayUntil time.Time
	// Bounce is set when Kind is KindBounce.
	Bounce *Bounce
}

// Bounce describes a failed delivery.
type Bounce struct {
	// Recipient is the address that failed, lower-cased; empty when the bounce
	// does not say.
	Recipient string
	// Hard is true for a permanent failure (no such user, domain gone), false for
	// a temporary one (mailbox full, server busy) that may clear by itself.
	Hard bool
	// Status is the enhanced status code, such as 5.1.1, when given.
	Status string
	// Diagnostic is the remote server's own words.
	Diagnostic string
}

// Classify decides what m is. Bounces are checked first, since many bounces also
// carry auto-reply signals; anything without a clear signal is a reply.
func Classify(m *message.Message) Result {
	if m == nil {
		return Result{Kind: KindReply, Reason: "no message"}
	}
	if r, ok := bounce(m); ok {
		return r
	}
	if r, ok := autoReply(m); ok {
		return r
	}
	return Result{Kind: KindReply, Reason: "no automatic-reply or bounce signal"}
}
