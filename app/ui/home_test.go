package ui

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// TestHomeService: the window's home screen on a real workspace, and the quiet
// days refused with the field they concern.
func TestHomeService(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.CreateCohort(ctx, app.CohortInput{Name: "Circle", Kind: app.KindCourseCohort})
	if err != nil {
		t.Fatal(err)
	}
	svc := NewHomeService(db)
	Startup(ctx, svc)

	h, err := svc.Get()
	if err != nil || len(h.Cohorts) != 1 || h.Cohorts[0].QuietDays != 7 || len(h.Weeks) != app.HomeWeeks {
		t.Fatalf("got %+v (%v), want Circle with the course default of 7 days over %d weeks", h.Cohorts, err, app.HomeWeeks)
	}
	var be *BridgeError
	if err := svc.SetQuietDays(c.ID, -1); !errors.As(err, &be) || be.Code != app.EINVALID || be.Field != "quietDays" {
		t.Fatalf("got %v, want -1 days refused on the quietDays field", err)
	}
	if err := svc.SetQuietDays(c.ID, 21); err != nil {
		t.Fatal(err)
	}
	if h, _ := svc.Get(); h.Cohorts[0].QuietDays != 21 || h.Cohorts[0].QuietDaysSet != 21 {
		t.Errorf("got %+v, want 21 days set", h.Cohorts[0])
	}
	if r, err := svc.RosterActivity(c.ID); err != nil || len(r.Weeks) != app.HomeWeeks || r.Members == nil {
		t.Errorf("got %+v (%v), want %d weeks and an empty member list", r, err, app.HomeWeeks)
	}
}
