package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

// The batch look-ups a sync screens with say, for every key, what the single
// look-up says: clients by address or alias in any case, ignored senders,
// copies by token and by Message-ID, a cohort's thread, and nothing for keys
// that name nothing — across more keys than one IN list holds.
func TestBatchLookupsAgreeWithSingleOnes(t *testing.T) {
	ctx := context.Background()
	db, _, ana, ben, ids := inboxWorld(t)
	if _, err := db.db.Exec("INSERT INTO client_aliases (client_id, email) VALUES (?, ?)", ben.ID, "ben.work@example.net"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec("UPDATE cohorts SET thread_id = 'thread-1@example.com'"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IgnoreSender(ctx, "news@shop.example"); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	rows, err := db.db.Query("SELECT token FROM outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tok string
		rows.Scan(&tok)
		tokens = append(tokens, tok)
	}
	rows.Close()
	if len(tokens) != 2 {
		t.Fatalf("got tokens %v, want Ana's and Ben's copies'", tokens)
	}
	emails := []string{ana.Email, "ANA@Example.com", "Ben.Work@example.net", "news@shop.example", "NEWS@shop.example", "nobody@example.org"}
	tokens = append(tokens, "nosuchtoken0000")
	msgIDs := []string{ids[ana.ID], ids[ben.ID], "thread-1@example.com", "elsewhere@example.org"}
	for i := range 2 * chunkKeys {
		emails = append(emails, fmt.Sprintf("stranger%d@example.org", i))
		tokens = append(tokens, fmt.Sprintf("nosuch%09d", i))
		msgIDs = append(msgIDs, fmt.Sprintf("other%d@example.org", i))
	}

	clients, err := db.ClientEmails(ctx, emails)
	if err != nil {
		t.Fatal(err)
	}
	ignored, err := db.IgnoredSenders(ctx, emails)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emails {
		_, err := db.FindClientByEmail(ctx, e)
		if want := err == nil; clients[e] != want {
			t.Errorf("ClientEmails says %v for %s, FindClientByEmail %v", clients[e], e, err)
		}
		want, err := db.SenderIgnored(ctx, e)
		if err != nil || ignored[e] != want {
			t.Errorf("IgnoredSenders says %v for %s, SenderIgnored %v, %v", ignored[e], e, want, err)
		}
	}
	if !clients["Ben.Work@example.net"] || !ignored["NEWS@shop.example"] || len(clients) != 3 || len(ignored) != 2 {
		t.Errorf("got clients %v, ignored %v; want Ana twice and Ben's alias, the shop twice", clients, ignored)
	}

	byToken, err := db.SentByTokens(ctx, tokens)
	if err != nil {
		t.Fatal(err)
	}
	byID, err := db.SentByMessageIDs(ctx, msgIDs)
	if err != nil {
		t.Fatal(err)
	}
	agree := func(kind, key string, got app.SentRef, ok bool, want app.SentRef, err error) {
		t.Helper()
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("%s %s: batch %+v (%v), single %+v (%v)", kind, key, got, ok, want, err)
		}
	}
	for _, k := range tokens {
		want, err := db.SentByToken(ctx, k)
		got, ok := byToken[k]
		agree("token", k, got, ok, want, err)
	}
	for _, k := range msgIDs {
		want, err := db.SentByMessageID(ctx, k)
		got, ok := byID[k]
		agree("Message-ID", k, got, ok, want, err)
	}
	if len(byToken) != 2 || len(byID) != 3 || byID["thread-1@example.com"].PostID == 0 {
		t.Errorf("got %d tokens and %d Message-IDs found (%+v), want both copies and the cohort's thread", len(byToken), len(byID), byID)
	}
}
