package clientcsv

import (
	"context"
	"errors"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/roundtablehq/roundtable/app"
)

// Store is what importing needs from the workspace.
type Store interface {
	ImportClients(ctx context.Context, rows []app.ImportRow, onDuplicate string, report func(app.Progress)) (app.ImportSummary, error)
	CountExisting(ctx context.Context, rows []app.ImportRow) (int, error)
}

// previewRows is how many rows the preview shows as they will be imported.
const previewRows = 8

// Preview reads the file at path and tells the coach what importing it would do,
// without changing anything. A nil mapping guesses one from the headers.
func Preview(ctx context.Context, s Store, path string, mapping map[string]int) (app.ImportPreview, error) {
	f, err := readFile(path, mapping)
	problem := ""
	if errors.Is(err, ErrNoEmailColumn) {
		problem, err = app.ErrorMessage(err), nil // show the columns to choose from
	}
	if err != nil {
		return app.ImportPreview{}, err
	}
	dups, err := s.CountExisting(ctx, f.Rows)
	if err != nil {
		return app.ImportPreview{}, err
	}
	p := app.ImportPreview{
		File: path, Encoding: f.Encoding, Separator: separatorName(f.Separator), Headers: f.Headers,
		Mapping: f.Mapping, Sample: f.Rows[:min(previewRows, len(f.Rows))], Rows: len(f.Rows),
		Duplicates: dups, Rejected: f.Rejected, Fields: app.ImportFields, SampleCells: f.Cells, Problem: problem,
	}
	if p.SampleCells == nil {
		p.SampleCells = [][]string{}
	}
	if p.Sample == nil {
		p.Sample = []app.ImportRow{}
	}
	if p.Rejected == nil {
		p.Rejected = []app.RejectedRow{}
	}
	return p, nil
}

// Import reads the file at path and imports its clients in one transaction. The
// summary lists every rejected row, whether the file or the workspace refused it,
// in line order.
func Import(ctx context.Context, s Store, path string, mapping map[string]int, onDuplicate string, report func(app.Progress)) (app.ImportSummary, error) {
	report(app.Progress{Job: "clients:import", Note: "Reading " + path})
	f, err := readFile(path, mapping)
	if err != nil {
		return app.ImportSummary{}, err
	}
	sum, err := s.ImportClients(ctx, f.Rows, onDuplicate, report)
	if err != nil {
		return sum, err
	}
	sum.Rejected = append(sum.Rejected, f.Rejected...)
	sum.Columns = map[string]string{}
	for field, col := range f.Mapping {
		sum.Columns[field] = f.Headers[col]
	}
	sort.SliceStable(sum.Rejected, func(i, j int) bool { return sum.Rejected[i].Line < sum.Rejected[j].Line })
	return sum, nil
}

func readFile(path string, mapping map[string]int) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, app.Wrap(app.EINVALID, err, "The file %s could not be opened", path)
	}
	defer fh.Close()
	return Read(fh, mapping)
}

// Remap is the mapping for the file at path: the guessed one, changed by the
// coach's overrides, each "COLUMN=FIELD" where COLUMN is a header (in any
// case) or a column number from 1, and FIELD a client field or "skip".
func Remap(path string, overrides []string) (map[string]int, error) {
	f, err := readFile(path, nil)
	if err != nil && !errors.Is(err, ErrNoEmailColumn) {
		return nil, err
	}
	m := f.Mapping
	for _, o := range overrides {
		column, field, ok := strings.Cut(o, "=")
		column, field = strings.TrimSpace(column), strings.ToLower(strings.TrimSpace(field))
		if !ok || column == "" {
			return nil, app.Errorf(app.EINVALID, "Write a column's mapping as COLUMN=FIELD, as in \"Courriel=email\"; %q is not.", o)
		}
		col := -1
		for i, h := range f.Headers {
			if strings.EqualFold(h, column) {
				col = i
				break
			}
		}
		if n, err := strconv.Atoi(column); col < 0 && err == nil && n >= 1 && n <= len(f.Headers) {
			col = n - 1
		}
		if col < 0 {
			return nil, app.Errorf(app.EINVALID, "The file has no column %q; its columns are %s.", column, strings.Join(f.Headers, ", "))
		}
		for k, c := range m {
			if c == col {
				delete(m, k)
			}
		}
		if field == "skip" || field == "" {
			continue
		}
		if !knownField(field) {
			return nil, app.Errorf(app.EINVALID, "There is no client field called %q; the fields are %s.", field, strings.Join(app.ImportFields, ", "))
		}
		m[field] = col
	}
	return m, nil
}

func separatorName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return string(r)
}
