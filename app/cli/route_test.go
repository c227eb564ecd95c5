package cli

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/store"
)

// The sandbox starts only when a route goes through it: an inbox sync from
// the coach's own incoming server (no outgoing one set up) starts none, and
// says what went wrong with that server; with no account at all, the sync
// reads the sandbox's mailbox.
func TestSandboxStartsOnlyWhenARouteNeedsIt(t *testing.T) {
	t.Setenv(KeyringEnv, "off")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	// A port where nothing listens: the server's answer is a refusal.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	syncWith := func(t *testing.T, ws string) (*mailRoutes, error) {
		db, err := store.Open(ws)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		env := &Env{Ctx: ctx, Workspace: ws}
		m, err := env.mail(db)
		if err != nil {
			t.Fatal(err)
		}
		defer m.close()
		_, err = m.sync(env, db)
		return m, err
	}

	t.Run("OwnServer", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "w.db")
		if code, _, errs := runIn(t, ws, "s3cret\n", "account", "set", "--imap-host", "127.0.0.1", "--imap-port", strconv.Itoa(port),
			"--imap-security", "none", "--imap-user", "coach", "--password-stdin", "--password-file"); code != 0 {
			t.Fatalf("account set: %d %s", code, errs)
		}
		m, err := syncWith(t, ws)
		if m.sb != nil {
			t.Error("got the sandbox started for a sync from the coach's own server")
		}
		if err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("got %v, want the coach's server named", err)
		}
	})
	t.Run("NoAccount", func(t *testing.T) {
		m, err := syncWith(t, filepath.Join(t.TempDir(), "w.db"))
		if err != nil || m.sb == nil {
			t.Errorf("got %v, sandbox %v; want the sandbox's mailbox read", err, m.sb)
		}
	})
}
