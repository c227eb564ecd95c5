package app

import "time"

// SearchKind is one kind of thing search finds. The list SearchKinds is the
// one place that names them: the store searches what its search_items table
// holds for these kinds (each filled by triggers, see migration 0015), the
// window and the CLI show the groups in this order under these headings.
type SearchKind struct {
	Kind  string `json:"kind"`
	Label string `json:"label"` // the group's heading, plural
	One   string `json:"one"`   // one of them, for the CLI's lines
}

// Search kinds.
const (
	SearchClient       = "client"
	SearchPost         = "post"
	SearchReply        = "reply"
	SearchLesson       = "lesson"
	SearchSession      = "session"
	SearchSessionNote  = "session_note"
	SearchAttendeeNote = "attendee_note"
)

// SearchKinds lists every kind search finds, in the order its groups show.
// Adding a kind is its migration (a view search_source_KIND, triggers and an
// INSERT into search_items, as migration 0015 does for lessons) and one line
// here.
var SearchKinds = []SearchKind{
	{Kind: SearchClient, Label: "Clients", One: "client"},
	{Kind: SearchReply, Label: "Replies", One: "reply"},
	{Kind: SearchPost, Label: "Posts", One: "post"},
	{Kind: SearchLesson, Label: "Lessons", One: "lesson"},
	{Kind: SearchSession, Label: "Sessions", One: "session"},
	{Kind: SearchSessionNote, Label: "Session notes", One: "session note"},
	{Kind: SearchAttendeeNote, Label: "Notes on attendees", One: "attendee note"},
}

// FindSearchKind returns the kind named k, and whether there is one.
func FindSearchKind(k string) (SearchKind, bool) {
	for _, sk := range SearchKinds {
		if sk.Kind == k {
			return sk, true
		}
	}
	return SearchKind{}, false
}

// SearchQuery is what the coach typed and the filters chosen. Any text is
// safe: it is read as words, never as FTS5 syntax.
type SearchQuery struct {
	Text     string   `json:"text"`
	Kinds    []string `json:"kinds"`    // none: every kind
	CohortID int64    `json:"cohortId"` // 0: any cohort
	ClientID int64    `json:"clientId"` // 0: anyone
	// From and To bound the date of what is found (a reply's arrival, a
	// session's start, a post's sending); zero for no bound. To is exclusive.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// PerKind is how many hits each kind shows at most (default 5, at most 100).
	PerKind int `json:"perKind"`
}

// SearchResults are the hits, grouped by kind in SearchKinds' order; a kind
// with nothing found has no group.
type SearchResults struct {
	Groups []SearchGroup `json:"groups"`
}

// SearchGroup is one kind's hits, best first, and how many there are in all.
type SearchGroup struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Total int    `json:"total"`
	// More: the words are in so much that only the newest 300
	// matches were ranked; there are more than Total.
	More bool        `json:"more"`
	Hits []SearchHit `json:"hits"`
}

// SearchHit is one thing found, with what is needed to open it.
type SearchHit struct {
	Kind string `json:"kind"`
	// ID is the client, post, reply or session; an attendee note is its
	// session's (ID) about a client (ClientID).
	ID int64 `json:"id"`
	// ParentID is what the hit opens inside: a reply's post, a note's session.
	ParentID int64     `json:"parentId"`
	CohortID int64     `json:"cohortId"`
	Cohort   string    `json:"cohort"`
	ClientID int64     `json:"clientId"`
	Title    string    `json:"title"`
	At       time.Time `json:"at"`
	// Private marks what only the coach ever sees: a reply marked private, a
	// personal 1:1 mail, a note.
	Private bool `json:"private"`
	// Unmatched: a reply still waiting in the unmatched queue.
	Unmatched bool `json:"unmatched"`
	// Snippet is a short piece of the text with the words found marked, as
	// plain text parts: the window renders them as text, never as markup.
	Snippet []SnippetPart `json:"snippet"`
	// Substring: found inside a word (the trigram index), not as a word.
	Substring bool `json:"substring"`
}

// SnippetPart is a run of a snippet's text, found (Hit) or not.
type SnippetPart struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit"`
}
