package thread

import (
	"testing"

	"github.com/roundtablehq/roundtable/app/mail/message"
)

func TestReplySubject(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		reply    bool
	}{
		{"Re: Week 3: one habit", "Week 3: one habit", true},
		{"RE: Re: Week 3", "Week 3", true},
		{"AW: Week 3", "Week 3", true},
		{"Re[2]: Week 3", "Week 3", true},
		{"SV: Fwd: Week 3", "Week 3", true},
		{"Week 3: one habit", "Week 3: one habit", false},
		{"Fwd: Week 3", "Fwd: Week 3", false},
		{"回复：第三周", "第三周", true},
		{"回复：第三周：目标", "第三周：目标", true},
		{"R: Settimana 3", "Settimana 3", true},
		{"Vá: 3. hét", "3. hét", true},
		{"ΑΠ: Εβδομάδα 3", "Εβδομάδα 3", true},
		{"Отв: Неделя 3", "Неделя 3", true},
		{"회신: 3주차", "3주차", true},
		{"返信：第3週", "第3週", true},
		{"RE : Semaine 3", "Semaine 3", true},
		{"Odp: PD: Tydzień 3", "Tydzień 3", true},
		{"Week 3 ：notes", "Week 3 ：notes", false},
		{"", "", false},
	} {
		got, reply := ReplySubject(tc.in)
		if got != tc.want || reply != tc.reply {
			t.Errorf("ReplySubject(%q): got %q, %v; want %q, %v", tc.in, got, reply, tc.want, tc.reply)
		}
	}
}

func TestTokensAndCitedIDs(t *testing.T) {
	m := &message.Message{
		To:          []message.Address{{Email: "coach+rt-abcdefghijklmnop@example.com"}, {Email: "coach+news@example.com"}},
		Cc:          []message.Address{{Email: "coach+rt-abcdefghijklmnop@example.com"}},
		DeliveredTo: []string{"coach+rt-qrstuvwxyz234567@example.com"},
		InReplyTo:   []string{"c@x"},
		References:  []string{"a@x", "b@x", "c@x"},
	}
	if got := Tokens(m); len(got) != 2 || got[0] != "abcdefghijklmnop" || got[1] != "qrstuvwxyz234567" {
		t.Fatalf("got %v, want the two tokens once each", got)
	}
	if got := CitedIDs(m); len(got) != 3 || got[0] != "c@x" || got[1] != "b@x" || got[2] != "a@x" {
		t.Fatalf("got %v, want In-Reply-To first, then References newest first", got)
	}
}
