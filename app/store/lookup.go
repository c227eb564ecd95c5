package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// A sync screens its headers a batch at a time, and most of a coach's mailbox is
// mail from strangers, each naming addresses and Message-IDs that are looked up
// once and found nowhere. These answer the same questions as FindClientByEmail,
// SenderIgnored, SentByToken and SentByMessageID for a whole batch, one query
// per 500 keys, so that the screening asks the workspace per batch rather than
// per message (docs/benchmarks.md, session 9).

// chunkKeys is how many keys one IN list holds, well under SQLite's 32,766
// variables.
const chunkKeys = 500

// inChunks runs query, each "IN (…)" of which is filled with the keys, once
// per chunkKeys of them in one read transaction, and calls scan for every row.
func (db *DB) inChunks(ctx context.Context, query string, keys []string, scan func(*sql.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	tx, err := db.read(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for len(keys) > 0 {
		n := min(len(keys), chunkKeys)
		var args []any
		for range strings.Count(query, "(…)") {
			for _, k := range keys[:n] {
				args = append(args, k)
			}
		}
		rows, err := tx.query(strings.ReplaceAll(query, "(…)", placeholders(1, n)), args...)
		if err != nil {
			return dbError(err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return dbError(err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError(err)
		}
		keys = keys[n:]
	}
	return nil
}

// ClientEmails returns which of the addresses are a client's, address or
// alias, as FindClientByEmail matches them; the keys are the addresses as
// given.
func (db *DB) ClientEmails(ctx context.Context, emails []string) (map[string]bool, error) {
	return db.emailsIn(ctx, `SELECT email FROM clients WHERE email IN (…)
		UNION ALL SELECT email FROM client_aliases WHERE email IN (…)`, emails)
}

// IgnoredSenders returns which of the addresses the coach chose to ignore.
func (db *DB) IgnoredSenders(ctx context.Context, emails []string) (map[string]bool, error) {
	return db.emailsIn(ctx, "SELECT email FROM ignored_senders WHERE email IN (…)", emails)
}

// emailsIn returns which of the addresses query finds, its columns compared
// ignoring case (COLLATE NOCASE), keyed by the addresses as given.
func (db *DB) emailsIn(ctx context.Context, query string, emails []string) (map[string]bool, error) {
	byFold := map[string][]string{}
	for _, e := range emails {
		byFold[strings.ToLower(e)] = append(byFold[strings.ToLower(e)], e)
	}
	found := map[string]bool{}
	err := db.inChunks(ctx, query, emails, func(rows *sql.Rows) error {
		var e string
		err := rows.Scan(&e)
		for _, given := range byFold[strings.ToLower(e)] {
			found[given] = true
		}
		return err
	})
	return found, err
}

// SentByTokens answers SentByToken for each token; a token missing from the
// map names nothing Roundtable sent.
func (db *DB) SentByTokens(ctx context.Context, tokens []string) (map[string]app.SentRef, error) {
	return db.sentRefs(ctx, "o.token", tokens)
}

// SentByMessageIDs answers SentByMessageID for each Message-ID: a member's
// copy, or else a cohort's thread; an id missing from the map names neither.
func (db *DB) SentByMessageIDs(ctx context.Context, ids []string) (map[string]app.SentRef, error) {
	refs, err := db.sentRefs(ctx, "o.message_id", ids)
	if err != nil {
		return nil, err
	}
	var rest []string
	for _, id := range ids {
		if _, ok := refs[id]; !ok && id != "" {
			rest = append(rest, id)
		}
	}
	err = db.inChunks(ctx, `SELECT h.thread_id, p.id, p.cohort_id, p.subject FROM cohorts h
		JOIN posts p ON p.id = (SELECT q.id FROM posts q WHERE q.cohort_id = h.id AND q.status <> 'draft' AND q.kind <> 'digest'
			AND NOT (q.lesson_id IS NOT NULL AND q.to_client_id IS NOT NULL) ORDER BY q.id DESC LIMIT 1)
		WHERE h.thread_id IN (…)`, rest, func(rows *sql.Rows) error {
		var id string
		var ref app.SentRef
		err := rows.Scan(&id, &ref.PostID, &ref.CohortID, &ref.Subject)
		refs[id] = ref
		return err
	})
	return refs, err
}

// sentRefs reads the SentRef of each key of column, the first copy sent when
// several share it, as sentRef's single look-up does.
func (db *DB) sentRefs(ctx context.Context, column string, keys []string) (map[string]app.SentRef, error) {
	refs := map[string]app.SentRef{}
	err := db.inChunks(ctx, `SELECT `+column+`, `+sentRefColumns+` WHERE `+column+` IN (…) ORDER BY o.id`, keys,
		func(rows *sql.Rows) error {
			var key string
			var ref app.SentRef
			err := rows.Scan(append([]any{&key}, sentRefDest(&ref)...)...)
			if _, ok := refs[key]; !ok && err == nil {
				refs[key] = ref
			}
			return err
		})
	return refs, err
}
