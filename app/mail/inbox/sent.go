package inbox

import (
	"context"
	"slices"
	"strings"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/thread"
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

// batchLookup answers the screening's questions for a whole batch of headers
// at once (store/lookup.go): most of a mailbox is strangers' mail, whose
// addresses and cited Message-IDs are found nowhere, and one query per 500 of
// them costs a fraction of one query each.
type batchLookup interface {
	ClientEmails(ctx context.Context, emails []string) (map[string]bool, error)
	IgnoredSenders(ctx context.Context, emails []string) (map[string]bool, error)
	SentByTokens(ctx context.Context, tokens []string) (map[string]app.SentRef, error)
	SentByMessageIDs(ctx context.Context, ids []string) (map[string]app.SentRef, error)
}

// prefetch looks up, for a batch of headers about to be screened, what the
// screening and reading will ask of each: whose address the sender is (the
// addresses that are nobody's, and whether the coach ignores them), and what
// each reply token and cited Message-ID names. The answers wait in the sync's
// caches, found or not, so screening a stranger's mail asks the workspace
// nothing; a client's address is still read whole on first use.
func (s *senders) prefetch(ctx context.Context, heads []*message.Message) error {
	var emails, tokens, ids []string
	s.mu.Lock()
	for _, h := range heads {
		if h == nil {
			continue
		}
		if e := h.From.Email; e != "" {
			if _, ok := s.known[strings.ToLower(e)]; !ok {
				emails = append(emails, e)
			}
		}
		for _, t := range thread.Tokens(h) {
			if _, ok := s.sent[sentKey{"token", t}]; !ok {
				tokens = append(tokens, t)
			}
		}
		for _, id := range thread.CitedIDs(h) {
			if _, ok := s.sent[sentKey{"message-id", id}]; !ok {
				ids = append(ids, id)
			}
		}
	}
	s.mu.Unlock()
	emails, tokens, ids = unique(emails), unique(tokens), unique(ids)

	clients, err := s.LookupStore.ClientEmails(ctx, emails)
	if err != nil {
		return err
	}
	var strangers []string
	for _, e := range emails {
		if !clients[e] {
			strangers = append(strangers, e)
		}
	}
	ignored, err := s.LookupStore.IgnoredSenders(ctx, strangers)
	if err != nil {
		return err
	}
	byToken, err := s.LookupStore.SentByTokens(ctx, tokens)
	if err != nil {
		return err
	}
	byID, err := s.LookupStore.SentByMessageIDs(ctx, ids)
	if err != nil {
		return err
	}
	unsent := app.Errorf(app.ENOTFOUND, "Roundtable sent no such message.")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range strangers {
		s.known[strings.ToLower(e)] = senderLookup{err: app.Errorf(app.ENOTFOUND, "No client has the address %s.", e)}
		s.ignored[strings.ToLower(e)] = ignored[e]
	}
	for by, refs := range map[string]map[string]app.SentRef{"token": byToken, "message-id": byID} {
		keys := tokens
		if by == "message-id" {
			keys = ids
		}
		for _, k := range keys {
			if ref, ok := refs[k]; ok {
				s.sent[sentKey{by, k}] = sentLookup{ref: ref}
			} else {
				s.sent[sentKey{by, k}] = sentLookup{err: unsent}
			}
		}
	}
	return nil
}

// unique returns keys without repeats, in their first order.
func unique(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	return slices.DeleteFunc(keys, func(k string) bool {
		dup := seen[k]
		seen[k] = true
		return dup
	})
}
