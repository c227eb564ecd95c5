// Package sending keeps the outbox going while the window is open: it runs the
// sandbox, runs the outbox worker on the current route (the coach's server, or the
// sandbox until one is set up), and restarts the worker when the account changes.
package sending

import (
	"context"
	"sync"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
)

// Store is what sending needs from the workspace.
type Store interface {
	outbox.Store
	account.Settings
	sandbox.Store
}

// Sending is the running outbox and sandbox.
type Sending struct {
	st      Store
	sec     account.Secrets
	report  func(app.Progress)
	sandbox *sandbox.Sandbox

	mu     sync.Mutex
	route  account.Route
	worker *outbox.Worker
	stop   context.CancelFunc
	done   chan struct{}
}

// Start starts the sandbox and the outbox worker. report receives a Progress
// after every message sent.
func Start(ctx context.Context, st Store, sec account.Secrets, report func(app.Progress)) (*Sending, error) {
	cfg, err := account.SandboxConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	sb, err := sandbox.Start(ctx, st, cfg)
	if err != nil {
		return nil, err
	}
	s := &Sending{st: st, sec: sec, report: report, sandbox: sb}
	if err := s.Reload(ctx); err != nil {
		sb.Close()
		return nil, err
	}
	return s, nil
}

// Reload restarts the worker on the route the account now gives: call it after
// the account changed. A message being handed over finishes first.
func (s *Sending) Reload(ctx context.Context) error {
	route, err := account.RouteFor(ctx, s.st, s.sec, account.Running(s.sandbox.SMTPAddr()))
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWorker()
	w := outbox.New(s.st, route.Dial, route.Config, s.report)
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(runCtx)
	}()
	s.route, s.worker, s.stop, s.done = route, w, stop, done
	return nil
}

func (s *Sending) stopWorker() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
}

// Worker is the running outbox worker.
func (s *Sending) Worker() *outbox.Worker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.worker
}

// Sandbox is the built-in sandbox.
func (s *Sending) Sandbox() *sandbox.Sandbox { return s.sandbox }

// InSandbox reports whether mail goes to the sandbox.
func (s *Sending) InSandbox() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.route.Sandbox
}

// From is who mail comes from on the current route.
func (s *Sending) From() compose.From {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.route.Config.From
}

// SendTest sends the post as the coach's own copy to the coach's address, at
// once and outside the outbox: "send a test to me".
func (s *Sending) SendTest(ctx context.Context, post app.Post) error {
	s.mu.Lock()
	route := s.route
	s.mu.Unlock()
	from := route.Config.From
	b, err := compose.Body(from, post, from.Name, from.Email, "test")
	if err != nil {
		return err
	}
	b.Subject = "[Test] " + b.Subject
	raw, err := render.Build(render.Envelope{FromName: from.Name, FromEmail: from.Email, ToName: from.Name, ToEmail: from.Email,
		MessageID: render.NewMessageID(compose.MessageIDDomain(from.Email))}, b, nil)
	if err != nil {
		return err
	}
	conn, err := route.Dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.SendWhen(from.Email, from.Email, raw, nil)
	return err
}

// Close stops the worker and the sandbox.
func (s *Sending) Close() error {
	s.mu.Lock()
	s.stopWorker()
	s.mu.Unlock()
	return s.sandbox.Close()
}
