package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/roundtablehq/roundtable/app"
)

// CreateClient adds a client and returns it as stored.
func (db *DB) CreateClient(ctx context.Context, in app.ClientInput) (app.Client, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Client{}, err
	}
	defer tx.Rollback()
	id, err := db.createClient(tx, in)
	if err != nil {
		return app.Client{}, err
	}
	c, err := findClientByID(tx, id)
	if err != nil {
		return app.Client{}, err
	}
	return c, commit(tx)
}

// UpdateClient replaces what the coach can set on a client.
func (db *DB) UpdateClient(ctx context.Context, id int64, in app.ClientInput) (app.Client, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return app.Client{}, err
	}
	defer tx.Rollback()
	if err := db.updateClient(tx, id, in); err != nil {
		return app.Client{}, err
	}
	c, err := findClientByID(tx, id)
	if err != nil {
		return app.Client{}, err
	}
	return c, commit(tx)
}

// FindClientByID returns one client, archived or not.
func (db *DB) FindClientByID(ctx context.Context, id int64) (app.Client, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Client{}, err
	}
	defer tx.Rollback()
	return findClientByID(tx, id)
}

// FindClientByEmail returns the client who has email as their address or as one
// of their aliases, ignoring case.
func (db *DB) FindClientByEmail(ctx context.Context, email string) (app.Client, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Client{}, err
	}
	defer tx.Rollback()
	id, err := clientIDByEmail(tx, email)
	if err != nil {
		return app.Client{}, err
	}
	if id == 0 {
		return app.Client{}, app.Errorf(app.ENOTFOUND, "No client has the address %s.", email)
	}
	return findClientByID(tx, id)
}

// ArchiveClient hides a client from lists and new cohorts but keeps everything
// about them; RestoreClient undoes it.
func (db *DB) ArchiveClient(ctx context.Context, id int64) error {
	return db.setArchived(ctx, "clients", []int64{id}, true)
}

// RestoreClient brings an archived client back.
func (db *DB) RestoreClient(ctx context.Context, id int64) error {
	return db.setArchived(ctx, "clients", []int64{id}, false)
}

// ArchiveClients archives (or with archived false, restores) several clients at
// once: all of them or, when one is missing, none.
func (db *DB) ArchiveClients(ctx context.Context, ids []int64, archived bool) error {
	return db.setArchived(ctx, "clients", ids, archived)
}

func (db *DB) setArchived(ctx context.Context, table string, ids []int64, archived bool) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var at any
	if archived {
		at = db.now()
	}
	for _, id := range ids {
		// table is one of two constants, never input.
		res, err := tx.exec("UPDATE "+table+" SET archived_at = ?, updated_at = ? WHERE id = ?", at, db.now(), id)
		if err != nil {
			return dbError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "There is no such %s (it may have been deleted).", strings.TrimSuffix(table, "s"))
		}
	}
	return commit(tx)
}

// ListClients returns one page of the clients list and the number of all matches.
func (db *DB) ListClients(ctx context.Context, f app.ClientFilter) (app.ClientPage, error) {
	count, q, args := clientListQueries(f)
	page := app.ClientPage{Rows: []app.ClientRow{}}
	tx, err := db.read(ctx)
	if err != nil {
		return page, err
	}
	defer tx.Rollback()
	if err := tx.queryRow(count, args...).Scan(&page.Total); err != nil {
		return page, dbError(err)
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return page, dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r app.ClientRow
		var tags, created, updated string
		if err := rows.Scan(&r.ID, &r.Name, &r.Email, &r.Status, &created, &updated, &tags, &r.Cohorts); err != nil {
			return page, dbError(err)
		}
		r.Tags, r.CreatedAt, r.UpdatedAt = splitTags(tags), parseTime(created), parseTime(updated)
		page.Rows = append(page.Rows, r)
	}
	return page, dbError(rows.Err())
}

// Warm reads the clients list's first page and drops it, so that the window's
// first reads, which come while WebKit is still starting on the same cores,
// find a reader connection open, its schema parsed and the list's index in
// memory: the first page took 50–100 ms during the window's start when cold,
// 6–30 ms after this ran beside GTK's start (docs/benchmarks.md). It is only
// a read; an error is left for the real read to report.
func (db *DB) Warm(ctx context.Context) {
	db.ListClients(ctx, app.ClientFilter{Limit: 200})
}

// clientListQueries are the list's two queries for f: how many clients match,
// and the page of them.
func clientListQueries(f app.ClientFilter) (count, page string, args []any) {
	where, args := clientWhere(f)
	page = `SELECT c.id, c.name, c.email, c.status, c.created_at, c.updated_at,
		coalesce((SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM client_tags WHERE client_id = c.id ORDER BY tag)), ''),
		(SELECT count(*) FROM memberships m JOIN cohorts h ON h.id = m.cohort_id
		 WHERE m.client_id = c.id AND m.left_at IS NULL AND h.archived_at IS NULL)
		FROM clients c WHERE ` + where + " ORDER BY " + clientOrder(f)
	if f.Limit > 0 {
		page += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	return "SELECT count(*) FROM clients c WHERE " + where, page, args
}

// ClientIDs returns the ids of every client matching f, in list order, so the
// coach can select all of them at once without loading every row.
func (db *DB) ClientIDs(ctx context.Context, f app.ClientFilter) ([]int64, error) {
	where, args := clientWhere(f)
	return queryColumn[int64](ctx, db.rdb, "SELECT c.id FROM clients c WHERE "+where+" ORDER BY "+clientOrder(f), args...)
}

// queryColumn runs a query of one column on the readers' pool and returns its
// values in order (an empty slice for none).
func queryColumn[T any](ctx context.Context, rdb *sql.DB, query string, args ...any) ([]T, error) {
	rows, err := rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, dbError(err)
		}
		out = append(out, v)
	}
	return out, dbError(rows.Err())
}

// AllClients returns every client with all their fields, for export.
func (db *DB) AllClients(ctx context.Context, archived bool) ([]app.Client, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryClients(tx, "WHERE "+archivedCond(archived)+" ORDER BY c.sort_key, c.id")
}

// ClientsByID returns the clients with these ids, in name order, for exporting a
// selection.
func (db *DB) ClientsByID(ctx context.Context, ids []int64) ([]app.Client, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := []app.Client{}
	for _, id := range ids {
		c, err := findClientByID(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b app.Client) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// Tags returns every tag in use on current clients, for the filter menu.
func (db *DB) Tags(ctx context.Context) ([]string, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT DISTINCT t.tag FROM client_tags t
		JOIN clients c ON c.id = t.client_id WHERE c.archived_at IS NULL ORDER BY t.tag COLLATE NOCASE`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	tags := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, dbError(err)
		}
		tags = append(tags, t)
	}
	return tags, dbError(rows.Err())
}

// archivedCond picks the archived clients or the others, written out rather
// than as "(archived_at IS NOT NULL) = ?" so that SQLite sees the
// clients_active index applies (migration 0020).
func archivedCond(archived bool) string {
	if archived {
		return "c.archived_at IS NOT NULL"
	}
	return "c.archived_at IS NULL"
}

func clientWhere(f app.ClientFilter) (string, []any) {
	conds := []string{archivedCond(f.Archived)}
	var args []any
	if f.Status != "" {
		conds = append(conds, "c.status = ?")
		args = append(args, f.Status)
	}
	for _, t := range f.Tags {
		conds = append(conds, "c.id IN (SELECT client_id FROM client_tags WHERE tag = ?)")
		args = append(args, t)
	}
	if f.CohortID != 0 {
		conds = append(conds, "c.id IN (SELECT client_id FROM memberships WHERE cohort_id = ? AND left_at IS NULL)")
		args = append(args, f.CohortID)
	}
	if m := matchQuery(f.Query); m != "" {
		conds = append(conds, `c.id IN (SELECT i.ref_id FROM search_client_words w JOIN search_items i ON i.id = w.rowid
			WHERE search_client_words MATCH ?)`)
		args = append(args, m)
	}
	return strings.Join(conds, " AND "), args
}

func clientOrder(f app.ClientFilter) string {
	col := map[string]string{
		"email":   "c.email",
		"created": "c.created_at",
		"updated": "c.updated_at",
	}[f.Sort]
	if col == "" {
		col = "c.sort_key"
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	return col + dir + ", c.id" + dir
}

// matchQuery turns what the coach typed into an FTS5 query in which every word
// must match the start of a word in the client: "ali exa" finds
// "Alice <alice@example.com>". See searchWords: nothing typed is syntax.
func matchQuery(q string) string {
	return wordsMatch(searchWords(q), true)
}

const tagSep = "\x1f"

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, tagSep)
}

// clean checks and tidies a client input: trims, lower-cases nothing (addresses
// keep the case the coach typed), drops duplicate tags and aliases.
func clean(in app.ClientInput) (app.ClientInput, error) {
	in.Name = oneLineName(in.Name)
	in.Email = strings.TrimSpace(in.Email)
	if in.Email == "" {
		return in, app.FieldErrorf(app.EINVALID, "email", "Every client needs an email address.")
	}
	if !app.ValidEmail(in.Email) {
		return in, app.FieldErrorf(app.EINVALID, "email", "%q is not an email address.", in.Email)
	}
	if in.Name == "" {
		in.Name = strings.SplitN(in.Email, "@", 2)[0]
	}
	if in.Status == "" {
		in.Status = app.StatusActive
	}
	if !slices.Contains(app.ClientStatuses, in.Status) {
		return in, app.FieldErrorf(app.EINVALID, "status", "The status %q is not one of active, paused or alumni.", in.Status)
	}
	in.Tags = uniqueFold(in.Tags)
	in.Aliases = uniqueFold(in.Aliases)
	for _, a := range in.Aliases {
		if !app.ValidEmail(a) {
			return in, app.FieldErrorf(app.EINVALID, "aliases", "The other address %q is not an email address.", a)
		}
		if strings.EqualFold(a, in.Email) {
			return in, app.FieldErrorf(app.EINVALID, "aliases", "%s is already the client's main address.", a)
		}
	}
	return in, nil
}

func uniqueFold(vs []string) []string {
	out := []string{}
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, v) }) {
			out = append(out, v)
		}
	}
	return out
}

func (db *DB) createClient(tx *tx, in app.ClientInput) (int64, error) {
	in, err := clean(in)
	if err != nil {
		return 0, err
	}
	if err := checkAddressesFree(tx, 0, append([]string{in.Email}, in.Aliases...)); err != nil {
		return 0, err
	}
	now := db.now()
	res, err := tx.exec(`INSERT INTO clients (name, email, phone, time_zone, status, goals, notes, created_at, updated_at, sort_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, in.Email, in.Phone, in.TimeZone, in.Status, in.Goals, in.Notes, now, now, sortKey(in.Name))
	if err != nil {
		return 0, dbError(err)
	}
	id, _ := res.LastInsertId()
	return id, writeClientLists(tx, id, in)
}

func (db *DB) updateClient(tx *tx, id int64, in app.ClientInput) error {
	in, err := clean(in)
	if err != nil {
		return err
	}
	if err := checkAddressesFree(tx, id, append([]string{in.Email}, in.Aliases...)); err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE clients SET name = ?, email = ?, phone = ?, time_zone = ?, status = ?,
		goals = ?, notes = ?, updated_at = ?, sort_key = ? WHERE id = ?`,
		in.Name, in.Email, in.Phone, in.TimeZone, in.Status, in.Goals, in.Notes, db.now(), sortKey(in.Name), id)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	if _, err := tx.exec("DELETE FROM client_tags WHERE client_id = ?", id); err != nil {
		return dbError(err)
	}
	if _, err := tx.exec("DELETE FROM client_aliases WHERE client_id = ?", id); err != nil {
		return dbError(err)
	}
	return writeClientLists(tx, id, in)
}

// writeClientLists writes a client's tags and aliases (triggers keep their
// search entry, see migration 0015).
func writeClientLists(tx *tx, id int64, in app.ClientInput) error {
	if tx.addrs != nil {
		// Addresses only join a client within an import (merge keeps the
		// email and joins aliases), so adding them keeps the map true.
		tx.addrs[nocase(in.Email)] = id
		for _, a := range in.Aliases {
			tx.addrs[nocase(a)] = id
		}
	}
	for _, t := range in.Tags {
		if _, err := tx.exec("INSERT INTO client_tags (client_id, tag) VALUES (?, ?)", id, t); err != nil {
			return dbError(err)
		}
	}
	for _, a := range in.Aliases {
		if _, err := tx.exec("INSERT INTO client_aliases (email, client_id) VALUES (?, ?)", a, id); err != nil {
			return dbError(err)
		}
	}
	return nil
}

// checkAddressesFree makes sure no other client (than self) has any of the
// addresses, as their email or as an alias. addrs[0] is the main address; a
// conflict on it is about the email field, on any other about the aliases.
func checkAddressesFree(tx *tx, self int64, addrs []string) error {
	for i, a := range addrs {
		other, err := clientIDByEmail(tx, a)
		if err != nil {
			return err
		}
		if other != 0 && other != self {
			var name string
			_ = tx.queryRow("SELECT name FROM clients WHERE id = ?", other).Scan(&name)
			field := "aliases"
			if i == 0 {
				field = "email"
			}
			return app.FieldErrorf(app.ECONFLICT, field, "The address %s already belongs to %s.", a, name)
		}
	}
	return nil
}

// loadAddresses fills tx.addrs with every client address, for a transaction
// that looks many up (clientIDByEmail).
func loadAddresses(tx *tx) error {
	rows, err := tx.sqlTx.QueryContext(tx.ctx, "SELECT email, id FROM clients UNION ALL SELECT email, client_id FROM client_aliases")
	if err != nil {
		return dbError(err)
	}
	defer rows.Close()
	addrs := map[string]int64{}
	for rows.Next() {
		var email string
		var id int64
		if err := rows.Scan(&email, &id); err != nil {
			return dbError(err)
		}
		addrs[nocase(email)] = id
	}
	if err := rows.Err(); err != nil {
		return dbError(err)
	}
	tx.addrs = addrs
	return nil
}

// nocase is an address as SQLite's NOCASE collation compares it: ASCII letters
// folded, nothing else.
func nocase(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// clientIDByEmail returns the id of the client with the address, or 0.
func clientIDByEmail(tx *tx, email string) (int64, error) {
	if tx.addrs != nil {
		return tx.addrs[nocase(email)], nil
	}
	var id int64
	err := tx.queryRow(`SELECT id FROM clients WHERE email = ?
		UNION ALL SELECT client_id FROM client_aliases WHERE email = ? LIMIT 1`, email, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, dbError(err)
}

func findClientByID(tx *tx, id int64) (app.Client, error) {
	cs, err := queryClients(tx, "WHERE c.id = ?", id)
	if err != nil {
		return app.Client{}, err
	}
	if len(cs) == 0 {
		return app.Client{}, app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	return cs[0], nil
}

func queryClients(tx *tx, tail string, args ...any) ([]app.Client, error) {
	rows, err := tx.query(`SELECT c.id, c.name, c.email, c.phone, c.time_zone, c.status, c.goals, c.notes,
		c.created_at, c.updated_at, c.archived_at,
		coalesce((SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM client_tags WHERE client_id = c.id ORDER BY tag)), ''),
		coalesce((SELECT group_concat(email, char(31)) FROM (SELECT email FROM client_aliases WHERE client_id = c.id ORDER BY email)), '')
		FROM clients c `+tail, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.Client
	for rows.Next() {
		var c app.Client
		var created, updated, tags, aliases string
		var archived sql.NullString
		if err := rows.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.TimeZone, &c.Status, &c.Goals, &c.Notes,
			&created, &updated, &archived, &tags, &aliases); err != nil {
			return nil, dbError(err)
		}
		c.CreatedAt, c.UpdatedAt, c.ArchivedAt = parseTime(created), parseTime(updated), parseTimePtr(archived)
		c.Tags, c.Aliases = splitTags(tags), splitTags(aliases)
		out = append(out, c)
	}
	return out, dbError(rows.Err())
}

// oneLineName puts a name on one line: a CSV cell may hold a line break (or a
// tab, or worse), and a name goes into the To header of every message the client
// gets, where a line break has no place.
func oneLineName(name string) string {
	if strings.IndexFunc(name, unicode.IsControl) < 0 {
		return strings.TrimSpace(name)
	}
	return strings.Join(strings.FieldsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }), " ")
}
