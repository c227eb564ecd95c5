package render

import (
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/internal/spamcheck"
)

// TestAnnouncementSpamScore holds posts to the bar the digest issue sets: a real
// announcement, built by Render and Build as the outbox sends it, scores at most
// 0.5 with SpamAssassin's local rules. One message only: a check takes seconds.
func TestAnnouncementSpamScore(t *testing.T) {
	b, err := Render(readContent(t, "testdata/announcement.md"), member)
	if err != nil {
		t.Fatal(err)
	}
	env := envelope()
	env.Date = time.Now()
	env.MessageID = NewMessageID("coach.example")
	msg, err := Build(env, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	score, rules := spamcheck.Score(t, msg)
	if score > 0.5 {
		t.Errorf("SpamAssassin score: got %v, want at most 0.5; rules hit: %v", score, rules)
	}
}
