// Package demo fills a separate workspace file with made-up clients, cohorts
// and announcements, so a coach can look around before typing anything real.
// The demo always lives in its own file beside the coach's workspace and is
// made afresh each time: nothing from it can reach the real workspace.
package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/clientcsv"
	"github.com/roundtablehq/roundtable/app/store"
)

//go:embed data
var data embed.FS

// FileName is the demo workspace's name, in the folder of the coach's workspace.
const FileName = "demo-workspace.db"

// settingKey marks a workspace as a demo; its value is the workspace it copies
// nothing from but returns to.
const settingKey = "demo.return_to"

// PathFor returns where the demo workspace for the coach's workspace lives.
func PathFor(workspace string) string {
	return filepath.Join(filepath.Dir(workspace), FileName)
}

// ReturnTo reports whether db is a demo workspace and, if so, the coach's own
// workspace to go back to.
func ReturnTo(ctx context.Context, db *store.DB) (string, bool) {
	var path string
	if err := db.Setting(ctx, settingKey, &path); err != nil {
		return "", false
	}
	return path, true
}

// Create makes a fresh demo workspace beside the coach's workspace (replacing an
// earlier demo) and returns its path. It refuses to overwrite anything that is not
// a demo it made.
func Create(ctx context.Context, workspace string) (string, error) {
	path := PathFor(workspace)
	if same(path, workspace) {
		return "", app.Errorf(app.EINVALID, "The demo cannot replace your own workspace.")
	}
	if _, err := os.Stat(path); err == nil {
		db, err := store.Open(path)
		if err != nil {
			return "", err
		}
		_, isDemo := ReturnTo(ctx, db)
		db.Close()
		if !isDemo {
			return "", app.Errorf(app.ECONFLICT, "%s exists and is not a demo workspace; it was left alone.", path)
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", app.Wrap(app.EUNAVAILABLE, err, "The old demo workspace could not be removed (is a demo window still open?)")
			}
		}
	}
	db, err := store.Open(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := Seed(ctx, db, workspace); err != nil {
		return "", fmt.Errorf("demo: seed %s: %w", path, err)
	}
	return path, nil
}

func same(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// cohort is one demo cohort and which of the demo clients (by row) join it.
type cohort struct {
	in       app.CohortInput
	from, to int
}

var cohorts = []cohort{
	{app.CohortInput{Name: "Spring Mastermind", Kind: app.KindMastermind, StartDate: "2026-03-02", EndDate: "2026-05-29", Capacity: 12,
		Purpose: "Twelve founders helping each other grow their practice"}, 0, 10},
	{app.CohortInput{Name: "Writers' Circle", Kind: app.KindMicroCommunity, StartDate: "2026-01-12", Capacity: 25}, 10, 28},
	{app.CohortInput{Name: "Leadership Lab", Kind: app.KindGroupCoaching, StartDate: "2026-04-06", EndDate: "2026-06-26", Capacity: 8}, 28, 34},
}

// Seed fills an empty workspace with the demo: 40 clients, three cohorts with
// members and five weeks of check-ins, replies and a session behind them
// (history.go), a welcome announcement and a second week's draft. returnTo is the
// coach's own workspace, which the demo's window offers to go back to.
func Seed(ctx context.Context, db *store.DB, returnTo string) error {
	csv, err := data.ReadFile("data/clients.csv")
	if err != nil {
		return err
	}
	f, err := clientcsv.Read(bytes.NewReader(csv), nil)
	if err != nil {
		return err
	}
	if _, err := db.ImportClients(ctx, f.Rows, app.OnDuplicateUpdate, app.NoProgress); err != nil {
		return err
	}
	var ids []int64
	for _, r := range f.Rows {
		c, err := db.FindClientByEmail(ctx, r.Client.Email)
		if err != nil {
			return err
		}
		ids = append(ids, c.ID)
	}
	// The cohorts began six weeks ago, so the demo has a past (history.go).
	clock, now := db.Now, db.Now()
	defer func() { db.Now = clock }()
	db.Now = func() time.Time { return now.AddDate(0, 0, -42) }
	var made []app.Cohort
	var members [][]int64
	for _, c := range cohorts {
		m, err := db.CreateCohort(ctx, c.in)
		if err != nil {
			return err
		}
		in := ids[min(c.from, len(ids)):min(c.to, len(ids))]
		if _, err := db.AddMembers(ctx, m.ID, in, app.RoleMember); err != nil {
			return err
		}
		made, members = append(made, m), append(members, in)
	}
	db.Now = func() time.Time { return now }
	if err := history(ctx, db, made, members, now); err != nil {
		return err
	}
	first := made[0]
	for _, p := range []struct{ subject, file string }{
		{"Welcome to {{cohort}}, {{first_name}}", "data/announcement.md"},
		{"Week 2: {{first_name}}, one small step", "data/week2.md"},
	} {
		body, err := data.ReadFile(p.file)
		if err != nil {
			return err
		}
		if _, err := db.CreatePost(ctx, app.PostInput{CohortID: first.ID, Subject: p.subject, Body: string(body)}); err != nil {
			return err
		}
	}
	return db.SaveSetting(ctx, settingKey, returnTo)
}
