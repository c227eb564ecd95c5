package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// CreatePost saves a draft post to a cohort.
func (db *DB) CreatePost(ctx context.Context, in app.PostInput) (app.Post, error) {
	if err := checkPost(in); err != nil {
		return app.Post{}, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Post{}, err
	}
	defer tx.Rollback()
	if _, err := findCohort(tx, "h.id = ?", in.CohortID); err != nil {
		return app.Post{}, err
	}
	now := db.now()
	res, err := tx.exec(`INSERT INTO posts (cohort_id, subject, body, status, send_at, send_now, created_at, updated_at)
		VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)`, in.CohortID, strings.TrimSpace(in.Subject), in.Body, timeArg(in.SendAt), in.SendNow, now, now)
	if err != nil {
		return app.Post{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	p, err := findPost(tx, id)
	if err != nil {
		return app.Post{}, err
	}
	return p, commit(tx)
}

// UpdatePost saves edits to a draft (the autosave). A post already queued cannot
// change: its messages may be on their way.
func (db *DB) UpdatePost(ctx context.Context, id int64, in app.PostInput) (app.Post, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Post{}, err
	}
	defer tx.Rollback()
	old, err := findPost(tx, id)
	if err != nil {
		return app.Post{}, err
	}
	if old.Status != app.PostDraft {
		return app.Post{}, app.Errorf(app.ECONFLICT, "This announcement is already queued, so it can no longer be edited.")
	}
	if _, err := tx.exec(`UPDATE posts SET subject = ?, body = ?, send_at = ?, send_now = ?, updated_at = ? WHERE id = ?`,
		strings.TrimSpace(in.Subject), in.Body, timeArg(in.SendAt), in.SendNow, db.now(), id); err != nil {
		return app.Post{}, dbError(err)
	}
	p, err := findPost(tx, id)
	if err != nil {
		return app.Post{}, err
	}
	return p, commit(tx)
}

// DeleteDraft deletes a post that was never queued.
func (db *DB) DeleteDraft(ctx context.Context, id int64) error {
	n, err := db.execCount(ctx, "DELETE FROM posts WHERE id = ? AND status = 'draft'", id)
	if err == nil && n == 0 {
		return app.Errorf(app.ECONFLICT, "Only drafts can be deleted; this announcement is already queued or gone.")
	}
	return err
}

// FindPost returns one post with its outbox counts.
func (db *DB) FindPost(ctx context.Context, id int64) (app.Post, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Post{}, err
	}
	defer tx.Rollback()
	return findPost(tx, id)
}

// ListPosts returns a cohort's posts, newest first: what was written to the
// cohort, so not the coach's answers to one member (those show under the reply
// they answer), nor mail about sessions (the session shows it). With cohortID 0
// it returns every post of every cohort, answers included: the outbox lists each
// message that went.
func (db *DB) ListPosts(ctx context.Context, cohortID int64) ([]app.Post, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if cohortID == 0 {
		return queryPosts(tx, "p.kind <> 'session' ORDER BY p.id DESC")
	}
	return queryPosts(tx, "p.cohort_id = ? AND p.kind <> 'session' AND NOT (p.kind = 'reply' AND p.to_client_id IS NOT NULL) ORDER BY p.id DESC", cohortID)
}

// Recipient skip reasons: why a member of the cohort gets no copy.
func skipReason(unsubscribed, bounced sql.NullString, bounceReason string, archived sql.NullString) string {
	switch {
	case unsubscribed.Valid:
		return "Not sent: unsubscribed on " + parseTime(unsubscribed.String).Format("2 January 2006") + "."
	case bounced.Valid:
		return "Not sent: mail to this address bounced (" + bounceReason + ")."
	case archived.Valid:
		return "Not sent: the client is archived."
	}
	return ""
}

// QueuePost turns a draft into one outbox message per current member of its
// cohort, all in one transaction and before any network, so that from here on
// every member gets the message exactly once whatever happens to the app. newIDs
// gives each message its Message-ID and reply token. Members who unsubscribed,
// bounced or are archived get a skipped row that says why. A post with a later
// SendAt is queued with its messages due then.
func (db *DB) QueuePost(ctx context.Context, postID int64, newIDs func() app.MessageIdentity) (app.Post, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Post{}, err
	}
	defer tx.Rollback()
	p, err := findPost(tx, postID)
	if err != nil {
		return app.Post{}, err
	}
	if p.Status != app.PostDraft {
		return app.Post{}, app.Errorf(app.ECONFLICT, "This announcement is already on its way; it will not be sent twice.")
	}
	if err := checkPost(app.PostInput{CohortID: p.CohortID, Subject: p.Subject, Body: p.Body}); err != nil {
		return app.Post{}, err
	}
	var threadID string
	if err := tx.queryRow("SELECT thread_id FROM cohorts WHERE id = ?", p.CohortID).Scan(&threadID); err != nil {
		return app.Post{}, dbError(err)
	}
	if threadID == "" {
		threadID = newIDs().MessageID
		if _, err := tx.exec("UPDATE cohorts SET thread_id = ? WHERE id = ?", threadID, p.CohortID); err != nil {
			return app.Post{}, dbError(err)
		}
	}
	due, now, status := db.now(), db.now(), app.PostQueued
	if p.SendAt != nil && p.SendAt.After(db.Now()) {
		due, status = p.SendAt.UTC().Format(timeFormat), app.PostScheduled
	}
	rs, err := recipients(tx, postID, p.CohortID)
	if err != nil {
		return app.Post{}, err
	}
	if len(rs) == 0 {
		return app.Post{}, app.Errorf(app.EINVALID, "The cohort has no members yet, so there is nobody to send this to. Add members first.")
	}
	for _, r := range rs {
		state := app.OutboxQueued
		if r.Skip != "" {
			state = app.OutboxSkipped
		}
		ids := newIDs()
		if _, err := tx.exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, bounce_token, state,
			next_attempt_at, last_answer, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			postID, r.ClientID, r.Name, r.Email, ids.MessageID, ids.Token, ids.BounceToken, state, due, r.Skip, now, now); err != nil {
			return app.Post{}, dbError(err)
		}
		// The member's own unsubscribe token, made once (a fresh random token of
		// the same kind as the reply token).
		if _, err := tx.exec("UPDATE clients SET unsubscribe_token = ? WHERE id = ? AND unsubscribe_token IS NULL",
			newIDs().Token, r.ClientID); err != nil {
			return app.Post{}, dbError(err)
		}
	}
	if _, err := tx.exec("UPDATE posts SET status = ?, queued_at = ?, updated_at = ? WHERE id = ?", status, now, now, postID); err != nil {
		return app.Post{}, dbError(err)
	}
	p, err = findPost(tx, postID)
	if err != nil {
		return app.Post{}, err
	}
	return p, commit(tx)
}

// PostRecipients lists whom a post would go to if it were queued now, each
// with why they would get no copy ("" when they get one): the send
// confirmation's plan, by the same rule QueuePost applies.
func (db *DB) PostRecipients(ctx context.Context, postID int64) ([]app.Recipient, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findPost(tx, postID)
	if err != nil {
		return nil, err
	}
	return recipients(tx, postID, p.CohortID)
}

// recipients is the one rule for who gets a copy of a post: an answer to one
// member goes to that member only, everything else to every current member of
// the cohort. Members who unsubscribed, bounced or are archived get none, and
// nor — unless the coach sends it now to everyone — do members who take the
// cohort's posts in their digest or nothing for now; Skip says why. An answer
// to one member always goes.
func recipients(tx *tx, postID, cohortID int64) ([]app.Recipient, error) {
	var sendNow bool
	var toOne sql.NullInt64
	if err := tx.queryRow("SELECT send_now, to_client_id FROM posts WHERE id = ?", postID).Scan(&sendNow, &toOne); err != nil {
		return nil, dbError(err)
	}
	rows, err := tx.query(`SELECT c.id, c.name, c.email, c.unsubscribed_at, c.bounced_at, c.bounce_reason, c.archived_at, m.delivery
		FROM memberships m JOIN clients c ON c.id = m.client_id
		WHERE m.cohort_id = ? AND m.left_at IS NULL
		AND c.id = coalesce(?, c.id)
		ORDER BY c.sort_key, c.id`, cohortID, toOne)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	rs := []app.Recipient{}
	for rows.Next() {
		var r app.Recipient
		var unsub, bounced, archived sql.NullString
		var reason, delivery string
		if err := rows.Scan(&r.ClientID, &r.Name, &r.Email, &unsub, &bounced, &reason, &archived, &delivery); err != nil {
			return nil, dbError(err)
		}
		r.Skip = skipReason(unsub, bounced, reason, archived)
		if r.Skip == "" && !sendNow && !toOne.Valid {
			switch delivery {
			case app.DeliveryDigest:
				r.Skip = "In their next digest: they take this cohort's posts in the digest."
			case app.DeliveryNone:
				r.Skip = "Not sent: they paused mail from this cohort."
			}
		}
		rs = append(rs, r)
	}
	return rs, dbError(rows.Err())
}

// CreateReplyPost drafts the coach's answer to a member's reply: "Re:" the post's
// subject, in the member's thread, to that member only or, with toAll, to the
// whole cohort. Queue it with QueuePost.
func (db *DB) CreateReplyPost(ctx context.Context, replyID int64, body string, toAll bool) (app.Post, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Post{}, err
	}
	defer tx.Rollback()
	var cohortID, clientID int64
	var subject, messageID string
	err = tx.queryRow(`SELECT p.cohort_id, r.client_id, p.subject, m.message_id FROM replies r
		JOIN posts p ON p.id = r.post_id JOIN inbox_messages m ON m.id = r.inbox_message_id
		WHERE r.id = ? AND r.state = 'threaded' AND r.client_id IS NOT NULL`, replyID).Scan(&cohortID, &clientID, &subject, &messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Post{}, app.Errorf(app.ENOTFOUND, "That reply is not in a conversation any more, so it cannot be answered from here.")
	}
	if err != nil {
		return app.Post{}, dbError(err)
	}
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	if err := checkPost(app.PostInput{Subject: subject, Body: body}); err != nil {
		return app.Post{}, err
	}
	var to any = clientID
	if toAll {
		to = nil
	}
	now := db.now()
	res, err := tx.exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, in_reply_to, to_client_id, created_at, updated_at)
		VALUES (?, 'reply', ?, ?, 'draft', ?, ?, ?, ?)`, cohortID, subject, body, messageID, to, now, now)
	if err != nil {
		return app.Post{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	p, err := findPost(tx, id)
	if err != nil {
		return app.Post{}, err
	}
	return p, commit(tx)
}

func checkPost(in app.PostInput) error {
	if strings.TrimSpace(in.Subject) == "" {
		return app.Errorf(app.EINVALID, "Give the announcement a subject: it is the first thing members see.")
	}
	if strings.ContainsAny(in.Subject, "\r\n") {
		return app.Errorf(app.EINVALID, "The subject must be one line.")
	}
	if strings.TrimSpace(in.Body) == "" {
		return app.Errorf(app.EINVALID, "The announcement is empty; write something first.")
	}
	return nil
}

var errNoPost = app.Errorf(app.ENOTFOUND, "There is no such announcement (it may have been deleted).")

func findPost(tx *tx, id int64) (app.Post, error) {
	ps, err := queryPosts(tx, "p.id = ?", id)
	if err != nil {
		return app.Post{}, err
	}
	if len(ps) == 0 {
		return app.Post{}, errNoPost
	}
	return ps[0], nil
}

func queryPosts(tx *tx, cond string, args ...any) ([]app.Post, error) {
	rows, err := tx.query(`SELECT p.id, coalesce(p.cohort_id, 0), coalesce(h.name, ''), p.kind, p.subject, p.body, p.status, p.send_at,
		p.created_at, p.updated_at, p.queued_at, p.send_now,
		coalesce((SELECT group_concat(state || ':' || n) FROM (SELECT state, count(*) AS n FROM outbox WHERE post_id = p.id GROUP BY state)), '')
		FROM posts p LEFT JOIN cohorts h ON h.id = p.cohort_id WHERE `+cond, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.Post{}
	for rows.Next() {
		var p app.Post
		var sendAt, queued sql.NullString
		var created, updated, counts string
		if err := rows.Scan(&p.ID, &p.CohortID, &p.Cohort, &p.Kind, &p.Subject, &p.Body, &p.Status, &sendAt,
			&created, &updated, &queued, &p.SendNow, &counts); err != nil {
			return nil, dbError(err)
		}
		p.SendAt, p.QueuedAt = parseTimePtr(sendAt), parseTimePtr(queued)
		p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
		p.Counts = parseCounts(counts)
		out = append(out, p)
	}
	return out, dbError(rows.Err())
}

func parseCounts(s string) map[string]int {
	m := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, ":")
		if !ok {
			continue
		}
		n := 0
		for _, d := range v {
			n = n*10 + int(d-'0')
		}
		m[k] = n
	}
	return m
}

func timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(timeFormat)
}
