// Package realmail starts real mail servers (Postfix for SMTP, Dovecot for IMAP) on
// loopback for the integration tests of the mail packages, so that sending and importing
// are checked against the servers a coach's provider actually runs rather than against
// an in-process imitation.
//
// It drives scripts/mailservers/mailservers.sh. Each Start gets its own folder under
// /tmp and four free ports, so packages tested in parallel do not collide. Nothing can
// leave the machine: the servers relay for nobody and every outside transport is an
// error.
package realmail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"iter"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Addresses and password of the users every Start creates, so tests can log in without
// adding users first.
const (
	Coach    = "coach@example.test"
	Password = "secret"
)

// Members are the member addresses every Start creates besides Coach.
var Members = []string{
	"member1@example.test", "member2@example.test", "member3@example.test",
	"member4@example.test", "member5@example.test",
}

// RequireEnv names the variable that turns a skip into a failure when the servers are
// not installed; CI sets it to 1 so a broken setup cannot pass silently.
const RequireEnv = "ROUNDTABLE_REQUIRE_REAL_MAIL"

// Required reports whether RequireEnv holds a true value: anything strconv.ParseBool
// takes as true (1, t, true, TRUE...), or yes or on. CI systems spell "true" in
// different ways, and a spelling that silently meant "not required" would let a
// broken setup pass as skipped.
func Required() bool {
	return isTrue(os.Getenv(RequireEnv))
}

// SkipOrFail skips tb because a real-mail test cannot run (why), or fails it
// when Required: under CI a missing server is a broken setup, not a pass.
func SkipOrFail(tb testing.TB, why string) {
	tb.Helper()
	if Required() {
		tb.Fatalf("realmail: %s (%s=%s requires real mail servers)", why, RequireEnv, os.Getenv(RequireEnv))
		return
	}
	tb.Skipf("realmail: skipping: %s (set %s=1 to fail instead)", why, RequireEnv)
}

func isTrue(v string) bool {
	v = strings.TrimSpace(v)
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	switch strings.ToLower(v) {
	case "yes", "y", "on":
		return true
	}
	return false
}

// mailUID owns every Maildir (Dovecot's userdb gives all users uid/gid 5000).
const mailUID, mailGID = 5000, 5000

// Servers is one running Postfix + Dovecot pair.
type Servers struct {
	// Dir holds config, logs, queue and mailboxes (Dir/mail/DOMAIN/LOCALPART/Maildir).
	Dir string
	// Host is the address to dial; TLSConfig verifies the certificate as "localhost".
	Host string
	// IMAPPort offers STARTTLS, IMAPSPort implicit TLS (both Dovecot).
	IMAPPort, IMAPSPort int
	// SubmissionPort requires STARTTLS then AUTH; SMTPPort takes mail for local users
	// without either (both Postfix).
	SubmissionPort, SMTPPort int
	// CACertPEM is the servers' self-signed certificate, so clients verify it properly.
	CACertPEM []byte

	script  string
	fillSeq atomic.Int64
}

// Start starts a fresh pair of servers for tb and stops them when tb ends. It skips tb
// when Postfix or Dovecot is not installed or cannot be started for lack of root, and
// fails it instead when ROUNDTABLE_REQUIRE_REAL_MAIL is true (see Required).
func Start(tb testing.TB) *Servers {
	tb.Helper()
	s := start(tb)
	tb.Cleanup(func() { s.stop(tb) })
	return s
}

// Addr joins Host and one of the ports for dialing.
func (s *Servers) Addr(port int) string {
	return net.JoinHostPort(s.Host, strconv.Itoa(port))
}

// TLSConfig trusts the servers' certificate for the name "localhost", the way a client
// would trust a provider's: no InsecureSkipVerify.
func (s *Servers) TLSConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CACertPEM)
	return &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
}

// AddUser adds a mailbox (or changes its password) while the servers run; when it
// returns, Postfix accepts mail for email and Dovecot lets it log in. It takes 0.5–2 s
// (Postfix reloads) and is safe to call from parallel tests.
func (s *Servers) AddUser(tb testing.TB, email, password string) {
	tb.Helper()
	if out, err := s.run(90*time.Second, nil, "adduser", s.Dir, email, password); err != nil {
		tb.Fatalf("realmail: adduser %s: %v\n%s", email, err, out)
	}
}

// FillMaildir writes msgs straight into user's INBOX (its Maildir's new/ folder), far
// faster than SMTP, to load thousands of messages for import tests. Each message is
// stored as given (LF or CRLF line endings both work). Dovecot needs no signal: it
// notices new files at the next SELECT, STATUS or NOOP. It returns how many messages it
// wrote. It needs root, since the files must belong to uid 5000.
func (s *Servers) FillMaildir(tb testing.TB, user string, msgs iter.Seq[[]byte]) int {
	tb.Helper()
	local, domain, ok := strings.Cut(strings.ToLower(user), "@")
	if !ok || local == "" || domain == "" {
		tb.Fatalf("realmail: FillMaildir: not an email address: %q", user)
	}
	if os.Geteuid() != 0 {
		tb.Fatalf("realmail: FillMaildir needs root to write files owned by uid %d", mailUID)
	}
	home := filepath.Join(s.Dir, "mail", domain, local)
	maildir := filepath.Join(home, "Maildir")
	for _, d := range []string{filepath.Join(s.Dir, "mail", domain), home, maildir,
		filepath.Join(maildir, "tmp"), filepath.Join(maildir, "new"), filepath.Join(maildir, "cur")} {
		if err := os.Mkdir(d, 0o700); err != nil && !os.IsExist(err) {
			tb.Fatalf("realmail: FillMaildir: %v", err)
		}
		if err := os.Chown(d, mailUID, mailGID); err != nil {
			tb.Fatalf("realmail: FillMaildir: %v", err)
		}
	}
	// Maildir names must be unique: time, a per-Servers sequence and our pid do that.
	// ",S=size" lets Dovecot skip a stat; the file goes to tmp/ first and is renamed into
	// new/, so Dovecot never sees half a message.
	now := time.Now()
	pid := os.Getpid()
	n := 0
	for msg := range msgs {
		seq := s.fillSeq.Add(1)
		name := fmt.Sprintf("%d.M%dP%dQ%d.realmail,S=%d", now.Unix(), now.Nanosecond()/1000, pid, seq, len(msg))
		tmp := filepath.Join(maildir, "tmp", name)
		if err := writeOwned(tmp, msg); err != nil {
			tb.Fatalf("realmail: FillMaildir: %v", err)
		}
		if err := os.Rename(tmp, filepath.Join(maildir, "new", name)); err != nil {
			tb.Fatalf("realmail: FillMaildir: %v", err)
		}
		n++
	}
	return n
}

func writeOwned(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Chown(mailUID, mailGID)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// start does Start's work without registering the stop, so a benchmark can time both.
func start(tb testing.TB) *Servers {
	tb.Helper()
	script, why := usable()
	if why != "" {
		SkipOrFail(tb, why)
	}
	reapOrphans(script)
	// Dovecot's mail processes run as uid 5000 and must reach Dir: t.TempDir() is 0700
	// under a long path, so make our own short 0755 folder under /tmp.
	dir, err := os.MkdirTemp("/tmp", dirPrefix)
	if err != nil {
		tb.Fatalf("realmail: %v", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatalf("realmail: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		tb.Fatalf("realmail: %v", err)
	}
	s := &Servers{Dir: dir, Host: "127.0.0.1", script: script}

	// A port found free may be taken by another package before Postfix or Dovecot binds
	// it; a second try with new ports settles that.
	for attempt := 1; attempt <= 3; attempt++ {
		ports, err := freePorts(4)
		if err != nil {
			tb.Fatalf("realmail: %v", err)
		}
		s.IMAPPort, s.IMAPSPort, s.SubmissionPort, s.SMTPPort = ports[0], ports[1], ports[2], ports[3]
		env := []string{
			"RT_IMAP_PORT=" + strconv.Itoa(s.IMAPPort),
			"RT_IMAPS_PORT=" + strconv.Itoa(s.IMAPSPort),
			"RT_SUBMISSION_PORT=" + strconv.Itoa(s.SubmissionPort),
			"RT_SMTP_PORT=" + strconv.Itoa(s.SMTPPort),
			"RT_MAIL_USERS=",
		}
		out, err := s.run(60*time.Second, env, "start", dir)
		if err == nil {
			break
		}
		tb.Logf("realmail: start attempt %d: %v\n%s%s", attempt, err, out, s.logTail())
		s.run(90*time.Second, nil, "stop", dir)
		if attempt == 3 {
			os.RemoveAll(dir)
			tb.Fatalf("realmail: mail servers did not start")
		}
	}
	s.CACertPEM, err = os.ReadFile(filepath.Join(dir, "tls", "cert.pem"))
	if err != nil {
		s.stop(tb)
		tb.Fatalf("realmail: %v", err)
	}
	return s
}

// stop stops the servers and removes Dir, showing the servers' logs first if tb failed.
func (s *Servers) stop(tb testing.TB) {
	if tb.Failed() {
		tb.Logf("realmail: server logs from %s:\n%s", s.Dir, s.logTail())
	}
	if out, err := s.run(90*time.Second, nil, "stop", s.Dir); err != nil {
		tb.Errorf("realmail: stop: %v\n%s", err, out)
		return
	}
	if err := os.RemoveAll(s.Dir); err != nil {
		tb.Logf("realmail: %v", err)
	}
}

// run runs the script with output to a buffer. The script sends the daemons' output to
// files, and WaitDelay guards against one that still holds our pipe.
func (s *Servers) run(timeout time.Duration, env []string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{s.script}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return out.Bytes(), err
}

// logTail returns the last lines of each server log, for failure messages.
func (s *Servers) logTail() string {
	var b strings.Builder
	for _, name := range []string{"control.log", "postfix.log", "dovecot.log"} {
		data, err := os.ReadFile(filepath.Join(s.Dir, "log", name))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 40 {
			lines = lines[len(lines)-40:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// usable finds the script and says why the servers cannot run here, if they cannot.
func usable() (script, why string) {
	var missing []string
	for _, p := range []string{"/usr/sbin/postfix", "/usr/sbin/dovecot", "/usr/lib/dovecot/lmtp"} {
		if !fileExists(p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return "", "Postfix and Dovecot are not installed (missing " + strings.Join(missing, ", ") + "); scripts/setup.sh installs them"
	}
	if os.Geteuid() != 0 && exec.Command("sudo", "-n", "true").Run() != nil {
		return "", "Postfix and Dovecot must be started as root, and sudo asks for a password"
	}
	script = findScript()
	if script == "" {
		return "", "scripts/mailservers/mailservers.sh not found beside this package's source or above the working directory"
	}
	return script, ""
}

// findScript looks beside this file's source first, then up from the working directory
// (a test's is its package folder), which still works when built with -trimpath.
func findScript() string {
	const rel = "scripts/mailservers/mailservers.sh"
	var dirs []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dirs = append(dirs, filepath.Join(filepath.Dir(file), "..", "..", "..", ".."))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			dirs = append(dirs, d)
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	for _, d := range dirs {
		if p := filepath.Join(d, rel); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// dirPrefix names the folders Start makes under /tmp; ownerFile in each holds the pid of
// the test process that owns it.
const dirPrefix, ownerFile = "rtmail-", "owner.pid"

// reapOrphans stops servers left running by test processes that died before their
// cleanup ran (a -timeout panic, a kill), so their daemons do not pile up across runs.
func reapOrphans(script string) {
	dirs, _ := filepath.Glob(filepath.Join("/tmp", dirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // being set up right now, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		orphan := &Servers{Dir: dir, script: script}
		if _, err := orphan.run(30*time.Second, nil, "stop", dir); err == nil {
			os.RemoveAll(dir)
		}
	}
}

// freePorts asks the kernel for n distinct free loopback ports. They are all held open
// until the last is found, so they differ from each other.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
