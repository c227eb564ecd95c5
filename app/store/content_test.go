package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestLessons(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ids := func() app.MessageIdentity {
		return app.MessageIdentity{MessageID: randomID() + "@x", Token: randomID(), BounceToken: randomID()}
	}
	l, _, err := db.SaveLesson(ctx, 0, app.LessonInput{Title: "Week 1: Start", Body: "Go."}, false, ids)
	if err != nil || l.Slug != "week-1-start" {
		t.Fatalf("got %+v, %v", l, err)
	}
	t.Run("RenameKeepsTheFile", func(t *testing.T) {
		r, _, err := db.SaveLesson(ctx, l.ID, app.LessonInput{Title: "Week 1: A start", Body: "Go."}, false, ids)
		if err != nil || r.Slug != "week-1-start" || r.Title != "Week 1: A start" {
			t.Fatalf("got %+v, %v; want the new title under the old file name", r, err)
		}
		if _, _, err := db.SaveLesson(ctx, l.ID, app.LessonInput{Slug: l.Slug, Title: l.Title, Body: "Go."}, false, ids); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, _, err := db.SaveLesson(ctx, 0, app.LessonInput{Title: "WEEK 1: start", Slug: "other", Body: "Go."}, false, ids)
		wantCode(t, err, app.ECONFLICT)
		_, _, err = db.SaveLesson(ctx, 0, app.LessonInput{Title: "Another", Slug: "week-1-start", Body: "Go."}, false, ids)
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, _, err := db.SaveLesson(ctx, 999, app.LessonInput{Title: "Ghost", Body: "Boo."}, false, ids)
		wantCode(t, err, app.ENOTFOUND)
		_, err = db.FindLessonByTitle(ctx, "Ghost")
		wantCode(t, err, app.ENOTFOUND)
	})

	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Course"})
	ada := mustClient(t, db, "Ada Lovelace", "ada@example.com")
	grace := mustClient(t, db, "Grace Hopper", "grace@example.com")
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID}, "")
	if err := db.SetCurriculum(ctx, app.CurriculumInput{CohortID: cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 1}); err != nil {
		t.Fatal(err)
	}
	t.Run("ReleasedOnce", func(t *testing.T) {
		rs := []app.LessonRelease{{ClientID: ada.ID, LessonIDs: []int64{l.ID}, Via: app.ViaMail}}
		for i, want := range []int{1, 0} {
			if n, err := db.RecordReleases(ctx, cohort.ID, db.Now(), rs, ids); err != nil || n != want {
				t.Fatalf("run %d: released %d (%v), want %d", i+1, n, err, want)
			}
		}
		items, _ := db.Outbox(ctx, app.OutboxFilter{})
		if len(items) != 1 || items[0].Subject != "Week 1: Start" {
			t.Fatalf("got %+v, want one copy of the lesson", items)
		}
	})
	t.Run("Marks", func(t *testing.T) {
		wantCode(t, db.MarkLesson(ctx, cohort.ID, l.ID, grace.ID, app.LessonDone), app.ENOTFOUND)
		wantCode(t, db.MarkLesson(ctx, cohort.ID, l.ID, ada.ID, "maybe"), app.EINVALID)
		if err := db.MarkLesson(ctx, cohort.ID, l.ID, ada.ID, app.LessonExcused); err != nil {
			t.Fatal(err)
		}
		g, _ := db.ProgressGrid(ctx, cohort.ID)
		if g.Members[0].Cells[0].State != app.LessonExcused {
			t.Fatalf("got %+v", g.Members[0].Cells[0])
		}
		if err := db.MarkLesson(ctx, cohort.ID, l.ID, ada.ID, ""); err != nil {
			t.Fatal(err)
		}
		if g, _ := db.ProgressGrid(ctx, cohort.ID); g.Members[0].Cells[0].State != app.LessonReleased {
			t.Fatalf("after clearing: %+v", g.Members[0].Cells[0])
		}
	})
}

// TestMigrateToContentKeepsTheInbox: 0014 rebuilds inbox_messages (a new
// kind, "done"); what was imported before stays, and is still recognised.
func TestMigrateToContentKeepsTheInbox(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "workspace.db")
	old, err := openAt(path, 13)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.ImportMail(ctx, app.IncomingMail{MessageID: "m1@example.net", Hash: "h1", Kind: app.MailPersonal, FromEmail: "a@example.net"}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if seen, err := db.InboxSeen(ctx, "m1@example.net", "other"); err != nil || !seen {
		t.Fatalf("got %v, %v; want the message imported before still known", seen, err)
	}
	if ok, err := db.ImportMail(ctx, app.IncomingMail{MessageID: "m2@example.net", Hash: "h2", Kind: app.MailDone}); err != nil || !ok {
		t.Fatalf("a done reply: %v, %v", ok, err)
	}
}

// TestLessonAttachments: a lesson's files go with the post that carries it,
// including files added or removed after its first release, and a welcome
// mail carries the files of every lesson it lists.
func TestLessonAttachments(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ids := func() app.MessageIdentity {
		return app.MessageIdentity{MessageID: randomID() + "@x", Token: randomID(), BounceToken: randomID()}
	}
	cohort, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Course"})
	ada := mustClient(t, db, "Ada Lovelace", "ada@example.com")
	ken := mustClient(t, db, "Ken Thompson", "ken@example.com")
	db.AddMembers(ctx, cohort.ID, []int64{ada.ID, ken.ID}, "")
	var lessons []app.Lesson
	for _, title := range []string{"One", "Two"} {
		l, _, err := db.SaveLesson(ctx, 0, app.LessonInput{Title: title, Body: "Read."}, false, ids)
		if err != nil {
			t.Fatal(err)
		}
		db.SetCurriculum(ctx, app.CurriculumInput{CohortID: cohort.ID, LessonID: l.ID, Rule: app.ReleaseCohortDay, Day: 1})
		if _, err := db.AddLessonAttachment(ctx, l.ID, title+".pdf", "application/pdf", []byte("%PDF "+title)); err != nil {
			t.Fatal(err)
		}
		lessons = append(lessons, l)
	}
	if _, err := db.AddLessonAttachment(ctx, 999, "x.pdf", "application/pdf", []byte("x")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("got %v, want not found", err)
	}
	if _, err := db.RecordReleases(ctx, cohort.ID, db.Now(), []app.LessonRelease{{ClientID: ada.ID, LessonIDs: []int64{lessons[0].ID}, Via: app.ViaMail},
		{ClientID: ken.ID, LessonIDs: []int64{lessons[0].ID, lessons[1].ID}, Via: app.ViaWelcome}}, ids); err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{}
	items, _ := db.Outbox(ctx, app.OutboxFilter{})
	for _, it := range items {
		metas, _, err := db.PostAttachmentData(ctx, it.PostID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range metas {
			files[it.Email] = append(files[it.Email], m.Filename)
		}
	}
	if got := files; len(got["ada@example.com"]) != 1 || len(got["ken@example.com"]) != 2 {
		t.Fatalf("got %v, want Ada's lesson with One.pdf and Ken's welcome with both", got)
	}
	// A file added later goes with the lesson's post; removed, it goes away.
	extra, err := db.AddLessonAttachment(ctx, lessons[0].ID, "extra.txt", "text/plain", []byte("more"))
	if err != nil {
		t.Fatal(err)
	}
	var post int64
	for _, it := range items {
		if it.ClientID == ada.ID {
			post = it.PostID
		}
	}
	if metas, _, _ := db.PostAttachmentData(ctx, post); len(metas) != 2 {
		t.Fatalf("got %d files on the lesson's post, want 2", len(metas))
	}
	if err := db.RemoveLessonAttachment(ctx, lessons[0].ID, extra.ID); err != nil {
		t.Fatal(err)
	}
	if metas, _, _ := db.PostAttachmentData(ctx, post); len(metas) != 1 {
		t.Fatalf("got %d files after removing one, want 1", len(metas))
	}
	if as, _ := db.LessonAttachments(ctx, lessons[0].ID); len(as) != 1 || as[0].Filename != "One.pdf" {
		t.Fatalf("got %+v", as)
	}
}
