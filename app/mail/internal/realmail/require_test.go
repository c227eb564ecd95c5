package realmail

import (
	"fmt"
	"testing"
)

func TestRequired(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
	}{
		{"1", true}, {"true", true}, {"TRUE", true}, {"True", true}, {"t", true},
		{"yes", true}, {"YES", true}, {"y", true}, {"on", true}, {"On", true}, {" 1 ", true},
		{"", false}, {"0", false}, {"false", false}, {"no", false}, {"off", false}, {"maybe", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.value), func(t *testing.T) {
			t.Setenv(RequireEnv, tc.value)
			if got := Required(); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// outcome stands in for a test: it records whether SkipOrFail skipped or failed it.
type outcome struct {
	testing.TB
	failed, skipped bool
}

func (o *outcome) Helper()               {}
func (o *outcome) Fatalf(string, ...any) { o.failed = true }
func (o *outcome) Skipf(string, ...any)  { o.skipped = true }
func (o *outcome) Logf(string, ...any)   {}
func (o *outcome) Errorf(string, ...any) { o.failed = true }
func (o *outcome) Cleanup(func())        {}

// TestSkipOrFail checks that a real-mail test that cannot run fails under the
// variable, for every true spelling, and is only skipped without it.
func TestSkipOrFail(t *testing.T) {
	for _, tc := range []struct {
		value      string
		fail, skip bool
	}{{"1", true, false}, {"yes", true, false}, {"on", true, false}, {"true", true, false}, {"", false, true}, {"0", false, true}} {
		t.Run(fmt.Sprintf("%q", tc.value), func(t *testing.T) {
			t.Setenv(RequireEnv, tc.value)
			o := &outcome{TB: t}
			SkipOrFail(o, "Postfix is not installed")
			if o.failed != tc.fail || o.skipped != tc.skip {
				t.Errorf("got failed %v skipped %v, want failed %v skipped %v", o.failed, o.skipped, tc.fail, tc.skip)
			}
		})
	}
}
