package inbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/classify"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/thread"
	"github.com/roundtablehq/roundtable/app/mail/trim"
)

// LookupStore is what reading one message needs: who the clients are, what was
// sent, and whom the coach ignores. The store provides it.
type LookupStore interface {
	thread.Lookup
	SenderIgnored(ctx context.Context, email string) (bool, error)
}

// screen decides from the header alone whether a message may be community mail,
// so that the coach's own mail is never downloaded, let alone stored. It says
// why in the coach's words either way.
func screen(ctx context.Context, lk LookupStore, h *message.Message) (bool, string, error) {
	if tok, ok := UnsubscribeToken(h.Subject); ok {
		_, err := lk.SentByToken(ctx, tok)
		if err == nil {
			return true, "it is an unsubscribe request for mail Roundtable sent", nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return false, "", err
		}
	}
	c, known, err := thread.Sender(ctx, lk, h)
	if err != nil {
		return false, "", err
	}
	if known {
		return true, "it comes from your client " + c.Name, nil
	}
	if h.From.Email != "" {
		ignored, err := lk.SenderIgnored(ctx, h.From.Email)
		if err != nil {
			return false, "", err
		}
		if ignored {
			return false, "you chose to ignore mail from " + h.From.Email, nil
		}
	}
	for _, tok := range thread.Tokens(h) {
		_, err := lk.SentByToken(ctx, tok)
		if err == nil {
			return true, "it was sent to a reply address Roundtable gave out", nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return false, "", err
		}
	}
	for _, id := range thread.CitedIDs(h) {
		_, err := lk.SentByMessageID(ctx, id)
		if err == nil {
			return true, "it answers a message Roundtable sent", nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return false, "", err
		}
	}
	if looksLikeBounce(h) {
		return true, "it looks like a delivery report, which may be about mail Roundtable sent", nil
	}
	return false, "it is not from a client and names nothing Roundtable sent", nil
}

// looksLikeBounce tells from the header whether a message may be a delivery
// report, which comes from a mail server, not from anyone the coach knows.
func looksLikeBounce(h *message.Message) bool {
	local, _, _ := strings.Cut(h.From.Email, "@")
	switch local {
	case "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon":
		return true
	}
	ct := strings.ToLower(h.Header.Get("Content-Type"))
	if strings.Contains(ct, "multipart/report") || h.Header.Has("X-Failed-Recipients") {
		return true
	}
	if strings.TrimSpace(h.Header.Get("Return-Path")) == "<>" {
		return true
	}
	s := strings.ToLower(h.Subject)
	for _, w := range []string{"undeliver", "delivery status notification", "returned mail", "delivery failure",
		"mail delivery failed", "failure notice", "delivery has failed", "non remis", "unzustellbar", "no se puede entregar"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// UnsubscribeToken returns the token of an unsubscribe request: a message whose
// subject is "unsubscribe TOKEN", as the List-Unsubscribe mailto: link writes it.
func UnsubscribeToken(subject string) (string, bool) {
	f := strings.Fields(subject)
	if len(f) != 2 || !strings.EqualFold(f[0], "unsubscribe") {
		return "", false
	}
	return replyaddr.Token("x+rt-" + f[1] + "@x")
}

// decision is what reading one message came to: the mail to import, or why it is
// skipped, with the classification and thread match behind it.
type decision struct {
	in    app.IncomingMail
	skip  string
	cls   classify.Result
	match thread.Match
}

// decide reads a parsed message into what to import. It never stores anything.
func decide(ctx context.Context, lk LookupStore, m *message.Message) (decision, error) {
	var d decision
	d.in = app.IncomingMail{
		MessageID: m.MessageID, Hash: contentHash(m),
		FromName: m.From.Name, FromEmail: m.From.Email, Subject: m.Subject, SentAt: m.Date,
		Notes: append([]string{}, m.Notes...),
	}
	in := &d.in
	if tok, ok := UnsubscribeToken(m.Subject); ok {
		ref, err := lk.SentByToken(ctx, tok)
		if err == nil {
			in.Kind, in.ClientID, in.Reason = app.MailUnsubscribe, ref.ClientID, "an unsubscribe request for "+ref.Email
			return d, nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return d, err
		}
	}
	d.cls = classify.Classify(m)
	sender, known, err := thread.Sender(ctx, lk, m)
	if err != nil {
		return d, err
	}
	switch d.cls.Kind {
	case classify.KindBounce:
		id, err := bouncedClient(ctx, lk, m, d.cls.Bounce)
		if err != nil {
			return d, err
		}
		if id == 0 {
			d.skip = "it is a delivery report about mail Roundtable did not send"
			return d, nil
		}
		in.Kind, in.ClientID, in.Hard, in.Reason = app.MailBounce, id, d.cls.Bounce.Hard, bounceReason(d.cls.Bounce)
		return d, nil
	case classify.KindAutoReply:
		id := int64(0)
		if known {
			id = sender.ID
		} else if id, err = tokenOwner(ctx, lk, m); err != nil {
			return d, err
		}
		if id == 0 {
			d.skip = "it is an automatic reply from someone who is not a client"
			return d, nil
		}
		in.Kind, in.ClientID, in.Reason = app.MailAutoReply, id, d.cls.Reason
		if !d.cls.AwayUntil.IsZero() {
			t := d.cls.AwayUntil
			in.AwayUntil = &t
		}
		return d, nil
	}
	if d.match, err = thread.Find(ctx, lk, m); err != nil {
		return d, err
	}
	if !known && d.match.PostID == 0 {
		d.skip = "it is not from a client and names nothing Roundtable sent"
		return d, nil
	}
	t := trim.Reply(m.Text)
	in.Text, in.Quoted = t.Text, t.Quoted
	in.ClientID, in.PostID = d.match.ClientID, d.match.PostID
	if d.match.Threaded() {
		in.Kind, in.MatchReason, in.Guess = app.MailReply, d.match.Reason, d.match.Guess
	} else {
		in.Kind, in.UnmatchedReason = app.MailUnmatched, d.match.Unmatched
	}
	for _, a := range m.Attachments {
		in.Attachments = append(in.Attachments, app.IncomingAttachment{Filename: a.Filename, ContentType: a.ContentType,
			Size: a.Size, Data: a.Data, Omitted: a.Omitted})
	}
	return d, nil
}

// bouncedClient finds whose address bounced: by the Message-ID of the returned
// message when the report carries it (surest), else by the failed address.
func bouncedClient(ctx context.Context, lk LookupStore, m *message.Message, b *classify.Bounce) (int64, error) {
	var ids []string
	if m.Report != nil && m.Report.OriginalMessageID != "" {
		ids = append(ids, m.Report.OriginalMessageID)
	}
	for _, e := range m.Embedded {
		if e != nil && e.MessageID != "" {
			ids = append(ids, e.MessageID)
		}
	}
	for _, id := range ids {
		ref, err := lk.SentByMessageID(ctx, id)
		if err == nil && ref.ClientID != 0 {
			return ref.ClientID, nil
		}
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return 0, err
		}
	}
	var addrs []string
	if b != nil && b.Recipient != "" {
		addrs = append(addrs, b.Recipient)
	}
	if m.Report != nil {
		for _, r := range m.Report.Recipients {
			addrs = append(addrs, r.FinalRecipient, r.OriginalRecipient)
		}
	}
	for _, a := range addrs {
		if a == "" {
			continue
		}
		c, err := lk.FindClientByEmail(ctx, a)
		if err == nil {
			return c.ID, nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return 0, err
		}
	}
	return 0, nil
}

func tokenOwner(ctx context.Context, lk LookupStore, m *message.Message) (int64, error) {
	for _, tok := range thread.Tokens(m) {
		ref, err := lk.SentByToken(ctx, tok)
		if err == nil {
			return ref.ClientID, nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return 0, err
		}
	}
	return 0, nil
}

func bounceReason(b *classify.Bounce) string {
	if b == nil {
		return "the mail could not be delivered"
	}
	var parts []string
	if b.Status != "" {
		parts = append(parts, b.Status)
	}
	if b.Diagnostic != "" {
		parts = append(parts, b.Diagnostic)
	}
	if len(parts) == 0 {
		if b.Hard {
			return "the address does not accept mail"
		}
		return "a temporary delivery failure"
	}
	return strings.Join(parts, " ")
}

// contentHash identifies a message by what it says, for the copies that carry no
// Message-ID (or a server that renumbered its folder).
func contentHash(m *message.Message) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00", m.MessageID, m.From.Email, m.Date.UTC().Format(time.RFC3339), m.Subject, len(m.Attachments))
	h.Write([]byte(m.Text))
	h.Write([]byte{0})
	h.Write([]byte(m.HTML))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Inspect explains how Roundtable reads one raw message (an .eml file): who sent
// it and which client that is, whether a sync would look at it and why, what it
// is, which post it answers and why, and its text with the quoted part apart. It
// stores nothing.
func Inspect(ctx context.Context, raw []byte, lk LookupStore) (app.Inspection, error) {
	m, err := message.Parse(bytes.NewReader(raw), limits(message.Limits{}))
	if err != nil {
		return app.Inspection{}, err
	}
	ins := app.Inspection{Subject: m.Subject, MessageID: m.MessageID, FromName: m.From.Name, FromEmail: m.From.Email,
		Notes: append([]string{}, m.Notes...), Attachments: []string{}}
	if c, known, err := thread.Sender(ctx, lk, m); err != nil {
		return ins, err
	} else if known {
		ins.ClientID, ins.ClientName = c.ID, c.Name
	}
	if ins.Relevant, ins.Why, err = screen(ctx, lk, m); err != nil {
		return ins, err
	}
	t := trim.Reply(m.Text)
	ins.Text, ins.Quoted = t.Text, t.Quoted
	for _, a := range m.Attachments {
		s := fmt.Sprintf("%s (%s, %d bytes)", a.Filename, a.ContentType, a.Size)
		if a.Omitted {
			s += " — over the size limit, not kept"
		}
		ins.Attachments = append(ins.Attachments, s)
	}
	d, err := decide(ctx, lk, m)
	if err != nil {
		return ins, err
	}
	ins.KindReason = d.cls.Reason
	if d.in.Kind == app.MailUnsubscribe {
		ins.KindReason = d.in.Reason
	}
	if !ins.Relevant {
		return ins, nil
	}
	if d.skip != "" {
		ins.Relevant, ins.Why = false, d.skip
		return ins, nil
	}
	ins.Kind, ins.AwayUntil = d.in.Kind, d.in.AwayUntil
	if d.in.Kind == app.MailBounce {
		ins.KindReason = d.in.Reason
	}
	ins.PostID, ins.PostSubject = d.match.PostID, d.match.Subject
	ins.MatchReason, ins.Unmatched = d.match.Reason, d.match.Unmatched
	return ins, nil
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// senders remembers who each address belongs to for the length of one sync:
// every message is screened, decided and threaded by its sender, and a mailbox
// holds many messages from the same few people.
type senders struct {
	LookupStore
	known map[string]senderLookup
}

type senderLookup struct {
	c   app.Client
	err error
}

func newSenders(lk LookupStore) *senders {
	return &senders{LookupStore: lk, known: map[string]senderLookup{}}
}

func (s *senders) FindClientByEmail(ctx context.Context, email string) (app.Client, error) {
	key := strings.ToLower(email)
	if r, ok := s.known[key]; ok {
		return r.c, r.err
	}
	c, err := s.LookupStore.FindClientByEmail(ctx, email)
	if err == nil || app.ErrorCode(err) == app.ENOTFOUND {
		s.known[key] = senderLookup{c, err}
	}
	return c, err
}
