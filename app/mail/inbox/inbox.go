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
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

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
	// BatchSize is how many headers are fetched per round trip; 0 means 200.
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
	InboxSeen(ctx context.Context, messageID, hash string) (bool, error)
	InboxFolder(ctx context.Context, account, folder string) (uidValidity, lastUID uint32, err error)
	AdvanceInboxFolder(ctx context.Context, account, folder string, uidValidity, lastUID uint32) error
	ImportMail(ctx context.Context, in app.IncomingMail) (bool, error)
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
		opts.BatchSize = 200
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
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	err = s.run()
	if err == nil {
		c.Logout().Wait()
	}
	c.Close()
	return s.sum, s.fail(err)
}

type syncer struct {
	ctx    context.Context
	st     Store
	lk     LookupStore // st, remembering senders
	c      *imapclient.Client
	opts   Options
	report func(app.Progress)
	sum    app.SyncSummary

	validity uint32
	total    int
	pending  []imap.UID // relevant messages of the batch not done yet, in order
	batchMax imap.UID
}

// fail turns what stopped a sync into a sentence for the coach.
func (s *syncer) fail(err error) error {
	if err == nil {
		return nil
	}
	if s.ctx.Err() != nil {
		return app.Wrap(app.ECANCELED, err, "Stopped; the %d replies imported so far are kept", s.sum.Imported)
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	return app.Wrap(app.EUNAVAILABLE, err, "The connection to the mail server was lost during the sync; everything imported so far is kept. Sync again to continue")
}

func (s *syncer) progress(note string) {
	s.report(app.Progress{Job: Job, Done: s.sum.Scanned, Total: s.total, Note: note})
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
			s.sum.Notes = append(s.sum.Notes, fmt.Sprintf("The server renumbered the folder %s, so it was read again from the start; nothing already imported was imported twice.", s.opts.Folder))
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
	s.total = len(uids)
	s.progress("Looking for replies")
	if len(uids) == 0 {
		return s.st.AdvanceInboxFolder(s.ctx, s.opts.Account, s.opts.Folder, s.validity, last)
	}
	for len(uids) > 0 {
		n := min(s.opts.BatchSize, len(uids))
		if err := s.batch(uids[:n]); err != nil {
			return err
		}
		uids = uids[n:]
	}
	s.progress("Done")
	return nil
}

// batch screens the headers of a run of messages, imports the relevant ones, and
// records the folder as read up to the last of them.
func (s *syncer) batch(uids []imap.UID) error {
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: headerFields, Peek: true}
	var msgs []fetched
	err := fetchEach(s.c, s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true,
		BodySection: []*imap.FetchItemBodySection{section}}), maxHeaderBytes, func(m fetched) error {
		msgs = append(msgs, m)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(msgs, func(a, b fetched) int { return int(a.UID) - int(b.UID) })
	s.batchMax = uids[len(uids)-1]
	s.pending = s.pending[:0]
	headers := map[imap.UID]*message.Message{}
	var small []imap.UID
	for _, b := range msgs {
		s.sum.Scanned++
		h, err := message.ParseHeader(bytes.NewReader(b.Body))
		if err != nil {
			s.sum.Skipped++
			continue
		}
		relevant, _, err := screen(s.ctx, s.lk, h, s.opts)
		if err != nil {
			return err
		}
		if !relevant {
			s.sum.Skipped++
			continue
		}
		if h.MessageID != "" {
			seen, err := s.st.InboxSeen(s.ctx, h.MessageID, "")
			if err != nil {
				return err
			}
			if seen {
				s.sum.Duplicates++
				continue
			}
		}
		headers[b.UID] = h
		s.pending = append(s.pending, b.UID)
		if b.Size <= s.opts.Limits.MaxMessageBytes {
			small = append(small, b.UID)
		}
	}
	s.progress("Looking for replies")
	var tidy []imap.UID
	// Messages too large to read are imported from their header alone.
	for _, u := range s.pending {
		if !slices.Contains(small, u) {
			h := headers[u]
			h.Notes = append(h.Notes, fmt.Sprintf("The message is larger than %d MB, the most Roundtable reads; open it in your mailbox to see it.", s.opts.Limits.MaxMessageBytes>>20))
			ok, err := s.importOne(u, h)
			if err != nil {
				return err
			}
			if ok {
				tidy = append(tidy, u)
			}
		}
	}
	if len(small) > 0 {
		body := &imap.FetchItemBodySection{Peek: true}
		err := fetchEach(s.c, s.c.Fetch(imap.UIDSetNum(small...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}}),
			s.opts.Limits.MaxMessageBytes, func(f fetched) error {
				h, ok := headers[f.UID]
				if !ok || f.Body == nil {
					return nil // not asked for (a server's unilateral FETCH)
				}
				m, perr := message.Parse(bytes.NewReader(f.Body), s.opts.Limits)
				if perr != nil {
					h.Notes = append(h.Notes, "The message could not be read: "+app.ErrorMessage(perr))
					m = h
				}
				imported, err := s.importOne(f.UID, m)
				if imported {
					tidy = append(tidy, f.UID)
				}
				return err
			})
		if err != nil {
			return err
		}
	}
	// Only now is the server told: every message in tidy was committed by its
	// own ImportMail above (synchronous=FULL: on the disk), so a MOVE or \Seen
	// never runs ahead of the import it reports. A power cut before this line
	// leaves the replies imported and still in place, never put away unimported.
	// TestSync_MovesAndFlagsOnlyAfterTheImportIsDurable checks the order on the wire.
	s.tidy(tidy)
	return s.st.AdvanceInboxFolder(s.ctx, s.opts.Account, s.opts.Folder, s.validity, uint32(s.batchMax))
}

// importOne decides what a message is and writes it with the folder position
// that is safe after it: below every relevant message of the batch not done yet.
func (s *syncer) importOne(uid imap.UID, m *message.Message) (bool, error) {
	s.pending = slices.DeleteFunc(s.pending, func(u imap.UID) bool { return u == uid })
	d, err := decide(s.ctx, s.lk, m, s.opts)
	if err != nil {
		return false, err
	}
	if d.skip != "" {
		s.sum.Skipped++
		return false, nil
	}
	pos := uint32(s.batchMax)
	if len(s.pending) > 0 {
		pos = uint32(s.pending[0]) - 1
	}
	in := d.in
	in.Account, in.Folder, in.UIDValidity, in.UID = s.opts.Account, s.opts.Folder, s.validity, pos
	ok, err := s.st.ImportMail(s.ctx, in)
	if err != nil {
		return false, err
	}
	if !ok {
		s.sum.Duplicates++
		return false, nil
	}
	switch in.Kind {
	case app.MailReply:
		s.sum.Imported++
	case app.MailUnmatched:
		s.sum.Unmatched++
	case app.MailAutoReply:
		s.sum.AutoReplies++
	case app.MailBounce:
		s.sum.Bounces++
	case app.MailUnsubscribe:
		s.sum.Unsubscribe++
	case app.MailRSVP:
		s.sum.RSVPs++
	case app.MailDone:
		s.sum.Done++
	}
	s.progress("Importing replies")
	return in.Kind == app.MailReply || in.Kind == app.MailUnmatched || in.Kind == app.MailRSVP || in.Kind == app.MailDone, nil
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
			s.sum.Notes = append(s.sum.Notes, "The imported replies could not be marked as read: "+err.Error())
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
		s.sum.Notes = append(s.sum.Notes, fmt.Sprintf("The imported replies could not be moved to %s: %v", s.opts.MoveTo, err))
	}
}
