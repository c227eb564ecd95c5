// Package cli runs Roundtable's jobs without a window: for scripting, cron, support
// and tests. Every command writes its result to stdout (as JSON with --json, in the
// shape docs/cli.md documents), and an error to stderr as one sentence with exit
// status 1 (2 for a mistake in the command line itself).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/typo"
	"github.com/roundtablehq/roundtable/app/store"
)

// WorkspaceEnv names the environment variable that chooses the workspace when
// --workspace is not given.
const WorkspaceEnv = "ROUNDTABLE_WORKSPACE"

// Env is what a command runs with.
type Env struct {
	Ctx       context.Context
	Workspace string // the file to open; "" for the default
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer

	// readOnly and holder come from the command being run: a read-only command
	// opens the workspace beside a writer, a writing one takes its lock.
	readOnly bool
	holder   string
}

// command is one CLI command: its usage line, a one-line summary, what it does,
// and whether it only reads the workspace.
type command struct {
	usage    string
	summary  string
	run      func(env *Env, args []string) error
	readOnly bool
}

// commands lists every command by its words, "clients import" and so on.
var commands = map[string]command{}

// register adds a command that writes the workspace: it takes the workspace's
// lock, so it is refused while the window or another writing command has it.
func register(words, usage, summary string, run func(env *Env, args []string) error) {
	commands[words] = command{usage: usage, summary: summary, run: run}
}

// registerReader adds a command that only reads the workspace: it works beside
// the window or a writing command, and cannot change anything.
func registerReader(words, usage, summary string, run func(env *Env, args []string) error) {
	commands[words] = command{usage: usage, summary: summary, run: run, readOnly: true}
}

// IsCommand reports whether args ask for a command rather than the window:
// anything but nothing, "open", or the window's own options (which start with
// a dash). An unknown word is a command too, so that a typo gets a sentence
// and exit status 2 instead of a window (or, with no display, a crash).
func IsCommand(args []string) bool {
	if len(args) == 0 || args[0] == OpenWord {
		return false
	}
	switch args[0] {
	case "-h", "--help", "-help", "--version", "-version", "-v":
		return true
	}
	return !strings.HasPrefix(args[0], "-")
}

// OpenWord is the explicit command for the window ("roundtable open").
const OpenWord = "open"

// TakeWorkspaceFlag removes --workspace PATH (or --workspace=PATH) from args,
// where it may stand before a command or among the window's own options, and
// falls back to $ROUNDTABLE_WORKSPACE. Both programs read it: the command-line
// one and the window.
func TakeWorkspaceFlag(args []string) (string, []string) {
	path := os.Getenv(WorkspaceEnv)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "--workspace" || a == "-workspace") && i+1 < len(args):
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "--workspace=") || strings.HasPrefix(a, "-workspace="):
			path = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	return path, rest
}

// errUsage marks a mistake in the command line: exit status 2.
var errUsage = errors.New("usage")

// Run runs the command in args and returns the process exit status.
func Run(env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		help(env.Stdout, args)
		return 0
	}
	if args[0] == "version" || args[0] == "--version" || args[0] == "-v" {
		fmt.Fprintf(env.Stdout, "roundtable %s (workspace schema %d)\n", app.Version, store.SchemaVersion())
		return 0
	}
	cmd, rest, ok := lookup(args)
	if !ok {
		given := strings.Join(args[:min(2, len(args))], " ")
		hint := ""
		if near := closest(args); near != "" {
			hint = fmt.Sprintf(" Did you mean \"roundtable %s\"?", near)
		}
		fmt.Fprintf(env.Stderr, "roundtable: %q is not a command.%s Run \"roundtable help\" to see the commands.\n", given, hint)
		return 2
	}
	if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help") {
		fmt.Fprintf(env.Stdout, "Usage: roundtable [--workspace PATH] %s\n\n%s\n", cmd.usage, cmd.summary)
		return 0
	}
	env.readOnly, env.holder = cmd.readOnly, "roundtable "+strings.Join(args[:len(args)-len(rest)], " ")
	err := cmd.run(env, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "roundtable: %s\nUsage: roundtable %s\n", strings.TrimPrefix(err.Error(), "usage: "), cmd.usage)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "roundtable: %s\n", sentence(err))
		return 1
	}
}

// lookup finds the longest command the first words of args name (commands
// have up to three words: "clients bounce confirm").
func lookup(args []string) (command, []string, bool) {
	for n := min(3, len(args)); n >= 1; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:], true
		}
	}
	return command{}, nil, false
}

// closest is the command (or, for one word typed, the command group) nearest
// to what was typed, by edit distance, or "" when none is near enough to be
// meant.
func closest(args []string) string {
	best, bestDist := "", 0
	for words := range commands {
		w := strings.Fields(words)
		n := min(len(w), len(args))
		typed, name := strings.Join(args[:n], " "), strings.Join(w[:n], " ")
		d := typo.Distance(typed, name)
		// Near enough: a slip of a letter or two, never half the word.
		if d > max(1, len(name)/4) {
			continue
		}
		if best == "" || d < bestDist || d == bestDist && name < best {
			best, bestDist = name, d
		}
	}
	return best
}

// sentence is what the coach reads: our sentence, and for errors that are not
// ours, the error's own text, which on a terminal is better than nothing.
func sentence(err error) string {
	var ae *app.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return err.Error()
}

func help(w io.Writer, args []string) {
	if len(args) > 1 {
		if cmd, _, ok := lookup(args[1:]); ok {
			fmt.Fprintf(w, "Usage: roundtable [--workspace PATH] %s\n\n%s\n", cmd.usage, cmd.summary)
			return
		}
	}
	fmt.Fprintf(w, `Roundtable runs a coach's groups over email. Without a command it opens the window.

Usage: roundtable [--workspace PATH] [COMMAND]

--workspace PATH chooses the workspace file (also $%s); the default is
the user's data folder.

Commands:
`, WorkspaceEnv)
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		summary := commands[n].summary
		if commands[n].readOnly {
			summary += " (Read-only: works beside the window.)"
		}
		fmt.Fprintf(w, "  %-22s %s\n", n, summary)
	}
	fmt.Fprintf(w, "  %-22s %s\n  %-22s %s\n\nRun \"roundtable help COMMAND\" for a command's options.\n",
		"version", "Print the version.", "help", "Print this help.")
}

// parse parses flags that may stand before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			msg := err.Error()
			if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
				msg = "--" + name + " is not an option of this command"
			}
			return nil, fmt.Errorf("%w: %s", errUsage, msg)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// path is the workspace file the command works on: --workspace, else
// $ROUNDTABLE_WORKSPACE, else the default.
func (env *Env) path() (string, error) {
	path := env.Workspace
	if path == "" {
		path = os.Getenv(WorkspaceEnv)
	}
	if path == "" {
		p, err := app.DefaultWorkspacePath()
		if err != nil {
			return "", app.Wrap(app.EINVALID, err, "The default workspace folder could not be found; choose a file with --workspace")
		}
		path = p
	}
	return path, nil
}

// open opens the workspace the command works on.
func (env *Env) open() (*store.DB, error) {
	path, err := env.path()
	if err != nil {
		return nil, err
	}
	if env.readOnly {
		return store.OpenReadOnly(path)
	}
	db, err := store.OpenAs(path, env.holder)
	if err == nil && db.CheckedBecause != "" {
		// The check took a moment the coach may have noticed: say why.
		fmt.Fprintf(env.Stderr, "Checked the whole workspace before opening it, because %s: it is fine.\n", db.CheckedBecause)
	}
	return db, err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// workspace opens the workspace, runs fn on it and closes it again.
func (env *Env) workspace(fn func(db *store.DB) error) error {
	db, err := env.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
