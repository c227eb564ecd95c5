package sending

import (
	"context"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/render"
)

// QueueStore is what putting posts in the outbox needs from the workspace.
type QueueStore interface {
	FindPost(ctx context.Context, id int64) (app.Post, error)
	PostRecipients(ctx context.Context, postID int64) ([]app.Recipient, error)
	PostAttachments(ctx context.Context, postID int64) ([]app.PostAttachment, error)
	QueuePost(ctx context.Context, postID int64, newIDs func() app.MessageIdentity) (app.Post, error)
	CreateReplyPost(ctx context.Context, replyID int64, body string, toAll bool) (app.Post, error)
}

// Plan works out what sending a post would do, queueing nothing: the send
// confirmation in the window and `roundtable post create` both show it, and
// Queue refuses by its Problems, so the two can never disagree about what may go.
func Plan(ctx context.Context, st QueueStore, from compose.From, postID int64) (app.SendPlan, error) {
	p, err := st.FindPost(ctx, postID)
	if err != nil {
		return app.SendPlan{}, err
	}
	compose.Title(from, &p)
	plan := app.SendPlan{PostID: p.ID, CohortID: p.CohortID, Cohort: p.Cohort, Title: p.Title, SendAt: p.SendAt,
		Skipped: []app.Recipient{}, Notes: []string{}, Problems: problemsOf(p)}
	rs, err := st.PostRecipients(ctx, postID)
	if err != nil {
		return app.SendPlan{}, err
	}
	for _, r := range rs {
		if r.Skip != "" {
			plan.Skipped = append(plan.Skipped, r)
		} else {
			plan.Recipients++
		}
	}
	if len(rs) == 0 {
		plan.Problems = append(plan.Problems, app.PostProblem{Message: "The cohort has no members yet, so there is nobody to send this to. Add members first."})
	}
	atts, err := st.PostAttachments(ctx, postID)
	if err != nil {
		return app.SendPlan{}, err
	}
	plan.Notes = append(plan.Notes, app.AttachmentWarnings(atts)...)
	plan.Ready = len(plan.Problems) == 0
	return plan, nil
}

// Problems is what stops a post with this subject and body from being sent
// (render.Check): the window asks for it as the coach types, the CLI before it
// saves anything.
func Problems(subject, body string) []app.PostProblem {
	ps := render.Check(render.Content{Subject: subject, Markdown: body})
	if ps == nil {
		return []app.PostProblem{}
	}
	return ps
}

// problemsOf is Problems for a saved post. An answer's subject is "Re:" the
// post's, not the coach's to fix here (a post sent before this check could
// carry a typo), so only its body is checked.
func problemsOf(p app.Post) []app.PostProblem {
	ps := Problems(p.Subject, p.Body)
	if p.Kind != app.PostAnswer {
		return ps
	}
	body := []app.PostProblem{}
	for _, pr := range ps {
		if pr.Field == app.FieldBody {
			body = append(body, pr)
		}
	}
	return body
}

// Queue puts one copy of a post per member in the outbox (due at its SendAt, when
// set), each with its own Message-ID, reply and bounce tokens under the coach's
// address — after Plan, refusing a post with problems. The window and the CLI
// both queue through here; whoever runs a worker wakes it afterwards.
func Queue(ctx context.Context, st QueueStore, from compose.From, postID int64) (app.Post, error) {
	p, err := st.FindPost(ctx, postID)
	if err != nil {
		return p, err
	}
	if p.Status == app.PostDraft { // else QueuePost says it is on its way
		if err := (app.SendPlan{Problems: problemsOf(p)}).Refusal(); err != nil {
			return p, err
		}
	}
	return st.QueuePost(ctx, postID, compose.NewIDs(from))
}

// Answer drafts the coach's answer to a member's reply and queues it, in the
// member's thread: to that member, or with toAll to the whole cohort.
func Answer(ctx context.Context, st QueueStore, from compose.From, replyID int64, body string, toAll bool) (app.Post, error) {
	p, err := st.CreateReplyPost(ctx, replyID, body, toAll)
	if err != nil {
		return p, err
	}
	return Queue(ctx, st, from, p.ID)
}

// PreviewDigest is the next digest of a cohort as one member will get it, and
// when it goes: rendered by the real renderer, recording nothing.
func PreviewDigest(ctx context.Context, st digest.Store, from compose.From, cohortID, clientID int64, at time.Time) (app.DigestPreview, error) {
	d, sendAt, err := digest.Preview(ctx, st, cohortID, clientID, at)
	if err != nil {
		return app.DigestPreview{}, err
	}
	return compose.PreviewDigest(from, d, sendAt)
}
