// Package autoconfig finds a mail provider's SMTP and IMAP settings from the
// address's domain, in the Thunderbird autoconfiguration format (the ISPDB's
// clientConfig XML, version 1.1). A few providers' files ship with the app
// (ispdb/*.xml); the domain's own autoconfig.DOMAIN host and its
// /.well-known/autoconfig path are asked over HTTPS only when the coach asks
// (Find), so that typing an address never reaches the network by itself.
package autoconfig

import (
	"context"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// clientConfig is the XML document, reduced to what Roundtable uses.
type clientConfig struct {
	XMLName   xml.Name `xml:"clientConfig"`
	Providers []struct {
		ID          string   `xml:"id,attr"`
		Domains     []string `xml:"domain"`
		DisplayName string   `xml:"displayName"`
		ShortName   string   `xml:"displayShortName"`
		Incoming    []server `xml:"incomingServer"`
		Outgoing    []server `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

// server is one incomingServer or outgoingServer element.
type server struct {
	Type       string `xml:"type,attr"` // imap, pop3, smtp (others ignored)
	Hostname   string `xml:"hostname"`
	Port       int    `xml:"port"`
	SocketType string `xml:"socketType"` // SSL, STARTTLS or plain
	Username   string `xml:"username"`   // %EMAILADDRESS%, %EMAILLOCALPART%, ...
}

// security maps socketType to Roundtable's names; plain is refused ("") since a
// password must not cross the network in the clear.
func security(socketType string) string {
	switch strings.ToUpper(strings.TrimSpace(socketType)) {
	case "SSL", "TLS":
		return app.SecurityTLS
	case "STARTTLS":
		return app.SecuritySTARTTLS
	}
	return ""
}

// pick returns the first server of the type with an encrypted connection,
// implicit TLS preferred over STARTTLS.
func pick(servers []server, typ string) (server, bool) {
	var found server
	ok := false
	for _, s := range servers {
		if !strings.EqualFold(s.Type, typ) || s.Hostname == "" || s.Port <= 0 || s.Port > 65535 {
			continue
		}
		switch security(s.SocketType) {
		case app.SecurityTLS:
			return s, true
		case app.SecuritySTARTTLS:
			if !ok {
				found, ok = s, true
			}
		}
	}
	return found, ok
}

// Parse reads a clientConfig document and returns the settings for an address
// at domain as a preset. A document with no encrypted IMAP and SMTP server is
// ENOTFOUND: Roundtable needs both directions.
func Parse(r io.Reader, domain string) (app.Preset, error) {
	var cc clientConfig
	dec := xml.NewDecoder(io.LimitReader(r, 1<<20))
	dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return input, nil
		}
		return nil, fmt.Errorf("charset %s", charset)
	}
	if err := dec.Decode(&cc); err != nil {
		return app.Preset{}, app.Wrap(app.EDAMAGED, err, "The settings file for %s could not be read.", domain)
	}
	for _, p := range cc.Providers {
		in, okIn := pick(p.Incoming, "imap")
		out, okOut := pick(p.Outgoing, "smtp")
		if !okIn || !okOut {
			continue
		}
		name := strings.TrimSpace(p.DisplayName)
		if name == "" {
			name = domain
		}
		return app.Preset{ID: "autoconfig:" + domain, Name: name,
			SMTPHost: strings.ToLower(strings.TrimSpace(out.Hostname)), SMTPPort: out.Port, Security: security(out.SocketType),
			IMAPHost: strings.ToLower(strings.TrimSpace(in.Hostname)), IMAPPort: in.Port, IMAPSecurity: security(in.SocketType),
			PerMinute: 10, PerDay: 300, Domains: append([]string(nil), p.Domains...),
			Note: "Found in " + name + "'s published settings. Sending limits are a careful guess: check your provider's and change them below."}, nil
	}
	return app.Preset{}, app.Errorf(app.ENOTFOUND, "The settings for %s list no encrypted IMAP and SMTP server.", domain)
}

//go:embed ispdb/*.xml
var ispdb embed.FS

// Shipped returns the settings shipped with the app for domain.
func Shipped(domain string) (app.Preset, bool) {
	domain = strings.ToLower(domain)
	entries, _ := ispdb.ReadDir("ispdb")
	for _, e := range entries {
		f, err := ispdb.Open("ispdb/" + e.Name())
		if err != nil {
			continue
		}
		p, err := Parse(f, domain)
		f.Close()
		if err != nil {
			continue
		}
		for _, d := range p.Domains {
			if d == domain {
				return p, true
			}
		}
	}
	return app.Preset{}, false
}

// Finder looks settings up on the network.
type Finder struct {
	Client *http.Client
	// URLs returns where to look for domain's settings, in order; nil means
	// DomainURLs.
	URLs func(domain, email string) []string
}

// DomainURLs are the two places the Thunderbird format puts a domain's own
// settings: its autoconfig host and its well-known path, both over HTTPS.
func DomainURLs(domain, email string) []string {
	q := "?emailaddress=" + url.QueryEscape(email)
	return []string{
		"https://autoconfig." + domain + "/mail/config-v1.1.xml" + q,
		"https://" + domain + "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
}

// Domain returns the domain of an email address, or EINVALID.
func Domain(email string) (string, error) {
	email = strings.TrimSpace(email)
	at := strings.LastIndexByte(email, '@')
	domain := strings.ToLower(strings.Trim(email[at+1:], ". "))
	if at <= 0 || domain == "" || strings.ContainsAny(domain, "/?#:@ ") || !strings.Contains(domain, ".") {
		return "", app.Errorf(app.EINVALID, "Type your whole email address (you@example.com) to find its settings.")
	}
	return domain, nil
}

// Find returns the settings for the address: a built-in preset for the big
// providers, the shipped ISPDB files, then the domain's own published file.
func (f *Finder) Find(ctx context.Context, email string) (app.Preset, error) {
	domain, err := Domain(email)
	if err != nil {
		return app.Preset{}, err
	}
	if p, ok := app.PresetForEmail(email); ok {
		return p, nil
	}
	if p, ok := Shipped(domain); ok {
		return p, nil
	}
	urls := DomainURLs
	if f.URLs != nil {
		urls = f.URLs
	}
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	var lastErr error
	for _, u := range urls(domain, strings.TrimSpace(email)) {
		p, err := fetch(ctx, client, u, domain)
		if err == nil {
			return p, nil
		}
		lastErr = err
	}
	return app.Preset{}, app.Wrap(app.ENOTFOUND, lastErr, "No published settings were found for %s. Your provider's help pages list its SMTP and IMAP servers: type them below.", domain)
}

func fetch(ctx context.Context, client *http.Client, u, domain string) (app.Preset, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return app.Preset{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return app.Preset{}, fmt.Errorf("autoconfig: %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return app.Preset{}, fmt.Errorf("autoconfig: %s: status %s", u, strconv.Itoa(resp.StatusCode))
	}
	return Parse(resp.Body, domain)
}
