package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// CreateCohort adds a cohort.
func (db *DB) CreateCohort(ctx context.Context, in app.CohortInput) (app.Cohort, error) {
	in, err := cleanCohort(in)
	if err != nil {
		return app.Cohort{}, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Cohort{}, err
	}
	defer tx.Rollback()
	if err := cohortNameFree(tx, 0, in.Name); err != nil {
		return app.Cohort{}, err
	}
	now := db.now()
	d := app.DefaultDigest(in.Kind)
	res, err := tx.exec(`INSERT INTO cohorts (name, kind, purpose, start_date, end_date, capacity, created_at, updated_at,
		digest_every, digest_weekday, digest_hour, digest_member_local) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.Name, in.Kind, in.Purpose, in.StartDate, in.EndDate, in.Capacity, now, now, d.Every, d.Weekday, d.Hour, d.MemberLocal)
	if err != nil {
		return app.Cohort{}, dbError(err)
	}
	id, _ := res.LastInsertId()
	c, err := findCohort(tx, "h.id = ?", id)
	if err != nil {
		return app.Cohort{}, err
	}
	return c, commit(tx)
}

// UpdateCohort replaces what the coach can set on a cohort.
func (db *DB) UpdateCohort(ctx context.Context, id int64, in app.CohortInput) (app.Cohort, error) {
	in, err := cleanCohort(in)
	if err != nil {
		return app.Cohort{}, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Cohort{}, err
	}
	defer tx.Rollback()
	if err := cohortNameFree(tx, id, in.Name); err != nil {
		return app.Cohort{}, err
	}
	res, err := tx.exec(`UPDATE cohorts SET name = ?, kind = ?, purpose = ?, start_date = ?, end_date = ?,
		capacity = ?, updated_at = ? WHERE id = ?`, in.Name, in.Kind, in.Purpose, in.StartDate, in.EndDate, in.Capacity, db.now(), id)
	if err != nil {
		return app.Cohort{}, dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Cohort{}, errNoCohort
	}
	c, err := findCohort(tx, "h.id = ?", id)
	if err != nil {
		return app.Cohort{}, err
	}
	return c, commit(tx)
}

// ArchiveCohort hides a finished cohort and keeps its history; RestoreCohort
// undoes it.
func (db *DB) ArchiveCohort(ctx context.Context, id int64) error {
	return db.setArchived(ctx, "cohorts", []int64{id}, true)
}

// RestoreCohort brings an archived cohort back.
func (db *DB) RestoreCohort(ctx context.Context, id int64) error {
	return db.setArchived(ctx, "cohorts", []int64{id}, false)
}

// FindCohortByID returns one cohort with its member count and warnings.
func (db *DB) FindCohortByID(ctx context.Context, id int64) (app.Cohort, error) {
	return db.findCohort(ctx, "h.id = ?", id)
}

// FindCohortByName returns the cohort with that name, ignoring case.
func (db *DB) FindCohortByName(ctx context.Context, name string) (app.Cohort, error) {
	c, err := db.findCohort(ctx, "h.name = ?", strings.TrimSpace(name))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return c, app.Errorf(app.ENOTFOUND, "There is no cohort called %q.", name)
	}
	return c, err
}

func (db *DB) findCohort(ctx context.Context, cond string, arg any) (app.Cohort, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Cohort{}, err
	}
	defer tx.Rollback()
	return findCohort(tx, cond, arg)
}

// ListCohorts returns the current cohorts (or the archived ones), newest start first.
func (db *DB) ListCohorts(ctx context.Context, archived bool) ([]app.Cohort, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryCohorts(tx, "(h.archived_at IS NOT NULL) = ? ORDER BY h.name COLLATE NOCASE", archived)
}

var errNoCohort = app.Errorf(app.ENOTFOUND, "There is no such cohort (it may have been deleted).")

func findCohort(tx *tx, cond string, arg any) (app.Cohort, error) {
	cs, err := queryCohorts(tx, cond, arg)
	if err != nil {
		return app.Cohort{}, err
	}
	if len(cs) == 0 {
		return app.Cohort{}, errNoCohort
	}
	return cs[0], nil
}

func queryCohorts(tx *tx, cond string, args ...any) ([]app.Cohort, error) {
	rows, err := tx.query(`SELECT h.id, h.name, h.kind, h.purpose, h.start_date, h.end_date, h.capacity,
		h.created_at, h.updated_at, h.archived_at, h.reply_sharing,
		(SELECT count(*) FROM memberships m WHERE m.cohort_id = h.id AND m.left_at IS NULL)
		FROM cohorts h WHERE `+cond, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.Cohort{}
	for rows.Next() {
		var c app.Cohort
		var created, updated string
		var archived sql.NullString
		if err := rows.Scan(&c.ID, &c.Name, &c.Kind, &c.Purpose, &c.StartDate, &c.EndDate, &c.Capacity,
			&created, &updated, &archived, &c.ReplySharing, &c.Members); err != nil {
			return nil, dbError(err)
		}
		c.CreatedAt, c.UpdatedAt, c.ArchivedAt = parseTime(created), parseTime(updated), parseTimePtr(archived)
		c.Warnings = app.CohortWarnings(c.Kind, c.Members, c.Capacity)
		out = append(out, c)
	}
	return out, dbError(rows.Err())
}

func cleanCohort(in app.CohortInput) (app.CohortInput, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.StartDate, in.EndDate = strings.TrimSpace(in.StartDate), strings.TrimSpace(in.EndDate)
	if in.Name == "" {
		return in, app.FieldErrorf(app.EINVALID, "name", "Give the cohort a name.")
	}
	if in.Kind == "" {
		in.Kind = app.KindOther
	}
	if !slices.Contains(app.CohortKinds, in.Kind) {
		return in, app.FieldErrorf(app.EINVALID, "kind", "%q is not a kind of cohort; choose one of %s.", in.Kind, strings.Join(app.CohortKinds, ", "))
	}
	for i, d := range []string{in.StartDate, in.EndDate} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return in, app.FieldErrorf(app.EINVALID, []string{"startDate", "endDate"}[i], "%q is not a date; write it as YYYY-MM-DD, for example 2026-01-31.", d)
		}
	}
	if in.StartDate != "" && in.EndDate != "" && in.EndDate < in.StartDate {
		return in, app.FieldErrorf(app.EINVALID, "endDate", "The cohort ends (%s) before it starts (%s).", in.EndDate, in.StartDate)
	}
	if in.Capacity < 0 {
		return in, app.FieldErrorf(app.EINVALID, "capacity", "The capacity cannot be negative; use 0 for no limit.")
	}
	return in, nil
}

func cohortNameFree(tx *tx, self int64, name string) error {
	var id int64
	err := tx.queryRow("SELECT id FROM cohorts WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && id == self) {
		return nil
	}
	if err != nil {
		return dbError(err)
	}
	return app.FieldErrorf(app.ECONFLICT, "name", "There is already a cohort called %q.", name)
}

// AddMembers puts clients into a cohort with a role. Clients already in it are
// left as they are; the count of those added is returned.
func (db *DB) AddMembers(ctx context.Context, cohortID int64, clientIDs []int64, role string) (int, error) {
	if role == "" {
		role = app.RoleMember
	}
	if role != app.RoleMember && role != app.RoleCoHost {
		return 0, app.Errorf(app.EINVALID, "%q is not a role; use member or co_host.", role)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := findCohort(tx, "h.id = ?", cohortID); err != nil {
		return 0, err
	}
	now, added := db.now(), 0
	for _, id := range clientIDs {
		res, err := tx.exec(`INSERT INTO memberships (cohort_id, client_id, role, joined_at)
			SELECT ?, id, ?, ? FROM clients WHERE id = ?
			ON CONFLICT (cohort_id, client_id) WHERE left_at IS NULL DO NOTHING`, cohortID, role, now, id)
		if err != nil {
			return 0, dbError(err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			if _, err := findClientByID(tx, id); err != nil {
				return 0, err
			}
		}
		added += int(n)
	}
	return added, commit(tx)
}

// RemoveMember records that a client left a cohort; their history stays.
func (db *DB) RemoveMember(ctx context.Context, cohortID, clientID int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec("UPDATE memberships SET left_at = ? WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL",
		db.now(), cohortID, clientID)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "That client is not in this cohort.")
	}
	return commit(tx)
}

// SetMemberRole makes a current member a co-host or a plain member.
func (db *DB) SetMemberRole(ctx context.Context, cohortID, clientID int64, role string) error {
	if role != app.RoleMember && role != app.RoleCoHost {
		return app.Errorf(app.EINVALID, "%q is not a role; use member or co_host.", role)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec("UPDATE memberships SET role = ? WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL",
		role, cohortID, clientID)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "That client is not in this cohort.")
	}
	return commit(tx)
}

// Roster lists a cohort's members, current ones first by name, then those who
// left, most recent first when history is asked for.
func (db *DB) Roster(ctx context.Context, cohortID int64, history bool) ([]app.Member, error) {
	q := `SELECT c.id, c.name, c.email, c.status, m.role, m.joined_at, m.left_at, m.delivery
		FROM memberships m JOIN clients c ON c.id = m.client_id WHERE m.cohort_id = ?`
	if !history {
		q += " AND m.left_at IS NULL"
	}
	q += " ORDER BY m.left_at IS NOT NULL, m.left_at DESC, c.sort_key"
	rows, err := db.rdb.QueryContext(ctx, q, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.Member{}
	for rows.Next() {
		var m app.Member
		var joined string
		var left sql.NullString
		if err := rows.Scan(&m.ClientID, &m.Name, &m.Email, &m.Status, &m.Role, &joined, &left, &m.Delivery); err != nil {
			return nil, dbError(err)
		}
		m.JoinedAt, m.LeftAt = parseTime(joined), parseTimePtr(left)
		out = append(out, m)
	}
	return out, dbError(rows.Err())
}

// ClientCohorts lists the cohorts a client is in now.
func (db *DB) ClientCohorts(ctx context.Context, clientID int64) ([]app.Cohort, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryCohorts(tx, `h.id IN (SELECT cohort_id FROM memberships WHERE client_id = ? AND left_at IS NULL)
		ORDER BY h.name COLLATE NOCASE`, clientID)
}

// SetReplySharing sets which of the cohort's replies are shown to the other
// members without the coach's approval: app.SharePlausible (verified and
// plausible) or app.ShareVerified ("verified only").
func (db *DB) SetReplySharing(ctx context.Context, cohortID int64, sharing string) error {
	if sharing != app.SharePlausible && sharing != app.ShareVerified {
		return app.Errorf(app.EINVALID, "Choose whether replies from members' own addresses are shared (%q) or only verified ones (%q).", app.SharePlausible, app.ShareVerified)
	}
	n, err := db.execCount(ctx, "UPDATE cohorts SET reply_sharing = ?, updated_at = ? WHERE id = ?", sharing, db.now(), cohortID)
	if err == nil && n == 0 {
		err = errNoCohort
	}
	return err
}
