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

// The content methods keep the lesson library, each cohort's curriculum, what
// was released to whom and the check-ins. A release is written in the same
// transaction as the member's outbox copy (or, for members who take the
// cohort's posts in their digest, before the digest that carries it), so a
// lesson goes to a member once whatever happens to the app.

var errNoLesson = app.Errorf(app.ENOTFOUND, "There is no such lesson in the library (see `roundtable lessons list`).")

const lessonColumns = "l.id, l.slug, l.title, l.module, l.position, l.body, l.checkin, l.ask_done, l.updated_at"

func scanLesson(s interface{ Scan(...any) error }) (app.Lesson, error) {
	var l app.Lesson
	var updated string
	err := s.Scan(&l.ID, &l.Slug, &l.Title, &l.Module, &l.Order, &l.Body, &l.CheckIn, &l.AskDone, &updated)
	l.UpdatedAt = parseTime(updated)
	return l, err
}

// Lessons returns the library in the coach's order: by order, then title.
func (db *DB) Lessons(ctx context.Context) ([]app.Lesson, error) {
	rows, err := db.rdb.QueryContext(ctx, "SELECT "+lessonColumns+" FROM lessons l ORDER BY l.position, l.title COLLATE NOCASE, l.id")
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.Lesson{}
	for rows.Next() {
		l, err := scanLesson(rows)
		if err != nil {
			return nil, dbError(err)
		}
		out = append(out, l)
	}
	return out, dbError(rows.Err())
}

// FindLessonByTitle returns the lesson with this title (ignoring case).
func (db *DB) FindLessonByTitle(ctx context.Context, title string) (app.Lesson, error) {
	l, err := scanLesson(db.rdb.QueryRowContext(ctx, "SELECT "+lessonColumns+" FROM lessons l WHERE l.title = ? COLLATE NOCASE",
		strings.TrimSpace(title)))
	if errors.Is(err, sql.ErrNoRows) {
		return l, app.Errorf(app.ENOTFOUND, "There is no lesson called %q in the library (see `roundtable lessons list`).", title)
	}
	return l, dbError(err)
}

// UpsertLessons writes lessons into the library in one transaction: a lesson
// with the same slug (its file's name), or else the same title, is updated in
// place, never duplicated. A lesson already released keeps what members
// received; the lesson's post carries the new text to those who get it later.
func (db *DB) UpsertLessons(ctx context.Context, ins []app.LessonInput) (app.LessonImport, error) {
	var sum app.LessonImport
	tx, err := db.begin(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	for _, in := range ins {
		if in.Slug == "" {
			in.Slug = app.LessonSlug(in.Title)
		}
		old, err := scanLesson(tx.queryRow("SELECT "+lessonColumns+" FROM lessons l WHERE l.slug = ? OR l.title = ? COLLATE NOCASE ORDER BY l.slug = ? DESC LIMIT 1",
			in.Slug, in.Title, in.Slug))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := insertLesson(tx, in); err != nil {
				return sum, err
			}
			sum.Created++
		case err != nil:
			return sum, dbError(err)
		case old.Slug == in.Slug && old.Title == in.Title && old.Module == in.Module && old.Order == in.Order &&
			old.Body == in.Body && old.CheckIn == in.CheckIn && old.AskDone == in.AskDone:
			sum.Unchanged++
		default:
			if err := updateLesson(tx, old.ID, in); err != nil {
				return sum, err
			}
			sum.Updated++
		}
	}
	return sum, commit(tx)
}

// SaveLesson creates (id 0) or changes a lesson of the library. A released
// lesson's change reaches the members it is released to from now on; with
// correction, the members who already received it get the corrected lesson
// in a mail of its own ("Correction: TITLE"), queued in the same transaction.
// It returns the lesson and how many corrections were queued.
func (db *DB) SaveLesson(ctx context.Context, id int64, in app.LessonInput, correction bool, newIDs func() app.MessageIdentity) (app.Lesson, int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Lesson{}, 0, err
	}
	defer tx.Rollback()
	if in.Slug == "" && id != 0 {
		// Renamed in the window: its file keeps its name.
		if old, err := findLesson(tx, id); err == nil {
			in.Slug = old.Slug
		}
	}
	if in.Slug == "" {
		in.Slug = app.LessonSlug(in.Title)
	}
	if id == 0 {
		if id, err = insertLesson(tx, in); err != nil {
			return app.Lesson{}, 0, err
		}
	} else if err := updateLesson(tx, id, in); err != nil {
		return app.Lesson{}, 0, err
	}
	l, err := findLesson(tx, id)
	if err != nil {
		return l, 0, err
	}
	n := 0
	if correction {
		if n, err = queueCorrections(tx, l, newIDs); err != nil {
			return l, 0, err
		}
	}
	return l, n, commit(tx)
}

func findLesson(tx *tx, id int64) (app.Lesson, error) {
	l, err := scanLesson(tx.queryRow("SELECT "+lessonColumns+" FROM lessons l WHERE l.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, errNoLesson
	}
	return l, dbError(err)
}

func insertLesson(tx *tx, in app.LessonInput) (int64, error) {
	if err := app.CheckLesson(in); err != nil {
		return 0, err
	}
	now := tx.db.now()
	res, err := tx.exec(`INSERT INTO lessons (slug, title, module, position, body, checkin, ask_done, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Slug, in.Title, in.Module, in.Order, in.Body, in.CheckIn, in.AskDone, now, now)
	if err != nil {
		return 0, lessonConflict(err, in)
	}
	return res.LastInsertId()
}

// updateLesson changes a lesson and the text of the posts that carry it to the
// members who get it from now on (and to copies not sent yet).
func updateLesson(tx *tx, id int64, in app.LessonInput) error {
	if err := app.CheckLesson(in); err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE lessons SET slug = ?, title = ?, module = ?, position = ?, body = ?, checkin = ?, ask_done = ?,
		updated_at = ? WHERE id = ?`, in.Slug, in.Title, in.Module, in.Order, in.Body, in.CheckIn, in.AskDone, tx.db.now(), id)
	if err != nil {
		return lessonConflict(err, in)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoLesson
	}
	l, err := findLesson(tx, id)
	if err != nil {
		return err
	}
	subject, body := app.LessonMail(l)
	_, err = tx.exec("UPDATE posts SET subject = ?, body = ?, updated_at = ? WHERE id IN (SELECT post_id FROM curriculum WHERE lesson_id = ?)",
		subject, body, tx.db.now(), id)
	return dbError(err)
}

func lessonConflict(err error, in app.LessonInput) error {
	if strings.Contains(err.Error(), "UNIQUE") {
		if strings.Contains(err.Error(), "slug") {
			return app.FieldErrorf(app.ECONFLICT, "slug", "Another lesson already has the file name %q.", in.Slug+".md")
		}
		return app.FieldErrorf(app.ECONFLICT, "title", "There is already a lesson called %q.", in.Title)
	}
	return dbError(err)
}

// queueCorrections mails the corrected lesson to every member it was released
// to, in each cohort, as a post of its own that names the lesson (so a reply
// to it is still the lesson's check-in).
func queueCorrections(tx *tx, l app.Lesson, newIDs func() app.MessageIdentity) (int, error) {
	rows, err := tx.query(`SELECT r.cohort_id, r.client_id, c.name, c.email FROM lesson_releases r JOIN clients c ON c.id = r.client_id
		JOIN memberships m ON m.cohort_id = r.cohort_id AND m.client_id = r.client_id AND m.left_at IS NULL
		WHERE r.lesson_id = ? AND c.archived_at IS NULL AND c.unsubscribed_at IS NULL AND c.bounced_at IS NULL
		ORDER BY r.cohort_id, c.sort_key, c.id`, l.ID)
	if err != nil {
		return 0, dbError(err)
	}
	type to struct {
		cohort, client int64
		name, email    string
	}
	var tos []to
	for rows.Next() {
		var t to
		if err := rows.Scan(&t.cohort, &t.client, &t.name, &t.email); err != nil {
			rows.Close()
			return 0, dbError(err)
		}
		tos = append(tos, t)
	}
	rows.Close()
	subject, body := app.LessonMail(l)
	posts := map[int64]int64{}
	for _, t := range tos {
		postID, ok := posts[t.cohort]
		if !ok {
			if postID, err = insertLessonPost(tx, t.cohort, []int64{l.ID}, 0, "Correction: "+subject, body, newIDs); err != nil {
				return 0, err
			}
			posts[t.cohort] = postID
		}
		if err := queueCopy(tx, postID, t.client, t.name, t.email, newIDs); err != nil {
			return 0, err
		}
	}
	return len(tos), nil
}

// insertLessonPost writes a queued post that carries lessons (the last one
// names it) to a cohort (toClient 0) or to one member, with the lessons'
// files, making the cohort's thread when it has none.
func insertLessonPost(tx *tx, cohortID int64, lessonIDs []int64, toClient int64, subject, body string, newIDs func() app.MessageIdentity) (int64, error) {
	lessonID := lessonIDs[len(lessonIDs)-1]
	if _, err := tx.exec("UPDATE cohorts SET thread_id = ? WHERE id = ? AND thread_id = ''", newIDs().MessageID, cohortID); err != nil {
		return 0, dbError(err)
	}
	now := tx.db.now()
	res, err := tx.exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, created_at, updated_at, queued_at, to_client_id, lesson_id)
		VALUES (?, 'announcement', ?, ?, 'queued', ?, ?, ?, ?, ?)`, cohortID, subject, body, now, now, now, nullID(toClient), lessonID)
	if err != nil {
		return 0, dbError(err)
	}
	postID, _ := res.LastInsertId()
	for _, id := range lessonIDs {
		if _, err := tx.exec(`INSERT INTO post_attachments (post_id, filename, content_type, size, data, created_at)
			SELECT ?, filename, content_type, size, data, ? FROM lesson_attachments WHERE lesson_id = ? ORDER BY id`, postID, now, id); err != nil {
			return 0, dbError(err)
		}
	}
	return postID, nil
}

// AddLessonAttachment attaches a file to a lesson, and to the posts that carry
// it in cohorts (copies sent from now on carry it). It refuses a file that
// would take the lesson's files past app.AttachmentLimitBytes.
func (db *DB) AddLessonAttachment(ctx context.Context, lessonID int64, filename, contentType string, data []byte) (app.PostAttachment, error) {
	filename = strings.TrimSpace(filename)
	tx, err := db.begin(ctx)
	if err != nil {
		return app.PostAttachment{}, err
	}
	defer tx.Rollback()
	if _, err := findLesson(tx, lessonID); err != nil {
		return app.PostAttachment{}, err
	}
	if err := attachmentFits(tx, "SELECT coalesce(sum(size), 0) FROM lesson_attachments WHERE lesson_id = ?", lessonID, filename, len(data)); err != nil {
		return app.PostAttachment{}, err
	}
	now := db.now()
	res, err := tx.exec(`INSERT INTO lesson_attachments (lesson_id, filename, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		lessonID, filename, contentType, len(data), data, now)
	if err != nil {
		return app.PostAttachment{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	if _, err := tx.exec(`INSERT INTO post_attachments (post_id, filename, content_type, size, data, created_at)
		SELECT post_id, ?, ?, ?, ?, ? FROM curriculum WHERE lesson_id = ? AND post_id IS NOT NULL`,
		filename, contentType, len(data), data, now, lessonID); err != nil {
		return app.PostAttachment{}, dbError(err)
	}
	return app.PostAttachment{ID: id, Filename: filename, ContentType: contentType, Size: int64(len(data))}, commit(tx)
}

// RemoveLessonAttachment takes a file off a lesson, and off the posts that
// carry it (copies already sent keep it).
func (db *DB) RemoveLessonAttachment(ctx context.Context, lessonID, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var filename string
	var size int64
	err = tx.queryRow("SELECT filename, size FROM lesson_attachments WHERE id = ? AND lesson_id = ?", id, lessonID).Scan(&filename, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENOTFOUND, "That file is not attached to this lesson.")
	}
	if err != nil {
		return dbError(err)
	}
	if _, err := tx.exec("DELETE FROM lesson_attachments WHERE id = ?", id); err != nil {
		return dbError(err)
	}
	if _, err := tx.exec(`DELETE FROM post_attachments WHERE post_id IN (SELECT post_id FROM curriculum WHERE lesson_id = ?)
		AND filename = ? AND size = ?`, lessonID, filename, size); err != nil {
		return dbError(err)
	}
	return commit(tx)
}

// LessonAttachments lists a lesson's files without their bytes (PostID is 0).
func (db *DB) LessonAttachments(ctx context.Context, lessonID int64) ([]app.PostAttachment, error) {
	rows, err := db.rdb.QueryContext(ctx, "SELECT id, filename, content_type, size FROM lesson_attachments WHERE lesson_id = ? ORDER BY id", lessonID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.PostAttachment{}
	for rows.Next() {
		var a app.PostAttachment
		if err := rows.Scan(&a.ID, &a.Filename, &a.ContentType, &a.Size); err != nil {
			return nil, dbError(err)
		}
		out = append(out, a)
	}
	return out, dbError(rows.Err())
}

// queueCopy queues one member's copy of a post, due now, and gives the member
// their unsubscribe token if they have none yet.
func queueCopy(tx *tx, postID, clientID int64, name, email string, newIDs func() app.MessageIdentity) error {
	ids, now := newIDs(), tx.db.now()
	if _, err := tx.exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, bounce_token, state,
		next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
		postID, clientID, name, email, ids.MessageID, ids.Token, ids.BounceToken, now, now, now); err != nil {
		return dbError(err)
	}
	_, err := tx.exec("UPDATE clients SET unsubscribe_token = ? WHERE id = ? AND unsubscribe_token IS NULL", newIDs().Token, clientID)
	return dbError(err)
}

// SetCurriculum sets when a lesson is released in a cohort (adding it to the
// curriculum, or moving it). Members who received it keep it; a lesson moved
// earlier goes at the next run to those it became due for.
func (db *DB) SetCurriculum(ctx context.Context, in app.CurriculumInput) error {
	var hour any
	if in.Hour != nil {
		hour = *in.Hour
	}
	_, err := db.execCount(ctx, `INSERT INTO curriculum (cohort_id, lesson_id, rule, on_date, day, hour, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (cohort_id, lesson_id) DO UPDATE SET rule = excluded.rule, on_date = excluded.on_date, day = excluded.day,
		hour = excluded.hour, updated_at = excluded.updated_at`, in.CohortID, in.LessonID, in.Rule, in.Date, in.Day, hour, db.now())
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return app.Errorf(app.ENOTFOUND, "There is no such cohort or lesson.")
	}
	return err
}

// RemoveFromCurriculum takes a lesson out of a cohort's curriculum: it is
// released to nobody else there; what was released and answered stays.
func (db *DB) RemoveFromCurriculum(ctx context.Context, cohortID, lessonID int64) error {
	n, err := db.execCount(ctx, "DELETE FROM curriculum WHERE cohort_id = ? AND lesson_id = ?", cohortID, lessonID)
	if err == nil && n == 0 {
		err = app.Errorf(app.ENOTFOUND, "That lesson is not in this cohort's curriculum.")
	}
	return err
}

// SetLateJoiners sets what a member joining after lessons were due gets
// (app.LateCatchUp or app.LateNext).
func (db *DB) SetLateJoiners(ctx context.Context, cohortID int64, rule string) error {
	if rule != app.LateCatchUp && rule != app.LateNext {
		return app.Errorf(app.EINVALID, "Choose catch-up (every lesson already due, in one welcome mail) or next (only the lessons to come).")
	}
	n, err := db.execCount(ctx, "UPDATE cohorts SET late_joiners = ?, updated_at = ? WHERE id = ?", rule, db.now(), cohortID)
	if err == nil && n == 0 {
		err = errNoCohort
	}
	return err
}

// SetJoinDate records the day members joined the cohort (YYYY-MM-DD, past or
// future), for members who started elsewhere: join-day lessons count from it.
func (db *DB) SetJoinDate(ctx context.Context, cohortID int64, clientIDs []int64, date string) error {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return app.Errorf(app.EINVALID, "Give the join date as YYYY-MM-DD (%q is not one).", date)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range clientIDs {
		res, err := tx.exec("UPDATE memberships SET joined_on = ?, joined_at = ? WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL",
			date, utc(d), cohortID, id)
		if err != nil {
			return dbError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "One of them is not a member of this cohort; nothing was changed.")
		}
	}
	return commit(tx)
}

// Curriculum returns a cohort's curriculum, each entry with how many members
// it was released to (Described is left for package content).
func (db *DB) Curriculum(ctx context.Context, cohortID int64) (app.Curriculum, error) {
	cur := app.Curriculum{CohortID: cohortID, Entries: []app.CurriculumEntry{}}
	err := db.rdb.QueryRowContext(ctx, "SELECT name, start_date, late_joiners FROM cohorts WHERE id = ?", cohortID).Scan(
		&cur.Cohort, &cur.StartDate, &cur.LateJoiners)
	if errors.Is(err, sql.ErrNoRows) {
		return cur, errNoCohort
	}
	if err != nil {
		return cur, dbError(err)
	}
	tx, err := db.read(ctx)
	if err != nil {
		return cur, err
	}
	defer tx.Rollback()
	if cur.Entries, _, err = curriculumEntries(tx, "k.cohort_id = ?", cohortID); err != nil {
		return cur, err
	}
	released := map[int64]int{}
	if err := eachRow(tx, "SELECT 0, lesson_id, NULL, count(*) FROM lesson_releases WHERE cohort_id = ? GROUP BY lesson_id", cohortID,
		func(_, lesson int64, _ sql.NullString, n int64) { released[lesson] = int(n) }); err != nil {
		return cur, err
	}
	for i := range cur.Entries {
		cur.Entries[i].Released = released[cur.Entries[i].LessonID]
	}
	return cur, nil
}

// curriculumEntries reads curriculum entries, in the order of their lessons,
// and beside them each one's cohort.
func curriculumEntries(tx *tx, cond string, args ...any) (out []app.CurriculumEntry, cohorts []int64, err error) {
	rows, err := tx.query(`SELECT k.cohort_id, k.lesson_id, l.title, l.module, l.position, k.rule, k.on_date, k.day, k.hour
		FROM curriculum k JOIN lessons l ON l.id = k.lesson_id WHERE `+cond+` ORDER BY k.cohort_id, l.position, l.title COLLATE NOCASE, l.id`, args...)
	if err != nil {
		return nil, nil, dbError(err)
	}
	defer rows.Close()
	out = []app.CurriculumEntry{}
	for rows.Next() {
		var e app.CurriculumEntry
		var cohortID int64
		var hour sql.NullInt64
		if err := rows.Scan(&cohortID, &e.LessonID, &e.Lesson, &e.Module, &e.Order, &e.Rule, &e.Date, &e.Day, &hour); err != nil {
			return nil, nil, dbError(err)
		}
		if hour.Valid {
			h := int(hour.Int64)
			e.Hour = &h
		}
		out = append(out, e)
		cohorts = append(cohorts, cohortID)
	}
	return out, cohorts, dbError(rows.Err())
}

// ReleaseCohorts returns the cohorts (not archived) with a curriculum, each
// with its entries, start date, late-joiner rule and digest setting: what
// every run of run-due reads first, in two queries whatever the number of
// cohorts.
func (db *DB) ReleaseCohorts(ctx context.Context) ([]app.ReleaseCohort, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(`SELECT h.id, h.name, h.start_date, h.late_joiners, h.digest_every, h.digest_weekday, h.digest_hour,
		h.digest_member_local FROM cohorts h WHERE h.archived_at IS NULL AND EXISTS (SELECT 1 FROM curriculum k WHERE k.cohort_id = h.id)
		ORDER BY h.id`)
	if err != nil {
		return nil, dbError(err)
	}
	var out []app.ReleaseCohort
	at := map[int64]int{}
	for rows.Next() {
		var c app.ReleaseCohort
		d := &c.Digest
		if err := rows.Scan(&c.ID, &c.Name, &c.StartDate, &c.LateJoiners, &d.Every, &d.Weekday, &d.Hour, &d.MemberLocal); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		at[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if len(out) == 0 {
		return nil, dbError(rows.Err())
	}
	entries, cohorts, err := curriculumEntries(tx, "k.cohort_id IN (SELECT id FROM cohorts WHERE archived_at IS NULL)")
	if err != nil {
		return nil, err
	}
	for k, e := range entries {
		if i, ok := at[cohorts[k]]; ok {
			out[i].Entries = append(out[i].Entries, e)
		}
	}
	return out, nil
}

// ReleaseMembers returns the cohort's current members who can receive
// lessons (not paused, archived, unsubscribed or bouncing), each with the
// lessons already released to them.
func (db *DB) ReleaseMembers(ctx context.Context, cohortID int64) ([]app.ReleaseMember, error) {
	st, err := db.readStmt(ctx, releaseMembers)
	if err != nil {
		return nil, dbError(err)
	}
	rows, err := st.QueryContext(ctx, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.ReleaseMember
	for rows.Next() {
		var m app.ReleaseMember
		var joined, released string
		if err := rows.Scan(&m.ClientID, &m.TimeZone, &m.Delivery, &joined, &m.JoinedOn, &released); err != nil {
			return nil, dbError(err)
		}
		m.JoinedAt = parseTime(joined)
		m.Released = map[int64]bool{}
		for _, s := range strings.Split(released, ",") {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				m.Released[id] = true
			}
		}
		out = append(out, m)
	}
	return out, dbError(rows.Err())
}

// releaseMembers is ReleaseMembers' query, prepared once: run-due asks it of
// every cohort every minute.
const releaseMembers = `SELECT c.id, c.time_zone, m.delivery, m.joined_at, m.joined_on,
		coalesce((SELECT group_concat(r.lesson_id) FROM lesson_releases r WHERE r.cohort_id = m.cohort_id AND r.client_id = c.id), '')
		FROM memberships m JOIN clients c ON c.id = m.client_id
		WHERE m.cohort_id = ? AND ` + reachableMember + ` ORDER BY c.id`

// RecordReleases records and queues one run's releases in a cohort, in one
// transaction: a lesson's first release makes the post that carries it in the
// cohort; a release by mail queues the member's copy of it; a release by
// digest waits for the member's next digest; a catch-up queues one welcome
// mail listing its lessons in order. A lesson already released to the member
// is left alone (a welcome mail whose lessons all went already is not sent),
// so running twice sends nothing twice. Releases are dated at (the run's
// time), so the digest of the same run, built up to at, carries them. It
// returns how many lessons were released (a welcome mail counts each lesson
// it lists).
func (db *DB) RecordReleases(ctx context.Context, cohortID int64, at time.Time, rs []app.LessonRelease, newIDs func() app.MessageIdentity) (int, error) {
	if len(rs) == 0 {
		return 0, nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var cohort string
	if err := tx.queryRow("SELECT name FROM cohorts WHERE id = ?", cohortID).Scan(&cohort); err != nil {
		return 0, dbError(err)
	}
	now, released := utc(at), 0
	for _, r := range rs {
		var name, email string
		err := tx.queryRow(`SELECT c.name, c.email FROM memberships m JOIN clients c ON c.id = m.client_id
			WHERE m.cohort_id = ? AND m.client_id = ? AND m.left_at IS NULL`, cohortID, r.ClientID).Scan(&name, &email)
		if errors.Is(err, sql.ErrNoRows) {
			continue // left the cohort meanwhile
		}
		if err != nil {
			return 0, dbError(err)
		}
		var fresh []app.Lesson
		for _, id := range r.LessonIDs {
			res, err := tx.exec(`INSERT INTO lesson_releases (cohort_id, lesson_id, client_id, released_at, via) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, cohortID, id, r.ClientID, now, r.Via)
			if err != nil {
				return 0, dbError(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			l, err := findLesson(tx, id)
			if err != nil {
				return 0, err
			}
			fresh = append(fresh, l)
		}
		if len(fresh) == 0 {
			continue
		}
		released += len(fresh)
		var postID int64
		if r.Via == app.ViaWelcome {
			subject, body := app.WelcomeMail(cohort, fresh)
			ids := make([]int64, len(fresh))
			for i, l := range fresh {
				ids[i] = l.ID
			}
			if postID, err = insertLessonPost(tx, cohortID, ids, r.ClientID, subject, body, newIDs); err != nil {
				return 0, err
			}
			if _, err := tx.exec("UPDATE lesson_releases SET post_id = ? WHERE cohort_id = ? AND client_id = ? AND released_at = ? AND via = 'welcome'",
				postID, cohortID, r.ClientID, now); err != nil {
				return 0, dbError(err)
			}
		} else {
			if postID, err = lessonPost(tx, cohortID, fresh[0], newIDs); err != nil {
				return 0, err
			}
			if _, err := tx.exec("UPDATE lesson_releases SET post_id = ? WHERE cohort_id = ? AND lesson_id = ? AND client_id = ?",
				postID, cohortID, fresh[0].ID, r.ClientID); err != nil {
				return 0, dbError(err)
			}
			if r.Via == app.ViaDigest {
				continue
			}
		}
		if err := queueCopy(tx, postID, r.ClientID, name, email, newIDs); err != nil {
			return 0, err
		}
	}
	return released, commit(tx)
}

// lessonPost returns the post that carries the lesson in the cohort, making it
// at the lesson's first release.
func lessonPost(tx *tx, cohortID int64, l app.Lesson, newIDs func() app.MessageIdentity) (int64, error) {
	var postID sql.NullInt64
	if err := tx.queryRow("SELECT post_id FROM curriculum WHERE cohort_id = ? AND lesson_id = ?", cohortID, l.ID).Scan(&postID); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return 0, dbError(err)
	}
	if postID.Valid {
		return postID.Int64, nil
	}
	subject, body := app.LessonMail(l)
	id, err := insertLessonPost(tx, cohortID, []int64{l.ID}, 0, subject, body, newIDs)
	if err != nil {
		return 0, err
	}
	_, err = tx.exec("UPDATE curriculum SET post_id = ? WHERE cohort_id = ? AND lesson_id = ?", id, cohortID, l.ID)
	return id, dbError(err)
}

// MarkLesson records the coach's word on a member's lesson: app.LessonDone,
// app.LessonExcused, or "" to clear the mark.
func (db *DB) MarkLesson(ctx context.Context, cohortID, lessonID, clientID int64, state string) error {
	var err error
	switch state {
	case "":
		_, err = db.execCount(ctx, "DELETE FROM lesson_marks WHERE cohort_id = ? AND lesson_id = ? AND client_id = ?", cohortID, lessonID, clientID)
	case app.LessonDone, app.LessonExcused:
		var n int
		n, err = db.execCount(ctx, `INSERT INTO lesson_marks (cohort_id, lesson_id, client_id, state, source, at)
			SELECT ?, ?, ?, ?, 'coach', ? WHERE EXISTS (SELECT 1 FROM curriculum WHERE cohort_id = ? AND lesson_id = ?)
			AND EXISTS (SELECT 1 FROM memberships WHERE cohort_id = ? AND client_id = ?)
			ON CONFLICT DO UPDATE SET state = excluded.state, source = excluded.source, at = excluded.at`,
			cohortID, lessonID, clientID, state, db.now(), cohortID, lessonID, cohortID, clientID)
		if err == nil && n == 0 {
			err = app.Errorf(app.ENOTFOUND, "That lesson is not in this cohort's curriculum, or that client was never a member of it.")
		}
	default:
		return app.Errorf(app.EINVALID, "Mark a lesson done or excused (or clear the mark).")
	}
	return err
}

// markDone records a member's "done" reply: the lesson is completed unless the
// coach marked it already (the coach's word stands).
func markDone(tx *tx, cohortID, lessonID, clientID int64, at string) error {
	_, err := tx.exec(`INSERT INTO lesson_marks (cohort_id, lesson_id, client_id, state, source, at) VALUES (?, ?, ?, 'done', 'mail', ?)
		ON CONFLICT DO UPDATE SET state = 'done', source = 'mail', at = excluded.at WHERE lesson_marks.source = 'mail'`,
		cohortID, lessonID, clientID, at)
	return dbError(err)
}

// ProgressGrid returns the cohort's current members × its curriculum's lessons:
// for each, not released, released, replied (their latest reply to the lesson
// is the check-in), done or excused, with counts per lesson and per member.
func (db *DB) ProgressGrid(ctx context.Context, cohortID int64) (app.ProgressGrid, error) {
	g := app.ProgressGrid{CohortID: cohortID, Lessons: []app.ProgressLesson{}, Members: []app.ProgressRow{}}
	tx, err := db.read(ctx)
	if err != nil {
		return g, err
	}
	defer tx.Rollback()
	if err := tx.queryRow("SELECT name FROM cohorts WHERE id = ?", cohortID).Scan(&g.Cohort); errors.Is(err, sql.ErrNoRows) {
		return g, errNoCohort
	} else if err != nil {
		return g, dbError(err)
	}
	entries, _, err := curriculumEntries(tx, "k.cohort_id = ?", cohortID)
	if err != nil {
		return g, err
	}
	col := map[int64]int{}
	for i, e := range entries {
		col[e.LessonID] = i
		g.Lessons = append(g.Lessons, app.ProgressLesson{LessonID: e.LessonID, Title: e.Lesson})
	}
	rows, err := tx.query(`SELECT c.id, c.name, c.email FROM memberships m JOIN clients c ON c.id = m.client_id
		WHERE m.cohort_id = ? AND m.left_at IS NULL ORDER BY c.sort_key, c.id`, cohortID)
	if err != nil {
		return g, dbError(err)
	}
	row := map[int64]int{}
	for rows.Next() {
		var r app.ProgressRow
		if err := rows.Scan(&r.ClientID, &r.Name, &r.Email); err != nil {
			rows.Close()
			return g, dbError(err)
		}
		r.Cells = make([]app.ProgressCell, len(entries))
		for i, e := range entries {
			r.Cells[i] = app.ProgressCell{LessonID: e.LessonID, State: app.LessonNotReleased}
		}
		row[r.ClientID] = len(g.Members)
		g.Members = append(g.Members, r)
	}
	rows.Close()
	cell := func(clientID, lessonID int64) *app.ProgressCell {
		i, ok := row[clientID]
		j, ok2 := col[lessonID]
		if !ok || !ok2 {
			return nil
		}
		return &g.Members[i].Cells[j]
	}
	if err := eachRow(tx, "SELECT client_id, lesson_id, released_at, 0 FROM lesson_releases WHERE cohort_id = ?", cohortID, func(client, lesson int64, s sql.NullString, _ int64) {
		if c := cell(client, lesson); c != nil {
			c.State, c.ReleasedAt = app.LessonReleased, parseTimePtr(s)
		}
	}); err != nil {
		return g, err
	}
	// The latest threaded reply of each member to each lesson's posts in this cohort.
	if err := eachRow(tx, `SELECT r.client_id, p.lesson_id, r.text, max(r.id) FROM replies r JOIN posts p ON p.id = r.post_id
		WHERE p.cohort_id = ? AND p.lesson_id IS NOT NULL AND r.state = 'threaded' AND r.client_id IS NOT NULL
		GROUP BY r.client_id, p.lesson_id`, cohortID, func(client, lesson int64, text sql.NullString, replyID int64) {
		if c := cell(client, lesson); c != nil {
			c.State, c.CheckInText, c.ReplyID = app.LessonReplied, text.String, replyID
		}
	}); err != nil {
		return g, err
	}
	if err := eachRow(tx, "SELECT client_id, lesson_id, state, 0 FROM lesson_marks WHERE cohort_id = ?", cohortID, func(client, lesson int64, state sql.NullString, _ int64) {
		if c := cell(client, lesson); c != nil {
			c.State = state.String
		}
	}); err != nil {
		return g, err
	}
	for i := range g.Members {
		r := &g.Members[i]
		for j, c := range r.Cells {
			l := &g.Lessons[j]
			if c.ReleasedAt != nil {
				r.Released++
				l.Released++
			}
			if c.State == app.LessonReplied || c.State == app.LessonDone || c.CheckInText != "" {
				r.Replied++
				l.Replied++
			}
			if c.State == app.LessonDone {
				r.Done++
				l.Done++
			}
		}
	}
	return g, nil
}

// eachRow runs q (which selects a client id, a lesson id, a text and a number)
// with the cohort's id and hands each row to fn.
func eachRow(tx *tx, q string, cohortID int64, fn func(client, lesson int64, s sql.NullString, n int64)) error {
	rows, err := tx.query(q, cohortID)
	if err != nil {
		return dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var client, lesson, n int64
		var s sql.NullString
		if err := rows.Scan(&client, &lesson, &s, &n); err != nil {
			return dbError(err)
		}
		fn(client, lesson, s, n)
	}
	return dbError(rows.Err())
}

// LessonUse says where a lesson is used, for the question before deleting it.
func (db *DB) LessonUse(ctx context.Context, id int64) (app.LessonUse, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.LessonUse{}, err
	}
	defer tx.Rollback()
	return lessonUse(tx, id)
}

func lessonUse(tx *tx, id int64) (app.LessonUse, error) {
	l, err := findLesson(tx, id)
	if err != nil {
		return app.LessonUse{}, err
	}
	use := app.LessonUse{Title: l.Title}
	err = tx.queryRow(`SELECT (SELECT count(*) FROM curriculum WHERE lesson_id = ?),
		(SELECT count(DISTINCT client_id) FROM lesson_releases WHERE lesson_id = ?)`, id, id).Scan(&use.Cohorts, &use.Members)
	return use, dbError(err)
}

// DeleteLesson removes a lesson from the library, with its files, its place
// in every curriculum, its releases and the coach's marks (the foreign keys
// cascade; a release waiting for a member's digest goes with it). What
// members received stays: the mails sent or queued keep their text, and their
// replies and check-ins stay in the conversation; those posts no longer name
// the lesson. It returns what the lesson was used for.
func (db *DB) DeleteLesson(ctx context.Context, id int64) (app.LessonUse, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.LessonUse{}, err
	}
	defer tx.Rollback()
	use, err := lessonUse(tx, id)
	if err != nil {
		return use, err
	}
	if _, err := tx.exec("DELETE FROM lessons WHERE id = ?", id); err != nil {
		return use, dbError(err)
	}
	return use, commit(tx)
}
