// Package smtptest runs a real SMTP server (go-smtp) inside a test, on
// 127.0.0.1:0, that records what it receives and fails on demand: a refused
// recipient, a refused message, a connection dropped in the middle of DATA, a slow
// answer. Tests of the sending side talk SMTP to it for real instead of mocking.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Hooks decide how the server answers. Each may return an *smtp.SMTPError to
// refuse; nil accepts.
type Hooks struct {
	Rcpt func(to string) error
	Data func(data []byte) error
	// DropAfter closes the connection after this many bytes of DATA were read,
	// without answering, for the n-th message (counting from 1) when it returns true.
	DropDuringData func(n int) bool
	// Delay is waited before answering each DATA.
	Delay time.Duration
	// Discard keeps only a count of accepted messages, not their bytes, for
	// benchmarks that send thousands.
	Discard bool
}

// Server is a running test server.
type Server struct {
	Host string
	Port int
	// ClientTLS trusts the server's certificate, for clients under test.
	ClientTLS *tls.Config

	srv *smtp.Server
	ln  net.Listener
	mu  sync.Mutex
	msg []Message
	n   int // DATA commands seen

	accepted int
	hk       Hooks
}

// Options choose how the server is set up.
type Options struct {
	ImplicitTLS bool              // TLS from the first byte (port 465 style)
	StartTLS    bool              // offer STARTTLS (port 587 style)
	Users       map[string]string // user → password; empty means no AUTH
	Hooks       Hooks
}

// Start starts a server for the test and stops it when the test ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{Host: "127.0.0.1", hk: opts.Hooks}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, users: opts.Users, conn: c}, nil
	})
	s.srv = smtp.NewServer(be)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = !opts.ImplicitTLS && !opts.StartTLS
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 50 << 20
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // failures on purpose are the point here
	var l net.Listener
	var err error
	if opts.ImplicitTLS || opts.StartTLS {
		serverTLS, clientTLS := certs(tb)
		s.ClientTLS = clientTLS
		s.srv.TLSConfig = serverTLS
		if opts.ImplicitTLS {
			l, err = tls.Listen("tcp", "127.0.0.1:0", serverTLS)
		} else {
			l, err = net.Listen("tcp", "127.0.0.1:0")
		}
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		tb.Fatal(err)
	}
	s.Port, s.ln = l.Addr().(*net.TCPAddr).Port, l
	go s.srv.Serve(l)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msg...)
}

// Accepted counts the messages the server accepted, kept or discarded.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// SetHooks changes how the server answers from now on.
func (s *Server) SetHooks(h Hooks) {
	s.mu.Lock()
	s.hk = h
	s.mu.Unlock()
}

func (s *Server) hooks() Hooks {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hk
}

// Close stops the server: clients see the connection drop and new ones are
// refused. The listener is closed here too, in case Serve has not started yet.
func (s *Server) Close() {
	s.ln.Close()
	s.srv.Close()
}

type session struct {
	s      *Server
	users  map[string]string
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if len(ss.users) == 0 {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if p, ok := ss.users[username]; ok && p == password {
			ss.authed = true
			return nil
		}
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(ss.users) > 0 && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if h := ss.s.hooks().Rcpt; h != nil {
		if err := h(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	hk := ss.s.hooks()
	ss.s.mu.Lock()
	ss.s.n++
	n := ss.s.n
	ss.s.mu.Unlock()
	if hk.DropDuringData != nil && hk.DropDuringData(n) {
		buf := make([]byte, 64)
		io.ReadFull(r, buf)
		ss.conn.Conn().Close()
		return errors.New("dropped on purpose")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	time.Sleep(hk.Delay)
	if hk.Data != nil {
		if err := hk.Data(data); err != nil {
			return err
		}
	}
	ss.s.mu.Lock()
	ss.s.accepted++
	if !hk.Discard {
		ss.s.msg = append(ss.s.msg, Message{From: ss.from, To: append([]string(nil), ss.to...), Data: bytes.Clone(data)})
	}
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// certs makes a self-signed certificate for 127.0.0.1 and localhost, and the
// client configuration that trusts it (and nothing else).
func certs(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: pool, ServerName: "localhost"}
	return server, client
}
