package inbox_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
)

// releaseLesson puts a lesson on day 1 of the world's cohort (started
// yesterday), has Cleo take the cohort's posts in her digest, releases it and
// records her digest: Ana and Ben get their own copy, Cleo a digest item.
func (w *world) releaseLesson(t *testing.T) (app.Lesson, app.DigestItem) {
	t.Helper()
	ctx := context.Background()
	cleo := w.members[2]
	now := time.Now()
	cohort := w.cohort
	cohort.StartDate = now.AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := w.db.UpdateCohort(ctx, w.cohort.ID, app.CohortInput{Name: cohort.Name, Kind: cohort.Kind, StartDate: cohort.StartDate}); err != nil {
		t.Fatal(err)
	}
	w.db.SaveSetting(ctx, digest.CoachZoneKey, "UTC")
	if err := w.db.SaveDigestSettings(ctx, w.cohort.ID, app.DigestSettings{Every: app.DigestDaily, Hour: 0, Weekday: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.SetDelivery(ctx, w.cohort.ID, []int64{cleo.ID}, app.DeliveryDigest); err != nil {
		t.Fatal(err)
	}
	ids := withIDs(func() (string, string) {
		w.seq++
		id, tok := fmt.Sprintf("lesson.%d@example.com", w.seq), replyaddr.NewToken()
		w.tokens[id] = tok
		return id, tok
	})
	l, _, err := w.db.SaveLesson(ctx, 0, app.LessonInput{Title: "Day 1: one habit", Body: "Pick one habit.", CheckIn: "Which one?", AskDone: true}, false, ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := content.Schedule(ctx, w.db, app.CurriculumInput{CohortID: w.cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 1}); err != nil {
		t.Fatal(err)
	}
	// The members joined just now, after yesterday's release hour: make them
	// early members, so the lesson is theirs by the schedule, not a catch-up.
	for _, m := range w.members {
		if err := w.db.SetJoinDate(ctx, w.cohort.ID, []int64{m.ID}, now.AddDate(0, 0, -2).Format(time.DateOnly)); err != nil {
			t.Fatal(err)
		}
	}
	if sum, err := content.Release(ctx, w.db, now, ids, false); err != nil || sum.Lessons != 3 {
		t.Fatalf("release: %+v, %v; want 3", sum, err)
	}
	if _, err := digest.Run(ctx, w.db, now, ids); err != nil {
		t.Fatal(err)
	}
	items, _ := w.db.Outbox(ctx, app.OutboxFilter{})
	for _, it := range items {
		if it.Subject == l.Title {
			w.sent[it.ClientID] = sentCopy{it.MessageID, w.tokens[it.MessageID]}
		}
	}
	ds, err := w.db.DigestHistory(ctx, cleo.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("Cleo's digests: %+v, %v; want one", ds, err)
	}
	for _, it := range ds[0].Items {
		if it.PostSubject == l.Title {
			return l, it
		}
	}
	t.Fatalf("Cleo's digest does not carry the lesson: %+v", ds[0].Items)
	return l, app.DigestItem{}
}

// TestSync_LessonCheckIns: a reply to a lesson's mail is its check-in; a
// "done" reply (in any of the four languages) completes it and enters no
// conversation; a reply to the lesson's digest item is the check-in too; each
// lands in the progress grid.
func TestSync_LessonCheckIns(t *testing.T) {
	w := newWorld(t, capsRev2)
	w.tokens = map[string]string{}
	ctx := context.Background()
	ana, ben, cleo := w.members[0], w.members[1], w.members[2]
	lesson, item := w.releaseLesson(t)

	reply := func(c app.Client, text, mid string) []byte {
		s := w.sent[c.ID]
		return []byte(fmt.Sprintf("From: %s <%s>\r\nTo: Sam Coach <coach+rt-%s@example.com>\r\nSubject: Re: %s\r\n"+
			"Message-ID: <%s@example.net>\r\nIn-Reply-To: <%s>\r\nDate: Wed, 25 Feb 2026 09:00:00 +0000\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n\r\nOn Tue, Feb 24, 2026 at 9:00 AM Sam Coach <coach@example.com> wrote:\r\n> Pick one habit.\r\n",
			c.Name, c.Email, s.token, lesson.Title, mid, s.messageID, text))
	}
	w.srv.deliver(t, "INBOX", reply(ana, "Reading ten pages every morning.", "a1"))
	w.srv.deliver(t, "INBOX", reply(ben, "Erledigt!", "b1"))
	itemReply := fmt.Sprintf("From: %s <%s>\r\nTo: %s\r\nSubject: Re: %s\r\nMessage-ID: <c1@example.net>\r\nDate: Wed, 25 Feb 2026 10:00:00 +0000\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nA walk after lunch.\r\n",
		cleo.Name, cleo.Email, compose.ItemAddress(compose.From{Email: coachUser, PlusAddressing: true}, item.Token), lesson.Title)
	w.srv.deliver(t, "INBOX", []byte(itemReply))
	sum := w.mustSync(t, inbox.Options{Account: "a"})
	if sum.Done != 1 || sum.Imported != 2 || sum.Unmatched != 0 {
		t.Fatalf("got %+v, want 1 done and 2 check-ins", sum)
	}
	grid, err := w.db.ProgressGrid(ctx, w.cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range grid.Members {
		got[r.Name] = r.Cells[0].State + ":" + r.Cells[0].CheckInText
	}
	want := map[string]string{ana.Name: "replied:Reading ten pages every morning.", ben.Name: "done:", cleo.Name: "replied:A walk after lunch."}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got grid %v, want %v", got, want)
	}
	if grid.Lessons[0].Released != 3 || grid.Lessons[0].Replied != 3 || grid.Lessons[0].Done != 1 {
		t.Errorf("got counts %+v, want 3 released, 3 replied (or done), 1 done", grid.Lessons[0])
	}
	// Ben's "done" is no conversation message.
	post := w.lessonPost(t, lesson)
	rs, _ := w.db.Replies(ctx, post)
	for _, r := range rs {
		if r.ClientID == ben.ID {
			t.Errorf("Ben's done reply is in the conversation: %+v", r)
		}
	}

	// Cleo writes "done" with Ana's reply address: held for the coach, nothing marked.
	forged := reply(ana, "done", "f1")
	forged = []byte(strings.Replace(string(forged), "From: "+ana.Name+" <"+ana.Email+">", "From: "+cleo.Name+" <"+cleo.Email+">", 1))
	w.srv.deliver(t, "INBOX", forged)
	if sum := w.mustSync(t, inbox.Options{Account: "a"}); sum.Done != 0 || sum.Unmatched != 1 {
		t.Fatalf("got %+v, want the forged done held", sum)
	}
	// The coach excused Ben; his "done" by mail does not undo her word.
	if err := w.db.MarkLesson(ctx, w.cohort.ID, lesson.ID, ben.ID, app.LessonExcused); err != nil {
		t.Fatal(err)
	}
	w.srv.deliver(t, "INBOX", reply(ben, "fertig", "b2"))
	if sum := w.mustSync(t, inbox.Options{Account: "a"}); sum.Done != 1 {
		t.Fatalf("got %+v, want Ben's second done read", sum)
	}

	// Ana says done in French, with a word after: done, and the words are a check-in.
	w.srv.deliver(t, "INBOX", reply(ana, "C'est fait.\r\nThe habit stuck!", "a2"))
	if sum := w.mustSync(t, inbox.Options{Account: "a"}); sum.Imported != 1 {
		t.Fatalf("got %+v, want Ana's words imported", sum)
	}
	grid, _ = w.db.ProgressGrid(ctx, w.cohort.ID)
	for _, r := range grid.Members {
		if r.ClientID == ana.ID && (r.Cells[0].State != app.LessonDone || r.Cells[0].CheckInText != "The habit stuck!") {
			t.Errorf("got Ana's cell %+v, want done with her words", r.Cells[0])
		}
		if r.ClientID == ben.ID && r.Cells[0].State != app.LessonExcused {
			t.Errorf("got Ben's cell %+v, want the coach's excuse kept", r.Cells[0])
		}
	}
}

func (w *world) lessonPost(t *testing.T, l app.Lesson) int64 {
	t.Helper()
	items, _ := w.db.Outbox(context.Background(), app.OutboxFilter{})
	for _, it := range items {
		if it.Subject == l.Title {
			return it.PostID
		}
	}
	t.Fatal("no copy of the lesson")
	return 0
}
