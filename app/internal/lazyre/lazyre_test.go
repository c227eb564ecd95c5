package lazyre

import (
	"sync"
	"testing"
)

func TestOneCompiledExpressionShared(t *testing.T) {
	r := New(`(?i)^re:\s*(.*)$`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if m := r.FindStringSubmatch("RE: Week 1"); len(m) != 2 || m[1] != "Week 1" {
				t.Errorf("got %q", m)
			}
		})
	}
	wg.Wait()
	if r.Re() != r.Re() {
		t.Error("compiled twice")
	}
}

// A program compiles an expression when it is first used; a test binary at
// New, so that a broken pattern fails its package's tests however they run.
func TestCompiledAtNewOnlyInTests(t *testing.T) {
	defer func(was bool) { inTest = was }(inTest)
	inTest = false
	r := New(`(unclosed`)
	if r.re != nil {
		t.Fatal("compiled at New outside a test")
	}
	inTest = true
	defer func() {
		if recover() == nil {
			t.Error("got no panic for a broken pattern in a test binary")
		}
	}()
	New(`(unclosed`)
}
