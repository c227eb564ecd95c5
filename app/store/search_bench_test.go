package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// Words members write, most common first (the generator draws them with a
// Zipf distribution), then made-up words for a long tail.
var benchWords = strings.Fields(`the to and I my a of in for this is it week on with that me have was
	be we but not so what about group goal clients call time more work plan will feel one just from
	pricing launch offer client email workshop progress stuck help thanks idea next started finished
	revenue course coaching session accountability retreat podcast newsletter website proposal partner
	referral budget hiring team energy morning routine writing chapter book workshop webinar funnel
	sales marketing mindset confidence boundaries delegation invoice contract mentor network conference
	café résumé naïve façade déjà über jalapeño piñata Zürich Kraków`)

var benchFirst = strings.Fields(`Ada Grace Chloé Miriam Hope Élodie Zoë Björn Ana Ben Carla David Emma Farid Gita Hugo Ines
	Jonas Kai Lena Marco Nadia Omar Priya Quinn Rosa Sven Tomás Uma Viktor Wen Yusuf Zara`)

var benchLast = strings.Fields(`Lovelace Hopper Dubois Goldstein Mirren Durand Quill Berg Novak Okafor Rossi Schmidt
	Tanaka Umarov Vargas Weber Xu Yilmaz Zimmermann Andersson Brennan Castillo Dimitrov Eriksen Fischer`)

// seedSearchWorkspace writes clients and members' replies (and a post for
// every hundred replies) straight into the tables, in one transaction; the
// triggers index them as they go.
func seedSearchWorkspace(tb testing.TB, db *DB, clients, replies int, seed uint64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	vocab := slices.Clone(benchWords)
	for i := range 5000 {
		vocab = append(vocab, fmt.Sprintf("%s%s%d", []string{"zo", "ka", "mi", "ter", "lun", "bra"}[i%6], []string{"ven", "rat", "lio", "sk"}[i%4], i))
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		return b.String()
	}
	tx, err := db.db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	stamp := func(i, n int) string {
		return base.Add(time.Duration(i) * (4 * 365 * 24 * time.Hour / time.Duration(n))).Format(timeFormat)
	}
	cohorts := max(1, clients/100)
	for h := range cohorts {
		if _, err := tx.Exec(`INSERT INTO cohorts (id, name, kind, created_at, updated_at) VALUES (?, ?, 'mastermind', ?, ?)`,
			h+1, fmt.Sprintf("Circle %d", h+1), stamp(0, 1), stamp(0, 1)); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range clients {
		name := benchFirst[rng.IntN(len(benchFirst))] + " " + benchLast[rng.IntN(len(benchLast))]
		at := stamp(i, clients)
		if _, err := tx.Exec(`INSERT INTO clients (id, name, email, goals, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			i+1, name, fmt.Sprintf("c%d@example.com", i+1), text(8), text(30), at, at); err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO memberships (cohort_id, client_id, joined_at) VALUES (?, ?, ?)`, i%cohorts+1, i+1, at); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range replies {
		at := stamp(i, replies)
		post := i/100 + 1
		if i%100 == 0 {
			if _, err := tx.Exec(`INSERT INTO posts (id, cohort_id, kind, subject, body, status, created_at, updated_at, queued_at)
				VALUES (?, ?, 'announcement', ?, ?, 'queued', ?, ?, ?)`, post, post%cohorts+1, "Week "+text(3), text(150), at, at, at); err != nil {
				tb.Fatal(err)
			}
		}
		client := rng.IntN(clients) + 1
		res, err := tx.Exec(`INSERT INTO inbox_messages (message_id, content_hash, kind, client_id, imported_at) VALUES (?, ?, 'reply', ?, ?)`,
			fmt.Sprintf("r%d@example.com", i), fmt.Sprintf("h%d", i), client, at)
		if err != nil {
			tb.Fatal(err)
		}
		msg, _ := res.LastInsertId()
		if _, err := tx.Exec(`INSERT INTO replies (inbox_message_id, state, post_id, client_id, from_name, from_email, subject,
			received_at, text, quoted) VALUES (?, 'threaded', ?, ?, 'Member', ?, 'Re: the week', ?, ?, '')`,
			msg, post, client, fmt.Sprintf("c%d@example.com", client), at, text(20+rng.IntN(80))); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// benchQueries are what a coach types, including the prefixes on the way to
// a word (the window searches as they type, from two characters).
var benchQueries = []app.SearchQuery{
	{Text: "grace hopper"}, {Text: "gr"}, {Text: "gra"}, {Text: "grace"}, {Text: "chloe dub"},
	{Text: "pricing"}, {Text: "pri"}, {Text: "pricing launch"}, {Text: "accountability retreat"},
	{Text: "the"}, {Text: "week"}, {Text: "zurich"}, {Text: "resume"}, {Text: "stein"}, {Text: "ldst"},
	{Text: "kaven4"}, {Text: "mirat1234"}, {Text: "c4242@example.com"}, {Text: "budget", Kinds: []string{app.SearchReply}},
	{Text: "mentor", CohortID: 3}, {Text: "invoice", ClientID: 77}, {Text: "newsletter podcast"}, {Text: "\"NEAR(*"},
	{Text: "webinar", From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)},
}

// BenchmarkSearch searches a workspace of 10,000 clients and 100,000 replies
// (BENCH_SEARCH_CLIENTS and BENCH_SEARCH_REPLIES change that) with the
// queries above, as the window does (five per kind), and reports the
// percentiles of one search. BENCH_SEARCH_DB keeps the workspace at that path
// (made once, reused) for timing the CLI on it.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	clients, replies := envInt("BENCH_SEARCH_CLIENTS", 10000), envInt("BENCH_SEARCH_REPLIES", 100000)
	var db *DB
	var err error
	path := os.Getenv("BENCH_SEARCH_DB")
	if path != "" {
		_, statErr := os.Stat(path)
		if db, err = Open(path); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if statErr != nil {
			seedSearchWorkspace(b, db, clients, replies, 1)
		}
	} else {
		db = openTest(b)
		start := time.Now()
		seedSearchWorkspace(b, db, clients, replies, 1)
		b.Logf("seeded %d clients and %d replies in %s", clients, replies, time.Since(start).Round(time.Millisecond))
	}
	if st, err := os.Stat(db.path); err == nil {
		b.Logf("workspace: %.1f MB", float64(st.Size())/(1<<20))
	}
	if n := envInt("BENCH_SEARCH_CAP", 0); n > 0 {
		defer func(old int) { searchCandidatesMax = old }(searchCandidatesMax)
		searchCandidatesMax = n
	}
	var times []time.Duration
	each := map[string][]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range benchQueries {
			start := time.Now()
			if _, err := db.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			times = append(times, d)
			each[q.Text] = append(each[q.Text], d)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
	var lines []string
	for _, q := range benchQueries {
		ds := each[q.Text]
		slices.Sort(ds)
		lines = append(lines, fmt.Sprintf("%-28q median %-8s worst %s", q.Text, ds[len(ds)/2].Round(10*time.Microsecond), ds[len(ds)-1].Round(10*time.Microsecond)))
	}
	b.Log("per query:\n" + strings.Join(lines, "\n"))
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
