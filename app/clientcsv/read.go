// Package clientcsv reads clients from the CSV exports of other tools and writes
// them back out. Exports come in many shapes: UTF-8 with or without a byte order
// mark, Windows-1252 from older spreadsheets, commas or semicolons (European
// Excel), headers named "E-mail" or "Email Address" or split into "First Name" and
// "Last Name". Reading turns all of them into app.ImportRow values and lists every
// row that cannot be imported with its line number and the reason.
package clientcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"golang.org/x/text/encoding/charmap"
)

// MaxFileBytes bounds what Read takes in: far above any real client list, low
// enough that a wrong file (a video, a database) is refused at once.
const MaxFileBytes = 64 << 20

// File is a CSV file read and mapped to client fields.
type File struct {
	Encoding  string
	Separator rune
	Headers   []string
	Mapping   map[string]int // field → column index
	Rows      []app.ImportRow
	Rejected  []app.RejectedRow
	// Cells are the first data records as they are in the file, to show beside
	// the mapping.
	Cells [][]string
}

// sampleRecords is how many raw records File.Cells keeps.
const sampleRecords = 5

// Read decodes a CSV export and maps its columns to client fields. A nil mapping
// guesses one from the headers and what the columns hold. Errors are about the
// whole file (empty, not CSV, no email column); problems with single rows land
// in File.Rejected. With ErrNoEmailColumn the File still holds the headers,
// the first cells and the mapping guessed, so the coach can choose the column.
func Read(r io.Reader, mapping map[string]int) (*File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The file could not be read")
	}
	if len(raw) > MaxFileBytes {
		return nil, app.Errorf(app.EINVALID, "The file is larger than %d MB; a client list is much smaller. Is it the right file?", MaxFileBytes>>20)
	}
	text, enc := decode(raw)
	if strings.TrimSpace(text) == "" {
		return nil, app.Errorf(app.EINVALID, "The file is empty: there is no header line and no client in it.")
	}
	if strings.ContainsRune(text, 0) {
		return nil, app.Errorf(app.EINVALID, "This does not look like a CSV file (it contains binary data). Export the client list as CSV and try again.")
	}
	f := &File{Encoding: enc, Separator: guessSeparator(text)}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = f.Separator
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The header line could not be read")
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	f.Headers = header

	// Every record first: the mapping may be guessed from what the columns hold.
	type record struct {
		cells []string
		line  int
	}
	var records []record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			f.Rejected = append(f.Rejected, app.RejectedRow{Line: line, Reason: "The line could not be read as CSV: " + csvReason(err)})
			continue
		}
		if blank(rec) {
			continue
		}
		if len(f.Cells) < sampleRecords {
			f.Cells = append(f.Cells, rec)
		}
		records = append(records, record{rec, line})
	}
	if mapping == nil {
		sample := make([][]string, 0, min(len(records), contentSample))
		for _, r := range records[:min(len(records), contentSample)] {
			sample = append(sample, r.cells)
		}
		mapping = GuessMapping(header, sample...)
	}
	f.Mapping = mapping
	if err := checkMapping(mapping, len(header)); err != nil {
		return f, err
	}

	seen := map[string]int{} // email → line, to catch the same person twice in one file
	for _, r := range records {
		c, reason := rowToClient(r.cells, mapping)
		if reason != "" {
			f.Rejected = append(f.Rejected, app.RejectedRow{Line: r.line, Reason: reason, Cells: r.cells})
			continue
		}
		key := strings.ToLower(c.Email)
		if first, ok := seen[key]; ok {
			f.Rejected = append(f.Rejected, app.RejectedRow{Line: r.line, Reason: fmt.Sprintf("The email %s is already on line %d of this file.", c.Email, first), Cells: r.cells})
			continue
		}
		seen[key] = r.line
		f.Rows = append(f.Rows, app.ImportRow{Line: r.line, Client: c})
	}
	sort.SliceStable(f.Rejected, func(i, j int) bool { return f.Rejected[i].Line < f.Rejected[j].Line })
	return f, nil
}

// decode returns the file as UTF-8 text and names the encoding it was in. Bytes
// that are not valid UTF-8 are read as Windows-1252, what Excel on Windows writes.
func decode(raw []byte) (string, string) {
	if b, ok := bytes.CutPrefix(raw, []byte("\xef\xbb\xbf")); ok {
		return string(b), "UTF-8 with BOM"
	}
	if utf8.Valid(raw) {
		return string(raw), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil { // cannot happen: every byte maps in Windows-1252
		return strings.ToValidUTF8(string(raw), "\uFFFD"), "UTF-8"
	}
	return string(out), "Windows-1252"
}

// guessSeparator picks the separator that splits the header line most, outside
// quotes: a comma, a semicolon (European spreadsheets) or a tab.
func guessSeparator(text string) rune {
	best, bestN := ',', 0
	for _, sep := range []rune{',', ';', '\t'} {
		n, quoted := 0, false
		for _, r := range text {
			if r == '"' {
				quoted = !quoted
			} else if r == '\n' && !quoted {
				break
			} else if r == sep && !quoted {
				n++
			}
		}
		if n > bestN {
			best, bestN = sep, n
		}
	}
	return best
}

// ErrNoEmailColumn: no column of the file is known to hold the email addresses.
var ErrNoEmailColumn = app.FieldErrorf(app.EINVALID, "email", "No column holds email addresses. Choose the email column, or add one named \"Email\" to the file.")

func checkMapping(m map[string]int, columns int) error {
	for field, col := range m {
		if !knownField(field) {
			return app.Errorf(app.EINVALID, "There is no client field called %q.", field)
		}
		if col < 0 || col >= columns {
			return app.Errorf(app.EINVALID, "The field %s is mapped to column %d, but the file has %d columns.", field, col+1, columns)
		}
	}
	if _, ok := m["email"]; !ok {
		return ErrNoEmailColumn
	}
	return nil
}

func knownField(f string) bool {
	for _, k := range app.ImportFields {
		if k == f {
			return true
		}
	}
	return false
}

func rowToClient(rec []string, m map[string]int) (app.ClientInput, string) {
	get := func(field string) string {
		col, ok := m[field]
		if !ok || col >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[col])
	}
	email := get("email")
	if email == "" {
		return app.ClientInput{}, "The email is empty."
	}
	if !app.ValidEmail(email) {
		return app.ClientInput{}, fmt.Sprintf("%q is not an email address.", email)
	}
	name := get("name")
	if name == "" {
		name = strings.TrimSpace(get("first_name") + " " + get("last_name"))
	}
	c := app.ClientInput{
		Name:     name,
		Email:    email,
		Phone:    get("phone"),
		TimeZone: get("time_zone"),
		Tags:     splitList(get("tags")),
		Aliases:  splitList(get("aliases")),
		Status:   strings.ToLower(get("status")),
		Goals:    get("goals"),
		Notes:    get("notes"),
	}
	for _, a := range c.Aliases {
		if !app.ValidEmail(a) {
			return app.ClientInput{}, fmt.Sprintf("The other address %q is not an email address.", a)
		}
	}
	if c.Status != "" && !validStatus(c.Status) {
		return app.ClientInput{}, fmt.Sprintf("The status %q is not one of active, paused or alumni.", c.Status)
	}
	return c, ""
}

func validStatus(s string) bool {
	for _, v := range app.ClientStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// splitList splits a cell holding several values: "a, b; c" or "a|b".
func splitList(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return `a quote mark (") is out of place; a cell with quotes must start and end with one.`
	case errors.Is(err, csv.ErrFieldCount):
		return "it has a different number of cells than the header."
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
