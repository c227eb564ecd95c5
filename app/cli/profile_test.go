package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/store"
)

// The coach's name is theirs, not the mail account's: set in the sandbox, it is
// the From name and {{coach_name}} of what members receive.
func TestProfileNameInSandbox(t *testing.T) {
	ws := cohortWithMembers(t)
	t.Run("OK", func(t *testing.T) {
		code, out, errs := run(t, ws, "profile", "set", "--name", "Maya Okafor")
		if code != 0 || out != "Mail goes out as Maya Okafor <coach@sandbox.invalid>.\n" {
			t.Fatalf("got %d %q %q, want the sender named", code, out, errs)
		}
		if _, out, _ := run(t, ws, "profile", "show", "--json"); !strings.Contains(out, `"name": "Maya Okafor"`) {
			t.Fatalf("got %q, want the name as JSON", out)
		}
		body := filepath.Join(t.TempDir(), "body.md")
		os.WriteFile(body, []byte("Hello {{first_name}},\n\nSee you Friday.\n\n{{coach_name}}\n"), 0o600)
		if code, _, errs := run(t, ws, "post", "create", "--cohort", "Circle", "--subject", "Friday", "--body", body); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := run(t, ws, "outbox", "send"); code != 0 {
			t.Fatal(errs)
		}
		db, err := store.OpenReadOnly(ws)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		msgs, err := db.SandboxMessages(context.Background(), "ada@example.com")
		if err != nil || len(msgs) != 1 {
			t.Fatalf("got %d messages (%v), want Ada's copy", len(msgs), err)
		}
		raw := msgs[0].Raw
		from := raw[strings.Index(raw, "\nFrom: ")+1:]
		from = from[:strings.Index(from, "\n")]
		if !strings.Contains(from, "Maya Okafor") || !strings.Contains(raw, "See you Friday.\r\n\r\nMaya Okafor") {
			t.Fatalf("got From %q in\n%s\nwant the coach's name as sender and signature", from, raw)
		}
	})
	t.Run("ErrTwoLines", func(t *testing.T) {
		code, _, errs := run(t, ws, "profile", "set", "--name", "Maya\nOkafor")
		if code == 0 || !strings.Contains(errs, "one line") {
			t.Fatalf("got %d %q, want the name refused", code, errs)
		}
	})
	t.Run("ErrNoName", func(t *testing.T) {
		if code, _, _ := run(t, ws, "profile", "set"); code != 2 {
			t.Fatalf("got exit %d, want 2 (usage)", code)
		}
	})
}
