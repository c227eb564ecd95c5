package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
)

// childEnv marks a test binary started by a test to act as the roundtable
// command: a real process that the crash test can kill.
const childEnv = "ROUNDTABLE_TEST_CLI_CHILD"

// seedEnv overrides the crash test's random seed, to replay a failing run.
const seedEnv = "ROUNDTABLE_TEST_SEED"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "1":
		os.Exit(Run(&Env{Ctx: context.Background(), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:]))
	case "window":
		os.Exit(actAsWindow())
	}
	os.Exit(m.Run())
}

// childCommand is the roundtable command args on workspace ws, run as a real
// process (this test binary acting as roundtable).
func childCommand(ws string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", WorkspaceEnv+"="+ws)
	return cmd
}

// queuedToCohort makes a workspace whose account sends to srv, with a cohort of
// n members and one announcement queued to them all; it returns the workspace
// and the members' addresses.
func queuedToCohort(t *testing.T, n int, srv *smtptest.Server) (string, []string) {
	t.Helper()
	t.Setenv(KeyringEnv, "off")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ws := filepath.Join(t.TempDir(), "w.db")
	var csv strings.Builder
	csv.WriteString("Name,Email\n")
	var emails []string
	for i := range n {
		e := fmt.Sprintf("member%03d@example.org", i)
		emails = append(emails, e)
		fmt.Fprintf(&csv, "Member %d,%s\n", i, e)
	}
	run(t, ws, "clients", "import", writeCSV(t, csv.String()))
	run(t, ws, "cohorts", "create", "Big")
	if code, _, errs := run(t, ws, append([]string{"cohorts", "add-member", "Big"}, emails...)...); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "account", "set", "--smtp-host", srv.Host, "--smtp-port", strconv.Itoa(srv.Port),
		"--smtp-security", "none", "--from-name", "Coach", "--from-email", "coach@example.com"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, ws, "post", "create", "--cohort", "Big", "--subject", "Crash test", "--body", writeBody(t)); code != 0 {
		t.Fatal(errs)
	}
	return ws, emails
}

// TestCrashWhileSending kills `roundtable outbox send` with SIGKILL at random
// moments while it sends an announcement to 500 members, restarts it, and checks
// that every member got the message, and that the only copies sent twice are the
// ones in flight at a kill, with the same Message-ID so mail clients fold them.
// A killed process's lock goes with it, and the next one requeues its claims at
// once. The random seed is logged; ROUNDTABLE_TEST_SEED replays a run.
func TestCrashWhileSending(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 500 messages through killed processes")
	}
	const members = 500
	srv := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: time.Millisecond}})
	ws, emails := queuedToCohort(t, members, srv)
	child := func() *exec.Cmd { return childCommand(ws, "outbox", "send") }
	kills := 0
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(seedEnv); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, v, err)
		}
	}
	t.Logf("random seed %d (run again with %s=%d)", seed, seedEnv, seed)
	rng := rand.New(rand.NewPCG(1, seed))
	for range 6 {
		before := len(srv.Messages())
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+rng.IntN(300)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if len(srv.Messages()) > before {
			kills++ // a kill that landed while sending
		}
	}
	cmd := child()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the last run failed: %v\n%s", err, out)
	}

	got := map[string][]string{} // recipient → Message-IDs received
	for _, m := range srv.Messages() {
		r, err := mail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := r.Header.MessageID()
		got[m.To[0]] = append(got[m.To[0]], id)
	}
	dups := 0
	for _, e := range emails {
		ids := got[e]
		if len(ids) == 0 {
			t.Fatalf("%s got nothing: a message was lost", e)
		}
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Fatalf("%s got two different Message-IDs %v: a resend must be the same message", e, ids)
			}
		}
		dups += len(ids) - 1
	}
	if dups > kills {
		t.Fatalf("got %d duplicates after %d kills while sending, want at most one per kill", dups, kills)
	}
	t.Logf("%d recipients, %d kills while sending, %d duplicate copies (same Message-ID), 0 lost", members, kills, dups)
}
