package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestCreateClient(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := openTest(t)
		c, err := db.CreateClient(ctx, app.ClientInput{Name: " Grace Hopper ", Email: "Grace@Navy.mil",
			Aliases: []string{"grace@home.example"}, Tags: []string{"vip", "VIP", "navy"}, TimeZone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "Grace Hopper" || c.Status != app.StatusActive || !slices.Equal(c.Tags, []string{"navy", "vip"}) {
			t.Fatalf("got %+v, want trimmed name, status active, tags [navy vip]", c)
		}
		got, err := db.FindClientByEmail(ctx, "grace@HOME.example")
		if err != nil || got.ID != c.ID {
			t.Fatalf("got %+v, %v; want the client found by alias in any case", got, err)
		}
	})
	t.Run("NameWithLineBreakGoesOnOneLine", func(t *testing.T) {
		db := openTest(t)
		c, err := db.CreateClient(ctx, app.ClientInput{Name: " Ada\r\n Lovelace\t\x00", Email: "ada@example.org"})
		if err != nil || c.Name != "Ada Lovelace" {
			t.Fatalf("got %q, %v; want the name on one line", c.Name, err)
		}
	})
	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		db := openTest(t)
		mustClient(t, db, "Grace", "grace@navy.mil")
		_, err := db.CreateClient(ctx, app.ClientInput{Name: "Other", Email: "GRACE@navy.mil"})
		wantCode(t, err, app.ECONFLICT)
		if got := app.ErrorField(err); got != "email" {
			t.Fatalf("got field %q, want email", got)
		}
		if app.ErrorMessage(err) != "The address GRACE@navy.mil already belongs to Grace." {
			t.Fatalf("got %q, want a sentence naming the owner", app.ErrorMessage(err))
		}
	})
	t.Run("ErrEmailIsAnotherClientsAlias", func(t *testing.T) {
		db := openTest(t)
		db.CreateClient(ctx, app.ClientInput{Name: "Grace", Email: "grace@navy.mil", Aliases: []string{"g@home.example"}})
		_, err := db.CreateClient(ctx, app.ClientInput{Name: "Other", Email: "g@home.example"})
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := openTest(t)
		for _, tc := range []struct {
			in    app.ClientInput
			field string // the form field the window pins the sentence to
		}{
			{app.ClientInput{Name: "No Email"}, "email"},
			{app.ClientInput{Name: "Bad", Email: "not-an-address"}, "email"},
			{app.ClientInput{Name: "Bad", Email: "x@localhost"}, "email"},
			{app.ClientInput{Name: "Bad", Email: "x@example.com", Status: "vip"}, "status"},
			{app.ClientInput{Name: "Bad", Email: "x@example.com", Aliases: []string{"nope"}}, "aliases"},
			{app.ClientInput{Name: "Bad", Email: "x@example.com", Aliases: []string{"X@example.com"}}, "aliases"},
		} {
			_, err := db.CreateClient(ctx, tc.in)
			wantCode(t, err, app.EINVALID)
			if got := app.ErrorField(err); got != tc.field {
				t.Errorf("%+v: got field %q, want %q", tc.in, got, tc.field)
			}
		}
	})
}

func TestUpdateAndArchiveClient(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c := mustClient(t, db, "Ada", "ada@example.com", "old")
	u, err := db.UpdateClient(ctx, c.ID, app.ClientInput{Name: "Ada Lovelace", Email: "ada@example.com", Tags: []string{"new"},
		Status: app.StatusPaused, Notes: "Prefers mornings"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Ada Lovelace" || u.Status != app.StatusPaused || !slices.Equal(u.Tags, []string{"new"}) {
		t.Fatalf("got %+v, want the edits saved", u)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{Query: "old"}); p.Total != 0 {
		t.Fatalf("got %d matches for a removed tag, want 0: the search index must follow edits", p.Total)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{Query: "mornings"}); p.Total != 1 {
		t.Fatalf("got %d matches for a word in the notes, want 1", p.Total)
	}

	if err := db.ArchiveClient(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{}); p.Total != 0 {
		t.Fatalf("got %d current clients after archiving, want 0", p.Total)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{Archived: true}); p.Total != 1 {
		t.Fatalf("got %d archived clients, want 1", p.Total)
	}
	if err := db.RestoreClient(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{}); p.Total != 1 {
		t.Fatalf("got %d current clients after undo, want 1", p.Total)
	}
	wantCode(t, db.ArchiveClient(ctx, 9999), app.ENOTFOUND)
	_, err = db.UpdateClient(ctx, 9999, app.ClientInput{Email: "x@example.com"})
	wantCode(t, err, app.ENOTFOUND)
}

func TestListClients(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	mustClient(t, db, "Zoë Ångström", "zoe@example.com", "vip", "berlin")
	mustClient(t, db, "alice Smith", "alice@example.org", "berlin")
	bob := mustClient(t, db, "Bob Jones", "bob@work.example", "vip")
	db.UpdateClient(ctx, bob.ID, app.ClientInput{Name: "Bob Jones", Email: "bob@work.example", Tags: []string{"vip"}, Status: app.StatusAlumni})

	cases := []struct {
		name   string
		filter app.ClientFilter
		want   []string
	}{
		{"AllByName", app.ClientFilter{}, []string{"alice Smith", "Bob Jones", "Zoë Ångström"}},
		{"ByNameDesc", app.ClientFilter{Desc: true}, []string{"Zoë Ångström", "Bob Jones", "alice Smith"}},
		{"ByEmail", app.ClientFilter{Sort: "email"}, []string{"alice Smith", "Bob Jones", "Zoë Ångström"}},
		{"SearchPrefix", app.ClientFilter{Query: "ali"}, []string{"alice Smith"}},
		{"SearchWithoutAccents", app.ClientFilter{Query: "angstrom"}, []string{"Zoë Ångström"}},
		{"SearchEmailDomain", app.ClientFilter{Query: "work.example"}, []string{"Bob Jones"}},
		{"SearchFullEmail", app.ClientFilter{Query: "zoe@example.com"}, []string{"Zoë Ångström"}},
		{"SearchTwoWords", app.ClientFilter{Query: "bob jon"}, []string{"Bob Jones"}},
		{"SearchFTSSyntaxIsInert", app.ClientFilter{Query: `"bob" OR NEAR(`}, []string{}},
		{"Tag", app.ClientFilter{Tags: []string{"VIP"}}, []string{"Bob Jones", "Zoë Ångström"}},
		{"TwoTags", app.ClientFilter{Tags: []string{"vip", "berlin"}}, []string{"Zoë Ångström"}},
		{"Status", app.ClientFilter{Status: app.StatusAlumni}, []string{"Bob Jones"}},
		{"Page", app.ClientFilter{Offset: 1, Limit: 1}, []string{"Bob Jones"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := db.ListClients(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, r := range page.Rows {
				got = append(got, r.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	ids, _ := db.ClientIDs(ctx, app.ClientFilter{Tags: []string{"vip"}})
	if len(ids) != 2 {
		t.Fatalf("got %d ids for select-all, want 2", len(ids))
	}
	tags, _ := db.Tags(ctx)
	if !slices.Equal(tags, []string{"berlin", "vip"}) {
		t.Fatalf("got tags %q, want [berlin vip]", tags)
	}
}

// seedClients adds n clients with varied names and tags through one import.
func seedClients(tb testing.TB, db *DB, n int) {
	tb.Helper()
	first := []string{"Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Margaret", "Ken", "Radia"}
	last := []string{"Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Knuth", "Hamilton", "Thompson", "Perlman"}
	tags := []string{"vip", "berlin", "alumni-2025", "spring", "paid"}
	rows := make([]app.ImportRow, n)
	for i := range rows {
		rows[i] = app.ImportRow{Line: i + 2, Client: app.ClientInput{
			Name:  fmt.Sprintf("%s %s %d", first[i%10], last[(i/10)%10], i),
			Email: fmt.Sprintf("client%05d@example.com", i),
			Tags:  []string{tags[i%5], tags[(i/5)%5]},
			Goals: "Grow the practice to " + fmt.Sprint(i%7+3) + " groups",
		}}
	}
	if _, err := db.ImportClients(context.Background(), rows, app.OnDuplicateSkip, app.NoProgress); err != nil {
		tb.Fatal(err)
	}
}

// The list's count and its first page come from the index of clients who are
// not archived, in list order: no reading of every row to count them, no
// sorting of 10,000 to show 200 (the window's start waits for both).
func TestListClientsReadTheActiveIndex(t *testing.T) {
	db := openTest(t)
	for _, f := range []app.ClientFilter{{Limit: 200}, {Limit: 200, Offset: 9000}, {Limit: 200, Status: app.StatusActive}} {
		count, page, args := clientListQueries(f)
		for _, q := range []string{count, page} {
			var plan []string
			rows, err := db.rdb.Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			// The outer scan is the first line; the subqueries for tags and
			// cohorts follow it.
			if len(plan) == 0 || !strings.Contains(plan[0], "clients_active") || strings.Contains(strings.Join(plan, "\n"), "TEMP B-TREE FOR ORDER BY") {
				t.Errorf("filter %+v: %s\nplan:\n%s", f, q, strings.Join(plan, "\n"))
			}
		}
	}
}

func BenchmarkListClients(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	seedClients(b, db, 10000)
	for _, bc := range []struct {
		name string
		f    app.ClientFilter
	}{
		{"FirstPage", app.ClientFilter{Limit: 200}},
		{"Search", app.ClientFilter{Query: "grace hop", Limit: 200}},
		{"SearchOneLetter", app.ClientFilter{Query: "a", Limit: 200}},
		{"TagAndStatus", app.ClientFilter{Tags: []string{"vip"}, Status: app.StatusActive, Limit: 200}},
		{"SortByEmailDeepPage", app.ClientFilter{Sort: "email", Desc: true, Offset: 9000, Limit: 200}},
		{"AllRows", app.ClientFilter{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ListClients(ctx, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestArchiveClientsIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := mustClient(t, db, "A", "a@example.com")
	b := mustClient(t, db, "B", "b@example.com")
	wantCode(t, db.ArchiveClients(ctx, []int64{a.ID, 9999, b.ID}, true), app.ENOTFOUND)
	if p, _ := db.ListClients(ctx, app.ClientFilter{}); p.Total != 2 {
		t.Fatalf("got %d current clients after a failed bulk archive, want 2: none archived", p.Total)
	}
	if err := db.ArchiveClients(ctx, []int64{a.ID, b.ID}, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{Archived: true}); p.Total != 2 {
		t.Fatalf("got %d archived, want 2", p.Total)
	}
	page, _ := db.ListClients(ctx, app.ClientFilter{Archived: true})
	if page.Rows[0].CreatedAt.IsZero() || page.Rows[0].UpdatedAt.Before(page.Rows[0].CreatedAt) {
		t.Fatalf("got %+v, want the list rows to carry their dates", page.Rows[0])
	}
}
