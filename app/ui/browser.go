package ui

import (
	"net/url"
	"os"
	"strings"

	"github.com/roundtablehq/roundtable/app"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// OpenedURLsEnv names a file that, when set, receives one line per link the coach
// opens instead of the system browser opening it. It is for the browser tests
// only (e2e/replies.mjs), which must see that a click asks for the browser
// without a browser appearing; a coach never sets it.
const OpenedURLsEnv = "ROUNDTABLE_TEST_OPENED_URLS"

// OpenInBrowser opens a link from displayed mail in the system browser, after the
// coach clicked it: the window itself never navigates away from the app. Only
// web and mail links are opened; anything else (javascript:, file:, data:, a
// custom scheme that starts a program) is refused.
func (s *WorkspaceService) OpenInBrowser(link string) error {
	u, err := checkLink(link)
	if err != nil {
		return fail(err)
	}
	if path := os.Getenv(OpenedURLsEnv); path != "" {
		return fail(recordOpened(path, u))
	}
	runtime.BrowserOpenURL(s.ctx, u)
	return nil
}

// checkLink returns the link to open, or EINVALID when it is not an http, https
// or mailto link with somewhere to go.
func checkLink(link string) (string, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || strings.ContainsAny(link, "\x00\r\n\t ") {
		return "", app.Errorf(app.EINVALID, "That link cannot be opened.")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", app.Errorf(app.EINVALID, "That link cannot be opened.")
		}
	case "mailto":
		if u.Opaque == "" {
			return "", app.Errorf(app.EINVALID, "That link cannot be opened.")
		}
	default:
		return "", app.Errorf(app.EINVALID, "Only web and email links are opened from mail, for your safety.")
	}
	return link, nil
}

func recordOpened(path, link string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return app.Wrap(app.EINTERNAL, err, "The link could not be opened")
	}
	if _, err := f.WriteString(link + "\n"); err != nil {
		f.Close()
		return app.Wrap(app.EINTERNAL, err, "The link could not be opened")
	}
	return f.Close()
}
