package ui

import (
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// SessionService is the live sessions area of the window: planning, the
// invitations it sends, answers and attendance.
type SessionService struct {
	base
	db *store.DB
	// from and kick come from the running outbox (StartSessions): who sends,
	// and waking the outbox once invitations are queued. nil while starting.
	from func() compose.From
	kick func()
}

// NewSessionService returns the service over an open workspace.
func NewSessionService(db *store.DB) *SessionService { return &SessionService{db: db} }

// StartSessions gives the session service, and the cohort service (whose
// roster changes invite and cancel), the running outbox. A function, not a
// method, so that the window cannot call it.
func StartSessions(s *SessionService, cohorts *CohortService, snd *sending.Sending) {
	// Kick the worker running now, not the one at start: a change of mail
	// account (the sandbox, a real server) replaces the worker, and mail
	// queued for a stopped one would wait for the next unrelated send.
	kick := func() { snd.Worker().Kick() }
	s.from, s.kick = snd.From, kick
	cohorts.kick = kick
}

// planner plans as the coach who sends now; EUNAVAILABLE until the outbox runs.
func (s *SessionService) planner() (sessions.Planner, error) {
	if s.from == nil {
		return sessions.Planner{}, app.Errorf(app.EUNAVAILABLE, "Roundtable is still starting; try again in a moment.")
	}
	return sessions.NewPlanner(s.db, s.from()), nil
}

// queued wakes the outbox after mail was queued, and translates the error.
func (s *SessionService) queued(sess app.Session, err error) (app.Session, error) {
	if err == nil && s.kick != nil {
		s.kick()
	}
	return sess, fail(err)
}

// List returns sessions by start, with their attendees.
func (s *SessionService) List(f app.SessionFilter) ([]app.Session, error) {
	ss, err := s.db.Sessions(s.ctx, f)
	return ss, fail(err)
}

// Get returns one session with each attendee's answer and attendance.
func (s *SessionService) Get(id int64) (app.Session, error) {
	sess, err := s.db.Session(s.ctx, id)
	return sess, fail(err)
}

// Create plans a session and sends the invitations.
func (s *SessionService) Create(in app.SessionInput) (app.Session, error) {
	plan, err := s.planner()
	if err != nil {
		return app.Session{}, fail(err)
	}
	return s.queued(plan.Create(s.ctx, in))
}

// Update changes a session and sends the update to everyone invited.
func (s *SessionService) Update(id int64, in app.SessionInput) (app.Session, error) {
	plan, err := s.planner()
	if err != nil {
		return app.Session{}, fail(err)
	}
	return s.queued(plan.Update(s.ctx, id, in))
}

// Cancel calls a session off and sends the cancellation.
func (s *SessionService) Cancel(id int64) (app.Session, error) {
	plan, err := s.planner()
	if err != nil {
		return app.Session{}, fail(err)
	}
	return s.queued(plan.Cancel(s.ctx, id))
}

// SetAttendance records whether the clients came.
func (s *SessionService) SetAttendance(id int64, clientIDs []int64, attended bool) error {
	return fail(s.db.SetAttendance(s.ctx, id, clientIDs, attended))
}

// SetNote keeps the coach's private note on the session.
func (s *SessionService) SetNote(id int64, note string) error {
	return fail(s.db.SetSessionNote(s.ctx, id, note))
}

// SetAttendeeNote keeps the coach's private note on one attendee.
func (s *SessionService) SetAttendeeNote(id, clientID int64, note string) error {
	return fail(s.db.SetAttendeeNote(s.ctx, id, clientID, note))
}

// SetRSVP records an answer a member gave the coach another way.
func (s *SessionService) SetRSVP(id, clientID int64, answer string) error {
	return fail(s.db.RecordRSVP(s.ctx, id, clientID, answer, app.RSVPFromCoach))
}

// Reminders returns the minutes before each of a cohort's sessions its
// reminders go.
func (s *SessionService) Reminders(cohortID int64) ([]int, error) {
	ms, err := s.db.SessionReminders(s.ctx, cohortID)
	return ms, fail(err)
}

// SetReminders sets the minutes before each of a cohort's sessions its
// reminders go (none for an empty list), as `sessions reminders` does.
func (s *SessionService) SetReminders(cohortID int64, minutes []int) error {
	before := make([]time.Duration, len(minutes))
	for i, m := range minutes {
		before[i] = time.Duration(m) * time.Minute
	}
	return fail(s.db.SetSessionReminders(s.ctx, cohortID, before))
}
