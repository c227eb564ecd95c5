// Package store keeps a Roundtable workspace in one SQLite file: clients, cohorts
// and everything the coach builds on them. Every exported method runs in its own
// transaction and calls lowercase helpers that take a *sql.Tx, so one call is one
// all-or-nothing change.
package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	db   *sql.DB // the writer (the readers' pool when the workspace is open read-only)
	rdb  *sql.DB // readers
	path string

	// CheckedBecause says why Open checked the whole file through (quick_check),
	// or is "" when it did not need to (lock.checkReason).
	CheckedBecause string
	// lock is the workspace's writer lock; nil when opened read-only (or, in
	// tests, deliberately without it).
	lock     *lock
	readOnly bool
	// owner names this handle in the outbox claims it takes; see outbox.go.
	owner string
	// Lease is how long an outbox claim stays another process's before recovery
	// may requeue it; the worker renews it well within that while a message goes.
	Lease time.Duration

	// Read statements prepared once and reused by every read transaction: the
	// outbox asks for its next message thousands of times. (Write transactions
	// keep their own cache: the writer's one connection is busy with the
	// transaction, so it cannot prepare on the pool meanwhile.)
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	// Now returns the current time; tests replace it to get stable timestamps.
	Now func() time.Time

	// edition is the digest edition whose items were read last (see
	// editionItems): the outbox reads the same edition once per member.
	edition editionCache
	// secret is the digest item token secret once read (itemSecret).
	secret atomic.Pointer[[]byte]
}

// DefaultLease is the outbox claim's lease unless DB.Lease says otherwise: long
// enough that a renewal every half minute always lands in time, short enough
// that a claim left by a process that vanished without its lock is retried soon.
const DefaultLease = 2 * time.Minute

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

// SchemaVersion is the schema this build of Roundtable writes: the highest
// migration's number. Numbers are handed out ahead of time to work done in
// parallel, so a build may lack some below it; migrate goes by number, never by
// position.
func SchemaVersion() int {
	ms := migrations()
	return ms[len(ms)-1].version
}

// Open opens the workspace at path for writing, creating it when it does not
// exist, and brings its schema up to date. It takes the workspace's writer lock:
// while this process has the workspace open, another that tries gets an ELOCKED
// sentence (read-only commands use OpenReadOnly beside it). Before migrating a
// workspace that already holds data it keeps a copy beside it. A file that is
// damaged, is not a Roundtable workspace, or was written by a newer Roundtable
// is refused with an *app.Error and left untouched.
func Open(path string) (*DB, error) {
	return OpenAs(path, "another Roundtable process")
}

// OpenAs is Open naming the holder of the lock ("the window" is HolderWindow, or
// a command such as "roundtable outbox send"), for the sentence a second process
// reads when it is refused.
func OpenAs(path, holder string) (*DB, error) {
	return open(path, openOptions{target: SchemaVersion(), holder: holder})
}

// openOptions are the choices open makes; tests use the ones Open does not offer.
type openOptions struct {
	target int    // the schema version to migrate to
	holder string // who holds the lock
	noLock bool   // only tests: two writers on one file, to prove the outbox claims safe alone
}

// openAt opens the workspace migrated to exactly version target; tests use it to
// build workspaces of earlier versions.
func openAt(path string, target int) (*DB, error) {
	return open(path, openOptions{target: target, holder: "a test"})
}

// open looks at an existing file read-only, with no pragma that writes, before
// anything else touches it: only a new or empty file, or one of ours, is then
// locked and opened for writing (which switches on WAL). So a foreign database
// chosen by mistake stays byte-identical, without even a -wal or -shm beside it.
func open(path string, o openOptions) (*DB, error) {
	exists, ours, err := inspectFile(path)
	if err != nil {
		return nil, err
	}
	// A file whose header does not say it is ours is looked at before anything,
	// even the lock file, is made beside it; one of ours is checked under the
	// lock, so that a second process is refused at once, and the check never
	// races a writer.
	if exists && !ours {
		if err := checkReadOnly(path, false, true); err != nil {
			return nil, err
		}
	}
	if err := makePrivateDir(filepath.Dir(path)); err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The folder for the workspace %s could not be created", path)
	}
	db := &DB{path: path, Now: time.Now, Lease: DefaultLease}
	if o.noLock {
		db.owner = "unlocked:" + randomID()
	} else {
		if db.lock, err = acquireLock(path, o.holder); err != nil {
			return nil, err
		}
		db.owner = "locked:" + randomID()
	}
	fail := func(err error) (*DB, error) {
		db.Close()
		return nil, err
	}
	if exists && ours {
		// Checked through, on a read-only connection before the writer's, only
		// when it may be needed (lock.checkReason). Otherwise the writer's own
		// check and migrate read the application id and schema version before
		// anything is written: a second connection and its reading of the
		// schema took 5–7 ms of every command's start (docs/benchmarks.md).
		now := time.Now()
		db.CheckedBecause = "it is opened without its lock"
		if db.lock != nil {
			db.CheckedBecause = db.lock.checkReason(now)
		}
		if db.CheckedBecause != "" {
			if err := checkReadOnly(path, false, true); err != nil {
				return fail(err)
			}
			if db.lock != nil {
				db.lock.checked = now
			}
		}
	} else if db.lock != nil {
		db.lock.checked = time.Now() // a new workspace: nothing to check yet
	}
	// The file is created 0600 before SQLite sees it: SQLite gives the -wal and
	// -shm it makes the workspace's own mode.
	f, err := createPrivate(path, os.O_RDWR)
	if err != nil {
		return fail(app.Wrap(app.EINVALID, err, "The workspace %s could not be created", path))
	}
	f.Close()
	// synchronous=FULL: a commit is on the disk before the call returns, so the
	// outbox ledger and the import position survive a power cut, and the server
	// is told a message was imported (moved, flagged) only after it is.
	db.db, err = sql.Open("sqlite3", dsn(path)+"&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return fail(app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path))
	}
	db.db.SetMaxOpenConns(1)
	// Statement journals in memory and a 64 MB page cache for the writer: a
	// write that fires triggers (the search index, migration 0015) keeps a
	// journal per statement, and in a long transaction (an import of 10,000
	// clients) spilling those to temporary files and pages to the WAL made
	// every insert slower than the one before (16.9 s for the import, 5.9 s
	// with these).
	if _, err := db.db.Exec("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536"); err != nil {
		return fail(app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path))
	}
	if err := db.check(); err != nil {
		return fail(err)
	}
	if err := db.migrate(o.target); err != nil {
		return fail(err)
	}
	if o.target >= sortKeysVersion {
		if err := db.fillSortKeys(); err != nil {
			return fail(err)
		}
	}
	db.rdb, err = sql.Open("sqlite3", dsn(path)+"&mode=ro")
	if err != nil {
		return fail(app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path))
	}
	return db, nil
}

// OpenReadOnly opens the workspace at path for reading only, beside the process
// that writes it (the window, or a command): it takes no lock, migrates nothing
// and sets no pragma that writes. A workspace that needs updating first is
// refused with a sentence saying how.
func OpenReadOnly(path string) (*DB, error) {
	exists, _, err := inspectFile(path)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, app.Errorf(app.ENOTFOUND, "There is no workspace at %s yet. Open Roundtable (or run a command that writes, such as \"roundtable clients import\") to create it.", path)
	}
	// A reader beside the window changes nothing and is often run (the CLI's
	// list commands): no check through; a damaged page still reads as EDAMAGED.
	// The check runs on the readers' own connection, which keeps the schema
	// it read for the command's queries.
	rdb, err := sql.Open("sqlite3", dsn(path)+"&mode=ro")
	if err != nil {
		return nil, app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path)
	}
	if err := checkWith(rdb, path, true, false); err != nil {
		rdb.Close()
		return nil, err
	}
	return &DB{db: rdb, rdb: rdb, path: path, readOnly: true, Now: time.Now, Lease: DefaultLease}, nil
}

// dsn is the URI of the workspace with the settings every connection shares
// (foreign keys and the busy timeout belong to the connection, not the file).
func dsn(path string) string {
	// The path goes into a URI: escape what would end or garble it there.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?_foreign_keys=on&_busy_timeout=5000"
}

// inspectFile reports whether path is a file with something in it and whether
// its header carries our application_id, and refuses one that is not a SQLite
// database at all, or whose header already says it belongs to another program,
// before SQLite gets a chance to open it.
func inspectFile(path string) (exists, ours bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, app.Wrap(app.EINVALID, err, "The workspace %s could not be read", path)
	}
	defer f.Close()
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	if n == 0 && err == io.EOF {
		return false, false, nil // an empty file: a new workspace
	}
	if n < 16 || !bytes.Equal(head[:16], []byte("SQLite format 3\x00")) {
		return false, false, app.Errorf(app.EDAMAGED, "%s is not a Roundtable workspace (it is not a SQLite database). It was left untouched; choose another file.", path)
	}
	// The header's application_id (offset 68): another program's own mark is
	// enough to refuse without opening the file at all.
	if n == 100 {
		switch binary.BigEndian.Uint32(head[68:72]) {
		case applicationID:
			return true, true, nil
		case 0:
		default:
			return false, false, foreignError(path)
		}
	}
	return true, false, nil
}

func foreignError(path string) error {
	return app.Errorf(app.EDAMAGED, "%s is a database of another program, not a Roundtable workspace. It was left untouched; choose another file.", path)
}

// checkReadOnly opens an existing file read-only with no pragmas and checks it:
// ours (or empty), not newer than this build, and with deep not damaged
// anywhere (quick_check reads every page). With mustBeCurrent, a workspace that
// needs migrating is refused too.
func checkReadOnly(path string, mustBeCurrent, deep bool) error {
	ro, err := sql.Open("sqlite3", dsn(path)+"&mode=ro")
	if err != nil {
		return app.Wrap(app.EINTERNAL, err, "The workspace %s could not be opened", path)
	}
	defer ro.Close()
	ro.SetMaxOpenConns(1)
	return checkWith(ro, path, mustBeCurrent, deep)
}

// checkWith is checkReadOnly on a read-only connection pool already open.
func checkWith(ro *sql.DB, path string, mustBeCurrent, deep bool) error {
	if deep {
		var result string
		if err := ro.QueryRow("PRAGMA quick_check").Scan(&result); err != nil {
			return app.Wrap(app.EDAMAGED, err, "The workspace %s is damaged and cannot be opened. It was left untouched; restore a backup copy", path)
		}
		if result != "ok" {
			return app.Wrap(app.EDAMAGED, errors.New(result), "The workspace %s is damaged and cannot be opened. It was left untouched; restore a backup copy", path)
		}
	}
	var appID, tables, version int
	if err := ro.QueryRow("SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema), (SELECT user_version FROM pragma_user_version)").Scan(&appID, &tables, &version); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s could not be read", path)
	}
	if appID != applicationID && tables > 0 {
		return foreignError(path)
	}
	if version > SchemaVersion() {
		return tooNewError(path, version)
	}
	if mustBeCurrent && version < SchemaVersion() {
		return app.Errorf(app.ETOONEW, "%s needs updating to this version of Roundtable before it can be read (workspace version %d, this version %d). Open it in the window, or run a command that writes, once; then try again.", path, version, SchemaVersion())
	}
	return nil
}

func tooNewError(path string, version int) error {
	return app.Errorf(app.ETOONEW, "%s was saved by a newer version of Roundtable (workspace version %d; this version reads up to %d). Update Roundtable to open it.", path, version, SchemaVersion())
}

// makePrivateDir creates the workspace's folder, and any parent missing, readable
// by the owner only (0700) whatever the umask. A folder that exists is left as
// the coach made it.
func makePrivateDir(dir string) error {
	var missing []string
	for d := dir; d != "" && d != "." && d != string(filepath.Separator); d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, d := range missing {
		if err := os.Chmod(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// randomID is 16 random hex digits: an outbox claim's owner.
func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// check makes sure the file opened for writing is still ours: a file swapped in
// between the read-only look and the lock is refused like any foreign one.
func (db *DB) check() error {
	var appID, tables int
	if err := db.db.QueryRow("SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema)").Scan(&appID, &tables); err != nil {
		return app.Wrap(app.EDAMAGED, err, "The workspace %s could not be read", db.path)
	}
	if appID != applicationID && tables > 0 {
		return foreignError(db.path)
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
		return tooNewError(db.path, current)
	}
	if current >= target {
		return nil
	}
	if current > 0 {
		if _, err := db.Backup(fmt.Sprintf("before-v%d", target)); err != nil {
			return err
		}
	} else {
		// A new, empty workspace: its migrations need not each wait for the
		// disk (16 waits were most of the 47 ms a new workspace took). WAL with
		// synchronous=NORMAL still never corrupts the file: a power cut can
		// only take back the last migrations, which the next open applies
		// again; the first real write waits for the disk for all of them.
		if _, err := db.db.Exec("PRAGMA synchronous = NORMAL"); err != nil {
			return app.Wrap(app.EINTERNAL, err, "The workspace %s could not be set up", db.path)
		}
		defer db.db.Exec("PRAGMA synchronous = FULL")
	}
	for _, m := range migrations() {
		if m.version <= current || m.version > target {
			continue
		}
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
	// VACUUM INTO fills an empty file it is given, keeping its mode: the copy is
	// as private (0600) as the workspace.
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Chmod(0o600)
		f.Close()
	}
	if err != nil {
		return "", app.Wrap(app.EINTERNAL, err, "A backup copy of the workspace could not be written to %s, so nothing was changed", dst)
	}
	if _, err := db.db.Exec("VACUUM INTO ?", dst); err != nil {
		os.Remove(dst)
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
	var err error
	if db.rdb != nil && db.rdb != db.db {
		db.rdb.Close()
	}
	if db.db != nil {
		err = db.db.Close()
	}
	// The lock goes last: the next process may start writing the moment it is free.
	if lerr := db.lock.release(); err == nil {
		err = lerr
	}
	return err
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
	// addrs, when set, is every client address (email and aliases) in the
	// workspace by its NOCASE form, kept up to date by the transaction: a big
	// import looks addresses up here instead of asking SQLite twice a row.
	addrs map[string]int64
	// done, when set, runs once the transaction has ended (beginLazy).
	done func()
}

// begin starts a write transaction; _txlock=immediate takes the write lock at
// once, so two writers wait their turn instead of failing half-way.
func (db *DB) begin(ctx context.Context) (*tx, error) {
	if db.readOnly {
		return nil, app.Errorf(app.EINTERNAL, "This command only reads the workspace, so it cannot change anything in it.")
	}
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

// beginLazy starts a write transaction whose commit does not wait for the disk
// (synchronous=NORMAL): a crash of the program keeps it, as it is in the WAL;
// a power cut may undo it, with every commit after it, but never one before
// the last durable commit (the WAL is one log, replayed in order, and a
// durable commit syncs it whole). The import's runs and the outbox's ledger
// use it between durable commits, so that the disk is waited for a few times a
// second instead of once a message. It holds the writer's connection from the
// pragma to the end of the transaction, so no other transaction commits under it.
func (db *DB) beginLazy(ctx context.Context) (*tx, error) {
	if db.readOnly {
		return db.begin(ctx)
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, dbError(err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		conn.Close()
		return nil, dbError(err)
	}
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL")
		conn.Close()
		return nil, dbError(err)
	}
	return &tx{db: db, pool: db.db, sqlTx: t, ctx: ctx, stmts: map[string]*sql.Stmt{}, done: func() {
		conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL")
		conn.Close()
	}}, nil
}

// placeholders writes "(?, ?), (?, ?)" for rows rows of cols columns: the
// VALUES of a many-row INSERT, or with one row an IN list ("(?, ?, ?)").
func placeholders(rows, cols int) string {
	one := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return one + strings.Repeat(", "+one, rows-1)
}

// Rollback ends the transaction without keeping anything; after Commit it does nothing.
func (t *tx) Rollback() {
	t.sqlTx.Rollback()
	t.end()
}

func commit(t *tx) error {
	err := t.sqlTx.Commit()
	t.end()
	return dbError(err)
}

// end runs the transaction's done, once.
func (t *tx) end() {
	if t.done != nil {
		t.done()
		t.done = nil
	}
}

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
