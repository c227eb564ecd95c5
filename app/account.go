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
	ID       string `json:"id"`
	Name     string `json:"name"`
	SMTPHost string `json:"smtpHost"`
	SMTPPort int    `json:"smtpPort"`
	Security string `json:"security"`
	IMAPHost string `json:"imapHost"`
	IMAPPort int    `json:"imapPort"`
	// IMAPSecurity is the incoming server's security; "" means SecurityTLS.
	IMAPSecurity string `json:"imapSecurity"`
	PerMinute    int    `json:"perMinute"`
	PerDay       int    `json:"perDay"`
	Note         string `json:"note"` // what the coach must do at the provider first
	// Domains are the address domains the provider serves, so that typing an
	// address finds its preset ("gmail.com" → Gmail).
	Domains []string `json:"domains"`
	// AppPassword is true when the provider refuses the account's own password
	// over SMTP and IMAP and wants an app password made for Roundtable.
	AppPassword bool `json:"appPassword"`
	// AuthServID is how the provider names itself in the Authentication-Results
	// it adds to incoming mail ("(none)" for Microsoft, which writes no name).
	AuthServID string `json:"authServId"`
}

// Presets are the common providers, with their published hosts, ports and sending
// limits (kept a little under the limits, so a burst never trips them).
var Presets = []Preset{
	{ID: "gmail", Name: "Gmail", SMTPHost: "smtp.gmail.com", SMTPPort: 465, Security: SecurityTLS,
		IMAPHost: "imap.gmail.com", IMAPPort: 993, PerMinute: 20, PerDay: 450, AuthServID: "mx.google.com",
		Domains: []string{"gmail.com", "googlemail.com"}, AppPassword: true,
		Note: "Turn on 2-Step Verification, then create an app password at myaccount.google.com/apppasswords and use it here. Google Workspace accounts may send up to 2,000 a day."},
	{ID: "outlook", Name: "Outlook / Microsoft 365", SMTPHost: "smtp.office365.com", SMTPPort: 587, Security: SecuritySTARTTLS,
		IMAPHost: "outlook.office365.com", IMAPPort: 993, PerMinute: 25, PerDay: 9000, AuthServID: "(none)",
		Domains: []string{"outlook.com", "hotmail.com", "live.com", "msn.com"}, AppPassword: true,
		Note: "Your administrator must allow SMTP AUTH for your mailbox; with 2-step verification use an app password."},
	{ID: "fastmail", Name: "Fastmail", SMTPHost: "smtp.fastmail.com", SMTPPort: 465, Security: SecurityTLS,
		IMAPHost: "imap.fastmail.com", IMAPPort: 993, PerMinute: 30, PerDay: 4000, AuthServID: "messagingengine.com",
		Domains: []string{"fastmail.com", "fastmail.fm"}, AppPassword: true,
		Note: "Create an app password under Settings → Privacy & Security → Integrations."},
	{ID: "icloud", Name: "iCloud Mail", SMTPHost: "smtp.mail.me.com", SMTPPort: 587, Security: SecuritySTARTTLS,
		IMAPHost: "imap.mail.me.com", IMAPPort: 993, PerMinute: 20, PerDay: 900,
		Domains: []string{"icloud.com", "me.com", "mac.com"}, AppPassword: true,
		Note: "Create an app-specific password at account.apple.com and use your @icloud.com address as the user name."},
	// Proton Mail Bridge runs on the coach's own computer and speaks SMTP and IMAP
	// there, encrypting towards Proton; its certificate is its own, not a public one.
	{ID: "proton", Name: "Proton Mail Bridge", SMTPHost: "127.0.0.1", SMTPPort: 1025, Security: SecuritySTARTTLS,
		IMAPHost: "127.0.0.1", IMAPPort: 1143, IMAPSecurity: SecuritySTARTTLS, PerMinute: 10, PerDay: 140,
		Domains: []string{"proton.me", "protonmail.com", "pm.me"},
		Note:    "Proton needs its Bridge app (paid plans): install it, sign in, keep it running, and copy the user name and the password Bridge shows for this mailbox (not your Proton password). Bridge uses its own certificate: export it from Bridge (Settings → Advanced settings → Export TLS certificates) and trust it on this computer, or choose security “None”, which is allowed because Bridge runs on this computer. Proton limits sending per day: the limit here stays under the smallest plan's."},
	{ID: "yahoo", Name: "Yahoo Mail", SMTPHost: "smtp.mail.yahoo.com", SMTPPort: 465, Security: SecurityTLS,
		IMAPHost: "imap.mail.yahoo.com", IMAPPort: 993, PerMinute: 10, PerDay: 450,
		Domains: []string{"yahoo.com", "ymail.com", "rocketmail.com"}, AppPassword: true,
		Note: "Generate an app password under Account info → Account security → Generate app password, and use it here with your full Yahoo address as the user name."},
	{ID: "gmx", Name: "GMX", SMTPHost: "mail.gmx.net", SMTPPort: 587, Security: SecuritySTARTTLS,
		IMAPHost: "imap.gmx.net", IMAPPort: 993, PerMinute: 10, PerDay: 450,
		Domains: []string{"gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.com"},
		Note:    "First allow access by other mail programs in GMX's web mail: Settings → POP3 & IMAP → “Allow access”. Then use your GMX address and password here (with two-factor login on, an app password)."},
}

// PresetForEmail returns the preset whose provider serves the address's domain.
func PresetForEmail(email string) (Preset, bool) {
	at := strings.LastIndexByte(email, '@')
	domain := strings.ToLower(strings.TrimSpace(email[at+1:]))
	for _, p := range Presets {
		for _, d := range p.Domains {
			if d == domain {
				return p, true
			}
		}
	}
	return Preset{}, false
}

// AppPasswordHelp is what the window tells a coach about app passwords.
const AppPasswordHelp = "An app password is a second password your provider makes for one program, so that Roundtable never holds the password you log in with. Most providers require one for mail programs once two-step login is on; you can revoke it at the provider at any time without changing your own password."

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

// Profile is about the coach, not about any mail account: the name members see
// (the From name and {{coach_name}}). It is kept apart from the account so that
// it works in the sandbox and survives a change of provider.
type Profile struct {
	Name string `json:"name"`
}
