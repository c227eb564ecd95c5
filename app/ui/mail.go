package ui

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/account"
	"github.com/roundtablehq/roundtable/app/mail/autoconfig"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/message"
	"github.com/roundtablehq/roundtable/app/mail/outbox"
	"github.com/roundtablehq/roundtable/app/mail/render"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/store"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventOutboxProgress is sent after every message the outbox sends.
const EventOutboxProgress = "outbox:progress"

// MailService is the mail area of the window: the account, composing, the outbox
// and the sandbox mailboxes.
type MailService struct {
	base
	db      *store.DB
	sec     Passwords
	sending *sending.Sending
}

// Passwords is where the services keep the account passwords (secret.Store):
// the keyring, or the file once the coach has agreed to it.
type Passwords interface {
	account.Secrets
	// AllowFile records the coach's agreement to keep passwords in a file
	// readable only by them, where no keyring can take them.
	AllowFile()
}

// NewMailService returns the service; Attach gives it the running outbox once
// the window has started.
func NewMailService(db *store.DB, sec Passwords) *MailService {
	return &MailService{db: db, sec: sec}
}

// AttachSending hands the service the running outbox and sandbox. It is a
// function, not a method, so that the window cannot call it.
func AttachSending(s *MailService, snd *sending.Sending) { s.sending = snd }

// OutboxReporter returns the report func that emits outbox progress to the window.
func OutboxReporter(s *MailService) func(app.Progress) { return s.reporter(EventOutboxProgress) }

// Account returns the mail account as the settings page shows it.
func (s *MailService) Account() (app.AccountStatus, error) {
	st, err := account.Status(s.ctx, s.db, s.sec)
	return st, fail(err)
}

// Presets returns the common providers' settings.
func (s *MailService) Presets() []app.Preset { return app.Presets }

// SaveAccount saves the account ("" keeps the saved password) and sends through
// it from now on. keepInFile is the coach's agreement to keep the password in a
// file where no keyring can take it: the window asks for it when an error has
// the field secret.FieldFileConsent, and calls again.
func (s *MailService) SaveAccount(a app.SMTPAccount, password string, keepInFile bool) error {
	if keepInFile {
		s.sec.AllowFile()
	}
	if err := account.Save(s.ctx, s.db, s.sec, a, password); err != nil {
		return fail(err)
	}
	return fail(s.sending.Reload(s.ctx))
}

// Profile returns the coach's profile (their name as members see it).
func (s *MailService) Profile() (app.Profile, error) {
	p, err := account.LoadProfile(s.ctx, s.db)
	return p, fail(err)
}

// SaveProfile saves the coach's profile; mail queued from now on carries the name.
func (s *MailService) SaveProfile(p app.Profile) (app.Profile, error) {
	if err := account.SaveProfile(s.ctx, s.db, p); err != nil {
		return app.Profile{}, fail(err)
	}
	if err := s.sending.Reload(s.ctx); err != nil {
		return app.Profile{}, fail(err)
	}
	return s.Profile()
}

// TestAccount connects and logs in with these settings without saving them.
func (s *MailService) TestAccount(a app.SMTPAccount, password string) error {
	if err := account.Test(s.ctx, s.sec, a, password); err != nil {
		return plain(err)
	}
	return nil
}

// UseSandbox forgets the account and sends into the sandbox again.
func (s *MailService) UseSandbox() error {
	if err := account.UseSandbox(s.ctx, s.db, s.sec); err != nil {
		return fail(err)
	}
	return fail(s.sending.Reload(s.ctx))
}

// Posts lists a cohort's posts, newest first (0 for all cohorts).
func (s *MailService) Posts(cohortID int64) ([]app.Post, error) {
	ps, err := s.db.ListPosts(s.ctx, cohortID)
	for i := range ps {
		compose.Title(fromOf(s.sending), &ps[i])
	}
	return ps, fail(err)
}

// Post returns one post with its outbox counts.
func (s *MailService) Post(id int64) (app.Post, error) {
	p, err := s.db.FindPost(s.ctx, id)
	compose.Title(fromOf(s.sending), &p)
	return p, fail(err)
}

// DeleteDraft deletes a draft that was never sent.
func (s *MailService) DeleteDraft(id int64) error { return fail(s.db.DeleteDraft(s.ctx, id)) }

// Attachments are a post's files and any note about their size.
type Attachments struct {
	Files    []app.PostAttachment `json:"files"`
	Warnings []string             `json:"warnings"`
}

// Attachments lists a post's files.
func (s *MailService) Attachments(postID int64) (Attachments, error) {
	files, err := s.db.PostAttachments(s.ctx, postID)
	if err != nil {
		return Attachments{}, fail(err)
	}
	return Attachments{Files: files, Warnings: append([]string{}, app.AttachmentWarnings(files)...)}, nil
}

// AddAttachment asks for a file with the system's dialog and attaches it to the
// draft; it returns the draft's files ("" chosen: nothing changes).
func (s *MailService) AddAttachment(postID int64) (Attachments, error) {
	f, ok, err := pickFile(s.ctx)
	if err != nil || !ok {
		if err != nil {
			return Attachments{}, fail(err)
		}
		return s.Attachments(postID)
	}
	if _, err := s.db.AddPostAttachment(s.ctx, postID, f.name, f.contentType, f.data); err != nil {
		return Attachments{}, fail(err)
	}
	return s.Attachments(postID)
}

// pickedFile is a file the coach chose to attach.
type pickedFile struct {
	name, contentType string
	data              []byte
}

// pickFile asks for a file to attach with the system's dialog and reads it;
// ok is false when the coach chose none. A file over the limit is refused
// before it is read.
func pickFile(ctx context.Context) (pickedFile, bool, error) {
	path, err := openDialog(ctx, runtime.OpenDialogOptions{Title: "Attach a file"})
	if err != nil || path == "" {
		return pickedFile{}, false, nil
	}
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return pickedFile{}, false, app.Wrap(app.EINVALID, err, "%s could not be read", name)
	}
	if st.Size() > app.AttachmentLimitBytes {
		return pickedFile{}, false, app.Errorf(app.EINVALID, "%s is over 20 MB, more than many mail providers accept. Share a link to it instead.", name)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return pickedFile{}, false, app.Wrap(app.EINVALID, err, "%s could not be read", name)
	}
	ctype := mime.TypeByExtension(strings.ToLower(filepath.Ext(path)))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	return pickedFile{name, ctype, data}, true, nil
}

// RemoveAttachment takes a file off a draft.
func (s *MailService) RemoveAttachment(postID, id int64) (Attachments, error) {
	if err := s.db.RemovePostAttachment(s.ctx, id); err != nil {
		return Attachments{}, fail(err)
	}
	return s.Attachments(postID)
}

// SaveDraft creates a draft (id 0) or saves edits to one: the editor's autosave.
func (s *MailService) SaveDraft(id int64, in app.PostInput) (app.Post, error) {
	if id == 0 {
		p, err := s.db.CreatePost(s.ctx, in)
		return p, fail(err)
	}
	p, err := s.db.UpdatePost(s.ctx, id, in)
	return p, fail(err)
}

// Preview is one member's copy of a post, exactly as it will be sent.
type Preview struct {
	Subject  string   `json:"subject"`
	HTML     string   `json:"html"` // a whole document, for a sandboxed frame
	Text     string   `json:"text"`
	Member   string   `json:"member"` // whose copy this is
	Warnings []string `json:"warnings"`
	// Problems stop the send (an empty subject, an unknown placeholder); the
	// editor shows each beside its field, and the send confirmation lists them
	// with its Send disabled.
	Problems []app.PostProblem `json:"problems"`
}

// Preview renders the post as the given member (or the cohort's first member, or
// a sample name) will receive it.
func (s *MailService) Preview(in app.PostInput, clientID int64) (Preview, error) {
	post := app.Post{CohortID: in.CohortID, Subject: in.Subject, Body: in.Body}
	if c, err := s.db.FindCohortByID(s.ctx, in.CohortID); err == nil {
		post.Cohort = c.Name
	}
	name, email := "Alex Example", "alex@example.com"
	if clientID == 0 {
		if roster, err := s.db.Roster(s.ctx, in.CohortID, false); err == nil && len(roster) > 0 {
			clientID = roster[0].ClientID
		}
	}
	if c, err := s.db.FindClientByID(s.ctx, clientID); err == nil {
		name, email = c.Name, c.Email
	}
	b, err := compose.Body(s.sending.From(), post, name, email, replyaddr.NewToken())
	if err != nil {
		return Preview{}, fail(err)
	}
	warnings := render.Lint(render.Content{Subject: in.Subject, Markdown: in.Body})
	return Preview{Subject: b.Subject, HTML: b.HTML, Text: b.Text, Member: name, Warnings: append([]string{}, warnings...),
		Problems: sending.Problems(in.Subject, in.Body)}, nil
}

// SendPlan is what sending the saved draft would do, for the confirmation:
// the cohort, how many get it, who is skipped and why, notes and problems.
func (s *MailService) SendPlan(id int64) (app.SendPlan, error) {
	p, err := sending.Plan(s.ctx, s.db, fromOf(s.sending), id)
	return p, fail(err)
}

// SendTest sends the draft to the coach's own address.
func (s *MailService) SendTest(id int64) error {
	p, err := s.db.FindPost(s.ctx, id)
	if err != nil {
		return fail(err)
	}
	return plain(s.sending.SendTest(s.ctx, p))
}

// Send queues the post for every member (at its SendAt, when set) and wakes the
// outbox.
func (s *MailService) Send(id int64) (app.Post, error) {
	p, err := sending.Queue(s.ctx, s.db, s.sending.From(), id)
	if err != nil {
		return p, fail(err)
	}
	s.sending.Worker().Kick()
	return p, nil
}

// OutboxState is the outbox worker's state and the counts by message state.
type OutboxState struct {
	Worker  outbox.Status  `json:"worker"`
	Counts  map[string]int `json:"counts"`
	Sandbox bool           `json:"sandbox"`
	NextDue *time.Time     `json:"nextDue"` // when the next waiting message falls due; nil when none waits
}

// OutboxState tells what the outbox is doing.
func (s *MailService) OutboxState() (OutboxState, error) {
	counts, err := s.db.OutboxCounts(s.ctx, 0)
	if err != nil {
		return OutboxState{}, fail(err)
	}
	st := OutboxState{Worker: s.sending.Worker().Status(), Counts: counts, Sandbox: s.sending.InSandbox()}
	if at, ok, err := s.db.NextWake(s.ctx); err == nil && ok {
		st.NextDue = &at
	}
	return st, nil
}

// Outbox lists messages: of one post, in one state, or all.
func (s *MailService) Outbox(f app.OutboxFilter) ([]app.OutboxItem, error) {
	items, err := s.db.Outbox(s.ctx, f)
	return items, fail(err)
}

// PauseSending stops the outbox after the message in hand.
func (s *MailService) PauseSending() { s.sending.Worker().Pause() }

// ResumeSending undoes PauseSending.
func (s *MailService) ResumeSending() { s.sending.Worker().Resume() }

// RetryNow makes a post's waiting and failed messages due at once (0 for all).
func (s *MailService) RetryNow(postID int64) (int, error) {
	n, err := s.db.RetryNow(s.ctx, postID)
	s.sending.Worker().Kick()
	return n, fail(err)
}

// CancelUnsent cancels a post's messages that have not gone yet.
func (s *MailService) CancelUnsent(postID int64) (int, error) {
	n, err := s.db.CancelUnsent(s.ctx, postID)
	return n, fail(err)
}

// SandboxMailboxes lists the sandbox's mailboxes: one per member who got mail,
// and the coach's.
func (s *MailService) SandboxMailboxes() ([]app.SandboxMailbox, error) {
	ms, err := s.sending.Sandbox().Mailboxes(s.ctx)
	return ms, fail(err)
}

// SandboxMessages lists what one sandbox address received, newest first, without
// the raw bytes.
func (s *MailService) SandboxMessages(address string) ([]app.SandboxMessage, error) {
	ms, err := s.sending.Sandbox().Messages(s.ctx, address)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]app.SandboxMessage, len(ms))
	for i, m := range ms {
		m.Raw = ""
		out[len(ms)-1-i] = m
	}
	return out, nil
}

// MailView is one message opened for reading: its parts, sanitised.
type MailView struct {
	Subject string `json:"subject"`
	From    string `json:"from"`
	To      string `json:"to"`
	Date    string `json:"date"`
	HTML    string `json:"html"` // sanitised; remote images blocked
	// Links are the web and mail links in HTML: a click inside the mail frame
	// goes nowhere, so the window lists them for the coach to open on purpose.
	Links   []string          `json:"links"`
	Text    string            `json:"text"`
	Headers map[string]string `json:"headers"`
}

// SandboxMessage opens one message of a sandbox mailbox.
func (s *MailService) SandboxMessage(address string, id int64) (MailView, error) {
	ms, err := s.sending.Sandbox().Messages(s.ctx, address)
	if err != nil {
		return MailView{}, fail(err)
	}
	for _, m := range ms {
		if m.ID != id {
			continue
		}
		parsed, err := message.Parse(bytes.NewReader([]byte(m.Raw)), message.DefaultLimits)
		if err != nil {
			return MailView{}, fail(err)
		}
		h := map[string]string{}
		for _, k := range []string{"Message-Id", "Reply-To", "In-Reply-To", "References", "List-Unsubscribe", "Delivered-To"} {
			h[k] = strings.Join(parsed.Header.Values(k), ", ")
		}
		safe := message.SanitizeHTML(parsed.HTML)
		return MailView{Subject: m.Subject, From: m.From, To: m.To, Date: m.Date,
			HTML: safe, Links: message.Links(safe), Text: parsed.Text, Headers: h}, nil
	}
	return MailView{}, fail(app.Errorf(app.ENOTFOUND, "That message is no longer in the mailbox."))
}

// plain returns an error whose text is the coach's sentence, for errors of the
// sending side too (they carry their own sentences).
func plain(err error) error {
	if err == nil {
		return nil
	}
	return fail(app.FieldErrorf(app.ErrorCode(err), app.ErrorField(err), "%s", outbox.Message(err)))
}

// FindSettings looks up the SMTP and IMAP settings for the coach's address: the
// presets, the settings shipped with the app, then (only now, as the coach asked)
// the domain's own published autoconfig file.
func (s *MailService) FindSettings(email string) (app.Preset, error) {
	p, err := (&autoconfig.Finder{}).Find(s.ctx, email)
	return p, fail(err)
}

// AppPasswordHelp returns the sentence that explains app passwords.
func (s *MailService) AppPasswordHelp() string { return app.AppPasswordHelp }

// fromOf is who the mail is from, for titles; before the outbox has started,
// nobody in particular (a {{coach_name}} shows empty for a moment).
func fromOf(snd *sending.Sending) compose.From {
	if snd == nil {
		return compose.From{}
	}
	return snd.From()
}
