package app

// What to do when an imported row has the email of a client already in the
// workspace (or an alias of one).
const (
	OnDuplicateUpdate = "update" // the file's values replace the client's
	OnDuplicateSkip   = "skip"   // the client is left as it is
	OnDuplicateMerge  = "merge"  // keep both: the client's values stay, blanks are filled from the file, tags join
)

// ImportFields are the client fields a CSV column can map to.
var ImportFields = []string{"name", "first_name", "last_name", "email", "aliases",
	"phone", "time_zone", "tags", "status", "goals", "notes"}

// ImportRow is one client read from a file, with the line it started on so that
// every message about it can point the coach at the right place.
type ImportRow struct {
	Line   int         `json:"line"`
	Client ClientInput `json:"client"`
}

// RejectedRow is a line of the file that will not be imported, and why.
type RejectedRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
	// Cells is the row as the file has it (none for a line that could not be
	// read as CSV), so the coach can save the rows to fix and import them again.
	Cells []string `json:"cells,omitempty"`
}

// ImportSummary counts what an import did.
type ImportSummary struct {
	Imported int           `json:"imported"`
	Updated  int           `json:"updated"`
	Skipped  int           `json:"skipped"`
	Rejected []RejectedRow `json:"rejected"`
	// Notes say what was tidied on the way in (a name with a line break put on one
	// line), so nothing changes without the coach knowing.
	Notes []string `json:"notes"`
	// Columns says which column of the file went to which field (field →
	// header), so a command-line import shows the mapping it used.
	Columns map[string]string `json:"columns"`
}

// ImportPreview is what the coach sees before importing: how the file was read,
// which column goes where, the first rows as they will be imported, and every row
// that will be rejected.
type ImportPreview struct {
	File      string         `json:"file"`
	Encoding  string         `json:"encoding"`  // "UTF-8", "UTF-8 with BOM", "Windows-1252"
	Separator string         `json:"separator"` // ",", ";" or "tab"
	Headers   []string       `json:"headers"`
	Mapping   map[string]int `json:"mapping"` // field → column index
	// SampleCells are the first rows' cells as they are in the file, shown beside
	// the mapping so the coach sees what each column holds.
	SampleCells [][]string    `json:"sampleCells"`
	Sample      []ImportRow   `json:"sample"`
	Rows        int           `json:"rows"`       // data rows that can be imported
	Duplicates  int           `json:"duplicates"` // of those, rows whose email is already a client
	Rejected    []RejectedRow `json:"rejected"`
	Fields      []string      `json:"fields"` // the fields a column can map to, for the mapping menus
	// Problem is the sentence that stops the import as the columns are mapped
	// now ("No column holds email addresses…"); the coach fixes it by choosing.
	Problem string `json:"problem"`
}
