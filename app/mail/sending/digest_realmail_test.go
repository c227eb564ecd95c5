package sending_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestDigestThroughPostfixAndDovecot runs a week of a cohort of three over real
// Postfix and Dovecot: two posts go out, Ana and Ben reply (imported over real
// IMAP), the digests are recorded by due.Run on Friday morning and sent by the
// outbox worker, and each member's digest is read back from their mailbox.
// Cleo answers the second item of hers by its "Reply to" link from a
// Gmail-shaped client; Ben answers his digest as a whole, quoting Ana's reply
// only. Both answers land on Ana's post, with their own words only. Running
// due.Run again that morning and later in the week queues nothing, and the
// outbox sends nothing new.
//
// The story lies in the past (November 2025): the outbox sends what is due by
// the real clock.
func TestDigestThroughPostfixAndDovecot(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC) // Monday
	db.Now = func() time.Time { return clock }
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "UTC"); err != nil {
		t.Fatal(err)
	}
	// A mastermind's default: weekly, Friday 09:00 in each member's time
	// (here everyone's is the coach's, UTC).
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring mastermind", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	var ana, ben, cleo app.Client
	for i, c := range []*app.Client{&ana, &ben, &cleo} {
		name := []string{"Ana Lima", "Ben Okafor", "Cleo Park"}[i]
		if *c, err = db.CreateClient(ctx, app.ClientInput{Name: name, Email: realmail.Members[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddMembers(ctx, cohort.ID, []int64{ana.ID, ben.ID, cleo.ID}, ""); err != nil {
		t.Fatal(err)
	}
	coach := compose.From{Name: "Sam Coach", Email: realmail.Coach, PlusAddressing: true}
	dial := func(ctx context.Context) (outbox.Conn, error) {
		c, err := submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 20 * time.Second})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	drain := func() {
		t.Helper()
		if err := outbox.New(db, dial, outbox.Config{From: coach}, nil).Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	imapCfg := inbox.Config{Host: srv.Host, Port: srv.IMAPSPort, Security: app.SecurityTLS, User: realmail.Coach,
		Password: realmail.Password, TLSConfig: srv.TLSConfig(), Timeout: 20 * time.Second}
	coachSeen := uint32(0)
	sync := func(want int) {
		t.Helper()
		coachSeen += uint32(want)
		waitForMessages(t, srv, realmail.Coach, coachSeen)
		sum, err := inbox.Sync(ctx, db, inbox.DialerFor(imapCfg), inbox.Options{Account: realmail.Coach + "@dovecot"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Imported != want {
			t.Fatalf("got %+v, want %d replies imported", sum, want)
		}
	}

	// Monday: two posts go to everyone, each member's copy over real Postfix.
	post := func(subject, body string) app.Post {
		t.Helper()
		p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: subject, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = sending.Queue(ctx, db, coach, p.ID); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goal := post("Week 1: your one big goal", "What is **your one big goal** for the month?")
	clock = clock.Add(time.Hour)
	habit := post("Week 1: one habit", "Which one habit will carry the goal?")
	drain()

	// Tuesday Ana answers the goal, Wednesday Ben the habit: each hits Reply
	// on their copy of the post.
	replyToPost := func(who app.Client, p app.Post, mid, text string) {
		t.Helper()
		copies, _ := db.Outbox(ctx, app.OutboxFilter{PostID: p.ID})
		for _, c := range copies {
			if c.ClientID != who.ID {
				continue
			}
			h := readMessage(t, fetchByMessageID(t, srv, who.Email, c.MessageID)).Header
			rt, _ := h.AddressList("Reply-To")
			raw := gmailReply(who, rt[0].Address, "Re: "+p.Subject, mid, c.MessageID, text,
				"On Mon, Nov 24, 2025 at 9:00\u202fAM Sam Coach <"+realmail.Coach+"> wrote:", p.Body)
			deliver(t, srv, who.Email, rt[0].Address, raw)
			return
		}
		t.Fatalf("no copy of %q for %s", p.Subject, who.Name)
	}
	clock = time.Date(2025, 11, 25, 10, 0, 0, 0, time.UTC)
	replyToPost(ana, goal, "ana1", "I will run a half marathon in March, three runs a week from now on.")
	sync(1)
	clock = time.Date(2025, 11, 26, 10, 0, 0, 0, time.UTC)
	replyToPost(ben, habit, "ben1", "Ten minutes of reading before any screen, every morning.")
	sync(1)

	// Friday 09:30: everyone is due; each gets the others' replies.
	friday := time.Date(2025, 11, 28, 9, 30, 0, 0, time.UTC)
	clock = friday
	sum, err := due.Run(ctx, db, friday, compose.NewIDs(coach), sessions.Person{Email: coach.Email}, false)
	if err != nil || sum.Digests != 3 {
		t.Fatalf("got %+v, %v; want 3 digests queued", sum, err)
	}
	drain()
	digests := map[int64]app.Digest{}
	raws := map[int64][]byte{}
	for _, who := range []app.Client{ana, ben, cleo} {
		ds, err := db.DigestHistory(ctx, who.ID)
		if err != nil || len(ds) != 1 || ds[0].State != app.OutboxSent {
			t.Fatalf("got %d digests for %s (%v), want one sent", len(ds), who.Name, err)
		}
		digests[who.ID], raws[who.ID] = ds[0], fetchByMessageID(t, srv, who.Email, ds[0].MessageID)
		r := readMessage(t, raws[who.ID])
		if got, want := r.Header.Get("List-Id"), fmt.Sprintf(`"Spring mastermind" <cohort-%d.roundtable.example.test>`, cohort.ID); got != want {
			t.Errorf("got List-Id %q in %s's digest, want %q", got, who.Name, want)
		}
		if lu := r.Header.Get("List-Unsubscribe"); !strings.HasPrefix(lu, "<mailto:"+realmail.Coach+"?subject=unsubscribe%20") {
			t.Errorf("got List-Unsubscribe %q in %s's digest, want the member's mailto link", lu, who.Name)
		}
	}
	cleoHTML := htmlPart(t, raws[cleo.ID])
	if !strings.Contains(cleoHTML, "half marathon") || !strings.Contains(cleoHTML, "Ten minutes of reading") {
		t.Fatalf("got Cleo's digest without both replies:\n%s", cleoHTML)
	}

	// Cleo follows the second "Reply to" link of her digest.
	var links [][2]string // address, subject
	for _, m := range regexp.MustCompile(`href="mailto:([^"?]+)\?subject=([^"]+)"`).FindAllStringSubmatch(cleoHTML, -1) {
		if _, ok := replyaddr.ItemTokenOf(m[1]); ok {
			subject, _ := url.PathUnescape(strings.ReplaceAll(m[2], "&amp;", "&"))
			links = append(links, [2]string{m[1], subject})
		}
	}
	if len(links) != 2 {
		t.Fatalf("got %d item links in Cleo's digest, want 2 (one per reply)", len(links))
	}
	second := itemPost(t, digests[cleo.ID], links[1][0])
	if first := itemPost(t, digests[cleo.ID], links[0][0]); first == second || second != goal.ID {
		t.Fatalf("got items on posts %d then %d, want Ben's habit first (the latest), Ana's goal second", first, second)
	}
	cleoText := "Ana, count me in for the Sunday long run."
	deliver(t, srv, cleo.Email, links[1][0], gmailReply(cleo, links[1][0], links[1][1], "cleo1", "", cleoText,
		"On Fri, Nov 28, 2025 at 9:31\u202fAM Sam Coach <"+realmail.Coach+"> wrote:",
		"Ana Lima, Tue 25 Nov, 10:00\n\nI will run a half marathon in March, three runs a week from now on."))

	// Ben hits Reply on the whole digest and keeps only Ana's words in the quote.
	benDigest := readMessage(t, raws[ben.ID]).Header
	rt, _ := benDigest.AddressList("Reply-To")
	benSubject, _ := benDigest.Subject()
	benText := "Ana, March is close: which race?"
	deliver(t, srv, ben.Email, rt[0].Address, gmailReply(ben, rt[0].Address, "Re: "+benSubject, "ben2", digests[ben.ID].MessageID,
		benText, "On Fri, Nov 28, 2025 at 9:31\u202fAM Sam Coach <"+realmail.Coach+"> wrote:",
		"I will run a half marathon in March, three runs a week from now on."))

	clock = friday.Add(3 * time.Hour)
	sync(2)
	got := map[int64]app.Reply{}
	for _, p := range []app.Post{goal, habit} {
		rs, _ := db.Replies(ctx, p.ID)
		for _, r := range rs {
			if r.ReceivedAt.Equal(clock) {
				if r.PostID != p.ID {
					t.Fatalf("got reply %d listed under post %d with post id %d", r.ID, p.ID, r.PostID)
				}
				got[r.ClientID] = r
			}
		}
	}
	for _, w := range []struct {
		who    app.Client
		text   string
		reason string
	}{{cleo, cleoText, app.MatchItem}, {ben, benText, app.MatchQuote}} {
		r, ok := got[w.who.ID]
		if !ok || r.PostID != goal.ID || r.MatchReason != w.reason {
			t.Errorf("got %s's answer %+v, want it on post %d (Ana's goal), matched by %s", w.who.Name, r, goal.ID, w.reason)
			continue
		}
		if strings.TrimSpace(r.Text) != w.text {
			t.Errorf("got %s's answer trimmed to %q, want %q", w.who.Name, r.Text, w.text)
		}
	}

	// The same morning and later in the week: nothing is due again, and the
	// outbox has nothing new to send.
	before, _ := db.Outbox(ctx, app.OutboxFilter{})
	for _, at := range []time.Time{friday, time.Date(2025, 12, 4, 18, 0, 0, 0, time.UTC)} {
		clock = at
		if sum, err := due.Run(ctx, db, at, compose.NewIDs(coach), sessions.Person{Email: coach.Email}, false); err != nil || sum.Digests != 0 {
			t.Fatalf("got %+v, %v at %v; want nothing queued twice in a period", sum, err, at)
		}
	}
	drain()
	after, _ := db.Outbox(ctx, app.OutboxFilter{})
	if len(after) != len(before) {
		t.Fatalf("got %d outbox rows, want the %d there were", len(after), len(before))
	}
	for _, who := range []app.Client{ana, ben, cleo} {
		if n := countMessages(t, srv, who.Email); n != 3 { // two posts, one digest
			t.Errorf("got %d messages in %s's mailbox, want 3", n, who.Name)
		}
	}
}

// itemPost returns the post of the digest item whose reply address is addr.
func itemPost(t *testing.T, d app.Digest, addr string) int64 {
	t.Helper()
	tok, _ := replyaddr.ItemTokenOf(addr)
	for _, it := range d.Items {
		if it.Token == tok {
			return it.PostID
		}
	}
	t.Fatalf("no item of digest %d has the address %s", d.ID, addr)
	return 0
}

// gmailReply writes a reply the way Gmail's web client does: multipart/
// alternative, a text part quoted-printable with "On … wrote:" and "> " lines,
// an HTML part of div-wrapped lines with the quote in a gmail_quote blockquote.
// inReplyTo is "" for a new message (a mailto: link).
func gmailReply(from app.Client, to, subject, mid, inReplyTo, text, attribution, quoted string) []byte {
	var plain, html bytes.Buffer
	plain.WriteString(text + "\n\n" + attribution + "\n\n")
	for _, line := range strings.Split(quoted, "\n") {
		plain.WriteString(strings.TrimRight("> "+line, " ") + "\n")
	}
	fmt.Fprintf(&html, `<div dir="ltr"><div>%s</div></div><br><div class="gmail_quote gmail_quote_container">`+
		`<div dir="ltr" class="gmail_attr">%s<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;`+
		`border-left:1px solid rgb(204,204,204);padding-left:1ex">`, text, strings.ReplaceAll(strings.ReplaceAll(attribution, "<", "&lt;"), ">", "&gt;"))
	for _, line := range strings.Split(quoted, "\n") {
		if line == "" {
			html.WriteString("<br>")
		} else {
			html.WriteString("<div>" + line + "</div>")
		}
	}
	html.WriteString("</blockquote></div>\n")
	qp := func(s string) string {
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
		w.Close()
		return b.String()
	}
	const boundary = "0000000000008f5e2a0645a1b2c3"
	var b strings.Builder
	b.WriteString("MIME-Version: 1.0\r\n")
	if inReplyTo != "" {
		fmt.Fprintf(&b, "References: <%s>\r\nIn-Reply-To: <%s>\r\n", inReplyTo, inReplyTo)
	}
	fmt.Fprintf(&b, "From: %s <%s>\r\nDate: Fri, 28 Nov 2025 11:02:01 +0100\r\nMessage-ID: <CA+%s@mail.gmail.com>\r\n", from.Name, from.Email, mid)
	fmt.Fprintf(&b, "Subject: %s\r\nTo: Sam Coach <%s>\r\n", subject, to)
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n", boundary, qp(plain.String()))
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n", boundary, qp(html.String()))
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return []byte(b.String())
}

// deliver hands a message to Postfix's port 25 service, as the member's
// provider would.
func deliver(t *testing.T, srv *realmail.Servers, from, to string, raw []byte) {
	t.Helper()
	c, err := smtp.Dial(srv.Addr(srv.SMTPPort))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{to}, bytes.NewReader(raw)); err != nil {
		t.Fatalf("deliver to %s: %v", to, err)
	}
}

func readMessage(t *testing.T, raw []byte) *mail.Reader {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// htmlPart returns the decoded HTML part of a message.
func htmlPart(t *testing.T, raw []byte) string {
	t.Helper()
	r := readMessage(t, raw)
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/html" {
				b, _ := io.ReadAll(p.Body)
				return string(b)
			}
		}
	}
	t.Fatal("got no HTML part")
	return ""
}

// imapLogin logs in as user over IMAPS.
func imapLogin(t testing.TB, srv *realmail.Servers, user string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialTLS(srv.Addr(srv.IMAPSPort), &imapclient.Options{TLSConfig: srv.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, realmail.Password).Wait(); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c
}

func countMessages(t testing.TB, srv *realmail.Servers, user string) uint32 {
	t.Helper()
	c := imapLogin(t, srv, user)
	defer c.Close()
	st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return *st.NumMessages
}

// waitForMessages waits until user's INBOX holds n messages: delivery through
// Postfix and LMTP is asynchronous.
func waitForMessages(t *testing.T, srv *realmail.Servers, user string, n uint32) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if countMessages(t, srv, user) >= n {
			return
		}
	}
	t.Fatalf("%s's INBOX did not reach %d messages", user, n)
}

// fetchByMessageID waits for the message in user's INBOX and returns it whole.
func fetchByMessageID(t *testing.T, srv *realmail.Servers, user, messageID string) []byte {
	t.Helper()
	c := imapLogin(t, srv, user)
	defer c.Close()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatal(err)
		}
		found, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if uids := found.AllUIDs(); len(uids) == 1 {
			section := &imap.FetchItemBodySection{Peek: true}
			msgs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
			if err != nil || len(msgs) != 1 {
				t.Fatalf("fetch: %v", err)
			}
			return msgs[0].FindBodySection(section)
		}
	}
	t.Fatalf("%s never reached %s's INBOX", messageID, user)
	return nil
}
