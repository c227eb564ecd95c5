package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/replyaddr"
)

// Digests are recorded before they are sent: RecordDigests decides, in one
// transaction, what each due member's digest carries and queues its copy, so a
// period is sent once whatever happens to the app, and anything that comes in
// meanwhile waits for the next digest.

// DigestSettings returns the cohort's digest settings (Described and Next are
// left for package digest to fill in).
func (db *DB) DigestSettings(ctx context.Context, cohortID int64) (app.DigestSettings, error) {
	var s app.DigestSettings
	err := db.rdb.QueryRowContext(ctx, `SELECT digest_every, digest_weekday, digest_hour, digest_member_local, digest_approval,
		digest_note FROM cohorts WHERE id = ?`, cohortID).Scan(&s.Every, &s.Weekday, &s.Hour, &s.MemberLocal, &s.Approval, &s.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return s, errNoCohort
	}
	return s, dbError(err)
}

// SaveDigestSettings changes the cohort's digest settings. A changed note is
// dated now: it goes in every digest built from now on, once per member.
func (db *DB) SaveDigestSettings(ctx context.Context, cohortID int64, s app.DigestSettings) error {
	// The schedule is checked by package digest, in the coach's words; the
	// table's own CHECKs refuse anything else.
	if len(s.Note) > app.DigestNoteMax {
		return app.Errorf(app.EINVALID, "Keep the note for the digest under %d characters.", app.DigestNoteMax)
	}
	s.Note = strings.TrimSpace(s.Note)
	now := db.now()
	n, err := db.execCount(ctx, `UPDATE cohorts SET digest_every = ?, digest_weekday = ?, digest_hour = ?, digest_member_local = ?,
		digest_approval = ?, digest_note_at = CASE WHEN digest_note = ? THEN digest_note_at WHEN ? = '' THEN NULL ELSE ? END,
		digest_note = ?, updated_at = ? WHERE id = ?`,
		s.Every, s.Weekday, s.Hour, s.MemberLocal, s.Approval, s.Note, s.Note, now, s.Note, now, cohortID)
	if err == nil && n == 0 {
		err = errNoCohort
	}
	return err
}

// SetDelivery sets how the clients get the cohort's mail (app.DeliveryIndividual,
// DeliveryDigest or DeliveryNone) and returns how many memberships changed.
func (db *DB) SetDelivery(ctx context.Context, cohortID int64, clientIDs []int64, mode string) (int, error) {
	if !slices.Contains(app.DeliveryModes, mode) {
		return 0, app.Errorf(app.EINVALID, "Choose how they get the cohort's mail: %s.", strings.Join(app.DeliveryModes, ", "))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	changed := 0
	for _, id := range clientIDs {
		res, err := tx.exec("UPDATE memberships SET delivery = ? WHERE cohort_id = ? AND client_id = ? AND left_at IS NULL", mode, cohortID, id)
		if err != nil {
			return 0, dbError(err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return 0, app.Errorf(app.ENOTFOUND, "One of them is not a member of this cohort; nothing was changed.")
		}
		changed++
	}
	return changed, commit(tx)
}

// DigestCohorts returns the cohorts with digests on (not archived).
func (db *DB) DigestCohorts(ctx context.Context) ([]app.DigestCohort, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, name, digest_every, digest_weekday, digest_hour, digest_member_local,
		digest_approval, digest_note FROM cohorts WHERE archived_at IS NULL AND digest_every <> 'off' ORDER BY id`)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.DigestCohort
	for rows.Next() {
		var c app.DigestCohort
		s := &c.Settings
		if err := rows.Scan(&c.ID, &c.Name, &s.Every, &s.Weekday, &s.Hour, &s.MemberLocal, &s.Approval, &s.Note); err != nil {
			return nil, dbError(err)
		}
		out = append(out, c)
	}
	return out, dbError(rows.Err())
}

// reachableMember is the condition on a membership m of client c that the
// cohort's mail can reach: current, not paused, and the client neither
// archived, unsubscribed nor bouncing.
const reachableMember = `m.left_at IS NULL AND m.delivery <> 'none'
	AND c.archived_at IS NULL AND c.unsubscribed_at IS NULL AND c.bounced_at IS NULL`

// DigestMembers returns the cohort's current members who can get a digest: not
// paused in it, not archived, unsubscribed or bouncing.
func (db *DB) DigestMembers(ctx context.Context, cohortID int64) ([]app.DigestMember, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT c.id, c.time_zone, m.delivery, m.joined_at,
		(SELECT max(d.period) FROM digests d WHERE d.cohort_id = m.cohort_id AND d.client_id = c.id),
		(SELECT max(d.until) FROM digests d WHERE d.cohort_id = m.cohort_id AND d.client_id = c.id)
		FROM memberships m JOIN clients c ON c.id = m.client_id
		WHERE m.cohort_id = ? AND `+reachableMember+` ORDER BY c.id`, cohortID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.DigestMember
	for rows.Next() {
		var m app.DigestMember
		var joined string
		var last, lastUntil sql.NullString
		if err := rows.Scan(&m.ClientID, &m.TimeZone, &m.Delivery, &joined, &last, &lastUntil); err != nil {
			return nil, dbError(err)
		}
		m.Joined, m.LastPeriod, m.LastUntil = parseTime(joined), parseTime(last.String), parseTime(lastUntil.String)
		out = append(out, m)
	}
	return out, dbError(rows.Err())
}

// RecordDigests decides and queues the digests of the due members of a cohort,
// as of until, in one transaction: one edition holds the items that came in
// since the earliest of their starts; each member's digest leaves out their own
// replies and what came before their own start; an empty digest is recorded
// but not queued. A member already recorded for the period is left alone, so
// running twice sends nothing twice. It returns how many copies were queued.
func (db *DB) RecordDigests(ctx context.Context, cohortID int64, until time.Time, dues []app.DigestDue,
	newIDs func() app.MessageIdentity) (int, error) {
	if len(dues) == 0 {
		return 0, nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var name, note string
	var noteAt sql.NullString
	if err := tx.queryRow("SELECT name, digest_note, digest_note_at FROM cohorts WHERE id = ?", cohortID).Scan(&name, &note, &noteAt); err != nil {
		return 0, dbError(err)
	}
	since := dues[0].Since
	for _, d := range dues {
		if d.Since.Before(since) {
			since = d.Since
		}
	}
	items, err := selectDigestItems(tx, cohortID, since, until)
	if err != nil {
		return 0, err
	}
	now := db.now()
	res, err := tx.exec(`INSERT INTO posts (cohort_id, kind, subject, body, status, created_at, updated_at, queued_at)
		VALUES (?, 'digest', ?, '', 'queued', ?, ?, ?)`, cohortID, "Digest of "+name, now, now, now)
	if err != nil {
		return 0, dbError(err)
	}
	postID, _ := res.LastInsertId()
	res, err = tx.exec("INSERT INTO digest_editions (cohort_id, post_id, since, until, note, note_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		cohortID, postID, utc(since), utc(until), note, noteAt, now)
	if err != nil {
		return 0, dbError(err)
	}
	editionID, _ := res.LastInsertId()
	for i := range items {
		it := &items[i]
		res, err := tx.exec(`INSERT INTO digest_items (edition_id, position, post_id, post_subject, reply_id, client_id, author, at, text,
			highlighted, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, editionID, i, it.PostID, it.PostSubject, nullID(it.ReplyID),
			nullID(it.ClientID), it.Author, utc(it.At), it.Text, it.Highlighted, it.Pinned)
		if err != nil {
			return 0, dbError(err)
		}
		it.ID, _ = res.LastInsertId()
	}
	queued := 0
	for _, d := range dues {
		var delivery, memberName, email string
		err := tx.queryRow(`SELECT m.delivery, c.name, c.email FROM memberships m JOIN clients c ON c.id = m.client_id
			WHERE m.cohort_id = ? AND m.client_id = ? AND m.left_at IS NULL`, cohortID, d.ClientID).Scan(&delivery, &memberName, &email)
		if errors.Is(err, sql.ErrNoRows) {
			continue // left the cohort meanwhile
		}
		if err != nil {
			return 0, dbError(err)
		}
		sent, err := postsSentTo(tx, d.ClientID, items)
		if err != nil {
			return 0, err
		}
		n := memberNews(items, d.ClientID, d.Since, sent)
		res, err := tx.exec(`INSERT INTO digests (cohort_id, client_id, edition_id, period, since, until, delivery, zone, items, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cohort_id, client_id, period) DO NOTHING`,
			cohortID, d.ClientID, editionID, utc(d.Period), utc(d.Since), utc(until), delivery, d.Zone, n, now)
		if err != nil {
			return 0, dbError(err)
		}
		if k, _ := res.RowsAffected(); k == 0 || n == 0 {
			continue // already recorded for this period, or nothing new: not sent
		}
		digestID, _ := res.LastInsertId()
		ids := newIDs()
		if _, err := tx.exec(`INSERT INTO outbox (post_id, client_id, name, email, message_id, token, bounce_token, state,
			next_attempt_at, created_at, updated_at, digest_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
			postID, d.ClientID, memberName, email, ids.MessageID, ids.Token, ids.BounceToken, now, now, now, digestID); err != nil {
			return 0, dbError(err)
		}
		queued++
	}
	return queued, commit(tx)
}

// selectDigestItems returns what came into the cohort between since and until:
// new posts, and the replies the group may see (by sharedReply) that came in —
// or were approved — meanwhile, plus the pinned ones; grouped by post, the most
// active post first, each post before its replies, pinned and highlighted
// replies first, then in the order they came.
func selectDigestItems(tx *tx, cohortID int64, since, until time.Time) ([]app.DigestItem, error) {
	s, u := utc(since), utc(until)
	var items []app.DigestItem
	// A post counts from when it goes: its send time, or when it was queued if
	// that was later (a draft whose send time had passed goes at once, and must
	// not fall before the digest it belongs to).
	// A lesson released to a member who takes the cohort's posts in their
	// digest is an item for that member alone (ClientID names them).
	rows, err := tx.query(`SELECT p.id, p.subject, max(coalesce(p.send_at, ''), coalesce(p.queued_at, '')) AS at, p.body, 0 FROM posts p
		WHERE p.cohort_id = ? AND p.status <> 'draft' AND (p.kind = 'announcement' OR (p.kind = 'reply' AND p.to_client_id IS NULL))
		AND p.lesson_id IS NULL AND at > ? AND at <= ?
		UNION ALL
		SELECT p.id, p.subject, r.released_at, p.body, r.client_id FROM lesson_releases r JOIN posts p ON p.id = r.post_id
		WHERE r.cohort_id = ? AND r.via = 'digest' AND r.released_at > ? AND r.released_at <= ?`, cohortID, s, u, cohortID, s, u)
	if err != nil {
		return nil, dbError(err)
	}
	for rows.Next() {
		var it app.DigestItem
		var at string
		if err := rows.Scan(&it.PostID, &it.PostSubject, &at, &it.Text, &it.ClientID); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		it.At = parseTime(at)
		items = append(items, it)
	}
	rows.Close()
	rows, err = tx.query(`SELECT r.id, r.post_id, p.subject, coalesce(r.client_id, 0), coalesce(c.name, r.from_name),
		max(r.received_at, coalesce(r.approved_at, '')), r.text, r.highlighted, r.pinned
		FROM replies r JOIN posts p ON p.id = r.post_id JOIN cohorts sh ON sh.id = p.cohort_id
		LEFT JOIN clients c ON c.id = r.client_id
		WHERE p.cohort_id = ? AND r.state = 'threaded' AND `+sharedReply+`
		AND ((max(r.received_at, coalesce(r.approved_at, '')) > ? AND max(r.received_at, coalesce(r.approved_at, '')) <= ?) OR r.pinned = 1)`,
		cohortID, s, u)
	if err != nil {
		return nil, dbError(err)
	}
	for rows.Next() {
		var it app.DigestItem
		var at string
		if err := rows.Scan(&it.ReplyID, &it.PostID, &it.PostSubject, &it.ClientID, &it.Author, &at, &it.Text,
			&it.Highlighted, &it.Pinned); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		it.At = parseTime(at)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	orderDigestItems(items)
	return items, nil
}

// orderDigestItems sorts items into the digest's order (see selectDigestItems).
func orderDigestItems(items []app.DigestItem) {
	replies, latest := map[int64]int{}, map[int64]time.Time{}
	for _, it := range items {
		if it.ReplyID != 0 {
			replies[it.PostID]++
		}
		if it.At.After(latest[it.PostID]) {
			latest[it.PostID] = it.At
		}
	}
	rank := func(it app.DigestItem) int {
		switch {
		case it.ReplyID == 0:
			return 0
		case it.Pinned:
			return 1
		case it.Highlighted:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(items, func(a, b app.DigestItem) int {
		if a.PostID != b.PostID {
			if d := replies[b.PostID] - replies[a.PostID]; d != 0 {
				return d
			}
			if c := latest[b.PostID].Compare(latest[a.PostID]); c != 0 {
				return c
			}
			return int(b.PostID - a.PostID)
		}
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.ReplyID - b.ReplyID)
	})
}

// postsSentTo returns which of the items' posts the client received on their
// own (a copy that was not skipped).
func postsSentTo(tx *tx, clientID int64, items []app.DigestItem) (map[int64]bool, error) {
	sent := map[int64]bool{}
	var ids []any
	for _, it := range items {
		if _, seen := sent[it.PostID]; it.ReplyID != 0 || seen {
			continue
		}
		sent[it.PostID] = false
		ids = append(ids, it.PostID)
	}
	if len(ids) == 0 {
		return sent, nil
	}
	// One query for all the edition's posts: the outbox asks it for every digest.
	rows, err := tx.query(`SELECT DISTINCT post_id FROM outbox WHERE client_id = ? AND state NOT IN ('skipped', 'canceled')
		AND post_id IN (`+strings.Repeat("?, ", len(ids)-1)+`?)`, append([]any{clientID}, ids...)...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, dbError(err)
		}
		sent[id] = true
	}
	return sent, dbError(rows.Err())
}

// memberItems is one member's share of an edition: everything after their own
// start (pinned replies whenever they came), never their own replies; posts
// they received on their own are marked as already sent.
func memberItems(items []app.DigestItem, clientID int64, since time.Time, sent map[int64]bool) []app.DigestItem {
	var out []app.DigestItem
	for _, it := range items {
		if !forMember(&it, clientID, since) {
			continue
		}
		if out == nil {
			out = make([]app.DigestItem, 0, len(items))
		}
		if it.ReplyID == 0 {
			it.AlreadySent = sent[it.PostID]
		}
		out = append(out, it)
	}
	return out
}

// forMember reports whether an edition's item goes in the member's digest.
func forMember(it *app.DigestItem, clientID int64, since time.Time) bool {
	if it.ReplyID != 0 && it.ClientID == clientID {
		return false
	}
	if it.ReplyID == 0 && it.ClientID != 0 && it.ClientID != clientID {
		return false // a lesson released to another member
	}
	return it.At.After(since) || it.Pinned
}

// memberNews is app.DigestNews(memberItems(...)) without the copy: what
// RecordDigests counts for each of thousands of members.
func memberNews(items []app.DigestItem, clientID int64, since time.Time, sent map[int64]bool) int {
	n := 0
	for i := range items {
		it := &items[i]
		if forMember(it, clientID, since) && (it.ReplyID != 0 || !sent[it.PostID]) {
			n++
		}
	}
	return n
}

// Digest returns one recorded digest with the items it carried (and the
// state of its copy in the outbox). Its items may be shared with other
// members' digests of the same edition: read them, never change them.
func (db *DB) Digest(ctx context.Context, id int64) (app.Digest, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Digest{}, err
	}
	defer tx.Rollback()
	ds, err := queryDigests(tx, "d.id = ?", id)
	if err != nil {
		return app.Digest{}, err
	}
	if len(ds) == 0 {
		return app.Digest{}, app.Errorf(app.ENOTFOUND, "There is no such digest.")
	}
	tx.Rollback()
	secret, err := db.itemSecret(ctx)
	if err != nil {
		return ds[0], err
	}
	token, id := replyaddr.ItemTokens(secret), ds[0].ID
	ds[0].ItemToken = func(itemID int64) string { return token(id, itemID) }
	return ds[0], nil
}

// DigestHistory returns the digests recorded for a client, newest first, with
// what each carried: "what did Ana receive on May 3rd?"
func (db *DB) DigestHistory(ctx context.Context, clientID int64) ([]app.Digest, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ds, err := queryDigests(tx, "d.client_id = ? ORDER BY d.id DESC", clientID)
	if err != nil {
		return nil, err
	}
	tx.Rollback()
	for i := range ds {
		if err := db.withItemTokens(ctx, &ds[i]); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func queryDigests(tx *tx, cond string, args ...any) ([]app.Digest, error) {
	rows, err := tx.query(`SELECT d.id, d.cohort_id, h.name, d.client_id, c.name, c.email, d.period, d.since, d.until,
		d.delivery, d.zone, coalesce(d.edition_id, 0), coalesce(e.created_at, ''), coalesce(e.note, ''), coalesce(e.note_at, ''),
		coalesce(o.state, ''), coalesce(o.message_id, '')
		FROM digests d JOIN cohorts h ON h.id = d.cohort_id JOIN clients c ON c.id = d.client_id
		LEFT JOIN digest_editions e ON e.id = d.edition_id LEFT JOIN outbox o ON o.digest_id = d.id WHERE `+cond, args...)
	if err != nil {
		return nil, dbError(err)
	}
	type row struct {
		d         app.Digest
		edition   int64
		editionAt string
		noteAt    string
	}
	var rs []row
	for rows.Next() {
		var r row
		var period, since, until string
		if err := rows.Scan(&r.d.ID, &r.d.CohortID, &r.d.Cohort, &r.d.ClientID, &r.d.Name, &r.d.Email, &period, &since, &until,
			&r.d.Delivery, &r.d.Zone, &r.edition, &r.editionAt, &r.d.Note, &r.noteAt, &r.d.State, &r.d.MessageID); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		r.d.Period, r.d.Since, r.d.Until = parseTime(period), parseTime(since), parseTime(until)
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	out := make([]app.Digest, 0, len(rs))
	for _, r := range rs {
		d := r.d
		if r.noteAt == "" || !parseTime(r.noteAt).After(d.Since) {
			d.Note = "" // written before this member's previous digest: they had it
		}
		items, err := tx.db.edition.items(tx, r.edition, r.editionAt)
		if err != nil {
			return nil, err
		}
		sent, err := postsSentTo(tx, d.ClientID, items)
		if err != nil {
			return nil, err
		}
		d.Items = tx.db.edition.memberItems(items, d.ClientID, d.Since, sent)
		if d.Items == nil {
			d.Items = []app.DigestItem{}
		}
		out = append(out, d)
	}
	return out, nil
}

// editionCache keeps the items of the edition read last. An edition's items
// are written once, when it is recorded, and never changed, and every member's
// digest of a period shares one edition: the outbox composing 2,000 digests
// would otherwise read the same thousands of rows 2,000 times. One edition is
// kept, so memory does not grow with the members or the editions. The key
// includes the edition's creation time, since SQLite may reuse the id of a
// deleted one.
type editionCache struct {
	mu    sync.Mutex
	key   string
	cache []app.DigestItem
	// authors are the members who wrote one of the edition's replies or were
	// released one of its lessons: only their share of it is their own.
	authors map[int64]bool
	// shares are the shares of members who are not authors, by their start
	// and the posts they received on their own: in a cohort of 2,000, most
	// members' digests carry the very same items, and copying thousands of
	// them for each member was a tenth of composing a digest. A few are kept.
	shares map[string][]app.DigestItem
}

// maxShares bounds editionCache.shares: members of one period differ in
// their start only when they joined or changed delivery lately.
const maxShares = 16

// items returns the edition's items, shared: callers must not change them.
func (c *editionCache) items(tx *tx, editionID int64, createdAt string) ([]app.DigestItem, error) {
	key := strconv.FormatInt(editionID, 10) + "@" + createdAt
	c.mu.Lock()
	if c.key == key {
		defer c.mu.Unlock()
		return c.cache, nil
	}
	c.mu.Unlock()
	items, err := editionItems(tx, editionID)
	if err != nil || editionID == 0 {
		return items, err
	}
	authors := map[int64]bool{}
	for i := range items {
		if items[i].ClientID != 0 {
			authors[items[i].ClientID] = true
		}
	}
	c.mu.Lock()
	c.key, c.cache, c.authors, c.shares = key, items, authors, map[string][]app.DigestItem{}
	c.mu.Unlock()
	return items, nil
}

// memberItems is memberItems(items, ...) for the cached edition items, shared
// between members who wrote none of it and have the same start and the same
// posts received: callers must not change the slice it returns.
func (c *editionCache) memberItems(items []app.DigestItem, clientID int64, since time.Time, sent map[int64]bool) []app.DigestItem {
	c.mu.Lock()
	// items are the cached edition's (the same array), and the member wrote none of them.
	shareable := len(items) > 0 && len(c.cache) > 0 && &items[0] == &c.cache[0] && !c.authors[clientID]
	shares := c.shares
	key := ""
	if shareable {
		key = shareKey(since, sent)
		if share, ok := shares[key]; ok {
			c.mu.Unlock()
			return share
		}
	}
	c.mu.Unlock()
	share := memberItems(items, clientID, since, sent)
	if shareable {
		c.mu.Lock()
		if len(shares) < maxShares {
			shares[key] = share // the map of this edition, even if another replaced it meanwhile
		}
		c.mu.Unlock()
	}
	return share
}

// shareKey names a member's start and which posts they received on their own.
func shareKey(since time.Time, sent map[int64]bool) string {
	ids := make([]int64, 0, len(sent))
	for id, ok := range sent {
		if ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	b := strconv.AppendInt(nil, since.UnixNano(), 10)
	for _, id := range ids {
		b = append(b, ',')
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

func editionItems(tx *tx, editionID int64) ([]app.DigestItem, error) {
	if editionID == 0 {
		return nil, nil
	}
	rows, err := tx.query(`SELECT id, post_id, post_subject, coalesce(reply_id, 0), coalesce(client_id, 0), author, at, text,
		highlighted, pinned FROM digest_items WHERE edition_id = ? ORDER BY position`, editionID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []app.DigestItem
	for rows.Next() {
		var it app.DigestItem
		var at string
		if err := rows.Scan(&it.ID, &it.PostID, &it.PostSubject, &it.ReplyID, &it.ClientID, &it.Author, &at, &it.Text,
			&it.Highlighted, &it.Pinned); err != nil {
			return nil, dbError(err)
		}
		it.At = parseTime(at)
		out = append(out, it)
	}
	return out, dbError(rows.Err())
}

// PreviewDigest returns the digest a member would get if it were built at
// until, without recording anything: the window's preview.
func (db *DB) PreviewDigest(ctx context.Context, cohortID, clientID int64, since, until time.Time) (app.Digest, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return app.Digest{}, err
	}
	defer tx.Rollback()
	d := app.Digest{CohortID: cohortID, ClientID: clientID, Since: since, Until: until}
	var noteAt sql.NullString
	err = tx.queryRow(`SELECT h.name, c.name, c.email, m.delivery, c.time_zone, h.digest_note, h.digest_note_at
		FROM memberships m JOIN cohorts h ON h.id = m.cohort_id JOIN clients c ON c.id = m.client_id
		WHERE m.cohort_id = ? AND m.client_id = ? AND m.left_at IS NULL`, cohortID, clientID).Scan(
		&d.Cohort, &d.Name, &d.Email, &d.Delivery, &d.Zone, &d.Note, &noteAt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, app.Errorf(app.ENOTFOUND, "That client is not a member of this cohort.")
	}
	if err != nil {
		return d, dbError(err)
	}
	if !noteAt.Valid || !parseTime(noteAt.String).After(since) {
		d.Note = ""
	}
	items, err := selectDigestItems(tx, cohortID, since, until)
	if err != nil {
		return d, err
	}
	sent, err := postsSentTo(tx, clientID, items)
	if err != nil {
		return d, err
	}
	d.Items = memberItems(items, clientID, since, sent)
	if d.Items == nil {
		d.Items = []app.DigestItem{}
	}
	return d, nil
}

// LastDigestUntil returns when the member's previous digest of the cohort ended
// (zero for none): where their next one starts.
func (db *DB) LastDigestUntil(ctx context.Context, cohortID, clientID int64) (time.Time, error) {
	var until sql.NullString
	err := db.rdb.QueryRowContext(ctx, "SELECT max(until) FROM digests WHERE cohort_id = ? AND client_id = ?", cohortID, clientID).Scan(&until)
	return parseTime(until.String), dbError(err)
}

func utc(t time.Time) string { return t.UTC().Format(timeFormat) }

// itemSecretKey names the workspace's secret under which digest item tokens are
// made (replyaddr.ItemToken); it never leaves the workspace.
const itemSecretKey = "digest_item_secret"

// itemSecret returns the workspace's item token secret, making it the first time.
func (db *DB) itemSecret(ctx context.Context) ([]byte, error) {
	// Once made, the secret never changes: the outbox asks for it with every
	// digest it composes, so it is read from the settings once per handle.
	if secret := db.secret.Load(); secret != nil {
		return *secret, nil
	}
	secret, err := db.readItemSecret(ctx)
	if err == nil {
		db.secret.Store(&secret)
	}
	return secret, err
}

func (db *DB) readItemSecret(ctx context.Context) ([]byte, error) {
	var s string
	err := db.Setting(ctx, itemSecretKey, &s)
	if app.ErrorCode(err) == app.ENOTFOUND {
		b := make([]byte, 32)
		rand.Read(b)
		s = base64.StdEncoding.EncodeToString(b)
		if _, err := db.execCount(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
			itemSecretKey, `"`+s+`"`, db.now()); err != nil {
			return nil, err
		}
		err = db.Setting(ctx, itemSecretKey, &s)
	}
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

// withItemTokens gives each item of a recorded digest its reply token.
func (db *DB) withItemTokens(ctx context.Context, d *app.Digest) error {
	secret, err := db.itemSecret(ctx)
	if err != nil {
		return err
	}
	token := replyaddr.ItemTokens(secret)
	d.Items = slices.Clone(d.Items) // the items may be shared with other members' digests
	for i := range d.Items {
		d.Items[i].Token = token(d.ID, d.Items[i].ID)
	}
	return nil
}

// SentByItemToken returns what a digest item's reply token points at: the
// item's post, for the member whose digest carried it.
func (db *DB) SentByItemToken(ctx context.Context, token string) (app.SentRef, error) {
	secret, err := db.itemSecret(ctx)
	if err != nil {
		return app.SentRef{}, err
	}
	digestID, itemID, ok := replyaddr.ParseItemToken(secret, token)
	if !ok {
		return app.SentRef{}, app.Errorf(app.ENOTFOUND, "Roundtable gave out no such reply address.")
	}
	var ref app.SentRef
	err = db.rdb.QueryRowContext(ctx, `SELECT i.post_id, d.cohort_id, d.client_id, i.post_subject, c.name, c.email, d.id,
		coalesce((SELECT lesson_id FROM posts WHERE id = i.post_id), 0)
		FROM digest_items i JOIN digests d ON d.edition_id = i.edition_id JOIN clients c ON c.id = d.client_id
		WHERE i.id = ? AND d.id = ?`, itemID, digestID).Scan(&ref.PostID, &ref.CohortID, &ref.ClientID, &ref.Subject,
		&ref.Name, &ref.Email, &ref.DigestID, &ref.LessonID)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, app.Errorf(app.ENOTFOUND, "Roundtable gave out no such reply address.")
	}
	return ref, dbError(err)
}
