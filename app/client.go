package app

import (
	"net/mail"
	"strings"
	"time"
)

// Client statuses. A paused client stays in cohorts but is not counted as active;
// alumni have finished working with the coach and are kept for history.
const (
	StatusActive = "active"
	StatusPaused = "paused"
	StatusAlumni = "alumni"
)

// ClientStatuses lists the valid statuses in the order the window offers them.
var ClientStatuses = []string{StatusActive, StatusPaused, StatusAlumni}

// Client is a person the coach works with. Email is unique across all clients and
// their aliases, ignoring case, because it is how replies are matched to people.
type Client struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Aliases    []string   `json:"aliases"`
	Phone      string     `json:"phone"`
	TimeZone   string     `json:"timeZone"`
	Tags       []string   `json:"tags"`
	Status     string     `json:"status"`
	Goals      string     `json:"goals"`
	Notes      string     `json:"notes"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	ArchivedAt *time.Time `json:"archivedAt"`
}

// ClientInput is what the coach can set on a client, when creating or editing.
type ClientInput struct {
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	Aliases  []string `json:"aliases"`
	Phone    string   `json:"phone"`
	TimeZone string   `json:"timeZone"`
	Tags     []string `json:"tags"`
	Status   string   `json:"status"`
	Goals    string   `json:"goals"`
	Notes    string   `json:"notes"`
}

// ClientRow is one line of the clients list: enough to show and filter it, small
// enough that 10,000 of them move quickly to the window.
type ClientRow struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	Tags      []string  `json:"tags"`
	Cohorts   int       `json:"cohorts"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ClientFilter narrows and orders the clients list.
type ClientFilter struct {
	Query    string   `json:"query"`    // words matched against name, email, tags, goals and notes
	Tags     []string `json:"tags"`     // every tag must be present
	Status   string   `json:"status"`   // "" for any
	CohortID int64    `json:"cohortId"` // 0 for any; otherwise current members only
	Archived bool     `json:"archived"` // list archived clients instead of current ones
	Sort     string   `json:"sort"`     // "name" (default), "email", "created", "updated"
	Desc     bool     `json:"desc"`
	Offset   int      `json:"offset"`
	Limit    int      `json:"limit"` // 0 for all
}

// ClientPage is one page of the clients list with the number of all matches, so the
// window can size its scroll area before it has every row.
type ClientPage struct {
	Rows  []ClientRow `json:"rows"`
	Total int         `json:"total"`
}

// ValidEmail reports whether s is a bare address a mail server would accept: a
// local part, one domain with a dot in it, no display name, no spaces.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}
