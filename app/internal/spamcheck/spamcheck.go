// Package spamcheck scores messages with SpamAssassin in tests, so that "our mail
// does not look like spam" is checked on the real bytes the renderer builds rather
// than assumed. Only local tests run (-L): no DNS blocklists, no network, the same
// score on every machine with the same rules.
package spamcheck

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequireEnv names the variable that turns a skip into a failure when spamassassin
// is not installed, as for the real mail servers: CI sets it so that a missing
// package cannot let the check pass silently.
const RequireEnv = "ROUNDTABLE_REQUIRE_REAL_MAIL"

// Score runs `spamassassin -L -t` on the raw message and returns its score and the
// names of the rules it hit, and logs SpamAssassin's own table of rules with their
// points (shown when the test fails or runs with -v). It skips tb when spamassassin
// is not installed, unless ROUNDTABLE_REQUIRE_REAL_MAIL is true, then it fails.
//
// One check takes about three seconds (Perl loading the rules), so a test should
// score one representative message, not many.
func Score(tb testing.TB, raw []byte) (score float64, rules []string) {
	tb.Helper()
	bin, err := exec.LookPath("spamassassin")
	if err != nil {
		if required() {
			tb.Fatalf("spamcheck: spamassassin is not installed (%s requires it; run scripts/setup.sh)", RequireEnv)
		}
		tb.Skipf("spamcheck: skipping: spamassassin is not installed (set %s=1 to fail instead)", RequireEnv)
	}
	// A home of its own, and no Bayes database: otherwise each run would write user
	// preferences and auto-learn into the real home, and later scores would depend
	// on what earlier runs learned.
	home := tb.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-L", "-t",
		"-p", filepath.Join(home, "user_prefs"),
		"--cf=use_bayes 0", "--cf=bayes_auto_learn 0")
	cmd.Env = append(os.Environ(), "HOME="+home)
	cmd.Stdin = bytes.NewReader(raw)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("spamcheck: spamassassin: %v\n%s", err, stderr.String())
	}
	score, rules, err = Parse(out.Bytes())
	if err != nil {
		tb.Fatalf("spamcheck: %v\nstderr:\n%s", err, stderr.String())
	}
	tb.Logf("spamcheck: score %.1f in %v, rules %v\n%s", score, time.Since(start).Round(time.Millisecond),
		rules, details(out.Bytes()))
	return score, rules
}

func required() bool {
	ok, _ := strconv.ParseBool(os.Getenv(RequireEnv))
	return ok
}

var (
	scoreRE = regexp.MustCompile(`\bscore=(-?[0-9]+(?:\.[0-9]+)?)`)
	testsRE = regexp.MustCompile(`\btests=(.*?)(?:\s+autolearn=|\s+version=|$)`)
)

// Parse reads the score and the rules hit from the X-Spam-Status header of a
// message SpamAssassin has processed, e.g.
//
//	X-Spam-Status: No, score=-0.0 required=5.0 tests=HTML_MESSAGE,NO_RECEIVED,
//		NO_RELAYS autolearn=disabled version=4.0.1
//
// The rules are as SpamAssassin lists them; "tests=none" gives none.
func Parse(processed []byte) (score float64, rules []string, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(processed))
	if err != nil {
		return 0, nil, fmt.Errorf("read spamassassin's output: %w", err)
	}
	status := msg.Header.Get("X-Spam-Status")
	if status == "" {
		return 0, nil, fmt.Errorf("spamassassin's output has no X-Spam-Status header")
	}
	status = strings.Join(strings.Fields(status), " ") // unfold
	m := scoreRE.FindStringSubmatch(status)
	if m == nil {
		return 0, nil, fmt.Errorf("no score in X-Spam-Status %q", status)
	}
	score, err = strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, nil, fmt.Errorf("score in X-Spam-Status %q: %w", status, err)
	}
	if t := testsRE.FindStringSubmatch(status); t != nil {
		for _, r := range strings.Split(strings.ReplaceAll(t[1], " ", ""), ",") {
			if r != "" && r != "none" {
				rules = append(rules, r)
			}
		}
	}
	return score, rules, nil
}

// details returns the "Content analysis details" table that -t appends to the
// body: each rule with its points and description.
func details(processed []byte) string {
	s := strings.ReplaceAll(string(processed), "\r\n", "\n")
	i := strings.Index(s, "Content analysis details:")
	if i < 0 {
		return ""
	}
	s = s[i:]
	// The table ends at the first blank line after its "---- ----" rule.
	if r := strings.Index(s, "\n----"); r >= 0 {
		if j := strings.Index(s[r:], "\n\n"); j >= 0 {
			s = s[:r+j]
		}
	}
	return s
}
