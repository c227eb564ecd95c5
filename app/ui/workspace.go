package ui

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/demo"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/store"
)

// WorkspaceService tells the window which workspace is open, and opens the demo.
type WorkspaceService struct {
	base
	db         *store.DB
	path       string
	reopen     func(path string)
	restore    func(file string)
	restored   string // what the restore that started this process said (RestoredEnv)
	daily      dailyState
	beforeQuit func()
}

// NewWorkspaceService returns the service over the workspace open at path.
func NewWorkspaceService(db *store.DB, path string) *WorkspaceService {
	// The note is this process's alone: taken out of the environment, so a
	// later reopen (the demo) does not carry it on.
	restored := os.Getenv(RestoredEnv)
	os.Unsetenv(RestoredEnv)
	return &WorkspaceService{db: db, path: path, restored: restored}
}

// OnReopen sets how the window reopens on another workspace file (main.go
// closes the window and starts again on it). It is a function, not a method, so
// that the window cannot call it.
func OnReopen(s *WorkspaceService, reopen func(path string)) { s.reopen = reopen }

// Info returns the workspace's file and counts.
func (s *WorkspaceService) Info() (app.WorkspaceInfo, error) {
	info, err := s.db.Info(s.ctx)
	_, info.Demo = demo.ReturnTo(s.ctx, s.db)
	return info, fail(err)
}

// Choices returns the fixed lists the forms offer: statuses, kinds, import fields.
func (s *WorkspaceService) Choices() Choices {
	defaults := map[string]app.DigestSettings{}
	for _, k := range app.CohortKinds {
		d := app.DefaultDigest(k)
		d.Described = digest.ScheduleOf(d).Describe()
		defaults[k] = d
	}
	return Choices{Statuses: app.ClientStatuses, Kinds: app.CohortKinds, KindAdvice: app.KindAdvice, ImportFields: app.ImportFields,
		DigestDefaults: defaults, DigestNoteMax: app.DigestNoteMax, DeliveryModes: app.DeliveryModes}
}

// OpenDemo makes a fresh demo workspace beside this one and reopens the window
// on it. The coach's own workspace is not changed.
func (s *WorkspaceService) OpenDemo() error {
	if _, isDemo := demo.ReturnTo(s.ctx, s.db); isDemo {
		return fail(app.Errorf(app.EINVALID, "This is the demo workspace already."))
	}
	path, err := demo.Create(s.ctx, s.path)
	if err != nil {
		return fail(err)
	}
	s.reopen(path)
	return nil
}

// LeaveDemo reopens the window on the coach's own workspace.
func (s *WorkspaceService) LeaveDemo() error {
	back, isDemo := demo.ReturnTo(s.ctx, s.db)
	if !isDemo {
		return fail(app.Errorf(app.EINVALID, "This is not a demo workspace."))
	}
	s.reopen(back)
	return nil
}

// About returns the version and where Roundtable keeps its files.
func (s *WorkspaceService) About() app.About {
	a := app.About{Version: app.Version, Workspace: s.path, System: runtime.GOOS + "/" + runtime.GOARCH}
	if p, err := app.DefaultWorkspacePath(); err == nil {
		a.DataFolder = filepath.Dir(p)
	}
	// Passwords live in the system keyring; only without one do they fall back to
	// a file readable by the coach alone, in the user's config folder.
	if dir, err := os.UserConfigDir(); err == nil {
		a.Secrets = filepath.Join(dir, "roundtable")
	}
	return a
}

// Choices are the fixed lists the window's forms offer.
type Choices struct {
	Statuses     []string          `json:"statuses"`
	Kinds        []string          `json:"kinds"`
	KindAdvice   map[string]string `json:"kindAdvice"`
	ImportFields []string          `json:"importFields"`
	// DigestDefaults is each kind's digest schedule before the coach changes it,
	// described: shown beside the digest settings, never hidden.
	DigestDefaults map[string]app.DigestSettings `json:"digestDefaults"`
	DigestNoteMax  int                           `json:"digestNoteMax"`
	DeliveryModes  []string                      `json:"deliveryModes"`
}
