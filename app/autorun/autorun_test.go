package autorun

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands for the service manager: it notes each command and answers
// with fail for the commands named in it.
type recorder struct {
	calls []string
	fail  map[string]bool
}

func (r *recorder) run(_ context.Context, name string, args ...string) error {
	call := name + " " + strings.Join(args, " ")
	r.calls = append(r.calls, call)
	for prefix := range r.fail {
		if strings.HasPrefix(call, prefix) {
			return errors.New("Failed to connect to bus: No medium found")
		}
	}
	return nil
}

// job is a job with awkward paths: a space, a percent sign (a systemd
// specifier) and a dollar (a variable) must all reach the program as written.
func job(t *testing.T, goos string, r *recorder) Job {
	t.Helper()
	home := t.TempDir()
	return Job{OS: goos, Exe: "/opt/Round Table/roundtable", Workspace: filepath.Join(home, "Coaching 100%", "$work.db"),
		Home: home, UID: 501, run: r.run}
}

func TestSystemdTimer(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		r := &recorder{}
		j := job(t, "linux", r)
		if j.Installed(context.Background()) {
			t.Fatal("got installed before Install, want not")
		}
		if err := j.Install(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !j.Installed(context.Background()) {
			t.Fatal("got not installed after Install")
		}
		want := []string{"systemctl --user daemon-reload", "systemctl --user enable --now roundtable-run-due.timer"}
		if strings.Join(r.calls, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got %q, want %q", r.calls, want)
		}
		svc, _ := os.ReadFile(filepath.Join(j.Home, ".config", "systemd", "user", "roundtable-run-due.service"))
		wantExec := `ExecStart="/opt/Round Table/roundtable" "--workspace" "` + filepath.Join(j.Home, "Coaching 100%%", "$$work.db") + `" "run-due"`
		if !strings.Contains(string(svc), wantExec+"\n") || !strings.Contains(string(svc), "Type=oneshot") {
			t.Fatalf("got service\n%s\nwant %s", svc, wantExec)
		}
		tm, _ := os.ReadFile(filepath.Join(j.Home, ".config", "systemd", "user", "roundtable-run-due.timer"))
		for _, line := range []string{"OnCalendar=*:0/15", "Persistent=true", "WantedBy=timers.target"} {
			if !strings.Contains(string(tm), line+"\n") {
				t.Errorf("got timer\n%s\nwant the line %s", tm, line)
			}
		}
		verify(t, j)
		other := j
		other.Workspace = filepath.Join(j.Home, "other.db")
		if other.Installed(context.Background()) {
			t.Fatal("got a job for another workspace counted as installed, want not")
		}

		r.calls = nil
		if err := j.Remove(context.Background()); err != nil {
			t.Fatal(err)
		}
		if j.Installed(context.Background()) || r.calls[0] != "systemctl --user disable --now roundtable-run-due.timer" {
			t.Fatalf("got installed %v after Remove with %q, want gone and the timer disabled", j.Installed(context.Background()), r.calls)
		}
		if err := j.Remove(context.Background()); err != nil {
			t.Fatalf("got %v removing twice, want nothing to do", err)
		}
	})
	t.Run("ErrNoUserSession", func(t *testing.T) {
		r := &recorder{fail: map[string]bool{"systemctl --user enable": true}}
		j := job(t, "linux", r)
		err := j.Install(context.Background())
		if err == nil || !strings.Contains(err.Error(), "did not start a systemd user timer") || !strings.Contains(err.Error(), "run-due") {
			t.Fatalf("got %v, want a sentence naming the timer and the command to run instead", err)
		}
		if j.Installed(context.Background()) {
			t.Fatal("got the files left behind, want them taken away")
		}
		if _, err := os.Stat(filepath.Join(j.Home, ".config", "systemd", "user", "roundtable-run-due.service")); !os.IsNotExist(err) {
			t.Fatalf("got %v, want the service file gone", err)
		}
	})
	t.Run("XDGConfigHome", func(t *testing.T) {
		j := job(t, "linux", &recorder{})
		j.ConfigDir = filepath.Join(j.Home, "elsewhere")
		if p := j.Files()[0].Path; !strings.HasPrefix(p, filepath.Join(j.Home, "elsewhere", "systemd", "user")) {
			t.Fatalf("got %s, want the unit under $XDG_CONFIG_HOME", p)
		}
	})
}

// verify has systemd itself read the units, where systemd-analyze is installed.
func verify(t *testing.T, j Job) {
	t.Helper()
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Log("systemd-analyze is not installed: units not checked by systemd")
		return
	}
	// systemd-analyze checks that ExecStart's program exists: point it at one.
	j.Exe = "/bin/true"
	dir := t.TempDir()
	var paths []string
	for _, f := range j.Files() {
		p := filepath.Join(dir, filepath.Base(f.Path))
		os.WriteFile(p, []byte(f.Content), 0o644)
		paths = append(paths, p)
	}
	out, err := exec.Command("systemd-analyze", append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil && strings.Contains(string(out), "roundtable-run-due") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

func TestLaunchdAgent(t *testing.T) {
	r := &recorder{}
	j := job(t, "darwin", r)
	if err := j.Install(context.Background()); err != nil {
		t.Fatal(err)
	}
	plist := filepath.Join(j.Home, "Library", "LaunchAgents", "app.roundtable.run-due.plist")
	if got := r.calls[len(r.calls)-1]; got != "launchctl bootstrap gui/501 "+plist {
		t.Fatalf("got %q, want the agent bootstrapped in the user's GUI domain", got)
	}
	// A second, independent reader: Python's plistlib reads what launchd will.
	if _, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command("python3", "-c",
			"import plistlib,sys,json; d=plistlib.load(open(sys.argv[1],'rb')); print(json.dumps([d['Label'], d['ProgramArguments'], d['StartInterval']]))",
			plist).CombinedOutput()
		want := `["app.roundtable.run-due", ["/opt/Round Table/roundtable", "--workspace", "` + j.Workspace + `", "run-due"], 900]`
		if err != nil || strings.TrimSpace(string(out)) != want {
			t.Fatalf("got %s (%v), want %s", out, err, want)
		}
	}
	if err := j.Remove(context.Background()); err != nil || j.Installed(context.Background()) {
		t.Fatalf("got %v, installed %v; want the agent removed", err, j.Installed(context.Background()))
	}
}

func TestWindowsTask(t *testing.T) {
	r := &recorder{}
	j := job(t, "windows", r)
	j.Exe, j.Workspace = `C:\Program Files\Roundtable\roundtable.exe`, `C:\Users\ana\AppData\Roaming\Roundtable\workspace.db`
	if err := j.Install(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `schtasks /Create /F /TN \Roundtable\Run what is due /SC MINUTE /MO 15 /TR "C:\Program Files\Roundtable\roundtable.exe" "--workspace" "C:\Users\ana\AppData\Roaming\Roundtable\workspace.db" "run-due"`
	if r.calls[0] != want {
		t.Fatalf("got %q, want %q", r.calls[0], want)
	}
	j.Workspace = `C:\` + strings.Repeat("very long folder name\\", 12) + "workspace.db"
	if err := j.Install(context.Background()); err == nil || !strings.Contains(err.Error(), "up to 261 characters") {
		t.Fatalf("got %v, want a sentence about the length limit", err)
	}
}
