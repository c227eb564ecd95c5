package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

// TestNamesSortAsPeopleExpect: accents beside their letter, case aside, in
// the clients list and on an upgraded workspace.
func TestNamesSortAsPeopleExpect(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	old, err := openAt(path, sortKeysVersion-1)
	if err != nil {
		t.Fatal(err)
	}
	// Written before sort keys existed: filled when the workspace is opened.
	for _, n := range []string{"Zoë Adams", "eric Brown"} {
		if _, err := old.db.Exec("INSERT INTO clients (name, email, status, created_at, updated_at) VALUES (?, ?, 'active', '2026-01-01', '2026-01-01')", n, n[:3]+"@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range []string{"Élodie Durand", "Émile Zola", "Andrés Núñez", "Øyvind Berg"} {
		if _, err := db.CreateClient(ctx, app.ClientInput{Name: n, Email: string([]rune(n)[:3]) + "x@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := db.ListClients(ctx, app.ClientFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Rows {
		got = append(got, r.Name)
	}
	want := []string{"Andrés Núñez", "Élodie Durand", "Émile Zola", "eric Brown", "Øyvind Berg", "Zoë Adams"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	page, _ = db.ListClients(ctx, app.ClientFilter{Desc: true})
	if page.Rows[0].Name != "Zoë Adams" {
		t.Fatalf("got %q first descending, want Zoë Adams", page.Rows[0].Name)
	}
}
