package app

import "time"

// Backup is one backup copy of the workspace and what it holds, read from the
// copy itself (read-only), so that the coach can tell copies apart before
// restoring one.
type Backup struct {
	Path          string    `json:"path"`
	TakenAt       time.Time `json:"takenAt"` // when the copy was made (UTC), from its file name
	Size          int64     `json:"size"`    // bytes
	SchemaVersion int       `json:"schemaVersion"`
	Clients       int       `json:"clients"`  // current clients (not archived)
	Cohorts       int       `json:"cohorts"`  // current cohorts (not archived)
	Posts         int       `json:"posts"`    // announcements and digests written
	Messages      int       `json:"messages"` // mail: copies in the outbox plus replies received
	// Problem is the sentence saying why this copy cannot be restored (damaged,
	// newer than this Roundtable); "" for a good copy. Only lists carry it:
	// a restore refuses such a copy with the same sentence as an error.
	Problem string `json:"problem,omitempty"`
}

// BackupResult is what making a backup did: the new copy, and the older
// copies that the retention (7 daily, 4 weekly) removed.
type BackupResult struct {
	Backup  Backup   `json:"backup"`
	Removed []string `json:"removed"`
}

// RestoreResult is what a restore did, or (when Done is false) what it would do.
type RestoreResult struct {
	Backup    Backup `json:"backup"`
	Workspace string `json:"workspace"` // the file replaced
	KeptAside string `json:"keptAside"` // where the workspace as it was is kept
	Done      bool   `json:"done"`
}

// BackupFolder is the backup folder as the window shows it: where copies go,
// the copies there, and why the last automatic backup failed ("" when it did not).
type BackupFolder struct {
	Folder      string   `json:"folder"`
	Backups     []Backup `json:"backups"`
	DailyFailed string   `json:"dailyFailed"`
}
