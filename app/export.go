package app

import "time"

// Export is everything the coach keeps in the workspace, as one JSON document
// that needs no Roundtable to read: clients (current and archived), and each
// cohort with its roster (leavers too), its conversations (posts with
// their replies and the coach's answers), its curriculum and who had which
// lesson; and the lesson library. Passwords are never in it.
type Export struct {
	Roundtable    string         `json:"roundtable"` // the version that wrote it
	SchemaVersion int            `json:"schemaVersion"`
	ExportedAt    time.Time      `json:"exportedAt"`
	Clients       []Client       `json:"clients"`
	Cohorts       []CohortExport `json:"cohorts"`
	Lessons       []Lesson       `json:"lessons"`
}

// CohortExport is one cohort in an Export.
type CohortExport struct {
	Cohort
	Roster        []Member       `json:"roster"`
	Conversations []Conversation `json:"conversations"`
	Curriculum    Curriculum     `json:"curriculum"`
	Progress      ProgressGrid   `json:"progress"` // the current members' lessons: released, answered, done
}

// ReplyHeaders are the headers of a reply that Roundtable keeps (it keeps no
// raw mail): its own Message-ID, and the Message-ID of the copy it answered.
// Both are without angle brackets; "" when unknown.
type ReplyHeaders struct {
	MessageID string
	InReplyTo string
}
