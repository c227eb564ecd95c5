package outbox

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/store"
)

// announcement is a typical weekly announcement of about 400 words.
var announcement = func() string {
	p := "This week we look at how **{{first_name}}** plans the quarter: what to keep, what to drop, and who to ask for help. " +
		"Bring one concrete goal to the call on Thursday, and [read the worksheet](https://example.com/worksheet) first. "
	s := "Hi {{first_name}},\n\n"
	for range 10 {
		s += p + "\n\n"
	}
	return s + "- Review last week\n- Pick one goal\n- Tell the group\n\nSee you soon,\nCoach"
}()

// benchWorkspace makes a workspace with one post queued to n members.
func benchWorkspace(b *testing.B, n int) *store.DB {
	b.Helper()
	return benchWorkspaceTo(b, n, func(i int) string { return fmt.Sprintf("m%05d@example.org", i) })
}

// benchWorkspaceTo is benchWorkspace with member i at address email(i).
func benchWorkspaceTo(b *testing.B, n int, email func(i int) string) *store.DB {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "w.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Big"})
	rows := make([]app.ImportRow, n)
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Member %d", i), Email: email(i)}}
	}
	if _, err := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		b.Fatal(err)
	}
	ids, _ := db.ClientIDs(ctx, app.ClientFilter{})
	db.AddMembers(ctx, cohort.ID, ids, "")
	p, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 12: {{first_name}}, your quarter", Body: announcement})
	var i int
	if _, err := db.QueuePost(ctx, p.ID, withIDs(func() (string, string) {
		i++
		return fmt.Sprintf("bench.%d@example.com", i), fmt.Sprintf("%016d", i)
	})); err != nil {
		b.Fatal(err)
	}
	return db
}

func loopbackDialer(srv *smtptest.Server) Dialer {
	return func(ctx context.Context) (Conn, error) {
		c, err := submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.Port, Security: app.SecurityNone})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// BenchmarkSend1000 renders and sends 1,000 personalised messages through the
// worker (ledger writes included) to a loopback SMTP server, with rate limits off,
// and in the same run sends the same bytes in a plain loop over one connection:
// the physical limit here. It reports msgs/s for both and their ratio.
func BenchmarkSend1000(b *testing.B) {
	const n = 1000
	var workerTime, plainTime time.Duration
	for b.Loop() {
		b.StopTimer()
		db := benchWorkspace(b, n)
		srv := smtptest.Start(b, smtptest.Options{Hooks: smtptest.Hooks{Discard: true}})
		w := New(db, loopbackDialer(srv), Config{From: from}, nil)
		// The same messages, rendered beforehand, for the plain loop.
		var msgs [][]byte
		var to []string
		job, _ := db.NextDue(context.Background(), time.Now().Add(time.Hour), 0)
		raw, _, _ := compose.Message(from, job, nil)
		for _, it := range must(db.Outbox(context.Background(), app.OutboxFilter{})) {
			msgs, to = append(msgs, raw), append(to, it.Email)
		}
		b.StartTimer()

		start := time.Now()
		if err := w.Drain(context.Background()); err != nil {
			b.Fatal(err)
		}
		workerTime += time.Since(start)

		b.StopTimer()
		start = time.Now()
		c, err := loopbackDialer(srv)(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for i, m := range msgs {
			if _, err := c.SendWhen(from.Email, to[i], m, nil); err != nil {
				b.Fatal(err)
			}
		}
		c.Close()
		plainTime += time.Since(start)
		if got := srv.Accepted(); got != 2*n {
			b.Fatalf("got %d accepted, want %d", got, 2*n)
		}
		b.StartTimer()
	}
	runs := float64(b.N)
	b.ReportMetric(n*runs/workerTime.Seconds(), "msgs/s")
	b.ReportMetric(n*runs/plainTime.Seconds(), "plain-msgs/s")
	b.ReportMetric(workerTime.Seconds()/plainTime.Seconds(), "ratio")
}

// BenchmarkSendMemory sends 1,000 and 10,000 messages and reports the peak heap
// seen while sending: it should not grow with the list.
func BenchmarkSendMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				b.StopTimer()
				db := benchWorkspace(b, n)
				srv := smtptest.Start(b, smtptest.Options{Hooks: smtptest.Hooks{Discard: true}})
				runtime.GC()
				var ms runtime.MemStats
				sample := func(app.Progress) {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				w := New(db, loopbackDialer(srv), Config{From: from}, func(p app.Progress) {
					if p.Done%100 == 0 {
						sample(p)
					}
				})
				b.StartTimer()
				if err := w.Drain(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
