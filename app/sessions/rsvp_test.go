package sessions

import (
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app"
)

func TestReadAnswer(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"Yes", app.RSVPAccepted},
		{"yes!! 👍", app.RSVPAccepted},
		{"Yes, see you Tuesday.\n\nAda", app.RSVPAccepted},
		{"Count me in", app.RSVPAccepted},
		{"No problem, I'll be there", app.RSVPAccepted},
		{"Oui, j'y serai", app.RSVPAccepted},
		{"Ja, bin dabei", app.RSVPAccepted},
		{"Sí, allí estaré", app.RSVPAccepted},
		{"si", app.RSVPAccepted},
		{"No", app.RSVPDeclined},
		{"Sorry, I can't make it this week", app.RSVPDeclined},
		{"Sorry — I can’t make it.", app.RSVPDeclined},
		{"Yes... actually no, I cannot make it", app.RSVPDeclined},
		{"Non, désolée, je ne peux pas", app.RSVPDeclined},
		{"Leider nicht", app.RSVPDeclined},
		{"Nein", app.RSVPDeclined},
		{"Lo siento, no puedo", app.RSVPDeclined},
		{"Maybe", app.RSVPTentative},
		{"Not sure yet, will try", app.RSVPTentative},
		{"Peut-être", app.RSVPTentative},
		{"Vielleicht", app.RSVPTentative},
		{"Tal vez", app.RSVPTentative},
		{"", ""},
		{"Si je peux, je viendrai avec une question sur le pricing.", ""},
		{"Nobody told me about the agenda", ""},
		{"Here is my update for the week: I shipped the thing, I talked to three customers and I am now stuck on pricing, which I would love to discuss in the call if there is time for it.", ""},
		{"Can we move it to Wednesday?", ""},
	} {
		got, ok := ReadAnswer(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ReadAnswer(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}

// reply writes an iTIP REPLY as a calendar app would.
func reply(uid, attendee, partstat string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nMETHOD:REPLY\r\n" +
		"BEGIN:VEVENT\r\nDTSTART:20260303T170000Z\r\nDTEND:20260303T180000Z\r\nDTSTAMP:20260301T100000Z\r\n" +
		"ORGANIZER;CN=Coach Carter:mailto:coach@example.com\r\nUID:" + uid + "\r\n" +
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=" + partstat + ";CN=Ada Lovelace;X-NUM-GUESTS=0:mailto:" + attendee + "\r\n" +
		"SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nSUMMARY:Mastermind call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
}

func TestParseReply(t *testing.T) {
	r, ok := ParseReply(reply("rt-session-1@example.com", "Ada@Example.org", "ACCEPTED"))
	if !ok || r.UID != "rt-session-1@example.com" || r.Attendee != "ada@example.org" || r.Answer != app.RSVPAccepted {
		t.Fatalf("got %+v %v", r, ok)
	}
	if r, ok := ParseReply(reply("u@x", "ada@example.org", "DECLINED")); !ok || r.Answer != app.RSVPDeclined {
		t.Errorf("declined: %+v %v", r, ok)
	}
	if _, ok := ParseReply(reply("u@x", "ada@example.org", "NEEDS-ACTION")); ok {
		t.Errorf("NEEDS-ACTION read as an answer")
	}
	// Our own REQUEST is no answer.
	req, _ := Calendar(Invite{Method: MethodRequest, Session: app.Session{UID: "u@x", Title: "x", TimeZone: "UTC",
		Start: time.Now(), Minutes: 30}, Organizer: coach, Attendee: ada, Stamp: time.Now()})
	if _, ok := ParseReply(req); ok {
		t.Errorf("a REQUEST read as a REPLY")
	}
	if _, ok := ParseReply([]byte("not a calendar")); ok {
		t.Errorf("garbage read as a REPLY")
	}
}

func FuzzReadAnswer(f *testing.F) {
	for _, s := range []string{"yes", "no", "can't make it", "peut-être", "Nein danke"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ReadAnswer(s)
		if ok != (got != "") {
			t.Fatalf("ReadAnswer(%q) = %q, %v", s, got, ok)
		}
		if ok && len([]rune(s)) > 200 {
			t.Fatalf("a long message (%d runes) read as an RSVP", len([]rune(s)))
		}
	})
}
