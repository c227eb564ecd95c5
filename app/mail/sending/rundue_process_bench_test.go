package sending_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
)

// BenchEnvBin names the roundtable binary BenchmarkRunDueProcess runs.
const benchEnvBin = "ROUNDTABLE_BENCH_BIN"

// BenchmarkRunDueProcess is BenchmarkDigestSend2000Postfix as the coach's
// timer meets it: `roundtable run-due` as a process, from its start to its
// exit (open the workspace, record the Friday digests of 2,000 members over
// 5,000 replies, send them to real Postfix over submission, check the inbox),
// against one raw SMTP session sending the same digests, composed beforehand,
// in the same run. The binary is $ROUNDTABLE_BENCH_BIN (scripts/bench/run.sh
// builds it).
func BenchmarkRunDueProcess(b *testing.B) {
	const members = 2000
	roundtable, srv, from := processBench(b)
	template := digestSendTemplate(b, members, from)
	setAccount(roundtable, template, srv, from)

	delivered := uint32(0)
	var processTime, rawTime time.Duration
	for b.Loop() {
		b.StopTimer()
		rawTime += rawRound(b, srv, template, members, from, &delivered)

		// The process: run-due on a copy of the workspace, start to exit.
		ws := filepath.Join(b.TempDir(), "w.db")
		copyFile(b, template, ws)
		b.StartTimer()
		start := time.Now()
		out := roundtable(ws, "", "run-due", "--at", digestSendFriday.Format(time.RFC3339), "--json")
		processTime += time.Since(start)
		b.StopTimer()
		var res struct {
			Digests int `json:"digests"`
			Sent    struct {
				Sent int `json:"sent"`
			} `json:"sent"`
		}
		if err := json.Unmarshal(out, &res); err != nil || res.Digests != members || res.Sent.Sent < members {
			b.Fatalf("run-due said %s (%v); want %d digests queued and sent", out, err, members)
		}
		delivered += members
		waitDelivered(b, srv, delivered)
		b.StartTimer()
	}
	reportAgainstRaw(b, processTime, rawTime)
}

// reportAgainstRaw reports the process's and the raw session's seconds a run,
// and their ratio: the figure docs/benchmarks.md keeps.
func reportAgainstRaw(b *testing.B, processTime, rawTime time.Duration) {
	runs := float64(b.N)
	b.ReportMetric(processTime.Seconds()/runs, "process-s")
	b.ReportMetric(rawTime.Seconds()/runs, "raw-s")
	b.ReportMetric(processTime.Seconds()/rawTime.Seconds(), "ratio")
}

// processBench starts what a process benchmark needs: real Postfix and
// Dovecot, the coach who sends, and a runner of the roundtable program named by
// $ROUNDTABLE_BENCH_BIN (the benchmark is skipped without one) as the coach
// runs it: the password kept in a file (no keyring answers here), the servers'
// own certificate trusted. The runner fails the benchmark if the command does.
func processBench(b *testing.B) (roundtable func(ws, stdin string, args ...string) []byte, srv *realmail.Servers, from compose.From) {
	bin := os.Getenv(benchEnvBin)
	if bin == "" {
		b.Skip("set " + benchEnvBin + " to a roundtable binary (scripts/bench/run.sh does)")
	}
	srv = realmail.Start(b)
	from = compose.From{Name: "Sam Coach", Email: realmail.Coach, PlusAddressing: true}
	home := b.TempDir()
	cert := filepath.Join(home, "cert.pem")
	if err := os.WriteFile(cert, srv.CACertPEM, 0o600); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "XDG_CONFIG_HOME="+home, "SSL_CERT_FILE="+cert, "ROUNDTABLE_KEYRING=")
	roundtable = func(ws string, stdin string, args ...string) []byte {
		cmd := exec.Command(bin, append([]string{"--workspace", ws}, args...)...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
		var errb strings.Builder
		cmd.Stderr = &errb
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("roundtable %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out
	}
	return roundtable, srv, from
}

// setAccount sets the workspace's account, as the coach does once.
func setAccount(roundtable func(ws, stdin string, args ...string) []byte, ws string, srv *realmail.Servers, from compose.From) {
	roundtable(ws, realmail.Password+"\n", "account", "set",
		"--smtp-host", srv.Host, "--smtp-port", fmt.Sprint(srv.SubmissionPort), "--smtp-security", "starttls", "--smtp-user", realmail.Coach,
		"--imap-host", srv.Host, "--imap-port", fmt.Sprint(srv.IMAPSPort), "--imap-security", "tls", "--imap-user", realmail.Coach,
		"--from-name", from.Name, "--from-email", from.Email, "--plus-addressing", "on", "--password-stdin", "--password-file")
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	raw, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, raw, 0o600); err != nil {
		b.Fatal(err)
	}
}
