package inbox_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
)

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestDial_TLSAndSTARTTLS logs in over implicit TLS and over STARTTLS to servers
// with their own certificate, and refuses a certificate nobody vouches for.
func TestDial_TLSAndSTARTTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	serverTLS := &tls.Config{Certificates: []tls.Certificate{cert}}
	start := func(implicit bool) int {
		mem := imapmemserver.New()
		u := imapmemserver.NewUser(coachUser, coachPass)
		u.Create("INBOX", nil)
		mem.AddUser(u)
		opts := &imapserver.Options{
			NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
				return mem.NewSession(), nil, nil
			},
			Caps:   imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapStartTLS: {}},
			Logger: log.New(io.Discard, "", 0),
		}
		var ln net.Listener
		var err error
		if implicit {
			ln, err = tls.Listen("tcp", "127.0.0.1:0", serverTLS)
		} else {
			opts.TLSConfig = serverTLS
			ln, err = net.Listen("tcp", "127.0.0.1:0")
		}
		if err != nil {
			t.Fatal(err)
		}
		srv := imapserver.New(opts)
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().(*net.TCPAddr).Port
	}
	for name, security := range map[string]string{"TLS": app.SecurityTLS, "STARTTLS": app.SecuritySTARTTLS} {
		port := start(security == app.SecurityTLS)
		cfg := inbox.Config{Host: "127.0.0.1", Port: port, Security: security, User: coachUser, Password: coachPass}
		t.Run(name, func(t *testing.T) {
			cfg := cfg
			cfg.TLSConfig = &tls.Config{RootCAs: pool}
			c, err := inbox.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
		})
		t.Run(name+"/ErrUntrusted", func(t *testing.T) {
			_, err := inbox.Dial(context.Background(), cfg)
			if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "could not be verified") {
				t.Fatalf("got %v, want the certificate refused in plain words", err)
			}
		})
	}
}
