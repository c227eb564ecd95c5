package ui

import (
	"io"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/clientcsv"
	"github.com/roundtablehq/roundtable/app/export"
	"github.com/roundtablehq/roundtable/app/store"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ClientService is the clients area of the window.
type ClientService struct {
	base
	db *store.DB
}

// NewClientService returns the service over an open workspace.
func NewClientService(db *store.DB) *ClientService { return &ClientService{db: db} }

// ClientDetail is a client with the cohorts they are in now and the state of
// mail to them (away, bouncing, unsubscribed).
type ClientDetail struct {
	Client  app.Client     `json:"client"`
	Cohorts []app.Cohort   `json:"cohorts"`
	Mail    app.MailStatus `json:"mail"`
}

// List returns one page of the clients list.
func (s *ClientService) List(f app.ClientFilter) (app.ClientPage, error) {
	page, err := s.db.ListClients(s.ctx, f)
	return page, fail(err)
}

// IDs returns the ids of every client matching f, for "select all".
func (s *ClientService) IDs(f app.ClientFilter) ([]int64, error) {
	ids, err := s.db.ClientIDs(s.ctx, f)
	return ids, fail(err)
}

// Get returns one client with their cohorts.
func (s *ClientService) Get(id int64) (ClientDetail, error) {
	c, err := s.db.FindClientByID(s.ctx, id)
	if err != nil {
		return ClientDetail{}, fail(err)
	}
	cohorts, err := s.db.ClientCohorts(s.ctx, id)
	if err != nil {
		return ClientDetail{}, fail(err)
	}
	mail, err := s.db.ClientMailStatus(s.ctx, id)
	return ClientDetail{Client: c, Cohorts: cohorts, Mail: mail}, fail(err)
}

// Timeline returns what happened with a client, newest first (see
// store.Timeline); f.Before pages back.
func (s *ClientService) Timeline(clientID int64, f app.TimelineFilter) ([]app.TimelineEvent, error) {
	evs, err := s.db.Timeline(s.ctx, clientID, f)
	return evs, fail(err)
}

// Create adds a client.
func (s *ClientService) Create(in app.ClientInput) (app.Client, error) {
	c, err := s.db.CreateClient(s.ctx, in)
	return c, fail(err)
}

// Update saves the coach's edits to a client.
func (s *ClientService) Update(id int64, in app.ClientInput) (app.Client, error) {
	c, err := s.db.UpdateClient(s.ctx, id, in)
	return c, fail(err)
}

// Archive hides clients from the lists, all or none; Restore undoes it.
func (s *ClientService) Archive(ids []int64) error {
	return fail(s.db.ArchiveClients(s.ctx, ids, true))
}

// Restore brings archived clients back.
func (s *ClientService) Restore(ids []int64) error {
	return fail(s.db.ArchiveClients(s.ctx, ids, false))
}

// Tags returns every tag in use, for the filter menu.
func (s *ClientService) Tags() ([]string, error) {
	tags, err := s.db.Tags(s.ctx)
	return tags, fail(err)
}

// ChooseImportFile asks for a CSV file with the system's file dialog and returns
// its path, or "" when the coach cancels.
func (s *ClientService) ChooseImportFile() (string, error) {
	path, err := openDialog(s.ctx, runtime.OpenDialogOptions{
		Title:   "Import clients from a CSV file",
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv, *.txt)", Pattern: "*.csv;*.txt"}},
	})
	return path, fail(err)
}

// PreviewImport reads the file and shows what importing it would do. A nil
// mapping guesses one from the file's headers.
func (s *ClientService) PreviewImport(path string, mapping map[string]int) (app.ImportPreview, error) {
	p, err := clientcsv.Preview(s.ctx, s.db, path, mapping)
	return p, fail(err)
}

// Import imports the file in one transaction, reporting progress as
// EventImportProgress; CancelImport stops it and nothing is changed.
func (s *ClientService) Import(path string, mapping map[string]int, onDuplicate string) (app.ImportSummary, error) {
	ctx, done := s.startJob("import")
	defer done()
	sum, err := clientcsv.Import(ctx, s.db, path, mapping, onDuplicate, s.reporter(EventImportProgress))
	return sum, fail(err)
}

// CancelImport stops a running import.
func (s *ClientService) CancelImport() { s.cancelJob("import") }

// Export writes every current client to a CSV file the coach chooses and returns
// its path, or "" when the coach cancels.
func (s *ClientService) Export() (string, error) { return s.ExportSelected(nil) }

// ExportSelected writes the chosen clients (every current client when ids is
// empty) to a CSV file the coach chooses and returns its path, or "" when the
// coach cancels.
func (s *ClientService) ExportSelected(ids []int64) (string, error) {
	path, err := saveDialog(s.ctx, runtime.SaveDialogOptions{
		Title: "Export clients", DefaultFilename: "clients.csv",
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", fail(err)
	}
	clients, err := s.db.AllClients(s.ctx, false)
	if len(ids) > 0 {
		clients, err = s.db.ClientsByID(s.ctx, ids)
	}
	if err != nil {
		return "", fail(err)
	}
	return path, fail(export.WriteFile(path, func(w io.Writer) error { return clientcsv.Write(w, clients) }))
}

// SaveRejected writes the rows an import skipped (with the file's header) to a
// CSV file the coach chooses, to fix and import again; it returns the path, or
// "" when the coach cancels.
func (s *ClientService) SaveRejected(header []string, rows []app.RejectedRow) (string, error) {
	path, err := saveDialog(s.ctx, runtime.SaveDialogOptions{
		Title: "Save the rows to fix", DefaultFilename: "rows-to-fix.csv",
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", fail(err)
	}
	return path, fail(export.WriteFile(path, func(w io.Writer) error { return clientcsv.WriteRejected(w, header, rows) }))
}

// ConfirmBounce accepts a suspected bounce: the address is marked bouncing.
func (s *ClientService) ConfirmBounce(id int64) error {
	return fail(s.db.ConfirmSuspectedBounce(s.ctx, id))
}

// DismissBounce sets a suspected bounce aside; nothing changes for the client.
func (s *ClientService) DismissBounce(id int64) error {
	return fail(s.db.DismissSuspectedBounce(s.ctx, id))
}

// Resubscribe undoes an unsubscribe (or drops a pending request).
func (s *ClientService) Resubscribe(clientID int64) error {
	return fail(s.db.Resubscribe(s.ctx, clientID, ""))
}
