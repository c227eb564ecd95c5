package classify

import (
	"strconv"
	"strings"
	"time"

	"github.com/roundtablehq/roundtable/app/internal/lazyre"
)

// maxAwayScan bounds the out-of-office text searched for a return date; the date
// is always in the first lines.
const maxAwayScan = 4 << 10

// returnWords introduce the date a person is back, or the last day away, in the
// languages of oooPhrases.
var returnWords = lazyre.New(`(?i)(back (on|in the office on|at work on)?|return(ing)? (on|to the office on)?|returns? on|zurück (am|ab)?|ab dem|wieder (am|ab)|retour (le)?|de retour (le)?|regreso (el)?|vuelvo (el)?|rientro (il)?|rientrerò (il)?|terug (op)?|weer aanwezig (op)?|retorno (em|no dia)?|volto (em|no dia)?|tillbaka( den)?|tilbage( den)?|wracam)\s*`)

// untilWords introduce the last day away; they are read when no return date is
// stated.
var untilWords = lazyre.New(`(?i)(until|till|through|thru|bis( zum| am| einschließlich)?|jusqu'au|jusqu’au|hasta (el)?|fino al|tot (en met)?|até (dia|ao dia)?|till och med|indtil|do dnia)\s*`)

var months = map[string]time.Month{}

func init() {
	names := [][]string{
		{"january", "jan", "janvier", "janv", "januar", "jän", "enero", "ene", "gennaio", "gen", "januari", "janeiro", "styczeń", "stycznia", "januári"},
		{"february", "feb", "février", "fevrier", "févr", "februar", "febrero", "febbraio", "februari", "fevereiro", "fev", "lutego", "luty"},
		{"march", "mar", "mars", "märz", "marz", "marzo", "maart", "março", "marco", "mars", "marca", "marzec"},
		{"april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień"},
		{"may", "mai", "mayo", "maggio", "mag", "mei", "maio", "maj", "maja"},
		{"june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec"},
		{"july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho", "lipca", "lipiec"},
		{"august", "aug", "août", "aout", "agosto", "ago", "augustus", "augusti", "sierpnia", "sierpień"},
		{"september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "września", "wrzesień"},
		{"october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out", "października", "październik"},
		{"november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad"},
		{"december", "dec", "décembre", "decembre", "déc", "dezember", "dez", "diciembre", "dic", "dicembre", "dezembro", "grudnia", "grudzień"},
	}
	for i, list := range names {
		for _, n := range list {
			months[n] = time.Month(i + 1)
		}
	}
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

const (
	wordRE  = `\p{L}+\.?`
	dayRE   = `(\d{1,2})(?:st|nd|rd|th|er|\.|º|°)?`
	yearRE  = `(\d{4})`
	dateSep = `[ \t,]+(?:de[ \t]+)?`
)

var (
	isoDate = lazyre.New(`^(?:` + wordRE + `[ ,]+)?(\d{4})-(\d{2})-(\d{2})\b`)
	// numeric dates: 12/03/2026, 12.03.2026, 3.12.
	numDate = lazyre.New(`^(?:` + wordRE + `[ ,]+)?(\d{1,2})([./-])(\d{1,2})(?:[./-](\d{4}|\d{2}))?\b`)
	// "2 December", "2nd of December 2026", "2. Dezember", "2 de diciembre de 2026", "Monday, 7 December"
	dayMonth = lazyre.New(`^(?:(` + wordRE + `)[ ,]+)?(?:the[ \t]+)?` + dayRE + `(?:[ \t]+of)?` + dateSep + `(` + wordRE + `)(?:` + dateSep + yearRE + `)?`)
	// "December 7", "Monday, December 7th, 2026"
	monthDay = lazyre.New(`^(?:(` + wordRE + `)[ ,]+)?(` + wordRE + `)[ \t]+` + dayRE + `\b(?:,?[ \t]+` + yearRE + `)?`)
)

// awayUntil reads the return date an out-of-office text states right after a
// return word ("back on 2 December", "until 12/03/2026"). It is conservative: a
// date it cannot place for certain (an ambiguous 03/04, a date in the past or
// more than a year ahead, a weekday that does not match) gives zero.
func awayUntil(text string, sent time.Time) time.Time {
	if sent.IsZero() {
		return time.Time{}
	}
	if len(text) > maxAwayScan {
		text = text[:maxAwayScan]
	}
	for _, words := range []*lazyre.Regexp{returnWords, untilWords} {
		for _, loc := range words.FindAllStringIndex(text, 20) {
			if t, ok := dateAt(text[loc[1]:], sent); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// dateAt reads a date at the start of s.
func dateAt(s string, sent time.Time) (time.Time, bool) {
	if len(s) > 80 {
		s = s[:80]
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		return checked(y, mo, d, sent, -1)
	}
	if m := numDate.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		y := year(m[4])
		dm, okDM := checked(y, b, a, sent, -1)
		md, okMD := checked(y, a, b, sent, -1)
		switch {
		case m[2] == ".":
			return dm, okDM // dots are always day.month
		case okDM && okMD && !dm.Equal(md):
			return time.Time{}, false // 03/04: cannot tell which
		case okDM:
			return dm, true
		default:
			return md, okMD
		}
	}
	if m := dayMonth.FindStringSubmatch(s); m != nil {
		if mo, ok := monthName(m[3]); ok {
			d, _ := strconv.Atoi(m[2])
			return checked(year(m[4]), int(mo), d, sent, weekday(m[1]))
		}
	}
	if m := monthDay.FindStringSubmatch(s); m != nil {
		if mo, ok := monthName(m[2]); ok {
			d, _ := strconv.Atoi(m[3])
			return checked(year(m[4]), int(mo), d, sent, weekday(m[1]))
		}
	}
	return time.Time{}, false
}

func monthName(w string) (time.Month, bool) {
	mo, ok := months[strings.TrimSuffix(strings.ToLower(w), ".")]
	return mo, ok
}

func weekday(w string) time.Weekday {
	if d, ok := weekdays[strings.TrimSuffix(strings.ToLower(w), ".")]; ok {
		return d
	}
	return -1
}

// year reads a 2- or 4-digit year, 0 when absent.
func year(s string) int {
	if s == "" {
		return 0
	}
	y, _ := strconv.Atoi(s)
	if y < 100 {
		y += 2000
	}
	return y
}

// checked builds the date and accepts it only if it is real and plausible: from
// two days before the message up to a year after it. A missing year is the
// message's, or the next one when the date has passed ("back on 3 January" sent
// in December). wd, when not -1, must be the date's weekday.
func checked(y, mo, d int, sent time.Time, wd time.Weekday) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	loc := sent.Location()
	sentDay := time.Date(sent.Year(), sent.Month(), sent.Day(), 0, 0, 0, 0, loc)
	build := func(y int) (time.Time, bool) {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
		if t.Day() != d { // 31 November
			return time.Time{}, false
		}
		return t, true
	}
	var t time.Time
	var ok bool
	if y == 0 {
		t, ok = build(sent.Year())
		if ok && t.Before(sentDay.AddDate(0, 0, -2)) {
			t, ok = build(sent.Year() + 1)
		}
	} else {
		t, ok = build(y)
	}
	if !ok || t.Before(sentDay.AddDate(0, 0, -2)) || t.After(sentDay.AddDate(1, 0, 0)) {
		return time.Time{}, false
	}
	if wd >= 0 && t.Weekday() != wd {
		return time.Time{}, false
	}
	return t, true
}
