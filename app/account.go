package app

import (
	"net"
	"strings"
)

// Connection security for a mail server.
const (
	SecurityTLS      = "tls"      // implicit TLS from the first byte (ports 465, 993)
	SecuritySTARTTLS = "starttls" // plain connection upgraded with STARTTLS (ports 587, 143)
	SecurityNone     = "none"     // no encryption: allowed only to this machine
)

// SMTPAccount is the coach's outgoing mail server. The password is not here: it
// lives in the system keyring (see Secrets) and never in the workspace file.
type SMTPAccount struct {
	Host           string `json:"host"`
	Port           int    `json:"port"`
	Security       string `json:"security"`
	User           string `json:"user"`
	FromName       string `json:"fromName"`
	FromEmail      string `json:"fromEmail"`
	PlusAddressing bool   `json:"plusAddressing"` // replies come back to from+rt-TOKEN@domain
	PerMinute      int    `json:"perMinute"`      // sending limit; 0 for none
	PerDay         int    `json:"perDay"`         // sending limit; 0 for none
}

// AccountStatus is what the window shows of the mail account.
type AccountStatus struct {
	SMTP           SMTPAccount `json:"smtp"`
	Sandbox        bool        `json:"sandbox"`        // no account yet: mail goes to the built-in sandbox
	HasPassword    bool        `json:"hasPassword"`    // a password is stored
	PasswordStore  string      `json:"passwordStore"`  // "system keyring" or the file it fell back to
	PasswordNotice string      `json:"passwordNotice"` // a visible note when the keyring was not available
}

// Preset is a mail provider's settings, so the coach only types an address and an
// app password.
type Preset struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	SMTPHost  string `json:"smtpHost"`
	SMTPPort  int    `json:"smtpPort"`
	Security  string `json:"security"`
	IMAPHost  string `json:"imapHost"`
	IMAPPort  int    `json:"imapPort"`
	PerMinute int    `json:"perMinute"`
	PerDay    int    `json:"perDay"`
	Note      string `json:"note"` // what the coach must do at the provider first
	// AuthServID is how the provider names itself in the Authentication-Results
	// it adds to incoming mail ("(none)" for Microsoft, which writes no name).
	AuthServID string `json:"authServId"`
}

// Presets are the common providers, with their published hosts, ports and sending
// limits (kept a little under the limits, so a burst never trips them).
var Presets = []Preset{
	{ID: "gmail", Name: "Gmail", SMTPHost: "smtp.gmail.com", SMTPPort: 465, Security: SecurityTLS,
		IMAPHost: "imap.gmail.com", IMAPPort: 993, PerMinute: 20, PerDay: 450, AuthServID: "mx.google.com",
		Note: "Turn on 2-Step Verification, then create an app password at myaccount.google.com/apppasswords and use it here. Google Workspace accounts may send up to 2,000 a day."},
	{ID: "outlook", Name: "Outlook / Microsoft 365", SMTPHost: "smtp.office365.com", SMTPPort: 587, Security: SecuritySTARTTLS,
		IMAPHost: "outlook.office365.com", IMAPPort: 993, PerMinute: 25, PerDay: 9000, AuthServID: "(none)",
		Note: "Your administrator must allow SMTP AUTH for your mailbox; with 2-step verification use an app password."},
	{ID: "fastmail", Name: "Fastmail", SMTPHost: "smtp.fastmail.com", SMTPPort: 465, Security: SecurityTLS,
		IMAPHost: "imap.fastmail.com", IMAPPort: 993, PerMinute: 30, PerDay: 4000, AuthServID: "messagingengine.com",
		Note: "Create an app password under Settings → Privacy & Security → Integrations."},
	{ID: "icloud", Name: "iCloud Mail", SMTPHost: "smtp.mail.me.com", SMTPPort: 587, Security: SecuritySTARTTLS,
		IMAPHost: "imap.mail.me.com", IMAPPort: 993, PerMinute: 20, PerDay: 900,
		Note: "Create an app-specific password at account.apple.com and use your @icloud.com address as the user name."},
}

// IsLoopback reports whether host names this computer, the only place an
// unencrypted mail connection is allowed to go: anywhere else it would carry the
// password in the clear.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
