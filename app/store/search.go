package store

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/roundtablehq/roundtable/app"
	"golang.org/x/text/unicode/norm"
)

// Column weights for bm25 over search_words (title, meta, body): a name or a
// subject counts ten times a word in a long text, an address or a tag four
// times, so a client called Hope comes before a note that hopes.
const searchWeights = "10.0, 4.0, 1.0"

// Limits on what is typed: more words than this are ignored, longer words cut.
// They keep any input, pasted or not, a cheap query.
const (
	maxSearchWords   = 12
	maxSearchWordLen = 64
)

// substringFallbackRows bounds how many substring (trigram) matches are read,
// newest first, when the words found are few.
const substringFallbackRows = 200

// searchWords splits what the coach typed into words: runs of letters, marks
// and digits (after NFC, so a typed "e" + combining accent is one letter, and
// a Devanagari or Thai word keeps its vowel signs). Quotes,
// operators, brackets, NUL and emoji are never part of a word, so nothing
// typed can reach FTS5 as syntax.
func searchWords(text string) []string {
	words := strings.FieldsFunc(norm.NFC.String(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	for i, w := range words {
		if r := []rune(w); len(r) > maxSearchWordLen {
			words[i] = string(r[:maxSearchWordLen])
		}
	}
	return words
}

// wordsMatch builds the FTS5 MATCH expression for words: every word quoted
// (a phrase of one word: AND, NEAR or * inside it are plain text) and all of
// them required. The last is a prefix, as the coach may still be typing it;
// allPrefix makes every word one ("ali exa" finds alice@example.com).
func wordsMatch(words []string, allPrefix bool) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote(w))
		if allPrefix || i == len(words)-1 {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// trigramMatch builds the MATCH expression for the trigram index: each word as
// a substring. Words shorter than three characters cannot be looked up there,
// so a query with one gets "" (no substring search).
func trigramMatch(words []string) string {
	for _, w := range words {
		if len([]rune(w)) < 3 {
			return ""
		}
	}
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = quote(w)
	}
	return strings.Join(q, " ")
}

func quote(word string) string { return `"` + strings.ReplaceAll(word, `"`, `""`) + `"` }

// searchFilter is the WHERE clause (on search_items i) for a query's filters;
// it reads only the columns of the index search_items_rank.
func searchFilter(q app.SearchQuery) (string, []any) {
	conds := []string{"1"}
	var args []any
	kinds := q.Kinds
	if len(kinds) == 0 {
		for _, k := range app.SearchKinds {
			kinds = append(kinds, k.Kind)
		}
	}
	conds = append(conds, "i.kind IN "+placeholders(1, len(kinds)))
	for _, k := range kinds {
		args = append(args, k)
	}
	if q.CohortID != 0 {
		// A client belongs to a cohort by being in it now.
		conds = append(conds, `(i.cohort_id = ? OR (i.kind = 'client' AND i.client_id IN
			(SELECT client_id FROM memberships WHERE cohort_id = ? AND left_at IS NULL)))`)
		args = append(args, q.CohortID, q.CohortID)
	}
	if q.ClientID != 0 {
		conds = append(conds, "i.client_id = ?")
		args = append(args, q.ClientID)
	}
	if !q.From.IsZero() {
		conds = append(conds, "i.at >= ?")
		args = append(args, q.From.UTC().Format(timeFormat))
	}
	if !q.To.IsZero() {
		conds = append(conds, "i.at < ?")
		args = append(args, q.To.UTC().Format(timeFormat))
	}
	return strings.Join(conds, " AND "), args
}

// Search finds what the coach typed in everything search_items holds (see
// migration 0015), best first within each kind: by bm25 with a name or title
// weighing most, then the newest. When the words find few things and every
// word has three characters or more, names, subjects and addresses that hold
// the words inside other words (the trigram index) follow, newest first. Any
// text is safe to pass.
//
// A word in most of the workspace ("the") would have every match scored: the
// newest searchCandidatesMax are scored instead, with as many of the newest
// things so called (names, subjects, titles: so a client called Will still
// comes first); the group then says there may be more.
func (db *DB) Search(ctx context.Context, q app.SearchQuery) (app.SearchResults, error) {
	out := app.SearchResults{Groups: []app.SearchGroup{}}
	for _, k := range q.Kinds {
		if _, ok := app.FindSearchKind(k); !ok {
			return out, app.FieldErrorf(app.EINVALID, "kind", "Search has no kind %q; the kinds are %s.", k, searchKindNames())
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return out, app.FieldErrorf(app.EINVALID, "to", "The end of the dates searched comes before their start.")
	}
	per := q.PerKind
	if per <= 0 {
		per = 5
	}
	per = min(per, 100)
	words := searchWords(q.Text)
	if len(words) == 0 {
		return out, nil
	}
	tx, err := db.read(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()

	where, args := searchFilter(q)
	match := wordsMatch(words, false)
	found := map[int64]candidate{}
	capped, err := searchCandidates(tx, "search_words", match, where, args, searchCandidatesMax, found)
	if err != nil {
		return out, err
	}
	if capped {
		if _, err := searchCandidates(tx, "search_titles", match, where, args, searchCandidatesMax, found); err != nil {
			return out, err
		}
	}
	if tri := trigramMatch(words); !capped && tri != "" && len(found) < per {
		if _, err := searchCandidates(tx, "search_trigrams", tri, where, args, substringFallbackRows, found); err != nil {
			return out, err
		}
	}
	groups := rankCandidates(found, per)
	cohorts, err := cohortNames(tx)
	if err != nil {
		return out, err
	}
	for _, k := range app.SearchKinds {
		ranked := groups[k.Kind]
		if len(ranked) == 0 {
			continue
		}
		g := app.SearchGroup{Kind: k.Kind, Label: k.Label, Total: ranked[0].total, More: capped, Hits: make([]app.SearchHit, 0, len(ranked))}
		for _, c := range ranked {
			h, err := searchHit(tx, c, words, cohorts)
			if err != nil {
				return out, err
			}
			g.Hits = append(g.Hits, h)
		}
		out.Groups = append(out.Groups, g)
	}
	return out, commit(tx)
}

// searchCandidatesMax bounds how many matches are scored, newest first, in
// the whole index and again among titles.
var searchCandidatesMax = 300

// candidate is a search_items row matched, with what ranks it: its bm25
// (lower is better; 0 for a substring match) and its date, and how many of
// its kind were found.
type candidate struct {
	item      int64
	kind      string
	at        string // timeFormat: text order is time order
	rank      float64
	substring bool
	total     int
	step      float64 // see rankCandidates
}

// searchCandidates adds to found the matches of one index (search_words;
// search_titles, the title alone, weighed as search_words weighs it; or
// search_trigrams for substrings, unranked), newest first, at most limit (0:
// all), and says whether there were more. A match already found keeps its rank.
func searchCandidates(tx *tx, table, match, where string, args []any, limit int, found map[int64]candidate) (bool, error) {
	rank := map[string]string{
		"search_words":  "bm25(search_words, " + searchWeights + ")",
		"search_titles": "bm25(search_titles, " + strings.SplitN(searchWeights, ",", 2)[0] + ")",
	}[table]
	if rank == "" {
		rank = "0"
	}
	query := `SELECT i.id, i.kind, i.at, ` + rank + ` FROM ` + table + `
		JOIN search_items i INDEXED BY search_items_rank ON i.id = ` + table + `.rowid
		WHERE ` + table + ` MATCH ? AND ` + where + ` ORDER BY ` + table + `.rowid DESC`
	qargs := append([]any{match}, args...)
	if limit > 0 {
		query += " LIMIT ?"
		qargs = append(qargs, limit+1)
	}
	rows, err := tx.query(query, qargs...)
	if err != nil {
		return false, dbError(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n++; limit > 0 && n > limit {
			return true, dbError(rows.Close())
		}
		c := candidate{substring: table == "search_trigrams"}
		if err := rows.Scan(&c.item, &c.kind, &c.at, &c.rank); err != nil {
			return false, dbError(err)
		}
		if _, ok := found[c.item]; !ok {
			found[c.item] = c
		}
	}
	return false, dbError(rows.Err())
}

// rankCandidates groups candidates by kind and keeps each kind's best per:
// word matches by rank, where ranks within a tenth of the kind's best step
// count as equal (bm25 sees the whole row, so two replies saying the same
// differ by their senders' names), then the newest; substring matches after
// them, newest first.
func rankCandidates(found map[int64]candidate, per int) map[string][]candidate {
	byKind := map[string][]candidate{}
	best := map[string]float64{}
	for _, c := range found {
		byKind[c.kind] = append(byKind[c.kind], c)
		best[c.kind] = min(best[c.kind], c.rank)
	}
	for k, cs := range byKind {
		for i, c := range cs {
			if !c.substring && best[k] != 0 {
				cs[i].step = math.Round(c.rank * 10 / best[k])
			}
		}
		slices.SortFunc(cs, func(a, b candidate) int {
			if a.substring != b.substring {
				if a.substring {
					return 1
				}
				return -1
			}
			if c := cmp.Compare(b.step, a.step); c != 0 {
				return c
			}
			if c := cmp.Compare(b.at, a.at); c != 0 {
				return c
			}
			return cmp.Compare(b.item, a.item)
		})
		total := len(cs)
		cs = cs[:min(per, len(cs))]
		for i := range cs {
			cs[i].total = total
		}
		byKind[k] = cs
	}
	return byKind
}

// searchHit reads what is shown of a candidate: its names and ids, its cohort's
// name, for a reply whether it still waits to be placed, and a snippet.
func searchHit(tx *tx, c candidate, words []string, cohorts map[int64]string) (app.SearchHit, error) {
	h := app.SearchHit{Kind: c.kind, At: parseTime(c.at), Substring: c.substring}
	var cohort, client sql.NullInt64
	var title, meta, body, state string
	err := tx.queryRow(`SELECT i.ref_id, i.parent_id, i.cohort_id, i.client_id, i.private, i.label, i.title, i.meta, i.body,
		coalesce((SELECT r.state FROM replies r WHERE i.kind = 'reply' AND r.id = i.ref_id), '')
		FROM search_items i WHERE i.id = ?`, c.item).
		Scan(&h.ID, &h.ParentID, &cohort, &client, &h.Private, &h.Title, &title, &meta, &body, &state)
	if err != nil {
		return h, dbError(err)
	}
	h.CohortID, h.ClientID = cohort.Int64, client.Int64
	h.Cohort = cohorts[h.CohortID]
	h.Unmatched = state == "unmatched"
	h.Snippet = snippet(words, c.substring, body, meta, title)
	return h, nil
}

func cohortNames(tx *tx) (map[int64]string, error) {
	rows, err := tx.query("SELECT id, name FROM cohorts")
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, dbError(err)
		}
		names[id] = name
	}
	return names, dbError(rows.Err())
}

func searchKindNames() string {
	names := make([]string, len(app.SearchKinds))
	for i, k := range app.SearchKinds {
		names[i] = k.Kind
	}
	return strings.Join(names, ", ")
}

// searchItemCols are search_items' columns in the order every
// search_source_KIND view gives them.
const searchItemCols = "kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body"

// pauseSearch stops the triggers of a kind for the rest of tx, or until it is
// resumed (migrations 0015 and 0018: "client" and "reply"): a big import writes
// its rows first and then their items at once, in one statement — FTS5 writes
// a segment per statement, so a trigger per row costs ten times as much.
func pauseSearch(tx *tx, kind string) error {
	_, err := tx.exec("INSERT OR IGNORE INTO search_paused (kind) VALUES (?)", kind)
	return dbError(err)
}

// pauseClientSearch stops the client triggers for the rest of tx: a big
// import writes its clients first, then resumeClientSearch brings their items
// up to date at once.
func pauseClientSearch(tx *tx) error { return pauseSearch(tx, app.SearchClient) }

// resumeReplySearch gives the replies written in tx since pauseSearch — those
// with an id above before, as tx holds the write lock — their search items, and
// starts the reply trigger again. One that already has its item (a change to
// it in the same transaction, through the UPDATE trigger) keeps it.
func resumeReplySearch(tx *tx, before int64) error {
	if _, err := tx.exec(`INSERT OR IGNORE INTO search_items (`+searchItemCols+`) SELECT `+searchItemCols+`
		FROM search_source_reply WHERE ref_id > ?`, before); err != nil {
		return dbError(err)
	}
	_, err := tx.exec("DELETE FROM search_paused WHERE kind = ?", app.SearchReply)
	return dbError(err)
}

// resumeClientSearch makes the items of clients, and of notes on attendees
// (which carry the client's name), what their views say, and starts the
// client triggers again.
func resumeClientSearch(tx *tx) error {
	for _, kind := range []string{app.SearchClient, app.SearchAttendeeNote} {
		if err := resyncSearch(tx, kind); err != nil {
			return err
		}
	}
	_, err := tx.exec("DELETE FROM search_paused WHERE kind = 'client'")
	return dbError(err)
}

// resyncSearch makes search_items hold exactly the rows of a kind's source
// view (search_source_KIND): items that differ from their source (or lost it) are deleted, and
// sources without an item get one. The triggers on search_items keep the FTS5
// indexes in step, deleting with the old values.
func resyncSearch(tx *tx, kind string) error {
	view := "search_source_" + kind
	same := `i.kind = s.kind AND i.ref_id = s.ref_id AND i.sub_id = s.sub_id`
	equal := same + ` AND i.parent_id IS s.parent_id AND i.cohort_id IS s.cohort_id AND i.client_id IS s.client_id
		AND i.at IS s.at AND i.private = s.private AND i.label IS s.label AND i.title IS s.title AND i.meta IS s.meta AND i.body IS s.body`
	if _, err := tx.exec(`DELETE FROM search_items WHERE kind = ? AND id NOT IN
		(SELECT i.id FROM search_items i JOIN `+view+` s ON `+equal+`)`, kind); err != nil {
		return dbError(err)
	}
	_, err := tx.exec(`INSERT INTO search_items (` + searchItemCols + `) SELECT ` + searchItemCols + ` FROM ` + view + ` s
		WHERE NOT EXISTS (SELECT 1 FROM search_items i WHERE ` + same + `)`)
	return dbError(err)
}
