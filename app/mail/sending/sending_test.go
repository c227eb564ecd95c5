package sending

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/smtptest"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/secret"
	"github.com/roundtablehq/roundtable/app/store"
)

// eventually waits up to 10 s for cond, polling: the worker runs on its own.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestSandboxThenRealAccount(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sec := secret.New(filepath.Join(dir, "secrets.json"))
	sec.NoKeyring = true
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
	ada, _ := db.CreateClient(ctx, app.ClientInput{Name: "Ada", Email: "ada@example.org"})
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID}, "")
	queue := func(subject string) {
		p, err := db.CreatePost(ctx, app.PostInput{CohortID: cohort.ID, Subject: subject, Body: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.QueuePost(ctx, p.ID, withIDs(func() (string, string) { return render.NewMessageID("x.test"), replyaddr.NewToken() })); err != nil {
			t.Fatal(err)
		}
	}

	s, err := Start(ctx, db, sec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.InSandbox() {
		t.Fatal("got a real route, want the sandbox while no account is set up")
	}
	queue("One")
	s.Worker().Kick()
	eventually(t, "the sandbox copy", func() bool {
		msgs, _ := s.Sandbox().Messages(ctx, "ada@example.org")
		return len(msgs) == 1 && msgs[0].Subject == "One"
	})

	srv := smtptest.Start(t, smtptest.Options{})
	if err := account.Save(ctx, db, sec, app.SMTPAccount{Host: srv.Host, Port: srv.Port, Security: app.SecurityNone,
		FromName: "Coach", FromEmail: "coach@example.com"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if s.InSandbox() || s.From().Email != "coach@example.com" {
		t.Fatalf("got sandbox=%v from %s, want the real account after reload", s.InSandbox(), s.From().Email)
	}
	queue("Two")
	s.Worker().Kick()
	eventually(t, "the real server's copy", func() bool { return len(srv.Messages()) == 1 })

	p, _ := db.ListPosts(ctx, cohort.ID)
	if err := s.SendTest(ctx, p[0]); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 2 || m[1].To[0] != "coach@example.com" {
		t.Fatalf("got %+v, want the test copy to the coach", m)
	}
}
