package clientcsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// exportHeader is the header Write puts first; Read maps every one of its columns
// back, so an export imports again unchanged.
var exportHeader = []string{"Name", "Email", "Other emails", "Phone", "Time zone", "Tags", "Status", "Goals", "Notes", "Created"}

// Write writes clients as UTF-8 CSV with a header line. Multi-value cells (tags,
// other emails) are joined with "; " so that commas inside them never split a cell
// for spreadsheet programs that guess the separator.
func Write(w io.Writer, clients []app.Client) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	for _, c := range clients {
		rec := []string{c.Name, c.Email, strings.Join(c.Aliases, "; "), c.Phone, c.TimeZone,
			strings.Join(c.Tags, "; "), c.Status, c.Goals, c.Notes, c.CreatedAt.UTC().Format("2006-01-02")}
		for i, v := range rec {
			rec[i] = Defuse(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Defuse keeps a spreadsheet from running a cell as a formula: a value that starts
// with = + - @ gets a leading apostrophe, as OWASP advises for CSV exports. Phone
// numbers such as "+44 20 7946 0000" are left alone: they cannot run.
func Defuse(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) || phoneLike(v) {
		return v
	}
	return "'" + v
}

func phoneLike(v string) bool {
	return strings.Trim(v, "0123456789+-() .") == ""
}

// WriteRejected writes the rows an import skipped as a CSV file to fix and import
// again: the file's own header and cells, as they were (they are the coach's own
// data going back to them, so nothing is defused), with the reason in a last
// column, which the import then leaves out. A line that could not be read at all
// has only its line number and reason.
func WriteRejected(w io.Writer, header []string, rows []app.RejectedRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, header...), RejectedReasonColumn)); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(header)+1)
		copy(rec, r.Cells)
		rec[len(header)] = fmt.Sprintf("Line %d: %s", r.Line, r.Reason)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// RejectedReasonColumn heads the reason column of a file of rows to fix.
const RejectedReasonColumn = "Why it was skipped"
