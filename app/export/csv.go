package export

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/clientcsv"
)

// CSVFiles are the files CSV writes, in the order it writes them.
var CSVFiles = []string{"clients.csv", "cohorts.csv", "members.csv", "posts.csv", "replies.csv", "lessons.csv", "progress.csv"}

// CSV writes everything into dir as one CSV file per kind of record, for a
// spreadsheet: clients.csv in the same columns as "Export CSV" (it imports
// again unchanged), cohorts, who was in which cohort when, posts, replies
// with the member's words, the lesson library, and each member's progress
// through their cohort's lessons. Cells a spreadsheet would run as a formula are
// defused. Each file is written whole or not at all. It returns the number of
// rows written per file.
func CSV(ctx context.Context, st Store, dir string, now time.Time) (map[string]int, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, app.Wrap(app.EINVALID, err, "%s could not be made; choose another folder", dir)
	}
	ex, err := Everything(ctx, st, now)
	if err != nil {
		return nil, err
	}
	tables := map[string][][]string{
		"cohorts.csv":  {{"Cohort", "Kind", "Purpose", "Capacity", "Starts", "Ends", "Archived"}},
		"members.csv":  {{"Cohort", "Name", "Email", "Role", "Joined", "Left", "Delivery"}},
		"posts.csv":    {{"Cohort", "Subject", "Status", "Created", "Queued", "Body"}},
		"replies.csv":  {{"Cohort", "Post", "Name", "Email", "Sent", "Received", "Text", "Shared with the group", "Private", "Trust"}},
		"lessons.csv":  {{"Module", "Order", "Title", "Check-in question", "Body"}},
		"progress.csv": {{"Cohort", "Lesson", "Name", "Email", "State", "Released", "Check-in"}},
	}
	add := func(file string, cells ...string) { tables[file] = append(tables[file], cells) }
	for _, h := range ex.Cohorts {
		add("cohorts.csv", h.Name, h.Kind, h.Purpose, count(h.Capacity), h.StartDate, h.EndDate, day(h.ArchivedAt))
		for _, m := range h.Roster {
			add("members.csv", h.Name, m.Name, m.Email, m.Role, day(&m.JoinedAt), day(m.LeftAt), m.Delivery)
		}
		for _, c := range h.Conversations {
			add("posts.csv", h.Name, c.Post.Subject, c.Post.Status, stamp(&c.Post.CreatedAt), stamp(c.Post.QueuedAt), c.Post.Body)
			for _, r := range c.Replies {
				add("replies.csv", h.Name, c.Post.Subject, r.Name, r.Email, stamp(&r.SentAt), stamp(&r.ReceivedAt), r.Text, yes(r.Shared), yes(r.Private), r.Trust)
			}
		}
	}
	for _, l := range ex.Lessons {
		add("lessons.csv", l.Module, strconv.Itoa(l.Order), l.Title, l.CheckIn, l.Body)
	}
	for _, h := range ex.Cohorts {
		titles := map[int64]string{}
		for _, l := range h.Progress.Lessons {
			titles[l.LessonID] = l.Title
		}
		for _, m := range h.Progress.Members {
			for _, c := range m.Cells {
				add("progress.csv", h.Name, titles[c.LessonID], m.Name, m.Email, c.State, stamp(c.ReleasedAt), c.CheckInText)
			}
		}
	}
	rows := map[string]int{"clients.csv": len(ex.Clients)}
	if err := WriteFile(filepath.Join(dir, "clients.csv"), func(w io.Writer) error { return clientcsv.Write(w, ex.Clients) }); err != nil {
		return nil, err
	}
	for _, name := range CSVFiles[1:] {
		t := tables[name]
		rows[name] = len(t) - 1
		if err := WriteFile(filepath.Join(dir, name), func(w io.Writer) error { return writeTable(w, t) }); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func writeTable(w io.Writer, t [][]string) error {
	cw := csv.NewWriter(w)
	for i, rec := range t {
		if i > 0 {
			for j, v := range rec {
				rec[j] = clientcsv.Defuse(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func count(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
