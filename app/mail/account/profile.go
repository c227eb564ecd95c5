package account

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
)

// profileKey names the coach's profile in the workspace's settings (the
// key-value table, so no migration is needed).
const profileKey = "coach_profile"

// maxProfileName is generous for any real name, and keeps a From header readable.
const maxProfileName = 100

// LoadProfile returns the coach's profile; never saved, it is empty.
func LoadProfile(ctx context.Context, st Settings) (app.Profile, error) {
	var p app.Profile
	err := st.Setting(ctx, profileKey, &p)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Profile{}, nil
	}
	return p, err
}

// SaveProfile checks and stores the coach's profile. An empty name is allowed:
// the mail account's sender name (or "Your coach" in the sandbox) is used again.
func SaveProfile(ctx context.Context, st Settings, p app.Profile) error {
	p.Name = strings.TrimSpace(p.Name)
	if strings.ContainsAny(p.Name, "\r\n") {
		return app.FieldErrorf(app.EINVALID, "name", "Your name must be one line.")
	}
	if utf8.RuneCountInString(p.Name) > maxProfileName {
		return app.FieldErrorf(app.EINVALID, "name", "Your name can be at most %d characters long.", maxProfileName)
	}
	return st.SaveSetting(ctx, profileKey, p)
}

// withProfile puts the profile's name on the sender: the coach's own name wins
// over the account's sender name, in the sandbox as with a real account.
func withProfile(ctx context.Context, st Settings, from compose.From) (compose.From, error) {
	p, err := LoadProfile(ctx, st)
	if err != nil {
		return from, err
	}
	if p.Name != "" {
		from.Name = p.Name
	}
	return from, nil
}

// Sender is who the coach's mail is from now, without a running outbox (the
// command line, session invitations' organizer): the account's address, or the
// sandbox's while no account is set up, with the coach's name.
func Sender(ctx context.Context, st Settings) (compose.From, error) {
	a, err := Load(ctx, st)
	if err != nil {
		return SandboxFrom, err
	}
	from := SandboxFrom
	if a.Host != "" {
		from = compose.FromAccount(a)
	}
	return withProfile(ctx, st, from)
}
