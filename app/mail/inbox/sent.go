package inbox

import (
	"context"

	"github.com/roundtablehq/roundtable/app"
)

// Screening, deciding and threading one reply ask what its reply token and
// cited Message-IDs name four or five times over, and a mailbox holds many
// replies to the same copies: a sync asks the workspace once per token. What
// a sync reads is the mail Roundtable sent before it started, which the sync
// itself does not change.

type sentKey struct {
	by  string // "token", "message-id", "item-token", "bounce-token"
	key string
}

type sentLookup struct {
	ref app.SentRef
	err error
}

func (s *senders) sentBy(ctx context.Context, by, key string, find func(context.Context, string) (app.SentRef, error)) (app.SentRef, error) {
	k := sentKey{by, key}
	s.mu.Lock()
	r, ok := s.sent[k]
	s.mu.Unlock()
	if ok {
		return r.ref, r.err
	}
	ref, err := find(ctx, key)
	if err == nil || app.ErrorCode(err) == app.ENOTFOUND {
		s.mu.Lock()
		s.sent[k] = sentLookup{ref, err}
		s.mu.Unlock()
	}
	return ref, err
}

func (s *senders) SentByToken(ctx context.Context, token string) (app.SentRef, error) {
	return s.sentBy(ctx, "token", token, s.LookupStore.SentByToken)
}

func (s *senders) SentByMessageID(ctx context.Context, id string) (app.SentRef, error) {
	return s.sentBy(ctx, "message-id", id, s.LookupStore.SentByMessageID)
}

func (s *senders) SentByItemToken(ctx context.Context, token string) (app.SentRef, error) {
	return s.sentBy(ctx, "item-token", token, s.LookupStore.SentByItemToken)
}

func (s *senders) SentByBounceToken(ctx context.Context, token string) (app.SentRef, error) {
	return s.sentBy(ctx, "bounce-token", token, s.LookupStore.SentByBounceToken)
}
