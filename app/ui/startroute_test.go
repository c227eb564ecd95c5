package ui

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestStartRoutePage(t *testing.T) {
	const page = "<!doctype html><html><head><title>Roundtable</title></head><body></body></html>"
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/", "/index.html":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			_, _ = w.Write([]byte(page))
		case "/assets/app.js":
			_, _ = w.Write([]byte("<head>not a page</head>"))
		default:
			http.NotFound(w, r)
		}
	})
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}

	t.Setenv(StartRouteEnv, "")
	if got := get(StartRoutePage(files), "/").Body.String(); got != page {
		t.Errorf("with no start route the page changed: %q", got)
	}

	t.Setenv(StartRouteEnv, `#/cohorts/1"><script>x</script>`)
	h := StartRoutePage(files)
	rec := get(h, "/")
	want := `<head><meta name="roundtable-start-route" content="#/cohorts/1&#34;&gt;&lt;script&gt;x&lt;/script&gt;"><title>`
	if !strings.Contains(rec.Body.String(), want) {
		t.Errorf("the page does not carry the start route, escaped:\n%s", rec.Body.String())
	}
	if n, _ := strconv.Atoi(rec.Header().Get("Content-Length")); n != rec.Body.Len() {
		t.Errorf("Content-Length %d for a body of %d bytes", n, rec.Body.Len())
	}
	if rec.Header().Get("Content-Type") != "text/html" || rec.Code != http.StatusOK {
		t.Errorf("the page lost its header or status: %v %d", rec.Header(), rec.Code)
	}
	if got := get(h, "/assets/app.js").Body.String(); got != "<head>not a page</head>" {
		t.Errorf("a script was changed: %q", got)
	}
	if rec := get(h, "/missing"); rec.Code != http.StatusNotFound {
		t.Errorf("a missing file answered %d", rec.Code)
	}
}
