package roots

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// authority is a certificate authority made for one test.
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var serial int64

// issue makes a certificate for subject, signed by parent (nil: self-signed).
// A CA can sign; a leaf is for serving hosts until notAfter.
func issue(t *testing.T, parent *authority, subject string, ca bool, hosts []string, notAfter time.Time) *authority {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: subject},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, DNSNames: hosts,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &authority{cert: cert, key: key}
}

func poolOf(cas ...*authority) *x509.CertPool {
	p := x509.NewCertPool()
	for _, ca := range cas {
		p.AddCert(ca.cert)
	}
	return p
}

// chain is what a server sends: its certificate and the intermediate under root.
func chain(t *testing.T, root *authority, host string, notAfter time.Time) []*x509.Certificate {
	certs, _ := serverChain(t, root, host, notAfter)
	return certs
}

// serverChain is chain with the server certificate's key.
func serverChain(t *testing.T, root *authority, host string, notAfter time.Time) ([]*x509.Certificate, *ecdsa.PrivateKey) {
	mid := issue(t, root, "Intermediate", true, nil, time.Now().Add(24*time.Hour))
	leaf := issue(t, mid, host, false, []string{host}, notAfter)
	return []*x509.Certificate{leaf.cert, mid.cert}, leaf.key
}

// A server is trusted exactly when its chain leads to a root of the bundle or,
// failing that, of the whole pool; and every refusal is Go's own error, which
// the IMAP and SMTP dialers already put into words.
func TestVerify_TheBundleFirstThenTheWholePool(t *testing.T) {
	inBundle := issue(t, nil, "Root in the bundle", true, nil, time.Now().Add(24*time.Hour))
	inFolder := issue(t, nil, "Root only in the folder", true, nil, time.Now().Add(24*time.Hour))
	stranger := issue(t, nil, "Nobody's root", true, nil, time.Now().Add(24*time.Hour))
	later := time.Now().Add(12 * time.Hour)
	bundle, all := poolOf(inBundle), poolOf(inBundle, inFolder)

	for _, tc := range []struct {
		name  string
		certs []*x509.Certificate
		host  string
		want  error // nil, or an example of the error Go gives
	}{
		{"the bundle vouches", chain(t, inBundle, "mail.example.test", later), "mail.example.test", nil},
		{"only the folder vouches", chain(t, inFolder, "mail.example.test", later), "mail.example.test", nil},
		{"nobody vouches", chain(t, stranger, "mail.example.test", later), "mail.example.test", x509.UnknownAuthorityError{}},
		{"another server's name", chain(t, inBundle, "mail.example.test", later), "imap.example.test", x509.HostnameError{}},
		{"expired", chain(t, inBundle, "mail.example.test", time.Now().Add(-time.Minute)), "mail.example.test", x509.CertificateInvalidError{}},
		{"leaf alone, its intermediate not sent", chain(t, inBundle, "mail.example.test", later)[:1], "mail.example.test", x509.UnknownAuthorityError{}},
		{"no certificate", nil, "mail.example.test", errors.New("")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := verify(tc.certs, tc.host, bundle, all)
			switch want := tc.want.(type) {
			case nil:
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			case x509.UnknownAuthorityError:
				if !errors.As(err, &want) {
					t.Fatalf("got %v, want an unknown authority", err)
				}
			case x509.HostnameError:
				if !errors.As(err, &want) {
					t.Fatalf("got %v, want the wrong server name", err)
				}
			case x509.CertificateInvalidError:
				if !errors.As(err, &want) || want.Reason != x509.Expired {
					t.Fatalf("got %v, want an expired certificate", err)
				}
			default:
				if err == nil {
					t.Fatal("trusted a server that sent no certificate")
				}
			}
			var ve *tls.CertificateVerificationError
			if tc.want != nil && len(tc.certs) > 0 && !errors.As(err, &ve) {
				t.Fatalf("got %T, want a *tls.CertificateVerificationError as Go's own check gives", err)
			}
		})
	}
	// The bundle alone decides for what it vouches: the whole pool is not
	// needed (here it would refuse, so trust must come from the bundle).
	if err := verify(chain(t, inBundle, "mail.example.test", later), "mail.example.test", bundle, poolOf(stranger)); err != nil {
		t.Fatalf("the bundle's root did not suffice: %v", err)
	}
}

func TestBundleFiles_SSLCertFileFirst(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SSL_CERT_FILE" {
				return v
			}
			return ""
		}
	}
	if got := bundleFiles(env("/tmp/mine.pem")); len(got) != 1 || got[0] != "/tmp/mine.pem" {
		t.Fatalf("with SSL_CERT_FILE set, got %v", got)
	}
	if got := bundleFiles(env("")); got[0] != "/etc/ssl/certs/ca-certificates.crt" || len(got) != 6 {
		t.Fatalf("without it, got %v", got)
	}
}

// helperEnv runs this test binary as a child with its own certificate
// settings: Go loads the system's certificates once per process.
const helperEnv = "ROOTS_TEST_HANDSHAKES"

// TestConfig_TrustsWhatGoTrusts makes real TLS handshakes with Config, in a
// process whose bundle (SSL_CERT_FILE) and certificate folder (SSL_CERT_DIR)
// each hold one authority: servers under either are trusted, others not.
func TestConfig_TrustsWhatGoTrusts(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		handshakes(t)
		return
	}
	dir := t.TempDir()
	inBundle := issue(t, nil, "Root in the bundle", true, nil, time.Now().Add(24*time.Hour))
	inFolder := issue(t, nil, "Root only in the folder", true, nil, time.Now().Add(24*time.Hour))
	stranger := issue(t, nil, "Nobody's root", true, nil, time.Now().Add(24*time.Hour))
	folder := filepath.Join(dir, "certs")
	os.Mkdir(folder, 0o755)
	writePEM(t, filepath.Join(dir, "bundle.pem"), inBundle.cert)
	writePEM(t, filepath.Join(folder, "folder-root.pem"), inFolder.cert)
	for name, ca := range map[string]*authority{"bundle": inBundle, "folder": inFolder, "stranger": stranger} {
		certs, key := serverChain(t, ca, "localhost", time.Now().Add(time.Hour))
		writePEM(t, filepath.Join(dir, name+".chain.pem"), certs...)
		der, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name+".key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestConfig_TrustsWhatGoTrusts$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, "SSL_CERT_FILE="+filepath.Join(dir, "bundle.pem"), "SSL_CERT_DIR="+folder)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestConfig_TrustsWhatGoTrusts") {
		t.Fatalf("the child ran no handshakes:\n%s", out)
	}
}

// handshakes runs in the child of TestConfig_TrustsWhatGoTrusts.
func handshakes(t *testing.T) {
	dir := os.Getenv(helperEnv)
	Prepare()
	for name, trusted := range map[string]bool{"bundle": true, "folder": true, "stranger": false} {
		cert, err := tls.LoadX509KeyPair(filepath.Join(dir, name+".chain.pem"), filepath.Join(dir, name+".key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.(*tls.Conn).Handshake()
				c.Close()
			}
		}()
		for _, host := range []string{"localhost", "127.0.0.1"} {
			raw, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			err = tls.Client(raw, Config(host)).Handshake()
			raw.Close()
			// 127.0.0.1 is not a name on any of these certificates.
			want := trusted && host == "localhost"
			if (err == nil) != want {
				t.Errorf("%s certificate, server called %s: handshake error %v, want trusted=%v", name, host, err, want)
			}
		}
		ln.Close()
	}
}

func writePEM(t *testing.T, name string, certs ...*x509.Certificate) {
	t.Helper()
	var b []byte
	for _, c := range certs {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
