package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/clientcsv"
	"github.com/roundtablehq/roundtable/app/store"
	"golang.org/x/net/html"
)

// hostile adds a post whose Markdown carries raw HTML and a reply whose text is
// markup and a spreadsheet formula, to the world's cohort.
func hostile(t *testing.T, w *worldDB) {
	t.Helper()
	h, err := w.db.FindCohortByName(ctx, "Spring Circle")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Week 2: **practice**",
		Body: "Try it **daily**.\n\n<img src=\"https://tracker.example/p.gif\" onerror=\"alert(1)\"><script>alert(2)</script>\n\n[notes](javascript:alert(3))"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.QueuePost(ctx, p.ID, w.ids); err != nil {
		t.Fatal(err)
	}
	m := app.IncomingMail{MessageID: "r9@mail.example", FromName: "Ben", FromEmail: "ben@example.com", ClientID: w.mails[1].ClientID,
		Subject: "Re: Week 2", Text: "=HYPERLINK(\"http://evil.example\")\n<script>alert(4)</script>", Quoted: "> Try it"}
	m.Account, m.Folder, m.UIDValidity, m.UID, m.Hash = "a", "INBOX", 1, 9, m.MessageID
	m.Kind, m.PostID, m.MatchReason, m.Trust = app.MailReply, p.ID, app.MatchToken, app.TrustVerified
	m.SentAt = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if ok, err := w.db.ImportMail(ctx, m); err != nil || !ok {
		t.Fatalf("got %v %v, want the reply imported", ok, err)
	}
}

// TestArchiveIsReadableOfflineAndRunsNothing writes the cohort's archive and
// reads it back as a browser would: both posts oldest first with the replies
// under them in order, the members' words exactly, the quoted text folded away,
// and nothing that runs or loads: no script, no event handler, no javascript:
// link, no image from the network, a policy forbidding all of it.
func TestArchiveIsReadableOfflineAndRunsNothing(t *testing.T) {
	w := newWorld(t)
	hostile(t, w)
	var b bytes.Buffer
	n, err := Archive(ctx, w.db, "spring circle", time.Now(), &b)
	if err != nil || n != 4 {
		t.Fatalf("got %d replies (%v), want 4", n, err)
	}
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var texts, headings []string
	var strong, csp, details int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "iframe", "object", "link":
				t.Errorf("got a <%s> element in the archive", n.Data)
			case "strong":
				strong++
			case "details":
				details++
			case "h2":
				var sb strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					sb.WriteString(c.Data)
				}
				headings = append(headings, sb.String())
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("got %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if n.Data == "meta" && a.Key == "content" && strings.HasPrefix(a.Val, "default-src 'none'") {
					csp++
				}
			}
			if n.Data == "div" && attr(n, "class") == "text" && n.FirstChild != nil {
				texts = append(texts, n.FirstChild.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if csp != 1 {
		t.Error("got no Content-Security-Policy forbidding scripts and loads")
	}
	want := []string{w.mails[0].Text, w.mails[0].Quoted, w.mails[1].Text, w.mails[2].Text, w.mails[2].Quoted,
		"=HYPERLINK(\"http://evil.example\")\n<script>alert(4)</script>", "> Try it"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("got the texts\n%q\nwant\n%q", texts, want)
	}
	if len(headings) < 3 || headings[1] != "Week 1: your goal" || headings[2] != "Week 2: **practice**" {
		t.Errorf("got headings %q, want Members, then the two posts oldest first", headings)
	}
	if strong == 0 || details != 3 {
		t.Errorf("got %d <strong> and %d <details>, want the Markdown rendered and each quote folded", strong, details)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestCSVEverything writes every CSV file and reads each back: the rows the
// workspace holds, clients in the columns the clients import reads, and a
// reply that is a formula defused for the spreadsheet.
func TestCSVEverything(t *testing.T) {
	w := newWorld(t)
	hostile(t, w)
	if _, err := w.db.UpsertLessons(ctx, []app.LessonInput{{Title: "Morning pages", Module: "Week 1", Order: 1, Body: "Write three pages.", CheckIn: "What did you notice?"}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "csv")
	rows, err := CSV(ctx, w.db, dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantRows := map[string]int{"clients.csv": 3, "cohorts.csv": 1, "members.csv": 2, "posts.csv": 2, "replies.csv": 4, "lessons.csv": 1, "progress.csv": 0}
	read := map[string][][]string{}
	for _, name := range CSVFiles {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(recs)-1 != wantRows[name] || rows[name] != wantRows[name] {
			t.Errorf("%s: got %d rows (said %d), want %d", name, len(recs)-1, rows[name], wantRows[name])
		}
		read[name] = recs
	}
	f, _ := os.Open(filepath.Join(dir, "clients.csv"))
	defer f.Close()
	cf, err := clientcsv.Read(f, nil)
	if err != nil || len(cf.Rows) != 3 || len(cf.Rejected) != 0 {
		t.Fatalf("got %v, %v: want clients.csv to import again whole", cf, err)
	}
	if l := read["lessons.csv"][1]; strings.Join(l, "|") != "Week 1|1|Morning pages|What did you notice?|Write three pages." {
		t.Errorf("got lesson row %q", l)
	}
	var formula string
	for _, r := range read["replies.csv"] {
		if strings.Contains(r[6], "HYPERLINK") {
			formula = r[6]
		}
	}
	if !strings.HasPrefix(formula, "'=HYPERLINK") {
		t.Errorf("got %q, want the formula defused with an apostrophe", formula)
	}
}

// worldDB is the world of export_test.go with what adding to it needs.
type worldDB struct {
	db    *store.DB
	mails []app.IncomingMail
	ids   func() app.MessageIdentity
}

func newWorld(t *testing.T) *worldDB {
	db, mails := world(t)
	n := 100
	return &worldDB{db: db, mails: mails, ids: func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: fmt.Sprintf("rt.%d@coach.example", n), Token: fmt.Sprintf("tok%011d", n), BounceToken: fmt.Sprintf("b%d", n)}
	}}
}
