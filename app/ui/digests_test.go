package ui

import (
	"context"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestRunDue(t *testing.T) {
	t.Run("ErrStillStarting", func(t *testing.T) {
		s := NewDigestService(openTest(t))
		Startup(context.Background(), s)
		_, err := s.RunDue()
		if got := bridged(t, err); got.Code != app.EUNAVAILABLE {
			t.Fatalf("got %+v, want code unavailable before the outbox runs", got)
		}
	})
}

func TestChoicesShowEachKindsDigestDefault(t *testing.T) {
	c := NewWorkspaceService(openTest(t), "").Choices()
	for _, k := range app.CohortKinds {
		d, ok := c.DigestDefaults[k]
		if !ok || d.Described == "" {
			t.Fatalf("kind %s: got %+v, want its default described", k, d)
		}
	}
	if got, want := c.DigestDefaults[app.KindMicroCommunity].Described, "Daily at 18:00 (each member's time)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if c.DigestNoteMax != app.DigestNoteMax || len(c.DeliveryModes) != 3 {
		t.Errorf("got note max %d and modes %v", c.DigestNoteMax, c.DeliveryModes)
	}
}
