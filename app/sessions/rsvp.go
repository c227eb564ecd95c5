package sessions

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/emersion/go-ical"
	"github.com/roundtablehq/roundtable/app"
)

// Reply is a calendar app's answer to an invitation (iTIP REPLY, RFC 5546
// 3.2.3): which session (its UID), who answers (the ATTENDEE's address) and
// what (PARTSTAT, as app.RSVPAccepted and friends).
type Reply struct {
	UID      string
	Attendee string // the address, without mailto:
	Answer   string
}

// ParseReply reads an iTIP REPLY. ok is false for anything else: another
// method, no event, no attendee with an answer Roundtable records.
func ParseReply(data []byte) (Reply, bool) {
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		return Reply{}, false
	}
	if m := cal.Props.Get(ical.PropMethod); m == nil || !strings.EqualFold(m.Value, MethodReply) {
		return Reply{}, false
	}
	for _, ev := range cal.Events() {
		uid := ev.Props.Get(ical.PropUID)
		if uid == nil || uid.Value == "" {
			continue
		}
		for _, a := range ev.Props.Values(ical.PropAttendee) {
			answer := partstats[strings.ToUpper(a.Params.Get(ical.ParamParticipationStatus))]
			addr := strings.TrimSpace(a.Value)
			if len(addr) > 7 && strings.EqualFold(addr[:7], "mailto:") {
				addr = addr[7:]
			}
			if answer != "" && strings.Contains(addr, "@") {
				return Reply{UID: uid.Value, Attendee: strings.ToLower(addr), Answer: answer}, true
			}
		}
	}
	return Reply{}, false
}

var partstats = map[string]string{
	"ACCEPTED": app.RSVPAccepted, "DECLINED": app.RSVPDeclined, "TENTATIVE": app.RSVPTentative,
}

// The words of a plain reply to an invitation, in English, French, German and
// Spanish. A refusal or a doubt is looked for anywhere in the first line ("Sorry,
// I can't make it"), an acceptance or a bare "no" only at its start, so "no
// problem, see you there" is a yes.
var (
	declinePhrases = []string{"can't make it", "cannot make it", "can not make it", "can't come", "cannot come", "won't make it",
		"won't be able", "will not be able", "not able to make", "unable to", "can't attend", "cannot attend", "count me out",
		"je ne peux pas", "je ne pourrai pas", "pas disponible", "ne serai pas", "ich kann nicht", "kann leider nicht",
		"kann nicht", "leider nicht", "nicht dabei", "no puedo", "no podré", "no podre", "no estaré", "no estare"}
	maybePhrases = []string{"maybe", "perhaps", "not sure", "might make it", "tentative", "peut-être", "peut etre",
		"vielleicht", "eventuell", "quizás", "quizas", "quizá", "tal vez"}
	acceptStarts = []string{"yes", "yep", "yeah", "yup", "sure", "absolutely", "definitely", "count me in", "i'll be there",
		"i will be there", "i'm in", "see you", "no problem", "no worries", "accept", "oui", "j'y serai", "je serai là",
		"je serai la", "avec plaisir", "ja", "gerne", "bin dabei", "ich bin dabei", "klar", "sí", "claro", "allí estaré",
		"ahí estaré", "alli estare", "ahi estare", "cuenta conmigo", "por supuesto"}
	declineStarts = []string{"no", "nope", "non", "nein", "decline"}
)

// ReadAnswer reads a plain reply's text ("yes", "can't make it", "vielleicht")
// as an answer to an invitation. It reads only short replies whose first line
// says it: anything longer is a message for the coach, not an RSVP.
func ReadAnswer(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 160 {
		return "", false
	}
	line, _, _ := strings.Cut(text, "\n")
	line = normalize(line)
	if line == "" || len(strings.Fields(line)) > 10 {
		return "", false
	}
	for _, p := range declinePhrases {
		if containsWords(line, p) {
			return app.RSVPDeclined, true
		}
	}
	for _, p := range maybePhrases {
		if containsWords(line, p) {
			return app.RSVPTentative, true
		}
	}
	for _, p := range acceptStarts {
		if startsWithWords(line, p) {
			return app.RSVPAccepted, true
		}
	}
	if line == " si " { // Spanish "sí" typed without its accent; never French "si …" ("if …")
		return app.RSVPAccepted, true
	}
	for _, p := range declineStarts {
		if startsWithWords(line, p) {
			return app.RSVPDeclined, true
		}
	}
	return "", false
}

var apostrophes = strings.NewReplacer("’", "'", "‘", "'", "`", "'")

// normalize lower-cases a line, straightens apostrophes and turns punctuation
// and emoji into spaces, so "Yes!!", "YES 👍" and "Can’t make it." read alike.
func normalize(s string) string {
	s = strings.ToLower(apostrophes.Replace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-':
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return " " + strings.Join(strings.Fields(b.String()), " ") + " "
}

func containsWords(line, phrase string) bool {
	return strings.Contains(line, " "+phrase+" ")
}

func startsWithWords(line, phrase string) bool {
	return strings.HasPrefix(line, " "+phrase+" ")
}
