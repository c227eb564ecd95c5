package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

// openTest opens a fresh workspace file in a temporary folder.
func openTest(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(filepath.Join(tb.TempDir(), "workspace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustClient(tb testing.TB, db *DB, name, email string, tags ...string) app.Client {
	tb.Helper()
	c, err := db.CreateClient(context.Background(), app.ClientInput{Name: name, Email: email, Tags: tags})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := app.ErrorCode(err); got != code {
		tb.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sub", "workspace.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := db.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Path != path || info.SchemaVersion != SchemaVersion() {
			t.Fatalf("got %+v, want path %s version %d", info, path, SchemaVersion())
		}
		db.Close()
		// Opening again migrates nothing and makes no backup.
		db, err = Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if baks, _ := filepath.Glob(path + ".*.bak"); len(baks) != 0 {
			t.Fatalf("got backups %v of an up-to-date workspace, want none", baks)
		}
	})

	t.Run("ErrNotSQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.db")
		content := []byte("these are my notes, not a database\n")
		os.WriteFile(path, content, 0o600)
		_, err := Open(path)
		wantCode(t, err, app.EDAMAGED)
		if got, _ := os.ReadFile(path); string(got) != string(content) {
			t.Fatalf("the foreign file was changed: got %q", got)
		}
	})

	t.Run("ErrDamaged", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 300 {
			mustClient(t, db, "Client", filepath.Base(t.TempDir())+string(rune('a'+i%26))+"x"+strconv.Itoa(i)+"@example.com")
		}
		db.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.Close()
		// Scribble over the middle of the file, where the tables' pages are.
		f, _ := os.OpenFile(path, os.O_RDWR, 0)
		st, _ := f.Stat()
		junk := make([]byte, 8192)
		for i := range junk {
			junk[i] = 0xA5
		}
		f.WriteAt(junk, st.Size()/2)
		f.Close()
		before, _ := os.ReadFile(path)
		_, err = Open(path)
		wantCode(t, err, app.EDAMAGED)
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Fatal("the damaged file was changed")
		}
	})

	// Another program's database, in SQLite's default rollback-journal mode, is
	// refused byte-identical, with no -wal, -shm, journal or lock file beside it:
	// nothing wrote to it, not even to switch on WAL.
	for _, tc := range []struct {
		name  string
		appID int
	}{{"ErrForeignDatabase", 0}, {"ErrForeignApplicationID", 0x46534c31}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			other, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=DELETE")
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				"CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)",
				"INSERT INTO invoices (total) VALUES (12.5), (99)",
				fmt.Sprintf("PRAGMA application_id = %d", tc.appID),
			} {
				if _, err := other.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			other.Close()
			before, _ := os.ReadFile(path)
			stat, _ := os.Stat(path)
			for _, open := range []func(string) (*DB, error){Open, OpenReadOnly} {
				_, err = open(path)
				wantCode(t, err, app.EDAMAGED)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Fatal("the foreign database was changed")
			}
			if st, _ := os.Stat(path); !st.ModTime().Equal(stat.ModTime()) {
				t.Fatalf("got modification time %v, want %v untouched", st.ModTime(), stat.ModTime())
			}
			for _, suffix := range []string{"-wal", "-shm", "-journal", ".lock"} {
				if _, err := os.Stat(path + suffix); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("got %s beside the foreign database (%v), want none", filepath.Base(path+suffix), err)
				}
			}
		})
	}

	t.Run("ErrTooNew", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "workspace.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.db.Exec("PRAGMA user_version = 999")
		db.Close()
		_, err = Open(path)
		wantCode(t, err, app.ETOONEW)
	})
}

// TestMigrate builds a workspace at every earlier schema version, puts a client in
// it, and checks that opening it with this build keeps the client, makes a backup
// copy first, and ends at the current version.
func TestMigrate(t *testing.T) {
	for v := 1; v < SchemaVersion(); v++ {
		t.Run("FromVersion"+strconv.Itoa(v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "workspace.db")
			old, err := openAt(path, v)
			if err != nil {
				t.Fatal(err)
			}
			now := old.now()
			if _, err := old.db.Exec(`INSERT INTO clients (name, email, created_at, updated_at) VALUES ('Ada Lovelace', 'ada@example.com', ?, ?)`, now, now); err != nil {
				t.Fatal(err)
			}
			if v >= 2 { // the search index exists from version 2; the store keeps it in step
				old.db.Exec(`INSERT INTO clients_search (rowid, name, email, aliases, tags, goals, notes)
					SELECT id, name, email, '', '', '', '' FROM clients`)
			}
			old.Close()

			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c, err := db.FindClientByEmail(context.Background(), "ADA@example.com")
			if err != nil || c.Name != "Ada Lovelace" {
				t.Fatalf("got %+v, %v; want Ada Lovelace after migration", c, err)
			}
			page, err := db.ListClients(context.Background(), app.ClientFilter{Query: "lovelace"})
			if err != nil || page.Total != 1 {
				t.Fatalf("got %d search results (%v), want the migrated client found by search", page.Total, err)
			}
			baks, _ := filepath.Glob(path + ".before-v*.bak")
			if len(baks) != 1 {
				t.Fatalf("got backups %v, want one copy kept before migrating", baks)
			}
			bak, err := openAt(baks[0], v)
			if err != nil {
				t.Fatalf("the backup copy does not open: %v", err)
			}
			var n int
			bak.db.QueryRow("SELECT count(*) FROM clients").Scan(&n)
			bak.Close()
			if n != 1 {
				t.Fatalf("got %d clients in the backup, want 1", n)
			}
		})
	}
}

// TestConstraintErrors checks that the rules the schema enforces reach the coach
// as sentences with the right codes, even when a write gets past the store's own
// checks.
func TestConstraintErrors(t *testing.T) {
	db := openTest(t)
	now := db.now()
	insert := func(email, status string) error {
		_, err := db.db.Exec("INSERT INTO clients (name, email, status, created_at, updated_at) VALUES ('X', ?, ?, ?, ?)", email, status, now, now)
		return dbError(err)
	}
	if err := insert("a@example.com", "active"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, insert("A@EXAMPLE.COM", "active"), app.ECONFLICT)
	wantCode(t, insert("b@example.com", "vip"), app.EINVALID)
	_, err := db.db.Exec("INSERT INTO memberships (cohort_id, client_id, joined_at) VALUES (99, 99, ?)", now)
	wantCode(t, dbError(err), app.ENOTFOUND)
}

// TestMigrateRepliesKeepTheirAttachments: version 9 rebuilds inbox_messages and
// replies (foreign keys off). A workspace at version 8 with a reply and its
// attachment keeps both, and the reply is marked as imported before senders
// were checked.
func TestMigrateRepliesKeepTheirAttachments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workspace.db")
	old, err := openAt(path, 8)
	if err != nil {
		t.Fatal(err)
	}
	now := old.now()
	for _, q := range []string{
		`INSERT INTO clients (id, name, email, created_at, updated_at) VALUES (1, 'Ada', 'ada@example.com', '` + now + `', '` + now + `')`,
		`INSERT INTO cohorts (id, name, kind, created_at, updated_at) VALUES (1, 'Circle', 'mastermind', '` + now + `', '` + now + `')`,
		`INSERT INTO posts (id, cohort_id, subject, body, status, created_at, updated_at) VALUES (1, 1, 'Week 1', 'Hi', 'queued', '` + now + `', '` + now + `')`,
		`INSERT INTO inbox_messages (id, message_id, content_hash, kind, client_id, imported_at) VALUES (1, 'r1@x', 'h1', 'reply', 1, '` + now + `')`,
		`INSERT INTO replies (id, inbox_message_id, state, post_id, client_id, from_name, from_email, subject, received_at, text, quoted)
			VALUES (1, 1, 'threaded', 1, 1, 'Ada', 'ada@example.com', 'Re: Week 1', '` + now + `', 'My goal', '')`,
		`INSERT INTO reply_attachments (reply_id, filename, content_type, size, data) VALUES (1, 'plan.pdf', 'application/pdf', 3, x'010203')`,
	} {
		if _, err := old.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.Replies(context.Background(), 1)
	if err != nil || len(rs) != 1 || len(rs[0].Attachments) != 1 || rs[0].Attachments[0].Filename != "plan.pdf" {
		t.Fatalf("got %+v, %v; want Ada's reply with its attachment", rs, err)
	}
	if rs[0].Trust != app.TrustPlausible || !strings.Contains(rs[0].TrustReason, "before") {
		t.Fatalf("got trust %q (%s), want plausible, imported before senders were checked", rs[0].Trust, rs[0].TrustReason)
	}
	var fk int
	db.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("got foreign keys off after the migration, want them back on")
	}
}
