package store

import (
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// clientBatchSize is how many new clients one INSERT writes. Ten columns a
// client keeps a statement at 2,560 parameters, far under SQLite's limit.
const clientBatchSize = 256

// clientBatch holds the new clients of a big import and writes them a batch at
// a time: one INSERT for a few hundred clients, one for their tags and one for
// their aliases, instead of three or more statements a row. In a 10,000-row
// import those statements, each a trip through database/sql and cgo, cost more
// than SQLite's own work (docs/benchmarks.md, issue 12).
//
// A row is checked and cleaned when it is added, exactly as createClient would,
// so it is accepted or refused at the same moment. A later row that names an
// address still in the batch makes the batch be written first (holds, flush):
// every row is decided against the workspace as it would be row by row. A nil
// batch holds nothing and writes nothing.
type clientBatch struct {
	clients []app.ClientInput
	// addrs is every address (email and aliases) in clients, by nocase.
	addrs map[string]bool
}

// holds reports whether the row names an address of a client in the batch.
func (b *clientBatch) holds(in app.ClientInput) bool {
	if b == nil || len(b.clients) == 0 {
		return false
	}
	if b.addrs[nocase(strings.TrimSpace(in.Email))] {
		return true
	}
	for _, a := range in.Aliases {
		if b.addrs[nocase(strings.TrimSpace(a))] {
			return true
		}
	}
	return false
}

// add checks and cleans a new client as createClient does, and keeps it;
// a full batch is written.
func (b *clientBatch) add(tx *tx, in app.ClientInput) error {
	in, err := clean(in)
	if err != nil {
		return err
	}
	if err := checkAddressesFree(tx, 0, append([]string{in.Email}, in.Aliases...)); err != nil {
		return err
	}
	b.clients = append(b.clients, in)
	b.addrs[nocase(in.Email)] = true
	for _, a := range in.Aliases {
		b.addrs[nocase(a)] = true
	}
	if len(b.clients) == clientBatchSize {
		return b.flush(tx)
	}
	return nil
}

// flush writes the batch's clients, their tags and aliases, and records their
// addresses in the transaction's address map.
func (b *clientBatch) flush(tx *tx) error {
	if b == nil || len(b.clients) == 0 {
		return nil
	}
	now := tx.db.now()
	args := make([]any, 0, 10*len(b.clients))
	for _, c := range b.clients {
		args = append(args, c.Name, c.Email, c.Phone, c.TimeZone, c.Status, c.Goals, c.Notes, now, now, sortKey(c.Name))
	}
	rows, err := tx.query(`INSERT INTO clients (name, email, phone, time_zone, status, goals, notes, created_at, updated_at, sort_key)
		VALUES `+placeholders(len(b.clients), 10)+` RETURNING id, email`, args...)
	if err != nil {
		return dbError(err)
	}
	ids := make(map[string]int64, len(b.clients))
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return dbError(err)
		}
		ids[nocase(email)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError(err)
	}
	var tags, aliases []any
	for _, c := range b.clients {
		id := ids[nocase(c.Email)]
		tx.addrs[nocase(c.Email)] = id
		for _, t := range c.Tags {
			tags = append(tags, id, t)
		}
		for _, a := range c.Aliases {
			aliases = append(aliases, a, id)
			tx.addrs[nocase(a)] = id
		}
	}
	if err := insertPairs(tx, "INSERT INTO client_tags (client_id, tag) VALUES ", tags); err != nil {
		return err
	}
	if err := insertPairs(tx, "INSERT INTO client_aliases (email, client_id) VALUES ", aliases); err != nil {
		return err
	}
	b.clients = b.clients[:0]
	clear(b.addrs)
	return nil
}

// insertPairs runs insert (which ends in VALUES) for two-column rows given flat
// in args, a statement per clientBatchSize rows.
func insertPairs(tx *tx, insert string, args []any) error {
	for len(args) > 0 {
		n := min(len(args), 2*clientBatchSize)
		if _, err := tx.exec(insert+placeholders(n/2, 2), args[:n]...); err != nil {
			return dbError(err)
		}
		args = args[n:]
	}
	return nil
}
