// Package ui holds the services the window calls. Each method checks its
// arguments, calls one core function with the app's context, and returns json-typed
// app values; errors cross to the window as data (see fail). It is the only package
// that imports the Wails runtime.
package ui

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Event names the window listens to; frontend/src/lib/api/events.ts mirrors them.
const (
	EventImportProgress = "clients:import:progress"
)

// base is what every service shares: the app's context (set at start-up) and the
// running jobs, so that a job can be cancelled from the window.
type base struct {
	ctx  context.Context
	mu   sync.Mutex
	jobs map[string]context.CancelFunc
}

func (b *base) start(ctx context.Context) { b.ctx = ctx }

// service is any of this package's services.
type service interface{ start(ctx context.Context) }

// Startup hands the services the Wails context; main.go calls it from OnStartup.
// It is a function, not a method, so that the window cannot call it.
func Startup(ctx context.Context, services ...service) {
	for _, s := range services {
		s.start(ctx)
	}
}

// startJob gives a cancellable context for the named job; the returned func ends it.
func (b *base) startJob(name string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(b.ctx)
	b.mu.Lock()
	if b.jobs == nil {
		b.jobs = map[string]context.CancelFunc{}
	}
	b.jobs[name] = cancel
	b.mu.Unlock()
	return ctx, func() {
		b.mu.Lock()
		delete(b.jobs, name)
		b.mu.Unlock()
		cancel()
	}
}

// cancelJob stops the named job if it runs.
func (b *base) cancelJob(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if cancel, ok := b.jobs[name]; ok {
		cancel()
	}
}

// reporter returns a report func that emits progress as an event, at most about
// ten times a second, always passing on the first and the last report.
func (b *base) reporter(event string) func(app.Progress) {
	var last time.Time
	return func(p app.Progress) {
		finished := p.Total > 0 && p.Done >= p.Total
		if now := time.Now(); p.Done == 0 || finished || now.Sub(last) >= 100*time.Millisecond {
			last = now
			runtime.EventsEmit(b.ctx, event, p)
		}
	}
}

// BridgeError is what a bound method's error looks like to the window. Wails
// rejects the call's promise with the error's Error() text, so that text is this
// value as JSON: the frontend (lib/api/errors.ts) reads the code and the field and
// shows the message, and never has to guess from the words what went wrong.
type BridgeError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Error returns the JSON the window parses.
func (e *BridgeError) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// fail logs err with its whole chain when it is not one of ours, and returns it as
// a *BridgeError: code, field and the coach's sentence, never the technical cause.
func fail(err error) error {
	if err == nil {
		return nil
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		slog.Error("internal error", "err", err)
	}
	return &BridgeError{Code: app.ErrorCode(err), Field: app.ErrorField(err), Message: app.ErrorMessage(err)}
}
