package ui

import (
	"os"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// WorkspaceService tells the window which workspace is open.
type WorkspaceService struct {
	base
	db *store.DB
}

// NewWorkspaceService returns the service over an open workspace.
func NewWorkspaceService(db *store.DB) *WorkspaceService { return &WorkspaceService{db: db} }

// Info returns the workspace's file and counts.
func (s *WorkspaceService) Info() (app.WorkspaceInfo, error) {
	info, err := s.db.Info(s.ctx)
	return info, fail(err)
}

// Choices returns the fixed lists the forms offer: statuses, kinds, import fields.
func (s *WorkspaceService) Choices() Choices {
	return Choices{Statuses: app.ClientStatuses, Kinds: app.CohortKinds, ImportFields: app.ImportFields}
}

// StartRouteEnv names an environment variable holding the view the window opens
// on (a hash route such as "#/cohorts/1"); the screenshot script uses it.
const StartRouteEnv = "ROUNDTABLE_START_ROUTE"

// StartRoute returns the view to open first, or "" for the default.
func (s *WorkspaceService) StartRoute() string { return os.Getenv(StartRouteEnv) }

// Choices are the fixed lists the window's forms offer.
type Choices struct {
	Statuses     []string `json:"statuses"`
	Kinds        []string `json:"kinds"`
	ImportFields []string `json:"importFields"`
}
