package inbox

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// The import runs as stages joined by channels, so that the network, the
// reading of messages and the disk work at the same time instead of in turn:
//
//	screen  fetches the headers of a batch and screens them, one batch ahead
//	        of the download;
//	fetch   downloads the relevant messages of each screened batch (whole, or
//	        1:1 mail without its files: lean.go) and sends them on in folder
//	        order, then the batch's end (the screen and
//	        fetch stages are the only ones that talk to the server, each with
//	        its own FETCH on the one connection);
//	read    parses, classifies, threads and trims each message (decide);
//	write   writes runs of messages in one transaction each (Store.ImportMails),
//	        each run with the folder position after its last message.
//
// Positions only grow along the channel: each message carries the position that
// is safe once it is stored (just below the next relevant message of its batch,
// or the batch's last UID), so a run committed at any point — or a crash before
// it — leaves the workspace where a new sync imports nothing twice and misses
// nothing. The fetch stage starts a batch only when the batch before the last
// is committed: at most two batches' bodies are in memory (and a third's
// headers), and the server is told to mark or move replies (tidy) only once
// they are on the disk.

// item is one relevant message on its way, or (uid 0) the end of a batch.
type item struct {
	uid      imap.UID
	head     *message.Message // the screened header
	size     int64            // on the server
	personal bool             // kept only as 1:1 mail: its files stay in the mailbox
	raw      []byte           // the message (lean.go: without files left in the mailbox); nil to import it from its header
	pos      uint32           // how far the folder is read once this is stored

	// Set by the read stage.
	in   app.IncomingMail
	skip bool

	// done, on a batch's end, receives the batch's replies to tidy once it is
	// committed.
	done chan []imap.UID
}

// Limits of one write run: a commit waits for the disk (synchronous=FULL), so
// runs are long, but not so long that attachments pile up in memory or a
// stopped sync has much to redo.
const (
	runMessages = 500
	runBytes    = 32 << 20
	runAge      = 500 * time.Millisecond
)

// chunk is how many items go from one stage to the next at a time. Each
// hand-over may wake the next stage's goroutine on another thread, which on a
// busy machine costs more than reading a short reply does; one item at a time,
// a sync of 14,000 messages did 28,000 of them (docs/benchmarks.md, session 9).
const chunk = 64

// pipeline imports the messages uids (ascending) through the stages.
func (s *syncer) pipeline(uids []imap.UID) error {
	fetched := make(chan []item, 4)
	decided := make(chan []item, 4)
	readDone, writeDone := make(chan struct{}), make(chan struct{})
	var readErr, writeErr error
	go func() {
		defer close(readDone)
		readErr = s.read(fetched, decided)
	}()
	go func() {
		defer close(writeDone)
		writeErr = s.write(decided)
	}()
	fetchErr := s.fetch(uids, fetched)
	close(fetched)
	<-readDone
	<-writeDone
	// The first stage to fail says why; the others failed because it stopped them.
	for _, err := range []error{writeErr, readErr, fetchErr} {
		if err != nil {
			return err
		}
	}
	return nil
}

// send hands items to the next stage, unless the pipeline stopped.
func (s *syncer) send(out chan<- []item, items []item) error {
	select {
	case out <- items:
		return nil
	case <-s.pctx.Done():
		return context.Cause(s.pctx)
	}
}

// fetch downloads the screened batches in order, and tidies each batch once
// it is committed. The batches are screened one ahead, in a goroutine of their
// own (screenAll): the next batch's headers cross the wire and are screened
// while this one's bodies come in, the two FETCH commands in flight on the one
// connection (go-imap hands each response to the command whose UIDs it names).
func (s *syncer) fetch(uids []imap.UID, out chan<- []item) error {
	screened := make(chan screenedBatch) // with the one being screened: one batch ahead
	var screenErr error
	screenDone := make(chan struct{})
	go func() {
		defer close(screenDone)
		defer close(screened)
		screenErr = s.screenAll(uids, screened)
	}()
	err := s.downloadAll(screened, out)
	if err != nil {
		s.stop(err) // the screening goroutine stops at its next send
	}
	<-screenDone
	if err == nil {
		err = screenErr
	}
	return err
}

// downloadAll downloads each screened batch and sends its messages on.
func (s *syncer) downloadAll(screened <-chan screenedBatch, out chan<- []item) error {
	var waiting []chan []imap.UID // batches sent, not yet known committed
	settle := func(keep int) error {
		for len(waiting) > keep {
			select {
			case tidy := <-waiting[0]:
				s.tidy(tidy)
			case <-s.pctx.Done():
				return context.Cause(s.pctx)
			}
			waiting = waiting[1:]
		}
		return nil
	}
	for b := range screened {
		if err := settle(1); err != nil {
			return err
		}
		done := make(chan []imap.UID, 1)
		if err := s.download(b, out, done); err != nil {
			return err
		}
		waiting = append(waiting, done)
	}
	if err := context.Cause(s.pctx); err != nil {
		return err // the screening stopped early
	}
	return settle(0)
}

// screenedBatch is a run of UIDs after screening: the relevant messages with
// their headers and positions, which of them to download whole, and the
// position once the run is stored.
type screenedBatch struct {
	relevant []item
	wanted   map[imap.UID]bool
	max      uint32
}

// screenAll screens the batches of uids in order and sends each on; it stops
// when the pipeline does.
func (s *syncer) screenAll(uids []imap.UID, out chan<- screenedBatch) error {
	for len(uids) > 0 {
		n := min(s.opts.BatchSize, len(uids))
		b, err := s.screenBatch(uids[:n])
		if err != nil {
			return err
		}
		select {
		case out <- b:
		case <-s.pctx.Done():
			return context.Cause(s.pctx)
		}
		uids = uids[n:]
	}
	return nil
}

// screenBatch fetches the headers of a run of messages and keeps those that may
// be community mail and were not imported already.
func (s *syncer) screenBatch(uids []imap.UID) (screenedBatch, error) {
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: headerFields, Peek: true}
	var msgs []fetched
	err := fetchEach(s.c, s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true,
		BodySection: []*imap.FetchItemBodySection{section}}), maxHeaderBytes, func(m fetched) error {
		msgs = append(msgs, m)
		return nil
	})
	if err != nil {
		return screenedBatch{}, err
	}
	slices.SortFunc(msgs, func(a, b fetched) int { return int(a.UID) - int(b.UID) })
	b := screenedBatch{wanted: map[imap.UID]bool{}, max: uint32(uids[len(uids)-1])}
	heads := make([]*message.Message, len(msgs))
	for i, m := range msgs {
		heads[i], _ = message.ParseHeader(bytes.NewReader(m.Body)) // nil: unreadable, skipped below
	}
	if sd, ok := s.lk.(*senders); ok {
		if err := sd.prefetch(s.pctx, heads); err != nil {
			return b, err
		}
	}
	for i, m := range msgs {
		v, err := s.screenOne(heads[i])
		if err != nil {
			return b, err
		}
		if v.relevant {
			b.relevant = append(b.relevant, item{uid: m.UID, head: heads[i], personal: v.personal, size: m.Size})
		}
	}
	if b.relevant, err = s.dropSeen(b.relevant); err != nil {
		return b, err
	}
	for i, it := range b.relevant {
		if it.size <= s.opts.Limits.MaxMessageBytes {
			b.wanted[it.uid] = true
		} else {
			it.head.Notes = append(it.head.Notes, fmt.Sprintf("The message is larger than %d MB, the most Roundtable reads; open it in your mailbox to see it.", s.opts.Limits.MaxMessageBytes>>20))
		}
		b.relevant[i].pos = b.max
		if i+1 < len(b.relevant) {
			b.relevant[i].pos = uint32(b.relevant[i+1].uid) - 1
		}
	}
	s.progress("Looking for replies")
	return b, nil
}

// download fetches the wanted messages of a screened batch — whole, or 1:1
// mail without its files (lean.go) — and sends the relevant ones on in folder
// order as their bodies come in, a chunk at a time (one too large to read
// goes on with its header alone), then the batch's end.
func (s *syncer) download(b screenedBatch, out chan<- []item, done chan []imap.UID) error {
	var lean []imap.UID
	for _, it := range b.relevant {
		if b.wanted[it.uid] && it.personal && it.size > leanAbove {
			lean = append(lean, it.uid)
		}
	}
	bodies := map[imap.UID][]byte{}
	if len(lean) > 0 {
		var err error
		if bodies, err = s.fetchLean(lean); err != nil {
			return err
		}
	}
	var small []imap.UID
	for _, it := range b.relevant {
		if _, read := bodies[it.uid]; b.wanted[it.uid] && !read {
			small = append(small, it.uid)
		}
	}
	next := 0
	var pending []item
	flush := func(all bool) error {
		for ; next < len(b.relevant); next++ {
			it := b.relevant[next]
			if b.wanted[it.uid] {
				raw, ok := bodies[it.uid]
				if !ok && !all {
					return nil
				}
				if !ok {
					continue // the server did not send it: left, as a message it no longer has
				}
				delete(bodies, it.uid)
				it.raw = raw
			}
			if pending = append(pending, it); len(pending) == chunk {
				if err := s.send(out, pending); err != nil {
					return err
				}
				pending = nil
			}
		}
		return nil
	}
	if err := flush(false); err != nil {
		return err
	}
	if len(small) > 0 {
		body := &imap.FetchItemBodySection{Peek: true}
		err := fetchEach(s.c, s.c.Fetch(imap.UIDSetNum(small...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}}),
			s.opts.Limits.MaxMessageBytes, func(f fetched) error {
				if f.Body == nil || !b.wanted[f.UID] {
					return nil // not asked for (a server's unilateral FETCH)
				}
				bodies[f.UID] = f.Body
				return flush(false)
			})
		if err != nil {
			return err
		}
	}
	if err := flush(true); err != nil {
		return err
	}
	return s.send(out, append(pending, item{pos: b.max, done: done}))
}

// screenOne says whether a message may be community mail from its header (nil
// when it could not be read); dropSeen then leaves out what was imported
// already.
func (s *syncer) screenOne(h *message.Message) (screening, error) {
	s.count("", func(sum *app.SyncSummary) { sum.Scanned++ })
	if h == nil {
		s.count("", func(sum *app.SyncSummary) { sum.Skipped++ })
		return screening{}, nil
	}
	v, err := screen(s.pctx, s.lk, h, s.opts)
	if err == nil && !v.relevant {
		s.count("", func(sum *app.SyncSummary) { sum.Skipped++ })
	}
	return v, err
}

// dropSeen leaves out the messages imported already (by Message-ID), in one
// lookup for the run; the content hash is checked again as each is written.
func (s *syncer) dropSeen(relevant []item) ([]item, error) {
	var ids []string
	for _, it := range relevant {
		if it.head.MessageID != "" {
			ids = append(ids, it.head.MessageID)
		}
	}
	seen, err := s.st.InboxSeenIDs(s.pctx, ids)
	if err != nil || len(seen) == 0 {
		return relevant, err
	}
	kept := relevant[:0]
	for _, it := range relevant {
		if it.head.MessageID != "" && seen[it.head.MessageID] {
			s.count("", func(sum *app.SyncSummary) { sum.Duplicates++ })
			continue
		}
		kept = append(kept, it)
	}
	return kept, nil
}

// read parses each message and decides what it is; after a failure anywhere
// it only passes the items on, so the write stage can drain.
func (s *syncer) read(in <-chan []item, out chan<- []item) error {
	defer close(out)
	var failed error
	for items := range in {
		for i := range items {
			failed = s.readOne(&items[i], failed)
		}
		out <- items
	}
	return failed
}

// readOne decides one item, unless an earlier one failed (failed, which it
// returns, or its own failure).
func (s *syncer) readOne(it *item, failed error) error {
	if it.uid != 0 && failed == nil && s.pctx.Err() == nil {
		m := it.head
		if it.raw != nil {
			pm, err := message.Parse(bytes.NewReader(it.raw), s.opts.Limits)
			if err != nil {
				m.Notes = append(m.Notes, "The message could not be read: "+app.ErrorMessage(err))
			} else {
				m = pm
			}
		}
		d, err := decide(s.pctx, s.lk, m, s.opts)
		if err != nil {
			failed = err
			s.stop(err)
		}
		it.in, it.skip = d.in, d.skip != ""
	}
	it.head, it.raw = nil, nil
	if failed != nil || s.pctx.Err() != nil {
		it.uid = 0 // decided nothing: only its position can be trusted... and not even that
		it.pos = 0
	}
	return failed
}

// write stores the decided messages in runs, each run in one transaction with
// the folder position after it. Once the pipeline stops it commits what it has
// (every message in it was read whole and decided) and drains the rest unread.
func (s *syncer) write(in <-chan []item) error {
	var (
		run       []app.IncomingMail
		runUIDs   []imap.UID
		size      int
		pos       uint32 // of the last item, 0 before the first
		dirty     bool
		started   time.Time
		tidy      []imap.UID
		failed    error
		committed = context.WithoutCancel(s.ctx) // a run begun is written whole
	)
	// Runs are durable when the server is to be told about them (tidy), and
	// the sync ends with a durable one; the runs between need not wait for the
	// disk (see store.DB.ImportMails).
	tells := s.opts.MarkRead || s.opts.MoveTo != ""
	lazy := false // a run since the last durable one was not
	commit := func(durable bool) error {
		if !dirty && !(durable && lazy) {
			return nil
		}
		news, err := s.st.ImportMails(committed, run, s.opts.Account, s.opts.Folder, s.validity, pos, durable)
		if err != nil {
			return err
		}
		for i, in := range run {
			if !news[i] {
				s.count("", func(sum *app.SyncSummary) { sum.Duplicates++ })
				continue
			}
			s.count("Importing replies", func(sum *app.SyncSummary) { tally(sum, in.Kind) })
			switch in.Kind {
			case app.MailReply, app.MailUnmatched, app.MailRSVP, app.MailDone:
				tidy = append(tidy, runUIDs[i])
			}
		}
		run, runUIDs, size, dirty, lazy = run[:0], runUIDs[:0], 0, false, !durable
		return nil
	}
	for it := range items(in) {
		if failed != nil || it.pos == 0 {
			continue
		}
		if !dirty {
			started = time.Now()
		}
		if it.uid != 0 && it.skip {
			s.count("", func(sum *app.SyncSummary) { sum.Skipped++ })
		} else if it.uid != 0 {
			in := it.in
			in.Account, in.Folder, in.UIDValidity, in.UID = s.opts.Account, s.opts.Folder, s.validity, it.pos
			run, runUIDs = append(run, in), append(runUIDs, it.uid)
			size += len(in.Text) + len(in.Quoted) + len(in.BounceText)
			for _, a := range in.Attachments {
				size += len(a.Data)
			}
		}
		pos, dirty = it.pos, true
		if it.done != nil || len(run) >= runMessages || size >= runBytes || time.Since(started) >= runAge {
			if failed = commit(tells); failed != nil {
				s.stop(failed)
				continue
			}
		}
		if it.done != nil {
			it.done <- tidy
			tidy = nil
		}
	}
	if failed != nil {
		return failed
	}
	return commit(true)
}

// tally counts one imported message by its kind.
func tally(sum *app.SyncSummary, kind string) {
	switch kind {
	case app.MailReply:
		sum.Imported++
	case app.MailUnmatched:
		sum.Unmatched++
	case app.MailAutoReply:
		sum.AutoReplies++
	case app.MailBounce:
		sum.Bounces++
	case app.MailUnsubscribe:
		sum.Unsubscribe++
	case app.MailRSVP:
		sum.RSVPs++
	case app.MailDone:
		sum.Done++
	case app.MailPersonal:
		sum.Personal++
	}
}

// note adds a sentence for the coach to the summary.
func (s *syncer) note(n string) {
	s.count("", func(sum *app.SyncSummary) { sum.Notes = append(sum.Notes, n) })
}

// items ranges over the items of the chunks from in, in order.
func items(in <-chan []item) iter.Seq[item] {
	return func(yield func(item) bool) {
		for chunk := range in {
			for _, it := range chunk {
				if !yield(it) {
					return
				}
			}
		}
	}
}
