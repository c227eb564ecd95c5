package ui

import (
	"context"
	"log/slog"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/digest"
	"github.com/roundtablehq/roundtable/app/due"
	"github.com/roundtablehq/roundtable/app/mail/compose"
	"github.com/roundtablehq/roundtable/app/mail/sending"
	"github.com/roundtablehq/roundtable/app/sessions"
	"github.com/roundtablehq/roundtable/app/store"
)

// DigestService is the digests part of the window: each cohort's schedule, the
// preview of the next digest as a member gets it, how each member gets the
// cohort's mail, and what each member received.
type DigestService struct {
	base
	db      *store.DB
	sending *sending.Sending
	ahead   time.Duration // RunDue looks this far ahead of the clock (browser tests only; 0 otherwise)
}

// NewDigestService returns the service over an open workspace.
func NewDigestService(db *store.DB) *DigestService { return &DigestService{db: db} }

// Settings returns a cohort's digest settings, with the schedule in words and
// when the next digest goes.
func (s *DigestService) Settings(cohortID int64) (app.DigestSettings, error) {
	d, err := digest.Settings(s.ctx, s.db, cohortID, time.Now())
	return d, fail(err)
}

// SaveSettings changes a cohort's digest settings.
func (s *DigestService) SaveSettings(cohortID int64, d app.DigestSettings) error {
	return fail(digest.SaveSettings(s.ctx, s.db, cohortID, d))
}

// Preview renders the next digest of a cohort as one member will get it.
func (s *DigestService) Preview(cohortID, clientID int64) (app.DigestPreview, error) {
	if s.sending == nil {
		return app.DigestPreview{}, fail(app.Errorf(app.EUNAVAILABLE, "Roundtable is still starting; try again in a moment."))
	}
	p, err := sending.PreviewDigest(s.ctx, s.db, s.sending.From(), cohortID, clientID, time.Now())
	return p, fail(err)
}

// History lists the digests a client received, newest first, with their items.
func (s *DigestService) History(clientID int64) ([]app.Digest, error) {
	ds, err := s.db.DigestHistory(s.ctx, clientID)
	return ds, fail(err)
}

// SetDelivery sets how members get the cohort's mail: app.DeliveryIndividual,
// DeliveryDigest or DeliveryNone.
func (s *DigestService) SetDelivery(cohortID int64, clientIDs []int64, mode string) (int, error) {
	n, err := s.db.SetDelivery(s.ctx, cohortID, clientIDs, mode)
	return n, fail(err)
}

// MarkReply sets or clears the coach's mark on a reply: "hidden",
// "highlighted", "pinned" or "private".
func (s *DigestService) MarkReply(replyID int64, mark string, on bool) error {
	return fail(s.db.MarkReply(s.ctx, replyID, mark, on))
}

// RunDue queues what is due now, as the window's timer does every minute, and
// wakes the outbox: the coach's "Send what is due now".
func (s *DigestService) RunDue() (due.Summary, error) {
	if s.sending == nil {
		return due.Summary{}, fail(app.Errorf(app.EUNAVAILABLE, "Roundtable is still starting; try again in a moment."))
	}
	from := s.sending.From()
	sum, err := due.Run(s.ctx, s.db, time.Now().Add(s.ahead), compose.NewIDs(from), sessions.Organizer(from), false)
	if sum.Digests+sum.Reminders+sum.Lessons > 0 { // also when a part failed: what the others queued goes
		s.sending.Worker().Kick()
	}
	return sum, fail(err)
}

// StartDigests gives the digest service the running outbox and runs what is due
// every interval while the window is open: digests whose hour has come are
// recorded and the outbox is woken. ahead makes RunDue reckon "now" that much
// later: only the browser tests set it (a member who joined minutes ago is due
// no digest before the next scheduled hour). A function, not a method, so that
// the window cannot call it.
func StartDigests(ctx context.Context, s *DigestService, snd *sending.Sending, interval, ahead time.Duration) {
	s.sending, s.ahead = snd, ahead
	go due.Every(ctx, s.db, interval, compose.NewIDs(snd.From()), sessions.Organizer(snd.From()),
		func(due.Summary) { snd.Worker().Kick() },
		func(err error) { slog.Error("digests", "err", err) })
}
