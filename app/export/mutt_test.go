package export

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireEnv turns the skip into a failure when mutt is missing, as for the
// real mail servers: CI sets it, so a missing package cannot let the second
// mail tool pass silently.
const requireEnv = "ROUNDTABLE_REQUIRE_REAL_MAIL"

// muttAndScript returns Debian's mutt and script (util-linux, which gives
// mutt the terminal it insists on), skipping tb (or failing it under
// requireEnv) when either is missing.
func muttAndScript(tb testing.TB) (mutt, script string) {
	tb.Helper()
	mutt, err := exec.LookPath("mutt")
	if err == nil {
		script, err = exec.LookPath("script")
	}
	if err != nil {
		if ok, _ := strconv.ParseBool(os.Getenv(requireEnv)); ok {
			tb.Fatalf("mutt and script are needed (%s is set): install mutt (scripts/setup.sh): %v", requireEnv, err)
		}
		tb.Skipf("mutt is not installed (set %s=1 to fail instead): %v", requireEnv, err)
	}
	return mutt, script
}

// shellQuote quotes s for the shell script runs the command line with.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestMboxReadByMutt writes a cohort's conversation as mbox and has mutt, a
// mail client a coach might use, open it and copy every message out decoded
// (tag all, decode-copy into a Maildir): each reply comes out as one message
// with its sender, subject and body as stored, non-ASCII and lines starting
// "From " included. Mutt reads the file read-only (-R), so it cannot
// "repair" it on the way.
func TestMboxReadByMutt(t *testing.T) {
	mutt, script := muttAndScript(t)
	db, mails := world(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "circle.mbox")
	if err := WriteFile(file, func(w io.Writer) error {
		_, err := Mbox(ctx, db, "spring circle", w)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(file)
	out := filepath.Join(dir, "read-by-mutt")
	// No user or system configuration (-n -F): only what the test sets, with
	// the mail folder one that exists, so that no question at start-up takes
	// the keys pushed by -e, which mutt runs once the mailbox is open.
	rc := filepath.Join(dir, "muttrc")
	os.WriteFile(rc, []byte("set folder="+dir+"\nset charset=utf-8\nset mbox_type=Maildir\nset confirmcreate=no\nset confirmappend=no\nset weed=no\nset wait_key=no\n"), 0o600)
	keys := `push "<tag-pattern>~A<enter><tag-prefix><decode-copy>` + out + `<enter><quit>"`
	line := strings.Join([]string{shellQuote(mutt), "-R", "-n", "-F", shellQuote(rc), "-f", shellQuote(file), "-e", shellQuote(keys)}, " ")
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(tctx, script, "-qec", line, "/dev/null")
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "TERM=xterm", "LC_ALL=C.UTF-8", "PATH=" + os.Getenv("PATH"), "SHELL=/bin/sh"}
	var screen bytes.Buffer
	cmd.Stdout, cmd.Stderr = &screen, &screen
	if err := cmd.Run(); err != nil {
		t.Fatalf("mutt: %v\n%q", err, screen.String())
	}
	after, _ := os.ReadFile(file)
	if !bytes.Equal(before, after) {
		t.Fatal("mutt changed the mbox, want it read as written")
	}
	files, _ := filepath.Glob(filepath.Join(out, "*", "*"))
	got := map[string]*mail.Message{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, b)
		}
		got[m.Header.Get("Message-ID")] = m
	}
	if len(files) != len(mails) || len(got) != len(mails) {
		t.Fatalf("got %d messages from mutt (%d Message-IDs), want %d\nscreen: %q", len(files), len(got), len(mails), screen.String())
	}
	for i, m := range mails {
		g := got["<"+m.MessageID+">"]
		if g == nil {
			t.Errorf("message %d (%s): missing from what mutt copied", i+1, m.MessageID)
			continue
		}
		body, _ := io.ReadAll(g.Body)
		want := m.Text
		if m.Quoted != "" {
			want += "\n\n" + m.Quoted
		}
		// Mutt writes the decoded headers as UTF-8.
		for _, c := range []struct{ name, got, want string }{
			{"From", g.Header.Get("From"), mailAddress(m.FromName, m.FromEmail)},
			{"Subject", g.Header.Get("Subject"), m.Subject},
			{"Date", g.Header.Get("Date"), m.SentAt.Format(time.RFC1123Z)},
			{"body", strings.TrimRight(string(body), "\n"), want},
		} {
			if c.got != c.want {
				t.Errorf("message %d %s: got %q, want %q", i+1, c.name, c.got, c.want)
			}
		}
	}
}

// mailAddress is how mutt writes a decoded From: the name (quoted when it
// needs to be) and the address.
func mailAddress(name, email string) string {
	if name == "" {
		return email
	}
	if strings.ContainsAny(name, `()<>[]:;@\,."`) {
		name = strconv.Quote(name)
	}
	return name + " <" + email + ">"
}
