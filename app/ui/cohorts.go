package ui

import (
	"context"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// CohortService is the cohorts area of the window.
type CohortService struct {
	base
	db *store.DB
	// kick wakes the outbox after a roster change queued invitations or
	// cancellations (StartSessions); nil while starting.
	kick func()
}

// NewCohortService returns the service over an open workspace.
func NewCohortService(db *store.DB) *CohortService { return &CohortService{db: db} }

// List returns the current cohorts, or the archived ones.
func (s *CohortService) List(archived bool) ([]app.Cohort, error) {
	cs, err := s.db.ListCohorts(s.ctx, archived)
	return cs, fail(err)
}

// Get returns one cohort.
func (s *CohortService) Get(id int64) (app.Cohort, error) {
	c, err := s.db.FindCohortByID(s.ctx, id)
	return c, fail(err)
}

// Create adds a cohort.
func (s *CohortService) Create(in app.CohortInput) (app.Cohort, error) {
	c, err := s.db.CreateCohort(s.ctx, in)
	return c, fail(err)
}

// Update saves the coach's edits to a cohort.
func (s *CohortService) Update(id int64, in app.CohortInput) (app.Cohort, error) {
	c, err := s.db.UpdateCohort(s.ctx, id, in)
	return c, fail(err)
}

// Archive hides a finished cohort; Restore undoes it.
func (s *CohortService) Archive(id int64) error { return fail(s.db.ArchiveCohort(s.ctx, id)) }

// Restore brings an archived cohort back.
func (s *CohortService) Restore(id int64) error { return fail(s.db.RestoreCohort(s.ctx, id)) }

// Roster lists the cohort's members; with history, those who left too.
func (s *CohortService) Roster(id int64, history bool) ([]app.Member, error) {
	ms, err := s.db.Roster(s.ctx, id, history)
	return ms, fail(err)
}

// AddMembers puts clients into the cohort, invites them to its sessions ahead,
// and returns how many were added.
func (s *CohortService) AddMembers(cohortID int64, clientIDs []int64, role string) (int, error) {
	plan, err := planner(s.ctx, s.db)
	if err != nil {
		return 0, fail(err)
	}
	n, err := plan.AddMembers(s.ctx, cohortID, clientIDs, role)
	s.wake(err)
	return n, fail(err)
}

// RemoveMember records that a client left the cohort (their history stays) and
// cancels its sessions ahead in their calendar.
func (s *CohortService) RemoveMember(cohortID, clientID int64) error {
	plan, err := planner(s.ctx, s.db)
	if err != nil {
		return fail(err)
	}
	err = plan.RemoveMember(s.ctx, cohortID, clientID)
	s.wake(err)
	return fail(err)
}

// wake wakes the outbox after a change that may have queued mail.
func (s *CohortService) wake(err error) {
	if err == nil && s.kick != nil {
		s.kick()
	}
}

// planner plans sessions as the coach who sends now.
func planner(ctx context.Context, db *store.DB) (sessions.Planner, error) {
	from, err := account.Sender(ctx, db)
	return sessions.NewPlanner(db, from), err
}

// SetRole makes a member a co-host or a plain member.
func (s *CohortService) SetRole(cohortID, clientID int64, role string) error {
	return fail(s.db.SetMemberRole(s.ctx, cohortID, clientID, role))
}

// SetReplySharing chooses which members' replies the others see without the
// coach's approval: app.SharePlausible or app.ShareVerified ("verified only").
func (s *CohortService) SetReplySharing(cohortID int64, sharing string) error {
	return fail(s.db.SetReplySharing(s.ctx, cohortID, sharing))
}
