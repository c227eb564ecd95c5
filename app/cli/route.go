package cli

import (
	"errors"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// mailRoutes is where a command's mail goes and comes from: the coach's
// servers, or the built-in sandbox while no account is set up. The sandbox is
// started the first time a route goes through it and runs for the rest of the
// command: outbox send, inbox sync and run-due share it, so a run-due starts it
// once for both, and an inbox sync from the coach's own server starts none.
type mailRoutes struct {
	env *Env
	db  *store.DB
	sb  *sandbox.Sandbox // nil until a route needs it
	sec *secret.Store
}

// mail prepares what the command's mail needs.
func (env *Env) mail(db *store.DB) (*mailRoutes, error) {
	sec, err := env.secrets(db)
	if err != nil {
		return nil, err
	}
	return &mailRoutes{env: env, db: db, sec: sec}, nil
}

// sandbox starts the sandbox once and returns it.
func (m *mailRoutes) sandbox() (*sandbox.Sandbox, error) {
	if m.sb != nil {
		return m.sb, nil
	}
	cfg, err := account.SandboxConfig(m.env.Ctx, m.db)
	if err != nil {
		return nil, err
	}
	m.sb, err = sandbox.Start(m.env.Ctx, m.db, cfg)
	return m.sb, err
}

// sandboxAddr is the address of one of the sandbox's servers, for account's
// routes: asking for it starts the sandbox.
func (m *mailRoutes) sandboxAddr(server func(*sandbox.Sandbox) string) account.SandboxAddr {
	return func() (string, error) {
		sb, err := m.sandbox()
		if err != nil {
			return "", err
		}
		return server(sb), nil
	}
}

func (m *mailRoutes) close() {
	if m.sb != nil {
		m.sb.Close()
	}
}

// sent is what draining the outbox did, as `outbox send --json` and `run-due
// --json` report it.
type sent struct {
	Sent    int            `json:"sent"`
	Sandbox bool           `json:"sandbox"`
	States  map[string]int `json:"states"`
	Error   string         `json:"error,omitempty"`
}

// drain sends every message that is due. The error is the sending's (the
// result still says what went); a nil States means nothing could be tried.
func (m *mailRoutes) drain(env *Env, db *store.DB) (sent, error) {
	route, err := account.RouteFor(env.Ctx, db, m.sec, m.sandboxAddr((*sandbox.Sandbox).SMTPAddr))
	if err != nil {
		return sent{}, err
	}
	w := outbox.New(db, route.Dial, route.Config, nil)
	w.SetClock(db.Now)
	sendErr := w.Drain(env.Ctx)
	counts, err := db.OutboxCounts(env.Ctx, 0)
	if err != nil {
		return sent{}, err
	}
	res := sent{Sent: w.Status().Sent, Sandbox: route.Sandbox, States: counts}
	if sendErr != nil {
		res.Error = outbox.Message(sendErr)
	}
	return res, sendErr
}

// sync imports the replies waiting in the incoming mailbox.
func (m *mailRoutes) sync(env *Env, db *store.DB) (app.SyncSummary, error) {
	dial, opts, err := account.InboxRoute(env.Ctx, db, m.sec, m.sandboxAddr((*sandbox.Sandbox).IMAPAddr))
	if err != nil {
		return app.SyncSummary{}, err
	}
	sum, err := inbox.Sync(env.Ctx, db, dial, opts, app.NoProgress)
	if err != nil {
		return sum, errors.New(outbox.Message(err))
	}
	return sum, nil
}
