package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/roundtablehq/roundtable/app"
)

func TestOpenInBrowser(t *testing.T) {
	log := filepath.Join(t.TempDir(), "opened.txt")
	t.Setenv(OpenedURLsEnv, log)
	db := openTest(t)
	s := NewWorkspaceService(db, db.Path())
	Startup(context.Background(), s)

	t.Run("OK", func(t *testing.T) {
		for _, link := range []string{"https://example.com/a?b=c#d", "http://example.org", "mailto:ada@example.com?subject=Hi", "HTTPS://EXAMPLE.COM/"} {
			if err := s.OpenInBrowser(link); err != nil {
				t.Errorf("%s: got %v, want it opened", link, err)
			}
		}
		b, _ := os.ReadFile(log)
		want := "https://example.com/a?b=c#d\nhttp://example.org\nmailto:ada@example.com?subject=Hi\nHTTPS://EXAMPLE.COM/\n"
		if string(b) != want {
			t.Fatalf("got %q, want %q", b, want)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		os.Remove(log)
		for _, link := range []string{
			"javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd",
			"vbscript:x", "roundtable://x", "ms-settings:", "//evil.example/x", "/relative", "https://", "mailto:",
			"http://exa mple.com", "https://example.com/\r\nX: y", "",
		} {
			err := s.OpenInBrowser(link)
			if got := bridged(t, err); got.Code != app.EINVALID {
				t.Errorf("%q: got %+v, want refused as invalid", link, got)
			}
		}
		if _, err := os.Stat(log); !os.IsNotExist(err) {
			t.Fatalf("got %v, want nothing opened", err)
		}
	})
}
