package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// bulkImport is the number of rows from which an import loads every address
// first.
const bulkImport = 200

// ImportClients adds or updates the rows in one transaction: either every row is
// in the workspace afterwards, or none is. onDuplicate says what to do with a row
// whose address already belongs to a client. Rows the store refuses (an address
// that is another client's alias, say) are returned as rejected, and do not stop
// the others. report is called every few hundred rows; cancelling ctx rolls
// everything back.
func (db *DB) ImportClients(ctx context.Context, rows []app.ImportRow, onDuplicate string, report func(app.Progress)) (app.ImportSummary, error) {
	sum, err := db.importClients(ctx, rows, onDuplicate, report)
	if err != nil && ctx.Err() != nil {
		// Cancelled: whatever step noticed first (a statement of the rolled
		// back transaction, say), the coach stopped it and nothing changed.
		return app.ImportSummary{}, app.Wrap(app.ECANCELED, ctx.Err(), "The import was stopped; no client was added or changed")
	}
	return sum, err
}

func (db *DB) importClients(ctx context.Context, rows []app.ImportRow, onDuplicate string, report func(app.Progress)) (app.ImportSummary, error) {
	sum := app.ImportSummary{Rejected: []app.RejectedRow{}, Notes: []string{}}
	var oneLined []string // lines whose name had a line break
	if !slices.Contains([]string{app.OnDuplicateUpdate, app.OnDuplicateSkip, app.OnDuplicateMerge}, onDuplicate) {
		return sum, app.Errorf(app.EINVALID, "%q is not a choice for duplicates; use update, skip or merge.", onDuplicate)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	// A big import looks its addresses up in memory: one query instead of two a
	// row. A few rows into a big workspace ask SQLite, which is then cheaper.
	// It also indexes its clients for search once at the end, not row by row.
	var batch *clientBatch
	if len(rows) >= bulkImport {
		if err := loadAddresses(tx); err != nil {
			return sum, err
		}
		if err := pauseClientSearch(tx); err != nil {
			return sum, err
		}
		batch = &clientBatch{addrs: map[string]bool{}}
	}
	for i, r := range rows {
		if i%500 == 0 {
			if err := ctx.Err(); err != nil {
				return app.ImportSummary{}, err
			}
			report(app.Progress{Job: "clients:import", Done: i, Total: len(rows), Note: "Importing clients"})
		}
		if n := r.Client.Name; oneLineName(n) != strings.TrimSpace(n) {
			oneLined = append(oneLined, fmt.Sprint(r.Line))
		}
		if batch.holds(r.Client) {
			// The row names a client still in the batch: write the batch first,
			// so the row is decided as it would be row by row.
			if err := batch.flush(tx); err != nil {
				return app.ImportSummary{}, err
			}
		}
		outcome, err := db.importRow(tx, r.Client, onDuplicate, batch)
		switch {
		case app.ErrorCode(err) == app.EINVALID || app.ErrorCode(err) == app.ECONFLICT:
			sum.Rejected = append(sum.Rejected, app.RejectedRow{Line: r.Line, Reason: app.ErrorMessage(err)})
		case err != nil:
			return app.ImportSummary{}, err
		case outcome == "imported":
			sum.Imported++
		case outcome == "updated":
			sum.Updated++
		default:
			sum.Skipped++
		}
	}
	if err := batch.flush(tx); err != nil {
		return app.ImportSummary{}, err
	}
	if len(rows) >= bulkImport {
		report(app.Progress{Job: "clients:import", Done: len(rows), Total: len(rows), Note: "Indexing clients for search"})
		if err := resumeClientSearch(tx); err != nil {
			return app.ImportSummary{}, err
		}
	}
	if err := commit(tx); err != nil {
		return app.ImportSummary{}, err
	}
	if len(oneLined) > 0 {
		sum.Notes = append(sum.Notes, fmt.Sprintf("%d name(s) had a line break and were put on one line (line %s).", len(oneLined), strings.Join(oneLined, ", ")))
	}
	report(app.Progress{Job: "clients:import", Done: len(rows), Total: len(rows), Note: "Import finished"})
	return sum, nil
}

// importRow decides one row; a new client goes into batch when there is one.
func (db *DB) importRow(tx *tx, in app.ClientInput, onDuplicate string, batch *clientBatch) (string, error) {
	id, err := clientIDByEmail(tx, strings.TrimSpace(in.Email))
	if err != nil {
		return "", err
	}
	if id == 0 && batch != nil {
		return "imported", batch.add(tx, in)
	}
	if id == 0 {
		_, err := db.createClient(tx, in)
		return "imported", err
	}
	if onDuplicate == app.OnDuplicateSkip {
		return "skipped", nil
	}
	old, err := findClientByID(tx, id)
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(old.Email, in.Email) {
		return "", app.Errorf(app.ECONFLICT, "The address %s is another address of %s; import skipped it.", in.Email, old.Name)
	}
	next := merge(old, in, onDuplicate == app.OnDuplicateUpdate)
	if err := db.updateClient(tx, id, next); err != nil {
		return "", fmt.Errorf("store: import update %d: %w", id, err)
	}
	return "updated", nil
}

// merge combines a client with an imported row. With replace, every value the row
// has replaces the client's; without, the client's values stay and only blanks
// are filled. Tags and aliases are always joined: an import never drops them.
func merge(old app.Client, in app.ClientInput, replace bool) app.ClientInput {
	out := app.ClientInput{Name: old.Name, Email: old.Email, Phone: old.Phone, TimeZone: old.TimeZone,
		Status: old.Status, Goals: old.Goals, Notes: old.Notes,
		Tags: append(slices.Clone(old.Tags), in.Tags...), Aliases: append(slices.Clone(old.Aliases), in.Aliases...)}
	pick := func(dst *string, v string) {
		if v != "" && (replace || *dst == "") {
			*dst = v
		}
	}
	pick(&out.Name, in.Name)
	pick(&out.Phone, in.Phone)
	pick(&out.TimeZone, in.TimeZone)
	pick(&out.Status, in.Status)
	pick(&out.Goals, in.Goals)
	pick(&out.Notes, in.Notes)
	return out
}

// CountExisting tells how many of the rows have an address that already belongs to
// a client, for the import preview.
func (db *DB) CountExisting(ctx context.Context, rows []app.ImportRow) (int, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n := 0
	for _, r := range rows {
		id, err := clientIDByEmail(tx, r.Client.Email)
		if err != nil {
			return 0, err
		}
		if id != 0 {
			n++
		}
	}
	return n, nil
}
