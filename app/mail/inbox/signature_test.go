package inbox_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
)

// mariasSignature is the block signed_reply.eml ends with, with no "-- " above it.
const mariasSignature = "Maria Lopez\nHead of Growth, Acme\n+34 600 000 000"

// TestSync_LearnedSignatureIsCut imports replies that end with the same
// signature block and no "-- ": once a member's earlier replies have shown it,
// the group sees only their words and the block is behind "show quoted text";
// another member's first mail with the same block keeps all of it.
func TestSync_LearnedSignatureIsCut(t *testing.T) {
	words := func(mid string) string {
		return fmt.Sprintf("This week I tracked my sleep every night and went to bed before eleven five times (%s).", mid)
	}
	byMID := func(t *testing.T, w *world) map[string]app.Reply {
		t.Helper()
		out := map[string]app.Reply{}
		for _, r := range w.replies(t) {
			for _, mid := range []string{"s1", "s2", "s3", "s4", "b1"} {
				if strings.Contains(r.Text, "("+mid+")") {
					out[mid] = r
				}
			}
		}
		return out
	}
	check := func(t *testing.T, w *world) {
		t.Helper()
		rs := byMID(t, w)
		if len(rs) != 5 {
			t.Fatalf("got %d of the 5 replies, want all of them", len(rs))
		}
		if want := words("s1") + "\n\n" + mariasSignature; rs["s1"].Text != want {
			t.Errorf("Maria's first reply: got Text %q, want her words and the signature: nothing to learn from yet", rs["s1"].Text)
		}
		s4 := rs["s4"]
		if s4.Text != words("s4") {
			t.Errorf("Maria's fourth reply: got Text %q, want only her words %q", s4.Text, words("s4"))
		}
		if !strings.HasPrefix(s4.Quoted, mariasSignature+"\n\nOn Mon, Nov 16, 2026") {
			t.Errorf("Maria's fourth reply: got Quoted %q, want the signature first, then the history", s4.Quoted)
		}
		if want := words("b1") + "\n\n" + mariasSignature; rs["b1"].Text != want {
			t.Errorf("Ben's first reply: got Text %q, want everything he wrote: Maria's signature is not his", rs["b1"].Text)
		}
	}

	t.Run("OKLearnedFromStoredReplies", func(t *testing.T) {
		w := newWorld(t, capsRev2)
		maria, ben := w.members[0], w.members[1]
		for _, mid := range []string{"s1", "s2", "s3"} {
			w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", maria, mid))
		}
		if sum := w.mustSync(t, inbox.Options{Account: "coach"}); sum.Imported != 3 {
			t.Fatalf("got %+v, want Maria's 3 earlier replies imported", sum)
		}
		w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", maria, "s4"))
		w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", ben, "b1"))
		if sum := w.mustSync(t, inbox.Options{Account: "coach"}); sum.Imported != 2 {
			t.Fatalf("got %+v, want Maria's fourth and Ben's first reply imported", sum)
		}
		check(t, w)
	})

	t.Run("OKLearnedWithinOneSync", func(t *testing.T) {
		// A mailbox imported for the first time: the earlier replies arrive in
		// the same sync as the one that should be trimmed.
		w := newWorld(t, capsRev2)
		maria, ben := w.members[0], w.members[1]
		for _, mid := range []string{"s1", "s2", "s3"} {
			w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", maria, mid))
		}
		w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", ben, "b1"))
		w.srv.deliver(t, "INBOX", w.mail(t, "signed_reply.eml", maria, "s4"))
		if sum := w.mustSync(t, inbox.Options{Account: "coach"}); sum.Imported != 5 {
			t.Fatalf("got %+v, want all 5 replies imported", sum)
		}
		check(t, w)
	})
}
