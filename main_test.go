package main

import (
	"slices"
	"testing"
)

func TestTakeWorkspaceFlag(t *testing.T) {
	t.Setenv("ROUNDTABLE_WORKSPACE", "/env.db")
	for _, tc := range []struct {
		args     []string
		path     string
		leftOver []string
	}{
		{nil, "/env.db", nil},
		{[]string{"--workspace", "/a.db", "clients", "list"}, "/a.db", []string{"clients", "list"}},
		{[]string{"clients", "list", "--workspace=/b.db", "--json"}, "/b.db", []string{"clients", "list", "--json"}},
		{[]string{"-devserver", "127.0.0.1:1", "-workspace", "/c.db"}, "/c.db", []string{"-devserver", "127.0.0.1:1"}},
	} {
		path, rest := takeWorkspaceFlag(tc.args)
		if path != tc.path || !slices.Equal(rest, tc.leftOver) {
			t.Errorf("takeWorkspaceFlag(%q): got %q %q, want %q %q", tc.args, path, rest, tc.path, tc.leftOver)
		}
	}
}
