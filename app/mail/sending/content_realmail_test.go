package sending_test

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
	"github.com/roundtablehq/roundtable/app/mail/internal/realmail"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/submit"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestLessonCheckInsThroughPostfixAndDovecot releases a lesson with run-due's
// core over real Postfix: Ana and Ben get it by mail, Cleo (who takes the
// cohort's posts in her digest) as an item of that morning's digest. Ana
// answers the check-in, Ben replies "Done!", Cleo follows the item's reply
// link; all three come back through Postfix into the coach's Dovecot mailbox
// and each lands in the progress grid.
func TestLessonCheckInsThroughPostfixAndDovecot(t *testing.T) {
	srv := realmail.Start(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := time.Date(2025, 11, 23, 18, 0, 0, 0, time.UTC) // the Sunday before the course
	db.Now = func() time.Time { return clock }
	if err := db.SaveSetting(ctx, digest.CoachZoneKey, "UTC"); err != nil {
		t.Fatal(err)
	}
	cohort, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring course", Kind: app.KindCourseCohort, StartDate: "2025-11-24"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDigestSettings(ctx, cohort.ID, app.DigestSettings{Every: app.DigestDaily, Hour: 9, Weekday: 5}); err != nil {
		t.Fatal(err)
	}
	var ana, ben, cleo app.Client
	for i, c := range []*app.Client{&ana, &ben, &cleo} {
		name := []string{"Ana Lima", "Ben Okafor", "Cleo Park"}[i]
		if *c, err = db.CreateClient(ctx, app.ClientInput{Name: name, Email: realmail.Members[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddMembers(ctx, cohort.ID, []int64{ana.ID, ben.ID, cleo.ID}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetDelivery(ctx, cohort.ID, []int64{cleo.ID}, app.DeliveryDigest); err != nil {
		t.Fatal(err)
	}
	coach := compose.From{Name: "Sam Coach", Email: realmail.Coach, PlusAddressing: true}
	lesson, _, err := db.SaveLesson(ctx, 0, app.LessonInput{Title: "Week 1: one habit", Body: "Pick **one habit** and keep it for a week.",
		CheckIn: "Which habit did you pick?", AskDone: true}, false, compose.NewIDs(coach))
	if err != nil {
		t.Fatal(err)
	}
	if err := content.Schedule(ctx, db, app.CurriculumInput{CohortID: cohort.ID, LessonID: lesson.ID, Rule: app.ReleaseCohortDay, Day: 1}); err != nil {
		t.Fatal(err)
	}

	// Monday 09:00: the lesson and Cleo's digest, then the outbox over Postfix.
	clock = time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC)
	sum, err := due.Run(ctx, db, clock, compose.NewIDs(coach), sessions.Person{Email: coach.Email}, false)
	if err != nil || sum.Lessons != 3 || sum.Digests != 1 {
		t.Fatalf("run-due: %+v, %v; want 3 lessons released and Cleo's digest", sum, err)
	}
	if err := outbox.New(db, coachSubmission(srv), outbox.Config{From: coach}, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if sum, err := due.Run(ctx, db, clock.Add(time.Minute), compose.NewIDs(coach), sessions.Person{Email: coach.Email}, false); err != nil ||
		sum.Lessons+sum.Digests != 0 {
		t.Fatalf("run-due again: %+v, %v; want nothing twice", sum, err)
	}

	// Ana and Ben hit Reply on their copy of the lesson.
	copies, _ := db.Outbox(ctx, app.OutboxFilter{})
	replyToLesson := func(who app.Client, mid, text string) {
		t.Helper()
		for _, c := range copies {
			if c.ClientID != who.ID || c.Subject != lesson.Title {
				continue
			}
			if c.State != app.OutboxSent {
				t.Fatalf("%s's copy: %s (%s)", who.Name, c.State, c.LastAnswer)
			}
			raw := fetchByMessageID(t, srv, who.Email, c.MessageID)
			if !strings.Contains(htmlPart(t, raw), "Which habit did you pick?") {
				t.Fatalf("%s's lesson has no check-in question", who.Name)
			}
			rt, _ := readMessage(t, raw).Header.AddressList("Reply-To")
			deliver(t, srv, who.Email, rt[0].Address, gmailReply(who, rt[0].Address, "Re: "+lesson.Title, mid, c.MessageID, text,
				"On Mon, Nov 24, 2025 at 9:00\u202fAM Sam Coach <"+realmail.Coach+"> wrote:", "Pick one habit and keep it for a week."))
			return
		}
		t.Fatalf("no copy of the lesson for %s", who.Name)
	}
	replyToLesson(ana, "ana-checkin", "Reading ten pages before breakfast.")
	replyToLesson(ben, "ben-done", "Done!")

	// Cleo follows the lesson item's reply link in her digest.
	ds, err := db.DigestHistory(ctx, cleo.ID)
	if err != nil || len(ds) != 1 || ds[0].State != app.OutboxSent {
		t.Fatalf("Cleo's digests: %+v, %v", ds, err)
	}
	cleoHTML := htmlPart(t, fetchByMessageID(t, srv, cleo.Email, ds[0].MessageID))
	var link, subject string
	for _, m := range regexp.MustCompile(`href="mailto:([^"?]+)\?subject=([^"]+)"`).FindAllStringSubmatch(cleoHTML, -1) {
		if _, ok := replyaddr.ItemTokenOf(m[1]); ok {
			link = m[1]
			subject, _ = url.PathUnescape(strings.ReplaceAll(m[2], "&amp;", "&"))
		}
	}
	if link == "" || itemPost(t, ds[0], link) == 0 || !strings.Contains(cleoHTML, "Which habit did you pick?") {
		t.Fatalf("Cleo's digest has no reply link for the lesson:\n%s", cleoHTML)
	}
	deliver(t, srv, cleo.Email, link, gmailReply(cleo, link, subject, "cleo-checkin", "", "A walk after lunch, every day.",
		"On Mon, Nov 24, 2025 at 9:01\u202fAM Sam Coach <"+realmail.Coach+"> wrote:", "Pick one habit and keep it for a week."))

	waitForMessages(t, srv, realmail.Coach, 3)
	clock = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)
	got, err := inbox.Sync(ctx, db, inbox.DialerFor(coachIMAP(srv)), inbox.Options{Account: realmail.Coach + "@dovecot"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Imported != 2 || got.Done != 1 || got.Unmatched != 0 {
		t.Fatalf("got %+v, want Ana's and Cleo's check-ins and Ben's done", got)
	}
	grid, err := db.ProgressGrid(ctx, cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]string{}
	for _, r := range grid.Members {
		cells[r.Name] = r.Cells[0].State + ":" + r.Cells[0].CheckInText
	}
	want := map[string]string{"Ana Lima": "replied:Reading ten pages before breakfast.", "Ben Okafor": "done:",
		"Cleo Park": "replied:A walk after lunch, every day."}
	if fmt.Sprint(cells) != fmt.Sprint(want) {
		t.Fatalf("got grid %v, want %v", cells, want)
	}
}

// coachSubmission dials the coach's submission port on the real Postfix.
func coachSubmission(srv *realmail.Servers) func(ctx context.Context) (outbox.Conn, error) {
	return func(ctx context.Context) (outbox.Conn, error) {
		return submit.Dial(ctx, submit.Config{Host: srv.Host, Port: srv.SubmissionPort, Security: app.SecuritySTARTTLS,
			User: realmail.Coach, Password: realmail.Password, TLS: srv.TLSConfig(), Timeout: 20 * time.Second})
	}
}

// coachIMAP is the coach's mailbox on the real Dovecot.
func coachIMAP(srv *realmail.Servers) inbox.Config {
	return inbox.Config{Host: srv.Host, Port: srv.IMAPSPort, Security: app.SecurityTLS, User: realmail.Coach,
		Password: realmail.Password, TLSConfig: srv.TLSConfig(), Timeout: 20 * time.Second}
}
