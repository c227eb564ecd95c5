//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/home"
)

// The home screen's benchmark workspace: 10,000 clients in 400 cohorts of 25
// (every kind), 12 posts per cohort, 20,000 copies in the outbox (a few failed
// or waiting), 80,000 replies over the last two years (the newest 500 unread),
// and a weekly session per cohort with attendance taken: 100,000 messages in
// all. Written with SQL in one transaction (the store's own calls would take
// minutes), once per run, and copied for each benchmark.
var (
	homeBenchNow  = time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	homeBenchOnce sync.Once
	homeBenchPath string
	homeBenchErr  error
)

const (
	benchCohorts   = 400
	benchPerCohort = 25
	benchPosts     = 12
	benchReplies   = 80000
	benchCopies    = 20000
)

func homeBenchTemplate() (string, error) {
	homeBenchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "home-bench")
		if err != nil {
			homeBenchErr = err
			return
		}
		homeBenchPath = filepath.Join(dir, "template.db")
		homeBenchErr = writeHomeBench(homeBenchPath)
	})
	return homeBenchPath, homeBenchErr
}

func writeHomeBench(path string) error {
	db, err := Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	now := homeBenchNow.Format(timeFormat)
	kinds := `CASE n % 6 WHEN 0 THEN 'mastermind' WHEN 1 THEN 'group_coaching' WHEN 2 THEN 'micro_community'
		WHEN 3 THEN 'course_cohort' WHEN 4 THEN 'community_of_practice' ELSE 'other' END`
	// ts(hours) is a time that many hours before now.
	ts := func(hours string) string {
		return `strftime('%Y-%m-%dT%H:%M:%S.000Z', '` + now + `', '-' || (` + hours + `) || ' hours')`
	}
	seq := func(n int) string {
		return "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " + strconv.Itoa(n) + ") "
	}
	stmts := []string{
		seq(benchCohorts*benchPerCohort) + `INSERT INTO clients (id, name, email, created_at, updated_at, sort_key)
			SELECT n, 'Member ' || n, 'member' || n || '@example.com', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', printf('%08d', n) FROM s`,
		seq(benchCohorts) + `INSERT INTO cohorts (id, name, kind, purpose, created_at, updated_at)
			SELECT n, 'Cohort ' || n, ` + kinds + `, CASE WHEN n % 5 = 0 THEN '' ELSE 'A purpose' END, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z' FROM s`,
		seq(benchCohorts*benchPerCohort) + `INSERT INTO memberships (cohort_id, client_id, joined_at)
			SELECT (n - 1) / ` + strconv.Itoa(benchPerCohort) + ` + 1, n, '2024-06-01T00:00:00.000Z' FROM s`,
		seq(benchCohorts*benchPosts) + `INSERT INTO posts (id, cohort_id, subject, body, status, created_at, updated_at, queued_at)
			SELECT n, (n - 1) / ` + strconv.Itoa(benchPosts) + ` + 1, 'Week ' || n, 'Body', 'queued', ` + ts("n % 17520") + `, ` + ts("n % 17520") + `, ` + ts("n % 17520") + ` FROM s`,
		seq(benchCopies) + `INSERT INTO outbox (post_id, client_id, name, email, message_id, token, state, next_attempt_at, last_answer, created_at, updated_at, sent_at)
			SELECT ((n - 1) / ` + strconv.Itoa(benchPerCohort) + `) * ` + strconv.Itoa(benchPosts) + ` % ` + strconv.Itoa(benchCohorts*benchPosts) + ` + 1, n % 10000 + 1, 'M', 'm@example.com', 'o' || n || '@x', 't' || n,
			CASE WHEN n % 200 = 0 THEN 'failed' WHEN n % 400 = 1 THEN 'queued' ELSE 'sent' END, ` + ts("n % 48") + `,
			CASE WHEN n % 200 = 0 THEN 'The server refused the address: no such mailbox. Check the address on the client''s page.' ELSE '250 OK' END,
			` + ts("n % 48") + `, ` + ts("n % 48") + `, ` + ts("n % 48") + ` FROM s`,
		seq(benchReplies) + `INSERT INTO inbox_messages (id, message_id, content_hash, kind, client_id, imported_at)
			SELECT n, 'r' || n || '@x', 'h' || n, 'reply', ((n % ` + strconv.Itoa(benchCohorts) + `) * ` + strconv.Itoa(benchPerCohort) + `) + (n * 7919) % ` + strconv.Itoa(benchPerCohort) + ` + 1, ` + ts("(n * 13) % 17520") + ` FROM s`,
		`INSERT INTO replies (inbox_message_id, state, post_id, client_id, from_name, from_email, subject, received_at, text, quoted, trust, read_at)
			SELECT m.id, 'threaded', (m.id % ` + strconv.Itoa(benchCohorts) + `) * ` + strconv.Itoa(benchPosts) + ` + m.id % ` + strconv.Itoa(benchPosts) + ` + 1, m.client_id, 'M', 'm@example.com', 'Re: Week',
			m.imported_at, 'This week I wrote the first chapter and sent the proposal to two clients; one said yes, the other wants to talk next month.', '',
			CASE WHEN m.id % 97 = 0 THEN 'unverified' ELSE 'plausible' END, CASE WHEN m.id > ` + strconv.Itoa(benchReplies-500) + ` THEN NULL ELSE m.imported_at END
			FROM inbox_messages m`,
		seq(benchCohorts) + `INSERT INTO sessions (id, uid, cohort_id, title, start_at, minutes, time_zone, every_weeks, created_at, updated_at)
			SELECT n, 'u' || n, n, 'Weekly call', ` + ts("24 * 7 * 4 - n % 100") + `, 60, 'Europe/Paris', 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z' FROM s`,
		`INSERT INTO session_attendees (session_id, client_id, invited_at, attended)
			SELECT m.cohort_id, m.client_id, '2024-01-01T00:00:00.000Z', m.client_id % 3 <> 0 FROM memberships m`,
	}
	tx, err := db.begin(context.Background())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range stmts {
		if _, err := tx.exec(q); err != nil {
			return err
		}
	}
	if err := commit(tx); err != nil {
		return err
	}
	_, err = db.db.Exec("ANALYZE")
	return err
}

// BenchmarkHome builds the home screen of the 10,000-client, 100,000-message
// workspace: every store query and the computation on top (goal: under 150 ms).
//
//	go test -tags sqlite_fts5 -run '^$' -bench Home -benchtime 20x ./app/store/
func BenchmarkHome(b *testing.B) {
	template, err := homeBenchTemplate()
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(template)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.SaveSetting(ctx, "coach_time_zone", "Europe/Paris"); err != nil {
		b.Fatal(err)
	}
	var h app.Home
	// The machine may be shared: CPU time per build says what wall time
	// would be on an idle one.
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if h, err = home.Build(ctx, db, homeBenchNow); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	if len(h.Cohorts) != benchCohorts || h.QuietTotal == 0 || len(h.Quiet) != app.QuietListMax || len(h.Outbox.Failed) == 0 || len(h.Agenda) == 0 {
		b.Fatalf("got %d cohorts, %d quiet (%d listed), %d failures, %d agenda items: the workspace is not what the figure claims",
			len(h.Cohorts), h.QuietTotal, len(h.Quiet), len(h.Outbox.Failed), len(h.Agenda))
	}
	b.ReportMetric(float64(h.QuietTotal), "quiet")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
