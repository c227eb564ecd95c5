package inbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/classify"
	"github.com/roundtablehq/roundtable/app/mail/command"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/thread"
	"github.com/roundtablehq/roundtable/app/mail/trust"
	"github.com/roundtablehq/roundtable/app/sessions"
)

// LookupStore is what reading one message needs: who the clients are, what was
// sent, and whom the coach ignores. The store provides it.
type LookupStore interface {
	thread.Lookup
	DigestSettings(ctx context.Context, cohortID int64) (app.DigestSettings, error)
	Setting(ctx context.Context, key string, v any) error
	SenderIgnored(ctx context.Context, email string) (bool, error)
	SentByBounceToken(ctx context.Context, token string) (app.SentRef, error)
	ClientByUnsubscribeToken(ctx context.Context, token string) (app.Client, error)
	SessionByUID(ctx context.Context, uid string) (app.Session, error)
	SessionTitles(ctx context.Context, clientID int64) ([]string, error)
	ClientsConfirmingUnsubscribe(ctx context.Context) ([]int64, error)
	replyHistory
	batchLookup
}

// screen decides from the header alone whether a message may be community mail,
// so that the coach's own mail is never downloaded, let alone stored. It says
// why in the coach's words either way. Community mail is what answers, reports
// on or unsubscribes from mail Roundtable sent; a client's other mail to the
// coach is theirs and the coach's, and is kept only with opts.KeepPersonal.
func screen(ctx context.Context, lk LookupStore, h *message.Message, opts Options) (screening, error) {
	if tok, ok := UnsubscribeToken(h.Subject); ok {
		if found, err := anyFound(lk.ClientByUnsubscribeToken(ctx, tok)); err != nil || found {
			return screening{relevant: found, why: "it is an unsubscribe request for one of your members"}, err
		}
		if found, err := anyFound(lk.SentByToken(ctx, tok)); err != nil || found {
			return screening{relevant: found, why: "it is an unsubscribe request for mail Roundtable sent"}, err
		}
	}
	for _, tok := range bounceTokens(h) {
		if found, err := anyFound(lk.SentByBounceToken(ctx, tok)); err != nil || found {
			return screening{relevant: found, why: "it came back to the bounce address of a message Roundtable sent"}, err
		}
	}
	c, known, err := thread.Sender(ctx, lk, h)
	if err != nil {
		return screening{}, err
	}
	if !known && h.From.Email != "" {
		ignored, err := lk.SenderIgnored(ctx, h.From.Email)
		if err != nil {
			return screening{}, err
		}
		if ignored {
			return screening{relevant: false, why: "you chose to ignore mail from " + h.From.Email}, nil
		}
	}
	for _, tok := range thread.Tokens(h) {
		if found, err := anyFound(lk.SentByToken(ctx, tok)); err != nil || found {
			return screening{relevant: found, why: "it was sent to a reply address Roundtable gave out"}, err
		}
	}
	for _, tok := range thread.ItemTokens(h) {
		if found, err := anyFound(lk.SentByItemToken(ctx, tok)); err != nil || found {
			return screening{relevant: found, why: "it answers an item of a digest Roundtable sent"}, err
		}
	}
	for _, id := range thread.CitedIDs(h) {
		if found, err := anyFound(lk.SentByMessageID(ctx, id)); err != nil || found {
			return screening{relevant: found, why: "it answers a message Roundtable sent"}, err
		}
	}
	if looksLikeBounce(h) {
		return screening{relevant: true, why: "it looks like a delivery report, which may be about mail Roundtable sent"}, nil
	}
	if known {
		answer, err := looksLikeCalendarReply(ctx, lk, h, c.ID)
		if err != nil || answer {
			return screening{relevant: answer, why: "it looks like " + c.Name + "'s calendar answering a session invitation"}, err
		}
	}
	if known {
		if opts.KeepPersonal {
			return screening{relevant: true, personal: true, why: "it comes from your client " + c.Name + ", and you keep your 1:1 mail with clients"}, nil
		}
		if base, isReply := thread.ReplySubject(h.Subject); isReply && base != "" {
			refs, err := lk.PostsBySubject(ctx, base, c.ID)
			if err != nil {
				return screening{}, err
			}
			if len(refs) > 0 {
				return screening{relevant: true, why: "its subject answers an announcement to " + c.Name + "'s cohort (a guess)"}, nil
			}
		}
		return screening{relevant: false, why: "it is your own mail with your client " + c.Name + "; Roundtable keeps only mail about what it sent (turn on \"Keep my 1:1 mail with clients\" to keep it too)"}, nil
	}
	return screening{relevant: false, why: "it is not from a client and names nothing Roundtable sent"}, nil
}

// screening is what screen decided from a header: whether the message may be
// community mail, why (in the coach's words), and whether it is kept only as
// 1:1 mail with a client, whose files stay in the mailbox (lean.go).
type screening struct {
	relevant bool
	personal bool
	why      string
}

// anyFound turns a lookup's answer into found, not found (no error), or a
// real error.
func anyFound[T any](_ T, err error) (bool, error) {
	if err == nil {
		return true, nil
	}
	if app.ErrorCode(err) == app.ENOTFOUND {
		return false, nil
	}
	return false, err
}

// bounceTokens returns the bounce tokens in the addresses a message was
// delivered to: a report sent back to a copy's own envelope sender.
func bounceTokens(m *message.Message) []string {
	var toks []string
	addrs := append([]string{}, m.DeliveredTo...)
	for _, a := range m.To {
		addrs = append(addrs, a.Email)
	}
	addrs = append(addrs, m.Header.Values("X-Original-To")...)
	for _, a := range addrs {
		if t, ok := replyaddr.BounceToken(a); ok && !slices.Contains(toks, t) {
			toks = append(toks, t)
		}
	}
	return toks
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

// rsvpSubjects begin the subjects calendar apps give their answers to an
// invitation (Gmail, Outlook, Apple Calendar; English, French, German,
// Spanish). Such answers go to the organizer's own address, usually without
// our reply token or thread headers, so the header must show them.
var rsvpSubjects = []string{"accepted:", "declined:", "tentative:", "tentatively accepted:", "invitation accepted",
	"invitation declined", "accepté", "refusé", "provisoire", "accepté provisoirement", "invitation acceptée",
	"invitation refusée", "einladung angenommen", "einladung abgelehnt", "angenommen:", "abgelehnt:",
	"mit vorbehalt", "zugesagt:", "abgesagt:", "aceptado:", "aceptada:", "rechazado:", "rechazada:", "provisional:",
	"aceptado provisionalmente", "invitación aceptada", "invitación rechazada"}

// looksLikeCalendarReply tells from the header whether a client's message may
// be their calendar's answer to an invitation (iTIP REPLY): a calendar at the
// top, or an answer's subject naming a session they are invited to. Anything
// else from them stays undownloaded, as their 1:1 mail with the coach should.
func looksLikeCalendarReply(ctx context.Context, lk LookupStore, h *message.Message, clientID int64) (bool, error) {
	if strings.Contains(strings.ToLower(h.Header.Get("Content-Type")), "text/calendar") {
		return true, nil
	}
	s := strings.ToLower(strings.TrimSpace(h.Subject))
	answer := false
	for _, p := range rsvpSubjects {
		answer = answer || strings.HasPrefix(s, p)
	}
	if !answer {
		return false, nil
	}
	titles, err := lk.SessionTitles(ctx, clientID)
	if err != nil {
		return false, err
	}
	for _, t := range titles {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && strings.Contains(s, t) {
			return true, nil
		}
	}
	return false, nil
}

// calendarReply finds an iTIP REPLY among a message's parts.
func calendarReply(m *message.Message) (sessions.Reply, bool) {
	for _, a := range m.Attachments {
		switch strings.ToLower(a.ContentType) {
		case "text/calendar", "application/ics":
			if r, ok := sessions.ParseReply(a.Data); ok {
				return r, true
			}
		}
	}
	return sessions.Reply{}, false
}

// rsvp reads a calendar's answer to an invitation. It is recorded only when it
// is about a session Roundtable sent, comes from the invited member's own
// address, answers for that member, and the provider's check of the sender
// does not fail; anything else is left alone, unstored, with the reason.
func (d *decision) rsvp(ctx context.Context, lk LookupStore, r sessions.Reply, sender app.Client, known bool) error {
	s, err := lk.SessionByUID(ctx, r.UID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		d.skip = "it answers a calendar invitation Roundtable did not send"
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case !known:
		d.skip = fmt.Sprintf("it answers the invitation to %q, but %s is not one of your clients: nothing was recorded", s.Title, orUnknown(d.in.FromEmail))
		return nil
	case d.verdict.Result == trust.Fail:
		d.skip = fmt.Sprintf("it answers the invitation to %q in %s's name, but %s: nothing was recorded", s.Title, sender.Name, d.verdict.Reason)
		return nil
	}
	owner, err := lk.FindClientByEmail(ctx, r.Attendee)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	if err != nil || owner.ID != sender.ID {
		d.skip = fmt.Sprintf("%s answered the invitation to %q for %s: nothing was recorded", sender.Name, s.Title, r.Attendee)
		return nil
	}
	invited := false
	for _, a := range s.Attendees {
		invited = invited || (a.ClientID == sender.ID && a.State == app.AttendeeInvited)
	}
	if !invited {
		d.skip = fmt.Sprintf("%s answered the invitation to %q, but is not invited to it (any more)", sender.Name, s.Title)
		return nil
	}
	in := &d.in
	in.Kind, in.ClientID, in.SessionID, in.RSVP, in.RSVPSource = app.MailRSVP, sender.ID, s.ID, r.Answer, app.RSVPFromCalendar
	in.Reason = fmt.Sprintf("%s answered %s to %q in their calendar (%s)", sender.Name, r.Answer, s.Title, d.verdict.Reason)
	return nil
}

// firstLine is a reply's first line, for the reason an RSVP was read.
func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
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
	in      app.IncomingMail
	skip    string
	cls     classify.Result
	match   thread.Match
	verdict trust.Verdict
}

// decide reads a parsed message into what to import. It never stores anything.
func decide(ctx context.Context, lk LookupStore, m *message.Message, opts Options) (decision, error) {
	var d decision
	results := m.Header.Values("Authentication-Results")
	d.verdict = trust.Check(results, m.From.Email, opts.AuthServID)
	d.in = app.IncomingMail{
		MessageID: m.MessageID, Hash: contentHash(m),
		FromName: m.From.Name, FromEmail: m.From.Email, Subject: m.Subject, SentAt: m.Date,
		Notes: append([]string{}, m.Notes...), AuthServID: trust.TopServID(results),
	}
	in := &d.in
	sender, known, err := thread.Sender(ctx, lk, m)
	if err != nil {
		return d, err
	}
	if tok, ok := UnsubscribeToken(m.Subject); ok {
		done, err := d.unsubscribe(ctx, lk, tok, sender, known, opts)
		if err != nil || done {
			return d, err
		}
	}
	if r, ok := calendarReply(m); ok {
		return d, d.rsvp(ctx, lk, r, sender, known)
	}
	d.cls = classify.Classify(m)
	switch d.cls.Kind {
	case classify.KindBounce:
		return d, d.bounce(ctx, lk, m)
	case classify.KindAutoReply:
		return d, d.autoReply(ctx, lk, m, sender, known)
	}
	if known && d.verdict.Result != trust.Fail {
		ref, err := confirmation(ctx, lk, m, sender.ID)
		if err != nil {
			return d, err
		}
		if ref.ClientID == sender.ID {
			in.Kind, in.ClientID, in.Confirms = app.MailUnsubscribe, sender.ID,
				true
			in.Reason = fmt.Sprintf("%s confirmed by email from %s (%s)", ref.Email, m.From.Email, d.verdict.Reason)
			return d, nil
		}
	}
	if d.match, err = thread.Find(ctx, lk, m); err != nil {
		return d, err
	}
	if d.match.PostID == 0 && !(known && opts.KeepPersonal) {
		d.skip = "it is not from a client and names nothing Roundtable sent"
		if known {
			d.skip = "it is your own mail with your client " + sender.Name + ", which Roundtable does not keep"
		}
		return d, nil
	}
	t, err := trimReply(ctx, lk, m.Text, sender, known)
	if err != nil {
		return d, err
	}
	in.Text, in.Quoted = t.Text, t.Quoted
	in.ClientID, in.PostID = d.match.ClientID, d.match.PostID
	in.Trust, in.TrustReason = trust.Level(d.verdict, d.match.Threaded(), d.match.Unmatched)
	switch {
	case d.match.PostID == 0:
		in.Kind, in.ClientID = app.MailPersonal, sender.ID
	case d.match.Threaded() && in.Trust == trust.Unverified:
		// The member's address, but their provider's verdict fails: held.
		in.Kind, in.UnmatchedReason = app.MailUnmatched, in.TrustReason
	case d.match.Threaded():
		in.Kind, in.MatchReason, in.Guess = app.MailReply, d.match.Reason, d.match.Guess
		// A plain "yes" to an invitation is an RSVP, not a conversation. The
		// words are read only under an invitation: most replies are not.
		if d.match.SessionID != 0 && !in.Guess && known && d.match.ClientID == sender.ID {
			if answer, ok := sessions.ReadAnswer(in.Text); ok {
				in.Kind, in.ClientID, in.SessionID, in.RSVP, in.RSVPSource = app.MailRSVP, sender.ID, d.match.SessionID, answer, app.RSVPFromText
				in.Reason = fmt.Sprintf("%s answered %s, read from their reply %q", sender.Name, answer, firstLine(in.Text))
				in.Text, in.Quoted = "", ""
				return d, nil
			}
		}
		if d.match.LessonID != 0 && !in.Guess && known && d.match.ClientID == sender.ID {
			if done, rest := content.IsDone(in.Text); done {
				// A "done" to a lesson marks it completed; words after it are
				// still the lesson's check-in.
				in.CohortID, in.LessonID = d.match.CohortID, d.match.LessonID
				if rest == "" {
					in.Kind, in.ClientID = app.MailDone, sender.ID
					in.Reason = fmt.Sprintf("%s marked “%s” done, read from their reply %q", sender.Name, d.match.Subject, firstLine(in.Text))
					in.Text, in.Quoted = "", ""
					return d, nil
				}
				in.Text = rest
			}
		}
		if private, rest := command.Private(in.Text); private {
			in.Private, in.Text = true, rest
			in.Notes = append(in.Notes, "The member began with “private”: only you see this reply.")
		} else if kind, ok := command.Parse(in.Text); ok && !in.Guess {
			return d, d.command(ctx, lk, kind, opts)
		}
	default:
		in.Kind, in.UnmatchedReason = app.MailUnmatched, d.match.Unmatched
	}
	if known && in.ClientID == sender.ID && (in.Kind == app.MailReply && !in.Guess || in.Kind == app.MailPersonal) {
		// The replies store.LatestWritten would return, had this one been stored.
		rememberReply(lk, sender, t)
	}
	for _, a := range m.Attachments {
		if in.Kind == app.MailPersonal {
			// 1:1 mail keeps its words; its files stay in the mailbox, however
			// small (a large message's were not even downloaded: lean.go).
			a.Data, a.Omitted, a.InMailbox = nil, true, true
		}
		in.Attachments = append(in.Attachments, app.IncomingAttachment{Filename: a.Filename, ContentType: a.ContentType,
			Size: a.Size, Data: a.Data, Omitted: a.Omitted, InMailbox: a.InMailbox})
	}
	return d, nil
}

// command reads a member's one-word reply that changes how they get the
// cohort's mail: applied with a confirmation by email. "unsubscribe" follows the
// unsubscribe rules: at once when verified, else the member is asked.
func (d *decision) command(ctx context.Context, lk LookupStore, kind command.Kind, opts Options) error {
	in := &d.in
	in.ClientID, in.CohortID, in.ConfirmIDs = d.match.ClientID, d.match.CohortID, newIDs(opts)()
	in.Text, in.Quoted, in.Attachments = "", "", nil
	if kind == command.Unsubscribe {
		in.Kind, in.Proven = app.MailUnsubscribe, d.verdict.Result == trust.Pass
		in.Reason = fmt.Sprintf("replied “unsubscribe” from %s (%s)", in.FromEmail, d.verdict.Reason)
		return nil
	}
	s, err := lk.DigestSettings(ctx, d.match.CohortID)
	if err != nil {
		return err
	}
	coach, err := digest.CoachZone(ctx, lk)
	if err != nil {
		return err
	}
	in.Kind, in.Command = app.MailCommand, string(kind)
	in.ConfirmSubject, in.ConfirmBody = command.Confirmation(kind, digest.ScheduleOf(s).ForMember(coach))
	in.Reason = fmt.Sprintf("replied “%s” from %s", kind, in.FromEmail)
	return nil
}

// unsubscribe reads an unsubscribe request. With the member's own token from
// their own address and a passing verdict it is proven; anything else (another
// sender, no verdict, an old link with a reply token) asks the member to
// confirm. It reports false when the token is nobody's: then the message is read
// like any other.
func (d *decision) unsubscribe(ctx context.Context, lk LookupStore, tok string, sender app.Client, known bool, opts Options) (bool, error) {
	in := &d.in
	in.Kind = app.MailUnsubscribe
	in.ConfirmIDs = newIDs(opts)()
	c, err := lk.ClientByUnsubscribeToken(ctx, tok)
	switch {
	case err == nil:
		in.ClientID = c.ID
		own := known && sender.ID == c.ID
		in.Proven = own && d.verdict.Result == trust.Pass
		switch {
		case in.Proven:
			in.Reason = fmt.Sprintf("asked by email from %s (%s)", in.FromEmail, d.verdict.Reason)
		case own:
			in.Reason = fmt.Sprintf("asked by email from %s, which could not be verified (%s)", in.FromEmail, d.verdict.Reason)
		default:
			in.Reason = fmt.Sprintf("asked by email from %s, who is not %s", orUnknown(in.FromEmail), c.Email)
		}
		return true, nil
	case app.ErrorCode(err) != app.ENOTFOUND:
		return false, err
	}
	// A link from before members had their own token carries a reply token,
	// which any forwarded copy shows: never proof.
	ref, err := lk.SentByToken(ctx, tok)
	if err != nil {
		in.Kind = ""
		if app.ErrorCode(err) == app.ENOTFOUND {
			return false, nil
		}
		return false, err
	}
	in.ClientID = ref.ClientID
	in.Reason = fmt.Sprintf("asked by email from %s with an older unsubscribe link", orUnknown(in.FromEmail))
	return true, nil
}

// bounce reads a delivery report. It stops mail to an address only when it
// provably concerns a copy sent there: it came back to that copy's bounce
// address, or it cites that copy's Message-ID (and names no other recipient).
// A hard bounce that merely names a client's address is kept as suspected for
// the coach; anything else is skipped.
func (d *decision) bounce(ctx context.Context, lk LookupStore, m *message.Message) error {
	in, b := &d.in, d.cls.Bounce
	ref, proof, err := provenBounce(ctx, lk, m, b)
	if err != nil {
		return err
	}
	hard := b != nil && b.Hard
	if proof != "" {
		in.Kind, in.ClientID, in.Hard = app.MailBounce, ref.ClientID, hard
		in.Reason = bounceReason(b) + " (" + proof + ")"
		return nil
	}
	id := ref.ClientID
	if id == 0 {
		if id, err = namedClient(ctx, lk, m, b); err != nil {
			return err
		}
	}
	if id == 0 || !hard {
		d.skip = "it is a delivery report that cites nothing Roundtable sent"
		return nil
	}
	in.Kind, in.ClientID, in.Hard, in.Suspected = app.MailBounce, id, true, true
	in.Reason = bounceReason(b) + " (it cites no message Roundtable sent to that address: check it before you stop mailing them)"
	in.BounceText = m.Text
	if len(in.BounceText) > 20000 {
		in.BounceText = in.BounceText[:20000]
	}
	return nil
}

// autoReply marks a member away when the automatic reply is theirs: from their
// address, not failing the provider's check, and not sent to someone else's
// reply address.
func (d *decision) autoReply(ctx context.Context, lk LookupStore, m *message.Message, sender app.Client, known bool) error {
	in := &d.in
	if !known {
		d.skip = "it is an automatic reply from someone who is not a client"
		return nil
	}
	owner, err := tokenOwner(ctx, lk, m)
	if err != nil {
		return err
	}
	switch {
	case owner != 0 && owner != sender.ID:
		d.skip = "it is an automatic reply from " + in.FromEmail + " to another member's reply address: it says nothing about that member"
		return nil
	case d.verdict.Result == trust.Fail:
		d.skip = "it is an automatic reply whose sender your mail provider could not confirm: " + d.verdict.Reason
		return nil
	}
	in.Kind, in.ClientID, in.Reason = app.MailAutoReply, sender.ID, d.cls.Reason
	if !d.cls.AwayUntil.IsZero() {
		t := d.cls.AwayUntil
		in.AwayUntil = &t
	}
	return nil
}

// confirmation returns the unsubscribe confirmation a message from the client
// answers (by its reply token or a cited Message-ID), or a zero SentRef. Only
// a client asked to confirm can answer one: for everyone else the cited
// Message-IDs, one look-up each, are not looked up at all.
func confirmation(ctx context.Context, lk LookupStore, m *message.Message, clientID int64) (app.SentRef, error) {
	if asked, err := confirming(ctx, lk, clientID); err != nil || !asked {
		return app.SentRef{}, err
	}
	var refs []func() (app.SentRef, error)
	for _, tok := range thread.Tokens(m) {
		refs = append(refs, func() (app.SentRef, error) { return lk.SentByToken(ctx, tok) })
	}
	for _, id := range thread.CitedIDs(m) {
		refs = append(refs, func() (app.SentRef, error) { return lk.SentByMessageID(ctx, id) })
	}
	for _, get := range refs {
		ref, err := get()
		if err == nil && ref.ConfirmsUnsubscribe {
			return ref, nil
		}
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return app.SentRef{}, err
		}
	}
	return app.SentRef{}, nil
}

func newIDs(opts Options) func() app.MessageIdentity {
	if opts.NewIDs != nil {
		return opts.NewIDs
	}
	return compose.NewIDs(compose.From{Email: "coach@roundtable.invalid"})
}

func orUnknown(email string) string {
	if email == "" {
		return "an unknown sender"
	}
	return email
}

// provenBounce finds the copy a delivery report is about, and says how it is
// sure ("" when it is not): by the bounce address it came back to, or by the
// cited Message-ID of a copy when the report names that copy's recipient or no
// recipient at all. A cited copy whose recipient the report does not name is
// returned unproven: its client is the one to suspect.
func provenBounce(ctx context.Context, lk LookupStore, m *message.Message, b *classify.Bounce) (app.SentRef, string, error) {
	for _, tok := range bounceTokens(m) {
		ref, err := lk.SentByBounceToken(ctx, tok)
		if err == nil {
			return ref, "it came back to the bounce address of the copy sent to " + ref.Email, nil
		}
		if app.ErrorCode(err) != app.ENOTFOUND {
			return app.SentRef{}, "", err
		}
	}
	var ids []string
	if m.Report != nil && m.Report.OriginalMessageID != "" {
		ids = append(ids, m.Report.OriginalMessageID)
	}
	for _, e := range m.Embedded {
		if e != nil && e.MessageID != "" {
			ids = append(ids, e.MessageID)
		}
	}
	named := reportedAddresses(m, b)
	var suspect app.SentRef
	for _, id := range ids {
		ref, err := lk.SentByMessageID(ctx, id)
		if err != nil {
			if app.ErrorCode(err) != app.ENOTFOUND {
				return app.SentRef{}, "", err
			}
			continue
		}
		if ref.ClientID == 0 {
			continue // the cohort's thread, not one member's copy
		}
		if len(named) == 0 || slices.Contains(named, strings.ToLower(ref.Email)) {
			return ref, "it cites the copy sent to " + ref.Email, nil
		}
		suspect = ref
	}
	return suspect, "", nil
}

// reportedAddresses are the failed addresses a delivery report names, lower-cased.
func reportedAddresses(m *message.Message, b *classify.Bounce) []string {
	var addrs []string
	add := func(a string) {
		a = strings.ToLower(strings.TrimSpace(a))
		if a != "" && !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	if b != nil {
		add(b.Recipient)
	}
	if m.Report != nil {
		for _, r := range m.Report.Recipients {
			add(r.FinalRecipient)
			add(r.OriginalRecipient)
		}
	}
	return addrs
}

// namedClient returns the client whose address a delivery report names, 0 for none.
func namedClient(ctx context.Context, lk LookupStore, m *message.Message, b *classify.Bounce) (int64, error) {
	for _, a := range reportedAddresses(m, b) {
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
func Inspect(ctx context.Context, raw []byte, lk LookupStore, opts Options) (app.Inspection, error) {
	m, err := message.Parse(bytes.NewReader(raw), limits(message.Limits{}))
	if err != nil {
		return app.Inspection{}, err
	}
	ins := app.Inspection{Subject: m.Subject, MessageID: m.MessageID, FromName: m.From.Name, FromEmail: m.From.Email,
		Notes: append([]string{}, m.Notes...), Attachments: []string{}}
	c, known, err := thread.Sender(ctx, lk, m)
	if err != nil {
		return ins, err
	}
	if known {
		ins.ClientID, ins.ClientName = c.ID, c.Name
	}
	v, err := screen(ctx, lk, m, opts)
	if err != nil {
		return ins, err
	}
	ins.Relevant, ins.Why = v.relevant, v.why
	t, err := trimReply(ctx, lk, m.Text, c, known)
	if err != nil {
		return ins, err
	}
	ins.Text, ins.Quoted = t.Text, t.Quoted
	for _, a := range m.Attachments {
		s := fmt.Sprintf("%s (%s, %d bytes)", a.Filename, a.ContentType, a.Size)
		if a.Omitted {
			s += " — over the size limit, not kept"
		}
		ins.Attachments = append(ins.Attachments, s)
	}
	d, err := decide(ctx, lk, m, opts)
	if err != nil {
		return ins, err
	}
	ins.Trust, ins.TrustReason = d.in.Trust, d.in.TrustReason
	if ins.Trust == "" {
		ins.TrustReason = d.verdict.Reason
	}
	ins.KindReason = d.cls.Reason
	if d.in.Kind == app.MailUnsubscribe {
		ins.KindReason = d.in.Reason
		if !d.in.Proven && !d.in.Confirms {
			ins.KindReason += "; the member is asked to confirm"
		}
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
		if d.in.Suspected {
			ins.KindReason = "a suspected bounce: " + d.in.Reason
		}
	}
	ins.PostID, ins.PostSubject = d.match.PostID, d.match.Subject
	ins.MatchReason, ins.Unmatched = d.match.Reason, d.match.Unmatched
	return ins, nil
}

// senders remembers who each address belongs to for the length of one sync:
// every message is screened, decided and threaded by its sender, and a mailbox
// holds many messages from the same few people. It also remembers what each
// token and cited Message-ID names (sent.go). The sync's fetch and read stages
// share it, hence the lock.
type senders struct {
	LookupStore
	mu    sync.Mutex
	known map[string]senderLookup
	sent  map[sentKey]sentLookup
	// replies: each member's replies, to learn their signature from (signature.go).
	replies map[int64]*memberReplies
	// asked: the clients asked to confirm an unsubscribe, read once (nil before).
	asked map[int64]bool
	// ignored: whether each address (lower case) is one the coach ignores.
	ignored map[string]bool
}

// confirming reports whether the client was asked to confirm an unsubscribe
// and has not answered yet; within a sync (lk a *senders) the workspace is
// asked once, as what a sync reads was sent before it started.
func confirming(ctx context.Context, lk LookupStore, clientID int64) (bool, error) {
	s, ok := lk.(*senders)
	if ok {
		s.mu.Lock()
		asked := s.asked
		s.mu.Unlock()
		if asked != nil {
			return asked[clientID], nil
		}
	}
	ids, err := lk.ClientsConfirmingUnsubscribe(ctx)
	if err != nil {
		return false, err
	}
	if ok {
		asked := make(map[int64]bool, len(ids))
		for _, id := range ids {
			asked[id] = true
		}
		s.mu.Lock()
		s.asked = asked
		s.mu.Unlock()
	}
	return slices.Contains(ids, clientID), nil
}

type senderLookup struct {
	c   app.Client
	err error
}

func newSenders(lk LookupStore) *senders {
	return &senders{LookupStore: lk, known: map[string]senderLookup{}, sent: map[sentKey]sentLookup{},
		replies: map[int64]*memberReplies{}, ignored: map[string]bool{}}
}

func (s *senders) SenderIgnored(ctx context.Context, email string) (bool, error) {
	key := strings.ToLower(email)
	s.mu.Lock()
	ignored, ok := s.ignored[key]
	s.mu.Unlock()
	if ok {
		return ignored, nil
	}
	ignored, err := s.LookupStore.SenderIgnored(ctx, email)
	if err == nil {
		s.mu.Lock()
		s.ignored[key] = ignored
		s.mu.Unlock()
	}
	return ignored, err
}

func (s *senders) FindClientByEmail(ctx context.Context, email string) (app.Client, error) {
	key := strings.ToLower(email)
	s.mu.Lock()
	r, ok := s.known[key]
	s.mu.Unlock()
	if ok {
		return r.c, r.err
	}
	c, err := s.LookupStore.FindClientByEmail(ctx, email)
	if err == nil || app.ErrorCode(err) == app.ENOTFOUND {
		s.mu.Lock()
		s.known[key] = senderLookup{c, err}
		s.mu.Unlock()
	}
	return c, err
}
