package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// queueOutbox queues one post to n new members of a new cohort.
func queueOutbox(tb testing.TB, db *DB, n int) app.Post {
	tb.Helper()
	ctx := context.Background()
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for i := range n {
		ids = append(ids, mustClient(tb, db, fmt.Sprintf("Member %d", i), fmt.Sprintf("m%03d@example.org", i)).ID)
	}
	if _, err := db.AddMembers(ctx, h.ID, ids, ""); err != nil {
		tb.Fatal(err)
	}
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Week 1", Body: "Hi"})
	if err != nil {
		tb.Fatal(err)
	}
	if p, err = db.QueuePost(ctx, p.ID, withIDs(queueIDs())); err != nil {
		tb.Fatal(err)
	}
	return p
}

// openUnlocked opens a second writer on path without the workspace lock, as a
// sender that bypassed it would.
func openUnlocked(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := open(path, openOptions{target: SchemaVersion(), noLock: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestTwoHandlesRaceForClaims lets two writers on one file, neither holding the
// lock, claim and record messages as fast as they can, each recovering
// "abandoned" claims before every claim as a restarted sender would: every
// message is claimed and recorded sent exactly once.
func TestTwoHandlesRaceForClaims(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "workspace.db")
	a := openUnlocked(t, path)
	queueOutbox(t, a, 60)
	b := openUnlocked(t, path)

	var mu sync.Mutex
	sentBy := map[int64][]string{}
	var wg sync.WaitGroup
	for name, db := range map[string]*DB{"a": a, "b": b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := db.RecoverSending(ctx); err != nil {
					t.Error(err)
					return
				}
				job, err := db.NextDue(ctx, time.Now().Add(time.Hour), 0)
				if app.ErrorCode(err) == app.ENOTFOUND {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				if err := db.MarkSending(ctx, job.Item.ID); app.ErrorCode(err) == app.ECONFLICT {
					continue // the other one claimed it first
				} else if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sentBy[job.Item.ID] = append(sentBy[job.Item.ID], name)
				mu.Unlock()
				if _, err := db.MarkSentAndSending(ctx, job.Item.ID, "250 ok", 0, true); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := len(sentBy); got != 60 {
		t.Fatalf("got %d messages sent, want 60", got)
	}
	for id, by := range sentBy {
		if len(by) != 1 {
			t.Errorf("message %d: got claimed by %v, want once", id, by)
		}
	}
	counts, _ := a.OutboxCounts(ctx, 0)
	if counts[app.OutboxSent] != 60 {
		t.Fatalf("got %v, want all 60 sent", counts)
	}
}

// TestClaimOwnerAndLease checks who may touch a claim: only its owner records
// the outcome or renews it; another sender recovers it only once its lease has
// run out; a renewed lease keeps it alive; a new holder of the workspace lock
// recovers the claim of the holder before it at once.
func TestClaimOwnerAndLease(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "workspace.db")
	a := openUnlocked(t, path)
	queueOutbox(t, a, 2)
	b := openUnlocked(t, path)
	clock := time.Now()
	a.Now = func() time.Time { return clock }
	b.Now = func() time.Time { return clock }

	job, err := a.NextDue(ctx, clock, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.MarkSending(ctx, job.Item.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrNotTheOwner", func(t *testing.T) {
		_, err := b.MarkSentAndSending(ctx, job.Item.ID, "250 ok", 0, true)
		wantCode(t, err, app.ECONFLICT)
		wantCode(t, b.MarkRetry(ctx, job.Item.ID, "451", clock), app.ECONFLICT)
		wantCode(t, b.MarkFailed(ctx, job.Item.ID, "550"), app.ECONFLICT)
		wantCode(t, b.Requeue(ctx, job.Item.ID), app.ECONFLICT)
		wantCode(t, b.RenewClaim(ctx, job.Item.ID), app.ECONFLICT)
	})

	t.Run("LiveClaimNotRecovered", func(t *testing.T) {
		clock = clock.Add(DefaultLease - time.Second)
		if n, err := b.RecoverSending(ctx); err != nil || n != 0 {
			t.Fatalf("got %d recovered (%v), want 0: the lease still runs", n, err)
		}
		if err := a.RenewClaim(ctx, job.Item.ID); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(DefaultLease - time.Second) // past the first lease, within the renewed one
		if n, err := b.RecoverSending(ctx); err != nil || n != 0 {
			t.Fatalf("got %d recovered (%v), want 0: the lease was renewed", n, err)
		}
	})

	t.Run("ExpiredClaimRecovered", func(t *testing.T) {
		clock = clock.Add(2 * time.Second)
		if n, err := b.RecoverSending(ctx); err != nil || n != 1 {
			t.Fatalf("got %d recovered (%v), want 1: the lease ran out", n, err)
		}
		// The old owner comes back to life: its outcome no longer counts.
		_, err := a.MarkSentAndSending(ctx, job.Item.ID, "250 ok", 0, true)
		wantCode(t, err, app.ECONFLICT)
	})

	t.Run("NewLockHolderRecoversTheOldHoldersClaims", func(t *testing.T) {
		a.Close()
		b.Close()
		first, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		job, err := first.NextDue(ctx, time.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := first.MarkSending(ctx, job.Item.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := first.RecoverSending(ctx); n != 0 {
			t.Fatalf("got %d of its own live claims recovered, want 0", n)
		}
		first.Close() // as a crash would: the OS frees the lock
		second, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		if n, err := second.RecoverSending(ctx); err != nil || n != 1 {
			t.Fatalf("got %d recovered (%v), want the old holder's claim at once", n, err)
		}
	})
}
