package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// actAsWindow is a child process standing in for the window: it opens the
// workspace as the window does (taking the lock), runs the outbox as the window
// does, says "ready" on stdout, and closes when its stdin does.
func actAsWindow() int {
	ws := os.Getenv(WorkspaceEnv)
	db, err := store.OpenAs(ws, store.HolderWindow)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	secrets := secret.New(ws + ".secrets.json")
	secrets.NoKeyring = true
	snd, err := sending.Start(context.Background(), db, secrets, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer snd.Close()
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

// wantOneCopyEach fails unless every address got exactly one message at srv.
func wantOneCopyEach(t *testing.T, srv *smtptest.Server, emails []string) {
	t.Helper()
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	for _, e := range emails {
		if got[e] != 1 {
			t.Errorf("%s: got %d copies, want 1", e, got[e])
		}
	}
	if len(got) != len(emails) {
		t.Errorf("got mail for %d addresses, want %d", len(got), len(emails))
	}
}

// TestConcurrentSends starts two, then three `roundtable outbox send` processes
// at once on one workspace: one sends, the others are refused with a sentence
// naming it, and no member gets a copy twice.
func TestConcurrentSends(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several processes")
	}
	for _, n := range []int{2, 3} {
		t.Run(strconv.Itoa(n)+"Processes", func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: 3 * time.Millisecond}})
			ws, emails := queuedToCohort(t, 150, srv)
			type result struct {
				code   int
				stderr string
			}
			results := make([]result, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cmd := childCommand(ws, "outbox", "send")
					var errb bytes.Buffer
					cmd.Stderr = &errb
					cmd.Run()
					results[i] = result{cmd.ProcessState.ExitCode(), errb.String()}
				}()
			}
			wg.Wait()
			refused := 0
			for _, r := range results {
				switch {
				case r.code == 0:
				case r.code == 1 && strings.HasPrefix(r.stderr, "roundtable: Another Roundtable job is working on this workspace (pid ") &&
					strings.Contains(r.stderr, ": roundtable outbox send). Try again when it has finished"):
					refused++
				default:
					t.Fatalf("got exit %d %q, want 0 or the refusal", r.code, r.stderr)
				}
			}
			if refused == 0 {
				t.Errorf("got no process refused, want the ones started beside the first refused")
			}
			// Whatever was left (nothing, if the first one finished) goes now.
			if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
				t.Fatal(errs)
			}
			wantOneCopyEach(t, srv, emails)
			t.Logf("%d processes: %d refused, %d copies for %d members", n, refused, len(srv.Messages()), len(emails))
		})
	}
}

// TestCommandsBesideTheWindow runs the commands beside a process that has the
// workspace open as the window and is sending its outbox: `outbox send` and the
// other writing commands are refused with the window's sentence, the read-only
// commands work, and every member gets exactly one copy (from the window).
func TestCommandsBesideTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a second process")
	}
	srv := smtptest.Start(t, smtptest.Options{Hooks: smtptest.Hooks{Delay: 5 * time.Millisecond}})
	ws, emails := queuedToCohort(t, 100, srv)
	window := exec.Command(os.Args[0])
	window.Env = append(os.Environ(), childEnv+"=window", WorkspaceEnv+"="+ws)
	stdin, _ := window.StdinPipe()
	stdout, _ := window.StdoutPipe()
	var windowErr bytes.Buffer
	window.Stderr = &windowErr
	if err := window.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		window.Wait()
	}()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("the window did not start: %q %s", line, windowErr.String())
	}

	want := fmt.Sprintf("roundtable: Roundtable is already open on this workspace (pid %d); it sends the outbox itself.", window.Process.Pid)
	cmd := childCommand(ws, "outbox", "send")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.HasPrefix(errb.String(), want) {
		t.Fatalf("got exit %d %q, want 1 and %q", code, errb.String(), want)
	}
	for _, args := range [][]string{
		{"outbox", "retry"},
		{"cohorts", "create", "Another"},
		{"inbox", "sync"},
	} {
		code, _, errs := run(t, ws, args...)
		if code != 1 || !strings.HasPrefix(errs, want) {
			t.Errorf("%s: got exit %d %q, want 1 and the window's sentence", strings.Join(args, " "), code, errs)
		}
	}
	for _, args := range [][]string{
		{"outbox", "list", "--json"},
		{"clients", "list"},
		{"clients", "show", emails[0]},
		{"clients", "export", t.TempDir() + "/out.csv"},
		{"cohorts", "list"},
		{"cohorts", "show", "Big"},
		{"conversations", "list", "--cohort", "Big"},
		{"unmatched", "list"},
		{"account", "show"},
	} {
		if code, _, errs := run(t, ws, args...); code != 0 {
			t.Errorf("%s beside the window: got exit %d %q, want 0", strings.Join(args, " "), code, errs)
		}
	}

	deadline := time.Now().Add(60 * time.Second)
	for len(srv.Messages()) < len(emails) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // room for a copy that should not come
	wantOneCopyEach(t, srv, emails)
}
