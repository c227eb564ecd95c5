package store

import (
	"context"
	"database/sql"
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

// snippetOpen and snippetClose mark a found word in FTS5's snippet(); both are
// private-use characters, taken out of the text itself before it is split.
const (
	snippetOpen  = "\uE000"
	snippetClose = "\uE001"
)

// substringFallbackRows bounds how many substring (trigram) matches are read,
// newest first, when the words found are few.
const substringFallbackRows = 200

// searchWords splits what the coach typed into words: runs of letters and
// digits (after NFC, so a typed "e" + combining accent is one letter). Quotes,
// operators, brackets, NUL and emoji are never part of a word, so nothing
// typed can reach FTS5 as syntax.
func searchWords(text string) []string {
	words := strings.FieldsFunc(norm.NFC.String(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
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

// searchFilter is the WHERE clause (on search_items i) for a query's filters.
func searchFilter(q app.SearchQuery) (string, []any) {
	conds := []string{"1"}
	var args []any
	kinds := q.Kinds
	if len(kinds) == 0 {
		for _, k := range app.SearchKinds {
			kinds = append(kinds, k.Kind)
		}
	}
	conds = append(conds, "i.kind IN (?"+strings.Repeat(", ?", len(kinds)-1)+")")
	for _, k := range kinds {
		args = append(args, k)
	}
	if q.CohortID != 0 {
		// A client belongs to a cohort by being in it now.
		conds = append(conds, `(i.cohort_id = ? OR (i.kind = 'client' AND i.ref_id IN
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
// migration 0015), best first within each kind: by bm25 with a name or subject
// weighing most, then the newest. When the words find few things and every
// word has three characters or more, things that hold the words inside other
// words (the trigram index) follow, newest first. Any text is safe to pass.
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
	found, err := searchRanked(tx, match, where, args, per)
	if err != nil {
		return out, err
	}
	shown := 0
	for _, g := range found {
		shown += len(g)
	}
	tri := trigramMatch(words)
	if tri != "" && shown < per {
		if err := searchSubstrings(tx, tri, match, where, args, per, found); err != nil {
			return out, err
		}
	}
	cohorts, err := cohortNames(tx)
	if err != nil {
		return out, err
	}
	for _, k := range app.SearchKinds {
		hits := found[k.Kind]
		if len(hits) == 0 {
			continue
		}
		g := app.SearchGroup{Kind: k.Kind, Label: k.Label, Total: hits[0].total, Hits: make([]app.SearchHit, 0, len(hits))}
		for _, h := range hits {
			if err := h.complete(tx, match, tri, cohorts); err != nil {
				return out, err
			}
			g.Hits = append(g.Hits, h.SearchHit)
		}
		out.Groups = append(out.Groups, g)
	}
	return out, commit(tx)
}

// searchHit is a hit while it is being found: its search_items row and how
// many of its kind there are.
type searchHit struct {
	app.SearchHit
	item  int64
	total int
}

func scanSearchHit(rows *sql.Rows, extra ...any) (searchHit, error) {
	var h searchHit
	var cohort, client sql.NullInt64
	var at string
	dest := append([]any{&h.item, &h.Kind, &h.ID, &h.ParentID, &cohort, &client, &at, &h.Private, &h.Title}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return h, dbError(err)
	}
	h.CohortID, h.ClientID, h.At = cohort.Int64, client.Int64, parseTime(at)
	return h, nil
}

const searchItemColumns = "i.id, i.kind, i.ref_id, i.parent_id, i.cohort_id, i.client_id, i.at, i.private, i.label"

// searchRanked returns the best per hits of each kind by words, with each
// kind's total, in one pass over the matches. Ranks within a tenth of each
// other count as equal (bm25 sees the whole row, so two replies saying the same
// differ by their senders' names): among those, the newest come first.
func searchRanked(tx *tx, match, where string, args []any, per int) (map[string][]searchHit, error) {
	query := `SELECT ` + searchItemColumns + `, total FROM (
		SELECT i.*, row_number() OVER (PARTITION BY i.kind ORDER BY round(rank * 10.0 / best) DESC, i.at DESC, i.id DESC) AS n
		FROM (SELECT i.*, w.rank AS rank, min(w.rank) OVER (PARTITION BY i.kind) AS best,
				count(*) OVER (PARTITION BY i.kind) AS total
			FROM (SELECT rowid AS id, bm25(search_words, ` + searchWeights + `) AS rank FROM search_words WHERE search_words MATCH ?) w
			JOIN search_items i ON i.id = w.id
			WHERE ` + where + `) i) i
		WHERE n <= ? ORDER BY i.kind, n`
	rows, err := tx.query(query, append(append([]any{match}, args...), per)...)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	found := map[string][]searchHit{}
	for rows.Next() {
		var total int
		h, err := scanSearchHit(rows, &total)
		if err != nil {
			return nil, err
		}
		h.total = total
		found[h.Kind] = append(found[h.Kind], h)
	}
	return found, dbError(rows.Err())
}

// searchSubstrings adds to found, newest first, what holds the words inside
// other words and was not found by words, until each kind shows per.
func searchSubstrings(tx *tx, tri, match, where string, args []any, per int, found map[string][]searchHit) error {
	query := `SELECT ` + searchItemColumns + ` FROM search_trigrams t JOIN search_items i ON i.id = t.rowid
		WHERE search_trigrams MATCH ? AND ` + where + `
		AND i.id NOT IN (SELECT rowid FROM search_words WHERE search_words MATCH ?)
		ORDER BY t.rowid DESC LIMIT ?`
	rows, err := tx.query(query, append(append([]any{tri}, args...), match, substringFallbackRows)...)
	if err != nil {
		return dbError(err)
	}
	defer rows.Close()
	extra := map[string]int{}
	for rows.Next() {
		h, err := scanSearchHit(rows)
		if err != nil {
			return err
		}
		h.Substring = true
		extra[h.Kind]++
		if len(found[h.Kind]) < per {
			found[h.Kind] = append(found[h.Kind], h)
		}
	}
	if err := rows.Err(); err != nil {
		return dbError(err)
	}
	for k, n := range extra {
		hits := found[k]
		words := 0
		if len(hits) > 0 && !hits[0].Substring {
			words = hits[0].total
		}
		for i := range hits {
			hits[i].total = words + n
		}
	}
	return nil
}

// complete fills in what is shown beside a hit: its snippet, its cohort's
// name and, for a reply, whether it still waits to be placed.
func (h *searchHit) complete(tx *tx, match, tri string, cohorts map[int64]string) error {
	table, m := "search_words", match
	if h.Substring {
		table, m = "search_trigrams", tri
	}
	var snip string
	err := tx.queryRow(`SELECT snippet(`+table+`, -1, '`+snippetOpen+`', '`+snippetClose+`', '…', 16) FROM `+table+
		` WHERE `+table+` MATCH ? AND rowid = ?`, m, h.item).Scan(&snip)
	if err != nil && err != sql.ErrNoRows {
		return dbError(err)
	}
	h.Snippet = snippetParts(snip)
	h.Cohort = cohorts[h.CohortID]
	if h.Kind == app.SearchReply {
		var state string
		if err := tx.queryRow("SELECT state FROM replies WHERE id = ?", h.ID).Scan(&state); err != nil {
			return dbError(err)
		}
		h.Unmatched = state == "unmatched"
	}
	return nil
}

// snippetParts splits a snippet marked by snippetOpen/snippetClose into plain
// text parts, found or not. Line breaks become spaces: a snippet is one line.
func snippetParts(s string) []app.SnippetPart {
	s = strings.Join(strings.Fields(s), " ")
	parts := []app.SnippetPart{}
	hit := false
	for s != "" {
		mark := snippetOpen
		if hit {
			mark = snippetClose
		}
		i := strings.Index(s, mark)
		if i < 0 {
			i = len(s)
		}
		if text := strings.NewReplacer(snippetOpen, "", snippetClose, "").Replace(s[:i]); text != "" {
			if n := len(parts); n > 0 && parts[n-1].Hit == hit {
				parts[n-1].Text += text
			} else {
				parts = append(parts, app.SnippetPart{Text: text, Hit: hit})
			}
		}
		s = s[min(i+len(mark), len(s)):]
		hit = !hit
	}
	return parts
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
