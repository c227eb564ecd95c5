package account

import (
	"context"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
)

// sandboxPasswordKey names the sandbox's login in the settings. It is no secret
// worth the keyring: the sandbox listens on this computer only and holds no real mail.
const sandboxPasswordKey = "sandbox_password"

// SandboxConfig returns the sandbox's settings for this workspace, making its
// password the first time.
func SandboxConfig(ctx context.Context, st Settings) (sandbox.Config, error) {
	var pw string
	err := st.Setting(ctx, sandboxPasswordKey, &pw)
	if app.ErrorCode(err) == app.ENOTFOUND {
		pw = replyaddr.NewToken()
		err = st.SaveSetting(ctx, sandboxPasswordKey, pw)
	}
	if err != nil {
		return sandbox.Config{}, err
	}
	return sandbox.Config{CoachAddress: SandboxFrom.Email, Password: pw}, nil
}

// sandboxAccount names the sandbox in the record of how far each mailbox was
// read: its port changes with every start, its mail does not.
const sandboxAccount = "sandbox"

// InboxRoute returns how to read replies: the coach's incoming server when one is
// set up, or the coach's sandbox mailbox (its IMAP server at sandboxIMAPAddr)
// while mail goes to the sandbox.
func InboxRoute(ctx context.Context, st Settings, sec Secrets, sandboxIMAPAddr SandboxAddr) (inbox.Dialer, inbox.Options, error) {
	a, err := LoadIMAP(ctx, st)
	if err != nil {
		return nil, inbox.Options{}, err
	}
	smtp, err := Load(ctx, st)
	if err != nil {
		return nil, inbox.Options{}, err
	}
	if a.Host != "" || smtp.Host != "" {
		return InboxFor(ctx, st, sec)
	}
	cfg, err := SandboxConfig(ctx, st)
	if err != nil {
		return nil, inbox.Options{}, err
	}
	host, port, err := sandboxHostPort(sandboxIMAPAddr)
	if err != nil {
		return nil, inbox.Options{}, err
	}
	dial := inbox.DialerFor(inbox.Config{Host: host, Port: port, Security: app.SecurityNone, User: cfg.CoachAddress, Password: cfg.Password})
	opts, err := IncomingPolicy(ctx, st)
	return dial, opts, err
}
