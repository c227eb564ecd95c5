package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestCreateCohort(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := openTest(t)
		c, err := db.CreateCohort(ctx, app.CohortInput{Name: "Spring Mastermind", Kind: app.KindMastermind,
			StartDate: "2026-03-01", EndDate: "2026-06-30", Capacity: 12, Purpose: "Grow together"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindCohortByName(ctx, "spring mastermind")
		if err != nil || got.ID != c.ID || got.Capacity != 12 || got.EndDate != "2026-06-30" {
			t.Fatalf("got %+v, %v; want the cohort found by name in any case", got, err)
		}
	})
	t.Run("ErrDuplicateName", func(t *testing.T) {
		db := openTest(t)
		db.CreateCohort(ctx, app.CohortInput{Name: "Circle"})
		_, err := db.CreateCohort(ctx, app.CohortInput{Name: "CIRCLE"})
		wantCode(t, err, app.ECONFLICT)
		if got := app.ErrorField(err); got != "name" {
			t.Fatalf("got field %q, want name", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := openTest(t)
		for _, tc := range []struct {
			in    app.CohortInput
			field string
		}{
			{app.CohortInput{Name: " "}, "name"},
			{app.CohortInput{Name: "A", Kind: "book club"}, "kind"},
			{app.CohortInput{Name: "A", StartDate: "01/03/2026"}, "startDate"},
			{app.CohortInput{Name: "A", EndDate: "2026-3-1"}, "endDate"},
			{app.CohortInput{Name: "A", StartDate: "2026-03-01", EndDate: "2026-02-01"}, "endDate"},
			{app.CohortInput{Name: "A", Capacity: -1}, "capacity"},
		} {
			_, err := db.CreateCohort(ctx, tc.in)
			wantCode(t, err, app.EINVALID)
			if got := app.ErrorField(err); got != tc.field {
				t.Errorf("%+v: got field %q, want %q", tc.in, got, tc.field)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := openTest(t)
		_, err := db.FindCohortByName(ctx, "Nope")
		wantCode(t, err, app.ENOTFOUND)
		_, err = db.UpdateCohort(ctx, 42, app.CohortInput{Name: "X"})
		wantCode(t, err, app.ENOTFOUND)
	})
}

func TestMemberships(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	h, _ := db.CreateCohort(ctx, app.CohortInput{Name: "Mastermind", Kind: app.KindMastermind, Capacity: 3})
	var ids []int64
	for i := range 4 {
		ids = append(ids, mustClient(t, db, fmt.Sprintf("Member %d", i), fmt.Sprintf("m%d@example.com", i)).ID)
	}

	n, err := db.AddMembers(ctx, h.ID, ids[:2], "")
	if err != nil || n != 2 {
		t.Fatalf("got %d added, %v; want 2", n, err)
	}
	// Adding someone twice adds them once.
	n, err = db.AddMembers(ctx, h.ID, ids, app.RoleMember)
	if err != nil || n != 2 {
		t.Fatalf("got %d added, %v; want the 2 who were not in yet", n, err)
	}
	c, _ := db.FindCohortByID(ctx, h.ID)
	if c.Members != 4 {
		t.Fatalf("got %d members, want 4", c.Members)
	}
	wantWarnings := []string{
		"Masterminds work best with 8 to 16 members; this one has fewer than 8.",
		"This cohort has more members than its capacity.",
	}
	if !slices.Equal(c.Warnings, wantWarnings) {
		t.Fatalf("got warnings %q, want %q", c.Warnings, wantWarnings)
	}

	if err := db.SetMemberRole(ctx, h.ID, ids[0], app.RoleCoHost); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveMember(ctx, h.ID, ids[1]); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveMember(ctx, h.ID, ids[1]), app.ENOTFOUND)

	current, _ := db.Roster(ctx, h.ID, false)
	all, _ := db.Roster(ctx, h.ID, true)
	if len(current) != 3 || len(all) != 4 {
		t.Fatalf("got %d current and %d in history, want 3 and 4: leaving keeps history", len(current), len(all))
	}
	if all[3].ClientID != ids[1] || all[3].LeftAt == nil {
		t.Fatalf("got last roster line %+v, want the member who left, with the date", all[3])
	}
	if current[0].Role != app.RoleCoHost {
		t.Fatalf("got role %q for member 0, want co_host", current[0].Role)
	}

	// Rejoining after leaving is a new membership, and history keeps both.
	if n, _ := db.AddMembers(ctx, h.ID, ids[1:2], ""); n != 1 {
		t.Fatalf("got %d added on rejoin, want 1", n)
	}
	if all, _ := db.Roster(ctx, h.ID, true); len(all) != 5 {
		t.Fatalf("got %d lines of history after rejoining, want 5", len(all))
	}

	// A client's list shows the cohorts they are in; members filter the clients list.
	cs, _ := db.ClientCohorts(ctx, ids[0])
	if len(cs) != 1 || cs[0].Name != "Mastermind" {
		t.Fatalf("got %+v, want the client's one cohort", cs)
	}
	if p, _ := db.ListClients(ctx, app.ClientFilter{CohortID: h.ID}); p.Total != 4 {
		t.Fatalf("got %d clients in the cohort filter, want 4", p.Total)
	}

	_, err = db.AddMembers(ctx, h.ID, []int64{9999}, "")
	wantCode(t, err, app.ENOTFOUND)
	_, err = db.AddMembers(ctx, 9999, ids, "")
	wantCode(t, err, app.ENOTFOUND)
	_, err = db.AddMembers(ctx, h.ID, ids, "boss")
	wantCode(t, err, app.EINVALID)

	// Archiving the cohort keeps it out of the list and its members' counts.
	if err := db.ArchiveCohort(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := db.ListCohorts(ctx, false); len(cs) != 0 {
		t.Fatalf("got %d current cohorts after archiving, want 0", len(cs))
	}
	if cs, _ := db.ListCohorts(ctx, true); len(cs) != 1 {
		t.Fatalf("got %d archived cohorts, want 1", len(cs))
	}
}

func TestImportClients(t *testing.T) {
	ctx := context.Background()
	existing := func(t *testing.T) *DB {
		db := openTest(t)
		db.CreateClient(ctx, app.ClientInput{Name: "Ada", Email: "ada@example.com", Phone: "111", Tags: []string{"old"},
			Aliases: []string{"ada@home.example"}})
		return db
	}
	rows := []app.ImportRow{
		{Line: 2, Client: app.ClientInput{Name: "Ada Lovelace", Email: "ADA@example.com", Phone: "", Goals: "Engines", Tags: []string{"new"}}},
		{Line: 3, Client: app.ClientInput{Name: "Grace", Email: "grace@example.com"}},
		{Line: 4, Client: app.ClientInput{Name: "Alias clash", Email: "ada@home.example"}},
	}
	t.Run("Update", func(t *testing.T) {
		db := existing(t)
		sum, err := db.ImportClients(ctx, rows, app.OnDuplicateUpdate, app.NoProgress)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Imported != 1 || sum.Updated != 1 || sum.Skipped != 0 || len(sum.Rejected) != 1 || sum.Rejected[0].Line != 4 {
			t.Fatalf("got %+v, want 1 imported, 1 updated, line 4 rejected", sum)
		}
		ada, _ := db.FindClientByEmail(ctx, "ada@example.com")
		if ada.Name != "Ada Lovelace" || ada.Phone != "111" || ada.Goals != "Engines" || !slices.Equal(ada.Tags, []string{"new", "old"}) {
			t.Fatalf("got %+v, want the new name and goals, the old phone kept (the file had none), tags joined", ada)
		}
	})
	t.Run("NameWithLineBreakIsNoted", func(t *testing.T) {
		db := openTest(t)
		sum, err := db.ImportClients(ctx, []app.ImportRow{
			{Line: 2, Client: app.ClientInput{Name: "Ada\r\nLovelace", Email: "ada@example.com"}},
			{Line: 3, Client: app.ClientInput{Name: "Grace Hopper", Email: "grace@example.com"}},
		}, app.OnDuplicateUpdate, app.NoProgress)
		if err != nil || sum.Imported != 2 {
			t.Fatalf("got %+v, %v; want both imported", sum, err)
		}
		if len(sum.Notes) != 1 || !strings.Contains(sum.Notes[0], "put on one line (line 2)") {
			t.Fatalf("got notes %q, want one naming line 2", sum.Notes)
		}
		ada, _ := db.FindClientByEmail(ctx, "ada@example.com")
		if ada.Name != "Ada Lovelace" {
			t.Fatalf("got %q, want Ada Lovelace", ada.Name)
		}
	})
	t.Run("Skip", func(t *testing.T) {
		db := existing(t)
		sum, _ := db.ImportClients(ctx, rows, app.OnDuplicateSkip, app.NoProgress)
		if sum.Imported != 1 || sum.Skipped != 2 {
			t.Fatalf("got %+v, want 1 imported and 2 skipped", sum)
		}
		ada, _ := db.FindClientByEmail(ctx, "ada@example.com")
		if ada.Name != "Ada" {
			t.Fatalf("got name %q, want Ada untouched", ada.Name)
		}
	})
	t.Run("Merge", func(t *testing.T) {
		db := existing(t)
		db.ImportClients(ctx, rows, app.OnDuplicateMerge, app.NoProgress)
		ada, _ := db.FindClientByEmail(ctx, "ada@example.com")
		if ada.Name != "Ada" || ada.Goals != "Engines" || !slices.Equal(ada.Tags, []string{"new", "old"}) {
			t.Fatalf("got %+v, want the old name kept, blank goals filled, tags joined", ada)
		}
	})
	t.Run("ErrCanceledChangesNothing", func(t *testing.T) {
		db := openTest(t)
		cctx, cancel := context.WithCancel(ctx)
		var many []app.ImportRow
		for i := range 2000 {
			many = append(many, app.ImportRow{Line: i + 2, Client: app.ClientInput{Email: fmt.Sprintf("c%d@example.com", i)}})
		}
		_, err := db.ImportClients(cctx, many, app.OnDuplicateSkip, func(p app.Progress) {
			if p.Done >= 1000 {
				cancel()
			}
		})
		wantCode(t, err, app.ECANCELED)
		if p, _ := db.ListClients(ctx, app.ClientFilter{}); p.Total != 0 {
			t.Fatalf("got %d clients after a cancelled import, want 0: all or nothing", p.Total)
		}
	})
	t.Run("ErrChoice", func(t *testing.T) {
		_, err := openTest(t).ImportClients(ctx, rows, "overwrite", app.NoProgress)
		wantCode(t, err, app.EINVALID)
	})
}

// A big import looks addresses up in memory (tx.addrs); it must decide every row
// as the small one that asks SQLite does: case-insensitive matches, another
// client's alias refused, an address taken earlier in the same import refused.
func TestBigImportDecidesAsSmallOne(t *testing.T) {
	special := []app.ImportRow{
		{Line: 2, Client: app.ClientInput{Name: "Ana Lima", Email: "ANA@example.com", Tags: []string{"spring"}}},              // existing, other case: updated
		{Line: 3, Client: app.ClientInput{Name: "Someone", Email: "bo.work@example.com"}},                                     // Bo's alias: refused
		{Line: 4, Client: app.ClientInput{Name: "Cleo Park", Email: "cleo@example.com", Aliases: []string{"cp@example.com"}}}, // new
		{Line: 5, Client: app.ClientInput{Name: "Dan", Email: "CP@example.com"}},                                              // Cleo's new alias: refused
		{Line: 6, Client: app.ClientInput{Name: "Élodie", Email: "élodie@example.com"}},                                       // new
		{Line: 7, Client: app.ClientInput{Email: "CLEO@example.com", Phone: "+44 20 7946 0000", Tags: []string{"autumn"}}},    // Cleo again, in the same file: merged
		{Line: 8, Client: app.ClientInput{Name: "Fay", Email: "fay@example.com", Aliases: []string{"ELODIE@example.com"}}},    // an alias that is no one's: new
		{Line: 9, Client: app.ClientInput{Name: "Gus", Email: "gus@example", Tags: []string{"x"}}},                            // not an address: refused
	}
	run := func(padding int) (app.ImportSummary, []app.Client) {
		db := openTest(t)
		mustClient(t, db, "Ana Lima", "ana@example.com")
		bo := mustClient(t, db, "Bo Li", "bo@example.com")
		if _, err := db.UpdateClient(context.Background(), bo.ID, app.ClientInput{Name: "Bo Li", Email: "bo@example.com", Aliases: []string{"bo.work@example.com"}}); err != nil {
			t.Fatal(err)
		}
		rows := append([]app.ImportRow(nil), special...)
		for i := range padding {
			rows = append(rows, app.ImportRow{Line: 100 + i, Client: app.ClientInput{Name: fmt.Sprint("Pad ", i), Email: fmt.Sprintf("pad%d@example.com", i)}})
		}
		sum, err := db.ImportClients(context.Background(), rows, app.OnDuplicateMerge, func(app.Progress) {})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.AllClients(context.Background(), false)
		if err != nil {
			t.Fatal(err)
		}
		var named []app.Client
		for _, c := range cs {
			if !strings.HasPrefix(c.Name, "Pad ") {
				named = append(named, c)
			}
		}
		return sum, named
	}
	small, smallClients := run(0)
	if small.Imported != 3 || small.Updated != 2 || len(small.Rejected) != 3 {
		t.Fatalf("small import: %+v", small)
	}
	// bulkImport rows go in one partial batch; 3 batches and a bit cross
	// batch boundaries (clientBatch).
	for _, padding := range []int{bulkImport, 3*clientBatchSize + 7} {
		big, bigClients := run(padding)
		if big.Imported != small.Imported+padding || big.Updated != small.Updated || fmt.Sprint(big.Rejected) != fmt.Sprint(small.Rejected) {
			t.Errorf("big import (%d rows more) decided differently:\n%+v\nsmall:\n%+v", padding, big, small)
		}
		if fmt.Sprint(names(bigClients)) != fmt.Sprint(names(smallClients)) {
			t.Errorf("big import (%d rows more) left %v, small %v", padding, names(bigClients), names(smallClients))
		}
	}
}

func names(cs []app.Client) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+" <"+c.Email+"> "+strings.Join(c.Aliases, ",")+" "+strings.Join(c.Tags, ","))
	}
	return out
}
