package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/roundtablehq/roundtable/app"
)

// How a client is mailed changes on evidence — an unsubscribe request, a
// delivery report — and every change is written to client_events with that
// evidence, so the coach can see when and why, and undo it.

// UnsubscribeConfirmSubject and UnsubscribeConfirmBody are the message that asks a
// member to confirm an unsubscribe request Roundtable could not prove was theirs.
const (
	UnsubscribeConfirmSubject = "Please confirm: stop receiving these emails?"
	UnsubscribeConfirmBody    = "Hello {{first_name}},\n\n" +
		"Someone asked to stop the emails from {{cohort}} to {{email}}, but I could not tell for sure that it was you.\n\n" +
		"**If it was you, just reply to this message** (there is no need to write anything) and you will receive nothing more.\n\n" +
		"If it was not you, ignore this message and nothing changes.\n\n{{coach_name}}"
)

func addEvent(tx *tx, clientID int64, kind, note, at string) error {
	_, err := tx.exec("INSERT INTO client_events (client_id, at, kind, note) VALUES (?, ?, ?, ?)", clientID, at, kind, note)
	return dbError(err)
}

// unsubscribe acts on an imported unsubscribe request. A proven request (from
// the member's own verified address with their unsubscribe token), or the
// member's answer to a confirmation, unsubscribes at once. Any other asks the
// member first: a confirmation message is queued in the same transaction, so a
// request is never recorded without its question, and the coach sees it pending.
func (db *DB) unsubscribe(tx *tx, in app.IncomingMail) error {
	now := db.now()
	var unsubscribed, pending sql.NullString
	if err := tx.queryRow("SELECT unsubscribed_at, unsubscribe_requested_at FROM clients WHERE id = ?", in.ClientID).Scan(
		&unsubscribed, &pending); err != nil {
		return dbError(err)
	}
	if unsubscribed.Valid {
		return nil
	}
	if in.Proven || in.Confirms {
		if _, err := tx.exec(`UPDATE clients SET unsubscribed_at = ?, unsubscribe_requested_at = NULL,
			unsubscribe_confirm_token = NULL, updated_at = ? WHERE id = ?`, now, now, in.ClientID); err != nil {
			return dbError(err)
		}
		return addEvent(tx, in.ClientID, "unsubscribed", in.Reason, now)
	}
	if pending.Valid {
		return addEvent(tx, in.ClientID, "unsubscribe requested", in.Reason+" (a confirmation was already asked for)", now)
	}
	// The question goes in the cohort the member was last mailed in.
	var cohortID int64
	err := tx.queryRow(`SELECT p.cohort_id FROM outbox o JOIN posts p ON p.id = o.post_id
		WHERE o.client_id = ? AND o.state NOT IN ('skipped', 'canceled', 'failed') ORDER BY o.id DESC LIMIT 1`, in.ClientID).Scan(&cohortID)
	if errors.Is(err, sql.ErrNoRows) {
		return addEvent(tx, in.ClientID, "unsubscribe requested", in.Reason+" (nothing was ever sent to them, so nothing was asked)", now)
	}
	if err != nil {
		return dbError(err)
	}
	email, err := queueNotice(tx, in, cohortID, UnsubscribeConfirmSubject, UnsubscribeConfirmBody, now)
	if err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE clients SET unsubscribe_requested_at = ?, unsubscribe_confirm_token = ?, updated_at = ? WHERE id = ?",
		now, in.ConfirmIDs.Token, now, in.ClientID); err != nil {
		return dbError(err)
	}
	return addEvent(tx, in.ClientID, "unsubscribe requested", in.Reason+"; asked "+email+" to confirm by email", now)
}

// queueNotice queues a message from the coach to one member, in reply to the
// mail being imported (an unsubscribe question, a delivery change confirmed),
// in the same transaction as what it answers. It returns the member's address.
func queueNotice(tx *tx, in app.IncomingMail, cohortID int64, subject, body, now string) (string, error) {
	var name, email string
	if err := tx.queryRow("SELECT name, email FROM clients WHERE id = ?", in.ClientID).Scan(&name, &email); err != nil {
		return "", dbError(err)
	}
	res, err := tx.exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, in_reply_to, to_client_id, created_at, updated_at, queued_at)
		VALUES (?, 'reply', ?, ?, 'queued', ?, ?, ?, ?, ?)`, cohortID, subject, body, in.MessageID, in.ClientID, now, now, now)
	if err != nil {
		return "", dbError(err)
	}
	postID, _ := res.LastInsertId()
	ids := in.ConfirmIDs
	if _, err := tx.exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, bounce_token, state,
		next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
		postID, in.ClientID, name, email, ids.MessageID, ids.Token, ids.BounceToken, now, now, now); err != nil {
		return "", dbError(err)
	}
	return email, nil
}

// deliveryOf maps a member's one-word command to a delivery mode.
var deliveryOf = map[string]string{"digest": app.DeliveryDigest, "individual": app.DeliveryIndividual, "pause": app.DeliveryNone}

// applyCommand changes how the member gets the cohort's mail, as they asked by
// email, records it in their history, and confirms it to them by email.
func (db *DB) applyCommand(tx *tx, in app.IncomingMail) error {
	mode, ok := deliveryOf[in.Command]
	if !ok {
		return app.Errorf(app.EINVALID, "%q is not a delivery command.", in.Command)
	}
	now := db.now()
	res, err := tx.exec("UPDATE memberships SET delivery = ? WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL",
		mode, in.CohortID, in.ClientID)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return addEvent(tx, in.ClientID, "delivery unchanged", in.Reason+", but they are no longer in that cohort", now)
	}
	if _, err := queueNotice(tx, in, in.CohortID, in.ConfirmSubject, in.ConfirmBody, now); err != nil {
		return err
	}
	return addEvent(tx, in.ClientID, "delivery changed", in.Reason+": now "+mode, now)
}

// Resubscribe undoes an unsubscribe (or drops a pending request): the coach's
// decision, recorded in the client's history with their note.
func (db *DB) Resubscribe(ctx context.Context, clientID int64, note string) error {
	return db.changeMailStatus(ctx, clientID, func(tx *tx, now string) (bool, error) {
		res, err := tx.exec(`UPDATE clients SET unsubscribed_at = NULL, unsubscribe_requested_at = NULL,
			unsubscribe_confirm_token = NULL, updated_at = ? WHERE id = ?
			AND (unsubscribed_at IS NOT NULL OR unsubscribe_requested_at IS NOT NULL)`, now, clientID)
		if err != nil {
			return false, dbError(err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return false, app.Errorf(app.ECONFLICT, "This client is not unsubscribed.")
		}
		return true, addEvent(tx, clientID, "resubscribed", noteOr(note, "by you"), now)
	})
}

// ConfirmSuspectedBounce accepts a suspected bounce as real: the address is
// marked bouncing and sending to it stops.
func (db *DB) ConfirmSuspectedBounce(ctx context.Context, id int64) error {
	return db.decideBounce(ctx, id, "confirmed")
}

// DismissSuspectedBounce sets a suspected bounce aside: nothing changes for
// the client.
func (db *DB) DismissSuspectedBounce(ctx context.Context, id int64) error {
	return db.decideBounce(ctx, id, "dismissed")
}

func (db *DB) decideBounce(ctx context.Context, id int64, state string) error {
	var clientID int64
	var reason, email string
	err := db.rdb.QueryRowContext(ctx, "SELECT client_id, reason, email FROM suspected_bounces WHERE id = ? AND state = 'open'", id).Scan(
		&clientID, &reason, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENOTFOUND, "That delivery report was already dealt with (or deleted).")
	}
	if err != nil {
		return dbError(err)
	}
	return db.changeMailStatus(ctx, clientID, func(tx *tx, now string) (bool, error) {
		res, err := tx.exec("UPDATE suspected_bounces SET state = ?, decided_at = ? WHERE id = ? AND state = 'open'", state, now, id)
		if err != nil {
			return false, dbError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return false, app.Errorf(app.ECONFLICT, "That delivery report was already dealt with.")
		}
		if state == "confirmed" {
			if _, err := tx.exec("UPDATE clients SET bounced_at = ?, bounce_reason = ?, updated_at = ? WHERE id = ?",
				now, reason, now, clientID); err != nil {
				return false, dbError(err)
			}
		}
		return true, addEvent(tx, clientID, "bounce "+state, "a delivery report from "+email+": "+reason, now)
	})
}

func (db *DB) changeMailStatus(ctx context.Context, clientID int64, change func(tx *tx, now string) (bool, error)) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findClientByID(tx, clientID); err != nil {
		return err
	}
	if _, err := change(tx, db.now()); err != nil {
		return err
	}
	return commit(tx)
}

func noteOr(note, fallback string) string {
	if note == "" {
		return fallback
	}
	return note
}

// ClientByUnsubscribeToken returns the client whose own unsubscribe token this is.
func (db *DB) ClientByUnsubscribeToken(ctx context.Context, token string) (app.Client, error) {
	var id int64
	err := db.rdb.QueryRowContext(ctx, "SELECT id FROM clients WHERE unsubscribe_token = ?", token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Client{}, app.Errorf(app.ENOTFOUND, "No client has that unsubscribe token.")
	}
	if err != nil {
		return app.Client{}, dbError(err)
	}
	return db.FindClientByID(ctx, id)
}

// SentByBounceToken returns the copy whose envelope sender carried this bounce token.
func (db *DB) SentByBounceToken(ctx context.Context, token string) (app.SentRef, error) {
	if token == "" {
		return app.SentRef{}, app.Errorf(app.ENOTFOUND, "Roundtable sent no such message.")
	}
	return db.sentRef(ctx, "o.bounce_token = ?", token)
}

// mailHistory returns the client's mail events, newest first.
func mailHistory(ctx context.Context, db *DB, clientID int64) ([]app.ClientEvent, error) {
	rows, err := db.rdb.QueryContext(ctx, "SELECT at, kind, note FROM client_events WHERE client_id = ? ORDER BY at DESC, id DESC", clientID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.ClientEvent{}
	for rows.Next() {
		var e app.ClientEvent
		var at string
		if err := rows.Scan(&at, &e.Kind, &e.Note); err != nil {
			return nil, dbError(err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, dbError(rows.Err())
}

// openSuspectedBounce returns the newest suspected bounce waiting for the coach.
func openSuspectedBounce(ctx context.Context, db *DB, clientID int64) (*app.SuspectedBounce, error) {
	var b app.SuspectedBounce
	var received string
	err := db.rdb.QueryRowContext(ctx, `SELECT id, email, subject, reason, text, received_at FROM suspected_bounces
		WHERE client_id = ? AND state = 'open' ORDER BY id DESC LIMIT 1`, clientID).Scan(&b.ID, &b.Email, &b.Subject, &b.Reason, &b.Text, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError(err)
	}
	b.ReceivedAt = parseTime(received)
	return &b, nil
}

// ClientUnsubscribeToken returns the client's own unsubscribe token, "" while
// nothing was queued for them yet.
func (db *DB) ClientUnsubscribeToken(ctx context.Context, clientID int64) (string, error) {
	var tok sql.NullString
	err := db.rdb.QueryRowContext(ctx, "SELECT unsubscribe_token FROM clients WHERE id = ?", clientID).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) {
		return "", app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	return tok.String, dbError(err)
}

// ClientsConfirmingUnsubscribe returns the clients asked by email to confirm an
// unsubscribe who have not answered yet: only their mail can be that answer.
func (db *DB) ClientsConfirmingUnsubscribe(ctx context.Context) ([]int64, error) {
	return queryColumn[int64](ctx, db.rdb, "SELECT id FROM clients WHERE unsubscribe_confirm_token IS NOT NULL")
}
