package autoconfig

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file     string
		want     app.Preset
		wantCode string
	}{
		{file: "example.org.xml", want: app.Preset{SMTPHost: "smtp.example.org", SMTPPort: 587, Security: app.SecuritySTARTTLS,
			IMAPHost: "imap.example.org", IMAPPort: 993, IMAPSecurity: app.SecurityTLS, Name: "Example Mail"}},
		{file: "plain-only.xml", wantCode: app.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := Parse(f, "example.org")
			if tt.wantCode != "" {
				if app.ErrorCode(err) != tt.wantCode {
					t.Fatalf("got %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.SMTPHost != tt.want.SMTPHost || got.SMTPPort != tt.want.SMTPPort || got.Security != tt.want.Security ||
				got.IMAPHost != tt.want.IMAPHost || got.IMAPPort != tt.want.IMAPPort || got.IMAPSecurity != tt.want.IMAPSecurity ||
				got.Name != tt.want.Name {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("ErrDamaged", func(t *testing.T) {
		if _, err := Parse(strings.NewReader("<clientConfig><emailProvider>"), "x.org"); app.ErrorCode(err) != app.EDAMAGED {
			t.Fatalf("got %v, want EDAMAGED", err)
		}
	})
}

// TestShipped checks every file shipped with the app parses into a usable preset.
func TestShipped(t *testing.T) {
	entries, err := ispdb.ReadDir("ispdb")
	if err != nil || len(entries) < 5 {
		t.Fatalf("got %d shipped files (%v), want at least 5", len(entries), err)
	}
	for _, d := range []string{"posteo.de", "mailbox.org", "web.de", "zoho.com", "aol.com"} {
		p, ok := Shipped(d)
		if !ok || p.SMTPHost == "" || p.IMAPHost == "" || p.Security == "" || p.IMAPSecurity == "" {
			t.Errorf("got %+v, %v for %s, want complete settings", p, ok, d)
		}
	}
	if _, ok := Shipped("unknown.example"); ok {
		t.Error("got settings for unknown.example, want none")
	}
}

func TestFind(t *testing.T) {
	body, err := os.ReadFile("testdata/example.org.xml")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	var gotQuery atomic.Value
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/autoconfig/mail/config-v1.1.xml": // stands for https://autoconfig.DOMAIN/...: missing
			http.NotFound(w, r)
		case "/.well-known/autoconfig/mail/config-v1.1.xml":
			gotQuery.Store(r.URL.RawQuery)
			w.Header().Set("Content-Type", "text/xml")
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f := &Finder{Client: srv.Client(), URLs: func(domain, email string) []string {
		// The real list, moved onto the test server.
		var out []string
		for _, u := range DomainURLs(domain, email) {
			u = strings.Replace(u, "https://autoconfig."+domain+"/mail/", srv.URL+"/autoconfig/mail/", 1)
			u = strings.Replace(u, "https://"+domain+"/", srv.URL+"/", 1)
			out = append(out, u)
		}
		return out
	}}
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		p, err := f.Find(ctx, " Coach@Example.org ")
		if err != nil {
			t.Fatal(err)
		}
		if p.SMTPHost != "smtp.example.org" || p.IMAPPort != 993 || p.ID != "autoconfig:example.org" {
			t.Fatalf("got %+v, want example.org's settings", p)
		}
		if hits.Load() != 2 {
			t.Fatalf("got %d requests, want 2 (the autoconfig host, then the well-known path)", hits.Load())
		}
	})
	t.Run("PresetWithoutNetwork", func(t *testing.T) {
		before := hits.Load()
		p, err := f.Find(ctx, "me@gmail.com")
		if err != nil || p.ID != "gmail" {
			t.Fatalf("got %+v, %v, want the Gmail preset", p, err)
		}
		if p, err := f.Find(ctx, "me@posteo.de"); err != nil || p.SMTPHost != "posteo.de" {
			t.Fatalf("got %+v, %v, want Posteo's shipped settings", p, err)
		}
		if hits.Load() != before {
			t.Fatal("got a request for a known provider, want none")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		f := &Finder{Client: srv.Client(), URLs: func(domain, email string) []string { return []string{srv.URL + "/nothing"} }}
		if _, err := f.Find(ctx, "me@nowhere.example"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, e := range []string{"", "me", "me@", "@example.org", "me@localhost", "me@evil.example/path"} {
			if _, err := f.Find(ctx, e); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("got %v for %q, want EINVALID", err, e)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"example.org.xml", "plain-only.xml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(strings.NewReader(string(b)), "example.org")
		if err != nil {
			return
		}
		// Whatever the file says, a password never goes out unencrypted.
		for _, sec := range []string{p.Security, p.IMAPSecurity} {
			if sec != app.SecurityTLS && sec != app.SecuritySTARTTLS {
				t.Fatalf("got security %q, want TLS or STARTTLS", sec)
			}
		}
		if p.SMTPPort <= 0 || p.SMTPPort > 65535 || p.IMAPPort <= 0 || p.IMAPPort > 65535 {
			t.Fatalf("got ports %d/%d, want valid ports", p.SMTPPort, p.IMAPPort)
		}
	})
}
