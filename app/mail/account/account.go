// Package account keeps the coach's outgoing mail account: its settings in the
// workspace, its password in the keyring (package secret), and the way to the
// server the outbox uses — the coach's own, or the built-in sandbox until one is
// set up.
package account

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/submit"
)

// settingKey names the SMTP account in the workspace's settings.
const settingKey = "smtp_account"

// SandboxFrom is the sender while no account is configured: an address under the
// reserved .invalid domain, so nothing sent from the sandbox could ever reach
// anyone real.
var SandboxFrom = compose.From{Name: "Your coach", Email: "coach@sandbox.invalid", PlusAddressing: true}

// Settings is where the account is kept.
type Settings interface {
	Setting(ctx context.Context, key string, v any) error
	SaveSetting(ctx context.Context, key string, v any) error
}

// Secrets is where the password is kept.
type Secrets interface {
	Get(name string) (string, error)
	Set(name, value string) error
	Delete(name string) error
	Where(name string) (place, notice string)
}

// Load returns the account; Host is empty while the sandbox is in use.
func Load(ctx context.Context, st Settings) (app.SMTPAccount, error) {
	var a app.SMTPAccount
	err := st.Setting(ctx, settingKey, &a)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.SMTPAccount{}, nil
	}
	return a, err
}

// secretName names the account's password in the keyring.
func secretName(a app.SMTPAccount) string { return "smtp:" + a.User + "@" + a.Host }

// Status tells the window about the account, never the password.
func Status(ctx context.Context, st Settings, sec Secrets) (app.AccountStatus, error) {
	a, err := Load(ctx, st)
	if err != nil {
		return app.AccountStatus{}, err
	}
	s := app.AccountStatus{SMTP: a, Sandbox: a.Host == ""}
	from, err := Sender(ctx, st)
	if err != nil {
		return app.AccountStatus{}, err
	}
	// The name shown is the one that goes out (the profile's, when set).
	s.SMTP.FromName = from.Name
	if s.Sandbox {
		s.SMTP.FromEmail, s.SMTP.PlusAddressing = SandboxFrom.Email, true
		return s, nil
	}
	if a.User != "" {
		_, err := sec.Get(secretName(a))
		s.HasPassword = err == nil
		s.PasswordStore, s.PasswordNotice = sec.Where(secretName(a))
	}
	return s, nil
}

// Check tells what is wrong with the settings, in the coach's words.
func Check(a app.SMTPAccount) error {
	if err := config(a, "").Check(); err != nil {
		return err
	}
	if !app.ValidEmail(a.FromEmail) {
		return app.FieldErrorf(app.EINVALID, "fromEmail", "Enter the address members should see the mail come from, for example you@yourdomain.com.")
	}
	if strings.ContainsAny(a.FromName, "\r\n") {
		return app.FieldErrorf(app.EINVALID, "fromName", "The sender name must be one line.")
	}
	if a.PerMinute < 0 || a.PerDay < 0 {
		return app.FieldErrorf(app.EINVALID, "perMinute", "Sending limits cannot be negative; use 0 for no limit.")
	}
	return nil
}

// Save stores the account, and the password when one is given ("" keeps the
// saved one).
func Save(ctx context.Context, st Settings, sec Secrets, a app.SMTPAccount, password string) error {
	a.Host = strings.TrimSpace(a.Host)
	a.User = strings.TrimSpace(a.User)
	a.FromEmail = strings.TrimSpace(a.FromEmail)
	if err := Check(a); err != nil {
		return err
	}
	if password != "" {
		if err := sec.Set(secretName(a), password); err != nil {
			return err
		}
	}
	return st.SaveSetting(ctx, settingKey, a)
}

// UseSandbox forgets the account (and its password) and sends into the sandbox again.
func UseSandbox(ctx context.Context, st Settings, sec Secrets) error {
	a, err := Load(ctx, st)
	if err != nil {
		return err
	}
	if a.Host != "" && a.User != "" {
		if err := sec.Delete(secretName(a)); err != nil {
			return err
		}
	}
	return st.SaveSetting(ctx, settingKey, app.SMTPAccount{})
}

func config(a app.SMTPAccount, password string) submit.Config {
	return submit.Config{Host: a.Host, Port: a.Port, Security: a.Security, User: a.User, Password: password}
}

// Route is how the outbox reaches a server: the dialer, the sender, the limits.
type Route struct {
	Sandbox bool
	Dial    outbox.Dialer
	Config  outbox.Config
}

// SandboxAddr gives the address of one of the sandbox's servers, asked for only
// when a route goes through the sandbox: the command line starts the sandbox
// then, and not for a command whose mail goes to the coach's own servers.
type SandboxAddr func() (string, error)

// Running is the SandboxAddr of a sandbox server already listening at addr.
func Running(addr string) SandboxAddr {
	return func() (string, error) { return addr, nil }
}

// RouteFor returns the route to the coach's server, or into the sandbox's SMTP
// server (at sandboxAddr) when no account is set up.
func RouteFor(ctx context.Context, st Settings, sec Secrets, sandboxAddr SandboxAddr) (Route, error) {
	a, err := Load(ctx, st)
	if err != nil {
		return Route{}, err
	}
	if a.Host == "" {
		host, port, err := sandboxHostPort(sandboxAddr)
		if err != nil {
			return Route{}, err
		}
		cfg := submit.Config{Host: host, Port: port, Security: app.SecurityNone, Timeout: 10 * time.Second}
		from, err := withProfile(ctx, st, SandboxFrom)
		return Route{Sandbox: true, Dial: dialer(cfg), Config: outbox.Config{From: from}}, err
	}
	password := ""
	if a.User != "" {
		if password, err = sec.Get(secretName(a)); err != nil {
			if app.ErrorCode(err) == app.ENOTFOUND {
				return Route{}, app.Errorf(app.EINVALID, "No password is saved for %s; enter it in Settings → Mail account.", a.User)
			}
			return Route{}, err
		}
	}
	from, err := withProfile(ctx, st, compose.FromAccount(a))
	return Route{Dial: dialer(config(a, password)), Config: outbox.Config{From: from, PerMinute: a.PerMinute, PerDay: a.PerDay}}, err
}

func dialer(cfg submit.Config) outbox.Dialer {
	return func(ctx context.Context) (outbox.Conn, error) {
		c, err := submit.Dial(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// Test connects and logs in with the settings and password given ("" for the
// saved password), without saving anything, and closes again.
func Test(ctx context.Context, sec Secrets, a app.SMTPAccount, password string) error {
	if err := Check(a); err != nil {
		return err
	}
	if password == "" && a.User != "" {
		p, err := sec.Get(secretName(a))
		if err != nil {
			return app.FieldErrorf(app.EINVALID, "password", "Enter the password to test the connection.")
		}
		password = p
	}
	c, err := submit.Dial(ctx, config(a, password))
	if err != nil {
		return err
	}
	return c.Close()
}

// sandboxHostPort splits the address a sandbox server listens on.
func sandboxHostPort(sandboxAddr SandboxAddr) (string, int, error) {
	addr, err := sandboxAddr()
	if err != nil {
		return "", 0, err
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, app.Wrap(app.EINTERNAL, err, "The sandbox is not running")
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return "", 0, app.Wrap(app.EINTERNAL, err, "The sandbox is not running")
	}
	return host, port, nil
}
