package digest_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/store"
)

// at is a time of the story these tests tell, a year back (Monday 30 November
// 2026 is Monday 1 December 2025): the outbox sends what is due by the real
// clock, so the story must lie in the past, on the same weekdays and with the
// same winter offsets.
func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC).AddDate(0, 0, -364)
}

var coach = compose.From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}

// cohort is a mastermind (weekly digest, Friday 09:00, each member's own time)
// whose coach lives in Paris: Ana in Paris, Ben in New York, Cleo with no zone
// (the coach's). The clock starts on Monday 30 November 2026.
type cohort struct {
	db             *store.DB
	clock          time.Time
	id             int64
	ana, ben, cleo app.Client
	post           app.Post
	replies        map[string]int64
	seq            int
}

func newCohort(t *testing.T) *cohort {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &cohort{db: db, clock: at(2026, 11, 30, 10, 0), replies: map[string]int64{}}
	db.Now = func() time.Time { return c.clock }
	db.SaveSetting(ctx, digest.CoachZoneKey, "Europe/Paris")
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Circle", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	c.id = h.ID
	add := func(name, email, zone string) app.Client {
		cl, err := db.CreateClient(ctx, app.ClientInput{Name: name, Email: email, TimeZone: zone})
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	c.ana, c.ben, c.cleo = add("Ana Lima", "ana@example.net", "Europe/Paris"), add("Ben Okafor", "ben@example.org", "America/New_York"),
		add("Cleo Park", "cleo@example.com", "")
	db.AddMembers(ctx, c.id, []int64{c.ana.ID, c.ben.ID, c.cleo.ID}, "")
	c.post = c.queue(t, "Week 3: your one big goal")
	return c
}

func (c *cohort) queue(t *testing.T, subject string) app.Post {
	t.Helper()
	ctx := context.Background()
	p, err := c.db.CreatePost(ctx, app.PostInput{CohortID: c.id, Subject: subject, Body: "What is your goal?"})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = c.db.QueuePost(ctx, p.ID, compose.NewIDs(coach)); err != nil {
		t.Fatal(err)
	}
	return p
}

// reply imports a member's reply to the post, as the inbox would.
func (c *cohort) reply(t *testing.T, who app.Client, text, trust string) {
	t.Helper()
	c.seq++
	in := app.IncomingMail{MessageID: fmt.Sprintf("r%d@example.net", c.seq), Hash: fmt.Sprint("h", c.seq), Kind: app.MailReply,
		ClientID: who.ID, PostID: c.post.ID, FromName: who.Name, FromEmail: who.Email, Subject: "Re: " + c.post.Subject,
		Text: text, MatchReason: app.MatchToken, Trust: trust}
	if _, err := c.db.ImportMail(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	rs, _ := c.db.Replies(context.Background(), c.post.ID)
	c.replies[text] = rs[len(rs)-1].ID
}

func (c *cohort) run(t *testing.T, at time.Time) int {
	t.Helper()
	c.clock = at
	sum, err := digest.Run(context.Background(), c.db, at, compose.NewIDs(coach))
	if err != nil {
		t.Fatal(err)
	}
	return sum.Digests
}

// texts returns the reply texts in a client's latest digest.
func (c *cohort) texts(t *testing.T, who app.Client) []string {
	t.Helper()
	ds, err := c.db.DigestHistory(context.Background(), who.ID)
	if err != nil || len(ds) == 0 {
		t.Fatalf("got %d digests for %s (%v), want one", len(ds), who.Name, err)
	}
	var out []string
	for _, it := range ds[0].Items {
		if it.ReplyID != 0 {
			out = append(out, it.Text)
		}
	}
	return out
}

func TestDigestsGoOncePerPeriodInEachMembersTime(t *testing.T) {
	c := newCohort(t)
	c.clock = at(2026, 12, 1, 9, 0)
	c.reply(t, c.ana, "Ana: run a half marathon.", app.TrustVerified)
	c.reply(t, c.ben, "Ben: ship the app.", app.TrustPlausible)

	// Friday 08:30 UTC is 09:30 in Paris: Ana and Cleo (the coach's zone) are due,
	// Ben (03:30 in New York) is not.
	if n := c.run(t, at(2026, 12, 4, 8, 30)); n != 2 {
		t.Fatalf("got %d digests queued, want Ana's and Cleo's", n)
	}
	if n := c.run(t, at(2026, 12, 4, 8, 45)); n != 0 {
		t.Fatalf("got %d digests on a second run, want none twice", n)
	}
	if got := c.texts(t, c.ana); len(got) != 1 || got[0] != "Ben: ship the app." {
		t.Errorf("got %q for Ana, want Ben's reply only (never her own)", got)
	}
	if got := c.texts(t, c.cleo); len(got) != 2 {
		t.Errorf("got %q for Cleo, want both replies", got)
	}
	// 14:30 UTC is 09:30 in New York.
	if n := c.run(t, at(2026, 12, 4, 14, 30)); n != 1 {
		t.Fatalf("got %d digests at 09:30 in New York, want Ben's", n)
	}

	// A reply that comes after a digest was built goes into the next one.
	c.clock = at(2026, 12, 4, 15, 0)
	c.reply(t, c.cleo, "Cleo: read 20 books.", app.TrustVerified)
	// The laptop sleeps for three weeks: one digest each, for the latest Friday.
	if n := c.run(t, at(2026, 12, 26, 16, 0)); n != 2 {
		t.Fatalf("got %d digests after three weeks away, want one each for Ana and Ben (Cleo has nothing new)", n)
	}
	ds, _ := c.db.DigestHistory(context.Background(), c.ana.ID)
	if len(ds) != 2 || !ds[0].Period.Equal(at(2026, 12, 25, 8, 0)) {
		t.Fatalf("got %d digests for Ana, the latest for %v, want 2, the latest for Friday 09:00 Paris three weeks on", len(ds), ds[0].Period)
	}
	if got := c.texts(t, c.ana); len(got) != 1 || got[0] != "Cleo: read 20 books." {
		t.Errorf("got %q in Ana's second digest, want only Cleo's new reply", got)
	}
}

// Unverified, guessed, private and hidden replies never reach the group; with
// approval on, only what the coach approved does.
func TestDigestsCarryOnlyWhatTheGroupMaySee(t *testing.T) {
	c := newCohort(t)
	ctx := context.Background()
	c.clock = at(2026, 12, 1, 9, 0)
	c.reply(t, c.ana, "Ana: verified.", app.TrustVerified)
	c.reply(t, c.ben, "Ben: unverified.", app.TrustUnverified)
	c.seq++
	private := app.IncomingMail{MessageID: "p@x", Hash: "hp", Kind: app.MailReply, ClientID: c.ben.ID, PostID: c.post.ID,
		FromEmail: c.ben.Email, Text: "Ben: just for you.", Trust: app.TrustVerified, Private: true}
	c.db.ImportMail(ctx, private)
	c.run(t, at(2026, 12, 4, 8, 30))
	if got := c.texts(t, c.cleo); len(got) != 1 || got[0] != "Ana: verified." {
		t.Fatalf("got %q for Cleo, want only Ana's verified reply", got)
	}

	// Approval on: nothing goes in until the coach approves it.
	s, _ := c.db.DigestSettings(ctx, c.id)
	s.Approval = true
	if err := digest.SaveSettings(ctx, c.db, c.id, s); err != nil {
		t.Fatal(err)
	}
	c.clock = at(2026, 12, 8, 9, 0)
	c.reply(t, c.ana, "Ana: week two.", app.TrustVerified)
	c.reply(t, c.ana, "Ana: approved one.", app.TrustVerified)
	c.clock = at(2026, 12, 9, 9, 0)
	c.db.ApproveReply(ctx, c.replies["Ana: approved one."], true)
	c.run(t, at(2026, 12, 11, 8, 30))
	if got := c.texts(t, c.cleo); len(got) != 1 || got[0] != "Ana: approved one." {
		t.Fatalf("got %q for Cleo with approval on, want only the approved reply", got)
	}
}

// The digests go out through the outbox; a member answers one item by its
// reply address and the import places it on that item, as that member.
func TestDigestSentAndItemAnswered(t *testing.T) {
	c := newCohort(t)
	ctx := context.Background()
	c.clock = at(2026, 12, 1, 9, 0)
	c.reply(t, c.ana, "Ana: run a half marathon.", app.TrustVerified)
	c.run(t, at(2026, 12, 4, 8, 30))

	srv := smtptest.Start(t, smtptest.Options{})
	dial := func(ctx context.Context) (outbox.Conn, error) {
		return submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.Port, Security: app.SecurityNone, Timeout: 5 * time.Second})
	}
	if err := outbox.New(c.db, dial, outbox.Config{From: coach}, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var cleo *smtptest.Message
	for _, m := range srv.Messages() {
		if m.To[0] == c.cleo.Email {
			m := m
			cleo = &m
		}
	}
	if cleo == nil || !strings.Contains(string(cleo.Data), "Ana: run a half marathon.") {
		t.Fatalf("got no digest for Cleo with Ana's reply")
	}
	r, err := mail.CreateReader(bytes.NewReader(cleo.Data))
	if err != nil {
		t.Fatal(err)
	}
	if subject, _ := r.Header.Subject(); subject != "[Circle] 1 new reply to “Week 3: your one big goal”" {
		t.Fatalf("got subject %q, want the count and the post", subject)
	}
	// Cleo answers Ana's item from her mail client: To the item's address.
	ds, _ := c.db.DigestHistory(ctx, c.cleo.ID)
	var item app.DigestItem
	for _, it := range ds[0].Items {
		if it.ReplyID != 0 {
			item = it
		}
	}
	raw := "From: Cleo Park <" + c.cleo.Email + ">\r\nTo: " + compose.ItemAddress(coach, item.Token) + "\r\n" +
		"Subject: Re: " + item.PostSubject + "\r\nMessage-ID: <c1@example.com>\r\nDate: Fri, 4 Dec 2026 12:00:00 +0100\r\n\r\n" +
		"Good luck Ana, I will run with you.\r\n"
	ins, err := inbox.Inspect(ctx, []byte(raw), c.db, inbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ins.PostID != c.post.ID || ins.MatchReason != app.MatchItem || ins.ClientID != c.cleo.ID || ins.Kind != app.MailReply {
		t.Fatalf("got %+v, want Cleo's reply on the item's post, by its reply address", ins)
	}
	// The same address used by someone else is not Cleo's.
	forged := strings.Replace(raw, "From: Cleo Park <"+c.cleo.Email+">", "From: Ben Okafor <"+c.ben.Email+">", 1)
	if ins, _ := inbox.Inspect(ctx, []byte(forged), c.db, inbox.Options{}); ins.Kind != app.MailUnmatched {
		t.Fatalf("got %+v for Ben writing to Cleo's item address, want it held", ins)
	}
}

// The preview shows what a member's next digest carries and when it goes,
// rendered by the real renderer, and records nothing.
func TestPreviewRecordsNothing(t *testing.T) {
	c := newCohort(t)
	ctx := context.Background()
	c.clock = at(2026, 12, 1, 9, 0)
	c.reply(t, c.ana, "Ana: run a half marathon.", app.TrustVerified)
	p, err := sending.PreviewDigest(ctx, c.db, coach, c.id, c.cleo.ID, at(2026, 12, 2, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if p.Empty || !strings.Contains(p.Text, "Ana: run a half marathon.") || !p.SendAt.Equal(at(2026, 12, 4, 8, 0)) {
		t.Fatalf("got empty %v, sendAt %v, text %q; want Ana's reply, going Friday 09:00 Paris", p.Empty, p.SendAt, p.Text)
	}
	if ds, _ := c.db.DigestHistory(ctx, c.cleo.ID); len(ds) != 0 {
		t.Fatalf("got %d digests recorded by a preview, want none", len(ds))
	}
	if p, _ := sending.PreviewDigest(ctx, c.db, coach, c.id, c.ana.ID, at(2026, 12, 2, 12, 0)); !p.Empty {
		t.Fatal("got news in Ana's preview, want none (her own reply is left out)")
	}
}

// A draft whose send time had already passed when the coach sent it goes at
// once; for a member who reads only the digest it must be in the next digest,
// not dated before the previous one and lost.
func TestLatePostIsInTheNextDigest(t *testing.T) {
	c := newCohort(t)
	ctx := context.Background()
	if _, err := c.db.SetDelivery(ctx, c.id, []int64{c.cleo.ID}, app.DeliveryDigest); err != nil {
		t.Fatal(err)
	}
	c.clock = at(2026, 12, 2, 9, 0)
	past := at(2026, 12, 1, 8, 0)
	p, err := c.db.CreatePost(ctx, app.PostInput{CohortID: c.id, Subject: "Written on Monday", Body: "Hello.", SendAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	c.run(t, at(2026, 12, 4, 8, 30)) // Friday 09:00 Paris: the week's digests
	c.clock = at(2026, 12, 5, 10, 0) // Saturday: the coach finally sends it
	if _, err := c.db.QueuePost(ctx, p.ID, compose.NewIDs(coach)); err != nil {
		t.Fatal(err)
	}
	c.run(t, at(2026, 12, 11, 8, 30))
	ds, _ := c.db.DigestHistory(ctx, c.cleo.ID)
	if len(ds) == 0 {
		t.Fatal("got no digest for Cleo, want the one with the late post")
	}
	for _, it := range ds[0].Items {
		if it.PostID == p.ID && it.ReplyID == 0 && !it.AlreadySent {
			return
		}
	}
	t.Fatalf("got %+v in Cleo's latest digest, want the late post as news", ds[0].Items)
}

// Members who wrote none of a week's replies share one list of its items in
// the store; each member's digest still carries exactly their own share: never
// their own replies, and the tokens one member's history is given never show
// in another's.
func TestSharedItemsStayEachMembersOwn(t *testing.T) {
	c := newCohort(t)
	ctx := context.Background()
	dee, err := c.db.CreateClient(ctx, app.ClientInput{Name: "Dee Sato", Email: "dee@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	c.db.AddMembers(ctx, c.id, []int64{dee.ID}, "")
	c.clock = at(2026, 12, 1, 9, 0)
	c.reply(t, c.ana, "Ana: a half marathon.", app.TrustVerified)
	c.reply(t, c.ben, "Ben: a book.", app.TrustVerified)
	c.run(t, at(2026, 12, 4, 15, 0)) // 09:00 or later in Paris and New York

	replies := func(who app.Client) []string {
		t.Helper()
		ds, err := c.db.DigestHistory(ctx, who.ID)
		if err != nil || len(ds) == 0 {
			t.Fatalf("got %d digests for %s (%v)", len(ds), who.Name, err)
		}
		d, err := c.db.Digest(ctx, ds[0].ID) // the outbox's way: shared items
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range d.Items {
			if it.Token != "" {
				t.Fatalf("%s's digest carries a token set on another's history: %q", who.Name, it.Token)
			}
			if it.ReplyID != 0 {
				out = append(out, it.Text)
			}
		}
		return out
	}
	for _, tc := range []struct {
		who  app.Client
		want string
	}{
		{c.cleo, "Ana: a half marathon.|Ben: a book."},
		{dee, "Ana: a half marathon.|Ben: a book."},
		{c.ana, "Ben: a book."},
		{c.ben, "Ana: a half marathon."},
		{c.cleo, "Ana: a half marathon.|Ben: a book."},
	} {
		if got := strings.Join(replies(tc.who), "|"); got != tc.want {
			t.Fatalf("got %q in %s's digest, want %q", got, tc.who.Name, tc.want)
		}
	}
}
