package compose

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
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
