package inbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
)

// TestWatchSaysWhenAReplyArrives: with the folder watched, a reply that lands
// is announced within seconds, then imported by an ordinary sync; watching
// itself downloads nothing and stops when asked.
func TestWatchSaysWhenAReplyArrives(t *testing.T) {
	w := newWorld(t, capsRev2)
	ctx, cancel := context.WithCancel(context.Background())
	arrived := make(chan struct{}, 10)
	done := make(chan error, 1)
	go func() {
		done <- inbox.Watch(ctx, inbox.DialerFor(w.srv.config()), "INBOX", func() { arrived <- struct{}{} })
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(w.srv.sent(), "+ idling") {
		if time.Now().After(deadline) {
			t.Fatalf("the watcher never started idling; the server sent:\n%s", w.srv.sent())
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-arrived:
		t.Fatal("announced mail before any arrived")
	default:
	}
	w.srv.deliver(t, "INBOX", w.mail(t, "gmail_reply.eml", w.members[0], "w1"))
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("a reply arrived and the watcher said nothing")
	}
	if strings.Contains(w.srv.sent(), "BODY[") {
		t.Fatal("the watcher downloaded mail; only a sync may")
	}
	if sum := w.mustSync(t, inbox.Options{Account: "a"}); sum.Imported != 1 {
		t.Fatalf("got %+v, want the announced reply imported by the sync", sum)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want the watcher stopped by its context", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not stop")
	}
}

// TestWatchEndsWhenTheConnectionDrops: a watcher whose connection is cut says
// so (the window dials again after a pause and keeps polling meanwhile).
func TestWatchEndsWhenTheConnectionDrops(t *testing.T) {
	w := newWorld(t, capsRev2)
	done := make(chan error, 1)
	go func() {
		done <- inbox.Watch(context.Background(), inbox.DialerFor(w.srv.config()), "INBOX", func() {})
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(w.srv.sent(), "+ idling"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the watcher never started idling")
		}
	}
	w.srv.dropConnections()
	select {
	case err := <-done:
		if app.ErrorCode(err) != app.EUNAVAILABLE {
			t.Fatalf("got %v, want the lost connection reported as unavailable", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not notice the connection was gone")
	}
}
