// Package inbox imports members' replies from the coach's IMAP mailbox. It reads
// headers first and downloads only the messages that belong to the community —
// replies, automatic replies, bounces and unsubscribe requests — so the coach's
// own mail is never downloaded, let alone stored. Each imported message is
// committed together with the folder position after it, so a sync cut off at any
// point (a dropped connection, a closed laptop, a crash) resumes where it stopped
// and imports nothing twice. It needs only IMAP4rev1 (RFC 3501) and works the
// same against IMAP4rev2 servers; extensions are used only when offered.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// Job names the sync in progress reports.
const Job = "inbox:sync"

// DefaultMaxAttachmentBytes is the largest attachment kept with a reply; a larger
// one is noted and left in the mailbox.
const DefaultMaxAttachmentBytes = 10 << 20

// Options say which mailbox folder to read and whether the sync may change it.
type Options struct {
	// Account names the mailbox in the workspace's record of what was read
	// ("user@host"), so that two accounts never share a position.
	Account string
	// Folder is the folder to read; "INBOX" when empty.
	Folder string
	// MarkRead marks imported replies as read. Off, the folder is opened
	// read-only (EXAMINE, BODY.PEEK): the coach's mailbox is not changed at all.
	MarkRead bool
	// MoveTo moves imported replies to this folder; "" leaves them in place.
	MoveTo string
	// Limits bound the reading of one message; zero fields take
	// message.DefaultLimits, except MaxAttachmentBytes, DefaultMaxAttachmentBytes.
	Limits message.Limits
	// BatchSize is how many headers are fetched per round trip (and the most
	// messages written in one transaction); 0 means 500.
	BatchSize int
	// AuthServID names the coach's provider in Authentication-Results: only its
	// verdict on a sender is believed (package trust). "" believes none.
	AuthServID string
	// KeepPersonal also keeps the coach's other 1:1 mail with clients; off, only
	// mail that belongs to the community is downloaded and stored.
	KeepPersonal bool
	// NewIDs identifies the confirmation message an unproven unsubscribe
	// request queues; nil uses ids under roundtable.invalid.
	NewIDs func() app.MessageIdentity
}

// Store is what a sync reads from and writes to: the lookups, the record of how
// far each folder was read, and the imported mail. The store provides it.
type Store interface {
	LookupStore
	// InboxSeenIDs says which Message-IDs were imported already.
	InboxSeenIDs(ctx context.Context, ids []string) (map[string]bool, error)
	InboxFolder(ctx context.Context, account, folder string) (uidValidity, lastUID uint32, err error)
	AdvanceInboxFolder(ctx context.Context, account, folder string, uidValidity, lastUID uint32) error
	// ImportMails writes a run of messages and the folder position after them
	// in one transaction (see store.DB.ImportMails).
	ImportMails(ctx context.Context, ins []app.IncomingMail, account, folder string, uidValidity, lastUID uint32, durable bool) ([]bool, error)
}

func limits(l message.Limits) message.Limits {
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	d := message.DefaultLimits
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = d.MaxMessageBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	return l
}

// maxHeaderBytes bounds the screened header fields of one message: far above
// any real header, so only a hostile one is cut short (and then skipped).
const maxHeaderBytes = 1 << 20

// headerFields are the fields screening and threading look at: enough to tell a
// reply, an automatic reply or a bounce from the coach's own mail.
var headerFields = []string{"From", "To", "Cc", "Delivered-To", "X-Original-To", "Message-ID", "In-Reply-To",
	"References", "Subject", "Date", "Content-Type", "Return-Path", "X-Failed-Recipients", "Auto-Submitted",
	"Authentication-Results"}

// Sync imports what is new in the folder since the last sync and returns what it
// did. It reports progress through report (nil for none) and stops when ctx is
// cancelled, keeping everything imported until then.
func Sync(ctx context.Context, st Store, dial Dialer, opts Options, report func(app.Progress)) (app.SyncSummary, error) {
	if opts.Folder == "" {
		opts.Folder = "INBOX"
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	opts.Limits = limits(opts.Limits)
	if report == nil {
		report = app.NoProgress
	}
	s := &syncer{ctx: ctx, st: st, lk: newSenders(st), opts: opts, report: report, sum: app.SyncSummary{Notes: []string{}}}
	c, err := dial(ctx)
	if err != nil {
		return s.sum, err
	}
	s.c = c
	s.pctx, s.stop = context.WithCancelCause(ctx)
	defer s.stop(nil)
	closeOnStop := context.AfterFunc(s.pctx, func() { c.Close() })
	defer closeOnStop()
	err = s.run()
	if err == nil {
		c.Logout().Wait()
	}
	c.Close()
	return s.summary(), s.fail(err)
}

type syncer struct {
	ctx    context.Context // the caller's
	st     Store
	lk     LookupStore // st, remembering senders
	c      *imapclient.Client
	opts   Options
	report func(app.Progress)

	// pctx ends the pipeline (pipeline.go): with the caller's ctx, or when a
	// stage fails (stop), which also closes the connection.
	pctx context.Context
	stop context.CancelCauseFunc

	mu  sync.Mutex // sum and total: the stages count from their own goroutines
	sum app.SyncSummary

	validity uint32
	total    int
}

// fail turns what stopped a sync into a sentence for the coach.
func (s *syncer) fail(err error) error {
	if err == nil {
		return nil
	}
	if s.ctx.Err() != nil {
		return app.Wrap(app.ECANCELED, err, "Stopped; the %d replies imported so far are kept", s.summary().Imported)
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	return app.Wrap(app.EUNAVAILABLE, err, "The connection to the mail server was lost during the sync; everything imported so far is kept. Sync again to continue")
}

// count changes the summary; progress reports it with note (nil f: report only).
func (s *syncer) count(note string, f func(*app.SyncSummary)) {
	s.mu.Lock()
	if f != nil {
		f(&s.sum)
	}
	p := app.Progress{Job: Job, Done: s.sum.Scanned, Total: s.total, Note: note}
	s.mu.Unlock()
	if note != "" {
		s.report(p)
	}
}

func (s *syncer) progress(note string) { s.count(note, nil) }

func (s *syncer) summary() app.SyncSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sum
}

func (s *syncer) run() error {
	readOnly := !s.opts.MarkRead && s.opts.MoveTo == ""
	sel, err := s.c.Select(s.opts.Folder, &imap.SelectOptions{ReadOnly: readOnly}).Wait()
	if err != nil {
		if isNo(err) {
			return app.Wrap(app.EINVALID, err, "The folder %q could not be opened on the mail server; check its name in Settings", s.opts.Folder)
		}
		return err
	}
	s.validity = sel.UIDValidity
	validity, last, err := s.st.InboxFolder(s.ctx, s.opts.Account, s.opts.Folder)
	if err != nil {
		return err
	}
	if validity != sel.UIDValidity {
		if validity != 0 {
			s.note(fmt.Sprintf("The server renumbered the folder %s, so it was read again from the start; nothing already imported was imported twice.", s.opts.Folder))
		}
		last = 0
	}
	// Nothing new since last time: UIDNEXT says so without listing anything.
	if validity == sel.UIDValidity && sel.UIDNext != 0 && uint32(sel.UIDNext) <= last+1 {
		s.progress("Nothing new")
		return nil
	}
	if sel.NumMessages == 0 {
		s.progress("The folder is empty")
		return s.st.AdvanceInboxFolder(s.ctx, s.opts.Account, s.opts.Folder, s.validity, last)
	}
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), 0)
	data, err := s.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
	if err != nil {
		return err
	}
	var uids []imap.UID
	for _, u := range data.AllUIDs() {
		if uint32(u) > last { // "n:*" also matches the last message when it is older
			uids = append(uids, u)
		}
	}
	slices.Sort(uids)
	s.count("Looking for replies", func(*app.SyncSummary) { s.total = len(uids) })
	if len(uids) == 0 {
		return s.st.AdvanceInboxFolder(s.ctx, s.opts.Account, s.opts.Folder, s.validity, last)
	}
	if err := s.pipeline(uids); err != nil {
		return err
	}
	s.progress("Done")
	return nil
}

// tidy marks or moves imported replies when the coach turned that on. A failure
// here loses nothing (the replies are imported), so it is a note, not an error.
func (s *syncer) tidy(uids []imap.UID) {
	if len(uids) == 0 || (!s.opts.MarkRead && s.opts.MoveTo == "") {
		return
	}
	set := imap.UIDSetNum(uids...)
	if s.opts.MarkRead {
		err := s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
		if err != nil {
			s.note("The imported replies could not be marked as read: " + err.Error())
		}
	}
	if s.opts.MoveTo == "" {
		return
	}
	var err error
	if s.c.Caps().Has(imap.CapMove) {
		_, err = s.c.Move(set, s.opts.MoveTo).Wait()
	} else if _, err = s.c.Copy(set, s.opts.MoveTo).Wait(); err == nil {
		err = s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
		// Without UIDPLUS an EXPUNGE would also remove what the coach deleted
		// themselves: leave that to their mail program.
		if err == nil && s.c.Caps().Has(imap.CapUIDPlus) {
			err = s.c.UIDExpunge(set).Close()
		}
	}
	if err != nil {
		s.note(fmt.Sprintf("The imported replies could not be moved to %s: %v", s.opts.MoveTo, err))
	}
}
