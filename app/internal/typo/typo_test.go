package typo

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"email", "email", 0}, {"emial", "email", 1}, {"digets", "digest", 1},
		{"fist", "first", 1}, {"date", "name", 2}, {"", "name", 4}, {"Zoë", "Zoe", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q): got %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
