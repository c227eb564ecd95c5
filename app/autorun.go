package app

import "time"

// LastRun is the last `roundtable run-due`: when it started (by the real
// clock), what it queued, and the sentence it failed with, if it did.
type LastRun struct {
	At      time.Time `json:"at"`
	Digests int       `json:"digests"`
	Posts   int       `json:"posts"`
	// Reminders are the session reminders the run queued.
	Reminders int `json:"reminders"`
	// Lessons are the lessons the run released.
	Lessons int    `json:"lessons"`
	Error   string `json:"error,omitempty"`
}

// BackgroundRun is the system job that runs `roundtable run-due` while the
// window is closed, as the window shows it.
type BackgroundRun struct {
	Kind         string   `json:"kind"`         // "a systemd user timer", "a launchd agent", "a Task Scheduler task"
	Installed    bool     `json:"installed"`    // the job is there
	Command      string   `json:"command"`      // what it runs, for a coach who prefers their own scheduler
	EveryMinutes int      `json:"everyMinutes"` // how often
	LastRun      *LastRun `json:"lastRun"`      // nil before the first run
}
