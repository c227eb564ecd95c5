//go:build dev

package main

import (
	"log/slog"
	"os"
	"time"
)

// Environment variables of the dev build only, for the browser tests (see
// e2e/README.md): how often the window's timer runs what is due, and how far
// ahead of the clock "Send what is due now" looks, so that members who joined
// a minute ago can be due a digest without waiting for the next hour.
const (
	dueEveryEnv = "ROUNDTABLE_TEST_DUE_EVERY"
	dueAheadEnv = "ROUNDTABLE_TEST_DUE_AHEAD"
)

// dueTimer returns the window's due-timer interval and RunDue's look-ahead.
func dueTimer() (every, ahead time.Duration) {
	return envDuration(dueEveryEnv, time.Minute), envDuration(dueAheadEnv, 0)
}

func envDuration(name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		slog.Error("ignoring a malformed duration", "env", name, "value", v)
		return def
	}
	return d
}
