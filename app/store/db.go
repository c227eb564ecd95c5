// Package store keeps a Roundtable workspace in one SQLite file: clients, cohorts
// and everything the coach builds on them. Every exported method runs in its own
// transaction and calls lowercase helpers that take a *sql.Tx, so one call is one
// all-or-nothing change.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/roundtablehq/roundtable/app"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a SQLite file as a Roundtable workspace ("RTBL"), so that a
// foreign database chosen by mistake is refused instead of being written into.
const applicationID = 0x5254424c

// timeFormat is how times are stored: UTC, fixed width, so text order is time order.
const timeFormat = "2006-01-02T15:04:05.000Z"

// DB is an open workspace. Writes go through one connection, so that writers
// queue in Go instead of failing on SQLite's lock; reads use a pool of their own,
// which WAL lets run while a write (a long import) is under way.
type DB struct {
	db   *sql.DB // the writer
	rdb  *sql.DB // readers
	path string

	// Read statements prepared once and reused by every read transaction: the
	// outbox asks for its next message thousands of times. (Write transactions
	// keep their own cache: the writer's one connection is busy with the
	// transaction, so it cannot prepare on the pool meanwhile.)
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	// Now returns the current time; tests replace it to get stable timestamps.
	Now func() time.Time
}

// migration is one numbered .sql file.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	var ms []migration
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			panic("store: migration without a number: " + e.Name())
		}
		b, _ := migrationFiles.ReadFile("migrations/" + e.Name())
		ms = append(ms, migration{version: n, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms
}

// SchemaVersion is the schema this build of Roundtable writes.
func SchemaVersion() int { return len(migrations()) }

// Open opens the workspace at path, creating it when it does not exist, and brings
// its schema up to date. Before migrating a workspace that already holds data it
// keeps a copy beside it. A file that is damaged, is not a Roundtable workspace,
// or was written by a newer Roundtable is refused with an *app.Error and left
// untouched.
func Open(path string) (*DB, error) {
	return openAt(path, SchemaVersion())
}

// openAt opens the workspace migrated to exactly version target; tests use it to
// build workspaces of earlier versions.
func openAt(path string, target int) (*DB, error) {
	if err := checkFile(path); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, app.Wrap(app.EINVALID, err, "The folder for the workspace %s could not be created", path)
		}
	}
	// The path goes into a URI: escape what would end or garble it there.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	dsn := "file:" + escaped + "?_foreign_keys=on&_busy_timeout=5000&_journal_mode=WAL&_synchronous=NORMAL"
	writer, err := sql.Open("sqlite3", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path)
	}
	writer.SetMaxOpenConns(1)
	db := &DB{db: writer, path: path, Now: time.Now}
	if err := db.check(); err != nil {
		writer.Close()
		return nil, err
	}
	if err := db.migrate(target); err != nil {
		writer.Close()
		return nil, err
	}
	db.rdb, err = sql.Open("sqlite3", dsn+"&mode=ro")
	if err != nil {
		writer.Close()
		return nil, app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path)
	}
	return db, nil
}

// checkFile refuses a file that exists but is not a SQLite database at all, before
// SQLite gets a chance to treat it as one.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return app.Wrap(app.EINVALID, err, "The workspace %s could not be read", path)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF) {
		return nil // an empty file: a new workspace
	}
	if !bytes.Equal(head[:n], []byte("SQLite format 3\x00")) {
		return app.Errorf(app.EDAMAGED, "%s is not a Roundtable workspace (it is not a SQLite database). It was left untouched; choose another file.", path)
	}
	return nil
}

// check runs SQLite's quick integrity check and makes sure the file is ours.
func (db *DB) check() error {
	var result string
	if err := db.db.QueryRow("PRAGMA quick_check").Scan(&result); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s is damaged and cannot be opened. It was left untouched; restore a backup copy", db.path)
	}
	if result != "ok" {
		return app.Wrap(app.EDAMAGED, errors.New(result), "The workspace %s is damaged and cannot be opened. It was left untouched; restore a backup copy", db.path)
	}
	var appID, tables int
	if err := db.db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s could not be read", db.path)
	}
	if err := db.db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s could not be read", db.path)
	}
	if appID != applicationID && tables > 0 {
		return app.Errorf(app.EDAMAGED, "%s is a database of another program, not a Roundtable workspace. It was left untouched; choose another file.", db.path)
	}
	return nil
}

// migrate applies the migrations up to target, each in its own transaction, after
// copying a workspace that already has data. A workspace newer than this build is
// refused: migrating backwards would lose the coach's data.
func (db *DB) migrate(target int) error {
	var current int
	if err := db.db.QueryRow("PRAGMA user_version").Scan(&current); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s could not be read", db.path)
	}
	if current > SchemaVersion() {
		return app.Errorf(app.ETOONEW, "%s was saved by a newer version of Roundtable (workspace version %d; this version reads up to %d). Update Roundtable to open it.", db.path, current, SchemaVersion())
	}
	if current >= target {
		return nil
	}
	if current > 0 {
		if _, err := db.Backup(fmt.Sprintf("before-v%d", target)); err != nil {
			return err
		}
	}
	for _, m := range migrations()[current:target] {
		if err := db.apply(m); err != nil {
			return app.Wrap(app.EINTERNAL, err, "The workspace could not be updated to version %d (%s); it was left at version %d", m.version, m.name, current)
		}
		current = m.version
	}
	return nil
}

// fkOff marks a migration that rebuilds tables others refer to. SQLite's
// procedure for such changes runs with foreign keys off (else dropping the old
// table would cascade into the tables that point at it) and checks every key
// before committing.
const fkOff = "-- foreign_keys: off"

func (db *DB) apply(m migration) error {
	if strings.HasPrefix(m.sql, fkOff) {
		// The writer has one connection, so the pragma holds for the transaction.
		if _, err := db.db.Exec("PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer db.db.Exec("PRAGMA foreign_keys = ON")
	}
	tx, err := db.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	if _, err := tx.Exec(m.sql); err != nil {
		return err
	}
	if strings.HasPrefix(m.sql, fkOff) {
		rows, err := tx.Query("PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		broken := rows.Next()
		rows.Close()
		if broken {
			return errors.New("a foreign key no longer holds after the change")
		}
	}
	if _, err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, db.now()); err != nil {
		return err
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	return tx.Commit()
}

// Backup writes a consistent copy of the workspace beside it, named with the
// label and the time, and returns the copy's path.
func (db *DB) Backup(label string) (string, error) {
	dst := fmt.Sprintf("%s.%s-%s.bak", db.path, label, db.Now().UTC().Format("20060102-150405"))
	if _, err := db.db.Exec("VACUUM INTO ?", dst); err != nil {
		return "", app.Wrap(app.EINTERNAL, err, "A backup copy of the workspace could not be written to %s, so nothing was changed", dst)
	}
	return dst, nil
}

// Close closes the workspace.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	if db.rdb != nil {
		db.rdb.Close()
	}
	return db.db.Close()
}

// Path is the workspace file.
func (db *DB) Path() string { return db.path }

// Info tells which file is open and what it holds.
func (db *DB) Info(ctx context.Context) (app.WorkspaceInfo, error) {
	info := app.WorkspaceInfo{Path: db.path, Version: app.Version}
	err := db.rdb.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM clients WHERE archived_at IS NULL),
		(SELECT count(*) FROM cohorts WHERE archived_at IS NULL)`).Scan(&info.Clients, &info.Cohorts)
	if err != nil {
		return info, app.Wrap(app.EINTERNAL, err, "The workspace could not be read")
	}
	err = db.rdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.SchemaVersion)
	return info, err
}

func (db *DB) now() string { return db.Now().UTC().Format(timeFormat) }

// tx is a transaction that prepares each statement once however often it runs
// (an import runs the same few statements ten thousand times), and carries its
// context so that helpers take one argument fewer.
type tx struct {
	db    *DB
	pool  *sql.DB
	sqlTx *sql.Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
}

// begin starts a write transaction; _txlock=immediate takes the write lock at
// once, so two writers wait their turn instead of failing half-way.
func (db *DB) begin(ctx context.Context) (*tx, error) {
	t, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError(err)
	}
	return &tx{db: db, pool: db.db, sqlTx: t, ctx: ctx, stmts: map[string]*sql.Stmt{}}, nil
}

// read starts a read-only transaction: one consistent view for a list and its count.
func (db *DB) read(ctx context.Context) (*tx, error) {
	t, err := db.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, dbError(err)
	}
	return &tx{db: db, pool: db.rdb, sqlTx: t, ctx: ctx, stmts: map[string]*sql.Stmt{}}, nil
}

// readStmt returns the readers' prepared statement for query, preparing it once.
func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if s, ok := db.stmts[query]; ok {
		return s, nil
	}
	if db.stmts == nil {
		db.stmts = map[string]*sql.Stmt{}
	}
	s, err := db.rdb.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.stmts[query] = s
	return s, nil
}

func (t *tx) stmt(query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if t.pool == t.db.rdb {
		ps, err := t.db.readStmt(t.ctx, query)
		if err != nil {
			return nil, err
		}
		s = t.sqlTx.StmtContext(t.ctx, ps)
	} else {
		var err error
		if s, err = t.sqlTx.PrepareContext(t.ctx, query); err != nil {
			return nil, err
		}
	}
	t.stmts[query] = s
	return s, nil
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(t.ctx, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(t.ctx, args...)
}

// queryRow is QueryRow through the statement cache; a failed prepare surfaces
// from Scan, as database/sql does it.
func (t *tx) queryRow(query string, args ...any) *sql.Row {
	s, err := t.stmt(query)
	if err != nil {
		return t.sqlTx.QueryRowContext(t.ctx, query, args...)
	}
	return s.QueryRowContext(t.ctx, args...)
}

// Rollback ends the transaction without keeping anything; after Commit it does nothing.
func (t *tx) Rollback() { t.sqlTx.Rollback() }

func commit(t *tx) error { return dbError(t.sqlTx.Commit()) }

// dbError turns the errors SQLite gives for a full disk, a locked or read-only
// file into sentences a coach can act on. Other errors are kept as internal.
func dbError(err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return app.Wrap(app.ECONFLICT, err, "That is already in the workspace")
		case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
			return app.Wrap(app.EINVALID, err, "That value is not allowed here")
		case sqlite3.ErrConstraintForeignKey:
			return app.Wrap(app.ENOTFOUND, err, "That refers to something that is not in the workspace (it may have been deleted)")
		}
		switch se.Code {
		case sqlite3.ErrFull:
			return app.Wrap(app.EUNAVAILABLE, err, "The disk is full, so nothing was saved. Free some space and try again")
		case sqlite3.ErrReadonly:
			return app.Wrap(app.EUNAVAILABLE, err, "The workspace file is read-only, so nothing was saved")
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return app.Wrap(app.EUNAVAILABLE, err, "The workspace is busy in another window or program; try again in a moment")
		case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
			return app.Wrap(app.EDAMAGED, err, "The workspace file is damaged")
		}
	}
	if errors.Is(err, context.Canceled) {
		return app.Wrap(app.ECANCELED, err, "Stopped; nothing was changed")
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	return app.Wrap(app.EINTERNAL, err, "The workspace could not be read or written")
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

func parseTimePtr(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}
