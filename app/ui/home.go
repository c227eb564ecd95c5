package ui

import (
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/home"
	"github.com/roundtablehq/roundtable/app/store"
)

// HomeService is the home screen: what happens today and this week, what
// waits for the coach, who has gone quiet and how each cohort is doing.
type HomeService struct {
	base
	db *store.DB
}

// NewHomeService returns the service over an open workspace.
func NewHomeService(db *store.DB) *HomeService { return &HomeService{db: db} }

// Get returns the home screen as of now.
func (s *HomeService) Get() (app.Home, error) {
	h, err := home.Build(s.ctx, s.db, s.db.Now())
	return h, fail(err)
}

// RosterActivity returns a cohort's members' replies and check-ins per week:
// the roster's sparklines.
func (s *HomeService) RosterActivity(cohortID int64) (app.RosterActivity, error) {
	r, err := home.Roster(s.ctx, s.db, cohortID, s.db.Now())
	return r, fail(err)
}

// SetQuietDays sets after how many days without a reply a member of the cohort
// counts as gone quiet; 0 returns to the default for its kind.
func (s *HomeService) SetQuietDays(cohortID int64, days int) error {
	return fail(s.db.SetQuietDays(s.ctx, cohortID, days))
}

// QuietDefaults returns the default quiet days of each cohort kind, for the
// window to say what 0 means.
func (s *HomeService) QuietDefaults() map[string]int { return app.DefaultQuietDays }
