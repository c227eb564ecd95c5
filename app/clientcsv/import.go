package clientcsv

import (
	"context"
	"os"
	"sort"

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
		Duplicates: dups, Rejected: f.Rejected, Fields: app.ImportFields, SampleCells: f.Cells,
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

func separatorName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return string(r)
}
