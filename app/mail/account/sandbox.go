package account

import (
	"context"

	"github.com/roundtablehq/roundtable/app"
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
