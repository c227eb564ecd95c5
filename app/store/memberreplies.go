package store

import (
	"context"
	"fmt"

	"github.com/roundtablehq/roundtable/app"
)

// LatestReplies returns at most n of a client's latest replies, oldest first:
// threaded or personal mail they sent that was not matched by a guess. The inbox
// learns a member's signature from how their own replies end, so a reply only
// guessed to be theirs is left out.
func (db *DB) LatestReplies(ctx context.Context, clientID int64, n int) ([]app.Reply, error) {
	if n <= 0 {
		return nil, app.Errorf(app.EINVALID, "latest replies: got n = %d, want at least 1", n)
	}
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rs, err := queryReplies(tx, `r.id IN (SELECT id FROM replies WHERE client_id = ? AND state IN ('threaded', 'personal')
		AND guess = 0 ORDER BY received_at DESC, id DESC LIMIT ?)`, clientID, n)
	if err != nil {
		return nil, fmt.Errorf("latest replies of client %d: %w", clientID, err)
	}
	return rs, nil
}
