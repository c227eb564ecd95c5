package inbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/internal/roots"
)

// Config is how to reach and log in to an IMAP server. It can point at any host,
// port and TLS setting: the coach's provider, the built-in sandbox, or a real
// Dovecot started by a test.
type Config struct {
	Host     string
	Port     int
	Security string // app.SecurityTLS, app.SecuritySTARTTLS, app.SecurityNone (loopback only)
	User     string
	Password string
	// TLSConfig verifies the server; nil uses the system's roots and Host. Tests
	// pass one that trusts their own certificate.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each wait for the server; 0 means 30 seconds.
	Timeout time.Duration
}

// Dialer opens a logged-in connection for one sync. Sync closes it.
type Dialer func(ctx context.Context) (*imapclient.Client, error)

// DialerFor returns the Dialer for a server.
func DialerFor(cfg Config) Dialer {
	return func(ctx context.Context) (*imapclient.Client, error) { return Dial(ctx, cfg) }
}

// Check tells what is wrong with the settings, in the coach's words. Plain,
// unencrypted IMAP is allowed only to this machine: over any network it would
// send the password in the clear.
func (c Config) Check() error {
	if strings.TrimSpace(c.Host) == "" {
		return app.FieldErrorf(app.EINVALID, "host", "Enter the incoming mail server, for example imap.gmail.com.")
	}
	if strings.ContainsAny(c.Host, " /:@") && net.ParseIP(c.Host) == nil {
		return app.FieldErrorf(app.EINVALID, "host", "%q is not a server name; enter only the name, for example imap.gmail.com.", c.Host)
	}
	if c.Port <= 0 || c.Port > 65535 {
		return app.FieldErrorf(app.EINVALID, "port", "Enter the incoming server's port: usually 993 (TLS) or 143 (STARTTLS).")
	}
	switch c.Security {
	case app.SecurityTLS, app.SecuritySTARTTLS:
	case app.SecurityNone:
		if !app.IsLoopback(c.Host) {
			return app.FieldErrorf(app.EINVALID, "security", "Unencrypted IMAP would send your password in the clear; it is allowed only to this computer. Choose TLS or STARTTLS for %s.", c.Host)
		}
	default:
		return app.FieldErrorf(app.EINVALID, "security", "Choose how to secure the connection: TLS (port 993) or STARTTLS (port 143).")
	}
	if strings.TrimSpace(c.User) == "" {
		return app.FieldErrorf(app.EINVALID, "user", "Enter the user name for the incoming server (usually your email address).")
	}
	return nil
}

// PrepareTLS starts loading the certificates a server's own is checked against
// (app/mail/internal/roots), beside opening the workspace, so that they are
// ready by the time the server's certificate arrives. Calling it again
// costs nothing.
func PrepareTLS() { roots.Prepare() }

// Dial connects to the server, secures the connection as configured and logs in.
// Every failure is an *app.Error whose sentence says what to check.
func Dial(ctx context.Context, cfg Config) (*imapclient.Client, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Security != app.SecurityNone && cfg.TLSConfig == nil {
		PrepareTLS()
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	d := &net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, dialError(ctx, cfg, err)
	}
	// Until logged in, the whole exchange must finish within the timeout.
	conn.SetDeadline(time.Now().Add(timeout))
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	tlsConfig := roots.Config(cfg.Host)
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
		if tlsConfig.ServerName == "" {
			tlsConfig.ServerName = cfg.Host
		}
	}
	opts := &imapclient.Options{TLSConfig: tlsConfig, Dialer: d, UnilateralDataHandler: arrivalsHandler(ctx)}
	var c *imapclient.Client
	switch cfg.Security {
	case app.SecurityTLS:
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, dialError(ctx, cfg, err)
		}
		c = imapclient.New(tc, opts)
	case app.SecuritySTARTTLS:
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			if isNo(err) {
				return nil, app.Wrap(app.EUNAVAILABLE, err, "%s does not offer STARTTLS on port %d; choose TLS (usually port 993)", cfg.Host, cfg.Port)
			}
			return nil, dialError(ctx, cfg, err)
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, dialError(ctx, cfg, err)
	}
	if c.Caps().Has(imap.CapLoginDisabled) {
		c.Close()
		return nil, app.Errorf(app.EUNAVAILABLE, "%s does not allow logging in on this connection; choose TLS or STARTTLS.", cfg.Host)
	}
	if err := c.Login(cfg.User, cfg.Password).Wait(); err != nil {
		c.Close()
		if isNo(err) {
			return nil, app.Wrap(app.EUNAUTHORIZED, err, "%s refused the user name or password. Check them; Gmail, iCloud, Outlook and Fastmail need an app password, not your usual one", cfg.Host)
		}
		return nil, dialError(ctx, cfg, err)
	}
	conn.SetDeadline(time.Time{})
	return c, nil
}

func isNo(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie)
}

// dialError says in plain words why the server could not be reached.
func dialError(ctx context.Context, cfg Config, err error) error {
	where := fmt.Sprintf("%s port %d", cfg.Host, cfg.Port)
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case ctx.Err() != nil:
		return app.Wrap(app.ECANCELED, err, "Stopped before the connection to %s was made", cfg.Host)
	case errors.As(err, &dnsErr):
		return app.Wrap(app.EUNAVAILABLE, err, "The server %s could not be found; check its name and your internet connection", cfg.Host)
	case errors.As(err, &recErr):
		return app.Wrap(app.EUNAVAILABLE, err, "%s did not answer with encryption; try STARTTLS on port 143, or TLS on port 993", where)
	case errors.As(err, &hostErr):
		return app.Wrap(app.EUNAVAILABLE, err, "The certificate of %s is for another server name; check the server name", cfg.Host)
	case errors.As(err, &unknownAuth), errors.As(err, &certErr):
		return app.Wrap(app.EUNAVAILABLE, err, "The certificate of %s could not be verified, so the connection was not trusted", cfg.Host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return app.Wrap(app.EUNAVAILABLE, err, "%s refused the connection; check the port and the security setting", where)
	case errors.As(err, &netErr) && netErr.Timeout():
		return app.Wrap(app.EUNAVAILABLE, err, "%s did not answer in time; check the port, your connection, or try again later", where)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return app.Wrap(app.EUNAVAILABLE, err, "%s closed the connection; check the port and the security setting", where)
	}
	if strings.Contains(err.Error(), "first record does not look like a TLS handshake") {
		return app.Wrap(app.EUNAVAILABLE, err, "%s did not answer with encryption; try STARTTLS on port 143, or TLS on port 993", where)
	}
	return app.Wrap(app.EUNAVAILABLE, err, "Could not talk to the mail server at %s", where)
}
