package ui

import (
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/autorun"
	"github.com/roundtablehq/roundtable/app/demo"
)

// BackgroundRun returns the system job that runs what is due while the window
// is closed, and when `run-due` last ran.
func (s *WorkspaceService) BackgroundRun() (app.BackgroundRun, error) {
	j, err := autorun.For(s.path)
	if err != nil {
		return app.BackgroundRun{}, fail(err)
	}
	b, err := j.Status(s.ctx, s.db)
	return b, fail(err)
}

// InstallBackgroundRun installs the job (not for the demo workspace, which
// has no one to write to).
func (s *WorkspaceService) InstallBackgroundRun() (app.BackgroundRun, error) {
	if _, isDemo := demo.ReturnTo(s.ctx, s.db); isDemo {
		return app.BackgroundRun{}, fail(app.Errorf(app.EINVALID, "The demo workspace does not run in the background; leave the demo first."))
	}
	j, err := autorun.For(s.path)
	if err == nil {
		err = j.Install(s.ctx)
	}
	if err != nil {
		return app.BackgroundRun{}, fail(err)
	}
	return s.BackgroundRun()
}

// RemoveBackgroundRun stops and removes the job.
func (s *WorkspaceService) RemoveBackgroundRun() (app.BackgroundRun, error) {
	j, err := autorun.For(s.path)
	if err == nil {
		err = j.Remove(s.ctx)
	}
	if err != nil {
		return app.BackgroundRun{}, fail(err)
	}
	return s.BackgroundRun()
}
