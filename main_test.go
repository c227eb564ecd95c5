package main

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/roundtablehq/roundtable/app/csp"
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

// TestWindowAssetsSendThePolicy serves a page through the options main.go gives
// Wails (the middleware around the asset handler) and reads the header a real
// request gets: the production policy in every build but the dev one.
func TestWindowAssetsSendThePolicy(t *testing.T) {
	opts := windowAssets(fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><title>Roundtable</title>`)}})
	if opts.Middleware == nil {
		t.Fatal("got no middleware, want the Content-Security-Policy header on every response")
	}
	srv := httptest.NewServer(opts.Middleware(http.FileServerFS(opts.Assets)))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Security-Policy"); got != csp.Production {
		t.Fatalf("got %q, want %q", got, csp.Production)
	}
}
