package compose

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/spamcheck"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleDigest is Cleo's digest of a small cohort: a new post (she takes posts
// in the digest), two replies to it (one long, one hostile-looking), and a
// reply to last week's post, which she got on its own.
func sampleDigest() app.Digest {
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 5, 0, 0, time.UTC) }
	long := strings.Repeat("I tried the morning pages every day this week and it changed how I start work. ", 12)
	return app.Digest{ID: 7, Cohort: "Spring mastermind", ClientID: 3, Name: "Cleo Park", Email: "cleo@example.net",
		Zone: "Europe/Paris", Note: "Session on **Thursday** moves to 19:00.",
		Items: []app.DigestItem{
			{ID: 1, PostID: 10, PostSubject: "Week 3: your one big goal", Author: "Coach", At: at(1, 8), Text: "What is **your one big goal** for the month?"},
			{ID: 2, PostID: 10, PostSubject: "Week 3: your one big goal", ReplyID: 100, ClientID: 1, Author: "Ana Lima", At: at(2, 9), Text: long, Highlighted: true},
			{ID: 3, PostID: 10, PostSubject: "Week 3: your one big goal", ReplyID: 101, ClientID: 2, Author: "Ben <b>Okafor</b>", At: at(2, 21),
				Text: "Mine: **ship** it. [click](javascript:alert(1)) {{email}}\n# not a heading\n\nSecond paragraph."},
			{ID: 4, PostID: 9, PostSubject: "Week 2: habits", Author: "Coach", At: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), AlreadySent: true},
			{ID: 5, PostID: 9, PostSubject: "Week 2: habits", ReplyID: 90, ClientID: 1, Author: "Ana Lima", At: at(1, 7), Text: "Walking every morning."},
		}}
}

func withTokens(d app.Digest) app.Digest {
	for i := range d.Items {
		d.Items[i].Token = replyaddr.ItemToken([]byte("golden secret"), d.ID, d.Items[i].ID)
	}
	return d
}

func TestDigestGolden(t *testing.T) {
	from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
	d := withTokens(sampleDigest())
	c := DigestContent(from, d)
	if want := "[Spring mastermind] 3 new replies and 1 new post"; c.Subject != want {
		t.Errorf("got subject %q, want %q", c.Subject, want)
	}
	b, err := render.Render(c, render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort, CoachName: from.Name,
		Unsubscribe: UnsubscribeURL(from, "unsubtoken000000")})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct{ file, got string }{{"digest.html", b.HTML}, {"digest.txt", b.Text}} {
		path := filepath.Join("testdata", g.file)
		if *update {
			os.WriteFile(path, []byte(g.got), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if g.got != string(want) {
			t.Errorf("%s differs from the golden file (run go test -update to see why)", g.file)
		}
	}
	// The member's words stay words: no markup, link or placeholder of theirs.
	for _, bad := range []string{"<b>Okafor", `href="javascript`, "cleo@example.net</", "<h1>not"} {
		if strings.Contains(b.HTML, bad) {
			t.Errorf("got %q in the HTML, want the member's text shown as typed", bad)
		}
	}
	if !strings.Contains(b.Text, "{{email}}") || !strings.Contains(b.Text, "# not a heading") {
		t.Errorf("got text without the member's literal words:\n%s", b.Text)
	}
	// Times are in the member's zone (Paris, UTC+1).
	if !strings.Contains(b.Text, "Wed 2 Dec, 10:05") {
		t.Errorf("got no Paris time for Ana's reply in:\n%s", b.Text)
	}
	// The long reply is cut at the top and whole under "In full".
	if strings.Count(b.Text, "changed how I start work") < 12 || !strings.Contains(b.Text, "In full") {
		t.Error("got the long reply without its whole text at the end")
	}
}

// TestDigestItemLinks builds the whole message, reads it back with go-message and
// follows every "Reply" link: each names one item's reply address, with the
// post's subject, and the address carries a token for that item and member.
func TestDigestItemLinks(t *testing.T) {
	from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
	d := withTokens(sampleDigest())
	job := app.OutboxJob{Item: app.OutboxItem{Name: d.Name, Email: d.Email, MessageID: "d7@example.com"},
		Post: app.Post{Cohort: d.Cohort, Kind: "digest"}, Token: replyaddr.NewToken(), Digest: &d,
		CreatedAt: time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)}
	raw, _, err := Message(from, job, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var html string
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		if ct, _, _ := p.Header.(*mail.InlineHeader).ContentType(); ct == "text/html" {
			var buf bytes.Buffer
			buf.ReadFrom(p.Body)
			html = buf.String()
		}
	}
	links := regexp.MustCompile(`href="mailto:([^"?]+)\?subject=([^"]+)"`).FindAllStringSubmatch(html, -1)
	var items []string
	for _, l := range links {
		if tok, ok := replyaddr.ItemTokenOf(l[1]); ok {
			digestID, itemID, ok := replyaddr.ParseItemToken([]byte("golden secret"), tok)
			if !ok || digestID != 7 {
				t.Errorf("got link %s with a token for digest %d, want digest 7", l[1], digestID)
			}
			if itemID == 0 {
				t.Errorf("got link %s without an item", l[1])
			}
			items = append(items, strings.TrimPrefix(l[2], "Re:%20"))
		}
	}
	if len(items) != 4 { // the new post, its two replies, and Ana's reply to week 2
		t.Fatalf("got %d item links %v, want 4", len(items), items)
	}
	if !strings.HasPrefix(items[0], "Week%203") {
		t.Errorf("got subject %q in the first link, want Re: Week 3", items[0])
	}
}

// TestDigestSubjectsAsMembersReadThem: a post written with placeholders is
// named in the digest as the member read it, in the text, the HTML and the
// "Reply to this" link; never a raw {{cohort}}.
func TestDigestSubjectsAsMembersReadThem(t *testing.T) {
	from := From{Name: "Maya Coach", Email: "maya@example.com", PlusAddressing: true}
	d := app.Digest{ID: 7, Cohort: "Spring Circle", Name: "Ken Thompson", Email: "ken@example.com", Zone: "UTC",
		Items: []app.DigestItem{{ID: 1, PostID: 3, PostSubject: "Welcome to {{cohort}}, {{first_name}}", ReplyID: 9, ClientID: 2,
			Author: "Grace Hopper", At: time.Date(2026, 5, 6, 18, 0, 0, 0, time.UTC), Text: "Glad to be here.", Token: "tok"}}}
	p, err := PreviewDigest(from, d, time.Date(2026, 5, 8, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for part, s := range map[string]string{"text": p.Text, "html": p.HTML, "subject": p.Subject, "link": p.Items[0].ReplyTo} {
		if strings.Contains(s, "{{") || strings.Contains(s, "%7B%7B") {
			t.Errorf("got a raw placeholder in the %s: %q", part, s)
		}
	}
	if !strings.Contains(p.Text, "Welcome to Spring Circle, Ken") || !strings.Contains(p.Items[0].ReplyTo, "Welcome%20to%20Spring%20Circle%2C%20Ken") {
		t.Fatalf("got text %q and link %q, want the subject as Ken read it", p.Text, p.Items[0].ReplyTo)
	}
}

// digestJob is the outbox job that carries Cleo's sample digest of cohort 7.
func digestJob() app.OutboxJob {
	d := withTokens(sampleDigest())
	return app.OutboxJob{Item: app.OutboxItem{Name: d.Name, Email: d.Email, MessageID: "d7.x4k2@example.com"},
		Post: app.Post{CohortID: 7, Cohort: d.Cohort, Kind: "digest"}, Token: replyaddr.NewToken(),
		UnsubscribeToken: "unsubtoken000000", Digest: &d, CreatedAt: time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)}
}

// TestDigestMessageHeaders reads a digest back as a member's mail client would:
// the cohort's List-Id under the coach's domain, the member's own unsubscribe
// link (no one-click POST: see UnsubscribeURL), a Message-ID, a text and an
// HTML part, and nothing a strict MIME reader would call a defect.
func TestDigestMessageHeaders(t *testing.T) {
	from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
	raw, notes, err := Message(from, digestJob(), nil)
	if err != nil || len(notes) != 0 {
		t.Fatalf("got %v, notes %q; want a clean message", err, notes)
	}
	parts := noMIMEDefects(t, raw)
	r, _ := mail.CreateReader(bytes.NewReader(raw))
	h := r.Header
	if got, want := h.Get("List-Id"), `"Spring mastermind" <cohort-7.roundtable.example.com>`; got != want {
		t.Errorf("got List-Id %q, want %q", got, want)
	}
	if got, want := h.Get("List-Unsubscribe"), "<mailto:coach@example.com?subject=unsubscribe%20unsubtoken000000>"; got != want {
		t.Errorf("got List-Unsubscribe %q, want %q", got, want)
	}
	if h.Get("List-Unsubscribe-Post") != "" {
		t.Error("got List-Unsubscribe-Post, want none: one-click needs an HTTPS endpoint Roundtable does not have")
	}
	if ids, _ := h.MsgIDList("Message-ID"); len(ids) != 1 || ids[0] != "d7.x4k2@example.com" {
		t.Errorf("got Message-ID %v, want the job's", ids)
	}
	if !strings.Contains(parts["text/plain"], "Walking every morning.") || !strings.Contains(parts["text/html"], "Walking every morning.") {
		t.Errorf("got parts %v, want the digest in both text and HTML", keys(parts))
	}

	// Stable per cohort: another member, another day, same List-Id; a renamed
	// cohort keeps its id and changes only the description.
	j := digestJob()
	j.Item.Email, j.Post.Cohort, j.CreatedAt = "ana@example.net", "Spring 2027 — été", j.CreatedAt.AddDate(0, 0, 7)
	raw, _, _ = Message(from, j, nil)
	r, _ = mail.CreateReader(bytes.NewReader(raw))
	if got := r.Header.Get("List-Id"); !strings.HasSuffix(got, " <cohort-7.roundtable.example.com>") || !strings.HasPrefix(got, "=?utf-8?b?") {
		t.Errorf("got List-Id %q, want the same id with the new name as encoded words", got)
	}
	if ListID(From{Email: "coach@bücher.example"}, 3) != "cohort-3.roundtable.xn--bcher-kva.example" || ListID(from, 0) != "" {
		t.Error("got a List-Id that is not ASCII under the coach's domain, or one without a cohort")
	}
}

// TestDigestSpamScore holds digests to the bar the digest issue sets for all
// mail: the sample digest, built as the outbox sends it, scores at most 0.5
// with SpamAssassin's local rules. One message only: a check takes seconds.
func TestDigestSpamScore(t *testing.T) {
	from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
	j := digestJob()
	j.CreatedAt = time.Now() // SpamAssassin scores dates far from now
	raw, _, err := Message(from, j, nil)
	if err != nil {
		t.Fatal(err)
	}
	score, rules := spamcheck.Score(t, raw)
	if score > 0.5 {
		t.Errorf("SpamAssassin score: got %v, want at most 0.5; rules hit: %v", score, rules)
	}
}

// noMIMEDefects reads raw strictly and returns its text parts by type: CRLF
// line ends only, no line over 998 octets, a header any reader accepts, every
// part with its type and a body that decodes, and the closing boundaries.
func noMIMEDefects(tb testing.TB, raw []byte) map[string]string {
	tb.Helper()
	wellFormed(tb, raw)
	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") || len(line) > 998 {
			tb.Fatalf("line %d: got a bare CR or LF, or over 998 octets", i)
		}
	}
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	if ct, params, _ := r.Header.ContentType(); ct != "multipart/alternative" || params["boundary"] == "" ||
		!bytes.HasSuffix(raw, []byte("--"+params["boundary"]+"--\r\n")) {
		tb.Fatalf("got %s %v, want multipart/alternative closed by its boundary", ct, params)
	}
	if r.Header.Get("MIME-Version") != "1.0" {
		tb.Fatal("got no MIME-Version: 1.0")
	}
	parts := map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("got %v reading the parts", err)
		}
		ih, ok := p.Header.(*mail.InlineHeader)
		if !ok {
			tb.Fatal("got an attachment in a digest")
		}
		ct, params, err := ih.ContentType()
		if err != nil || params["charset"] != "utf-8" || ih.Get("Content-Transfer-Encoding") != "quoted-printable" {
			tb.Fatalf("got part %s %v (%v), want utf-8 quoted-printable", ct, params, err)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil || !utf8.Valid(body) {
			tb.Fatalf("got %v decoding the %s part, or invalid UTF-8", err, ct)
		}
		parts[ct] = string(body)
	}
	if len(parts) != 2 || parts["text/plain"] == "" || parts["text/html"] == "" {
		tb.Fatalf("got parts %v, want text/plain and text/html", keys(parts))
	}
	return parts
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestBusyDigestStaysOneEmail: a week of 5,000 replies still makes one
// sendable digest (it once went over the renderer's limit and was never
// sent): 60 replies in full, 100 listed, the rest counted.
func TestBusyDigestStaysOneEmail(t *testing.T) {
	from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
	d := app.Digest{ID: 1, Cohort: "Big circle", Name: "Cleo Park", Email: "cleo@example.net", Zone: "UTC"}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5000 {
		text := strings.Repeat(fmt.Sprintf("Reply %d: morning pages again. ", i), 1+i%40)
		d.Items = append(d.Items, app.DigestItem{ID: int64(i + 1), PostID: int64(1 + i%5), PostSubject: fmt.Sprintf("Week %d", 1+i%5),
			ReplyID: int64(i + 1), ClientID: int64(2 + i%500), Author: fmt.Sprintf("Member %d", i%500), At: at, Text: text})
	}
	j := digestJob()
	d = withTokens(d)
	j.Digest = &d
	raw, _, err := Message(from, j, nil)
	if err != nil {
		t.Fatalf("got %v, want the busy digest built", err)
	}
	parts := noMIMEDefects(t, raw)
	if !strings.Contains(parts["text/plain"], "… and 4840 more replies: a busy week.") {
		t.Errorf("got no count of the unlisted replies in a %d-byte text part", len(parts["text/plain"]))
	}
	if len(raw) > 2<<20 {
		t.Errorf("got a %d-byte digest, want a bounded one", len(raw))
	}
}

// Message renders a digest with stand-ins for the item tokens and puts the
// tokens in after: the result must be the digest written with the tokens
// themselves, for both parts, and two members must each get their own links
// even when the second one's body came from the renderer's cache.
func TestDigestStandInsGiveEachMemberTheirOwnLinks(t *testing.T) {
	for _, plus := range []bool{true, false} {
		from := From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: plus}
		var firstLinks []string
		for _, id := range []int64{7, 8} { // two members' digests of the same items
			d := sampleDigest()
			d.ID = id
			d.ItemToken = func(item int64) string { return replyaddr.ItemToken([]byte("golden secret"), id, item) }
			vars := render.Vars{Name: d.Name, Email: d.Email, CohortName: d.Cohort, CoachName: from.Name,
				Unsubscribe: UnsubscribeURL(from, "unsubtoken000000")}
			want, err := render.Render(DigestContent(from, d), vars)
			if err != nil {
				t.Fatal(err)
			}
			var slots tokenSlots
			c := digestContent(from, d, slots.slot(d))
			if strings.Join(c.Parts, "") != c.Markdown || len(c.Parts) < 5 {
				t.Fatalf("the digest's %d parts do not make up its Markdown", len(c.Parts))
			}
			// Rendered whole, the same Markdown gives the same digest.
			whole, err := render.Render(render.Content{Subject: c.Subject, Markdown: c.Markdown}, vars)
			if err != nil {
				t.Fatal(err)
			}
			got, err := render.Render(c, vars)
			if err != nil {
				t.Fatal(err)
			}
			if whole.HTML != got.HTML || whole.Text != got.Text {
				t.Fatalf("plus=%v digest %d: rendered by parts differs from rendered whole", plus, id)
			}
			got.HTML, got.Text = slots.fill(got.HTML), slots.fill(got.Text)
			if got.HTML != want.HTML || got.Text != want.Text {
				t.Fatalf("plus=%v digest %d: stand-ins filled differ from tokens written in:\n%s\n---\n%s", plus, id, got.Text, want.Text)
			}
			if strings.Contains(got.HTML+got.Text, slotPrefix) {
				t.Errorf("plus=%v: a stand-in is left in the digest", plus)
			}
			links := regexp.MustCompile(`i-([a-z2-7]{26})`).FindAllStringSubmatch(got.Text, -1)
			if len(links) < 3 {
				t.Fatalf("plus=%v: found %d item links in\n%s", plus, len(links), got.Text)
			}
			for _, l := range links {
				digestID, _, ok := replyaddr.ParseItemToken([]byte("golden secret"), l[1])
				if !ok || digestID != id {
					t.Errorf("plus=%v: digest %d carries a link for digest %d (ok=%v)", plus, id, digestID, ok)
				}
				if id == 8 && slices.Contains(firstLinks, l[1]) {
					t.Errorf("plus=%v: the second member got the first one's link %s", plus, l[1])
				}
				if id == 7 {
					firstLinks = append(firstLinks, l[1])
				}
			}
		}
	}
}

// FuzzCutTextIsTheRuneCut holds the digest's cut of a long reply, which walks
// byte offsets, to the plain cut over the text's runes: the same words kept,
// the same place, whatever the text (accents, emoji, bad bytes).
func FuzzCutTextIsTheRuneCut(f *testing.F) {
	for _, s := range []string{"", "short", strings.Repeat("mot ", 200), strings.Repeat("é", 900),
		strings.Repeat("ab\xff ", 300), strings.Repeat("🙂 x", 250), strings.Repeat("a", 1000)} {
		f.Add(s, 600)
		f.Add(s, 80)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 4 || n > 2000 {
			return
		}
		got, gotCut := cutText(s, n)
		want, wantCut := s, false
		if utf8.RuneCountInString(s) > n+n/5 {
			want, wantCut = cutRunes(s, n)
		}
		if got != want || gotCut != wantCut {
			t.Fatalf("cutText(%q, %d) = %q, %v; the rune cut gives %q, %v", s, n, got, gotCut, want, wantCut)
		}
	})
}
