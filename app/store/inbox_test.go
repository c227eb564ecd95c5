package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// inboxWorld is a cohort of two with one post queued to both.
func inboxWorld(t *testing.T) (*DB, app.Post, app.Client, app.Client, map[int64]string) {
	t.Helper()
	ctx := context.Background()
	db := openTest(t)
	ana := mustClient(t, db, "Ana", "ana@example.com")
	ben := mustClient(t, db, "Ben", "ben@example.com")
	h, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring", Kind: app.KindMastermind})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddMembers(ctx, h.ID, []int64{ana.ID, ben.ID}, app.RoleMember); err != nil {
		t.Fatal(err)
	}
	p, err := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Week 1", Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if p, err = db.QueuePost(ctx, p.ID, withIDs(func() (string, string) {
		n++
		return fmt.Sprintf("m%d@example.com", n), fmt.Sprintf("token%011d", n)
	})); err != nil {
		t.Fatal(err)
	}
	tokens := map[int64]string{}
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: p.ID})
	for _, it := range items {
		ref, err := db.SentByMessageID(ctx, it.MessageID)
		if err != nil || ref.ClientID != it.ClientID || ref.PostID != p.ID {
			t.Fatalf("got %+v, %v for %s; want the outbox row", ref, err, it.MessageID)
		}
		tokens[it.ClientID] = it.MessageID
	}
	return db, p, ana, ben, tokens
}

func TestImportMail(t *testing.T) {
	ctx := context.Background()
	db, p, ana, _, _ := inboxWorld(t)
	in := app.IncomingMail{Account: "a", Folder: "INBOX", UIDValidity: 7, UID: 3, MessageID: "r1@x", Hash: "h1",
		Kind: app.MailReply, ClientID: ana.ID, PostID: p.ID, FromEmail: ana.Email, Subject: "Re: Week 1",
		Text: "Mine", Quoted: "> Hello", MatchReason: app.MatchToken,
		Attachments: []app.IncomingAttachment{{Filename: "a.txt", ContentType: "text/plain", Size: 2, Data: []byte("hi")},
			{Filename: "big.mp4", ContentType: "video/mp4", Size: 30 << 20, Omitted: true}}}

	t.Run("OK", func(t *testing.T) {
		ok, err := db.ImportMail(ctx, in)
		if err != nil || !ok {
			t.Fatalf("got %v, %v; want imported", ok, err)
		}
		v, last, _ := db.InboxFolder(ctx, "a", "INBOX")
		if v != 7 || last != 3 {
			t.Fatalf("got folder at %d/%d, want 7/3", v, last)
		}
		rs, _ := db.Replies(ctx, p.ID)
		if len(rs) != 1 || rs[0].Text != "Mine" || len(rs[0].Attachments) != 2 || !rs[0].Attachments[1].Omitted {
			t.Fatalf("got %+v, want the reply with both attachments", rs)
		}
		a, data, err := db.ReplyAttachment(ctx, rs[0].Attachments[0].ID)
		if err != nil || string(data) != "hi" || a.Filename != "a.txt" {
			t.Fatalf("got %+v %q %v, want the file back", a, data, err)
		}
	})

	t.Run("DuplicateOnlyAdvances", func(t *testing.T) {
		for _, dup := range []app.IncomingMail{{MessageID: "r1@x", Hash: "other"}, {MessageID: "", Hash: "h1"}} {
			d := in
			d.MessageID, d.Hash, d.UID = dup.MessageID, dup.Hash, 9
			ok, err := db.ImportMail(ctx, d)
			if err != nil || ok {
				t.Fatalf("got %v, %v for a copy; want it recognised", ok, err)
			}
		}
		if _, last, _ := db.InboxFolder(ctx, "a", "INBOX"); last != 9 {
			t.Fatalf("got last UID %d, want 9", last)
		}
		if rs, _ := db.Replies(ctx, p.ID); len(rs) != 1 {
			t.Fatalf("got %d replies, want 1", len(rs))
		}
	})

	t.Run("NewUIDValidityStartsOver", func(t *testing.T) {
		if err := db.AdvanceInboxFolder(ctx, "a", "INBOX", 8, 2); err != nil {
			t.Fatal(err)
		}
		if err := db.AdvanceInboxFolder(ctx, "a", "INBOX", 8, 1); err != nil {
			t.Fatal(err)
		}
		if v, last, _ := db.InboxFolder(ctx, "a", "INBOX"); v != 8 || last != 2 {
			t.Fatalf("got %d/%d, want 8/2 (never backwards within one UIDVALIDITY)", v, last)
		}
	})

	t.Run("ErrKind", func(t *testing.T) {
		bad := in
		bad.MessageID, bad.Hash, bad.Kind = "z@x", "z", "newsletter"
		_, err := db.ImportMail(ctx, bad)
		wantCode(t, err, app.EINVALID)
	})
}

func TestImportMails(t *testing.T) {
	ctx := context.Background()
	db, p, ana, ben, _ := inboxWorld(t)
	reply := func(id string, c app.Client) app.IncomingMail {
		return app.IncomingMail{MessageID: id, Hash: "h-" + id, Kind: app.MailReply, ClientID: c.ID, PostID: p.ID,
			FromEmail: c.Email, Subject: "Re: Week 1", Text: "text of " + id, MatchReason: app.MatchToken}
	}

	t.Run("OK", func(t *testing.T) {
		news, err := db.ImportMails(ctx, []app.IncomingMail{reply("m1@x", ana), reply("m2@x", ben), reply("m1@x", ana)}, "a", "INBOX", 7, 40, false)
		if err != nil || len(news) != 3 || !news[0] || !news[1] || news[2] {
			t.Fatalf("got %v, %v; want the first two new and the repeat recognised in the same run", news, err)
		}
		if v, last, _ := db.InboxFolder(ctx, "a", "INBOX"); v != 7 || last != 40 {
			t.Fatalf("got folder at %d/%d, want 7/40", v, last)
		}
		if rs, _ := db.Replies(ctx, p.ID); len(rs) != 2 {
			t.Fatalf("got %d replies, want 2", len(rs))
		}
	})

	t.Run("ErrKindKeepsNothingOfTheRun", func(t *testing.T) {
		bad := reply("m4@x", ben)
		bad.Kind = "newsletter"
		_, err := db.ImportMails(ctx, []app.IncomingMail{reply("m3@x", ana), bad}, "a", "INBOX", 7, 50, true)
		wantCode(t, err, app.EINVALID)
		if seen, _ := db.InboxSeen(ctx, "m3@x", "h-m3@x"); seen {
			t.Fatal("got the run's first message kept, want the whole run undone")
		}
		if _, last, _ := db.InboxFolder(ctx, "a", "INBOX"); last != 40 {
			t.Fatalf("got last UID %d, want 40 (the position of the run undone with it)", last)
		}
	})
}

func TestListConversations(t *testing.T) {
	ctx := context.Background()
	db, p, ana, ben, _ := inboxWorld(t)
	db.ImportMail(ctx, app.IncomingMail{MessageID: "r1", Hash: "h1", Kind: app.MailReply, ClientID: ana.ID, PostID: p.ID,
		FromEmail: ana.Email, Text: "Mine", MatchReason: app.MatchToken, SentAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	db.ImportMail(ctx, app.IncomingMail{MessageID: "a1", Hash: "h2", Kind: app.MailAutoReply, ClientID: ben.ID,
		Subject: "Out of office", AwayUntil: ptr(time.Now().Add(48 * time.Hour))})
	convs, err := db.ListConversations(ctx, p.CohortID)
	if err != nil || len(convs) != 1 {
		t.Fatalf("got %v, %v; want one conversation", convs, err)
	}
	c := convs[0]
	if len(c.Replies) != 1 || c.Replies[0].Name != "Ana" || len(c.Replied) != 1 || len(c.NotReplied) != 1 || !c.NotReplied[0].Away {
		t.Fatalf("got %+v, want Ana's reply, Ana replied, Ben not (and away)", c)
	}
	id := c.Replies[0].ID
	if err := db.MarkReplyRead(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkReplyHandled(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	rs, _ := db.Replies(ctx, p.ID)
	if rs[0].Unread || !rs[0].Handled {
		t.Fatalf("got unread %v handled %v, want read and handled", rs[0].Unread, rs[0].Handled)
	}
	db.MarkReplyRead(ctx, id, false)
	if rs, _ := db.Replies(ctx, p.ID); !rs[0].Unread {
		t.Fatal("got read, want unread again")
	}
	wantCode(t, db.MarkReplyRead(ctx, 999, true), app.ENOTFOUND)
	_, err = db.ListConversations(ctx, 999)
	wantCode(t, err, app.ENOTFOUND)

	// A real reply from Ben ends his away mark.
	db.ImportMail(ctx, app.IncomingMail{MessageID: "r2", Hash: "h3", Kind: app.MailReply, ClientID: ben.ID, PostID: p.ID,
		FromEmail: ben.Email, Text: "Back", SentAt: time.Now().Add(time.Minute)})
	if st, _ := db.ClientMailStatus(ctx, ben.ID); st.Away {
		t.Fatalf("got %+v, want Ben no longer away after replying", st)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUnmatchedQueue(t *testing.T) {
	ctx := context.Background()
	db, p, ana, ben, _ := inboxWorld(t)
	wait := func(id, from string) {
		t.Helper()
		if _, err := db.ImportMail(ctx, app.IncomingMail{MessageID: id, Hash: id, Kind: app.MailUnmatched, FromEmail: from,
			PostID: p.ID, UnmatchedReason: "not a client"}); err != nil {
			t.Fatal(err)
		}
	}
	wait("u1", "ana@work.example")
	wait("u2", "ben@example.com")
	wait("u3", "spam@example.org")
	wait("u4", "spam@example.org")
	un, _ := db.Unmatched(ctx)
	if len(un) != 4 {
		t.Fatalf("got %d waiting, want 4", len(un))
	}

	t.Run("ErrAliasOfAnother", func(t *testing.T) {
		wantCode(t, db.AssignUnmatched(ctx, un[1].ID, ana.ID, p.ID, true), app.ECONFLICT)
	})
	t.Run("OK", func(t *testing.T) {
		if err := db.AssignUnmatched(ctx, un[0].ID, ana.ID, p.ID, true); err != nil {
			t.Fatal(err)
		}
		page, _ := db.ListClients(ctx, app.ClientFilter{Query: "work.example"})
		if page.Total != 1 || page.Rows[0].ID != ana.ID {
			t.Fatalf("got %+v, want Ana found by her new alias", page)
		}
		wantCode(t, db.AssignUnmatched(ctx, un[0].ID, ana.ID, p.ID, true), app.ECONFLICT)
	})
	t.Run("IgnoreSender", func(t *testing.T) {
		_, err := db.IgnoreSender(ctx, ben.Email)
		wantCode(t, err, app.ECONFLICT)
		n, err := db.IgnoreSender(ctx, "SPAM@example.org")
		if err != nil || n != 2 {
			t.Fatalf("got %d, %v; want both waiting messages dropped", n, err)
		}
		if ok, _ := db.SenderIgnored(ctx, "spam@EXAMPLE.org"); !ok {
			t.Fatal("got not ignored, want ignored")
		}
		if un, _ := db.Unmatched(ctx); len(un) != 1 {
			t.Fatalf("got %d waiting, want 1", len(un))
		}
	})
}

func TestClientMailStatus(t *testing.T) {
	ctx := context.Background()
	db, _, ana, ben, _ := inboxWorld(t)
	past := time.Now().Add(-24 * time.Hour)
	db.ImportMail(ctx, app.IncomingMail{MessageID: "a1", Hash: "a1", Kind: app.MailAutoReply, ClientID: ana.ID, AwayUntil: &past})
	db.ImportMail(ctx, app.IncomingMail{MessageID: "b1", Hash: "b1", Kind: app.MailBounce, ClientID: ben.ID, Reason: "4.2.2 mailbox full"})
	if st, _ := db.ClientMailStatus(ctx, ana.ID); st.Away {
		t.Fatalf("got %+v, want no longer away once the date passed", st)
	}
	st, _ := db.ClientMailStatus(ctx, ben.ID)
	if st.Bouncing || st.SoftBounce != "4.2.2 mailbox full" {
		t.Fatalf("got %+v, want a soft bounce noted, sending not stopped", st)
	}
	db.ImportMail(ctx, app.IncomingMail{MessageID: "b2", Hash: "b2", Kind: app.MailBounce, ClientID: ben.ID, Hard: true, Reason: "5.1.1 user unknown"})
	if st, _ := db.ClientMailStatus(ctx, ben.ID); !st.Bouncing || st.BounceReason != "5.1.1 user unknown" {
		t.Fatalf("got %+v, want bouncing", st)
	}
	_, err := db.ClientMailStatus(ctx, 999)
	wantCode(t, err, app.ENOTFOUND)
}

func TestMarkReply(t *testing.T) {
	ctx := context.Background()
	db, p, ana, _, _ := inboxWorld(t)
	postID := p.ID
	db.ImportMail(ctx, app.IncomingMail{MessageID: "m@x", Hash: "hm", Kind: app.MailReply, ClientID: ana.ID, PostID: p.ID,
		FromEmail: ana.Email, Text: "Mine", Trust: app.TrustVerified})
	rs, _ := db.Replies(ctx, postID)
	replyID := rs[0].ID
	for _, tc := range []struct {
		mark string
		on   bool
		want func(app.Reply) bool
	}{
		{MarkHidden, true, func(r app.Reply) bool { return r.Hidden && !r.Shared }},
		{MarkHidden, false, func(r app.Reply) bool { return !r.Hidden && r.Shared }},
		{MarkHighlighted, true, func(r app.Reply) bool { return r.Highlighted && r.Shared }},
		{MarkPinned, true, func(r app.Reply) bool { return r.Pinned }},
		{MarkPrivate, true, func(r app.Reply) bool { return r.Private && !r.Shared }},
	} {
		if err := db.MarkReply(ctx, replyID, tc.mark, tc.on); err != nil {
			t.Fatal(err)
		}
		rs, _ := db.Replies(ctx, postID)
		if !tc.want(rs[0]) {
			t.Errorf("after %s=%v: got %+v", tc.mark, tc.on, rs[0])
		}
	}
	if err := db.MarkReply(ctx, replyID, "starred", true); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("got %v for an unknown mark, want invalid", err)
	}
	if err := db.MarkReply(ctx, 999, MarkHidden, true); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("got %v for an unknown reply, want not found", err)
	}
}

// TestAnswersSitUnderTheReply: the coach's answer to one member is no post of
// the cohort's nor a conversation of its own; it shows under the reply it
// answers, and the member's reply to it continues the same conversation.
func TestAnswersSitUnderTheReply(t *testing.T) {
	ctx := context.Background()
	db, p, ana, _, _ := inboxWorld(t)
	db.ImportMail(ctx, app.IncomingMail{MessageID: "r1@ana", Hash: "h1", Kind: app.MailReply, ClientID: ana.ID, PostID: p.ID,
		FromEmail: ana.Email, Text: "My goal", MatchReason: app.MatchToken, SentAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	convs, _ := db.ListConversations(ctx, p.CohortID)
	first := convs[0].Replies[0]
	n := 100
	ids := withIDs(func() (string, string) {
		n++
		return fmt.Sprintf("m%d@example.com", n), fmt.Sprintf("token%011d", n)
	})
	answer, err := db.CreateReplyPost(ctx, first.ID, "Well done, Ana.", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueuePost(ctx, answer.ID, ids); err != nil {
		t.Fatal(err)
	}
	toAll, _ := db.CreateReplyPost(ctx, first.ID, "Everyone: see Ana's goal.", true)
	if _, err := db.QueuePost(ctx, toAll.ID, ids); err != nil {
		t.Fatal(err)
	}
	// Ana answers the coach's answer to her.
	items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: answer.ID})
	db.ImportMail(ctx, app.IncomingMail{MessageID: "r2@ana", Hash: "h2", Kind: app.MailReply, ClientID: ana.ID, PostID: answer.ID,
		FromEmail: ana.Email, Text: "Thanks!", MatchReason: app.MatchInReplyTo, SentAt: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)})

	convs, err = db.ListConversations(ctx, p.CohortID)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 2 || convs[0].Post.ID != toAll.ID || convs[1].Post.ID != p.ID {
		t.Fatalf("got %d conversations, want the answer to all and the post, not the answer to Ana alone", len(convs))
	}
	c := convs[1]
	if len(c.Replies) != 2 || c.Replies[0].Text != "My goal" || c.Replies[1].Text != "Thanks!" {
		t.Fatalf("got %+v, want Ana's two replies in the post's conversation", c.Replies)
	}
	got := c.Replies[0].Answers
	if len(got) != 2 || got[0].Body != "Well done, Ana." || got[0].ToAll || got[1].Body != "Everyone: see Ana's goal." || !got[1].ToAll ||
		got[0].Counts[app.OutboxQueued] != 1 || len(items) != 1 {
		t.Fatalf("got answers %+v, want the one to Ana (queued to her alone) then the one to all", got)
	}
	if len(c.Replied) != 1 || c.Replied[0].ClientID != ana.ID || len(c.NotReplied) != 1 {
		t.Fatalf("got replied %+v, not replied %+v; want Ana and Ben, each once", c.Replied, c.NotReplied)
	}
	if c.Replies[0].MatchWords != "Reply to your email" {
		t.Fatalf("got %q, want the match reason in plain words", c.Replies[0].MatchWords)
	}
	posts, _ := db.ListPosts(ctx, p.CohortID)
	all, _ := db.ListPosts(ctx, 0)
	if len(posts) != 2 || len(all) != 3 {
		t.Fatalf("got %d posts of the cohort and %d in all, want 2 (no answer to one member) and 3 (the outbox's)", len(posts), len(all))
	}
}
