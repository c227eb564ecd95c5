package csp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// directives splits a policy into its directives by name.
func directives(policy string) map[string]string {
	m := map[string]string{}
	for _, d := range strings.Split(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		m[name] = value
	}
	return m
}

func TestPolicies(t *testing.T) {
	for name, policy := range map[string]string{"Production": Production, "Dev": Dev} {
		d := directives(policy)
		for directive, want := range map[string]string{
			"default-src": "'self'", "script-src": "'self'", "object-src": "'none'",
			"base-uri": "'none'", "form-action": "'none'", "frame-ancestors": "'none'",
		} {
			if got := d[directive]; got != want {
				t.Errorf("%s %s: got %q, want %q", name, directive, got, want)
			}
		}
		if strings.Contains(d["script-src"], "unsafe") {
			t.Errorf("%s script-src: got %q, want no unsafe-inline or unsafe-eval", name, d["script-src"])
		}
		if strings.Contains(d["img-src"], "http") || d["img-src"] == "*" {
			t.Errorf("%s img-src: got %q, want nothing remote", name, d["img-src"])
		}
	}
	if got := directives(Production)["connect-src"]; got != "'self'" {
		t.Errorf("Production connect-src: got %q, want 'self' only (no ws:)", got)
	}
	if strings.Contains(Production, "ws:") {
		t.Errorf("Production: got %q, want no ws: anywhere", Production)
	}
	if got := directives(Dev)["connect-src"]; got != "'self' ws:" {
		t.Errorf("Dev connect-src: got %q, want 'self' ws:", got)
	}
}

// TestHeader asks a real HTTP server, whose handler is the middleware around a
// file server (as Wails' asset server wraps its own), for the page, a script and
// a missing route, and reads the header that comes back over the wire.
func TestHeader(t *testing.T) {
	files := fstest.MapFS{
		"index.html":    {Data: []byte(`<!doctype html><title>Roundtable</title><div id="app"></div>`)},
		"assets/app.js": {Data: []byte(`console.log("hi")`)},
	}
	srv := httptest.NewServer(Middleware(Production)(http.FileServerFS(files)))
	defer srv.Close()
	for _, path := range []string{"/", "/assets/app.js", "/missing/route"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get(Header); got != Production {
			t.Errorf("%s: got %s %q, want %q", path, Header, got, Production)
		}
	}
}
