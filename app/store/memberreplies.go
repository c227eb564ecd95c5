package store

import (
	"context"
	"fmt"

	"github.com/roundtablehq/roundtable/app"
)

// LatestWritten returns what a client wrote in at most n of their latest
// replies, oldest first: threaded or personal mail they sent that was not
// matched by a guess. The inbox learns a member's signature from how their own
// replies end, so a reply only guessed to be theirs is left out. A sync asks it
// once for each member it reads, so it is one query on the readers' pool, with
// none of a reply's other columns.
func (db *DB) LatestWritten(ctx context.Context, clientID int64, n int) ([]app.WrittenReply, error) {
	if n <= 0 {
		return nil, app.Errorf(app.EINVALID, "latest replies: got n = %d, want at least 1", n)
	}
	rows, err := db.rdb.QueryContext(ctx, `SELECT text, quoted FROM (
		SELECT id, text, quoted, coalesce(sent_at, received_at) AS at FROM replies
		WHERE client_id = ? AND state IN ('threaded', 'personal') AND guess = 0
		ORDER BY received_at DESC, id DESC LIMIT ?) ORDER BY at, id`, clientID, n)
	if err != nil {
		return nil, fmt.Errorf("latest replies of client %d: %w", clientID, dbError(err))
	}
	defer rows.Close()
	out := []app.WrittenReply{}
	for rows.Next() {
		var w app.WrittenReply
		if err := rows.Scan(&w.Text, &w.Quoted); err != nil {
			return nil, dbError(err)
		}
		out = append(out, w)
	}
	return out, dbError(rows.Err())
}
