package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/store"
)

// cohortWithMembers makes a workspace with a cohort of three members.
func cohortWithMembers(t *testing.T) string {
	t.Helper()
	t.Setenv(KeyringEnv, "off")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the password file: never the developer's own
	ws := filepath.Join(t.TempDir(), "w.db")
	run(t, ws, "clients", "import", writeCSV(t, "Name,Email\nAda Lovelace,ada@example.com\nGrace Hopper,grace@example.com\nKen Thompson,ken@example.com\n"))
	run(t, ws, "cohorts", "create", "Circle")
	if code, _, errs := run(t, ws, "cohorts", "add-member", "Circle", "ada@example.com", "grace@example.com", "ken@example.com"); code != 0 {
		t.Fatal(errs)
	}
	return ws
}

func writeBody(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body.md")
	os.WriteFile(p, []byte("Hello {{first_name}},\n\nWhat is your **one goal** this week?\n"), 0o600)
	return p
}

func TestAnnouncementIntoSandbox(t *testing.T) {
	ws := cohortWithMembers(t)
	code, out, errs := run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Week 1 — Grüße", "--body", writeBody(t))
	if code != 0 || !strings.HasPrefix(out, "Queued post 1 to Circle: 3 messages.") {
		t.Fatalf("got %d %q %q, want 3 queued", code, out, errs)
	}
	code, out, errs = run(t, ws, "outbox", "send", "--json")
	if code != 0 {
		t.Fatalf("got %d %q, want the outbox sent into the sandbox", code, errs)
	}
	var res struct {
		Sent    int
		Sandbox bool
		States  map[string]int
	}
	json.Unmarshal([]byte(out), &res)
	if res.Sent != 3 || !res.Sandbox || res.States["sent"] != 3 {
		t.Fatalf("got %+v, want 3 sent into the sandbox", res)
	}
	db, err := store.OpenReadOnly(ws) // beside the commands that follow
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	msgs, err := db.SandboxMessages(context.Background(), "grace@example.com")
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Raw, "Hello Grace,") {
		t.Fatalf("got %d messages (%v), want Grace's own copy in her sandbox mailbox", len(msgs), err)
	}
	// Nothing is sent twice.
	if _, out, _ := run(t, ws, "outbox", "send"); !strings.HasPrefix(out, "Sent 0 into the sandbox.") {
		t.Fatalf("got %q on a second send, want nothing sent", out)
	}
	code, out, _ = run(t, ws, "outbox", "list", "--json")
	var items []struct {
		Email      string `json:"email"`
		State      string `json:"state"`
		Attempts   int    `json:"attempts"`
		LastAnswer string `json:"lastAnswer"`
		MessageID  string `json:"messageId"`
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil || code != 0 || len(items) != 3 {
		t.Fatalf("got %q, want 3 items", out)
	}
	for _, it := range items {
		if it.State != "sent" || it.Attempts != 1 || it.MessageID == "" || !strings.HasPrefix(it.LastAnswer, "Accepted by the server") {
			t.Fatalf("got %+v, want sent with its answer and Message-ID", it)
		}
	}
}

func TestAccountAndRealServer(t *testing.T) {
	ws := cohortWithMembers(t)
	srv := smtptest.Start(t, smtptest.Options{Users: map[string]string{"coach": "s3cret"}})
	t.Setenv("ROUNDTABLE_SMTP_PASSWORD", "")
	code, _, errs := runIn(t, ws, "s3cret\n", "account", "set", "--smtp-host", srv.Host, "--smtp-port", strconv.Itoa(srv.Port),
		"--smtp-security", "none", "--smtp-user", "coach", "--from-name", "Coach Carter", "--from-email", "coach@example.com", "--password-stdin")
	if code != 0 {
		t.Fatalf("got %d %q, want the account saved", code, errs)
	}
	code, out, _ := run(t, ws, "account", "show")
	if code != 0 || strings.Contains(out, "s3cret") || !strings.Contains(out, "Password: saved in ") {
		t.Fatalf("got %q, want the account without its password", out)
	}
	if code, out, errs := run(t, ws, "account", "test"); code != 0 || !strings.Contains(out, "logged in as coach") {
		t.Fatalf("got %d %q %q, want a successful test", code, out, errs)
	}
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Hi", "--body", writeBody(t))
	if code, out, errs := run(t, ws, "outbox", "send"); code != 0 || out != "Sent 3. Waiting to retry: 0. Failed: 0.\n" {
		t.Fatalf("got %d %q %q, want 3 sent", code, out, errs)
	}
	if n := len(srv.Messages()); n != 3 {
		t.Fatalf("got %d at the server, want 3", n)
	}

	// A wrong password is explained, and nothing is sent.
	runIn(t, ws, "wrong\n", "account", "set", "--smtp-host", srv.Host, "--smtp-port", strconv.Itoa(srv.Port),
		"--smtp-security", "none", "--smtp-user", "coach", "--from-name", "Coach", "--from-email", "coach@example.com", "--password-stdin")
	code, _, errs = run(t, ws, "account", "test")
	if code != 1 || !strings.Contains(errs, "did not accept the user name or password") {
		t.Fatalf("got %d %q, want the wrong password explained", code, errs)
	}

	// An unencrypted connection to another machine is refused before any network.
	code, _, errs = run(t, ws, "account", "set", "--smtp-host", "smtp.example.com", "--smtp-port", "25", "--smtp-security", "none",
		"--from-email", "coach@example.com")
	if code != 1 || !strings.Contains(errs, "unencrypted connection is only allowed to this computer") {
		t.Fatalf("got %d %q, want plain SMTP to a remote host refused", code, errs)
	}

	if code, _, _ := run(t, ws, "account", "use-sandbox"); code != 0 {
		t.Fatal("use-sandbox failed")
	}
	if _, out, _ := run(t, ws, "account", "show"); !strings.Contains(out, "built-in sandbox") {
		t.Fatalf("got %q, want the sandbox", out)
	}
}

func runIn(t *testing.T, ws, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	env := &Env{Ctx: context.Background(), Workspace: ws, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	return Run(env, args), out.String(), errb.String()
}

// TestPasswordWithoutKeyring runs where no keyring service answers (the session
// bus points nowhere, as on a server or a bare desktop): the password is kept in
// the file only with --password-file, and `account show` says where it is.
func TestPasswordWithoutKeyring(t *testing.T) {
	ws := cohortWithMembers(t)
	t.Setenv(KeyringEnv, "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	file := filepath.Join(cfg, "roundtable", "secrets.json")
	args := []string{"account", "set", "--smtp-host", "127.0.0.1", "--smtp-port", "2525", "--smtp-security", "none",
		"--smtp-user", "coach", "--from-name", "Coach", "--from-email", "coach@example.com",
		"--imap-host", "127.0.0.1", "--imap-port", "1143", "--imap-security", "none", "--imap-user", "coach", "--password-stdin"}

	t.Run("ErrNoConsent", func(t *testing.T) {
		code, _, errs := runIn(t, ws, "s3cret\n", args...)
		if code == 0 || !strings.Contains(errs, "--password-file") || !strings.Contains(errs, file) {
			t.Fatalf("got %d %q, want a refusal naming the flag and the file", code, errs)
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Fatalf("got %v, want no file without consent", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if code, _, errs := runIn(t, ws, "s3cret\n", append(args, "--password-file")...); code != 0 {
			t.Fatalf("got %d %q, want the password kept in the file", code, errs)
		}
		st, err := os.Stat(file)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("got %v %v, want %s with mode 0600", st, err, file)
		}
		code, out, _ := run(t, ws, "account", "show")
		if code != 0 || !strings.Contains(out, "Password: saved in "+file) || !strings.Contains(out, "password saved in "+file) || strings.Contains(out, "s3cret") {
			t.Fatalf("got %q, want the file named and no password", out)
		}
		if _, err := os.Stat(ws + ".secrets.json"); !os.IsNotExist(err) {
			t.Fatal("a password file was written beside the workspace")
		}
	})
}

// TestNameWithLineBreakFromCSV imports a CSV whose quoted name cell holds a line
// break, as exports from other tools do, and sends the member a post: the import
// says what it tidied, and the copy arrives with the name on one line.
func TestNameWithLineBreakFromCSV(t *testing.T) {
	t.Setenv(KeyringEnv, "off")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ws := filepath.Join(t.TempDir(), "w.db")
	code, out, errs := run(t, ws, "clients", "import", writeCSV(t, "Name,Email\r\n\"Ada\r\nLovelace\",ada@example.com\r\n"))
	if code != 0 || !strings.Contains(out, "Note: 1 name(s) had a line break and were put on one line (line 2).") {
		t.Fatalf("got %d %q %q, want the import to say what it tidied", code, out, errs)
	}
	run(t, ws, "cohorts", "create", "Circle")
	run(t, ws, "cohorts", "add-member", "Circle", "ada@example.com")
	run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Hi {{first_name}}", "--body", writeBody(t))
	if code, out, errs := run(t, ws, "outbox", "send"); code != 0 || !strings.HasPrefix(out, "Sent 1 into the sandbox.") {
		t.Fatalf("got %d %q %q, want the copy sent", code, out, errs)
	}
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	msgs, _ := db.SandboxMessages(context.Background(), "ada@example.com")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Raw, "\r\nTo: Ada Lovelace <ada@example.com>\r\n") {
		t.Fatalf("got %d messages, want Ada's copy addressed to her name on one line", len(msgs))
	}
}

func TestPostCreateRefusesWhatTheWindowRefuses(t *testing.T) {
	ws := cohortWithMembers(t)
	empty := filepath.Join(t.TempDir(), "empty.md")
	os.WriteFile(empty, []byte("\n"), 0o600)
	typo := filepath.Join(t.TempDir(), "typo.md")
	os.WriteFile(typo, []byte("Hello {{firstname}},\n"), 0o600)
	for _, tc := range []struct {
		name, subject, body string
		want                []string
	}{
		{"ErrEmpty", "", empty, []string{"Give the announcement a subject", "The announcement is empty"}},
		{"ErrTypo", "Week 1", typo, []string{"{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, ws, "post", "create", "--cohort", "Circle", "--subject", tc.subject, "--body", tc.body)
			if code == 0 {
				t.Fatalf("got exit 0 and %q, want a refusal", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("got %q, want it to say %q", errs, w)
				}
			}
		})
	}
	if _, out, _ := run(t, ws, "outbox", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("got outbox %s, want nothing queued", out)
	}
}

func TestPostCreateNamesTheSkipped(t *testing.T) {
	ws := cohortWithMembers(t)
	db, err := store.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	ken, err := db.FindClientByEmail(context.Background(), "ken@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkUnsubscribed(context.Background(), ken.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Week 1", "--body", writeBody(t))
	if code != 0 || !strings.HasPrefix(out, "Queued post 1 to Circle: 2 messages, 1 skipped.") ||
		!strings.Contains(out, "Skipped Ken Thompson <ken@example.com>: Not sent: unsubscribed on ") {
		t.Fatalf("got %d %q %q, want 2 queued and Ken skipped for his unsubscribe", code, out, errs)
	}
}
