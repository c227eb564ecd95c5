package inbox_test

import (
	"encoding/base64"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/store"
)

// ImportBenchEnv names the folder scripts/bench/import.sh asks
// TestImportBenchFixture to fill; unset, the test is skipped.
const importBenchEnv = "RT_IMPORT_BENCH_DIR"

// TestImportBenchFixture writes the two workspaces and mailboxes of the
// whole-process import benchmark (scripts/bench/import.sh), which runs it with
// RT_IMPORT_BENCH_DIR set to a folder holding the running servers (started by
// scripts/mailservers/mailservers.sh with the users clients@ and replies@
// example.test):
//
//   - clients.db knows 1,000 clients; the Maildir of clients@example.test holds
//     10,000 messages from them, about half with a small attachment, none
//     answering anything Roundtable sent (the coach's 1:1 mail).
//   - replies.db knows the same clients, members of a cohort that got one post;
//     the Maildir of replies@example.test holds 10,000 replies to that post
//     carrying its reply tokens (Gmail, Outlook and Apple Mail shapes) and 4,000
//     mails from 500 strangers.
//
// It checks what it wrote, so a broken fixture fails here rather than
// producing a meaningless figure.
func TestImportBenchFixture(t *testing.T) {
	dir := os.Getenv(importBenchEnv)
	if dir == "" {
		t.Skipf("set %s to write the import benchmark's fixture", importBenchEnv)
	}
	srv := &realmail.Servers{Dir: dir}
	const clients, n = 1000, 10000

	w := benchWorld(t, filepath.Join(dir, "clients.db"), clients)
	personal := func(yield func([]byte) bool) {
		for i := range n {
			if !yield(clientMail(w, i)) {
				return
			}
		}
	}
	if got := srv.FillMaildir(t, "clients@example.test", iter.Seq[[]byte](personal)); got != n {
		t.Fatalf("got %d messages in the clients' Maildir, want %d", got, n)
	}
	w.db.Close()

	w = benchWorld(t, filepath.Join(dir, "replies.db"), clients)
	fixtures := []string{"gmail_reply.eml", "outlook_reply.eml", "apple_reply.eml"}
	replies := func(yield func([]byte) bool) {
		r := 0
		for i := range n + 4000 {
			// Five replies, then two strangers: 4,000 strangers spread through the box.
			raw := strangerMail(i)
			if i%7 < 5 {
				raw = w.mail(t, fixtures[r%3], w.members[r%clients], fmt.Sprintf("reply%05d", r))
				r++
			}
			if !yield(raw) {
				return
			}
		}
	}
	if got := srv.FillMaildir(t, "replies@example.test", iter.Seq[[]byte](replies)); got != n+4000 {
		t.Fatalf("got %d messages in the replies' Maildir, want %d", got, n+4000)
	}
	w.db.Close()
}

// benchWorld is a new workspace at path with a cohort of members and one post
// sent to each.
func benchWorld(t *testing.T, path string, members int) *world {
	t.Helper()
	os.Remove(path)
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, sent: map[int64]sentCopy{}}
	w.populate(t, members)
	return w
}

// attachment is a small PDF-sized attachment, base64 as mail programs send it.
var attachment = func() string {
	b := make([]byte, 24<<10)
	for i := range b {
		b[i] = byte(i * 7 % 251)
	}
	enc := base64.StdEncoding.EncodeToString(b)
	var lines []string
	for len(enc) > 76 {
		lines = append(lines, enc[:76])
		enc = enc[76:]
	}
	return strings.Join(append(lines, enc), "\r\n")
}()

// clientMail is a client's own mail to the coach: no reply token, no thread
// header, a subject that answers nothing; every other one carries a PDF.
func clientMail(w *world, i int) []byte {
	c := w.members[i%len(w.members)]
	head := fmt.Sprintf("From: %s <%s>\r\nTo: Sam Coach <clients@example.test>\r\nSubject: Question about my plan %d\r\n"+
		"Date: Wed, 18 Nov 2026 09:%02d:00 +0100\r\nMessage-ID: <client%05d@example.net>\r\nMIME-Version: 1.0\r\n",
		c.Name, c.Email, i, i%60, i)
	text := fmt.Sprintf("Hi Sam,\r\n\r\nCould we move our call on Thursday to 4 pm? (%d)\r\n\r\nThanks,\r\n%s\r\n", i, c.Name)
	if i%2 == 1 {
		return []byte(head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text)
	}
	return []byte(head + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n--b1\r\n" +
		"Content-Type: application/pdf; name=\"plan.pdf\"\r\nContent-Disposition: attachment; filename=\"plan.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + attachment + "\r\n--b1--\r\n")
}

// strangerMail is mail from someone who is not a client: a newsletter, a friend.
func strangerMail(i int) []byte {
	return []byte(fmt.Sprintf("From: Someone %d <someone%d@example.org>\r\nTo: Sam Coach <replies@example.test>\r\n"+
		"Subject: Dinner on Saturday? %d\r\nDate: Wed, 18 Nov 2026 10:00:00 +0100\r\nMessage-ID: <stranger%05d@example.org>\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nAre you free for dinner on Saturday? Bring the kids. (%d)\r\n",
		i, i%500, i, i, i))
}
