// Package compose turns a queued outbox message into the email one member
// receives: the post rendered for them, addressed to them alone, with the reply
// address, thread and unsubscribe headers that make replies find their way back.
// The preview in the window comes from the same functions, so the coach sees
// exactly what is sent.
package compose

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"golang.org/x/net/idna"
)

// From is who sends, and how replies come back.
type From struct {
	Name           string
	Email          string
	PlusAddressing bool // replies go to Email+rt-TOKEN; off, they go to Email and are threaded by headers
}

// FromAccount takes the sender out of the account settings.
func FromAccount(a app.SMTPAccount) From {
	return From{Name: a.FromName, Email: a.FromEmail, PlusAddressing: a.PlusAddressing}
}

// Vars returns the personalisation values for one recipient of a post.
func Vars(from From, post app.Post, name, email, token string) render.Vars {
	return render.Vars{Name: name, Email: email, CohortName: post.Cohort, CoachName: from.Name,
		Unsubscribe: UnsubscribeURL(from, token)}
}

// Body renders the post for one recipient: what the preview shows.
func Body(from From, post app.Post, name, email, token string) (render.Body, error) {
	return render.Render(render.Content{Subject: post.Subject, Markdown: post.Body}, Vars(from, post, name, email, token))
}

// Message returns the complete message for an outbox job, with the post's
// attachments, ready for SMTP DATA. It depends only on the job (the Message-ID
// and the date were fixed when the post was queued), so a message sent again
// after a crash is the same message. Odd input (a name with a line break, a
// member's malformed Message-ID) is tidied rather than refused (render.Tidy);
// notes says what was changed, for the outbox to record with the message.
func Message(from From, job app.OutboxJob, atts []render.Attachment) (raw []byte, notes []string, err error) {
	unsub := job.UnsubscribeToken
	if unsub == "" {
		unsub = job.Token // a copy queued before members had their own token
	}
	var b render.Body
	if job.Digest != nil {
		var slots tokenSlots
		c := digestContent(from, *job.Digest, slots.slot(*job.Digest))
		b, err = render.Render(c, Vars(from, job.Post, job.Item.Name, job.Item.Email, unsub))
		b.HTML, b.Text = slots.fill(b.HTML), slots.fill(b.Text)
	} else {
		b, err = Body(from, job.Post, job.Item.Name, job.Item.Email, unsub)
	}
	if err != nil {
		return nil, nil, err
	}
	env := render.Envelope{
		FromName: from.Name, FromEmail: from.Email,
		ToName: job.Item.Name, ToEmail: job.Item.Email,
		MessageID:       job.Item.MessageID,
		ListUnsubscribe: UnsubscribeURL(from, unsub),
		ListID:          ListID(from, job.Post.CohortID),
		ListName:        job.Post.Cohort,
		Date:            job.CreatedAt,
	}
	if from.PlusAddressing {
		env.ReplyTo = replyaddr.For(from.Email, job.Token)
	}
	// A digest is no reply to the cohort's thread, nor is an invitation (calendar
	// apps file it on its own).
	if job.ThreadID != "" && job.Digest == nil && job.Post.Kind != app.PostKindSession {
		env.InReplyTo, env.References = job.ThreadID, []string{job.ThreadID}
	}
	if job.InReplyTo != "" { // an answer to a member: continue their thread
		env.InReplyTo = job.InReplyTo
		env.References = append(env.References, job.InReplyTo)
	}
	if len(job.Calendar) > 0 {
		// iMIP: the calendar as the last alternative, and the same file as an
		// attachment for mail apps that only offer to open attached .ics files.
		b.Calendar, b.CalendarMethod = string(job.Calendar), job.CalendarMethod
		atts = append(atts[:len(atts):len(atts)], render.Attachment{Filename: "invite.ics",
			ContentType: "application/ics", Data: job.Calendar})
	}
	env, b, notes = render.Tidy(env, b)
	raw, err = render.Build(env, b, atts)
	return raw, notes, err
}

// UnsubscribeURL is the mailto: link that unsubscribes one member: a mail to the
// coach whose subject carries the member's own unsubscribe token, so the import
// can act on it.
//
// There is deliberately no List-Unsubscribe-Post (RFC 8058 one-click): it
// requires an HTTPS URL in List-Unsubscribe that the mailbox provider POSTs to,
// and Roundtable runs on the coach's laptop with no web server to answer it. A
// one-click field pointing at nothing, or at a URL that only pretends, would
// promise members an unsubscribe that does not happen. Gmail and Apple Mail
// offer their unsubscribe button for the mailto: link alone; the button sends
// this mail, which the next import acts on.
func UnsubscribeURL(from From, token string) string {
	return "mailto:" + from.Email + "?subject=" + url.PathEscape("unsubscribe "+token)
}

// ListID is the cohort's list identifier (RFC 2919 List-Id), under the coach's
// own domain so no other sender's lists can share it: cohort-ID.roundtable.DOMAIN
// (e.g. cohort-7.roundtable.example.com). It is made from the cohort's id, not
// its name, so that it stays the same when the coach renames the cohort: mail
// clients and members' filters key on it, and the name travels beside it as the
// List-Id's description. Every copy to a cohort carries it — posts, digests and
// the coach's answers — so a member's client keeps the cohort's mail together.
// Empty when there is no cohort.
func ListID(from From, cohortID int64) string {
	if cohortID <= 0 {
		return ""
	}
	domain := MessageIDDomain(from.Email)
	if a, err := idna.Lookup.ToASCII(domain); err == nil {
		domain = a
	} else {
		domain = "roundtable.invalid"
	}
	return "cohort-" + strconv.FormatInt(cohortID, 10) + ".roundtable." + domain
}

// EnvelopeSender is the SMTP MAIL FROM of a copy: with plus-addressing, the copy's
// own bounce address (VERP), so that a delivery report about it comes back to
// an address only this copy carried; else the coach's address.
func EnvelopeSender(from From, job app.OutboxJob) string {
	if from.PlusAddressing && job.BounceToken != "" {
		return replyaddr.Bounce(from.Email, job.BounceToken)
	}
	return from.Email
}

// NewIDs returns the maker of each queued copy's identity under the coach's
// address: a Message-ID in their domain, a reply token and a bounce token.
func NewIDs(from From) func() app.MessageIdentity {
	domain := MessageIDDomain(from.Email)
	return func() app.MessageIdentity {
		return app.MessageIdentity{MessageID: render.NewMessageID(domain), Token: replyaddr.NewToken(), BounceToken: replyaddr.NewToken()}
	}
}

// MessageIDDomain is the domain Message-IDs are made under: the coach's own, so
// that ids are unique to them and replies referring to them are recognised.
func MessageIDDomain(fromEmail string) string {
	if _, d, ok := strings.Cut(fromEmail, "@"); ok && d != "" {
		return strings.ToLower(d)
	}
	return "roundtable.invalid"
}

// Title gives each post its Title: the subject as the cohort read it, so that
// the window and the command line never show a raw {{cohort}}.
func Title(from From, posts ...*app.Post) {
	for _, p := range posts {
		p.Title = render.CohortSubject(p.Subject, p.Cohort, from.Name)
	}
}

// TitleConversations is Title for each conversation's post.
func TitleConversations(from From, cs []app.Conversation) {
	for i := range cs {
		Title(from, &cs[i].Post)
	}
}
