package due_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// lessonsFail is the workspace with the lessons' part failing.
type lessonsFail struct{ *store.DB }

var errLessons = app.Errorf(app.EINTERNAL, "The lessons could not be read.")

func (lessonsFail) ReleaseCohorts(context.Context) ([]app.ReleaseCohort, error) {
	return nil, errLessons
}

// TestLessonsFailingKeepDigestsGoing: a failure releasing lessons is
// reported, and the digests due in the same run still go.
func TestLessonsFailingKeepDigestsGoing(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	db.SaveSetting(ctx, digest.CoachZoneKey, "UTC")
	h, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	db.SaveDigestSettings(ctx, h.ID, app.DigestSettings{Every: app.DigestDaily, Hour: 9, Weekday: 5})
	ana, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ana Lima", Email: "ana@example.net"})
	ben, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ben Okafor", Email: "ben@example.org"})
	db.AddMembers(ctx, h.ID, []int64{ana.ID, ben.ID}, "")
	from := compose.From{Email: "coach@example.com"}
	p, _ := db.CreatePost(ctx, app.PostInput{CohortID: h.ID, Subject: "Hello", Body: "Hi."})
	if _, err := db.QueuePost(ctx, p.ID, compose.NewIDs(from)); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	db.ImportMail(ctx, app.IncomingMail{MessageID: "r1@x", Hash: "h1", Kind: app.MailReply, ClientID: ana.ID, PostID: p.ID,
		FromEmail: ana.Email, Text: "Hello all.", Trust: app.TrustVerified})
	at := time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC)
	clock = at
	sum, err := due.Run(ctx, lessonsFail{db}, at, compose.NewIDs(from), sessions.Person{Email: from.Email}, false)
	if !errors.Is(err, errLessons) || sum.Digests == 0 {
		t.Fatalf("got %+v, %v; want the digests queued and the lessons' failure reported", sum, err)
	}
}
