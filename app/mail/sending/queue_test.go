package sending

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestPlanIsWhatQueueDoes: the confirmation's plan names the members the outbox
// then skips, for the same reasons, and a post with problems is refused by
// Queue whoever calls it.
func TestPlanIsWhatQueueDoes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	var ids []int64
	for _, n := range []string{"Ada", "Ben", "Cy", "Di"} {
		c, err := db.CreateClient(ctx, app.ClientInput{Name: n + " Example", Email: strings.ToLower(n) + "@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	db.AddMembers(ctx, cohort.ID, ids, "")
	db.MarkUnsubscribed(ctx, ids[1])
	db.MarkBounced(ctx, ids[2], "550 no such user")
	db.ArchiveClient(ctx, ids[3])
	from := compose.From{Name: "Coach", Email: "coach@example.org"}

	t.Run("ErrTypo", func(t *testing.T) {
		p, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 1", Body: "Hi {{firstname}}"})
		plan, err := Plan(ctx, db, from, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "{{firstname}} in the text is not a placeholder Roundtable knows — did you mean {{first_name}}?"
		if plan.Ready || len(plan.Problems) != 1 || plan.Problems[0].Field != app.FieldBody || plan.Problems[0].Message != want {
			t.Fatalf("got %+v, want one problem with the body: %q", plan, want)
		}
		_, err = Queue(ctx, db, from, p.ID)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != app.FieldBody || app.ErrorMessage(err) != want {
			t.Fatalf("got %v, want the refusal %q", err, want)
		}
		if n, _ := db.OutboxCounts(ctx, p.ID); len(n) != 0 {
			t.Fatalf("got outbox %v, want nothing queued", n)
		}
	})

	t.Run("OK", func(t *testing.T) {
		p, _ := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: "Week 1 in {{cohort}}", Body: "Hi {{first_name}}"})
		plan, err := Plan(ctx, db, from, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Ready || plan.Cohort != "Circle" || plan.Title != "Week 1 in Circle" || plan.Recipients != 1 || len(plan.Skipped) != 3 {
			t.Fatalf("got %+v, want Circle ready with 1 recipient and 3 skipped", plan)
		}
		for i, want := range []string{"Not sent: unsubscribed on ", "Not sent: mail to this address bounced (550 no such user).", "Not sent: the client is archived."} {
			if !strings.HasPrefix(plan.Skipped[i].Skip, want) {
				t.Errorf("got %q for %s, want %q", plan.Skipped[i].Skip, plan.Skipped[i].Name, want)
			}
		}
		if _, err := Queue(ctx, db, from, p.ID); err != nil {
			t.Fatal(err)
		}
		items, _ := db.Outbox(ctx, app.OutboxFilter{PostID: p.ID})
		for _, it := range items {
			var skip string
			for _, s := range plan.Skipped {
				if s.ClientID == it.ClientID {
					skip = s.Skip
				}
			}
			if (skip == "") != (it.State == app.OutboxQueued) || it.LastAnswer != skip {
				t.Errorf("got %s %s %q, want the plan's %q", it.Name, it.State, it.LastAnswer, skip)
			}
		}
	})
}

// TestAnswerChecksOnlyItsBody: the coach's answer takes its subject from the
// post it answers, which the coach cannot fix from the answer box; only what
// they wrote is checked.
func TestAnswerChecksOnlyItsBody(t *testing.T) {
	for _, tc := range []struct {
		name string
		post app.Post
		want int
	}{
		{"OKOldSubjectTypo", app.Post{Kind: app.PostAnswer, Subject: "Re: Hi {{firstname}}", Body: "Thanks"}, 0},
		{"ErrBodyTypo", app.Post{Kind: app.PostAnswer, Subject: "Re: Hi", Body: "Thanks {{firstname}}"}, 1},
		{"ErrAnnouncementSubject", app.Post{Kind: app.PostAnnouncement, Subject: "Hi {{firstname}}", Body: "Thanks"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := problemsOf(tc.post); len(got) != tc.want {
				t.Fatalf("got %q, want %d problems", got, tc.want)
			}
		})
	}
}
