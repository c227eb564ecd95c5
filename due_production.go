//go:build !dev

package main

import "time"

// dueTimer returns the window's due-timer interval and RunDue's look-ahead:
// every minute, from the clock as it is. (The dev build reads them from the
// environment for the browser tests.)
func dueTimer() (every, ahead time.Duration) { return time.Minute, 0 }
