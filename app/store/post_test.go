package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func queueIDs() func() (string, string) {
	n := 0
	return func() (string, string) {
		n++
		return fmt.Sprintf("m%d@example.com", n), fmt.Sprintf("tok%013d", n)
	}
}

func TestReplyPostGoesToTheMemberInTheirThread(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	h, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada := mustClient(t, db, "Ada", "ada@example.com")
	bob := mustClient(t, db, "Bob", "bob@example.com")
	db.AddMembers(ctx, h.ID, []int64{ada.ID, bob.ID}, "")
	p, _ := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Week 1", Body: "Hi"})
	p, err := db.QueuePost(ctx, p.ID, withIDs(queueIDs()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportMail(ctx, app.IncomingMail{MessageID: "ada-reply@mail.example", Hash: "h1", Kind: app.MailReply,
		ClientID: ada.ID, PostID: p.ID, FromName: "Ada", FromEmail: "ada@example.com", Subject: "Re: Week 1",
		SentAt: time.Now(), Text: "My goal", MatchReason: app.MatchToken}); err != nil {
		t.Fatal(err)
	}
	replies, _ := db.Replies(ctx, p.ID)
	if len(replies) != 1 {
		t.Fatalf("got %d replies, want Ada's", len(replies))
	}
	if n, _ := db.UnreadCounts(ctx); n[h.ID] != 1 {
		t.Fatalf("got unread counts %v, want 1 for the cohort", n)
	}
	db.MarkReplyRead(ctx, replies[0].ID, true)
	if n, _ := db.UnreadCounts(ctx); n[h.ID] != 0 {
		t.Fatalf("got unread counts %v after reading, want 0", n)
	}

	rp, err := db.CreateReplyPost(ctx, replies[0].ID, "Great goal, Ada!", false)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Subject != "Re: Week 1" || rp.Kind != "reply" {
		t.Fatalf("got %+v, want a reply post Re: the subject", rp)
	}
	rp, err = db.QueuePost(ctx, rp.ID, withIDs(func() (string, string) { return "answer@example.com", "tokanswer0000001" }))
	if err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: rp.ID})
	if len(items) != 1 || items[0].Email != "ada@example.com" {
		t.Fatalf("got %+v, want one message, to Ada only", items)
	}
	// Drain the announcement's two messages first.
	for range 2 {
		j, _ := db.NextDue(ctx, time.Now().Add(time.Minute), 0)
		db.MarkSending(ctx, j.Item.ID)
		db.MarkSentAndSending(ctx, j.Item.ID, "ok", 0, true)
	}
	job, err := db.NextDue(ctx, time.Now().Add(time.Minute), 0)
	if err != nil || job.Item.PostID != rp.ID || job.InReplyTo != "ada-reply@mail.example" {
		t.Fatalf("got %+v, %v; want the answer in reply to Ada's message", job, err)
	}

	all, _ := db.CreateReplyPost(ctx, replies[0].ID, "Everyone: look at Ada's goal", true)
	all, _ = db.QueuePost(ctx, all.ID, withIDs(func() (string, string) {
		return fmt.Sprint(time.Now().UnixNano()) + "@x", fmt.Sprintf("%016d", time.Now().UnixNano()%1e16)
	}))
	if items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: all.ID}); len(items) != 2 {
		t.Fatalf("got %d messages for an answer to all, want 2", len(items))
	}
	_, err = db.CreateReplyPost(ctx, 999, "x", false)
	wantCode(t, err, app.ENOTFOUND)
}

func TestDeleteDraft(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	h, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	c := mustClient(t, db, "Ada", "ada@example.com")
	db.AddMembers(ctx, h.ID, []int64{c.ID}, "")
	d, _ := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Draft", Body: "x"})
	if err := db.DeleteDraft(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	_, err := db.FindPost(ctx, d.ID)
	wantCode(t, err, app.ENOTFOUND)
	q, _ := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Sent", Body: "x"})
	db.QueuePost(ctx, q.ID, withIDs(queueIDs()))
	wantCode(t, db.DeleteDraft(ctx, q.ID), app.ECONFLICT)
}
