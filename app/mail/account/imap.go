package account

import (
	"context"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/sandbox"
)

// imapSettingKey names the incoming account in the workspace's settings.
const imapSettingKey = "imap_account"

// LoadIMAP returns the incoming account; Host is empty while none is set up.
// Folder is "INBOX" when the coach chose none.
func LoadIMAP(ctx context.Context, st Settings) (app.IMAPAccount, error) {
	var a app.IMAPAccount
	err := st.Setting(ctx, imapSettingKey, &a)
	if app.ErrorCode(err) == app.ENOTFOUND {
		err = nil
	}
	if a.Folder == "" {
		a.Folder = "INBOX"
	}
	return a, err
}

// imapSecretName names the incoming password in the keyring, apart from the
// SMTP one: the two servers may take different passwords.
func imapSecretName(a app.IMAPAccount) string { return "imap:" + a.User + "@" + a.Host }

// IMAPPreset returns the incoming settings of a provider for the coach's
// address: its server, port and TLS, with the address as user name.
func IMAPPreset(id, email string) (app.IMAPAccount, bool) {
	for _, p := range app.Presets {
		if p.ID == id {
			sec := p.IMAPSecurity
			if sec == "" {
				sec = app.SecurityTLS
			}
			return app.IMAPAccount{Host: p.IMAPHost, Port: p.IMAPPort, Security: sec,
				User: strings.TrimSpace(email), Folder: "INBOX", AuthServID: p.AuthServID}, true
		}
	}
	return app.IMAPAccount{}, false
}

// CheckIMAP tells what is wrong with the incoming settings, in the coach's words.
func CheckIMAP(a app.IMAPAccount) error {
	if err := imapConfig(a, "").Check(); err != nil {
		return err
	}
	if strings.ContainsAny(a.Folder+a.MoveTo, "\r\n") {
		return app.FieldErrorf(app.EINVALID, "folder", "A folder name must be one line.")
	}
	if a.MoveTo != "" && strings.EqualFold(a.MoveTo, folderOrInbox(a.Folder)) {
		return app.FieldErrorf(app.EINVALID, "moveTo", "Replies cannot be moved to the folder they are read from; choose another folder, or leave them where they are.")
	}
	return nil
}

func folderOrInbox(f string) string {
	if strings.TrimSpace(f) == "" {
		return "INBOX"
	}
	return strings.TrimSpace(f)
}

func tidyIMAP(a app.IMAPAccount) app.IMAPAccount {
	a.Host, a.User = strings.TrimSpace(a.Host), strings.TrimSpace(a.User)
	a.AuthServID = strings.ToLower(strings.TrimSpace(a.AuthServID))
	a.Folder, a.MoveTo = folderOrInbox(a.Folder), strings.TrimSpace(a.MoveTo)
	return a
}

func imapConfig(a app.IMAPAccount, password string) inbox.Config {
	return inbox.Config{Host: a.Host, Port: a.Port, Security: a.Security, User: a.User, Password: password, Timeout: 30 * time.Second}
}

// SaveIMAP stores the incoming account, and the password when one is given (""
// keeps the saved one).
func SaveIMAP(ctx context.Context, st Settings, sec Secrets, a app.IMAPAccount, password string) error {
	a = tidyIMAP(a)
	if err := CheckIMAP(a); err != nil {
		return err
	}
	if password != "" {
		if err := sec.Set(imapSecretName(a), password); err != nil {
			return err
		}
	}
	return st.SaveSetting(ctx, imapSettingKey, a)
}

// ForgetIMAP removes the incoming account and its password; replies are no
// longer imported until one is set up again.
func ForgetIMAP(ctx context.Context, st Settings, sec Secrets) error {
	a, err := LoadIMAP(ctx, st)
	if err != nil {
		return err
	}
	if a.Host != "" && a.User != "" {
		if err := sec.Delete(imapSecretName(a)); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return err
		}
	}
	return st.SaveSetting(ctx, imapSettingKey, app.IMAPAccount{})
}

// IMAPStatusOf tells the window about the incoming account, never the password.
func IMAPStatusOf(ctx context.Context, st Settings, sec Secrets) (app.IMAPStatus, error) {
	a, err := LoadIMAP(ctx, st)
	if err != nil {
		return app.IMAPStatus{}, err
	}
	s := app.IMAPStatus{IMAP: a, Configured: a.Host != ""}
	if s.Configured && a.User != "" {
		_, err := sec.Get(imapSecretName(a))
		s.HasPassword = err == nil
		s.PasswordStore, s.PasswordNotice = sec.Where(imapSecretName(a))
	}
	// Until the coach names their provider, offer the name found on the mail
	// imported lately: only the coach's confirmation makes it trusted.
	if seen, ok := st.(interface {
		SeenAuthServID(ctx context.Context) (string, error)
	}); ok && s.Configured && a.AuthServID == "" {
		if s.SeenAuthServID, err = seen.SeenAuthServID(ctx); err != nil {
			return s, err
		}
	}
	return s, nil
}

// TestIMAP connects and logs in with the settings and password given ("" for the
// saved one), opens the folder read-only to be sure it is there, and closes again
// without saving or changing anything.
func TestIMAP(ctx context.Context, sec Secrets, a app.IMAPAccount, password string) error {
	a = tidyIMAP(a)
	if err := CheckIMAP(a); err != nil {
		return err
	}
	if password == "" {
		p, err := sec.Get(imapSecretName(a))
		if err != nil {
			return app.FieldErrorf(app.EINVALID, "password", "Enter the password to test the connection.")
		}
		password = p
	}
	c, err := inbox.Dial(ctx, imapConfig(a, password))
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Select(a.Folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return app.Wrap(app.EINVALID, err, "Logged in, but the folder %q could not be opened; check its name", a.Folder)
	}
	if a.MoveTo != "" {
		if _, err := c.Status(a.MoveTo, &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
			return app.Wrap(app.EINVALID, err, "Logged in, but there is no folder %q to move replies to; create it in your mail program first", a.MoveTo)
		}
	}
	c.Logout().Wait()
	return nil
}

// InboxFor returns how to reach the coach's incoming server and what to read
// there, for inbox.Sync. EINVALID when no account or no password is set up.
func InboxFor(ctx context.Context, st Settings, sec Secrets) (inbox.Dialer, inbox.Options, error) {
	a, err := LoadIMAP(ctx, st)
	if err != nil {
		return nil, inbox.Options{}, err
	}
	if a.Host == "" {
		return nil, inbox.Options{}, app.Errorf(app.EINVALID, "Set up the incoming mail server in Settings → Mail account to import replies.")
	}
	password, err := sec.Get(imapSecretName(a))
	if err != nil {
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil, inbox.Options{}, app.Errorf(app.EINVALID, "No password is saved for %s; enter it in Settings → Mail account.", a.User)
		}
		return nil, inbox.Options{}, err
	}
	opts, err := IncomingPolicy(ctx, st)
	return inbox.DialerFor(imapConfig(a, password)), opts, err
}

// IncomingPolicy returns how incoming mail is read — which mailbox and folder,
// whose verdicts on senders are believed, whether the coach's 1:1 mail is kept,
// and who asks members to confirm an unsubscribe — for a sync, or for
// `roundtable inspect`, which reads a message exactly as a sync would.
func IncomingPolicy(ctx context.Context, st Settings) (inbox.Options, error) {
	a, err := LoadIMAP(ctx, st)
	if err != nil {
		return inbox.Options{}, err
	}
	smtp, err := Load(ctx, st)
	if err != nil {
		return inbox.Options{}, err
	}
	if a.Host == "" && smtp.Host == "" {
		// The sandbox stamps every message it takes in with its verdict on the
		// sender, as a provider does, so replies there are verified like real ones.
		return inbox.Options{Account: sandboxAccount, AuthServID: sandbox.AuthServID, KeepPersonal: a.KeepPersonal,
			NewIDs: compose.NewIDs(SandboxFrom)}, nil
	}
	return inbox.Options{Account: a.User + "@" + a.Host, Folder: a.Folder, MarkRead: a.MarkRead, MoveTo: a.MoveTo,
		AuthServID: a.AuthServID, KeepPersonal: a.KeepPersonal, NewIDs: compose.NewIDs(compose.FromAccount(smtp))}, nil
}
