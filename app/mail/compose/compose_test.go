package compose

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
)

func job() app.OutboxJob {
	return app.OutboxJob{
		Item:      app.OutboxItem{Name: "Ada Lovelace", Email: "ada@example.org", MessageID: "m1@coach.example"},
		Post:      app.Post{Cohort: "Circle", Subject: "Hi {{first_name}}", Body: "Hello **{{first_name}}**"},
		Token:     "abcdefghijklmnop",
		ThreadID:  "thread@coach.example",
		CreatedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
	}
}

func TestMessageRoutesRepliesBack(t *testing.T) {
	from := From{Name: "Coach", Email: "coach@coach.example", PlusAddressing: true}
	raw, _, err := Message(from, job(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := mail.CreateReader(bytes.NewReader(raw))
	h := r.Header
	rt, _ := h.AddressList("Reply-To")
	if tok, ok := replyaddr.Token(rt[0].Address); !ok || tok != "abcdefghijklmnop" {
		t.Fatalf("got Reply-To %v, want the job's token", rt)
	}
	if s, _ := h.Subject(); s != "Hi Ada" {
		t.Fatalf("got subject %q, want it personalised", s)
	}
	if d, _ := h.Date(); !d.Equal(job().CreatedAt) {
		t.Fatalf("got Date %v, want the date fixed when queued, so a resend is the same message", d)
	}
	again, _, _ := Message(from, job(), nil)
	if !bytes.Equal(raw, again) {
		t.Fatal("the same job rendered twice differs: a resend after a crash would not be the same message")
	}

	j := job()
	j.InReplyTo = "member-reply@mail.example"
	raw, _, _ = Message(From{Name: "Coach", Email: "coach@coach.example"}, j, nil)
	r, _ = mail.CreateReader(bytes.NewReader(raw))
	refs, _ := r.Header.MsgIDList("References")
	irt, _ := r.Header.MsgIDList("In-Reply-To")
	if len(refs) != 2 || irt[0] != "member-reply@mail.example" || r.Header.Get("Reply-To") != "" {
		t.Fatalf("got References %v In-Reply-To %v Reply-To %q, want the member's thread and no token without plus-addressing", refs, irt, r.Header.Get("Reply-To"))
	}
	if u := UnsubscribeURL(From{Email: "coach@coach.example"}, "tok"); !strings.HasPrefix(u, "mailto:coach@coach.example?subject=unsubscribe") {
		t.Fatalf("got %q, want a mailto to the coach naming the token", u)
	}
	if MessageIDDomain("Coach@Coach.Example") != "coach.example" || MessageIDDomain("nobody") != "roundtable.invalid" {
		t.Fatal("Message-IDs go under the coach's domain, or a reserved one")
	}
}
