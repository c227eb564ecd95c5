package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func TestLatestWritten(t *testing.T) {
	ctx := context.Background()
	db, p, ana, ben, _ := inboxWorld(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	add := func(from app.Client, n int, guess bool) {
		t.Helper()
		in := app.IncomingMail{Account: "a", Folder: "INBOX", UIDValidity: 1, UID: uint32(n),
			MessageID: fmt.Sprintf("r%d@x", n), Hash: fmt.Sprintf("h%d", n), Kind: app.MailReply,
			ClientID: from.ID, PostID: p.ID, FromEmail: from.Email, Subject: "Re: Week 1", SentAt: at.Add(time.Duration(n) * time.Hour),
			Text: fmt.Sprintf("reply %d", n), Quoted: "> Hello", MatchReason: app.MatchToken, Guess: guess}
		if ok, err := db.ImportMail(ctx, in); err != nil || !ok {
			t.Fatalf("got %v, %v importing reply %d; want it imported", ok, err, n)
		}
	}
	for n := 1; n <= 4; n++ {
		add(ana, n, false)
	}
	add(ben, 5, false)
	add(ana, 6, true)

	t.Run("OK", func(t *testing.T) {
		rs, err := db.LatestWritten(ctx, ana.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.Text)
		}
		// Ben's reply is his; reply 6 was only guessed to be Ana's.
		if want := "[reply 2 reply 3 reply 4]"; fmt.Sprint(got) != want {
			t.Fatalf("got %v, want %s", got, want)
		}
		if rs[0].Quoted != "> Hello" {
			t.Errorf("got Quoted %q, want the quoted part kept", rs[0].Quoted)
		}
	})

	t.Run("OKNone", func(t *testing.T) {
		c := mustClient(t, db, "Cleo", "cleo@example.com")
		if rs, err := db.LatestWritten(ctx, c.ID, 3); err != nil || len(rs) != 0 {
			t.Fatalf("got %v, %v; want no replies", rs, err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := db.LatestWritten(ctx, ana.ID, 0)
		wantCode(t, err, app.EINVALID)
	})
}
