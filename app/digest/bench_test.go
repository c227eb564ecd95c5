package digest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/store"
)

// The digest build benchmark's workspace: a cohort whose members all got five
// posts on Monday, and 5,000 replies to them from its first 500 members on
// Tuesday; the digests are due on Friday at 09:00 (the coach's zone, UTC).
const (
	benchReplies  = 5000
	benchPosts    = 5
	benchRepliers = 500
	benchMaxSize  = 8000
)

var (
	benchMonday = time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC)
	benchFriday = time.Date(2025, 11, 28, 9, 30, 0, 0, time.UTC)
	benchFrom   = compose.From{Name: "Sam Coach", Email: "coach@example.com", PlusAddressing: true}
)

// benchWorkspace opens a copy of the template workspace (benchMaxSize
// members) and turns the members past the size to delivery "none" (one
// transaction), so every size carries the same items.
func benchWorkspace(b *testing.B, template string, members int) *store.DB {
	b.Helper()
	raw, err := os.ReadFile(template)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "w.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	clock := benchFriday
	db.Now = func() time.Time { return clock }
	ctx := context.Background()
	ids, err := db.ClientIDs(ctx, app.ClientFilter{})
	if err != nil {
		b.Fatal(err)
	}
	if members < len(ids) {
		if _, err := db.SetDelivery(ctx, 1, ids[members:], app.DeliveryNone); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func makeBenchTemplate(dir string) (string, error) {
	path := filepath.Join(dir, "template.db")
	db, err := store.Open(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	clock := benchMonday
	db.Now = func() time.Time { return clock }
	ctx := context.Background()
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "UTC"); err != nil {
		return "", err
	}
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Big circle", Kind: app.KindMastermind})
	if err != nil {
		return "", err
	}
	rows := make([]app.ImportRow, benchMaxSize)
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%05d@example.org", i)}}
	}
	if _, err := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		return "", err
	}
	ids, err := db.ClientIDs(ctx, app.ClientFilter{})
	if err != nil {
		return "", err
	}
	if _, err := db.AddMembers(ctx, cohort.ID, ids, ""); err != nil {
		return "", err
	}
	var posts []app.Post
	for i := range benchPosts {
		p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: fmt.Sprintf("Week %d: one step", i+1),
			Body: "What is the **one step** you take this week?"})
		if err != nil {
			return "", err
		}
		if p, err = db.QueuePost(ctx, p.ID, compose.NewIDs(benchFrom)); err != nil {
			return "", err
		}
		posts = append(posts, p)
	}
	clock = benchMonday.AddDate(0, 0, 1)
	words := strings.Fields("I tried the morning pages every day this week and it changed how I start work before the calls")
	for i := range benchReplies {
		m := i % benchRepliers
		n := 8 + i%40 // 8 to 47 words; every 40th reply longer than the cut
		if i%40 == 0 {
			n = 160
		}
		var text strings.Builder
		for w := range n {
			text.WriteString(words[(i+w)%len(words)] + " ")
		}
		clock = clock.Add(time.Second)
		in := app.IncomingMail{MessageID: fmt.Sprintf("r%d@example.org", i), Hash: fmt.Sprint("h", i), Kind: app.MailReply,
			ClientID: ids[m], PostID: posts[i%benchPosts].ID, FromName: fmt.Sprintf("Member %d", m), FromEmail: fmt.Sprintf("m%05d@example.org", m),
			Subject: "Re: " + posts[i%benchPosts].Subject, Text: strings.TrimSpace(text.String()), MatchReason: app.MatchToken,
			Trust: app.TrustVerified}
		if _, err := db.ImportMail(ctx, in); err != nil {
			return "", err
		}
	}
	return path, nil
}

// BenchmarkDigestBuild builds the Friday digests of a cohort over 5,000 new
// replies: digest.Run records them (RecordDigests: one edition, one digest and
// outbox copy per member, in one transaction), then each queued digest is
// loaded and composed into the message the outbox would hand to SMTP. It
// reports the seconds of each half (record-s, render-s), the whole (ms/op) and
// the peak live heap during the build (peak-heap-MB, sampled every
// millisecond), at 500, 2,000 and 8,000 members: the peak should not grow with
// the members, since one member's digest is held at a time.
func BenchmarkDigestBuild(b *testing.B) {
	template, err := makeBenchTemplate(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{500, 2000, 8000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			benchDigestBuild(b, template, n)
		})
	}
}

func benchDigestBuild(b *testing.B, template string, members int) {
	ctx := context.Background()
	var record, render time.Duration
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		db := benchWorkspace(b, template, members)
		runtime.GC()
		stop := samplePeakHeap()
		b.StartTimer()

		start := time.Now()
		sum, err := digest.Run(ctx, db, benchFriday, compose.NewIDs(benchFrom))
		if err != nil {
			b.Fatal(err)
		}
		record += time.Since(start)
		start = time.Now()
		sent := composeAll(b, db, members)
		render += time.Since(start)

		b.StopTimer()
		if p := stop(); p > peak {
			peak = p
		}
		if sum.Digests != members || sent != members {
			b.Fatalf("got %d digests queued and %d composed, want %d", sum.Digests, sent, members)
		}
		db.Close()
		b.StartTimer()
	}
	runs := float64(b.N)
	b.ReportMetric(record.Seconds()/runs, "record-s")
	b.ReportMetric(render.Seconds()/runs, "render-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// composeAll composes every queued digest as the outbox worker does (the
// digest loaded by id with its item tokens, then compose.Message) and returns
// how many there were. A fresh workspace numbers its digests from 1.
func composeAll(b *testing.B, db *store.DB, members int) int {
	ctx := context.Background()
	n := 0
	for id := int64(1); id <= int64(members); id++ {
		d, err := db.Digest(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if d.State == "" {
			continue // nothing new for them: recorded, not sent
		}
		job := app.OutboxJob{Item: app.OutboxItem{Name: d.Name, Email: d.Email, MessageID: d.MessageID},
			Post: app.Post{CohortID: d.CohortID, Cohort: d.Cohort, Kind: "digest"}, Token: "abcdefghijklmnopqrstuvwxyz",
			UnsubscribeToken: "unsubscribetoken", DigestID: d.ID, Digest: &d, CreatedAt: benchFriday}
		raw, _, err := compose.Message(benchFrom, job, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(raw) == 0 {
			b.Fatal("got an empty message")
		}
		n++
	}
	return n
}

// samplePeakHeap samples the live heap (bytes in heap objects) every
// millisecond until the returned stop is called, and stop returns the peak
// above the heap at the start.
func samplePeakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		if peak < base {
			return 0
		}
		return peak - base
	}
}
