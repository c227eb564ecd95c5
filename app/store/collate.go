package store

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// nameKeys make the collation keys clients sort by: the Unicode root order
// (CLDR), which puts accented letters beside their base letter and ignores
// case but for ties, the order every Latin-script language agrees on. A
// collator is not safe for concurrent use, hence the pool; each keeps its
// buffer (4 KB: made afresh per name it was a tenth of a 10,000-row import).
var nameKeys = sync.Pool{New: func() any { return &nameKeyer{c: collate.New(language.Und, collate.Loose)} }}

type nameKeyer struct {
	c   *collate.Collator
	buf collate.Buffer
}

// sortKey is the collation key of a name.
func sortKey(name string) []byte {
	k := nameKeys.Get().(*nameKeyer)
	defer nameKeys.Put(k)
	k.buf.Reset()
	return append([]byte(nil), k.c.KeyFromString(&k.buf, name)...)
}

// sortKeysVersion is the schema version that added clients.sort_key.
const sortKeysVersion = 12

// fillSortKeys gives the clients written before sort keys existed theirs, in
// one transaction.
func (db *DB) fillSortKeys() error {
	rows, err := db.db.Query("SELECT id, name FROM clients WHERE sort_key IS NULL")
	if err != nil {
		return dbError(err)
	}
	type client struct {
		id   int64
		name string
	}
	var todo []client
	for rows.Next() {
		var c client
		if err := rows.Scan(&c.id, &c.name); err != nil {
			rows.Close()
			return dbError(err)
		}
		todo = append(todo, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return dbError(err)
	}
	tx, err := db.db.Begin()
	if err != nil {
		return dbError(err)
	}
	defer tx.Rollback()
	st, err := tx.Prepare("UPDATE clients SET sort_key = ? WHERE id = ?")
	if err != nil {
		return dbError(err)
	}
	defer st.Close()
	for _, c := range todo {
		if _, err := st.Exec(sortKey(c.name), c.id); err != nil {
			return dbError(err)
		}
	}
	return dbError(tx.Commit())
}
