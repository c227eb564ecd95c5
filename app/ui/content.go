package ui

import (
	"bytes"
	"io"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/content"
	"github.com/roundtablehq/roundtable/app/export"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/store"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ContentService is the lessons area of the window: the library, each
// cohort's curriculum and its progress grid. Releases happen in the run-due
// timer (DigestService), like the digests.
type ContentService struct {
	base
	db *store.DB
	// from and kick come from the running outbox (StartContent): who sends a
	// correction, and waking the outbox once it is queued. nil while starting.
	from func() compose.From
	kick func()
}

// NewContentService returns the service over an open workspace.
func NewContentService(db *store.DB) *ContentService { return &ContentService{db: db} }

// StartContent gives the content service the running outbox. A function, not a
// method, so that the window cannot call it.
func StartContent(s *ContentService, snd *sending.Sending) {
	s.from, s.kick = snd.From, func() { snd.Worker().Kick() }
}

// Lessons returns the library in the coach's order.
func (s *ContentService) Lessons() ([]app.Lesson, error) {
	ls, err := s.db.Lessons(s.ctx)
	return ls, fail(err)
}

// SaveLesson creates (id 0) or changes a lesson. With sendCorrection, the
// members who already received it get the corrected lesson in a mail of its
// own (off by default in the editor).
func (s *ContentService) SaveLesson(id int64, in app.LessonInput, sendCorrection bool) (app.Lesson, error) {
	if sendCorrection && s.from == nil {
		return app.Lesson{}, fail(app.Errorf(app.EUNAVAILABLE, "Roundtable is still starting; try again in a moment."))
	}
	newIDs := func() app.MessageIdentity { return app.MessageIdentity{} }
	if s.from != nil {
		newIDs = compose.NewIDs(s.from())
	}
	l, n, err := content.SaveLesson(s.ctx, s.db, id, in, sendCorrection, newIDs)
	if err == nil && n > 0 && s.kick != nil {
		s.kick()
	}
	return l, fail(err)
}

// LessonMail is the subject and Markdown of a lesson as members receive it
// (with its check-in question and the "done" hint), for the post preview.
func (s *ContentService) LessonMail(in app.LessonInput) app.PostInput {
	subject, body := app.LessonMail(app.Lesson{Title: in.Title, Body: in.Body, CheckIn: in.CheckIn, AskDone: in.AskDone})
	return app.PostInput{Subject: subject, Body: body}
}

// LessonUse says where a lesson is used, for the question before deleting it.
func (s *ContentService) LessonUse(id int64) (app.LessonUse, error) {
	use, err := s.db.LessonUse(s.ctx, id)
	return use, fail(err)
}

// DeleteLesson removes a lesson from the library (see store.DB.DeleteLesson).
func (s *ContentService) DeleteLesson(id int64) (app.LessonUse, error) {
	use, err := s.db.DeleteLesson(s.ctx, id)
	return use, fail(err)
}

// ImportFolder reads a folder of Markdown lessons into the library.
func (s *ContentService) ImportFolder(dir string) (app.LessonImport, error) {
	sum, err := content.Import(s.ctx, s.db, dir)
	return sum, fail(err)
}

// ExportFolder writes the library into a folder, one Markdown file a lesson.
func (s *ContentService) ExportFolder(dir string) (int, error) {
	n, err := content.Export(s.ctx, s.db, dir)
	return n, fail(err)
}

// ChooseFolder asks for a folder with the system's dialog, for ImportFolder
// and ExportFolder; "" when the coach cancels.
func (s *ContentService) ChooseFolder(title string) (string, error) {
	dir, err := folderDialog(s.ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
	return dir, fail(err)
}

// Curriculum returns a cohort's curriculum, each entry described.
func (s *ContentService) Curriculum(cohortID int64) (app.Curriculum, error) {
	c, err := content.Show(s.ctx, s.db, cohortID)
	return c, fail(err)
}

// Schedule sets when a lesson is released in a cohort.
func (s *ContentService) Schedule(in app.CurriculumInput) error {
	return fail(content.Schedule(s.ctx, s.db, in))
}

// Unschedule takes a lesson out of a cohort's curriculum; who had it keeps it.
func (s *ContentService) Unschedule(cohortID, lessonID int64) error {
	return fail(s.db.RemoveFromCurriculum(s.ctx, cohortID, lessonID))
}

// SetLateJoiners sets what late joiners get: app.LateCatchUp or app.LateNext.
func (s *ContentService) SetLateJoiners(cohortID int64, rule string) error {
	return fail(s.db.SetLateJoiners(s.ctx, cohortID, rule))
}

// Progress returns the cohort's grid of members × lessons.
func (s *ContentService) Progress(cohortID int64) (app.ProgressGrid, error) {
	g, err := s.db.ProgressGrid(s.ctx, cohortID)
	return g, fail(err)
}

// ProgressCSV returns the grid as CSV, for the window to save.
func (s *ContentService) ProgressCSV(cohortID int64) (string, error) {
	g, err := s.db.ProgressGrid(s.ctx, cohortID)
	if err != nil {
		return "", fail(err)
	}
	var b bytes.Buffer
	err = content.WriteGridCSV(&b, g)
	return b.String(), fail(err)
}

// SaveProgressCSV writes the grid as CSV to a file the coach chooses and
// returns its path, "" when the coach cancels.
func (s *ContentService) SaveProgressCSV(cohortID int64) (string, error) {
	g, err := s.db.ProgressGrid(s.ctx, cohortID)
	if err != nil {
		return "", fail(err)
	}
	path, err := saveDialog(s.ctx, runtime.SaveDialogOptions{
		Title: "Export the progress of " + g.Cohort, DefaultFilename: fileName(g.Cohort) + "-progress.csv",
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", fail(err)
	}
	return path, fail(export.WriteFile(path, func(w io.Writer) error { return content.WriteGridCSV(w, g) }))
}

// Mark records the coach's word on a member's lesson: app.LessonDone,
// app.LessonExcused, or "" to clear it.
func (s *ContentService) Mark(cohortID, lessonID, clientID int64, state string) error {
	return fail(s.db.MarkLesson(s.ctx, cohortID, lessonID, clientID, state))
}

// LessonAttachments lists a lesson's files, with the size notes posts get.
func (s *ContentService) LessonAttachments(lessonID int64) (Attachments, error) {
	files, err := s.db.LessonAttachments(s.ctx, lessonID)
	if err != nil {
		return Attachments{}, fail(err)
	}
	return Attachments{Files: files, Warnings: append([]string{}, app.AttachmentWarnings(files)...)}, nil
}

// AddLessonAttachment asks for a file with the system's dialog and attaches it
// to the lesson; it returns the lesson's files ("" chosen: nothing changes).
func (s *ContentService) AddLessonAttachment(lessonID int64) (Attachments, error) {
	f, ok, err := pickFile(s.ctx)
	if err != nil {
		return Attachments{}, fail(err)
	}
	if ok {
		if _, err := s.db.AddLessonAttachment(s.ctx, lessonID, f.name, f.contentType, f.data); err != nil {
			return Attachments{}, fail(err)
		}
	}
	return s.LessonAttachments(lessonID)
}

// RemoveLessonAttachment takes a file off a lesson.
func (s *ContentService) RemoveLessonAttachment(lessonID, id int64) (Attachments, error) {
	if err := s.db.RemoveLessonAttachment(s.ctx, lessonID, id); err != nil {
		return Attachments{}, fail(err)
	}
	return s.LessonAttachments(lessonID)
}
