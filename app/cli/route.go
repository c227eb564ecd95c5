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
// servers, or the built-in sandbox (started for the command's lifetime) while
// no account is set up. outbox send, inbox sync and run-due share it, so a
// run-due starts the sandbox once for both.
type mailRoutes struct {
	sb  *sandbox.Sandbox // nil with a real account
	sec *secret.Store
}

// mail starts what the command's mail needs.
func (env *Env) mail(db *store.DB) (*mailRoutes, error) {
	sec, err := env.secrets(db)
	if err != nil {
		return nil, err
	}
	m := &mailRoutes{sec: sec}
	a, err := account.Load(env.Ctx, db)
	if err != nil || a.Host != "" {
		return m, err
	}
	cfg, err := account.SandboxConfig(env.Ctx, db)
	if err != nil {
		return nil, err
	}
	if m.sb, err = sandbox.Start(env.Ctx, db, cfg); err != nil {
		return nil, err
	}
	return m, nil
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
	addr := ""
	if m.sb != nil {
		addr = m.sb.SMTPAddr()
	}
	route, err := account.RouteFor(env.Ctx, db, m.sec, addr)
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
	addr := ""
	if m.sb != nil {
		addr = m.sb.IMAPAddr()
	}
	dial, opts, err := account.InboxRoute(env.Ctx, db, m.sec, addr)
	if err != nil {
		return app.SyncSummary{}, err
	}
	sum, err := inbox.Sync(env.Ctx, db, dial, opts, app.NoProgress)
	if err != nil {
		return sum, errors.New(outbox.Message(err))
	}
	return sum, nil
}
