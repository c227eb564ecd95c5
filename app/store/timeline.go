package store

import (
	"context"
	"database/sql"

	"github.com/roundtablehq/roundtable/app"
)

// timelineSQL gathers everything that happened with one client (the ?1
// parameter) from where it is kept, one branch per kind; each branch reads
// through an index on the client, so the newest page comes at once however
// long the history.
const timelineSQL = `
SELECT m.joined_at AS at, 'joined' AS kind, h.name AS title, '' AS detail, 0 AS private, m.cohort_id AS cohort_id, 0 AS post_id,
	0 AS session_id FROM memberships m JOIN cohorts h ON h.id = m.cohort_id WHERE m.client_id = ?1
UNION ALL
SELECT m.left_at, 'left', h.name, '', 0, m.cohort_id, 0, 0 FROM memberships m JOIN cohorts h ON h.id = m.cohort_id WHERE m.client_id = ?1 AND m.left_at IS NOT NULL
UNION ALL
SELECT coalesce(o.sent_at, o.created_at), CASE p.kind WHEN 'digest' THEN 'digest' WHEN 'session' THEN 'session_mail' ELSE 'post' END,
	p.subject, o.state, 0, coalesce(p.cohort_id, 0), p.id, coalesce(p.session_id, 0)
	FROM outbox o JOIN posts p ON p.id = o.post_id WHERE o.client_id = ?1
UNION ALL
SELECT r.received_at, CASE r.state WHEN 'personal' THEN 'personal' ELSE 'reply' END, r.subject, substr(r.text, 1, 280), 0, 0,
	coalesce(r.post_id, 0), 0 FROM replies r WHERE r.client_id = ?1 AND r.state IN ('threaded', 'personal')
UNION ALL
SELECT e.at, 'mail', e.kind, e.note, 0, 0, 0, 0 FROM client_events e WHERE e.client_id = ?1
UNION ALL
SELECT s.start_at, 'session', s.title,
	CASE WHEN s.status = 'cancelled' THEN 'cancelled' WHEN a.state = 'removed' THEN 'left the cohort' ELSE a.partstat END ||
	CASE a.attended WHEN 1 THEN ', came' WHEN 0 THEN ', did not come' ELSE '' END,
	0, coalesce(s.cohort_id, 0), 0, s.id
	FROM session_attendees a JOIN sessions s ON s.id = a.session_id WHERE a.client_id = ?1
UNION ALL
SELECT s.start_at, 'note', s.title, a.note, 1, coalesce(s.cohort_id, 0), 0, s.id
	FROM session_attendees a JOIN sessions s ON s.id = a.session_id WHERE a.client_id = ?1 AND a.note <> ''
UNION ALL
SELECT s.start_at, 'note', s.title, s.note, 1, 0, 0, s.id FROM sessions s WHERE s.client_id = ?1 AND s.note <> ''
`

// Timeline returns what happened with a client, newest first: cohorts joined
// and left, what they received, their replies, sessions with their answer and
// attendance, the coach's private notes (marked private) and their mail marks.
func (db *DB) Timeline(ctx context.Context, clientID int64, f app.TimelineFilter) ([]app.TimelineEvent, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	q := "SELECT * FROM (" + timelineSQL + ") WHERE 1"
	args := []any{clientID}
	if len(f.Kinds) > 0 {
		q += " AND kind IN " + placeholders(1, len(f.Kinds))
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	run := func(cond string, condArgs ...any) ([]app.TimelineEvent, error) {
		rows, err := db.rdb.QueryContext(ctx, q+cond, append(append([]any{}, args...), condArgs...)...)
		if err != nil {
			return nil, dbError(err)
		}
		defer rows.Close()
		out := []app.TimelineEvent{}
		for rows.Next() {
			var e app.TimelineEvent
			var at sql.NullString
			if err := rows.Scan(&at, &e.Kind, &e.Title, &e.Detail, &e.Private, &e.CohortID, &e.PostID, &e.SessionID); err != nil {
				return nil, dbError(err)
			}
			e.At = parseTime(at.String)
			out = append(out, e)
		}
		return out, dbError(rows.Err())
	}
	cond, condArgs := "", []any{}
	if !f.Before.IsZero() {
		cond, condArgs = " AND at < ?", []any{f.Before.UTC().Format(timeFormat)}
	}
	out, err := run(cond+" ORDER BY at DESC, kind DESC LIMIT ?", append(condArgs, limit+1)...)
	if err != nil || len(out) <= limit {
		return out, err
	}
	// The next page starts before the last event's time. A page that ended
	// between two events of the same moment (a member joining three cohorts at
	// once) would lose the rest of that moment: it takes the whole moment.
	last := out[limit-1].At
	if !out[limit].At.Equal(last) {
		return out[:limit], nil
	}
	page := out[:0]
	for _, e := range out[:limit] {
		if e.At.After(last) {
			page = append(page, e)
		}
	}
	moment, err := run(" AND at = ? ORDER BY kind DESC", last.UTC().Format(timeFormat))
	return append(page, moment...), err
}
