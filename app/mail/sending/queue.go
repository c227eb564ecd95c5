package sending

import (
	"context"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
)

// QueueStore is what putting posts in the outbox needs from the workspace.
type QueueStore interface {
	QueuePost(ctx context.Context, postID int64, newIDs func() app.MessageIdentity) (app.Post, error)
	CreateReplyPost(ctx context.Context, replyID int64, body string, toAll bool) (app.Post, error)
}

// Queue puts one copy of a post per member in the outbox (due at its SendAt, when
// set), each with its own Message-ID, reply and bounce tokens under the coach's
// address. The window and the CLI both queue through here; whoever runs a
// worker wakes it afterwards.
func Queue(ctx context.Context, st QueueStore, from compose.From, postID int64) (app.Post, error) {
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
