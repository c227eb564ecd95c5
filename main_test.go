package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/roundtablehq/roundtable/app/csp"
)

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
