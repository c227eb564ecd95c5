// Package csp holds the window's Content-Security-Policy: the one place that says
// what the window's web content may load and run. The Wails asset server sends it
// as a header on every page (Middleware, wired in main.go), so the production
// window and the dev build used by the browser tests get it from the same code,
// and member HTML shown in the window can neither run script nor reach the
// network even if the sanitiser missed something.
package csp

import "net/http"

// Header is the response header that carries the policy.
const Header = "Content-Security-Policy"

// common is what every build allows: the app's own files and nothing else. Styles
// may be inline (Svelte and Tailwind set style attributes); images may be data:
// URLs (icons). object-src, base-uri and form-action are 'none' because nothing
// of ours needs them and each is a classic way for injected markup to escape:
// plugins, a <base href> that re-points every relative URL, a form posting out.
// frame-src 'self' keeps a mail frame (srcdoc, sandbox="") from being navigated
// to any other site by a link inside it.
const common = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; frame-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Production is the policy of the window coaches use: the bound methods are called
// over the webview's own message channel, so no websocket is allowed.
const Production = common + "; connect-src 'self'"

// Dev is the policy of the dev build (`wails dev`, the browser e2e tests): its
// bound methods travel over a websocket (/wails/ipc) and Vite's hot reload over
// another, so ws: is allowed there and nowhere else.
const Dev = common + "; connect-src 'self' ws:"

// Middleware sends policy as a header on every response of the asset server.
// Its type is Wails' assetserver.Middleware.
func Middleware(policy string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(Header, policy)
			next.ServeHTTP(w, r)
		})
	}
}
