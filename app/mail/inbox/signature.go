package inbox

import (
	"context"
	"fmt"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/trim"
)

// signatureReplies is how many of a member's latest replies their signature is
// learned from: enough to see the same block come back, few enough that a
// signature they changed last month is learned again soon.
const signatureReplies = 10

// replyHistory is what learning a member's signature needs from the store.
type replyHistory interface {
	LatestWritten(ctx context.Context, clientID int64, n int) ([]app.WrittenReply, error)
}

// memberReplies is what one sync knows of a member's replies: what they wrote in
// those stored before it, read once, and in those it read since, so that a mailbox
// imported for the first time teaches the signature as well as one imported reply
// by reply. Each reply is turned into the member's text once (trim.Written); the
// signature is learned again from those texts only when one is added.
type memberReplies struct {
	written []string
	sig     trim.Signature
	stale   bool // written changed since sig was learned
}

// Only the sync's read stage (one goroutine) trims and remembers replies, so
// senders.replies needs no lock.
//
// trimReply splits a reply from a known member into their words and the quoted
// part, cutting the signature their earlier replies end with (trim.LearnSignature):
// name, title and phone lines with no "-- " above them are no words for the group.
// Within a sync (lk a *senders) each member's replies are read from the store once.
func trimReply(ctx context.Context, lk LookupStore, body string, member app.Client, known bool) (trim.Result, error) {
	if !known {
		return trim.Reply(body), nil
	}
	s, ok := lk.(*senders)
	if !ok {
		// Inspect: one message, nothing to keep between calls.
		mr, err := loadMemberReplies(ctx, lk, member.ID)
		if err != nil {
			return trim.Result{}, err
		}
		return trim.ReplyWithSignature(body, mr.signature()), nil
	}
	mr, ok := s.replies[member.ID]
	if !ok {
		var err error
		if mr, err = loadMemberReplies(ctx, lk, member.ID); err != nil {
			return trim.Result{}, err
		}
		s.replies[member.ID] = mr
	}
	return trim.ReplyWithSignature(body, mr.signature()), nil
}

// rememberReply adds a reply the sync is about to store to what it knows of its
// sender, so that their next reply in the same sync is trimmed knowing it.
func rememberReply(lk LookupStore, member app.Client, r trim.Result) {
	s, ok := lk.(*senders)
	if !ok || s.replies[member.ID] == nil {
		return
	}
	mr := s.replies[member.ID]
	text := r.Text
	if mr.sig.Known() {
		text = trim.Written(r) // the signature may have been cut to Quoted
	}
	mr.written = append(mr.written, text)
	if len(mr.written) > signatureReplies {
		mr.written = mr.written[len(mr.written)-signatureReplies:]
	}
	mr.stale = true
}

func loadMemberReplies(ctx context.Context, lk replyHistory, clientID int64) (*memberReplies, error) {
	rs, err := lk.LatestWritten(ctx, clientID, signatureReplies)
	if err != nil {
		return nil, fmt.Errorf("inbox: earlier replies of client %d: %w", clientID, err)
	}
	mr := &memberReplies{stale: true}
	for _, r := range rs {
		mr.written = append(mr.written, trim.Written(trim.Result{Text: r.Text, Quoted: r.Quoted}))
	}
	return mr, nil
}

func (mr *memberReplies) signature() trim.Signature {
	if mr.stale {
		mr.sig, mr.stale = trim.LearnSignature(mr.written), false
	}
	return mr.sig
}
