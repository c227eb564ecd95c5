package ui

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// openTest opens a fresh workspace file and hands the services a context, as
// main.go's OnStartup does.
func openTest(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "workspace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// bridged parses a bound method's error as the window does: its text is JSON.
func bridged(tb testing.TB, err error) BridgeError {
	tb.Helper()
	if err == nil {
		tb.Fatal("got no error, want one")
	}
	var b BridgeError
	if jerr := json.Unmarshal([]byte(err.Error()), &b); jerr != nil {
		tb.Fatalf("got error text %q, want JSON: %v", err.Error(), jerr)
	}
	return b
}

func TestErrorsCrossTheBridgeAsData(t *testing.T) {
	db := openTest(t)
	clients, cohorts := NewClientService(db), NewCohortService(db)
	Startup(context.Background(), clients, cohorts)

	t.Run("ErrInvalidClientEmail", func(t *testing.T) {
		_, err := clients.Create(app.ClientInput{Name: "Ada", Email: "ada@"})
		got := bridged(t, err)
		want := BridgeError{Code: app.EINVALID, Field: "email", Message: `"ada@" is not an email address.`}
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
	t.Run("ErrDuplicateCohortName", func(t *testing.T) {
		if _, err := cohorts.Create(app.CohortInput{Name: "Spring"}); err != nil {
			t.Fatal(err)
		}
		_, err := cohorts.Create(app.CohortInput{Name: "spring"})
		got := bridged(t, err)
		if got.Code != app.ECONFLICT || got.Field != "name" {
			t.Fatalf("got %+v, want code conflict on field name", got)
		}
	})
	t.Run("ErrCohortCapacity", func(t *testing.T) {
		_, err := cohorts.Create(app.CohortInput{Name: "Autumn", Capacity: -2})
		if got := bridged(t, err); got.Field != "capacity" {
			t.Fatalf("got %+v, want field capacity", got)
		}
	})
	t.Run("ErrNotFoundHasNoField", func(t *testing.T) {
		_, err := clients.Get(4242)
		got := bridged(t, err)
		if got.Code != app.ENOTFOUND || got.Field != "" || got.Message == "" {
			t.Fatalf("got %+v, want not_found with a sentence and no field", got)
		}
	})
	t.Run("ErrInternalKeepsItsCauseOutOfTheWindow", func(t *testing.T) {
		got := bridged(t, fail(errors.New("sql: database is locked at pager.c:123")))
		if got.Code != app.EINTERNAL || got.Message != app.ErrorMessage(errors.New("x")) {
			t.Fatalf("got %+v, want the generic sentence, never the cause", got)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := fail(nil); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
}

func TestFinishedSyncKeepsTheSentence(t *testing.T) {
	st := finishedSync(app.SyncSummary{}, app.Errorf(app.EUNAVAILABLE, "The mail server cannot be reached."), time.Now())
	if st.Error != "The mail server cannot be reached." || st.Running {
		t.Fatalf("got %+v, want the sentence as it is", st)
	}
	if st := finishedSync(app.SyncSummary{}, nil, time.Now()); st.Error != "" || st.At == nil {
		t.Fatalf("got %+v, want no error and the time", st)
	}
}
