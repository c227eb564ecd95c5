package trim

import (
	"strings"
	"testing"
)

// tomsSignature is the block Tom's client adds under every mail, with no "-- ".
const tomsSignature = `Tom Baker
Team lead, Northside Runners
+44 20 7946 0958
northside-runners.example.org`

// tomsEarlierReplies are the texts of Tom's earlier replies, as Reply returned them.
var tomsEarlierReplies = []string{
	"Count me in for Saturday.\n\nBest,\n" + tomsSignature,
	"I ran 5k on Tuesday, slowly.\n\nCheers,\n" + tomsSignature,
	"Can't make it this week, sorry.\n\n" + tomsSignature,
}

func TestReplyWithSignature(t *testing.T) {
	sig := LearnSignature(tomsEarlierReplies)

	t.Run("OK", func(t *testing.T) {
		body := "Thursday works.\n\nBest,\n" + tomsSignature +
			"\n\nOn Tue, Mar 5, 2024 at 10:15 AM Anna Smith <anna@example.com> wrote:\n> Who can do Thursday?\n"
		got := ReplyWithSignature(body, sig)
		if want := "Thursday works.\n\nBest,"; got.Text != want {
			t.Errorf("Text: got %q, want %q", got.Text, want)
		}
		// The signature goes behind "show quoted text", in its place above the history.
		if want := tomsSignature + "\n\nOn Tue, Mar 5, 2024"; !strings.HasPrefix(got.Quoted, want) {
			t.Errorf("Quoted: got %q, want it to start with %q", got.Quoted, want)
		}
		checkInvariants(t, body, got)
	})

	t.Run("OKRewrappedAndRespaced", func(t *testing.T) {
		body := "Yes.\n\nTom  Baker\nTeam lead, Northside Runners\n\n+44 20 7946 0958\nNORTHSIDE-RUNNERS.example.org\n"
		if got := ReplyWithSignature(body, sig); got.Text != "Yes." {
			t.Errorf("Text: got %q, want %q", got.Text, "Yes.")
		}
	})

	t.Run("ErrChangedSignatureIsKept", func(t *testing.T) {
		body := "New number below.\n\nTom Baker\nTeam lead, Northside Runners\n+44 20 7946 0000\nnorthside-runners.example.org"
		if got := ReplyWithSignature(body, sig); got.Text != body {
			t.Errorf("Text: got %q, want the whole reply %q", got.Text, body)
		}
	})

	t.Run("ErrSignatureAloneIsKept", func(t *testing.T) {
		if got := ReplyWithSignature(tomsSignature, sig); got.Text != tomsSignature {
			t.Errorf("Text: got %q, want the signature kept when it is all there is", got.Text)
		}
	})

	t.Run("ErrSignatureInTheMiddleIsKept", func(t *testing.T) {
		body := "My details for the form:\n" + tomsSignature + "\nThanks for sorting it out"
		if got := ReplyWithSignature(body, sig); got.Text != body {
			t.Errorf("Text: got %q, want the whole reply", got.Text)
		}
	})

	t.Run("ZeroSignatureIsReply", func(t *testing.T) {
		body := tomsEarlierReplies[0]
		if got, want := ReplyWithSignature(body, Signature{}), Reply(body); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}

func TestLearnSignature(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got := LearnSignature(tomsEarlierReplies).lines
		if want := strings.Split(strings.ToLower(tomsSignature), "\n"); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	t.Run("OKSignOffStaysOutOfTheBlock", func(t *testing.T) {
		got := LearnSignature([]string{"A\n\nBest,\nMaria Lopez\nPhysio", "B\n\nBest,\nMaria Lopez\nPhysio"}).lines
		if want := "maria lopez|physio"; strings.Join(got, "|") != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	for name, earlier := range map[string][]string{
		"ErrOneReply":             tomsEarlierReplies[:1],
		"ErrNoCommonEnd":          {"Yes.\n\nTom Baker\nTeam lead", "No.\n\nT. Baker\nRunner"},
		"ErrOneLineOnly":          {"Yes.\n\nTom", "No.\n\nTom"},
		"ErrRepeatedExclamations": {"Done!\nSee you Saturday!", "Also done!\nSee you Saturday!"},
		"ErrNothing":              nil,
	} {
		t.Run(name, func(t *testing.T) {
			if got := LearnSignature(earlier); len(got.lines) != 0 {
				t.Errorf("got %q, want no signature", got.lines)
			}
		})
	}
}

// TestLearnSignatureFromReplies learns from replies as the inbox keeps them: the
// first ones trimmed before the signature was known (it is in Text), the later
// ones after (it heads Quoted, above the history).
func TestLearnSignatureFromReplies(t *testing.T) {
	history := "\n\nOn Tue, Mar 5, 2024 at 10:15 AM Anna Smith <anna@example.com> wrote:\n> Who can do Thursday?\n"
	first := Reply(tomsEarlierReplies[0] + history)
	second := ReplyWithSignature(tomsEarlierReplies[1]+history, LearnSignature(tomsEarlierReplies))
	if strings.Contains(second.Text, "Team lead") {
		t.Fatalf("second reply Text: got %q, want the signature cut", second.Text)
	}

	// Blank lines aside: where the signature was cut, Written cannot know them.
	nonBlank := func(s string) string { return strings.ReplaceAll(s, "\n\n", "\n") }
	if got, want := Written(second), Reply(tomsEarlierReplies[1]+history).Text; nonBlank(got) != nonBlank(want) {
		t.Errorf("Written: got %q, want what the member wrote with the signature %q", got, want)
	}

	sig := LearnSignatureFromReplies([]Result{first, second})
	if !sig.Known() {
		t.Fatal("got no signature from two replies ending with it, one with it cut to Quoted")
	}
	body := "Thursday works." + "\n\n" + tomsSignature + history
	if got := ReplyWithSignature(body, sig); got.Text != "Thursday works." {
		t.Errorf("Text: got %q, want %q", got.Text, "Thursday works.")
	}

	if LearnSignatureFromReplies([]Result{first}).Known() {
		t.Error("got a signature from one reply, want none: one reply could end with anything")
	}
}
