package inbox_test

import (
	"context"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/store"
)

// BenchmarkSyncDovecot10000 imports 10,000 messages (60% replies from 30 members
// in Gmail, Outlook and Apple Mail shapes, 40% the coach's own mail) from real
// Dovecot over IMAPS into a fresh workspace — parsed, threaded and trimmed — and
// in the same run lets mbsync (isync, without fsync) download the same mailbox to
// a Maildir. It
// reports both times, their ratio, and a second sync with nothing new.
func BenchmarkSyncDovecot10000(b *testing.B) {
	mbsync, err := exec.LookPath("mbsync")
	if err != nil {
		realmail.SkipOrFail(b, "mbsync (Debian package isync) is not installed")
	}
	srv := realmail.Start(b)
	dir := b.TempDir()
	template := filepath.Join(dir, "template.db")
	db, err := store.Open(template)
	if err != nil {
		b.Fatal(err)
	}
	w := &world{db: db, sent: map[int64]sentCopy{}}
	w.populate(b, 30)
	fixtures := []string{"gmail_reply.eml", "outlook_reply.eml", "apple_reply.eml"}
	const n = 10000
	msgs := func(yield func([]byte) bool) {
		for i := range n {
			m := w.members[i%len(w.members)]
			raw := w.mail(b, "personal.eml", m, fmt.Sprintf("p%05d", i))
			if i%5 < 3 {
				raw = w.mail(b, fixtures[i%3], m, fmt.Sprintf("r%05d", i))
			}
			if !yield(raw) {
				return
			}
		}
	}
	if got := srv.FillMaildir(b, realmail.Coach, iter.Seq[[]byte](msgs)); got != n {
		b.Fatalf("got %d messages in the Maildir, want %d", got, n)
	}
	db.Close()

	cert := filepath.Join(dir, "ca.pem")
	os.WriteFile(cert, srv.CACertPEM, 0o600)
	cfg := inbox.Config{Host: srv.Host, Port: srv.IMAPSPort, Security: app.SecurityTLS, User: realmail.Coach,
		Password: realmail.Password, TLSConfig: srv.TLSConfig(), Timeout: time.Minute}
	var ours, theirs, again time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		ws := openCopy(b, template)
		b.StartTimer()
		start := time.Now()
		sum, err := inbox.Sync(context.Background(), ws, inbox.DialerFor(cfg), inbox.Options{Account: "bench"}, nil)
		ours += time.Since(start)
		b.StopTimer()
		if err != nil || sum.Scanned != n || sum.Imported != n*3/5 {
			b.Fatalf("got %+v, %v; want %d scanned and %d replies imported", sum, err, n, n*3/5)
		}
		start = time.Now()
		if _, err := inbox.Sync(context.Background(), ws, inbox.DialerFor(cfg), inbox.Options{Account: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
		again += time.Since(start)
		ws.Close()

		maildir := filepath.Join(dir, fmt.Sprintf("mbsync%d", i))
		conf := filepath.Join(dir, "mbsyncrc")
		// FSync no: mbsync --no-fsync, the figure issue 12 compares with.
		os.WriteFile(conf, []byte(fmt.Sprintf(`FSync no

IMAPAccount coach
Host localhost
Port %d
User %s
Pass %s
SSLType IMAPS
CertificateFile %s

IMAPStore remote
Account coach

MaildirStore local
Path %s/
Inbox %s/INBOX

Channel pull
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
`, srv.IMAPSPort, realmail.Coach, realmail.Password, cert, maildir, maildir)), 0o600)
		os.MkdirAll(maildir, 0o700)
		start = time.Now()
		if out, err := exec.Command(mbsync, "-c", conf, "-q", "pull").CombinedOutput(); err != nil {
			b.Fatalf("mbsync: %v\n%s", err, out)
		}
		theirs += time.Since(start)
		b.StartTimer()
	}
	runs := float64(b.N)
	b.ReportMetric(ours.Seconds()/runs, "roundtable-s")
	b.ReportMetric(theirs.Seconds()/runs, "mbsync-s")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "ratio")
	b.ReportMetric(float64(again.Milliseconds())/runs, "nothing-new-ms")
}
