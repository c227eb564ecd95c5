package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// searchWorld is a small generated workspace: two cohorts, clients in them,
// an announcement each and members' replies written straight into the tables
// (the triggers index them as they would imported mail).
type searchWorld struct {
	db            *DB
	spring, fall  app.Cohort
	hope, ada     app.Client
	chloe, gold   app.Client
	springPost    int64
	fallPost      int64
	base          time.Time
	replyMessages int
}

func newSearchWorld(tb testing.TB) *searchWorld {
	tb.Helper()
	ctx := context.Background()
	w := &searchWorld{db: openTest(tb), base: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var err error
	if w.spring, err = w.db.CreateCohort(ctx, app.CohortInput{Name: "Spring Circle", Kind: app.KindMastermind}); err != nil {
		tb.Fatal(err)
	}
	if w.fall, err = w.db.CreateCohort(ctx, app.CohortInput{Name: "Fall Circle", Kind: app.KindMastermind}); err != nil {
		tb.Fatal(err)
	}
	w.hope = mustClient(tb, w.db, "Hope Mirren", "hm@example.com")
	if w.ada, err = w.db.CreateClient(ctx, app.ClientInput{Name: "Ada Byron", Email: "ada@example.com",
		Notes: "She said she would hope for a calmer quarter."}); err != nil {
		tb.Fatal(err)
	}
	w.chloe = mustClient(tb, w.db, "Chloé Dubois", "chloe.d@example.org", "pricing")
	w.gold = mustClient(tb, w.db, "Miriam Goldstein", "miriam@example.net")
	if _, err := w.db.AddMembers(ctx, w.spring.ID, []int64{w.hope.ID, w.ada.ID, w.chloe.ID}, app.RoleMember); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.db.AddMembers(ctx, w.fall.ID, []int64{w.gold.ID}, app.RoleMember); err != nil {
		tb.Fatal(err)
	}
	w.springPost = w.post(tb, w.spring.ID, "Week 1: your one goal", "Tell the group the one goal for this month.")
	w.fallPost = w.post(tb, w.fall.ID, "Welcome to the fall", "Introduce yourself in three lines.")
	return w
}

func (w *searchWorld) post(tb testing.TB, cohortID int64, subject, body string) int64 {
	tb.Helper()
	p, err := w.db.CreatePost(context.Background(), app.PostInput{CohortID: cohortID, Subject: subject, Body: body})
	if err != nil {
		tb.Fatal(err)
	}
	return p.ID
}

// reply writes a member's reply to a post, received days after base.
func (w *searchWorld) reply(tb testing.TB, postID int64, c app.Client, days int, text string) int64 {
	tb.Helper()
	w.replyMessages++
	at := w.base.Add(time.Duration(days) * 24 * time.Hour).Format(timeFormat)
	res, err := w.db.db.Exec(`INSERT INTO inbox_messages (message_id, content_hash, kind, client_id, imported_at)
		VALUES (?, ?, 'reply', ?, ?)`, fmt.Sprintf("r%d@example.com", w.replyMessages), fmt.Sprintf("h%d", w.replyMessages), c.ID, at)
	if err != nil {
		tb.Fatal(err)
	}
	msg, _ := res.LastInsertId()
	res, err = w.db.db.Exec(`INSERT INTO replies (inbox_message_id, state, post_id, client_id, from_name, from_email, subject,
		received_at, text, quoted) VALUES (?, 'threaded', ?, ?, ?, ?, 'Re: the week', ?, ?, '')`, msg, postID, c.ID, c.Name, c.Email, at, text)
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func search(tb testing.TB, db *DB, q app.SearchQuery) app.SearchResults {
	tb.Helper()
	res, err := db.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %q: %v", q.Text, err)
	}
	return res
}

// hitIDs lists a kind's hits as "kind:id".
func hitIDs(res app.SearchResults, kind string) []int64 {
	for _, g := range res.Groups {
		if g.Kind == kind {
			ids := []int64{}
			for _, h := range g.Hits {
				ids = append(ids, h.ID)
			}
			return ids
		}
	}
	return nil
}

// checkIndex asks FTS5 to compare both indexes with search_items, and
// search_items with what its views say now: a trigger that deleted with the
// wrong values, or missed a change, fails it.
func checkIndex(tb testing.TB, db *DB) {
	tb.Helper()
	for _, table := range []string{"search_words", "search_trigrams", "search_titles", "search_client_words"} {
		if _, err := db.db.Exec(`INSERT INTO ` + table + ` (` + table + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
	}
	// Every kind's view (search_source_KIND): a kind added later is checked too.
	var views []string
	for _, k := range app.SearchKinds {
		views = append(views, "SELECT * FROM search_source_"+k.Kind)
	}
	items := "SELECT " + searchItemCols + " FROM search_items"
	sources := "SELECT * FROM (" + strings.Join(views, " UNION ALL ") + ")"
	var stale, missing int
	err := db.db.QueryRow(`SELECT (SELECT count(*) FROM (`+items+` EXCEPT `+sources+`)),
		(SELECT count(*) FROM (`+sources+` EXCEPT `+items+`))`).Scan(&stale, &missing)
	if missing != 0 {
		tb.Fatalf("got %d sources without their item, want 0", missing)
	}
	if err != nil || stale != 0 {
		tb.Fatalf("got %d items that differ from their source (%v), want 0", stale, err)
	}
}

func TestSearchRanking(t *testing.T) {
	w := newSearchWorld(t)
	older := w.reply(t, w.springPost, w.hope, 1, "The retrospective helped me plan.")
	newer := w.reply(t, w.springPost, w.ada, 5, "The retrospective helped me plan.")

	t.Run("ExactNameBeforeAWordInANote", func(t *testing.T) {
		res := search(t, w.db, app.SearchQuery{Text: "hope"})
		if got := hitIDs(res, app.SearchClient); !slices.Equal(got, []int64{w.hope.ID, w.ada.ID}) {
			t.Fatalf("clients %v, want Hope (%d) before Ada whose note hopes (%d)", got, w.hope.ID, w.ada.ID)
		}
		if res.Groups[0].Kind != app.SearchClient {
			t.Errorf("first group %q, want clients", res.Groups[0].Kind)
		}
	})
	t.Run("RecentBeforeOldAtEqualRank", func(t *testing.T) {
		res := search(t, w.db, app.SearchQuery{Text: "retrospective", Kinds: []string{app.SearchReply}})
		if got := hitIDs(res, app.SearchReply); !slices.Equal(got, []int64{newer, older}) {
			t.Fatalf("replies %v, want the newer %d before the older %d", got, newer, older)
		}
	})
	t.Run("ChloeFindsChloé", func(t *testing.T) {
		for _, q := range []string{"chloe", "Chloe", "CHLOÉ", "chloe\u0301"} {
			if got := hitIDs(search(t, w.db, app.SearchQuery{Text: q}), app.SearchClient); !slices.Contains(got, w.chloe.ID) {
				t.Errorf("%q found clients %v, want Chloé (%d)", q, got, w.chloe.ID)
			}
		}
	})
	t.Run("WordsWithMarks", func(t *testing.T) {
		r := w.reply(t, w.springPost, w.chloe, 2, "आज मैंने नमस्ते कहा")
		if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "नमस्ते"}), app.SearchReply); !slices.Equal(got, []int64{r}) {
			t.Errorf("a Devanagari word found %v, want %d", got, r)
		}
	})
	t.Run("Prefix", func(t *testing.T) {
		if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "the retro"}), app.SearchReply); len(got) != 2 {
			t.Errorf("\"the retro\" found replies %v, want both retrospectives", got)
		}
		// Only the last word is a prefix: "retro helped" finds no words,
		// only substrings.
		for _, g := range search(t, w.db, app.SearchQuery{Text: "retro helped"}).Groups {
			for _, h := range g.Hits {
				if !h.Substring {
					t.Errorf("\"retro helped\" found %+v by words, want substrings only (only the last word is a prefix)", h)
				}
			}
		}
	})
	t.Run("SubstringByTrigram", func(t *testing.T) {
		res := search(t, w.db, app.SearchQuery{Text: "stein"})
		if got := hitIDs(res, app.SearchClient); !slices.Equal(got, []int64{w.gold.ID}) {
			t.Fatalf("\"stein\" found clients %v, want Goldstein (%d)", got, w.gold.ID)
		}
		h := res.Groups[0].Hits[0]
		if !h.Substring || !slices.Contains(h.Snippet, app.SnippetPart{Text: "stein", Hit: true}) {
			t.Errorf("hit %+v, want a substring hit with \"stein\" marked", h)
		}
		if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "ei"}), app.SearchClient); len(got) != 0 {
			t.Errorf("\"ei\" found %v, want nothing: substrings need three characters", got)
		}
	})
	t.Run("CommonWordStillFindsTheName", func(t *testing.T) {
		defer func(n int) { searchCandidatesMax = n }(searchCandidatesMax)
		searchCandidatesMax = 3
		will := mustClient(t, w.db, "Will Hart", "wh@example.com")
		for i := range 5 {
			w.reply(t, w.springPost, w.ada, 30+i, "I will try again next week.")
		}
		res := search(t, w.db, app.SearchQuery{Text: "will"})
		if got := hitIDs(res, app.SearchClient); len(got) == 0 || got[0] != will.ID {
			t.Errorf("clients %v, want Will Hart (%d) first although the newest matches are replies", got, will.ID)
		}
		for _, g := range res.Groups {
			if !g.More {
				t.Errorf("group %s does not say there may be more", g.Kind)
			}
		}
	})
	t.Run("Snippet", func(t *testing.T) {
		res := search(t, w.db, app.SearchQuery{Text: "calmer", Kinds: []string{app.SearchClient}})
		if len(res.Groups) != 1 {
			t.Fatalf("got %+v, want Ada", res)
		}
		h := res.Groups[0].Hits[0]
		want := []app.SnippetPart{{Text: "She said she would hope for a "}, {Text: "calmer", Hit: true}, {Text: " quarter."}}
		if !slices.Equal(h.Snippet, want) || h.Title != "Ada Byron" {
			t.Errorf("got %q %+v, want Ada Byron %+v", h.Title, h.Snippet, want)
		}
	})
}

func TestSearchFilters(t *testing.T) {
	ctx := context.Background()
	w := newSearchWorld(t)
	early := w.reply(t, w.springPost, w.hope, 1, "Budget review done.")
	late := w.reply(t, w.springPost, w.chloe, 20, "Budget review done.")
	fall := w.reply(t, w.fallPost, w.gold, 3, "Budget review done.")
	w.post(t, w.fall.ID, "Budget templates", "Here are the budget templates.")
	s, err := w.db.CreateSession(ctx, app.SessionInput{CohortID: w.spring.ID, Title: "Budget clinic", Start: w.base.Add(72 * time.Hour),
		Minutes: 60, TimeZone: "UTC"}, "uid-1@x", noMail, seqIDs())
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		q    app.SearchQuery
		kind string
		want []int64
	}{
		{"OK", app.SearchQuery{Text: "budget"}, app.SearchReply, []int64{late, fall, early}},
		{"Kind", app.SearchQuery{Text: "budget", Kinds: []string{app.SearchSession}}, app.SearchSession, []int64{s.ID}},
		{"Cohort", app.SearchQuery{Text: "budget", CohortID: w.fall.ID}, app.SearchReply, []int64{fall}},
		{"CohortHasItsMembers", app.SearchQuery{Text: "miriam", CohortID: w.fall.ID}, app.SearchClient, []int64{w.gold.ID}},
		{"CohortLeavesOthersOut", app.SearchQuery{Text: "miriam", CohortID: w.spring.ID}, app.SearchClient, nil},
		{"Member", app.SearchQuery{Text: "budget", ClientID: w.chloe.ID}, app.SearchReply, []int64{late}},
		{"Dates", app.SearchQuery{Text: "budget", From: w.base.Add(48 * time.Hour), To: w.base.Add(10 * 24 * time.Hour)}, app.SearchReply, []int64{fall}},
		{"PerKind", app.SearchQuery{Text: "budget", PerKind: 2}, app.SearchReply, []int64{late, fall}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := search(t, w.db, c.q)
			if got := hitIDs(res, c.kind); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.kind, got, c.want)
			}
			if c.name == "Kind" && len(res.Groups) != 1 {
				t.Errorf("got %d groups, want only sessions", len(res.Groups))
			}
			if c.name == "PerKind" && res.Groups[0].Total != 3 {
				t.Errorf("total %d, want 3 although 2 are shown", res.Groups[0].Total)
			}
		})
	}
	t.Run("ErrUnknownKind", func(t *testing.T) {
		_, err := w.db.Search(ctx, app.SearchQuery{Text: "budget", Kinds: []string{"lessonz"}})
		wantCode(t, err, app.EINVALID)
	})
	t.Run("ErrDatesBackwards", func(t *testing.T) {
		_, err := w.db.Search(ctx, app.SearchQuery{Text: "budget", From: w.base, To: w.base.Add(-time.Hour)})
		wantCode(t, err, app.EINVALID)
	})
}

func noMail(app.Session, []app.SessionAttendee) (app.SessionMail, error) {
	return app.SessionMail{Subject: "Invitation", Body: "Come", Method: "REQUEST", Calendars: map[int64][]byte{}}, nil
}

func seqIDs() func() app.MessageIdentity {
	n := 0
	return func() app.MessageIdentity {
		n++
		return app.MessageIdentity{MessageID: fmt.Sprintf("s%d@x", n), Token: fmt.Sprintf("st%d", n), BounceToken: fmt.Sprintf("sb%d", n)}
	}
}

// The triggers keep the index right through every change: what was there
// before is no longer found, what is there now is, and FTS5's own check of
// the external content passes.
func TestSearchFollowsChanges(t *testing.T) {
	ctx := context.Background()
	w := newSearchWorld(t)
	r := w.reply(t, w.springPost, w.hope, 1, "Walking every morning now.")
	s, err := w.db.CreateSession(ctx, app.SessionInput{CohortID: w.spring.ID, Title: "Monday call", Start: w.base.Add(72 * time.Hour),
		Minutes: 60, TimeZone: "UTC"}, "uid-2@x", noMail, seqIDs())
	if err != nil {
		t.Fatal(err)
	}
	found := func(text, kind string) []int64 {
		t.Helper()
		return hitIDs(search(t, w.db, app.SearchQuery{Text: text, Kinds: []string{kind}}), kind)
	}
	checkIndex(t, w.db)

	// A client renamed, retagged, given another address.
	if _, err := w.db.UpdateClient(ctx, w.ada.ID, app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com",
		Tags: []string{"engines"}, Aliases: []string{"countess@example.org"}}); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"byron": 0, "lovelace": 1, "engines": 1, "countess": 1, "calmer": 0} {
		if got := found(text, app.SearchClient); len(got) != want {
			t.Errorf("%q found clients %v, want %d", text, got, want)
		}
	}
	checkIndex(t, w.db)

	// A reply's text changed, then the reply deleted.
	if _, err := w.db.db.Exec("UPDATE replies SET text = 'Swimming every evening.' WHERE id = ?", r); err != nil {
		t.Fatal(err)
	}
	if got := found("walking", app.SearchReply); len(got) != 0 {
		t.Errorf("old reply text still found: %v", got)
	}
	if got := found("swimming", app.SearchReply); !slices.Equal(got, []int64{r}) {
		t.Errorf("new reply text found %v, want %d", got, r)
	}
	checkIndex(t, w.db)
	if _, err := w.db.db.Exec("DELETE FROM replies WHERE id = ?", r); err != nil {
		t.Fatal(err)
	}
	if got := found("swimming", app.SearchReply); len(got) != 0 {
		t.Errorf("deleted reply still found: %v", got)
	}
	checkIndex(t, w.db)

	// Notes: written, found and marked private; emptied, gone.
	if err := w.db.SetSessionNote(ctx, s.ID, "Energy was low after the holidays."); err != nil {
		t.Fatal(err)
	}
	if err := w.db.SetAttendeeNote(ctx, s.ID, w.hope.ID, "Quiet; ask about the move."); err != nil {
		t.Fatal(err)
	}
	res := search(t, w.db, app.SearchQuery{Text: "holidays"})
	if len(res.Groups) != 1 || res.Groups[0].Kind != app.SearchSessionNote || !res.Groups[0].Hits[0].Private {
		t.Errorf("got %+v, want the session note, private", res.Groups)
	}
	if got := found("move", app.SearchAttendeeNote); !slices.Equal(got, []int64{s.ID}) {
		t.Errorf("attendee note found %v, want session %d", got, s.ID)
	}
	checkIndex(t, w.db)
	if err := w.db.SetSessionNote(ctx, s.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.db.SetAttendeeNote(ctx, s.ID, w.hope.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := found("holidays", app.SearchSessionNote); len(got) != 0 {
		t.Errorf("emptied session note still found: %v", got)
	}
	if got := found("move", app.SearchAttendeeNote); len(got) != 0 {
		t.Errorf("emptied attendee note still found: %v", got)
	}
	checkIndex(t, w.db)

	// A lesson of the library: found, renamed, gone with its old words.
	l, _, err := w.db.SaveLesson(ctx, 0, app.LessonInput{Slug: "pricing", Title: "Pricing your group", Module: "Money",
		Body: "Charge for the outcome.", CheckIn: "What will you charge?"}, false, seqIDs())
	if err != nil {
		t.Fatal(err)
	}
	if got := found("outcome", app.SearchLesson); !slices.Equal(got, []int64{l.ID}) {
		t.Errorf("lesson found %v, want %d", got, l.ID)
	}
	if _, _, err := w.db.SaveLesson(ctx, l.ID, app.LessonInput{Slug: "pricing", Title: "Pricing your group", Module: "Money",
		Body: "Charge for the result.", CheckIn: "What will you charge?"}, false, seqIDs()); err != nil {
		t.Fatal(err)
	}
	if got := found("outcome", app.SearchLesson); len(got) != 0 {
		t.Errorf("old lesson text still found: %v", got)
	}
	if got := found("result money", app.SearchLesson); !slices.Equal(got, []int64{l.ID}) {
		t.Errorf("lesson by its new text and module: %v, want %d", got, l.ID)
	}
	checkIndex(t, w.db)

	// A draft edited, then deleted.
	p := w.post(t, w.spring.ID, "Draft about mentoring", "Words.")
	if _, err := w.db.UpdatePost(ctx, p, app.PostInput{CohortID: w.spring.ID, Subject: "Draft about coaching", Body: "Words."}); err != nil {
		t.Fatal(err)
	}
	if got := found("mentoring", app.SearchPost); len(got) != 0 {
		t.Errorf("old subject still found: %v", got)
	}
	if _, err := w.db.db.Exec("DELETE FROM posts WHERE id = ?", p); err != nil {
		t.Fatal(err)
	}
	if got := found("coaching", app.SearchPost); len(got) != 0 {
		t.Errorf("deleted post still found: %v", got)
	}
	// A session deleted takes its notes with it.
	if err := w.db.SetAttendeeNote(ctx, s.ID, w.hope.ID, "Back on track."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.db.Exec("DELETE FROM sessions WHERE id = ?", s.ID); err != nil {
		t.Fatal(err)
	}
	if res := search(t, w.db, app.SearchQuery{Text: "track monday"}); len(res.Groups) != 0 {
		t.Errorf("deleted session still found: %+v", res.Groups)
	}
	checkIndex(t, w.db)
}

// Whatever is typed, search answers without an error; words in hostile input
// are still found.
func TestSearchHostileQueries(t *testing.T) {
	w := newSearchWorld(t)
	w.reply(t, w.springPost, w.hope, 1, "I hope AND pray NOT to fail OR quit.")
	for _, q := range []string{
		`"`, `""`, `"hope`, `hope"`, `NEAR(`, `NEAR(hope pray)`, `NEAR(hope, 2`, `*`, `hope*`, `*hope`, `-`, `-hope`,
		"\x00", "hope\x00pray", `(`, `)`, `((hope)`, `hope)`, `AND`, `OR`, `NOT`, `AND OR NOT`, `hope AND`, `NOT hope`,
		`^hope`, `title:hope`, `{title meta}: hope`, `body:`, `'`, `'; DROP TABLE search_items; --`, `😀`, `hope 😀`,
		"\uE000hope\uE001", `+`, `:`, `.`, `\`, `%`, `_`, strings.Repeat("x", 10000), strings.Repeat("a ", 5000),
		"\xff\xfe", `hope"*`, `" OR 1=1 --`,
	} {
		if _, err := w.db.Search(context.Background(), app.SearchQuery{Text: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	for _, q := range []string{`"hope"`, `hope*`, `-hope`, `(hope`, `hope)`, `^hope`, `hope 😀`, "hope\x00", `"hope" OR`[:7]} {
		if got := hitIDs(search(t, w.db, app.SearchQuery{Text: q}), app.SearchReply); len(got) != 1 {
			t.Errorf("%q found replies %v, want the one with hope", q, got)
		}
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "and"}), app.SearchReply); len(got) != 1 {
		t.Errorf("\"and\" found %v, want the reply (an operator typed is a word)", got)
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"hope", `"NEAR(`, "\x00*", "chlo", "a-b", "(AND)", "😀 stein", "OR NOT"} {
		f.Add(s)
	}
	w := newSearchWorld(f)
	w.reply(f, w.springPost, w.hope, 1, "Pricing: raise it by 10% – café owners said “yes”.")
	f.Fuzz(func(t *testing.T, q string) {
		res, err := w.db.Search(context.Background(), app.SearchQuery{Text: q, PerKind: 3})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		last := -1
		for _, g := range res.Groups {
			i := slices.IndexFunc(app.SearchKinds, func(k app.SearchKind) bool { return k.Kind == g.Kind })
			if i <= last || len(g.Hits) == 0 || len(g.Hits) > 3 || g.Total < len(g.Hits) {
				t.Fatalf("%q: group %q out of order or size (%d hits, total %d)", q, g.Kind, len(g.Hits), g.Total)
			}
			last = i
			// A snippet is one line of text parts, and what it marks is
			// exactly a word searched (accents and case aside).
			for _, h := range g.Hits {
				for _, p := range h.Snippet {
					if p.Text == "" || strings.ContainsAny(p.Text, "\n\r") {
						t.Fatalf("%q: snippet part %q", q, p.Text)
					}
					if p.Hit && !slices.ContainsFunc(searchWords(q), func(w string) bool { return string(foldWord(w)) == string(foldWord(p.Text)) }) {
						t.Fatalf("%q: marked %q, which is none of the words searched", q, p.Text)
					}
				}
			}
		}
	})
}

// A workspace from before search had its index: the migration fills it.
func TestMigrateFillsSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "workspace.db")
	old, err := openAt(path, 13)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.CreateClient(ctx, app.ClientInput{Name: "Zoë Quill", Email: "zq@example.com", Tags: []string{"founders"}}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"zoe", "founders", "quil"} {
		if got := hitIDs(search(t, db, app.SearchQuery{Text: q}), app.SearchClient); len(got) != 1 {
			t.Errorf("%q found %v, want Zoë", q, got)
		}
	}
	checkIndex(t, db)
}

// A big import indexes its clients once at its end: they are found, the index
// matches its sources, and no pause is left behind.
func TestSearchAfterBigImport(t *testing.T) {
	ctx := context.Background()
	w := newSearchWorld(t)
	s, err := w.db.CreateSession(ctx, app.SessionInput{CohortID: w.spring.ID, Title: "Call", Start: w.base.Add(72 * time.Hour),
		Minutes: 60, TimeZone: "UTC"}, "uid-3@x", noMail, seqIDs())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.SetAttendeeNote(ctx, s.ID, w.hope.ID, "Needs a nudge."); err != nil {
		t.Fatal(err)
	}
	var rows []app.ImportRow
	for i := range bulkImport + 10 {
		rows = append(rows, app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Imported Person %d", i),
			Email: fmt.Sprintf("p%d@example.com", i), Tags: []string{"lighthouse"}, Notes: "Met at the harbour fair."}})
	}
	// An update in the same import: Hope is renamed, and so is her note's item.
	rows = append(rows, app.ImportRow{Line: 999, Client: app.ClientInput{Name: "Hope Castellane", Email: "hm@example.com", Aliases: []string{"hope@example.net"}}})
	sum, err := w.db.ImportClients(ctx, rows, app.OnDuplicateUpdate, func(app.Progress) {})
	if err != nil || sum.Imported != bulkImport+10 || sum.Updated != 1 {
		t.Fatalf("got %+v, %v", sum, err)
	}
	res := search(t, w.db, app.SearchQuery{Text: "lighthouse harbour", Kinds: []string{app.SearchClient}})
	if len(res.Groups) != 1 || res.Groups[0].Total != bulkImport+10 {
		t.Errorf("got %+v, want every imported client found", res.Groups)
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "castellane"}), app.SearchAttendeeNote); !slices.Equal(got, []int64{s.ID}) {
		t.Errorf("note under the new name: %v, want session %d", got, s.ID)
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "mirren"}), app.SearchClient); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	checkNoPause(t, w.db)
	checkIndex(t, w.db)
	// After the import the triggers work again.
	c := mustClient(t, w.db, "Wren Okafor", "wren@example.com")
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "wren"}), app.SearchClient); !slices.Equal(got, []int64{c.ID}) {
		t.Errorf("a client added after the import: %v", got)
	}
}

// A run of imported mail gets its replies' search items at the end of the run
// (migration 0018): each is found with its cohort, a failed run leaves no
// item and no pause behind, and a reply written after it is indexed by the
// trigger again.
func TestSearchAfterImportMails(t *testing.T) {
	ctx := context.Background()
	w := newSearchWorld(t)
	mail := func(id string, c app.Client, postID int64, text string) app.IncomingMail {
		return app.IncomingMail{MessageID: id, Hash: "h-" + id, Kind: app.MailReply, ClientID: c.ID, PostID: postID,
			FromName: c.Name, FromEmail: c.Email, Subject: "Re: the week", Text: text, MatchReason: app.MatchToken}
	}
	run := []app.IncomingMail{
		mail("i1@x", w.hope, w.springPost, "The kayak trip settled it for me."),
		mail("i2@x", w.gold, w.fallPost, "I will paddle the kayak every Sunday."),
	}
	personal := app.IncomingMail{MessageID: "i3@x", Hash: "h-i3", Kind: app.MailPersonal, ClientID: w.ada.ID,
		FromName: w.ada.Name, FromEmail: w.ada.Email, Subject: "Our invoice", Text: "About the kayak invoice."}
	if _, err := w.db.ImportMails(ctx, append(run, personal), "a", "INBOX", 1, 10, false); err != nil {
		t.Fatal(err)
	}
	res := search(t, w.db, app.SearchQuery{Text: "kayak", Kinds: []string{app.SearchReply}})
	if len(res.Groups) != 1 || res.Groups[0].Total != 3 {
		t.Fatalf("got %+v, want the run's three replies found", res.Groups)
	}
	fall := search(t, w.db, app.SearchQuery{Text: "kayak", CohortID: w.fall.ID, Kinds: []string{app.SearchReply}})
	if len(fall.Groups) != 1 || fall.Groups[0].Total != 1 || fall.Groups[0].Hits[0].ClientID != w.gold.ID {
		t.Errorf("got %+v, want Miriam's reply alone in the fall cohort", fall.Groups)
	}

	bad := mail("i4@x", w.hope, w.springPost, "A canoe instead.")
	bad2 := bad
	bad2.MessageID, bad2.Hash, bad2.Kind = "i5@x", "h-i5", "newsletter"
	if _, err := w.db.ImportMails(ctx, []app.IncomingMail{bad, bad2}, "a", "INBOX", 1, 20, true); err == nil {
		t.Fatal("got a run with an unknown kind written")
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "canoe"}), app.SearchReply); len(got) != 0 {
		t.Errorf("a reply of the undone run is found: %v", got)
	}
	checkNoPause(t, w.db)
	// One message at a time, the trigger writes the item.
	if _, err := w.db.ImportMail(ctx, mail("i6@x", w.chloe, w.springPost, "Canoe it is.")); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "canoe"}), app.SearchReply); len(got) != 1 {
		t.Errorf("a reply imported alone: %v, want it found", got)
	}
	checkIndex(t, w.db)
}

// checkNoPause fails when a search trigger was left paused after an import.
func checkNoPause(tb testing.TB, db *DB) {
	tb.Helper()
	var paused int
	db.db.QueryRow("SELECT count(*) FROM search_paused").Scan(&paused)
	if paused != 0 {
		tb.Errorf("%d pauses left, want none", paused)
	}
}

// A reply changed in the same transaction that wrote it, while its kind's
// trigger was paused, already has its item from the UPDATE trigger: the run's
// items are still written, and that one says what the reply says now.
func TestResumeReplySearchAfterAChangeInTheRun(t *testing.T) {
	ctx := context.Background()
	w := newSearchWorld(t)
	tx, err := w.db.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := pauseSearch(tx, app.SearchReply); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"A first draft about rowing.", "Sailing, not rowing."} {
		in := app.IncomingMail{MessageID: fmt.Sprintf("u%d@x", i), Hash: fmt.Sprintf("h-u%d", i), Kind: app.MailReply,
			ClientID: w.hope.ID, PostID: w.springPost, FromName: w.hope.Name, FromEmail: w.hope.Email, Text: text}
		if _, err := w.db.importMail(tx, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.exec("UPDATE replies SET text = 'A second draft about canoes.' WHERE text LIKE 'A first draft%'"); err != nil {
		t.Fatal(err)
	}
	if err := resumeReplySearch(tx, 0); err != nil {
		t.Fatalf("got %v, want the run's items written beside the one the change wrote", err)
	}
	if err := commit(tx); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "canoes"}), app.SearchReply); len(got) != 1 {
		t.Errorf("the changed reply: %v, want it found by its new words", got)
	}
	if got := hitIDs(search(t, w.db, app.SearchQuery{Text: "sailing"}), app.SearchReply); len(got) != 1 {
		t.Errorf("the other reply: %v, want it found", got)
	}
	checkNoPause(t, w.db)
	checkIndex(t, w.db)
}
