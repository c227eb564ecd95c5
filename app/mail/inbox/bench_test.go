package inbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/store"
)

// benchMailbox fills a mailbox with 1,200 messages, 720 of them replies from 30
// members (Gmail, Outlook and Apple Mail shaped) and 480 of the coach's own
// mail, and returns the closed workspace file that knows the members.
func benchMailbox(b *testing.B) (*testServer, string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "template.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	w := &world{db: db, srv: startServer(b, capsRev2, false), sent: map[int64]sentCopy{}}
	w.populate(b, 30)
	fixtures := []string{"gmail_reply.eml", "outlook_reply.eml", "apple_reply.eml"}
	for i := range 1200 {
		m := w.members[i%len(w.members)]
		if i%5 < 3 {
			w.srv.deliver(b, "INBOX", w.mail(b, fixtures[i%3], m, fmt.Sprintf("r%04d", i)))
		} else {
			w.srv.deliver(b, "INBOX", w.mail(b, "personal.eml", m, fmt.Sprintf("p%04d", i)))
		}
	}
	db.Close()
	return w.srv, path
}

func openCopy(b *testing.B, template string) *store.DB {
	b.Helper()
	raw, err := os.ReadFile(template)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "workspace.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkSync imports the whole mailbox into a fresh workspace each time.
func BenchmarkSync(b *testing.B) {
	srv, template := benchMailbox(b)
	dial := inbox.DialerFor(srv.config())
	for b.Loop() {
		b.StopTimer()
		db := openCopy(b, template)
		b.StartTimer()
		sum, err := inbox.Sync(context.Background(), db, dial, inbox.Options{Account: "a"}, nil)
		if err != nil || sum.Scanned != 1200 || sum.Imported != 720 || sum.Skipped != 480 {
			b.Fatalf("got %+v, %v; want 1200 scanned, 720 imported, 480 skipped", sum, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(1200, "messages/op")
}

// BenchmarkSyncNothingNew is the sync a coach runs most: nothing arrived since
// the last one. The goal is under 200 ms.
func BenchmarkSyncNothingNew(b *testing.B) {
	srv, template := benchMailbox(b)
	dial := inbox.DialerFor(srv.config())
	db := openCopy(b, template)
	defer db.Close()
	if _, err := inbox.Sync(context.Background(), db, dial, inbox.Options{Account: "a"}, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sum, err := inbox.Sync(context.Background(), db, dial, inbox.Options{Account: "a"}, nil)
		if err != nil || sum.Scanned != 0 {
			b.Fatalf("got %+v, %v; want nothing new", sum, err)
		}
	}
}
