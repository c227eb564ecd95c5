package inbox_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestSync_RepliesFromEachMailClientLandUnderThePost runs against an IMAP4rev1
// and an IMAP4rev2 server: Gmail, Outlook and Apple Mail replies are threaded
// with their reasons, the coach's own mail is skipped, and a second sync finds
// nothing new.
func TestSync_RepliesFromEachMailClientLandUnderThePost(t *testing.T) {
	for name, caps := range map[string]imap.CapSet{"IMAP4rev1": capsRev1, "IMAP4rev2": capsRev2} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, caps)
			ana, ben, cleo := w.members[0], w.members[1], w.members[2]
			w.srv.deliver(t, "INBOX", w.mail(t, "personal.eml", ana, "p1"))
			w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", ana, "g1"))
			w.srv.deliver(t, "INBOX", w.mail(t, "outlook_reply.eml", ben, "o1"))
			w.srv.deliver(t, "INBOX", w.mail(t, "apple_reply.eml", cleo, "a1"))

			var reports []app.Progress
			sum, err := inbox.Sync(context.Background(), w.db, inbox.DialerFor(w.srv.config()),
				inbox.Options{Account: "coach"}, func(p app.Progress) { reports = append(reports, p) })
			if err != nil {
				t.Fatal(err)
			}
			if sum.Scanned != 4 || sum.Imported != 3 || sum.Skipped != 1 || sum.Unmatched != 0 {
				t.Fatalf("got %+v, want 4 scanned, 3 imported, 1 skipped", sum)
			}
			if last := reports[len(reports)-1]; last.Done != 4 || last.Total != 4 {
				t.Fatalf("got last progress %+v, want 4 of 4", last)
			}
			want := map[string]struct{ reason, text string }{
				ana.Email:  {app.MatchToken, "I finished the 5-day habit tracker and wrote down three wins — g1."},
				ben.Email:  {app.MatchReferences, "Morning walk every day at 7 – that is my habit (o1)."},
				cleo.Email: {app.MatchToken, "Reading ten pages before bed. It already feels calmer — a1."},
			}
			rs := w.replies(t)
			if len(rs) != 3 {
				t.Fatalf("got %d replies, want 3", len(rs))
			}
			for _, r := range rs {
				wt := want[r.Email]
				if r.MatchReason != wt.reason || !strings.Contains(r.Text, wt.text) || r.Quoted == "" || !r.Unread {
					t.Errorf("got reply from %s: reason %q text %q quoted %q unread %v; want reason %q, text with %q, quoted text kept",
						r.Email, r.MatchReason, r.Text, r.Quoted, r.Unread, wt.reason, wt.text)
				}
				if strings.Contains(r.Text, "pick one habit") {
					t.Errorf("got the quoted announcement in %s's text %q, want it only in Quoted", r.Email, r.Text)
				}
			}
			if strings.Contains(w.srv.sent(), "PRIVATE-p1") {
				t.Fatal("the body of the coach's personal mail was downloaded, want only its header looked at")
			}
			if seen, _ := w.db.InboxSeen(context.Background(), "p1@example.org", "x"); seen {
				t.Fatal("the coach's personal mail was stored")
			}

			again := w.mustSync(t, inbox.Options{Account: "coach"})
			if again.Scanned != 0 || again.Imported != 0 {
				t.Fatalf("got %+v on the second sync, want nothing new", again)
			}
			w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", ben, "g2"))
			third := w.mustSync(t, inbox.Options{Account: "coach"})
			if third.Scanned != 1 || third.Imported != 1 {
				t.Fatalf("got %+v after one new reply, want exactly it scanned and imported", third)
			}
		})
	}
}

// TestSync_ReadOnlyUnlessTheCoachAsks checks that by default the mailbox is
// not changed at all (no \Seen flag), and that "mark as read" and "move to a
// folder" do what they say, with and without the MOVE extension.
func TestSync_ReadOnlyUnlessTheCoachAsks(t *testing.T) {
	for name, caps := range map[string]imap.CapSet{"IMAP4rev1": capsRev1, "IMAP4rev2": capsRev2} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, caps)
			w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", w.members[0], "g1"))
			w.srv.deliver(t, "INBOX", w.mail(t, "personal.eml", w.members[0], "p1"))
			w.mustSync(t, inbox.Options{Account: "a"})
			if got := flags(t, w, "INBOX"); got != "[] []" {
				t.Fatalf("got flags %s after a default sync, want the mailbox untouched", got)
			}

			w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", w.members[1], "g2"))
			w.mustSync(t, inbox.Options{Account: "a", MarkRead: true})
			if got := flags(t, w, "INBOX"); got != "[] [] [\\Seen]" {
				t.Fatalf("got flags %s, want only the newly imported reply marked read", got)
			}

			if err := w.srv.user.Create("Roundtable", nil); err != nil {
				t.Fatal(err)
			}
			w.srv.deliver(t, "INBOX", w.mail(t, "apple_reply.eml", w.members[2], "a1"))
			sum := w.mustSync(t, inbox.Options{Account: "a", MoveTo: "Roundtable"})
			if sum.Imported != 1 || len(sum.Notes) != 0 {
				t.Fatalf("got %+v, want one reply imported and moved", sum)
			}
			if got := flags(t, w, "Roundtable"); got != "[]" {
				t.Fatalf("got %s in the Roundtable folder, want the moved reply", got)
			}
		})
	}
}

// TestSync_MovesEachBatchWhileTheNextIsScreened imports a mailbox in many
// small batches with "move to a folder" on: the sync moves each committed batch
// while the next batch's headers are being fetched on the same connection. Every
// reply is imported once and moved, and the coach's own mail stays in the inbox,
// with and without the MOVE extension.
func TestSync_MovesEachBatchWhileTheNextIsScreened(t *testing.T) {
	for name, caps := range map[string]imap.CapSet{"IMAP4rev1": capsRev1, "IMAP4rev2": capsRev2} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, caps)
			const n = 60
			for i := range n {
				w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", w.members[i%3], fmt.Sprintf("m%02d", i)))
				if i%6 == 0 {
					w.srv.deliver(t, "INBOX", w.mail(t, "personal.eml", w.members[1], fmt.Sprintf("q%02d", i)))
				}
			}
			if err := w.srv.user.Create("Roundtable", nil); err != nil {
				t.Fatal(err)
			}
			sum := w.mustSync(t, inbox.Options{Account: "a", MoveTo: "Roundtable", BatchSize: 4})
			if sum.Imported != n || len(sum.Notes) != 0 {
				t.Fatalf("got %+v, want %d replies imported and moved without a note", sum, n)
			}
			if got := len(w.replies(t)); got != n {
				t.Fatalf("got %d replies stored, want %d", got, n)
			}
			if moved, left := count(t, w, "Roundtable"), count(t, w, "INBOX"); moved != n || left != n/6 {
				t.Fatalf("got %d messages moved and %d left in the inbox, want %d and the %d personal ones", moved, left, n, n/6)
			}
		})
	}
}

// count is how many messages a folder holds, leaving out those flagged
// \Deleted (moved without the MOVE extension).
func count(t *testing.T, w *world, folder string) int {
	t.Helper()
	c := selectFolder(t, w, folder)
	data, err := c.Search(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(data.AllSeqNums())
}

// selectFolder opens a folder of the test server read-only, on a connection
// of its own closed with the test.
func selectFolder(t *testing.T, w *world, folder string) *imapclient.Client {
	t.Helper()
	c, err := inbox.Dial(context.Background(), w.srv.config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// flags lists the flags of every message in a folder, in order; messages
// flagged \Deleted (moved without the MOVE extension) are left out.
func flags(t *testing.T, w *world, folder string) string {
	t.Helper()
	c := selectFolder(t, w, folder)
	bufs, err := c.Fetch(imap.SeqSetNum(1, 2, 3, 4, 5, 6, 7, 8), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bufs {
		fs := fmt.Sprint(b.Flags)
		if strings.Contains(fs, string(imap.FlagDeleted)) {
			continue
		}
		out = append(out, fs)
	}
	return strings.Join(out, " ")
}

// TestSync_RenumberedFolderIsReadAgainWithoutDuplicates deletes and recreates
// the watched folder (a new UIDVALIDITY, as after a server migration).
func TestSync_RenumberedFolderIsReadAgainWithoutDuplicates(t *testing.T) {
	w := newWorld(t, capsRev2)
	if err := w.srv.user.Create("Replies", nil); err != nil {
		t.Fatal(err)
	}
	first := [][]byte{
		w.mail(t, "gmail_reply.eml", w.members[0], "g1"),
		w.mail(t, "outlook_reply.eml", w.members[1], "o1"),
	}
	for _, m := range first {
		w.srv.deliver(t, "Replies", m)
	}
	if sum := w.mustSync(t, inbox.Options{Account: "a", Folder: "Replies"}); sum.Imported != 2 {
		t.Fatalf("got %+v, want 2 imported", sum)
	}
	w.srv.user.Delete("Replies")
	w.srv.user.Create("Replies", nil)
	w.srv.deliver(t, "Replies", w.mail(t, "personal.eml", w.members[0], "p1"))
	for _, m := range first {
		w.srv.deliver(t, "Replies", m)
	}
	w.srv.deliver(t, "Replies", w.mail(t, "apple_reply.eml", w.members[2], "a1"))
	sum := w.mustSync(t, inbox.Options{Account: "a", Folder: "Replies"})
	if sum.Scanned != 4 || sum.Imported != 1 || sum.Duplicates != 2 || len(sum.Notes) != 1 {
		t.Fatalf("got %+v, want all 4 read again, 1 new import, 2 known, a note about the renumbering", sum)
	}
	if got := len(w.replies(t)); got != 3 {
		t.Fatalf("got %d replies, want 3 (no duplicate)", got)
	}
}

// TestSync_DroppedConnectionLosesNothing cuts the connection in the middle of
// downloading, and cancels another sync half-way; syncing again then imports
// every reply exactly once. There are enough messages that both cuts fall well
// before the last batch, however far the download runs ahead of the disk.
func TestSync_DroppedConnectionLosesNothing(t *testing.T) {
	w := newWorld(t, capsRev2)
	const n = 200
	for i := range n {
		w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", w.members[i%3], fmt.Sprintf("r%02d", i)))
		if i%4 == 0 {
			w.srv.deliver(t, "INBOX", w.mail(t, "personal.eml", w.members[0], fmt.Sprintf("p%02d", i)))
		}
	}
	dial := inbox.DialerFor(w.srv.config())
	opts := inbox.Options{Account: "a", BatchSize: 25}

	imports := 0
	_, err := inbox.Sync(context.Background(), w.db, dial, opts, func(p app.Progress) {
		if p.Note == "Importing replies" {
			if imports++; imports == 10 {
				w.srv.dropConnections()
			}
		}
	})
	if app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("got %v, want the lost connection reported as unavailable", err)
	}
	after1 := len(w.replies(t))

	ctx, cancel := context.WithCancel(context.Background())
	imports = 0
	_, err = inbox.Sync(ctx, w.db, dial, opts, func(p app.Progress) {
		if p.Note == "Importing replies" {
			if imports++; imports == 15 {
				cancel()
			}
		}
	})
	if app.ErrorCode(err) != app.ECANCELED {
		t.Fatalf("got %v, want the stop reported as cancelled", err)
	}
	after2 := len(w.replies(t))

	w.mustSync(t, opts)
	rs := w.replies(t)
	seen := map[string]int{}
	for _, r := range rs {
		seen[r.Text]++
	}
	if len(rs) != n || len(seen) != n {
		t.Fatalf("got %d replies (%d different) after %d and %d in the cut-off syncs, want each of %d exactly once",
			len(rs), len(seen), after1, after2, n)
	}
	if after1 < 9 || after2 <= after1 {
		t.Fatalf("got %d then %d replies kept from the cut-off syncs, want what was imported before each cut kept", after1, after2)
	}
}

// TestSync_HostileMessagesAreImportedSafely sends a 30 MB reply, a reply nested
// 1,000 MIME levels deep, and one in an unknown charset: each is imported once,
// with a note of what was left out, and nothing panics.
func TestSync_HostileMessagesAreImportedSafely(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	w.srv.deliver(t, "INBOX", bigReply(w, ana, 30<<20))
	w.srv.deliver(t, "INBOX", deepReply(w, ben, 1000))
	w.srv.deliver(t, "INBOX", w.mail(t, "invalid_charset.eml", cleo, "c1"))
	sum := w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Imported != 3 {
		t.Fatalf("got %+v, want all 3 imported", sum)
	}
	byFrom := map[string]app.Reply{}
	for _, r := range w.replies(t) {
		byFrom[r.Email] = r
	}
	big := byFrom[ana.Email]
	if len(big.Attachments) != 1 || !big.Attachments[0].Omitted || big.Attachments[0].Size < 20<<20 || !strings.Contains(big.Text, "the video") {
		t.Fatalf("got %+v, want the text kept and the 22 MB attachment noted as omitted", big)
	}
	if !strings.Contains(strings.Join(big.Notes, " "), "was not kept") {
		t.Fatalf("got notes %q, want one saying the attachment was not kept", big.Notes)
	}
	deep := byFrom[ben.Email]
	if !strings.Contains(strings.Join(deep.Notes, " "), "levels deep") {
		t.Fatalf("got notes %q for the deep message, want one about its depth", deep.Notes)
	}
	if odd := byFrom[cleo.Email]; !strings.Contains(odd.Text, "je commence lundi") {
		t.Fatalf("got %q, want the text of the unknown-charset reply readable", odd.Text)
	}
	if again := w.mustSync(t, inbox.Options{Account: "a"}); again.Scanned != 0 {
		t.Fatalf("got %+v, want nothing new", again)
	}
}

func bigReply(w *world, from app.Client, size int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: coach+rt-%s@example.com\r\nSubject: Re: %s\r\nMessage-ID: <big@example.net>\r\n"+
		"Date: Tue, 17 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BIG\r\n\r\n"+
		"--BIG\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHere is the video of my talk.\r\n"+
		"--BIG\r\nContent-Type: video/mp4; name=talk.mp4\r\nContent-Disposition: attachment; filename=talk.mp4\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n", from.Name, from.Email, w.sent[from.ID].token, w.post.Subject)
	line := strings.Repeat("QUJD", 19) + "\r\n"
	for b.Len() < size-len(line)-10 {
		b.WriteString(line)
	}
	b.WriteString("--BIG--\r\n")
	return []byte(b.String())
}

func deepReply(w *world, from app.Client, depth int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: coach+rt-%s@example.com\r\nSubject: Re: %s\r\nMessage-ID: <deep@example.net>\r\n"+
		"Date: Tue, 17 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n", from.Name, from.Email, w.sent[from.ID].token, w.post.Subject)
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nDeep down.\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return []byte(b.String())
}

// TestSync_AutoRepliesBouncesAndUnsubscribes checks that an out-of-office never
// enters the thread but marks the member away until the date it names, that a
// delivery failure marks the address as bouncing, and that the unsubscribe
// mailto: link unsubscribes the member.
func TestSync_AutoRepliesBouncesAndUnsubscribes(t *testing.T) {
	w := newWorld(t, capsRev1)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	w.srv.deliver(t, "INBOX", w.mail(t, "auto_reply.eml", ana, "ooo1"))
	w.srv.deliver(t, "INBOX", w.mail(t, "bounce_dsn.eml", ben, "dsn1"))
	// Cleo's request carries her own unsubscribe token, from her address, and
	// the coach's provider verified it: honoured at once.
	w.srv.deliver(t, "INBOX", withVerdict(w.mail(t, "unsubscribe.eml", cleo, "u1"), "pass", cleo.Email))
	sum := w.mustSync(t, inbox.Options{Account: "a", AuthServID: provider})
	if sum.AutoReplies != 1 || sum.Bounces != 1 || sum.Unsubscribe != 1 || sum.Imported != 0 || sum.Unmatched != 0 {
		t.Fatalf("got %+v, want 1 auto-reply, 1 bounce, 1 unsubscribe and nothing in the thread", sum)
	}
	if rs := w.replies(t); len(rs) != 0 {
		t.Fatalf("got %d replies, want none", len(rs))
	}
	ctx := context.Background()
	st, _ := w.db.ClientMailStatus(ctx, ana.ID)
	if !st.Away || st.AwayUntil == nil || st.AwayUntil.Format("2006-01-02") != "2026-12-07" {
		t.Fatalf("got %+v for Ana, want away until 2026-12-07", st)
	}
	st, _ = w.db.ClientMailStatus(ctx, ben.ID)
	if !st.Bouncing || !strings.Contains(st.BounceReason, "5.1.1") {
		t.Fatalf("got %+v for Ben, want bouncing with the 5.1.1 reason", st)
	}
	st, _ = w.db.ClientMailStatus(ctx, cleo.ID)
	if !st.Unsubscribed || st.Away || st.Bouncing {
		t.Fatalf("got %+v for Cleo, want unsubscribed only", st)
	}
	// The next post skips the bounced and the unsubscribed member.
	p := w.sendPost(t, "Week 4")
	if p.Counts[app.OutboxSkipped] != 2 {
		t.Fatalf("got counts %v, want 2 members skipped", p.Counts)
	}
}

// TestSync_UnknownSenderWaitsForTheCoach: a reply from an address nobody has
// waits in the unmatched queue; assigned with "add alias", it joins the thread
// and the next mail from that address is matched by itself. An ignored sender's
// mail is skipped from then on.
func TestSync_UnknownSenderWaitsForTheCoach(t *testing.T) {
	w := newWorld(t, capsRev2)
	ctx := context.Background()
	ana := w.members[0]
	work := app.Client{Name: "Ana at work", Email: "ana@work.example"}
	w.sent[0] = w.sent[ana.ID]
	w.srv.deliver(t, "INBOX", w.mail(t, "outlook_reply.eml", work, "w1"))
	spam := app.Client{Name: "Stranger", Email: "stranger@example.org"}
	w.sent[0] = w.sent[ana.ID]
	w.srv.deliver(t, "INBOX", w.mail(t, "apple_reply.eml", spam, "s1"))
	sum := w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Unmatched != 2 || sum.Imported != 0 {
		t.Fatalf("got %+v, want 2 unmatched", sum)
	}
	un, err := w.db.Unmatched(ctx)
	if err != nil || len(un) != 2 {
		t.Fatalf("got %v, %v; want 2 waiting", un, err)
	}
	if un[0].FromEmail != work.Email || un[0].PostID != w.post.ID || !strings.Contains(un[0].Reason, "not one of your clients") {
		t.Fatalf("got %+v, want the work address, the post it answers and why it waits", un[0])
	}
	if !strings.Contains(un[1].Reason, "reply address was given to "+ana.Name) {
		t.Fatalf("got reason %q, want it to say the token belongs to Ana", un[1].Reason)
	}
	if err := w.db.AssignUnmatched(ctx, un[0].ID, ana.ID, w.post.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.IgnoreSender(ctx, spam.Email); err != nil {
		t.Fatal(err)
	}
	rs := w.replies(t)
	if len(rs) != 1 || rs[0].ClientID != ana.ID || rs[0].MatchReason != app.MatchAssigned {
		t.Fatalf("got %+v, want the assigned reply under the post as Ana's", rs)
	}
	if c, _ := w.db.FindClientByEmail(ctx, work.Email); c.ID != ana.ID {
		t.Fatalf("got client %d for %s, want Ana (alias added)", c.ID, work.Email)
	}
	w.srv.deliver(t, "INBOX", w.mail(t, "outlook_reply.eml", work, "w2"))
	w.srv.deliver(t, "INBOX", w.mail(t, "apple_reply.eml", spam, "s2"))
	sum = w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Imported != 1 || sum.Skipped != 1 || sum.Unmatched != 0 {
		t.Fatalf("got %+v, want the alias's reply threaded and the ignored sender skipped", sum)
	}
	if un, _ := w.db.Unmatched(ctx); len(un) != 0 {
		t.Fatalf("got %+v waiting, want none", un)
	}
}

// TestSync_SubjectAndSenderIsAGuess: a reply with neither token nor headers is
// matched by its "Re:" subject from a member, and marked as a guess.
func TestSync_SubjectAndSenderIsAGuess(t *testing.T) {
	w := newWorld(t, capsRev2)
	raw := fmt.Sprintf("From: %s\r\nTo: coach@example.com\r\nSubject: AW: Re: %s\r\nMessage-ID: <x1@example.net>\r\n"+
		"Date: Tue, 17 Nov 2026 10:00:00 +0000\r\n\r\nMy habit is stretching.\r\n", w.members[1].Email, w.post.Subject)
	w.srv.deliver(t, "INBOX", []byte(raw))
	if sum := w.mustSync(t, inbox.Options{Account: "a"}); sum.Imported != 1 {
		t.Fatalf("got %+v, want 1 imported", sum)
	}
	rs := w.replies(t)
	if len(rs) != 1 || rs[0].MatchReason != app.MatchSubject || !rs[0].Guess {
		t.Fatalf("got %+v, want matched by subject and sender, as a guess", rs)
	}
}

// TestSync_WrongPasswordAndMissingFolderSayWhatToFix checks the sentences.
func TestSync_WrongPasswordAndMissingFolderSayWhatToFix(t *testing.T) {
	w := newWorld(t, capsRev2)
	cfg := w.srv.config()
	cfg.Password = "wrong"
	_, err := inbox.Sync(context.Background(), w.db, inbox.DialerFor(cfg), inbox.Options{}, nil)
	if app.ErrorCode(err) != app.EUNAUTHORIZED || !strings.Contains(app.ErrorMessage(err), "app password") {
		t.Fatalf("got %v, want a refused login that mentions app passwords", err)
	}
	_, err = w.sync(t, inbox.Options{Folder: "Nope"})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), `"Nope"`) {
		t.Fatalf("got %v, want the missing folder named", err)
	}
}

// TestInspect explains one message without storing it.
func TestInspect(t *testing.T) {
	w := newWorld(t, capsRev2)
	ctx := context.Background()
	for _, tc := range []struct {
		fixture  string
		from     int
		relevant bool
		kind     string
		reason   string
	}{
		{"gmail_reply.eml", 0, true, app.MailReply, app.MatchToken},
		{"outlook_reply.eml", 1, true, app.MailReply, app.MatchReferences},
		{"personal.eml", 0, false, "", ""},
		{"auto_reply.eml", 2, true, app.MailAutoReply, ""},
		{"bounce_dsn.eml", 1, true, app.MailBounce, ""},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			ins, err := inbox.Inspect(ctx, w.mail(t, tc.fixture, w.members[tc.from], "i1"), w.db, inbox.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ins.Relevant != tc.relevant || ins.Kind != tc.kind || ins.MatchReason != tc.reason || ins.Why == "" {
				t.Fatalf("got %+v, want relevant %v, kind %q, reason %q and why", ins, tc.relevant, tc.kind, tc.reason)
			}
		})
	}
	if seen, _ := w.db.InboxSeen(ctx, "i1@mail.gmail.com", "x"); seen {
		t.Fatal("Inspect stored the message")
	}
}

var _ = imapclient.Options{}

// committedFirst is the workspace as the sync sees it, checking at each import
// that the imported mail is already visible to a separate read-only handle (so
// committed; with synchronous=FULL, on the disk) and noting how much IMAP
// traffic had passed by then.
type committedFirst struct {
	inbox.Store
	t          *testing.T
	srv        *testServer
	reader     *store.DB
	importedAt []int
}

func (s *committedFirst) ImportMails(ctx context.Context, ins []app.IncomingMail, account, folder string, validity, last uint32, durable bool) ([]bool, error) {
	news, err := s.Store.ImportMails(ctx, ins, account, folder, validity, last, durable)
	if len(ins) > 0 && !durable {
		s.t.Errorf("got a run of %d written without waiting for the disk, want every run durable when the server is told", len(ins))
	}
	for i, in := range ins {
		if err != nil || !news[i] {
			continue
		}
		if seen, err := s.reader.InboxSeen(ctx, in.MessageID, in.Hash); err != nil || !seen {
			s.t.Errorf("%s: got seen %v (%v) by another handle right after the import, want it committed", in.MessageID, seen, err)
		}
		s.importedAt = append(s.importedAt, len(s.srv.sent()))
	}
	return news, err
}

// TestSync_MovesAndFlagsOnlyAfterTheImportIsDurable checks the order on the
// wire: every reply is committed before the MOVE or \Seen that tells the server
// it was imported, so a power cut in between never loses a reply the server has
// already put away.
func TestSync_MovesAndFlagsOnlyAfterTheImportIsDurable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    inbox.Options
		command string
	}{
		{"Move", inbox.Options{Account: "a", MoveTo: "Roundtable"}, " UID MOVE "},
		{"Seen", inbox.Options{Account: "a", MarkRead: true}, " UID STORE "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, capsRev2)
			w.srv.user.Create("Roundtable", nil)
			for i, m := range w.members {
				w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", m, fmt.Sprintf("r%d", i)))
			}
			reader, err := store.OpenReadOnly(w.db.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer reader.Close()
			st := &committedFirst{Store: w.db, t: t, srv: w.srv, reader: reader}
			before := len(w.srv.sent())
			if _, err := inbox.Sync(context.Background(), st, inbox.DialerFor(w.srv.config()), tc.opts, nil); err != nil {
				t.Fatal(err)
			}
			if len(st.importedAt) != len(w.members) {
				t.Fatalf("got %d imports, want %d", len(st.importedAt), len(w.members))
			}
			at := strings.Index(w.srv.sent()[before:], tc.command)
			if at < 0 {
				t.Fatalf("got no%scommand on the wire, want one", tc.command)
			}
			if last := st.importedAt[len(st.importedAt)-1] - before; at < last {
				t.Fatalf("got%sat byte %d of the traffic, before the last import committed at byte %d", tc.command, at, last)
			}
		})
	}
}

// failingWrites is the workspace with a disk that fails the third write of a
// sync's runs.
type failingWrites struct {
	inbox.Store
	calls int
}

func (s *failingWrites) ImportMails(ctx context.Context, ins []app.IncomingMail, account, folder string, validity, last uint32, durable bool) ([]bool, error) {
	if s.calls++; s.calls == 3 {
		return nil, app.Errorf(app.EUNAVAILABLE, "The disk is full, so nothing was saved.")
	}
	return s.Store.ImportMails(ctx, ins, account, folder, validity, last, durable)
}

// TestSync_FailedWriteLosesNothing: when a run of messages cannot be written,
// the sync stops with the store's sentence, keeps the runs written before it
// (each with its folder position), and the next sync imports every reply
// exactly once.
func TestSync_FailedWriteLosesNothing(t *testing.T) {
	w := newWorld(t, capsRev2)
	const n = 90
	for i := range n {
		w.srv.deliver(t, "INBOX", w.mail(t, "outlook_reply.eml", w.members[i%3], fmt.Sprintf("f%02d", i)))
		if i%3 == 0 {
			w.srv.deliver(t, "INBOX", w.mail(t, "personal.eml", w.members[1], fmt.Sprintf("q%02d", i)))
		}
	}
	opts := inbox.Options{Account: "a", BatchSize: 10}
	_, err := inbox.Sync(context.Background(), &failingWrites{Store: w.db}, inbox.DialerFor(w.srv.config()), opts, nil)
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "disk is full") {
		t.Fatalf("got %v, want the store's sentence", err)
	}
	kept := len(w.replies(t))
	if kept == 0 || kept >= n {
		t.Fatalf("got %d replies kept from the failed sync, want the runs before the failure", kept)
	}
	w.mustSync(t, opts)
	rs := w.replies(t)
	seen := map[string]bool{}
	for _, r := range rs {
		seen[r.Text] = true
	}
	if len(rs) != n || len(seen) != n {
		t.Fatalf("got %d replies (%d different), %d of them kept from the failed sync; want each of %d exactly once", len(rs), len(seen), kept, n)
	}
}

// Replies written in HTML only (no text/plain part) land with the member's words
// alone: Outlook's rule and header block above the quoted mail, Gmail's
// gmail_quote and Thunderbird's cite prefix all stay behind "show quoted text".
func TestSync_HTMLOnlyRepliesKeepOnlyTheMembersWords(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	w.srv.deliver(t, "INBOX", w.mail(t, "outlook_html_only.eml", ana, "oh1"))
	w.srv.deliver(t, "INBOX", w.mail(t, "gmail_html_only.eml", ben, "gh1"))
	w.srv.deliver(t, "INBOX", w.mail(t, "thunderbird_html_only.eml", cleo, "th1"))
	if sum := w.mustSync(t, inbox.Options{Account: "coach"}); sum.Imported != 3 {
		t.Fatalf("got %+v, want 3 imported", sum)
	}
	want := map[string]string{
		ana.Email:  "Cold showers, three times a week (oh1).",
		ben.Email:  "Journaling for ten minutes after lunch (gh1).",
		cleo.Email: "No phone in the bedroom, every night (th1).",
	}
	for _, r := range w.replies(t) {
		if r.Text != want[r.Email] || !strings.Contains(r.Quoted, "pick one habit") {
			t.Errorf("%s: got text %q, quoted %q; want %q alone, the announcement quoted", r.Email, r.Text, r.Quoted, want[r.Email])
		}
	}
}
