package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// The home screen reads a little of everything: the cohorts and their members,
// what members did lately, what is about to go and what waits for the coach.
// HomeFacts reads it all in one read transaction, so its numbers agree; the
// app/home package makes the screen out of them.

// HomeFacts returns what the home screen is made of (app.HomeQuery says which
// times): members' activity since Since, posts scheduled to go before Until
// (and overdue ones), every scheduled session, and what waits in the outbox
// and the inbox.
func (db *DB) HomeFacts(ctx context.Context, q app.HomeQuery) (app.HomeFacts, error) {
	since := q.Since
	var f app.HomeFacts
	tx, err := db.read(ctx)
	if err != nil {
		return f, err
	}
	defer tx.Rollback()
	steps := []func() error{
		func() (err error) { f.Cohorts, err = homeCohorts(tx); return },
		func() error {
			return dbError(tx.queryRow("SELECT EXISTS (SELECT 1 FROM curriculum)").Scan(&f.CheckIns))
		},
		func() (err error) { f.Members, err = homeMembers(tx, since); return },
		func() (err error) { f.Activity, err = activity(tx, since, 0); return },
		func() (err error) { f.Sessions, err = scheduledSessions(tx); return },
		func() (err error) { f.Posts, err = scheduledPosts(tx, q.Now, q.Until); return },
		func() (err error) { f.Outbox, err = homeOutbox(tx, q.Now, q.FailedSince); return },
		func() (err error) { f.Unread, err = cohortCounts(tx, "replies_unread", "r.read_at IS NULL"); return },
		func() (err error) {
			f.Unapproved, err = cohortCounts(tx, "replies_unapproved", "r.trust = 'unverified' AND r.approved_at IS NULL")
			return
		},
		func() error {
			return dbError(tx.queryRow("SELECT count(*) FROM replies WHERE state = 'unmatched'").Scan(&f.Unmatched))
		},
		func() (err error) { f.Bounces, err = openBounces(tx); return },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return f, err
		}
	}
	// The digest schedules are read as the digest runner reads them.
	if f.Digests, err = db.DigestCohorts(ctx); err != nil {
		return f, err
	}
	return f, nil
}

// CohortActivity returns what the members of one cohort did since since, in
// time order: the roster's sparklines.
func (db *DB) CohortActivity(ctx context.Context, cohortID int64, since time.Time) ([]app.Activity, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return activity(tx, since, cohortID)
}

// activity reads members' activity since since, in one cohort or (0) in all,
// in no particular order.
//
// Engagement is measured from what members do by their own hand: a reply, a
// check-in, being at a session. Nothing else (no tracking pixels, no rewritten
// links) exists to be counted. A check-in is a reply to a post that carries a
// lesson, or a member's "done" by mail (which enters no conversation); the
// coach's own marks are not the member speaking.
func activity(tx *tx, since time.Time, cohortID int64) ([]app.Activity, error) {
	from := utc(since)
	rows, err := tx.query(`SELECT p.cohort_id, r.client_id, r.received_at, CASE WHEN p.lesson_id IS NULL THEN 'reply' ELSE 'checkin' END
		FROM replies r JOIN posts p ON p.id = r.post_id
		WHERE r.state = 'threaded' AND r.client_id IS NOT NULL AND r.received_at >= ? AND p.cohort_id IS NOT NULL AND (? = 0 OR p.cohort_id = ?)
		UNION ALL
		SELECT cohort_id, client_id, at, 'checkin' FROM lesson_marks
		WHERE state = 'done' AND source = 'mail' AND at >= ? AND (? = 0 OR cohort_id = ?)
		UNION ALL
		SELECT s.cohort_id, a.client_id, s.start_at, 'attended' FROM session_attendees a JOIN sessions s ON s.id = a.session_id
		WHERE a.attended = 1 AND s.cohort_id IS NOT NULL AND s.start_at >= ? AND (? = 0 OR s.cohort_id = ?)`,
		from, cohortID, cohortID, from, cohortID, cohortID, from, cohortID, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.Activity
	for rows.Next() {
		var a app.Activity
		var at string
		if err := rows.Scan(&a.CohortID, &a.ClientID, &at, &a.Kind); err != nil {
			return nil, dbError(err)
		}
		a.At = parseTime(at)
		out = append(out, a)
	}
	return out, dbError(rows.Err())
}

func homeCohorts(tx *tx) ([]app.HomeCohort, error) {
	rows, err := tx.query(`SELECT id, name, kind, purpose, capacity, quiet_days,
		EXISTS (SELECT 1 FROM curriculum c WHERE c.cohort_id = cohorts.id)
		FROM cohorts WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.HomeCohort
	for rows.Next() {
		var c app.HomeCohort
		if err := rows.Scan(&c.ID, &c.Name, &c.Kind, &c.Purpose, &c.Capacity, &c.QuietDays, &c.Lessons); err != nil {
			return nil, dbError(err)
		}
		out = append(out, c)
	}
	return out, dbError(rows.Err())
}

// homeMembers reads the memberships of current cohorts that are current or
// ended after since.
func homeMembers(tx *tx, since time.Time) ([]app.HomeMember, error) {
	// Sized first: growing a slice of 10,000 members cost more than the count.
	var n int
	if err := tx.queryRow("SELECT count(*) FROM memberships").Scan(&n); err != nil {
		return nil, dbError(err)
	}
	rows, err := tx.query(`SELECT m.cohort_id, c.id, c.name, c.email, m.role, m.joined_at, m.left_at, m.delivery, c.status,
		c.archived_at IS NOT NULL, c.unsubscribed_at IS NULL AND c.bounced_at IS NULL, c.away_since IS NOT NULL, c.away_until
		FROM memberships m JOIN cohorts h ON h.id = m.cohort_id JOIN clients c ON c.id = m.client_id
		WHERE h.archived_at IS NULL AND (m.left_at IS NULL OR m.left_at >= ?)`, utc(since))
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := make([]app.HomeMember, 0, n)
	for rows.Next() {
		var m app.HomeMember
		var joined string
		var left, awayUntil sql.NullString
		if err := rows.Scan(&m.CohortID, &m.ClientID, &m.Name, &m.Email, &m.Role, &joined, &left, &m.Delivery, &m.Status,
			&m.Archived, &m.Mailable, &m.Away, &awayUntil); err != nil {
			return nil, dbError(err)
		}
		m.JoinedAt, m.LeftAt, m.AwayUntil = parseTime(joined), parseTimePtr(left), parseTimePtr(awayUntil)
		out = append(out, m)
	}
	return out, dbError(rows.Err())
}

// scheduledSessions reads the sessions not called off, enough to work out
// their occurrences (no attendees).
func scheduledSessions(tx *tx) ([]app.Session, error) {
	rows, err := tx.query(`SELECT s.id, coalesce(s.cohort_id, 0), coalesce(h.name, ''), coalesce(s.client_id, 0), coalesce(c.name, ''),
		s.title, s.start_at, s.minutes, s.time_zone, s.every_weeks, s.until_date, s.count
		FROM sessions s LEFT JOIN cohorts h ON h.id = s.cohort_id LEFT JOIN clients c ON c.id = s.client_id
		WHERE s.status = 'scheduled' AND h.archived_at IS NULL`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.Session
	for rows.Next() {
		s := app.Session{Status: app.SessionScheduled}
		var start string
		if err := rows.Scan(&s.ID, &s.CohortID, &s.Cohort, &s.ClientID, &s.Client, &s.Title, &start, &s.Minutes, &s.TimeZone,
			&s.EveryWeeks, &s.Until, &s.Count); err != nil {
			return nil, dbError(err)
		}
		s.Start = parseTime(start)
		out = append(out, s)
	}
	return out, dbError(rows.Err())
}

// scheduledPosts reads the posts scheduled to go before until whose copies
// have not all gone: later than now, or due and still waiting.
func scheduledPosts(tx *tx, now, until time.Time) ([]app.Post, error) {
	rows, err := tx.query(`SELECT p.id, p.cohort_id, h.name, p.kind, p.subject, p.send_at FROM posts p JOIN cohorts h ON h.id = p.cohort_id
		WHERE p.status = 'scheduled' AND p.send_at < ? AND h.archived_at IS NULL
		AND (p.send_at > ? OR EXISTS (SELECT 1 FROM outbox o WHERE o.post_id = p.id AND o.state IN ('queued', 'retrying')))
		ORDER BY p.send_at, p.id`, utc(until), utc(now))
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.Post
	for rows.Next() {
		p := app.Post{Status: app.PostScheduled}
		var at string
		if err := rows.Scan(&p.ID, &p.CohortID, &p.Cohort, &p.Kind, &p.Subject, &at); err != nil {
			return nil, dbError(err)
		}
		t := parseTime(at)
		p.SendAt = &t
		out = append(out, p)
	}
	return out, dbError(rows.Err())
}

// homeOutbox counts what is being sent and what waits (due now or retrying:
// the copies of a post scheduled for later are not waiting yet), and groups
// the recent failures by post and by answer.
func homeOutbox(tx *tx, now, failedSince time.Time) (app.HomeOutbox, error) {
	var o app.HomeOutbox
	if err := tx.queryRow(`SELECT (SELECT count(*) FROM outbox WHERE state IN ('queued', 'retrying') AND (state = 'retrying' OR next_attempt_at <= ?)),
		(SELECT count(*) FROM outbox WHERE state = 'sending')`, utc(now)).Scan(&o.Waiting, &o.Sending); err != nil {
		return o, dbError(err)
	}
	rows, err := tx.query(`SELECT o.post_id, p.subject, coalesce(h.name, ''), o.last_answer, count(*) FROM outbox o
		JOIN posts p ON p.id = o.post_id LEFT JOIN cohorts h ON h.id = p.cohort_id
		WHERE o.state = 'failed' AND o.updated_at >= ? GROUP BY o.post_id, o.last_answer ORDER BY max(o.updated_at) DESC`, utc(failedSince))
	if err != nil {
		return o, dbError(err)
	}
	defer rows.Close()
	o.Failed = []app.OutboxFailure{}
	for rows.Next() {
		var f app.OutboxFailure
		if err := rows.Scan(&f.PostID, &f.Subject, &f.Cohort, &f.Answer, &f.Count); err != nil {
			return o, dbError(err)
		}
		o.Failed = append(o.Failed, f)
	}
	return o, dbError(rows.Err())
}

// cohortCounts counts threaded replies that meet cond, per cohort, through
// cond's partial index. index and cond are HomeFacts' constants, never input.
func cohortCounts(tx *tx, index, cond string) ([]app.CohortCount, error) {
	// INDEXED BY: without it SQLite may read every threaded reply through
	// replies_unmatched, 25 ms at 80,000 replies instead of well under one.
	rows, err := tx.query(`SELECT h.id, h.name, count(*) FROM replies r INDEXED BY ` + index + ` JOIN posts p ON p.id = r.post_id
		JOIN cohorts h ON h.id = p.cohort_id WHERE r.state = 'threaded' AND ` + cond + ` GROUP BY h.id ORDER BY h.name COLLATE NOCASE`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.CohortCount{}
	for rows.Next() {
		var c app.CohortCount
		if err := rows.Scan(&c.CohortID, &c.Cohort, &c.Count); err != nil {
			return nil, dbError(err)
		}
		out = append(out, c)
	}
	return out, dbError(rows.Err())
}

func openBounces(tx *tx) ([]app.BounceRef, error) {
	rows, err := tx.query(`SELECT b.id, b.client_id, c.name, b.email, b.reason, b.received_at FROM suspected_bounces b
		JOIN clients c ON c.id = b.client_id WHERE b.state = 'open' ORDER BY b.received_at DESC, b.id DESC`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.BounceRef{}
	for rows.Next() {
		var b app.BounceRef
		var at string
		if err := rows.Scan(&b.ID, &b.ClientID, &b.Name, &b.Email, &b.Reason, &at); err != nil {
			return nil, dbError(err)
		}
		b.ReceivedAt = parseTime(at)
		out = append(out, b)
	}
	return out, dbError(rows.Err())
}

// LastReply returns a member's most recent reply in a cohort; ok is false when
// they never replied there.
func (db *DB) LastReply(ctx context.Context, clientID, cohortID int64) (r app.LastReply, ok bool, err error) {
	var at string
	err = db.rdb.QueryRowContext(ctx, `SELECT r.received_at, r.text, r.post_id FROM replies r JOIN posts p ON p.id = r.post_id
		WHERE r.client_id = ? AND r.state = 'threaded' AND p.cohort_id = ? ORDER BY r.received_at DESC, r.id DESC LIMIT 1`,
		clientID, cohortID).Scan(&at, &r.Text, &r.PostID)
	if err == sql.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, dbError(err)
	}
	r.At = parseTime(at)
	return r, true, nil
}

// SetQuietDays sets after how many days without a reply a member of the cohort
// counts as gone quiet; 0 returns to the default for the cohort's kind.
func (db *DB) SetQuietDays(ctx context.Context, cohortID int64, days int) error {
	if days < 0 || days > app.QuietDaysMax {
		return app.FieldErrorf(app.EINVALID, "quietDays", "Choose between 1 and %d days, or 0 for the default of the cohort's kind.", app.QuietDaysMax)
	}
	n, err := db.execCount(ctx, "UPDATE cohorts SET quiet_days = ?, updated_at = ? WHERE id = ?", days, db.now(), cohortID)
	if err == nil && n == 0 {
		err = errNoCohort
	}
	return err
}
