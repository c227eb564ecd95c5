package app

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestCohortWarnings(t *testing.T) {
	for _, tc := range []struct {
		kind              string
		members, capacity int
		want              int
	}{
		{KindMastermind, 0, 0, 0},
		{KindMastermind, 5, 0, 1},
		{KindMastermind, 12, 12, 0},
		{KindMastermind, 17, 0, 1},
		{KindMicroCommunity, 29, 0, 0},
		{KindMicroCommunity, 30, 0, 1},
		{KindOneToOne, 3, 2, 1},
	} {
		if got := CohortWarnings(tc.kind, tc.members, tc.capacity); len(got) != tc.want {
			t.Errorf("CohortWarnings(%s, %d, %d): got %q, want %d warnings", tc.kind, tc.members, tc.capacity, got, tc.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ada@example.com": true, "a.b+tag@mail.example.org": true,
		"": false, "ada": false, "ada@localhost": false, "Ada <ada@example.com>": false,
		"ada@example.": false, "ada @example.com": false,
	} {
		if got := ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q): got %v, want %v", s, got, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "[::1]": true, "smtp.gmail.com": false, "10.0.0.1": false} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q): got %v, want %v", host, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("disk I/O error")
	err := fmt.Errorf("store: write: %w", Wrap(EUNAVAILABLE, cause, "The disk is full"))
	if ErrorCode(err) != EUNAVAILABLE || ErrorMessage(err) != "The disk is full" || !errors.Is(err, cause) {
		t.Fatalf("got %q %q, want the code and sentence through wrapping, and the cause kept", ErrorCode(err), ErrorMessage(err))
	}
	if ErrorCode(cause) != EINTERNAL || ErrorCode(nil) != "" {
		t.Fatal("a foreign error must be internal and nil must have no code")
	}
	if !slices.Contains(ClientStatuses, StatusAlumni) {
		t.Fatal("alumni is a status")
	}
}
