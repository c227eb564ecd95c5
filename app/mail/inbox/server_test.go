package inbox_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/store"
)

// The coach's mailbox in the tests: a real IMAP server (go-imap's in-memory
// backend) on 127.0.0.1, which can drop its connections on demand and keeps a
// copy of everything it sent, so a test can tell what was downloaded.

const (
	coachUser = "coach@example.com"
	coachPass = "secret"
)

var (
	capsRev1 = imap.CapSet{imap.CapIMAP4rev1: {}}
	capsRev2 = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
)

type testServer struct {
	port int
	user *imapmemserver.User

	mu      sync.Mutex
	conns   []net.Conn
	traffic bytes.Buffer // every byte both ways
}

func (ts *testServer) Write(p []byte) (int, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.traffic.Write(p)
}

// sent returns everything the server has sent so far.
func (ts *testServer) sent() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.traffic.String()
}

// dropConnections cuts every open connection, as a lost network would.
func (ts *testServer) dropConnections() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, c := range ts.conns {
		c.Close()
	}
	ts.conns = nil
}

type trackListener struct {
	net.Listener
	ts *testServer
}

func (l trackListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.ts.mu.Lock()
		l.ts.conns = append(l.ts.conns, c)
		l.ts.mu.Unlock()
	}
	return c, err
}

func startServer(tb testing.TB, caps imap.CapSet, record bool) *testServer {
	tb.Helper()
	ts := &testServer{}
	mem := imapmemserver.New()
	ts.user = imapmemserver.NewUser(coachUser, coachPass)
	if err := ts.user.Create("INBOX", nil); err != nil {
		tb.Fatal(err)
	}
	mem.AddUser(ts.user)
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	if record {
		opts.DebugWriter = ts
	}
	srv := imapserver.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ts.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(trackListener{ln, ts})
	tb.Cleanup(func() { srv.Close() })
	return ts
}

func (ts *testServer) config() inbox.Config {
	return inbox.Config{Host: "127.0.0.1", Port: ts.port, Security: app.SecurityNone, User: coachUser, Password: coachPass}
}

// deliver puts a message in a folder of the mailbox, as the coach's provider would.
func (ts *testServer) deliver(tb testing.TB, folder string, raw []byte) {
	tb.Helper()
	if _, err := ts.user.Append(folder, bytes.NewReader(raw), &imap.AppendOptions{}); err != nil {
		tb.Fatal(err)
	}
}

// world is a workspace with a cohort of three members and one announcement
// sent to them, and the coach's mailbox.
type world struct {
	db      *store.DB
	srv     *testServer
	cohort  app.Cohort
	post    app.Post
	members []app.Client
	sent    map[int64]sentCopy // client → their copy of the post
	seq     int
	tokens  map[string]string // Message-ID → reply token, of copies queued by a test
}

type sentCopy struct{ messageID, token string }

func newWorld(tb testing.TB, caps imap.CapSet) *world {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "workspace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	w := &world{db: db, srv: startServer(tb, caps, true), sent: map[int64]sentCopy{}}
	w.populate(tb, 3)
	return w
}

func (w *world) populate(tb testing.TB, members int) {
	tb.Helper()
	ctx := context.Background()
	var err error
	w.cohort, err = w.db.CreateCohort(ctx, app.CohortInput{Name: "Spring mastermind", Kind: app.KindMastermind})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for i := range members {
		name := []string{"Ana Lima", "Ben Okafor", "Cleo Park"}[i%3]
		if members > 3 {
			name = fmt.Sprintf("Member %03d", i)
		}
		email := strings.ToLower(strings.Fields(name)[0]) + fmt.Sprint(i) + "@example.net"
		c, err := w.db.CreateClient(ctx, app.ClientInput{Name: name, Email: email})
		if err != nil {
			tb.Fatal(err)
		}
		w.members = append(w.members, c)
		ids = append(ids, c.ID)
	}
	if _, err := w.db.AddMembers(ctx, w.cohort.ID, ids, app.RoleMember); err != nil {
		tb.Fatal(err)
	}
	w.post = w.sendPost(tb, "Week 3: one habit")
}

// sendPost queues a post to the cohort, as the outbox would before sending it.
func (w *world) sendPost(tb testing.TB, subject string) app.Post {
	tb.Helper()
	ctx := context.Background()
	p, err := w.db.CreatePost(ctx, app.PostInput{CohortID: w.cohort.ID, Subject: subject, Body: "This week: pick one habit."})
	if err != nil {
		tb.Fatal(err)
	}
	tokens := map[string]string{}
	p, err = w.db.QueuePost(ctx, p.ID, withIDs(func() (string, string) {
		w.seq++
		id, tok := fmt.Sprintf("post%d.%d@example.com", p.ID, w.seq), replyaddr.NewToken()
		tokens[id] = tok
		return id, tok
	}))
	if err != nil {
		tb.Fatal(err)
	}
	items, err := w.db.Outbox(ctx, app.OutboxFilter{PostID: p.ID})
	if err != nil {
		tb.Fatal(err)
	}
	for _, it := range items {
		w.sent[it.ClientID] = sentCopy{it.MessageID, tokens[it.MessageID]}
	}
	return p
}

// mail fills a fixture from testdata for a member answering the post.
func (w *world) mail(tb testing.TB, fixture string, from app.Client, mid string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		tb.Fatal(err)
	}
	s := w.sent[from.ID]
	unsub, _ := w.db.ClientUnsubscribeToken(context.Background(), from.ID)
	r := strings.NewReplacer("{{TOKEN}}", s.token, "{{CITED}}", s.messageID, "{{FROM}}", from.Email,
		"{{NAME}}", from.Name, "{{MID}}", mid, "{{SUBJECT}}", w.post.Subject, "{{UNSUB}}", unsub)
	return []byte(r.Replace(string(raw)))
}

func (w *world) sync(tb testing.TB, opts inbox.Options) (app.SyncSummary, error) {
	tb.Helper()
	if opts.Account == "" {
		opts.Account = coachUser + "@127.0.0.1"
	}
	return inbox.Sync(context.Background(), w.db, inbox.DialerFor(w.srv.config()), opts, nil)
}

func (w *world) mustSync(tb testing.TB, opts inbox.Options) app.SyncSummary {
	tb.Helper()
	sum, err := w.sync(tb, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return sum
}

func (w *world) replies(tb testing.TB) []app.Reply {
	tb.Helper()
	rs, err := w.db.Replies(context.Background(), w.post.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}
