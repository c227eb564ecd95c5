package ui

import (
	"bytes"
	"html"
	"net/http"
	"os"
	"strconv"
)

// StartRouteEnv names an environment variable holding the view the window opens
// on (a hash route such as "#/cohorts/1"); the screenshot and start-up scripts
// use it.
const StartRouteEnv = "ROUNDTABLE_START_ROUTE"

// StartRoutePage writes the view named by StartRouteEnv into the window's page
// as <meta name="roundtable-start-route">, for the page to read before it
// draws anything: asked for over IPC, the answer came after the default view
// had started loading its data, which then had to be thrown away.
func StartRoutePage(next http.Handler) http.Handler {
	route := os.Getenv(StartRouteEnv)
	if route == "" {
		return next
	}
	meta := []byte(`<meta name="roundtable-start-route" content="` + html.EscapeString(route) + `">`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			next.ServeHTTP(w, r)
			return
		}
		page := &pageBuffer{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(page, r)
		body := page.body.Bytes()
		if i := bytes.Index(body, []byte("<head>")); i >= 0 && page.status == http.StatusOK {
			at := i + len("<head>")
			body = append(append(append([]byte{}, body[:at]...), meta...), body[at:]...)
		}
		for k, v := range page.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(page.status)
		_, _ = w.Write(body)
	})
}

// pageBuffer holds a response until the meta tag is in it.
type pageBuffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageBuffer) Header() http.Header         { return p.header }
func (p *pageBuffer) WriteHeader(status int)      { p.status = status }
func (p *pageBuffer) Write(b []byte) (int, error) { return p.body.Write(b) }
