package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// The outbox methods are the outbox worker's ledger. Each state change is its own
// committed transaction, so after a crash the ledger says exactly which messages
// went: a row still "sending" is the one message whose fate is unknown. (A run
// of sends waits for the disk a few times a second, not once a message: a power
// cut, unlike a crash, may undo the records of its last moment — see the
// outbox's durableNow — and those messages go again with their Message-ID.)
//
// A row marked "sending" is a claim: it names its owner (this open workspace,
// db.owner) and a lease (claim_until). Only the owner records the outcome, and
// only a dead claim is put back in the queue, so a second sender — even one that
// bypassed the workspace lock — never sends a copy the first has in hand.

// RecoverSending puts back in the queue the messages a crashed or vanished sender
// left mid-transfer: claims whose lease ran out, and claims of an earlier holder
// of the workspace lock when this handle holds it now (the lock is exclusive, so
// that holder is gone). A live claim of another sender is left alone. Each is sent
// again with the same Message-ID, so a copy that did arrive folds into the first
// in the member's mail client. It returns how many there were.
func (db *DB) RecoverSending(ctx context.Context) (int, error) {
	mine := ""
	if db.lock != nil {
		mine = db.owner
	}
	return db.execCount(ctx, `UPDATE outbox SET state = 'queued', claim_owner = '', claim_until = NULL, updated_at = ?
		WHERE state = 'sending' AND (claim_until IS NULL OR claim_until < ?
			OR (? != '' AND claim_owner LIKE 'locked:%' AND claim_owner != ?))`,
		db.now(), db.now(), mine, mine)
}

// RenewClaim extends the lease of a message this sender is transferring; the
// worker calls it while a large message crawls over a slow link. ECONFLICT when
// the claim is no longer this sender's.
func (db *DB) RenewClaim(ctx context.Context, id int64) error {
	return db.setState(ctx, id, "claim_until = ?", []any{db.leaseEnd()}, mine, db.owner)
}

// leaseEnd is when a claim taken or renewed now runs out.
func (db *DB) leaseEnd() string {
	return db.Now().Add(db.Lease).UTC().Format(timeFormat)
}

// NextDue returns the next message due at now other than skip (0: none), oldest
// first; ENOTFOUND when none is. It is the outbox's hot path: one query, no
// counts. The outbox passes over the message whose claim it is committing.
func (db *DB) NextDue(ctx context.Context, now time.Time, skip int64) (app.OutboxJob, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.OutboxJob{}, err
	}
	defer tx.Rollback()
	var j app.OutboxJob
	var created, next, updated, calendar string
	var sent sql.NullString
	err = tx.queryRow(`SELECT o.id, o.post_id, o.client_id, o.name, o.email, o.message_id, o.state, o.attempts,
		o.next_attempt_at, o.last_answer, o.updated_at, o.sent_at, o.token, o.created_at,
		coalesce(p.cohort_id, 0), coalesce(h.name, ''), p.kind, p.subject, p.body, p.status, coalesce(h.thread_id, ''), p.in_reply_to,
		o.bounce_token, coalesce(c.unsubscribe_token, ''), coalesce(o.digest_id, 0), o.calendar, o.calendar_method
		FROM outbox o JOIN posts p ON p.id = o.post_id LEFT JOIN cohorts h ON h.id = p.cohort_id
		JOIN clients c ON c.id = o.client_id
		WHERE o.state IN ('queued', 'retrying') AND o.next_attempt_at <= ? AND o.id <> ?
		ORDER BY o.next_attempt_at, o.id LIMIT 1`,
		now.UTC().Format(timeFormat), skip).Scan(&j.Item.ID, &j.Item.PostID, &j.Item.ClientID, &j.Item.Name, &j.Item.Email,
		&j.Item.MessageID, &j.Item.State, &j.Item.Attempts, &next, &j.Item.LastAnswer, &updated, &sent, &j.Token, &created,
		&j.Post.CohortID, &j.Post.Cohort, &j.Post.Kind, &j.Post.Subject, &j.Post.Body, &j.Post.Status, &j.ThreadID, &j.InReplyTo,
		&j.BounceToken, &j.UnsubscribeToken, &j.DigestID, &calendar, &j.CalendarMethod)
	if errors.Is(err, sql.ErrNoRows) {
		return j, app.Errorf(app.ENOTFOUND, "Nothing is due to be sent.")
	}
	if err != nil {
		return j, dbError(err)
	}
	j.Post.ID, j.Item.Subject = j.Item.PostID, j.Post.Subject
	j.Item.NextAttemptAt, j.Item.UpdatedAt, j.Item.SentAt = parseTime(next), parseTime(updated), parseTimePtr(sent)
	j.CreatedAt = parseTime(created)
	if calendar != "" {
		j.Calendar = []byte(calendar)
	}
	return j, nil
}

// NextWake returns when the next waiting message falls due, and false when
// nothing waits.
func (db *DB) NextWake(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	err := db.rdb.QueryRowContext(ctx, "SELECT min(next_attempt_at) FROM outbox WHERE state IN ('queued', 'retrying')").Scan(&at)
	if err != nil {
		return time.Time{}, false, dbError(err)
	}
	return parseTime(at.String), at.Valid, nil
}

// MarkSending records that the message is being handed to the server now.
func (db *DB) MarkSending(ctx context.Context, id int64) error {
	return db.setState(ctx, id, "state = 'sending', attempts = attempts + 1, claim_owner = ?, claim_until = ?",
		[]any{db.owner, db.leaseEnd()}, "state IN ('queued', 'retrying')")
}

// mine is the condition that the row is a claim of this sender's.
const mine = "state = 'sending' AND claim_owner = ?"

// MarkRetry records a temporary failure and when to try again.
func (db *DB) MarkRetry(ctx context.Context, id int64, answer string, next time.Time) error {
	return db.setState(ctx, id, "state = 'retrying', next_attempt_at = ?, last_answer = ?, claim_until = NULL",
		[]any{next.UTC().Format(timeFormat), answer}, mine, db.owner)
}

// MarkFailed records a permanent refusal.
func (db *DB) MarkFailed(ctx context.Context, id int64, answer string) error {
	return db.setState(ctx, id, "state = 'failed', last_answer = ?, claim_until = NULL", []any{answer}, mine, db.owner)
}

// Requeue puts a message marked as sending back in the queue when it was never
// handed over (the worker stopped first), without counting an attempt against it.
func (db *DB) Requeue(ctx context.Context, id int64) error {
	return db.setState(ctx, id, "state = 'queued', attempts = max(attempts - 1, 0), claim_until = NULL", nil, mine, db.owner)
}

// MarkSentAndSending records the server's acceptance of one message and, when
// nextID is not 0, marks the next message as sending, in one transaction: the
// outbox writes the ledger once per message. It reports whether the next was
// claimed (false when it was cancelled meanwhile).
//
// With durable false the commit does not wait for the disk (see beginLazy): a
// crash of the program still keeps it, a power cut may undo it — and with it
// every commit since the last durable one, which the next durable commit of any
// kind makes durable too.
func (db *DB) MarkSentAndSending(ctx context.Context, sentID int64, answer string, nextID int64, durable bool) (bool, error) {
	begin := db.begin
	if !durable {
		begin = db.beginLazy
	}
	tx, err := begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	now := db.now()
	res, err := tx.exec("UPDATE outbox SET state = 'sent', sent_at = ?, last_answer = ?, claim_until = NULL, updated_at = ? WHERE id = ? AND state = 'sending' AND claim_owner = ?",
		now, answer, now, sentID, db.owner)
	if err != nil {
		return false, dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, app.Errorf(app.ECONFLICT, "That message changed meanwhile (it was sent or cancelled).")
	}
	claimed := false
	if nextID != 0 {
		res, err := tx.exec(`UPDATE outbox SET state = 'sending', attempts = attempts + 1, claim_owner = ?, claim_until = ?, updated_at = ?
			WHERE id = ? AND state IN ('queued', 'retrying')`, db.owner, db.leaseEnd(), now, nextID)
		if err != nil {
			return false, dbError(err)
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
	}
	return claimed, commit(tx)
}

// setState changes one message's row: set (with setArgs) where the row is id and
// when (with whenArgs) still holds.
func (db *DB) setState(ctx context.Context, id int64, set string, setArgs []any, when string, whenArgs ...any) error {
	q := fmt.Sprintf("UPDATE outbox SET %s, updated_at = ? WHERE id = ? AND %s", set, when)
	args := append(append(setArgs, db.now(), id), whenArgs...)
	n, err := db.execCount(ctx, q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return app.Errorf(app.ECONFLICT, "That message changed meanwhile (it was sent or cancelled).")
	}
	return nil
}

func (db *DB) execCount(ctx context.Context, q string, args ...any) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.exec(q, args...)
	if err != nil {
		return 0, dbError(err)
	}
	n, _ := res.RowsAffected()
	return int(n), commit(tx)
}

// SentSince counts the messages the server accepted since t, for the daily limit.
func (db *DB) SentSince(ctx context.Context, t time.Time) (int, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE sent_at >= ?", t.UTC().Format(timeFormat)).Scan(&n)
	return n, dbError(err)
}

// RetryNow makes waiting and failed messages due at once (of one post, or all
// with postID 0) and returns how many.
func (db *DB) RetryNow(ctx context.Context, postID int64) (int, error) {
	return db.execCount(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ?
		WHERE state IN ('retrying', 'failed') AND (? = 0 OR post_id = ?)`, db.now(), db.now(), postID, postID)
}

// CancelUnsent cancels the messages of a post that have not gone yet and returns
// how many. A message being handed over right now is not stopped.
func (db *DB) CancelUnsent(ctx context.Context, postID int64) (int, error) {
	return db.execCount(ctx, `UPDATE outbox SET state = 'canceled', last_answer = 'Cancelled before sending.', updated_at = ?
		WHERE state IN ('queued', 'retrying') AND post_id = ?`, db.now(), postID)
}

// Outbox lists messages, newest post first, then by recipient.
func (db *DB) Outbox(ctx context.Context, f app.OutboxFilter) ([]app.OutboxItem, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cond, args := "(? = 0 OR o.post_id = ?) AND (? = '' OR o.state = ?) ORDER BY o.post_id DESC, o.id", []any{f.PostID, f.PostID, f.State, f.State}
	if f.Limit > 0 {
		cond += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return queryOutbox(tx, cond, args...)
}

// OutboxCounts counts messages by state (of one post, or all with postID 0).
func (db *DB) OutboxCounts(ctx context.Context, postID int64) (map[string]int, error) {
	rows, err := db.rdb.QueryContext(ctx, "SELECT state, count(*) FROM outbox WHERE (? = 0 OR post_id = ?) GROUP BY state", postID, postID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, dbError(err)
		}
		m[s] = n
	}
	return m, dbError(rows.Err())
}

func queryOutbox(tx *tx, cond string, args ...any) ([]app.OutboxItem, error) {
	rows, err := tx.query(`SELECT o.id, o.post_id, p.subject, o.client_id, o.name, o.email, o.message_id, o.state,
		o.attempts, o.next_attempt_at, o.last_answer, o.updated_at, o.sent_at
		FROM outbox o JOIN posts p ON p.id = o.post_id WHERE `+cond, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.OutboxItem{}
	for rows.Next() {
		var it app.OutboxItem
		var next, updated string
		var sent sql.NullString
		if err := rows.Scan(&it.ID, &it.PostID, &it.Subject, &it.ClientID, &it.Name, &it.Email, &it.MessageID, &it.State,
			&it.Attempts, &next, &it.LastAnswer, &updated, &sent); err != nil {
			return nil, dbError(err)
		}
		it.NextAttemptAt, it.UpdatedAt, it.SentAt = parseTime(next), parseTime(updated), parseTimePtr(sent)
		out = append(out, it)
	}
	return out, dbError(rows.Err())
}

// MarkUnsubscribed records that the client asked to receive no more mail; the
// outbox skips them from now on and says why.
func (db *DB) MarkUnsubscribed(ctx context.Context, clientID int64) error {
	n, err := db.execCount(ctx, "UPDATE clients SET unsubscribed_at = coalesce(unsubscribed_at, ?), updated_at = ? WHERE id = ?",
		db.now(), db.now(), clientID)
	if err == nil && n == 0 {
		err = app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	return err
}

// MarkBounced records that mail to the client's address bounced for good, and
// why; the outbox skips them until the coach clears it (ClearBounce).
func (db *DB) MarkBounced(ctx context.Context, clientID int64, reason string) error {
	n, err := db.execCount(ctx, "UPDATE clients SET bounced_at = ?, bounce_reason = ?, updated_at = ? WHERE id = ?",
		db.now(), reason, db.now(), clientID)
	if err == nil && n == 0 {
		err = app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	return err
}

// ScheduledDue counts the copies of scheduled posts whose time has come by now
// and that wait to be sent.
func (db *DB) ScheduledDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM outbox o JOIN posts p ON p.id = o.post_id
		WHERE p.status = 'scheduled' AND o.state IN ('queued', 'retrying') AND o.next_attempt_at <= ?`,
		now.UTC().Format(timeFormat)).Scan(&n)
	return n, dbError(err)
}
