package ui

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/export"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ExportEverything writes the whole workspace where the coach chooses: "json"
// as one file, "csv" as a folder of CSV files. It returns where it wrote, ""
// when the coach cancelled the dialog.
func (s *WorkspaceService) ExportEverything(format string) (string, error) {
	today := time.Now().Format("2006-01-02")
	switch format {
	case "json":
		path, err := saveDialog(s.ctx, runtime.SaveDialogOptions{
			Title: "Export everything as JSON", DefaultFilename: "roundtable-" + today + ".json",
			Filters: []runtime.FileFilter{{DisplayName: "JSON files (*.json)", Pattern: "*.json"}},
		})
		if err != nil || path == "" {
			return "", fail(err)
		}
		return path, fail(export.WriteFile(path, func(w io.Writer) error {
			ex, err := export.Everything(s.ctx, s.db, time.Now())
			if err != nil {
				return err
			}
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(ex)
		}))
	case "csv":
		dir, err := folderDialog(s.ctx, runtime.OpenDialogOptions{
			Title: "Choose a folder for the CSV files", CanCreateDirectories: true,
		})
		if err != nil || dir == "" {
			return "", fail(err)
		}
		dir = filepath.Join(dir, "roundtable-"+today)
		_, err = export.CSV(s.ctx, s.db, dir, time.Now())
		return dir, fail(err)
	}
	return "", fail(app.Errorf(app.EINVALID, "Choose JSON or CSV."))
}

// ExportConversation writes a cohort's conversation where the coach chooses:
// "html" as a page any browser opens offline, "mbox" for mail programs. It
// returns the file written, "" when the coach cancelled the dialog.
func (s *CohortService) ExportConversation(cohortID int64, format string) (string, error) {
	h, err := s.db.FindCohortByID(s.ctx, cohortID)
	if err != nil {
		return "", fail(err)
	}
	write := export.Mbox
	filter := runtime.FileFilter{DisplayName: "Mailboxes (*.mbox)", Pattern: "*.mbox"}
	switch format {
	case "html":
		write = func(ctx context.Context, st export.Store, name string, w io.Writer) (int, error) {
			return export.Archive(ctx, st, name, time.Now(), w)
		}
		filter = runtime.FileFilter{DisplayName: "Web pages (*.html)", Pattern: "*.html"}
	case "mbox":
	default:
		return "", fail(app.Errorf(app.EINVALID, "Choose a web page or an mbox."))
	}
	path, err := saveDialog(s.ctx, runtime.SaveDialogOptions{
		Title: "Export the conversation of " + h.Name, DefaultFilename: fileName(h.Name) + "." + format,
		Filters: []runtime.FileFilter{filter},
	})
	if err != nil || path == "" {
		return "", fail(err)
	}
	return path, fail(export.WriteFile(path, func(w io.Writer) error {
		_, err := write(s.ctx, s.db, h.Name, w)
		return err
	}))
}

var unsafeInName = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// fileName makes a cohort's name into a file name that every system accepts.
func fileName(name string) string {
	n := strings.Trim(unsafeInName.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if n == "" {
		return "conversation"
	}
	return n
}
