package store

import (
	"context"

	"github.com/roundtablehq/roundtable/app"
)

// ReplyHeaders returns, for each reply threaded under a post of the cohort,
// the headers an exported copy of it carries: its Message-ID as it arrived,
// and the Message-ID of the member's own copy of the post (else the cohort's
// thread), which is what its In-Reply-To named.
func (db *DB) ReplyHeaders(ctx context.Context, cohortID int64) (map[int64]app.ReplyHeaders, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT r.id, m.message_id,
		coalesce((SELECT o.message_id FROM outbox o WHERE o.post_id = r.post_id AND o.client_id = r.client_id ORDER BY o.id LIMIT 1), h.thread_id)
		FROM replies r JOIN inbox_messages m ON m.id = r.inbox_message_id
		JOIN posts p ON p.id = r.post_id JOIN cohorts h ON h.id = p.cohort_id
		WHERE p.cohort_id = ? AND r.state = 'threaded'`, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := map[int64]app.ReplyHeaders{}
	for rows.Next() {
		var id int64
		var h app.ReplyHeaders
		if err := rows.Scan(&id, &h.MessageID, &h.InReplyTo); err != nil {
			return nil, dbError(err)
		}
		out[id] = h
	}
	return out, dbError(rows.Err())
}
