package spamcheck

import (
	"os"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	fixture, err := os.ReadFile("testdata/status.eml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		raw   string
		score float64
		rules []string
	}{
		{"FoldedFixture", string(fixture), 1.2, []string{"HTML_MESSAGE", "MISSING_MID", "NO_RECEIVED", "NO_RELAYS"}},
		{"NegativeZero", "X-Spam-Status: No, score=-0.0 required=5.0 tests=NO_RECEIVED,NO_RELAYS autolearn=ham\r\n\r\nx", 0, []string{"NO_RECEIVED", "NO_RELAYS"}},
		{"Negative", "X-Spam-Status: No, score=-1.9 required=5.0 tests=BAYES_00 version=4.0.1\n\nx", -1.9, []string{"BAYES_00"}},
		{"Spam", "X-Spam-Status: Yes, score=1000.0 required=5.0 tests=GTUBE,\n\tNO_RECEIVED autolearn=no version=4.0.1\n\nx", 1000, []string{"GTUBE", "NO_RECEIVED"}},
		{"None", "X-Spam-Status: No, score=0.0 required=5.0 tests=none version=4.0.1\n\nx", 0, nil},
		{"Integer", "X-Spam-Status: Yes, score=7 required=5.0 tests=A\n\nx", 7, []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, rules, err := Parse([]byte(tt.raw))
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if score != tt.score {
				t.Errorf("score: got %v, want %v", score, tt.score)
			}
			if !reflect.DeepEqual(rules, tt.rules) {
				t.Errorf("rules: got %v, want %v", rules, tt.rules)
			}
		})
	}
}

func TestParseErr(t *testing.T) {
	for _, raw := range []string{
		"",
		"Subject: no status\n\nx",
		"X-Spam-Status: No, required=5.0 tests=A\n\nx",
	} {
		if _, _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q): got nil error, want one", raw)
		}
	}
}

// TestScoreGTUBE proves the helper reports spam when it sees it: GTUBE is the test
// string every SpamAssassin scores at 1000, so a helper that always said 0 fails.
func TestScoreGTUBE(t *testing.T) {
	msg := "From: a@example.com\r\nTo: b@example.com\r\nSubject: test\r\n" +
		"Message-ID: <gtube@example.com>\r\nDate: Mon, 02 Mar 2026 09:30:00 +0100\r\n\r\n" +
		"XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n"
	score, rules := Score(t, []byte(msg))
	if score < 100 {
		t.Errorf("score: got %v, want at least 100 (rules %v)", score, rules)
	}
	found := false
	for _, r := range rules {
		found = found || r == "GTUBE"
	}
	if !found {
		t.Errorf("rules: got %v, want GTUBE among them", rules)
	}
}
