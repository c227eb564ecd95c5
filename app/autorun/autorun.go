// Package autorun installs and removes the system job that runs `roundtable
// run-due` every quarter of an hour while the window is closed, so that digests
// and scheduled posts go and replies come in with the laptop merely awake: a
// systemd user timer on Linux, a launchd agent on macOS, a Task Scheduler task
// on Windows. Each is the system's own way for a user (no root, no service
// account) to run a program on a schedule, and each catches up after sleep.
//
// The job names the workspace explicitly, so it works on the file the window
// has open, and the binary by its absolute path, so an upgrade in place keeps
// it working.
package autorun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/due"
)

// Every is how often the job runs.
const Every = 15 * time.Minute

// Job is the job for one binary and workspace on one system.
type Job struct {
	OS        string // runtime.GOOS
	Exe       string // absolute path of the roundtable binary
	Workspace string // absolute path of the workspace file
	Home      string // the user's home folder (config folders hang from it)
	ConfigDir string // $XDG_CONFIG_HOME on Linux; "" for ~/.config
	UID       int    // for launchctl's gui/UID domain on macOS

	// run runs a system command (systemctl, launchctl, schtasks); tests set it.
	run func(ctx context.Context, name string, args ...string) error
}

// For returns the job for this computer, this binary and the workspace.
func For(workspace string) (Job, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return Job{}, app.Wrap(app.EUNAVAILABLE, err, "Roundtable could not tell where its own program file is")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return Job{}, app.Wrap(app.EUNAVAILABLE, err, "Roundtable could not find your home folder")
	}
	ws, err := filepath.Abs(workspace)
	if err != nil {
		return Job{}, err
	}
	return Job{OS: runtime.GOOS, Exe: exe, Workspace: ws, Home: home, ConfigDir: os.Getenv("XDG_CONFIG_HOME"),
		UID: os.Getuid(), run: runCommand}, nil
}

// runCommand runs a system command and turns its failure into its own output,
// which names the problem better than an exit status.
func runCommand(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		if msg := strings.TrimSpace(string(out)); msg != "" {
			return fmt.Errorf("%s: %s", name, msg)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Names of the job on each system.
const (
	unitName    = "roundtable-run-due"          // .service and .timer
	agentLabel  = "app.roundtable.run-due"      // launchd label and plist name
	taskName    = `\Roundtable\Run what is due` // Task Scheduler path
	windowsOS   = "windows"
	macOS       = "darwin"
	kindSystemd = "a systemd user timer"
	kindLaunchd = "a launchd agent"
	kindTask    = "a Task Scheduler task"
)

// File is one file the job consists of.
type File struct {
	Path    string
	Content string
}

// Files are the files that make the job (none on Windows, where the task lives
// in Task Scheduler's own store).
func (j Job) Files() []File {
	switch j.OS {
	case windowsOS:
		return nil
	case macOS:
		return []File{{filepath.Join(j.Home, "Library", "LaunchAgents", agentLabel+".plist"), j.plist()}}
	}
	dir := filepath.Join(j.configDir(), "systemd", "user")
	return []File{
		{filepath.Join(dir, unitName+".service"), j.service()},
		{filepath.Join(dir, unitName+".timer"), timer()},
	}
}

func (j Job) configDir() string {
	if j.ConfigDir != "" {
		return j.ConfigDir
	}
	return filepath.Join(j.Home, ".config")
}

// Kind says in words what the job is on this system.
func (j Job) Kind() string {
	switch j.OS {
	case windowsOS:
		return kindTask
	case macOS:
		return kindLaunchd
	}
	return kindSystemd
}

// Command is the command the job runs, as a coach would type it: arguments
// with spaces in double quotes.
func (j Job) Command() string {
	words := j.args()
	for i, w := range words {
		if strings.ContainsAny(w, " \t'\"") {
			words[i] = `"` + w + `"`
		}
	}
	return strings.Join(words, " ")
}

// args are the command the job runs.
func (j Job) args() []string { return []string{j.Exe, "--workspace", j.Workspace, "run-due"} }

// service is the systemd unit that runs once: Type=oneshot, so a run that
// takes long is never started twice, and the lock in the workspace turns it
// away politely while the window is open.
func (j Job) service() string {
	quoted := make([]string, len(j.args()))
	for i, a := range j.args() {
		quoted[i] = systemdQuote(a)
	}
	return "[Unit]\nDescription=Roundtable: send what is due and import replies\n" +
		"\n" +
		"[Service]\nType=oneshot\nExecStart=" + strings.Join(quoted, " ") + "\n"
}

// timer runs the service every quarter hour; Persistent catches up once after
// the laptop slept through a run.
func timer() string {
	return "[Unit]\nDescription=Roundtable: run what is due every 15 minutes\n\n" +
		"[Timer]\nOnCalendar=*:0/15\nPersistent=true\nRandomizedDelaySec=30\n\n" +
		"[Install]\nWantedBy=timers.target\n"
}

// systemdQuote quotes one ExecStart word: in double quotes, with backslash,
// quote, and the specifier and variable signs escaped.
func systemdQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$")
	return `"` + r.Replace(s) + `"`
}

// plist is the launchd agent: every 900 s, and at load.
func (j Job) plist() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + agentLabel + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, a := range j.args() {
		b.WriteString("\t\t<string>" + xmlEscape(a) + "</string>\n")
	}
	fmt.Fprintf(&b, `	</array>
	<key>StartInterval</key>
	<integer>%d</integer>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Background</string>
</dict>
</plist>
`, int(Every.Seconds()))
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// maxTaskCommand is the longest /TR schtasks accepts.
const maxTaskCommand = 261

// taskCommand is the /TR of the Windows task: the program and its arguments,
// each in double quotes (Windows paths cannot contain a double quote).
func (j Job) taskCommand() string {
	quoted := make([]string, len(j.args()))
	for i, a := range j.args() {
		quoted[i] = `"` + a + `"`
	}
	return strings.Join(quoted, " ")
}

// Installed reports whether the job is there, for this binary and workspace.
func (j Job) Installed(ctx context.Context) bool {
	if j.OS == windowsOS {
		return j.run(ctx, "schtasks", "/Query", "/TN", taskName) == nil
	}
	// Only this job counts: one for another binary or workspace is replaced by
	// Install.
	for _, f := range j.Files() {
		if b, err := os.ReadFile(f.Path); err != nil || string(b) != f.Content {
			return false
		}
	}
	return true
}

// Install writes the job and starts it. When the system refuses, whatever was
// written is taken away again and the error says what to do.
func (j Job) Install(ctx context.Context) error {
	if j.OS == windowsOS {
		if tr := j.taskCommand(); len(tr) > maxTaskCommand {
			return app.Errorf(app.EINVALID, "Task Scheduler takes commands of up to %d characters, and this one has %d (the paths of Roundtable and of the workspace are long). Move the workspace to a shorter path, or run %s from your own scheduler", maxTaskCommand, len(tr), tr)
		}
		err := j.run(ctx, "schtasks", "/Create", "/F", "/TN", taskName, "/SC", "MINUTE", "/MO", "15", "/TR", j.taskCommand())
		return j.failed(err, "Task Scheduler did not accept the task")
	}
	for _, f := range j.Files() {
		if err := writeFile(f); err != nil {
			j.removeFiles()
			return app.Wrap(app.EUNAVAILABLE, err, "Roundtable could not write %s", f.Path)
		}
	}
	var err error
	switch j.OS {
	case macOS:
		plist := j.Files()[0].Path
		j.run(ctx, "launchctl", "bootout", fmt.Sprintf("gui/%d/%s", j.UID, agentLabel)) // an older copy, if loaded
		err = j.run(ctx, "launchctl", "bootstrap", fmt.Sprintf("gui/%d", j.UID), plist)
	default:
		if err = j.run(ctx, "systemctl", "--user", "daemon-reload"); err == nil {
			err = j.run(ctx, "systemctl", "--user", "enable", "--now", unitName+".timer")
		}
	}
	if err != nil {
		j.removeFiles()
		return j.failed(err, "The system did not start "+j.Kind())
	}
	return nil
}

// Remove stops the job and deletes it. Removing a job that is not there is
// not an error.
func (j Job) Remove(ctx context.Context) error {
	var err error
	switch j.OS {
	case windowsOS:
		if j.Installed(ctx) {
			err = j.run(ctx, "schtasks", "/Delete", "/F", "/TN", taskName)
		}
	case macOS:
		j.run(ctx, "launchctl", "bootout", fmt.Sprintf("gui/%d/%s", j.UID, agentLabel))
	default:
		if j.Installed(ctx) {
			j.run(ctx, "systemctl", "--user", "disable", "--now", unitName+".timer")
		}
	}
	if err != nil {
		return j.failed(err, "The system did not remove "+j.Kind())
	}
	if err := j.removeFiles(); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "Roundtable could not delete the files of %s", j.Kind())
	}
	if j.OS != windowsOS && j.OS != macOS {
		j.run(ctx, "systemctl", "--user", "daemon-reload")
	}
	return nil
}

func (j Job) removeFiles() error {
	var errs []error
	for _, f := range j.Files() {
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// failed words a service manager's refusal, with the command the coach can
// run by hand instead.
func (j Job) failed(err error, what string) error {
	if err == nil {
		return nil
	}
	return app.Wrap(app.EUNAVAILABLE, err, "%s (%v). You can run %s from your own scheduler instead", what, err, j.Command())
}

// writeFile writes f whole or not at all, creating its folder.
func writeFile(f File) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return err
	}
	tmp := f.Path + ".tmp"
	if err := os.WriteFile(tmp, []byte(f.Content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, f.Path)
}

// Status is the job as the window shows it, with the last run `run-due` wrote
// down in the workspace.
func (j Job) Status(ctx context.Context, st due.Settings) (app.BackgroundRun, error) {
	b := app.BackgroundRun{Kind: j.Kind(), Installed: j.Installed(ctx), Command: j.Command(),
		EveryMinutes: int(Every.Minutes())}
	last, ok, err := due.LastRunOf(ctx, st)
	if ok {
		b.LastRun = &last
	}
	return b, err
}
