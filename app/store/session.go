package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// The session methods keep live sessions and their attendees. A change that
// members must hear about (created, changed, cancelled, a member in or out) is
// written in one transaction with its mail: a post of kind 'session' and one
// outbox copy per member carrying their own calendar object, so the change and
// the invitations are never apart, whatever happens to the app.

var errNoSession = app.Errorf(app.ENOTFOUND, "There is no such session (it may have been deleted).")

// CreateSession records a session with its uid, invites the cohort's current
// members (or the client of a 1:1) and queues their invitations, written by mail.
func (db *DB) CreateSession(ctx context.Context, in app.SessionInput, uid string, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Session{}, err
	}
	defer tx.Rollback()
	now := db.now()
	res, err := tx.exec(`INSERT INTO sessions (uid, cohort_id, client_id, title, start_at, minutes, time_zone, link, location,
		agenda, every_weeks, until_date, count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		uid, nullID(in.CohortID), nullID(in.ClientID), in.Title, in.Start.UTC().Format(timeFormat), in.Minutes, in.TimeZone,
		in.Link, in.Location, in.Agenda, in.EveryWeeks, in.Until, in.Count, now, now)
	if err != nil {
		return app.Session{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	if in.CohortID != 0 {
		_, err = tx.exec(`INSERT INTO session_attendees (session_id, client_id, invited_at)
			SELECT ?, m.client_id, ? FROM memberships m WHERE m.cohort_id = ? AND m.left_at IS NULL`, id, now, in.CohortID)
	} else {
		_, err = tx.exec("INSERT INTO session_attendees (session_id, client_id, invited_at) VALUES (?, ?, ?)", id, in.ClientID, now)
	}
	if err != nil {
		return app.Session{}, dbError(err)
	}
	s, err := findSession(tx, id)
	if err != nil {
		return app.Session{}, err
	}
	if len(s.Attendees) == 0 {
		return app.Session{}, app.Errorf(app.EINVALID, "The cohort has no members yet, so there is nobody to invite. Add members first.")
	}
	if err := queueSessionMail(tx, db, s, s.Attendees, mail, newIDs); err != nil {
		return app.Session{}, err
	}
	return s, commit(tx)
}

// UpdateSession changes a session, raises its SEQUENCE and queues the update
// for everyone invited. When the time changes (start, length or repetition),
// the answers given so far are cleared: calendar apps ask their users again,
// and a "yes" to Tuesday says nothing about Wednesday.
func (db *DB) UpdateSession(ctx context.Context, id int64, in app.SessionInput, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Session{}, err
	}
	defer tx.Rollback()
	old, err := findSession(tx, id)
	if err != nil {
		return app.Session{}, err
	}
	if old.Status == app.SessionCancelled {
		return app.Session{}, app.Errorf(app.ECONFLICT, "This session is cancelled; plan a new one instead.")
	}
	if _, err := tx.exec(`UPDATE sessions SET title = ?, start_at = ?, minutes = ?, time_zone = ?, link = ?, location = ?,
		agenda = ?, every_weeks = ?, until_date = ?, count = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
		in.Title, in.Start.UTC().Format(timeFormat), in.Minutes, in.TimeZone, in.Link, in.Location, in.Agenda,
		in.EveryWeeks, in.Until, in.Count, db.now(), id); err != nil {
		return app.Session{}, dbError(err)
	}
	if !in.Start.Equal(old.Start) || in.Minutes != old.Minutes || in.EveryWeeks != old.EveryWeeks || in.Until != old.Until || in.Count != old.Count {
		if _, err := tx.exec(`UPDATE session_attendees SET partstat = 'needs-action', partstat_source = '', partstat_at = NULL
			WHERE session_id = ? AND state = 'invited'`, id); err != nil {
			return app.Session{}, dbError(err)
		}
	}
	return changed(tx, db, id, mail, newIDs)
}

// CancelSession calls a session off: status cancelled, SEQUENCE raised, and a
// cancellation queued for everyone invited.
func (db *DB) CancelSession(ctx context.Context, id int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Session{}, err
	}
	defer tx.Rollback()
	n, err := tx.exec("UPDATE sessions SET status = 'cancelled', sequence = sequence + 1, updated_at = ? WHERE id = ? AND status = 'scheduled'", db.now(), id)
	if err != nil {
		return app.Session{}, dbError(err)
	}
	if k, _ := n.RowsAffected(); k == 0 {
		if _, err := findSession(tx, id); err != nil {
			return app.Session{}, err
		}
		return app.Session{}, app.Errorf(app.ECONFLICT, "This session is cancelled already.")
	}
	return changed(tx, db, id, mail, newIDs)
}

// changed queues the mail about a changed session to everyone still invited.
func changed(tx *tx, db *DB, id int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (app.Session, error) {
	s, err := findSession(tx, id)
	if err != nil {
		return app.Session{}, err
	}
	if err := queueSessionMail(tx, db, s, invited(s.Attendees), mail, newIDs); err != nil {
		return app.Session{}, err
	}
	return s, commit(tx)
}

func invited(as []app.SessionAttendee) []app.SessionAttendee {
	var out []app.SessionAttendee
	for _, a := range as {
		if a.State == app.AttendeeInvited {
			out = append(out, a)
		}
	}
	return out
}

// InviteNewMembers invites the cohort's current members who are not attendees
// of the session yet (they joined after it was planned), queueing their
// invitations, and returns how many.
func (db *DB) InviteNewMembers(ctx context.Context, sessionID int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error) {
	return db.changeAttendees(ctx, sessionID, `INSERT INTO session_attendees (session_id, client_id, invited_at)
		SELECT s.id, m.client_id, ? FROM sessions s JOIN memberships m ON m.cohort_id = s.cohort_id AND m.left_at IS NULL
		WHERE s.id = ? AND s.status = 'scheduled'
		ON CONFLICT (session_id, client_id) DO UPDATE SET state = 'invited', invited_at = excluded.invited_at
		WHERE session_attendees.state = 'removed'
		RETURNING client_id`, mail, newIDs)
}

// RemoveFormerMembers takes the attendees who are no longer in the session's
// cohort off it and queues their cancellation, and returns how many. It raises
// the SEQUENCE (the attendee list is part of the event), so the cancellation
// outranks the invitation in the member's calendar, and a later invitation,
// should they come back, outranks the cancellation.
func (db *DB) RemoveFormerMembers(ctx context.Context, sessionID int64, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error) {
	return db.changeAttendees(ctx, sessionID, `UPDATE session_attendees SET state = 'removed', invited_at = invited_at
		WHERE session_id = (SELECT id FROM sessions WHERE id = ? AND cohort_id IS NOT NULL AND status = 'scheduled')
		AND state = 'invited' AND client_id NOT IN (SELECT m.client_id FROM memberships m JOIN sessions s ON s.cohort_id = m.cohort_id
			WHERE s.id = session_attendees.session_id AND m.left_at IS NULL)
		RETURNING client_id`, mail, newIDs)
}

// changeAttendees runs q (which returns the client ids it changed) and mails
// those clients, in one transaction.
func (db *DB) changeAttendees(ctx context.Context, sessionID int64, q string, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	args := []any{sessionID}
	if strings.HasPrefix(q, "INSERT") {
		args = []any{db.now(), sessionID}
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return 0, dbError(err)
	}
	ids := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, dbError(err)
		}
		ids[id] = true
	}
	rows.Close()
	if len(ids) == 0 {
		return 0, nil
	}
	if strings.HasPrefix(q, "UPDATE") {
		if _, err := tx.exec("UPDATE sessions SET sequence = sequence + 1, updated_at = ? WHERE id = ?", db.now(), sessionID); err != nil {
			return 0, dbError(err)
		}
	}
	s, err := findSession(tx, sessionID)
	if err != nil {
		return 0, err
	}
	var to []app.SessionAttendee
	for _, a := range s.Attendees {
		if ids[a.ClientID] {
			to = append(to, a)
		}
	}
	if err := queueSessionMail(tx, db, s, to, mail, newIDs); err != nil {
		return 0, err
	}
	return len(to), commit(tx)
}

// QueueReminder records that the reminders of minutes before the occurrence
// starting at occurrence are done for each invited attendee who has not
// declined, and queues one reminder to those for whom one of them was not done
// yet: run twice, it sends nothing the second time; after a laptop slept
// through the day-before reminder, the hour-before one goes alone.
func (db *DB) QueueReminder(ctx context.Context, sessionID int64, occurrence time.Time, minutes []int, mail app.SessionMailer, newIDs func() app.MessageIdentity) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	s, err := findSession(tx, sessionID)
	if err != nil {
		return 0, err
	}
	if s.Status != app.SessionScheduled {
		return 0, nil
	}
	var to []app.SessionAttendee
	for _, a := range invited(s.Attendees) {
		if a.RSVP == app.RSVPDeclined {
			continue
		}
		fresh := false
		for _, m := range minutes {
			res, err := tx.exec(`INSERT INTO session_reminders (session_id, client_id, occurrence, minutes, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, sessionID, a.ClientID, occurrence.UTC().Format(timeFormat), m, db.now())
			if err != nil {
				return 0, dbError(err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				fresh = true
			}
		}
		if fresh {
			to = append(to, a)
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	if err := queueSessionMail(tx, db, s, to, mail, newIDs); err != nil {
		return 0, err
	}
	return len(to), commit(tx)
}

// queueSessionMail writes the mail about s to the attendees to: one post of
// kind 'session' per distinct text (members whose copy gives the date in
// their own zone share a post with the others of that zone; a post's body is
// the same for all its copies) and one outbox copy each, with their calendar
// object. Members who unsubscribed, bounced or are archived get a skipped copy
// saying why.
func queueSessionMail(tx *tx, db *DB, s app.Session, to []app.SessionAttendee, mail app.SessionMailer, newIDs func() app.MessageIdentity) error {
	if len(to) == 0 {
		return nil
	}
	m, err := mail(s, to)
	if err != nil {
		return err
	}
	now := db.now()
	posts := map[app.SessionText]int64{}
	for _, a := range to {
		text := app.SessionText{Subject: m.Subject, Body: m.Body}
		if t, ok := m.Texts[a.ClientID]; ok {
			text = t
		}
		postID, ok := posts[text]
		if !ok {
			res, err := tx.exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, to_client_id, session_id, created_at, updated_at, queued_at)
				VALUES (?, 'session', ?, ?, 'queued', ?, ?, ?, ?, ?)`, nullID(s.CohortID), text.Subject, text.Body, nullID(s.ClientID), s.ID, now, now, now)
			if err != nil {
				return dbError(err)
			}
			postID, _ = res.LastInsertId()
			posts[text] = postID
		}
		var unsub, bounced, archived sql.NullString
		var reason string
		if err := tx.queryRow("SELECT unsubscribed_at, bounced_at, bounce_reason, archived_at FROM clients WHERE id = ?", a.ClientID).Scan(
			&unsub, &bounced, &reason, &archived); err != nil {
			return dbError(err)
		}
		skip := skipReason(unsub, bounced, reason, archived)
		state := app.OutboxQueued
		if skip != "" {
			state = app.OutboxSkipped
		}
		ids := newIDs()
		if _, err := tx.exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, bounce_token, state,
			next_attempt_at, last_answer, created_at, updated_at, calendar, calendar_method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			postID, a.ClientID, a.Name, a.Email, ids.MessageID, ids.Token, ids.BounceToken, state, now, skip, now, now,
			string(m.Calendars[a.ClientID]), m.Method); err != nil {
			return dbError(err)
		}
		if _, err := tx.exec("UPDATE clients SET unsubscribe_token = ? WHERE id = ? AND unsubscribe_token IS NULL",
			newIDs().Token, a.ClientID); err != nil {
			return dbError(err)
		}
	}
	return nil
}

// Session returns one session with its attendees.
func (db *DB) Session(ctx context.Context, id int64) (app.Session, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Session{}, err
	}
	defer tx.Rollback()
	return findSession(tx, id)
}

// SessionByUID returns the session with that iCalendar UID.
func (db *DB) SessionByUID(ctx context.Context, uid string) (app.Session, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Session{}, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.queryRow("SELECT id FROM sessions WHERE uid = ?", uid).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return app.Session{}, errNoSession
	} else if err != nil {
		return app.Session{}, dbError(err)
	}
	return findSession(tx, id)
}

// Sessions lists sessions by first start, with their attendees.
func (db *DB) Sessions(ctx context.Context, f app.SessionFilter) ([]app.Session, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ss, err := querySessions(tx, "(? = 0 OR s.cohort_id = ?) AND (? = 0 OR s.client_id = ?) ORDER BY s.start_at, s.id",
		f.CohortID, f.CohortID, f.ClientID, f.ClientID)
	if err != nil {
		return nil, err
	}
	for i := range ss {
		if ss[i].Attendees, err = attendees(tx, ss[i].ID); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

// ScheduledSessions returns the sessions not cancelled (of one cohort, or all
// with 0), without attendees: the callers decide which still lie ahead.
func (db *DB) ScheduledSessions(ctx context.Context, cohortID int64) ([]app.Session, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return querySessions(tx, "s.status = 'scheduled' AND (? = 0 OR s.cohort_id = ?) ORDER BY s.start_at, s.id", cohortID, cohortID)
}

// SetSessionReminders sets how long before each of a cohort's sessions its
// reminders go (none for an empty list).
func (db *DB) SetSessionReminders(ctx context.Context, cohortID int64, before []time.Duration) error {
	var parts []string
	for _, d := range before {
		m := int(d / time.Minute)
		if m <= 0 || m > 14*24*60 {
			return app.Errorf(app.EINVALID, "A reminder goes between a minute and two weeks before the session.")
		}
		parts = append(parts, strconv.Itoa(m))
	}
	n, err := db.execCount(ctx, "UPDATE cohorts SET session_reminders = ?, updated_at = ? WHERE id = ?", strings.Join(parts, ","), db.now(), cohortID)
	if err == nil && n == 0 {
		err = app.Errorf(app.ENOTFOUND, "There is no such cohort (it may have been deleted).")
	}
	return err
}

// SessionReminders returns how many minutes before each of a cohort's
// sessions its reminders go (a day and an hour unless the coach changed it;
// empty for none), so the window can show the setting before any session.
func (db *DB) SessionReminders(ctx context.Context, cohortID int64) ([]int, error) {
	var v string
	err := db.rdb.QueryRowContext(ctx, "SELECT session_reminders FROM cohorts WHERE id = ?", cohortID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no such cohort (it may have been deleted).")
	}
	if err != nil {
		return nil, dbError(err)
	}
	return parseMinutes(v), nil
}

// SessionTitles returns the titles of the sessions a client is invited to and
// that are not cancelled: the inbox recognises their calendar's answers by
// the subject alone, before downloading anything.
func (db *DB) SessionTitles(ctx context.Context, clientID int64) ([]string, error) {
	return queryColumn[string](ctx, db.rdb, `SELECT DISTINCT s.title FROM session_attendees a JOIN sessions s ON s.id = a.session_id
		WHERE a.client_id = ? AND a.state = 'invited' AND s.status = 'scheduled'`, clientID)
}

// SetAttendance records whether the clients came to the session.
func (db *DB) SetAttendance(ctx context.Context, sessionID int64, clientIDs []int64, attended bool) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, c := range clientIDs {
		res, err := tx.exec("UPDATE session_attendees SET attended = ? WHERE session_id = ? AND client_id = ?", attended, sessionID, c)
		if err != nil {
			return dbError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "That client was not invited to this session.")
		}
	}
	return commit(tx)
}

// SetSessionNote keeps the coach's private note on a session.
func (db *DB) SetSessionNote(ctx context.Context, sessionID int64, note string) error {
	n, err := db.execCount(ctx, "UPDATE sessions SET note = ?, updated_at = ? WHERE id = ?", note, db.now(), sessionID)
	if err == nil && n == 0 {
		err = errNoSession
	}
	return err
}

// SetAttendeeNote keeps the coach's private note on one client in a session.
func (db *DB) SetAttendeeNote(ctx context.Context, sessionID, clientID int64, note string) error {
	n, err := db.execCount(ctx, "UPDATE session_attendees SET note = ? WHERE session_id = ? AND client_id = ?", note, sessionID, clientID)
	if err == nil && n == 0 {
		err = app.Errorf(app.ENOTFOUND, "That client was not invited to this session.")
	}
	return err
}

// RecordRSVP records a member's answer to a session, and where it was read.
// An answer the coach entered is not overwritten by one read from text, which
// is a guess; a calendar's answer always counts (the member pressed a button).
func (db *DB) RecordRSVP(ctx context.Context, sessionID, clientID int64, partstat, source string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := recordRSVP(tx, sessionID, clientID, partstat, source, db.now()); err != nil {
		return err
	}
	return commit(tx)
}

func recordRSVP(tx *tx, sessionID, clientID int64, partstat, source, now string) error {
	switch partstat {
	case app.RSVPAccepted, app.RSVPDeclined, app.RSVPTentative:
	default:
		return app.Errorf(app.EINVALID, "%q is not an answer to an invitation.", partstat)
	}
	res, err := tx.exec(`UPDATE session_attendees SET partstat = ?, partstat_source = ?, partstat_at = ?
		WHERE session_id = ? AND client_id = ? AND state = 'invited' AND NOT (? = 'text' AND partstat_source = 'coach')`,
		partstat, source, now, sessionID, clientID, source)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "That client is not invited to this session.")
	}
	return nil
}

func findSession(tx *tx, id int64) (app.Session, error) {
	ss, err := querySessions(tx, "s.id = ?", id)
	if err != nil {
		return app.Session{}, err
	}
	if len(ss) == 0 {
		return app.Session{}, errNoSession
	}
	s := ss[0]
	s.Attendees, err = attendees(tx, id)
	return s, err
}

func querySessions(tx *tx, cond string, args ...any) ([]app.Session, error) {
	rows, err := tx.query(`SELECT s.id, s.uid, coalesce(s.cohort_id, 0), coalesce(h.name, ''), coalesce(s.client_id, 0),
		coalesce(c.name, ''), s.title, s.start_at, s.minutes, s.time_zone, s.link, s.location, s.agenda, s.every_weeks,
		s.until_date, s.count, s.sequence, s.status, s.note, s.created_at, s.updated_at, coalesce(h.session_reminders, '1440,60')
		FROM sessions s LEFT JOIN cohorts h ON h.id = s.cohort_id LEFT JOIN clients c ON c.id = s.client_id WHERE `+cond, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.Session{}
	for rows.Next() {
		var s app.Session
		var start, created, updated, reminders string
		if err := rows.Scan(&s.ID, &s.UID, &s.CohortID, &s.Cohort, &s.ClientID, &s.Client, &s.Title, &start, &s.Minutes,
			&s.TimeZone, &s.Link, &s.Location, &s.Agenda, &s.EveryWeeks, &s.Until, &s.Count, &s.Sequence, &s.Status, &s.Note,
			&created, &updated, &reminders); err != nil {
			return nil, dbError(err)
		}
		s.Start, s.CreatedAt, s.UpdatedAt = parseTime(start), parseTime(created), parseTime(updated)
		s.Reminders = parseMinutes(reminders)
		s.Attendees = []app.SessionAttendee{}
		out = append(out, s)
	}
	return out, dbError(rows.Err())
}

// parseMinutes reads the cohort's reminder offsets ("1440,60").
func parseMinutes(s string) []int {
	out := []int{}
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func attendees(tx *tx, sessionID int64) ([]app.SessionAttendee, error) {
	rows, err := tx.query(`SELECT a.client_id, c.name, c.email, c.time_zone, a.state, a.partstat, a.partstat_source, a.partstat_at, a.attended, a.note
		FROM session_attendees a JOIN clients c ON c.id = a.client_id WHERE a.session_id = ? ORDER BY c.sort_key, c.id`, sessionID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.SessionAttendee{}
	for rows.Next() {
		var a app.SessionAttendee
		var at sql.NullString
		var attended sql.NullBool
		if err := rows.Scan(&a.ClientID, &a.Name, &a.Email, &a.TimeZone, &a.State, &a.RSVP, &a.RSVPSource, &at, &attended, &a.Note); err != nil {
			return nil, dbError(err)
		}
		a.RSVPAt = parseTimePtr(at)
		if attended.Valid {
			v := attended.Bool
			a.Attended = &v
		}
		out = append(out, a)
	}
	return out, dbError(rows.Err())
}
