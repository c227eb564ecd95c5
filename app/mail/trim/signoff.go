package trim

import (
	"strings"
	"unicode/utf8"
)

// signOffPhrases are the closing words members write above their name, per
// language, lower case.
var signOffPhrases = map[string][]string{
	"en": {"cheers", "thanks", "thank you", "many thanks", "thanks again", "best", "best regards",
		"best wishes", "kind regards", "regards", "warm regards", "all the best", "love", "see you",
		"take care", "talk soon"},
	"de": {"viele grüße", "liebe grüße", "beste grüße", "herzliche grüße", "grüße", "gruß", "lg", "vg",
		"mfg", "mit freundlichen grüßen", "danke", "bis bald"},
	"fr":    {"cordialement", "bien à vous", "bonne journée", "merci", "à bientôt", "bises", "amitiés"},
	"es":    {"saludos", "un saludo", "un abrazo", "abrazos", "gracias", "atentamente"},
	"it":    {"saluti", "cordiali saluti", "un saluto", "grazie", "a presto"},
	"nl":    {"groeten", "groetjes", "met vriendelijke groet", "hartelijke groet", "bedankt"},
	"pt":    {"abraços", "abraço", "obrigado", "obrigada", "atenciosamente", "beijos"},
	"sv":    {"hälsningar", "vänliga hälsningar", "tack"},
	"da-no": {"mvh", "hilsen", "venlig hilsen", "med vennlig hilsen", "tak", "takk"},
	"fi":    {"terveisin", "ystävällisin terveisin", "kiitos"},
	"pl":    {"pozdrawiam", "pozdrowienia", "dziękuję", "dzięki"},
	"cs":    {"s pozdravem", "díky", "děkuji"},
	"ru":    {"с уважением", "спасибо", "всего доброго"},
}

var signOffs = map[string]bool{}

func init() {
	for _, phrases := range signOffPhrases {
		for _, p := range phrases {
			signOffs[p] = true
		}
	}
}

// maxSignOffLines is how many lines a sign-off spans: the closing words, the name,
// perhaps a second name or a nickname.
const maxSignOffLines = 3

// maxSignOffNameLen bounds the lines under the closing words, which hold a name.
const maxSignOffNameLen = 40

// trailingSignOff returns where a sign-off starts (with the blank lines above it,
// which keep it apart from the member's text) when the reply ends with one
// written right under a quote ("> … Coach Anna" then "Cheers,\nTom"), or -1. Such a
// sign-off is the member's even though it follows the quoted mail, which the rules
// in decide would otherwise take for that mail's own footer.
func trailingSignOff(lines []line, kinds []byte) int {
	end := len(lines)
	for end > 0 && (kinds[end-1] == kindEmpty || kinds[end-1] == kindFooter) {
		end--
	}
	start := end
	for start > 0 && end-start < maxSignOffLines && kinds[start-1] == kindText && !lines[start-1].code {
		start--
	}
	if start == end || start > 0 && kinds[start-1] == kindText {
		return -1
	}
	before := start
	for before > 0 && kinds[before-1] == kindEmpty {
		before--
	}
	if before == 0 || kinds[before-1] != kindQuote || containsKind(kinds[:before], kindDelimiter) {
		return -1
	}
	for i := start; i < end; i++ {
		if !isSignOffLine(lines[i].text, i == start) {
			return -1
		}
	}
	return before
}

// isSignOffLine reports the first line of a sign-off ("Cheers,", "Thanks, Tom",
// "Viele Grüße") or, when first is false, a short line under it holding a name.
func isSignOffLine(s string, first bool) bool {
	t := strings.TrimSpace(s)
	if !first {
		return utf8.RuneCountInString(t) <= maxSignOffNameLen && !strings.ContainsAny(t, ".:?")
	}
	t = strings.ToLower(strings.TrimRight(t, ",.!"))
	if signOffs[t] {
		return true
	}
	// "Thanks, Tom", "Cheers - Tom": the closing words, then a short name.
	if i := strings.IndexAny(t, ",-–"); i > 0 && signOffs[strings.TrimSpace(t[:i])] {
		return utf8.RuneCountInString(t[i:]) <= maxSignOffNameLen
	}
	return false
}
