package account

import (
	"context"
	"io"
	"log"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// startIMAP starts an in-memory IMAP server on 127.0.0.1 with one user.
func startIMAP(t *testing.T) int {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("coach@example.com", "right")
	u.Create("INBOX", nil)
	u.Create("Roundtable", nil)
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func TestIMAPAccount(t *testing.T) {
	ctx := context.Background()
	port := startIMAP(t)
	db, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sec := secret.New(filepath.Join(t.TempDir(), "secrets.json"))
	sec.NoKeyring = true
	good := app.IMAPAccount{Host: "127.0.0.1", Port: port, Security: app.SecurityNone, User: "coach@example.com"}

	t.Run("TestConnectionOK", func(t *testing.T) {
		if err := TestIMAP(ctx, sec, good, "right"); err != nil {
			t.Fatal(err)
		}
	})
	for name, tc := range map[string]struct {
		change   func(*app.IMAPAccount)
		password string
		code     string
		words    string
	}{
		"ErrWrongPassword":  {func(*app.IMAPAccount) {}, "wrong", app.EUNAUTHORIZED, "app password"},
		"ErrNothingListens": {func(a *app.IMAPAccount) { a.Port = closedPort(t) }, "right", app.EUNAVAILABLE, "refused the connection"},
		"ErrPlainToRemote":  {func(a *app.IMAPAccount) { a.Host = "imap.example.com" }, "right", app.EINVALID, "in the clear"},
		"ErrNoSuchFolder":   {func(a *app.IMAPAccount) { a.Folder = "Replies" }, "right", app.EINVALID, `"Replies"`},
		"ErrNoMoveFolder":   {func(a *app.IMAPAccount) { a.MoveTo = "Done" }, "right", app.EINVALID, `"Done"`},
		"ErrTLSOnPlainPort": {func(a *app.IMAPAccount) { a.Security = app.SecurityTLS }, "right", app.EUNAVAILABLE, "did not answer with encryption"},
	} {
		t.Run(name, func(t *testing.T) {
			a := good
			tc.change(&a)
			err := TestIMAP(ctx, sec, a, tc.password)
			if app.ErrorCode(err) != tc.code || !strings.Contains(app.ErrorMessage(err), tc.words) {
				t.Fatalf("got %v (code %s), want code %s and a sentence with %q", err, app.ErrorCode(err), tc.code, tc.words)
			}
		})
	}

	t.Run("SaveLoadAndSync", func(t *testing.T) {
		a := good
		a.MoveTo, a.MarkRead = "Roundtable", true
		if err := SaveIMAP(ctx, db, sec, a, "right"); err != nil {
			t.Fatal(err)
		}
		got, err := LoadIMAP(ctx, db)
		if err != nil || got.Folder != "INBOX" || got.MoveTo != "Roundtable" || !got.MarkRead {
			t.Fatalf("got %+v, %v; want the saved account with INBOX", got, err)
		}
		st, _ := IMAPStatusOf(ctx, db, sec)
		if !st.Configured || !st.HasPassword {
			t.Fatalf("got %+v, want configured with a password", st)
		}
		if err := TestIMAP(ctx, sec, got, ""); err != nil {
			t.Fatalf("got %v testing with the saved password, want it to work", err)
		}
		dial, opts, err := InboxFor(ctx, db, sec)
		if err != nil || opts.Folder != "INBOX" || opts.MoveTo != "Roundtable" || opts.Account != "coach@example.com@127.0.0.1" {
			t.Fatalf("got %+v, %v; want the options of the saved account", opts, err)
		}
		c, err := dial(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if err := ForgetIMAP(ctx, db, sec); err != nil {
			t.Fatal(err)
		}
		if _, _, err := InboxFor(ctx, db, sec); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("got %v after forgetting, want EINVALID asking to set up the server", err)
		}
	})

	t.Run("Presets", func(t *testing.T) {
		for _, p := range app.Presets {
			a, ok := IMAPPreset(p.ID, "me@example.com")
			want := 993
			if p.IMAPSecurity == app.SecuritySTARTTLS {
				want = p.IMAPPort // Proton Mail Bridge, on this computer
			}
			if !ok || a.Host == "" || a.Port != want || CheckIMAP(a) != nil {
				t.Errorf("got %+v for %s, want a valid account on %d", a, p.ID, want)
			}
		}
	})
}

func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
