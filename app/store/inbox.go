package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

// The inbox methods are the import's ledger and the replies' home. ImportMail
// writes one imported message together with the mailbox position it came from,
// so an import stopped anywhere resumes at the next message: none lost, none
// twice. The lookups answer the import's questions about what was sent.

// SentByToken returns the message that carried a reply token.
func (db *DB) SentByToken(ctx context.Context, token string) (app.SentRef, error) {
	return db.sentRef(ctx, "o.token = ?", token)
}

// SentByMessageID returns what a Message-ID cited in a reply points at: one
// member's copy of a post, or else the cohort's thread, taken as its latest post
// with ClientID 0.
func (db *DB) SentByMessageID(ctx context.Context, id string) (app.SentRef, error) {
	ref, err := db.sentRef(ctx, "o.message_id = ?", id)
	if app.ErrorCode(err) != app.ENOTFOUND || id == "" {
		return ref, err
	}
	err = db.rdb.QueryRowContext(ctx, `SELECT p.id, p.cohort_id, p.subject FROM cohorts h
		JOIN posts p ON p.cohort_id = h.id WHERE h.thread_id = ? AND p.status <> 'draft' AND p.kind <> 'digest'
		AND NOT (p.lesson_id IS NOT NULL AND p.to_client_id IS NOT NULL) ORDER BY p.id DESC LIMIT 1`, id).Scan(&ref.PostID, &ref.CohortID, &ref.Subject)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, app.Errorf(app.ENOTFOUND, "Roundtable sent no message with that Message-ID.")
	}
	return ref, dbError(err)
}

// sentRefColumns are what a SentRef is read from, in scanSentRef's order.
const sentRefColumns = `o.post_id, coalesce(p.cohort_id, 0), o.client_id, p.subject, o.name, o.email,
	coalesce(o.token = c.unsubscribe_confirm_token, 0), coalesce(o.digest_id, 0), p.kind = 'digest', coalesce(p.session_id, 0),
	coalesce(p.lesson_id, 0) FROM outbox o JOIN posts p ON p.id = o.post_id JOIN clients c ON c.id = o.client_id`

// sentRefDest is where a row of sentRefColumns goes.
func sentRefDest(ref *app.SentRef) []any {
	return []any{&ref.PostID, &ref.CohortID, &ref.ClientID, &ref.Subject, &ref.Name, &ref.Email, &ref.ConfirmsUnsubscribe,
		&ref.DigestID, &ref.Digest, &ref.SessionID, &ref.LessonID}
}

func (db *DB) sentRef(ctx context.Context, cond string, arg any) (app.SentRef, error) {
	var ref app.SentRef
	err := db.rdb.QueryRowContext(ctx, `SELECT `+sentRefColumns+` WHERE `+cond, arg).Scan(sentRefDest(&ref)...)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, app.Errorf(app.ENOTFOUND, "Roundtable sent no such message.")
	}
	return ref, dbError(err)
}

// PostsBySubject returns the sent posts with this subject (ignoring case) in the
// cohorts the client is a current member of, newest first: the last resort of
// threading, for replies that lost both token and headers.
func (db *DB) PostsBySubject(ctx context.Context, subject string, clientID int64) ([]app.SentRef, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT p.id, p.cohort_id, p.subject FROM posts p
		JOIN memberships m ON m.cohort_id = p.cohort_id AND m.client_id = ? AND m.left_at IS NULL
		WHERE p.subject = ? COLLATE NOCASE AND p.status <> 'draft' AND p.kind <> 'digest' ORDER BY p.id DESC`, clientID, strings.TrimSpace(subject))
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	refs := []app.SentRef{}
	for rows.Next() {
		var r app.SentRef
		if err := rows.Scan(&r.PostID, &r.CohortID, &r.Subject); err != nil {
			return nil, dbError(err)
		}
		refs = append(refs, r)
	}
	return refs, dbError(rows.Err())
}

// IsCurrentMember reports whether the client is in the cohort now.
func (db *DB) IsCurrentMember(ctx context.Context, cohortID, clientID int64) (bool, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, "SELECT count(*) FROM memberships WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL",
		cohortID, clientID).Scan(&n)
	return n > 0, dbError(err)
}

// SenderIgnored reports whether the coach chose to ignore mail from email.
func (db *DB) SenderIgnored(ctx context.Context, email string) (bool, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, "SELECT count(*) FROM ignored_senders WHERE email = ?", email).Scan(&n)
	return n > 0, dbError(err)
}

// InboxSeen reports whether a message with this Message-ID (when not "") or this
// content hash was imported already, so that a sync never downloads it again.
func (db *DB) InboxSeen(ctx context.Context, messageID, hash string) (bool, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	return seen(tx, messageID, hash)
}

// InboxSeenIDs says which of the Message-IDs are of messages already imported,
// in one read of the index per 500 ids: a sync screens its headers a run at a
// time, and a read transaction per header was a tenth of its CPU in the
// in-process profile (BenchmarkSync).
func (db *DB) InboxSeenIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	found := map[string]bool{}
	err := db.inChunks(ctx, "SELECT message_id FROM inbox_messages WHERE message_id IN (…) AND message_id <> ''", ids,
		func(rows *sql.Rows) error {
			var id string
			err := rows.Scan(&id)
			found[id] = true
			return err
		})
	return found, err
}

// seen looks a message up by Message-ID and by content hash, in two queries so
// that each uses its index: one query with OR made SQLite scan the whole table
// for every message of a sync.
func seen(tx *tx, messageID, hash string) (bool, error) {
	var n int
	if messageID != "" {
		err := tx.queryRow("SELECT count(*) FROM inbox_messages WHERE message_id = ? AND message_id <> ''", messageID).Scan(&n)
		if err != nil || n > 0 {
			return n > 0, dbError(err)
		}
	}
	err := tx.queryRow("SELECT count(*) FROM inbox_messages WHERE content_hash = ?", hash).Scan(&n)
	return n > 0, dbError(err)
}

// InboxFolder returns how far a folder has been read: its UIDVALIDITY and the
// last UID done; zeros for a folder never read.
func (db *DB) InboxFolder(ctx context.Context, account, folder string) (uidValidity, lastUID uint32, err error) {
	err = db.rdb.QueryRowContext(ctx, "SELECT uid_validity, last_uid FROM inbox_folders WHERE account = ? AND folder = ?",
		account, folder).Scan(&uidValidity, &lastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return uidValidity, lastUID, dbError(err)
}

// AdvanceInboxFolder records that every message of the folder up to lastUID is
// done. Under a new UIDVALIDITY the position starts again from lastUID.
func (db *DB) AdvanceInboxFolder(ctx context.Context, account, folder string, uidValidity, lastUID uint32) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.advanceFolder(tx, account, folder, uidValidity, lastUID); err != nil {
		return err
	}
	return commit(tx)
}

func (db *DB) advanceFolder(tx *tx, account, folder string, uidValidity, lastUID uint32) error {
	_, err := tx.exec(`INSERT INTO inbox_folders (account, folder, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account, folder) DO UPDATE SET
		last_uid = CASE WHEN uid_validity = excluded.uid_validity THEN max(last_uid, excluded.last_uid) ELSE excluded.last_uid END,
		uid_validity = excluded.uid_validity, updated_at = excluded.updated_at`,
		account, folder, uidValidity, lastUID, db.now())
	return dbError(err)
}

// ImportMail writes one imported message and what it means — a reply under its
// post, a reply waiting for the coach, a member away, bouncing or unsubscribed —
// and advances the folder past it, all in one transaction. A message already
// imported (same Message-ID or content hash) changes nothing but the folder
// position, and ImportMail returns false.
func (db *DB) ImportMail(ctx context.Context, in app.IncomingMail) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	imported, err := db.importMail(tx, in)
	if err != nil {
		return false, err
	}
	if in.Account != "" {
		if err := db.advanceFolder(tx, in.Account, in.Folder, in.UIDValidity, in.UID); err != nil {
			return false, err
		}
	}
	return imported, commit(tx)
}

// ImportMails writes a run of imported messages in one transaction, each as
// ImportMail would, and records the folder as read up to lastUID (nothing is
// recorded for account ""). A commit waits for the disk, so one commit for a
// run of messages is what lets an import keep up with the network; a crash
// still leaves either every message of the run with the position after it, or
// none of them with the position before. It says for each message whether it
// was new.
//
// With durable false the commit does not wait for the disk
// (synchronous=NORMAL): a power cut (not a crash of the program) may then undo
// the run, with its position, so the sync that follows reads it again. The
// next durable commit — of any kind — makes it durable too, as the WAL is one
// log: a sync ends with a durable run, and is durable before it tells the
// server anything.
func (db *DB) ImportMails(ctx context.Context, ins []app.IncomingMail, account, folder string, uidValidity, lastUID uint32, durable bool) ([]bool, error) {
	var tx *tx
	var err error
	if durable {
		tx, err = db.begin(ctx)
	} else {
		tx, err = db.beginLazy(ctx)
	}
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The run's replies get their search items together, after the run
	// (migration 0018): one statement instead of one FTS5 segment per reply.
	var before int64
	if err := tx.queryRow("SELECT coalesce(max(id), 0) FROM replies").Scan(&before); err != nil {
		return nil, dbError(err)
	}
	if err := pauseSearch(tx, app.SearchReply); err != nil {
		return nil, err
	}
	news := make([]bool, len(ins))
	for i, in := range ins {
		if news[i], err = db.importMail(tx, in); err != nil {
			return nil, err
		}
	}
	if err := resumeReplySearch(tx, before); err != nil {
		return nil, err
	}
	if account != "" {
		if err := db.advanceFolder(tx, account, folder, uidValidity, lastUID); err != nil {
			return nil, err
		}
	}
	return news, commit(tx)
}

func (db *DB) importMail(tx *tx, in app.IncomingMail) (bool, error) {
	if in.Hash == "" {
		return false, app.Errorf(app.EINVALID, "An imported message needs a content hash.")
	}
	now := db.now()
	reason := in.Reason
	if reason == "" {
		reason = in.MatchReason + in.UnmatchedReason
	}
	// A message imported already — the same Message-ID, or the same content
	// (both unique) — is left as it is: the insert that does nothing is the
	// look-up, one statement where two queries and an insert were.
	res, err := tx.exec(`INSERT INTO inbox_messages (message_id, content_hash, kind, client_id, reason, imported_at, auth_serv_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, in.MessageID, in.Hash, in.Kind, nullID(in.ClientID), reason, now, in.AuthServID)
	if err != nil {
		return false, dbError(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, dbError(err)
	}
	msgID, _ := res.LastInsertId()
	sent := timeArg(nonZero(in.SentAt))
	switch in.Kind {
	case app.MailReply, app.MailUnmatched, app.MailPersonal:
		state := map[string]string{app.MailReply: "threaded", app.MailUnmatched: "unmatched", app.MailPersonal: "personal"}[in.Kind]
		trust := in.Trust
		if trust == "" {
			trust = app.TrustUnverified
		}
		res, err := tx.exec(`INSERT INTO replies (inbox_message_id, state, post_id, client_id, from_name, from_email, subject,
			sent_at, received_at, text, quoted, match_reason, guess, unmatched_reason, notes, trust, trust_reason, private)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			msgID, state, nullID(in.PostID), nullID(in.ClientID), in.FromName, in.FromEmail, in.Subject,
			sent, now, in.Text, in.Quoted, in.MatchReason, in.Guess, in.UnmatchedReason, strings.Join(in.Notes, "\n"),
			trust, in.TrustReason, in.Private)
		if err != nil {
			return false, dbError(err)
		}
		replyID, _ := res.LastInsertId()
		for _, a := range in.Attachments {
			var data any
			if !a.Omitted && !a.InMailbox {
				data = a.Data
				if data == nil {
					data = []byte{}
				}
			}
			if _, err := tx.exec(`INSERT INTO reply_attachments (reply_id, filename, content_type, size, data, omitted, in_mailbox)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, replyID, a.Filename, a.ContentType, a.Size, data, a.Omitted || a.InMailbox, a.InMailbox); err != nil {
				return false, dbError(err)
			}
		}
		if in.Kind == app.MailReply && in.LessonID != 0 && in.ClientID != 0 {
			// "done" followed by words: the lesson is completed too.
			if err := markDone(tx, in.CohortID, in.LessonID, in.ClientID, now); err != nil {
				return false, err
			}
		}
		if in.Kind == app.MailReply && in.ClientID != 0 {
			// A member who writes back is not away any more.
			if _, err := tx.exec(`UPDATE clients SET away_since = NULL, away_until = NULL, away_note = ''
				WHERE id = ? AND away_since IS NOT NULL AND away_since <= coalesce(?, ?)`, in.ClientID, sent, now); err != nil {
				return false, dbError(err)
			}
		}
	case app.MailRSVP:
		// An answer that no longer applies (the member left, or the coach's
		// own entry outranks words) is kept as read, and changes nothing.
		if err := recordRSVP(tx, in.SessionID, in.ClientID, in.RSVP, in.RSVPSource, now); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return false, err
		}
	case app.MailDone:
		if in.LessonID != 0 && in.ClientID != 0 {
			if err := markDone(tx, in.CohortID, in.LessonID, in.ClientID, now); err != nil {
				return false, err
			}
		}
	case app.MailAutoReply:
		if in.ClientID != 0 {
			if _, err := tx.exec(`UPDATE clients SET away_since = coalesce(?, ?), away_until = ?, away_note = ?, updated_at = ? WHERE id = ?`,
				sent, now, timeArg(in.AwayUntil), in.Subject, now, in.ClientID); err != nil {
				return false, dbError(err)
			}
		}
	case app.MailBounce:
		if in.Suspected {
			// Kept for the coach to confirm or dismiss; sending goes on meanwhile.
			if in.ClientID != 0 {
				if _, err := tx.exec(`INSERT INTO suspected_bounces (client_id, inbox_message_id, email, subject, reason, text, received_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, in.ClientID, msgID, in.FromEmail, in.Subject, in.Reason, in.BounceText, now); err != nil {
					return false, dbError(err)
				}
			}
			return true, nil
		}
		q := "UPDATE clients SET soft_bounced_at = ?, soft_bounce_reason = ?, updated_at = ? WHERE id = ?"
		if in.Hard {
			// As MarkBounced: the outbox skips the address until the coach clears it.
			q = "UPDATE clients SET bounced_at = ?, bounce_reason = ?, updated_at = ? WHERE id = ?"
		}
		if in.ClientID != 0 {
			if _, err := tx.exec(q, now, in.Reason, now, in.ClientID); err != nil {
				return false, dbError(err)
			}
		}
	case app.MailUnsubscribe:
		if in.ClientID != 0 {
			if err := db.unsubscribe(tx, in); err != nil {
				return false, err
			}
		}
	case app.MailCommand:
		if err := db.applyCommand(tx, in); err != nil {
			return false, err
		}
	default:
		return false, app.Errorf(app.EINVALID, "%q is not a kind of imported mail.", in.Kind)
	}
	return true, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nonZero(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// ListConversations returns a cohort's sent posts, newest first, each with its
// replies in the order they were written and who of its recipients has and has
// not replied. The coach's answers hang under the replies they answer; an
// answer to one member is no conversation of its own, and a member's reply to
// such an answer joins the conversation it continues (an answer to the whole
// cohort is also a post of its own, as every member got it).
func (db *DB) ListConversations(ctx context.Context, cohortID int64) ([]app.Conversation, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findCohort(tx, "h.id = ?", cohortID); err != nil {
		return nil, err
	}
	posts, err := queryPosts(tx, "p.cohort_id = ? AND p.status <> 'draft' AND p.kind <> 'digest' ORDER BY p.id DESC", cohortID)
	if err != nil {
		return nil, err
	}
	links, err := answerLinks(tx, cohortID)
	if err != nil {
		return nil, err
	}
	convs := []app.Conversation{}
	at := map[int64]int{}
	for _, p := range posts {
		if l, ok := links[p.ID]; ok && !l.toAll {
			continue
		}
		at[p.ID] = len(convs)
		convs = append(convs, app.Conversation{Post: p, Replies: []app.Reply{}, Replied: []app.ReplyMember{}, NotReplied: []app.ReplyMember{}})
	}
	// home is the conversation a post's replies belong in: its own, or for an
	// answer to one member, that of the reply it answers (and so on up).
	home := func(postID int64) (int, bool) {
		for range 64 { // answers to answers: deep threads end, cycles cannot
			if i, ok := at[postID]; ok {
				return i, true
			}
			l, ok := links[postID]
			if !ok {
				return 0, false
			}
			postID = l.replyPostID
		}
		return 0, false
	}
	replies, err := queryReplies(tx, "r.state = 'threaded' AND r.post_id IN (SELECT id FROM posts WHERE cohort_id = ?)", cohortID)
	if err != nil {
		return nil, err
	}
	replied := map[[2]int64]bool{}
	where := map[int64][2]int{} // reply id → conversation, reply
	for _, r := range replies {
		i, ok := home(r.PostID)
		if !ok {
			continue
		}
		c := &convs[i]
		where[r.ID] = [2]int{i, len(c.Replies)}
		c.Replies = append(c.Replies, r)
		replied[[2]int64{c.Post.ID, r.ClientID}] = true
	}
	for i := len(posts) - 1; i >= 0; i-- { // oldest answer first
		p := posts[i]
		l, ok := links[p.ID]
		if !ok {
			continue
		}
		if w, ok := where[l.replyID]; ok {
			r := &convs[w[0]].Replies[w[1]]
			r.Answers = append(r.Answers, app.Answer{PostID: p.ID, Body: p.Body, ToAll: l.toAll, Status: p.Status, QueuedAt: p.QueuedAt, Counts: p.Counts})
		}
	}
	rows, err := tx.query(`SELECT o.post_id, o.client_id, c.name, o.email,
		c.away_since IS NOT NULL AND (c.away_until IS NULL OR c.away_until > ?)
		FROM outbox o JOIN posts p ON p.id = o.post_id JOIN clients c ON c.id = o.client_id
		WHERE p.cohort_id = ? AND p.kind <> 'digest' AND o.state NOT IN ('skipped', 'canceled', 'failed')
		ORDER BY o.post_id, c.sort_key, c.id`, db.now(), cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID int64
		var m app.ReplyMember
		if err := rows.Scan(&postID, &m.ClientID, &m.Name, &m.Email, &m.Away); err != nil {
			return nil, dbError(err)
		}
		i, ok := at[postID]
		if !ok {
			continue // an answer to one member: they are among the post's own recipients
		}
		c := &convs[i]
		if replied[[2]int64{postID, m.ClientID}] {
			c.Replied = append(c.Replied, m)
		} else {
			c.NotReplied = append(c.NotReplied, m)
		}
	}
	return convs, dbError(rows.Err())
}

// answerLink ties the coach's answer (a post of kind "reply") to the reply it
// answers, by the Message-ID the answer is In-Reply-To.
type answerLink struct {
	replyID, replyPostID int64
	toAll                bool
}

// answerLinks returns the links of a cohort's sent answers, by answer post id.
func answerLinks(tx *tx, cohortID int64) (map[int64]answerLink, error) {
	rows, err := tx.query(`SELECT p.id, r.id, r.post_id, p.to_client_id IS NULL
		FROM posts p JOIN inbox_messages m ON m.message_id = p.in_reply_to
		JOIN replies r ON r.inbox_message_id = m.id
		WHERE p.cohort_id = ? AND p.kind = 'reply' AND p.in_reply_to <> '' AND p.status <> 'draft'
		AND r.state = 'threaded' AND r.post_id IS NOT NULL`, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := map[int64]answerLink{}
	for rows.Next() {
		var id int64
		var l answerLink
		if err := rows.Scan(&id, &l.replyID, &l.replyPostID, &l.toAll); err != nil {
			return nil, dbError(err)
		}
		out[id] = l
	}
	return out, dbError(rows.Err())
}

// Replies returns the replies under one post, in the order they were written.
func (db *DB) Replies(ctx context.Context, postID int64) ([]app.Reply, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryReplies(tx, "r.state = 'threaded' AND r.post_id = ?", postID)
}

// PersonalMail returns the coach's 1:1 mail with a client that the sync kept
// ("Keep my 1:1 mail with clients"), in the order it was written, with the
// files it listed.
func (db *DB) PersonalMail(ctx context.Context, clientID int64) ([]app.Reply, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryReplies(tx, "r.state = 'personal' AND r.client_id = ?", clientID)
}

// sharedReply is the rule for showing a threaded reply r (of a post in cohort
// sh) to the cohort's other members: never a private or hidden one; one the coach
// approved; else, where the cohort does not wait for approval, one that is no
// guess from a verified sender, or a plausible one where the cohort does not ask
// for verified senders only. Digests select with it; the window shows it.
const sharedReply = `(r.private = 0 AND r.hidden_at IS NULL AND (r.approved_at IS NOT NULL
	OR (coalesce(sh.digest_approval, 0) = 0 AND r.guess = 0 AND (r.trust = 'verified'
	OR (r.trust = 'plausible' AND coalesce(sh.reply_sharing, 'plausible') = 'plausible')))))`

func queryReplies(tx *tx, cond string, args ...any) ([]app.Reply, error) {
	rows, err := tx.query(`SELECT r.id, coalesce(r.post_id, 0), coalesce(r.client_id, 0), coalesce(c.name, r.from_name), r.from_email,
		r.subject, r.sent_at, r.received_at, r.text, r.quoted, r.match_reason, r.guess, r.read_at IS NULL, r.handled_at IS NOT NULL, r.notes,
		r.trust, r.trust_reason, r.approved_at IS NOT NULL, r.state = 'threaded' AND `+sharedReply+`,
		r.private, r.hidden_at IS NOT NULL, r.highlighted, r.pinned
		FROM replies r LEFT JOIN clients c ON c.id = r.client_id
		LEFT JOIN posts sp ON sp.id = r.post_id LEFT JOIN cohorts sh ON sh.id = sp.cohort_id WHERE `+cond+`
		ORDER BY coalesce(r.sent_at, r.received_at), r.id`, args...)
	if err != nil {
		return nil, dbError(err)
	}
	var out []app.Reply
	byID := map[int64]int{}
	for rows.Next() {
		var r app.Reply
		var sent sql.NullString
		var received, notes string
		if err := rows.Scan(&r.ID, &r.PostID, &r.ClientID, &r.Name, &r.Email, &r.Subject, &sent, &received,
			&r.Text, &r.Quoted, &r.MatchReason, &r.Guess, &r.Unread, &r.Handled, &notes,
			&r.Trust, &r.TrustReason, &r.Approved, &r.Shared, &r.Private, &r.Hidden, &r.Highlighted, &r.Pinned); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		r.ReceivedAt = parseTime(received)
		r.SentAt = r.ReceivedAt
		if sent.Valid {
			r.SentAt = parseTime(sent.String)
		}
		r.Notes, r.Attachments = splitNotes(notes), []app.ReplyAttachment{}
		r.MatchWords, r.Answers = app.MatchWords(r.MatchReason), []app.Answer{}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	if len(out) == 0 {
		return []app.Reply{}, nil
	}
	arows, err := tx.query(`SELECT a.reply_id, a.id, a.filename, a.content_type, a.size, a.omitted, a.in_mailbox FROM reply_attachments a
		JOIN replies r ON r.id = a.reply_id WHERE `+cond+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, dbError(err)
	}
	defer arows.Close()
	for arows.Next() {
		var replyID int64
		var a app.ReplyAttachment
		if err := arows.Scan(&replyID, &a.ID, &a.Filename, &a.ContentType, &a.Size, &a.Omitted, &a.InMailbox); err != nil {
			return nil, dbError(err)
		}
		if i, ok := byID[replyID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
	}
	return out, dbError(arows.Err())
}

func splitNotes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// ReplyAttachment returns one file that came with a reply, with its content;
// an omitted file has none.
func (db *DB) ReplyAttachment(ctx context.Context, id int64) (app.ReplyAttachment, []byte, error) {
	var a app.ReplyAttachment
	var data []byte
	err := db.rdb.QueryRowContext(ctx, "SELECT id, filename, content_type, size, omitted, in_mailbox, data FROM reply_attachments WHERE id = ?", id).Scan(
		&a.ID, &a.Filename, &a.ContentType, &a.Size, &a.Omitted, &a.InMailbox, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, app.Errorf(app.ENOTFOUND, "There is no such attachment (it may have been deleted).")
	}
	return a, data, dbError(err)
}

// MarkReplyRead marks a reply read, or unread again.
func (db *DB) MarkReplyRead(ctx context.Context, id int64, read bool) error {
	return db.markReply(ctx, "read_at", id, read)
}

// MarkReplyHandled marks a reply dealt with (answered, noted), or not.
func (db *DB) MarkReplyHandled(ctx context.Context, id int64, handled bool) error {
	return db.markReply(ctx, "handled_at", id, handled)
}

func (db *DB) markReply(ctx context.Context, col string, id int64, on bool) error {
	var at any
	if on {
		at = db.now()
	}
	// col is one of two constants, never input.
	n, err := db.execCount(ctx, "UPDATE replies SET "+col+" = CASE WHEN ? IS NULL THEN NULL ELSE coalesce("+col+", ?) END WHERE id = ?", at, at, id)
	if err == nil && n == 0 {
		err = errNoReply
	}
	return err
}

var errNoReply = app.Errorf(app.ENOTFOUND, "There is no such reply (it may have been deleted).")

// Unmatched returns the mail waiting for the coach to say whose reply it is and
// to what, oldest first.
func (db *DB) Unmatched(ctx context.Context) ([]app.UnmatchedReply, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, from_name, from_email, coalesce(client_id, 0), coalesce(post_id, 0), subject,
		sent_at, received_at, text, quoted, unmatched_reason, trust FROM replies WHERE state = 'unmatched' ORDER BY id`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := []app.UnmatchedReply{}
	for rows.Next() {
		var u app.UnmatchedReply
		var sent sql.NullString
		var received string
		if err := rows.Scan(&u.ID, &u.FromName, &u.FromEmail, &u.ClientID, &u.PostID, &u.Subject, &sent, &received,
			&u.Text, &u.Quoted, &u.Reason, &u.Trust); err != nil {
			return nil, dbError(err)
		}
		u.ReceivedAt = parseTime(received)
		u.SentAt = u.ReceivedAt
		if sent.Valid {
			u.SentAt = parseTime(sent.String)
		}
		out = append(out, u)
	}
	return out, dbError(rows.Err())
}

// AssignUnmatched puts a waiting reply under a post as the client's. With
// addAlias the address it came from becomes one of the client's addresses, so
// their next reply from it is matched by itself.
func (db *DB) AssignUnmatched(ctx context.Context, replyID, clientID, postID int64, addAlias bool) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var from, state string
	var msgID int64
	err = tx.queryRow("SELECT from_email, state, inbox_message_id FROM replies WHERE id = ?", replyID).Scan(&from, &state, &msgID)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoReply
	}
	if err != nil {
		return dbError(err)
	}
	if state != "unmatched" {
		return app.Errorf(app.ECONFLICT, "This reply is already under a post.")
	}
	client, err := findClientByID(tx, clientID)
	if err != nil {
		return err
	}
	if _, err := findPost(tx, postID); err != nil {
		return err
	}
	if addAlias && !strings.EqualFold(from, client.Email) {
		owner, err := clientIDByEmail(tx, from)
		if err != nil {
			return err
		}
		switch {
		case owner != 0 && owner != clientID:
			var name string
			_ = tx.queryRow("SELECT name FROM clients WHERE id = ?", owner).Scan(&name)
			return app.Errorf(app.ECONFLICT, "The address %s already belongs to %s.", from, name)
		case owner == 0:
			if !app.ValidEmail(from) {
				return app.Errorf(app.EINVALID, "%q is not an address that can be added to a client.", from)
			}
			if _, err := tx.exec("INSERT INTO client_aliases (email, client_id) VALUES (?, ?)", from, clientID); err != nil {
				return dbError(err)
			}
			if _, err := tx.exec("DELETE FROM ignored_senders WHERE email = ?", from); err != nil {
				return dbError(err)
			}
		}
	}
	// The coach placing it is the coach approving it for the group.
	if _, err := tx.exec(`UPDATE replies SET state = 'threaded', client_id = ?, post_id = ?, match_reason = ?, guess = 0,
		unmatched_reason = '', approved_at = ? WHERE id = ?`, clientID, postID, app.MatchAssigned, db.now(), replyID); err != nil {
		return dbError(err)
	}
	if _, err := tx.exec("UPDATE inbox_messages SET kind = 'reply', client_id = ?, reason = ? WHERE id = ?",
		clientID, app.MatchAssigned, msgID); err != nil {
		return dbError(err)
	}
	return commit(tx)
}

// IgnoreSender skips mail from email from now on and drops what of theirs waits
// in the unmatched queue (it was not community mail after all). It returns how
// many waiting messages were dropped. The addresses of clients cannot be ignored.
func (db *DB) IgnoreSender(ctx context.Context, email string) (int, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return 0, app.Errorf(app.EINVALID, "Say which address to ignore.")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	owner, err := clientIDByEmail(tx, email)
	if err != nil {
		return 0, err
	}
	if owner != 0 {
		return 0, app.Errorf(app.ECONFLICT, "%s is a client's address; archive the client instead of ignoring their mail.", email)
	}
	if _, err := tx.exec("INSERT INTO ignored_senders (email, created_at) VALUES (?, ?) ON CONFLICT (email) DO NOTHING",
		email, db.now()); err != nil {
		return 0, dbError(err)
	}
	res, err := tx.exec("DELETE FROM replies WHERE state = 'unmatched' AND from_email = ?", email)
	if err != nil {
		return 0, dbError(err)
	}
	n, _ := res.RowsAffected()
	return int(n), commit(tx)
}

// ClientMailStatus tells whether the client is away, bouncing or unsubscribed.
func (db *DB) ClientMailStatus(ctx context.Context, clientID int64) (app.MailStatus, error) {
	var s app.MailStatus
	var awaySince, awayUntil, bounced, soft, unsub, pending sql.NullString
	var softReason string
	err := db.rdb.QueryRowContext(ctx, `SELECT away_since, away_until, away_note, bounced_at, bounce_reason,
		soft_bounced_at, soft_bounce_reason, unsubscribed_at, unsubscribe_requested_at FROM clients WHERE id = ?`, clientID).Scan(
		&awaySince, &awayUntil, &s.AwayNote, &bounced, &s.BounceReason, &soft, &softReason, &unsub, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return s, app.Errorf(app.ENOTFOUND, "There is no such client (it may have been deleted).")
	}
	if err != nil {
		return s, dbError(err)
	}
	s.AwayUntil = parseTimePtr(awayUntil)
	s.Away = awaySince.Valid && (s.AwayUntil == nil || s.AwayUntil.After(db.Now()))
	if !s.Away {
		s.AwayUntil, s.AwayNote = nil, ""
	}
	s.Bouncing = bounced.Valid
	if !s.Bouncing {
		s.BounceReason = ""
	}
	if soft.Valid {
		s.SoftBounce = softReason
	}
	s.Unsubscribed = unsub.Valid
	s.UnsubscribePending = pending.Valid && !unsub.Valid
	if s.SuspectedBounce, err = openSuspectedBounce(ctx, db, clientID); err != nil {
		return s, err
	}
	s.History, err = mailHistory(ctx, db, clientID)
	return s, err
}

// ApproveReply lets the coach show a reply to the other members whatever its
// trust or guess (or, with approved false, take that back).
//
// The approval's time is taken under the write lock, as a reply's arrival is:
// a digest being recorded at that moment either sees the approval or ends
// before it, so the reply goes in this digest or the next, never in neither.
func (db *DB) ApproveReply(ctx context.Context, id int64, approved bool) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var at any
	if approved {
		at = db.now()
	}
	res, err := tx.exec("UPDATE replies SET approved_at = ? WHERE id = ? AND state = 'threaded'", at, id)
	if err != nil {
		return dbError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoReply
	}
	return commit(tx)
}

// SeenAuthServID returns the provider name most of the recently imported mail
// was stamped with (the authserv-id of its topmost Authentication-Results), ""
// when none was: the settings offer it for the coach to confirm.
func (db *DB) SeenAuthServID(ctx context.Context) (string, error) {
	var id string
	err := db.rdb.QueryRowContext(ctx, `SELECT auth_serv_id FROM (SELECT auth_serv_id FROM inbox_messages ORDER BY id DESC LIMIT 50)
		WHERE auth_serv_id <> '' GROUP BY auth_serv_id ORDER BY count(*) DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, dbError(err)
}

// UnreadCounts returns, per cohort, how many replies the coach has not read yet:
// the sidebar's numbers, in one query.
func (db *DB) UnreadCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT p.cohort_id, count(*) FROM replies r JOIN posts p ON p.id = r.post_id
		WHERE r.state = 'threaded' AND r.read_at IS NULL GROUP BY p.cohort_id`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, dbError(err)
		}
		out[id] = n
	}
	return out, dbError(rows.Err())
}

// Reply marks the coach sets on what the group sees in digests.
const (
	MarkHidden      = "hidden"      // never in a digest
	MarkHighlighted = "highlighted" // first among its post's replies, marked
	MarkPinned      = "pinned"      // at the top of the next digests, until unpinned
	MarkPrivate     = "private"     // for the coach only
)

// MarkReply sets or clears one of the coach's marks on a reply.
func (db *DB) MarkReply(ctx context.Context, id int64, mark string, on bool) error {
	set := map[string]string{
		MarkHidden:      "hidden_at = CASE WHEN ? THEN coalesce(hidden_at, ?) END",
		MarkHighlighted: "highlighted = ? AND ? IS NOT NULL",
		MarkPinned:      "pinned = ? AND ? IS NOT NULL",
		MarkPrivate:     "private = ? AND ? IS NOT NULL",
	}[mark]
	if set == "" {
		return app.Errorf(app.EINVALID, "%q is not a mark for a reply; use hidden, highlighted, pinned or private.", mark)
	}
	// set is one of four constants, never input.
	n, err := db.execCount(ctx, "UPDATE replies SET "+set+" WHERE id = ? AND state = 'threaded'", on, db.now(), id)
	if err == nil && n == 0 {
		err = errNoReply
	}
	return err
}
