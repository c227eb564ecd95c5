// Package roots decides whether to trust a mail server's certificate: the
// same servers Go's own TLS trusts, without every command waiting for the
// whole folder of system certificates first.
//
// On Linux, Go's system pool is the certificate bundle (on Debian
// /etc/ssl/certs/ca-certificates.crt, 144 certificates) plus every file in the
// certificate folders (on Debian /etc/ssl/certs: the same 144 again, one file
// each behind a symlink). Loading it takes 22–25 ms, 17 of them the folder, and
// a command's first handshake waits for it: it was the longest wait of a
// second `inbox sync` outside the server (docs/benchmarks.md). A chain that
// verifies against the bundle alone verifies against the whole pool, which
// only adds roots, so a server is checked against the bundle first (6 ms to
// load), and against the whole pool only when that fails: a server is trusted
// exactly when Go would trust it, and the folder is read only for a
// certificate the bundle does not vouch for. Elsewhere (macOS, Windows), Go
// asks the system's verifier, and Config leaves it to Go.
package roots

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"runtime"
	"sync"
)

// Config returns the TLS settings for a client of host.
func Config(host string) *tls.Config {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if runtime.GOOS != "linux" {
		return cfg
	}
	// Go's own check is replaced by the same check in two steps (verify);
	// VerifyConnection runs in every handshake, so nothing is sent to a server
	// before it has passed.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		return verify(cs.PeerCertificates, host, bundle(), nil)
	}
	return cfg
}

// Prepare starts loading the bundle in the background, so that it is ready by
// the time a server's certificate arrives. Calling it again costs nothing.
func Prepare() {
	if runtime.GOOS == "linux" {
		go bundle()
	}
}

// verify checks the server's chain for host against first, then, if that
// fails, against all (nil: the system's whole pool, as Go's own TLS does).
// Its errors are Go's own, so callers explain them as they would Go's.
func verify(certs []*x509.Certificate, host string, first, all *x509.CertPool) error {
	if len(certs) == 0 {
		return errors.New("tls: the server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	if first != nil {
		opts.Roots = first
		if _, err := certs[0].Verify(opts); err == nil {
			return nil
		}
	}
	opts.Roots = all
	if _, err := certs[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// bundle is the system's certificate bundle, the file Go reads first; nil
// when there is none.
var bundle = sync.OnceValue(func() *x509.CertPool {
	for _, f := range bundleFiles(os.Getenv) {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(data) {
			return nil
		}
		return pool
	}
	return nil
})

// bundleFiles are the files Go tries for the bundle, in its order, reading
// the first it can (crypto/x509's certFiles): SSL_CERT_FILE when it is set,
// else where Linux distributions keep it.
func bundleFiles(getenv func(string) string) []string {
	if f := getenv("SSL_CERT_FILE"); f != "" {
		return []string{f}
	}
	return []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // openSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine
	}
}
