package trim

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app/internal/lazyre"
)

// line is one line of the body after normalisation. code marks lines inside a fenced
// code block (``` or ~~~), which are always the member's text: a ">" or "--" there is
// code, not quoting.
type line struct {
	text string
	code bool
}

// prepare normalises line endings and trailing white space, marks fenced code,
// rewrites usenet-style quote prefixes ("Richard> ", "| ") to "> ", and joins
// attribution lines that a mail client wrapped over several lines.
func prepare(body string) []line {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	raw := strings.Split(body, "\n")
	lines := make([]line, len(raw))
	for i, s := range raw {
		lines[i].text = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	markCode(lines)
	for i := range lines {
		if !lines[i].code {
			lines[i].text = normaliseQuotePrefix(lines[i].text)
		}
	}
	return joinAttributions(splitGlued(lines))
}

// maxGluedLen bounds the lines searched for glued history: the member's last
// sentence and a flattened header block fit well within it.
const maxGluedLen = 1000

// gluedRule is the shortest rule of underscores split off the end of a line.
const gluedRule = "____________________"

// maxGluedTries bounds how many sentence ends of a line are tried as the place
// where an attribution was glued on, so that a line of many short sentences
// costs little.
const maxGluedTries = 4

// splitGlued puts quoted history that a client glued onto the end of the member's
// last line on a line of its own, as HTML-to-text conversion does with
// "Thanks!-----Original Message-----", "I'm in.On Tue, … wrote:" and an Outlook
// header block flattened to "Works for me. From: … Sent: … To: … Subject: …".
func splitGlued(lines []line) []line {
	var out []line
	for i, l := range lines {
		at := -1
		if !l.code {
			at = gluedAt(l.text)
		}
		if at < 0 {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = append(make([]line, 0, len(lines)+1), lines[:i]...)
		}
		out = append(out, line{text: strings.TrimRightFunc(l.text[:at], unicode.IsSpace)}, line{text: l.text[at:]})
	}
	if out == nil {
		return lines
	}
	return out
}

// gluedAt returns where glued history starts in s, or -1: a separator after any
// text, or an attribution or flattened header block after the end of a sentence.
func gluedAt(s string) int {
	if len(s) > maxGluedLen || isQuote(s) {
		return -1
	}
	if i := strings.Index(s, "---"); i > 0 && hasWord(s[:i]) && (isMarker(s[i:]) || isAttribution(s[i:])) {
		return i
	}
	// Outlook's rule of underscores (32 of them), with the header block on the lines
	// below; a shorter run is a blank to fill in ("Name: ________").
	if i := strings.Index(s, gluedRule); i > 0 && hasWord(s[:i]) && strings.Trim(s[i:], "_ ") == "" {
		return i
	}
	// Attributions and header blocks hold a colon: most lines have none and are
	// done with here.
	if !hasColon(s) {
		return -1
	}
	tries, whole := 0, 0 // whole: 0 not known yet, 1 an attribution, -1 not one
	for k := 1; k < len(s) && tries < maxGluedTries; k++ {
		if s[k-1] != '.' && s[k-1] != '!' && s[k-1] != '?' {
			continue
		}
		rest := strings.TrimLeft(s[k:], " ")
		if rest == "" {
			return -1
		}
		if !opensLikeAttribution(rest) && !maybeHeaderLine(rest) {
			continue
		}
		tries++
		// A whole line that reads as an attribution is split only after words
		// without digits: the dots in "пн, 4 мар. 2024 г. в 09:15, Anna <a@b>:"
		// end abbreviations of its date, not the member's sentence. A capital
		// after the sentence end starts a new one ("See you at 5. On Tue, …
		// wrote:"): a date's abbreviations are followed by digits or lower case.
		if strings.ContainsAny(s[:k], "0123456789") && !startsUpper(rest) {
			if whole == 0 {
				whole = -1
				if isAttribution(s) {
					whole = 1
				}
			}
			if whole > 0 {
				continue
			}
		}
		if isAttribution(rest) || isFlatHeaders(rest) {
			return len(s) - len(rest)
		}
	}
	return gluedAttributionAt(s)
}

// gluedAttributionAt returns where an attribution starts in s after the member's
// words with no sentence end between them ("Works for me On Tue, … wrote:"), or
// -1. The line must end like an attribution and must not open like one; the
// attribution must open with a capital, as a sentence does ("On", "Le", "Am");
// and the words before it must hold no address, digit or "wrote", which would
// make them part of it ("Anna Smith <a@b> wrote on …", "Anna 于2024年…").
func gluedAttributionAt(s string) int {
	if !endsWithColon(s) || len(s) > maxAttributionLen || opensLikeAttribution(s) {
		return -1
	}
	tries := 0
	for k := strings.IndexByte(s, ' '); k > 0 && tries < maxGluedTries; {
		before, rest := s[:k], s[k+1:]
		if strings.IndexByte(before, '@') >= 0 || wroteAt(before) >= 0 {
			return -1
		}
		if startsUpper(rest) && opensLikeAttribution(rest) {
			tries++
			if hasWord(before) && isAttribution(rest) {
				return k + 1
			}
		}
		next := strings.IndexByte(rest, ' ')
		if next < 0 {
			break
		}
		k += 1 + next
	}
	return -1
}

// startsUpper reports s starting with a capital letter, as a sentence does.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// hasWord reports a letter or digit in s: "*" before "-----Original Message-----"
// is decoration, "Thanks!" is the member's.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// maybeHeaderLine is isHeaderLine for a line with its colon near the start only,
// which spares the lookup for the rest of a sentence.
func maybeHeaderLine(s string) bool {
	head := s[:min(len(s), maxHeaderName+8)]
	return hasColon(head) && isHeaderLine(s)
}

// hasColon reports an ASCII or a full-width colon in s. (strings.ContainsAny with
// a non-ASCII set walks s rune by rune, which showed in profiles.)
func hasColon(s string) bool {
	return strings.IndexByte(s, ':') >= 0 || strings.Contains(s, "：")
}

// minFlatHeaders is how many header fields a line must hold to be a header block
// flattened onto one line.
const minFlatHeaders = 3

// isFlatHeaders reports an Outlook header block flattened onto one line: "From:
// Anna <a@b> Sent: Tuesday, … To: Tom Subject: Tuesday".
func isFlatHeaders(s string) bool {
	if len(s) > maxGluedLen || !isHeaderLine(s) {
		return false
	}
	n := 0
	for _, w := range strings.Fields(s) {
		name, ok := strings.CutSuffix(strings.Trim(w, "*_"), ":")
		if ok && headerNames[strings.ToLower(name)] {
			n++
		}
	}
	return n >= minFlatHeaders
}

// markCode flags the lines of every closed fenced code block. An unclosed fence
// protects nothing, so a stray ``` cannot keep a whole quoted history as text.
func markCode(lines []line) {
	open := -1
	for i := range lines {
		if !isFence(lines[i].text) {
			continue
		}
		if open < 0 {
			open = i
			continue
		}
		for j := open; j <= i; j++ {
			lines[j].code = true
		}
		open = -1
	}
}

func isFence(s string) bool {
	s = strings.TrimLeft(s, " ")
	return strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~")
}

// normaliseQuotePrefix rewrites the quote marks of newsreaders and older mailers,
// "Richard> text", "C>" and "| text", to "> ". A line with more than one bar is a
// table, not a quote.
func normaliseQuotePrefix(s string) string {
	n := 0
	for n < len(s) && n <= 20 && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z') {
		n++
	}
	switch {
	case n > 0 && n <= 20 && n < len(s) && s[n] == '>' && (n+1 == len(s) || isASCIISpace(s[n+1])):
		return s[n:]
	case n == 0 && len(s) > 0 && s[0] == '|' && (len(s) == 1 || isASCIISpace(s[1])) && strings.Count(s, "|") == 1:
		return ">" + s[1:]
	}
	return s
}

func isASCIISpace(b byte) bool {
	return b == ' ' || b == '\t'
}

// maxJoinedNewlines bounds how many line breaks a wrapped attribution may span
// (blank lines included), as Gmail wraps "On …, Name <\naddress> wrote:".
const maxJoinedNewlines = 4

// joinAttributions merges an attribution that was wrapped over several lines back
// into one line, so that it is recognised and elided as a whole. The pieces are
// joined with one space; continuation lines lose their leading white space.
func joinAttributions(lines []line) []line {
	out := lines[:0:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l.code || !mayStartAttribution(l.text) || isAttribution(l.text) && !unclosedAddress(l.text) {
			out = append(out, l)
			continue
		}
		joined, end := l.text, -1
		for j := i + 1; j < len(lines) && j-i <= maxJoinedNewlines; j++ {
			next := lines[j]
			if next.code {
				break
			}
			if isBlank(next.text) {
				continue
			}
			piece := strings.TrimLeftFunc(next.text, unicode.IsSpace)
			if len(piece) > maxAttributionLen || opensAttribution(piece) {
				break
			}
			joined += " " + piece
			if isAttribution(joined) {
				end = j
				break
			}
		}
		if end < 0 {
			out = append(out, l)
			continue
		}
		out = append(out, line{text: joined})
		i = end
	}
	return out
}

// opensAttribution reports a line that begins an attribution of its own, so that a
// wrapped attribution above it is not joined onto it.
func opensAttribution(s string) bool {
	t := stripLead(s)
	return isMarker(s) || opensLikeAttribution(t) || startsWithISODate.MatchString(t)
}

// unclosedAddress reports a line that ends inside "<…>": the attribution goes on
// below even if its first line already reads as one.
func unclosedAddress(s string) bool {
	return strings.LastIndexByte(s, '<') > strings.LastIndexByte(s, '>')
}

func isBlank(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}

// classify gives every line its kind (see the kind constants in trim.go).
func classify(lines []line) []byte {
	kinds := make([]byte, len(lines))
	header := make([]string, len(lines))
	for i, l := range lines {
		s := l.text
		switch {
		case l.code:
			kinds[i] = kindText
		case isBlank(s):
			kinds[i] = kindEmpty
		case isDelimiter(s, i == 0 || isBlank(lines[i-1].text)):
			kinds[i] = kindDelimiter
		case isFooter(s):
			kinds[i] = kindFooter
		case isAttribution(s):
			kinds[i] = kindMarker
		case isQuote(s):
			kinds[i] = kindQuote
		case isFlatHeaders(s):
			kinds[i] = kindMarker
		default:
			kinds[i] = kindText
			header[i] = headerField(s)
		}
	}
	markLinkLines(lines, kinds)
	unmarkDecorativeRules(lines, kinds, header)
	markHeaderBlocks(lines, kinds, header)
	markRulesAboveHeaders(lines, kinds)
	markAttributionsAboveQuotes(lines, kinds)
	return kinds
}

// markRulesAboveHeaders gives a short rule right above a header block ("---",
// "___", after at most one blank line) to the block: it is what an HTML mail's
// <hr> becomes in text, and Outlook puts one above the quoted mail's From:,
// Sent:, To: and Subject: when it writes HTML only.
func markRulesAboveHeaders(lines []line, kinds []byte) {
	for i := range lines {
		if kinds[i] != kindHeader || i == 0 || kinds[i-1] == kindHeader {
			continue
		}
		j := i - 1
		if kinds[j] == kindEmpty && j > 0 {
			j--
		}
		if kinds[j] == kindText && !lines[j].code && isShortRule(lines[j].text) {
			kinds[j] = kindHeader
		}
	}
}

// isShortRule reports a line of three or more dashes, underscores or equals
// signs and nothing else (a longer one is a delimiter of its own).
func isShortRule(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) >= 3 && (strings.Trim(t, "-") == "" || strings.Trim(t, "_") == "" || strings.Trim(t, "=") == "")
}

// maxShortAttributionWords bounds the words before "wrote:" in an attribution
// known only by the quote under it: a name, perhaps with a title.
const maxShortAttributionWords = 6

// markAttributionsAboveQuotes marks the attributions that only their place
// gives away: "Anna Smith wrote:" (old Thunderbird, webmail, mailing lists) or
// mutt's "* Anna <anna@…> [2026-12-01 09:04]:", which hold no date or no
// closing phrase a line alone can be judged by. Such a line counts when the
// quote right under it (after at most one blank line) runs to the end of the
// message; a member quoting someone in the middle of their own words ("My
// sister wrote:", a quote, then more of theirs) keeps the line.
func markAttributionsAboveQuotes(lines []line, kinds []byte) {
	lastText := bytes.LastIndexByte(kinds, kindText)
	for i := range lines {
		if kinds[i] != kindText || lines[i].code || !endsWithColon(lines[i].text) || !looksLikeShortAttribution(lines[i].text) {
			continue
		}
		j := i + 1
		if j < len(lines) && kinds[j] == kindEmpty {
			j++
		}
		if j >= len(lines) || kinds[j] != kindQuote {
			continue
		}
		if j > lastText { // the quote runs to the end: no text of the member's after it
			kinds[i] = kindMarker
		}
	}
}

// looksLikeShortAttribution reports "Name wrote:" in any of the languages
// known, or a line that names an address in angle brackets and ends in a colon.
func looksLikeShortAttribution(s string) bool {
	t := strings.TrimSpace(strings.TrimLeft(s, "* "))
	if len(t) > maxAttributionLen {
		return false
	}
	if angleAddress.MatchString(t) {
		return true
	}
	at := wroteAt(t)
	if at <= 0 {
		return false
	}
	before := strings.TrimSpace(t[:at])
	words := len(strings.FieldsFunc(before, unicode.IsSpace))
	return words > 0 && words <= maxShortAttributionWords && !writtenBySelf(before) &&
		!strings.ContainsAny(before, ".!?")
}

// isDashRule reports a line of ten or more dashes and nothing else.
func isDashRule(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) >= 10 && strings.Trim(t, "-") == ""
}

// unmarkDecorativeRules gives dash rules back to the member's text when they
// decorate it: a pair of rules with only the member's lines between them frames a
// part of the message (a plan, a list), and a rule with the member's sign-off below
// it ("Thanks, Tom") divides a message that goes on. A lone rule above a signature
// or a header block still ends the message.
func unmarkDecorativeRules(lines []line, kinds []byte, header []string) {
	for i := 0; i < len(lines); i++ {
		if kinds[i] != kindDelimiter || !isDashRule(lines[i].text) {
			continue
		}
		text, signOff := false, false
		j := i + 1
		for ; j < len(lines) && header[j] == "" && (kinds[j] == kindText || kinds[j] == kindEmpty); j++ {
			if isDashRule(lines[j].text) {
				break
			}
			text = text || kinds[j] == kindText
			signOff = signOff || kinds[j] == kindText && isSignOffLine(lines[j].text, true)
		}
		switch {
		case j < len(lines) && isDashRule(lines[j].text) && text:
			kinds[i], kinds[j] = kindText, kindText
			i = j
		case signOff:
			kinds[i] = kindText
		}
	}
}

// markLinkLines gives a line that is nothing but a link, or the wrapped end of
// one, the kind of what is around it: between two quoted lines it is a piece of
// the quote that HTML-to-text conversion or wrapping broke off; right under a
// mobile footer it is the footer's own link.
func markLinkLines(lines []line, kinds []byte) {
	for i := 1; i < len(lines); i++ {
		if kinds[i] != kindText || lines[i].code || !isLinkLine(lines[i].text) {
			continue
		}
		switch {
		case kinds[i-1] == kindFooter:
			kinds[i] = kindFooter
		case kinds[i-1] == kindQuote && i+1 < len(lines) && kinds[i+1] == kindQuote:
			kinds[i] = kindQuote
		}
	}
	// A link between quoted lines with the quote mark wrapped to its end
	// (" (https://example.com/c/abc) >"): HTML-to-text conversion moved the ">".
	for i := 1; i+1 < len(lines); i++ {
		t := strings.TrimSpace(lines[i].text)
		if kinds[i] == kindText && !lines[i].code && kinds[i-1] == kindQuote && kinds[i+1] == kindQuote &&
			strings.HasSuffix(t, " >") && isLinkLine(strings.TrimSuffix(t, " >")) {
			kinds[i] = kindQuote
		}
	}
	// The rest of a quoted link that the client wrapped onto an unquoted line
	// ("> Read https://example.com/energy-" then "audit?utm=news").
	for i := 1; i+1 < len(lines); i++ {
		if kinds[i] == kindText && !lines[i].code && kinds[i-1] == kindQuote && kinds[i+1] == kindQuote &&
			endsWithLink(lines[i-1].text) && !strings.ContainsAny(strings.TrimSpace(lines[i].text), " \t") {
			kinds[i] = kindQuote
		}
	}
}

// endsWithLink reports a line whose last word is a URL.
func endsWithLink(s string) bool {
	last := s[strings.LastIndexAny(s, " \t")+1:]
	return strings.Contains(last, "://")
}

func isQuote(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, " \t"), ">")
}

// isDelimiter reports a line after which everything is a signature or somebody
// else's mail: the usenet "-- ", Outlook's rule of underscores, a long rule of
// dashes (only after a blank line, since under a line of text it is a Markdown
// heading), and the invisible mark Gmail add-ons put at the end of a message.
func isDelimiter(s string, afterBlank bool) bool {
	t := strings.TrimSpace(s)
	switch {
	case t == "--" || t == "\u1427":
		return true
	case len(t) >= 5 && strings.Trim(t, "_") == "":
		return true
	case len(t) >= 10 && strings.Trim(t, "-") == "":
		return afterBlank
	}
	return false
}

// maxFooterLen is the longest line taken for a mobile footer: the real ones are
// short, and a long sentence that happens to start "Sent from" is the member's.
const maxFooterLen = 200

// footerLines are the footers that do not open with a verb and a preposition (see
// footerOpenings).
var footerLines = []*lazyre.Regexp{
	// Von meinem iPhone gesendet, Von meinem Mobilgerät gesendet.
	lazyre.New(`(?i)^von\s+meine[mnr]?\s.{1,80}\s(?:gesendet|versendet|verschickt)\.?$`),
	// Diese Nachricht wurde von meinem Android-Mobiltelefon mit K-9 Mail gesendet.
	lazyre.New(`(?i)^diese nachricht wurde (?:von|mit) .{1,100} (?:gesendet|versendet|verschickt)\.?$`),
	// From my iPhone, Someone from mobile. What may follow the device is a short
	// name (Samsung Galaxy smartphone), not a sentence: "Writing from my phone
	// account: count me in!" is the member's.
	lazyre.New(`(?i)^(?:\S+\s+)?from\s+(?:my\s+)?(?:mobile|phone|cell|cellphone|smartphone|iphone|ipad|android|tablet|blackberry|galaxy|samsung)\b[^.!?:;,]{0,40}\.?$`),
	// Lähetetty iPhonesta, Lähetetty Android-laitteesta (Finnish: no preposition).
	lazyre.New(`(?i)^lähetetty\s+\S{1,40}(?:sta|stä)$`),
	// iPhone'umdan gönderildi, Samsung cihazımdan gönderildi (Turkish: verb last).
	lazyre.New(`(?i)^\S.{0,40}(?:dan|den|tan|ten)\s+gönderildi\.?$`),
	// Get Outlook for iOS, Get [Outlook for Android](https://aka.ms/...), and the
	// same in the languages of Outlook's mobile apps: Obtenir Outlook pour iOS,
	// Obtener Outlook para Android, Ottieni Outlook per iOS, Obter o Outlook para
	// iOS, Outlook für iOS herunterladen, Outlook voor Android downloaden.
	// Also Descargar, Télécharger, Scarica, Hent (… til iOS), Skaffa (… för
	// iOS), and Japanese "Outlook for Android を入手".
	lazyre.New(`(?i)^(?:get|download|obtenir|obtener|descargar|télécharger|ottieni|scarica|obter o|hent|skaffa)\s+\[?outlook\s+(?:for|pour|para|per|til|för)\s+(?:ios|android)`),
	lazyre.New(`(?i)^outlook\s+(?:für|voor)\s+(?:ios|android)\s+(?:herunterladen|downloaden)$`),
	lazyre.New(`(?i)^outlook\s+for\s+(?:ios|android)\S*\s*を入手$`),
	// Get BlueMail for Android, Get Spark for iOS: the other mail apps' own
	// invitations, named (a member recommending any app keeps their line).
	lazyre.New(`(?i)^(?:get|download)\s+(?:bluemail|spark|newton|edison mail|typeapp|aqua mail|mymail|yahoo mail|aol)\s+for\s+(?:ios|android|iphone|windows|mac)\.?$`),
	// 從我的 iPhone 傳送, 从我的iPhone发送, iPhoneから送信, 나의 iPhone에서 보냄.
	lazyre.New(`^(?:從我的|从我的|來自我的|来自我的)\s*\S.{0,40}(?:傳送|发送|發送)$`),
	// 发自我的iPhone (NetEase, QQ Mail).
	lazyre.New(`^发自我的\s*\S.{0,40}$`),
	lazyre.New(`^\S.{0,40}から送信$`),
	lazyre.New(`^\S.{0,40}에서 보냄$`),
}

// isFooter reports a mobile mail client's footer such as "Sent from my iPhone",
// also when wrapped in (…), <<…>> or […].
func isFooter(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) > maxFooterLen {
		return false
	}
	for _, pair := range [][2]string{{"<<", ">>"}, {"(", ")"}, {"[", "]"}, {"*", "*"}, {"_", "_"}} {
		if len(t) > len(pair[0])+len(pair[1]) && strings.HasPrefix(t, pair[0]) && strings.HasSuffix(t, pair[1]) {
			t = strings.TrimSpace(t[len(pair[0]) : len(t)-len(pair[1])])
		}
	}
	if !footerCandidate(t) {
		return false
	}
	t = trimTrailingLink(t)
	shape := t
	if m := brief.FindStringIndex(t); m != nil {
		shape = t[:m[0]]
	}
	if !footerShaped(shape) {
		return false
	}
	if opensFooter(t) {
		return true
	}
	for _, re := range footerLines {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}

// opensFooter reports t opening with a footer's verb and preposition in one
// language and going on with a device or app: "Sent from my iPhone", "Inviato da
// iPhone", "Отправлено с iPhone".
func opensFooter(t string) bool {
	words := strings.Fields(t)
	if len(words) < 3 {
		return false
	}
	verb, prep := strings.ToLower(words[0]), strings.ToLower(words[1])
	for _, o := range footerOpenings {
		if slices.Contains(o.verbs, verb) && slices.Contains(o.preps, prep) {
			return true
		}
	}
	return false
}

// maxFooterWords is the most words a footer has once its link is set aside
// ("Sent via the Samsung Galaxy S23, an AT&T 5G smartphone" has nine).
const maxFooterWords = 10

// footerShaped reports a line short enough, and free enough of a sentence's
// punctuation (an exclamation mark may end it: "please excuse typos!"), to be a
// footer: "Sent from my phone on the train, so short answer: yes, Saturday works."
// starts like one but is the member's answer.
func footerShaped(t string) bool {
	if strings.Contains(t, "://") {
		t = anyLink.ReplaceAllString(t, "")
	}
	return len(strings.Fields(t)) <= maxFooterWords && !strings.ContainsAny(strings.TrimRight(t, "!"), ":?!")
}

// brief is the apology some footers end with ("Sent from my Android device
// with K-9 Mail. Please excuse my brevity."), set aside before counting words.
var brief = lazyre.New(`(?i)\.?\s+please excuse (?:my|the) (?:brevity|typos)(?: and (?:any )?(?:typos|brevity))?\.?$`)

// anyLink is a URL anywhere in a line, up to the bracket that closes it.
var anyLink = lazyre.New(`https?://[^\s<>()\[\]]*`)

// trimTrailingLink drops the link that ends "Sent from Yahoo Mail on
// Android<https://…>", "Get Outlook for Android <https://aka.ms/…>" or "Get
// Outlook for iOShttps://aka.ms/…", with the bracket around it.
func trimTrailingLink(t string) string {
	i := strings.LastIndex(t, "://")
	if i < 0 || strings.ContainsAny(t[i:], " \t") {
		return t
	}
	start := i - len("http")
	switch {
	case start >= 1 && t[start-1:i] == "https":
		start--
	case start >= 0 && t[start:i] == "http":
	default:
		return t
	}
	if start > 0 && (t[start-1] == '<' || t[start-1] == '(') {
		start--
	}
	return strings.TrimRightFunc(t[:start], unicode.IsSpace)
}

// isLinkLine reports a line that is nothing but a URL, bare or in <…>, […] or (…),
// or Gmail's "[image: …]" placeholder: HTML-to-text conversion puts a link or an
// image on a line of its own, which may break a run of quoted lines or follow a
// footer.
func isLinkLine(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) > 2 && strings.ContainsRune("<[(", rune(t[0])) && strings.ContainsRune(">])", rune(t[len(t)-1])) {
		t = t[1 : len(t)-1]
		if strings.HasPrefix(t, "image:") {
			return true
		}
	}
	return !strings.ContainsAny(t, " \t") && (strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "mailto:"))
}

// footerWords are the first words a mobile footer can start with, lower case.
var footerWords = map[string]bool{}

// footerInitials are the first letters of footerWords: a cheap test that spares
// most lines a lower-casing.
var footerInitials = map[rune]bool{}

func init() {
	words := strings.Fields("lähetetty von diese from get download obtenir obtener descargar télécharger ottieni scarica obter hent skaffa outlook")
	for _, o := range footerOpenings {
		words = append(words, o.verbs...)
	}
	for _, w := range words {
		footerWords[w] = true
		r, _ := utf8.DecodeRuneInString(w)
		footerInitials[r] = true
	}
}

// footerCandidate is a cheap test that lets most lines skip the footer expressions.
func footerCandidate(t string) bool {
	first, second := t, ""
	if i := strings.IndexFunc(t, unicode.IsSpace); i >= 0 {
		first = t[:i]
		second = strings.TrimLeftFunc(t[i:], unicode.IsSpace)
		if j := strings.IndexFunc(second, unicode.IsSpace); j >= 0 {
			second = second[:j]
		}
	}
	if r, _ := utf8.DecodeRuneInString(first); len(first) <= 24 && footerInitials[unicode.ToLower(r)] &&
		footerWords[strings.ToLower(first)] || strings.EqualFold(second, "from") {
		return true
	}
	if strings.HasPrefix(t, "发自我的") {
		return true
	}
	for _, cjk := range []string{"から送信", "에서 보냄", "傳送", "发送", "發送", "gönderildi"} {
		if strings.HasSuffix(t, cjk) {
			return true
		}
	}
	return false
}

// maxAttributionLen is the longest line taken for an attribution. Real ones,
// even with a long name and a <mailto:> link, are far shorter; the bound also keeps
// the work per line small on hostile input.
const maxAttributionLen = 400

// wroteAt returns where a closing "wrote" verb starts in t (its colon already
// allowed for), or -1.
func wroteAt(t string) int {
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	t = strings.TrimSuffix(strings.TrimSuffix(t, ":"), "：")
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	for _, v := range wroteJoined {
		if strings.HasSuffix(t, v) {
			return len(t) - len(v)
		}
	}
	if len(t) == 0 || !wroteFinals[t[len(t)-1]] {
		return -1
	}
	for _, v := range wroteWords {
		start := len(t) - len(v)
		if start < 0 || !strings.EqualFold(t[start:], v) {
			continue
		}
		if start == 0 {
			return 0
		}
		if r, _ := utf8.DecodeLastRuneInString(t[:start]); unicode.IsSpace(r) || strings.ContainsRune("\"'>)]»", r) {
			return start
		}
	}
	return -1
}

// hasWroteBeforeName reports "schrieb", "skrev"... standing as a word inside t.
// It runs on most lines with a digit, so it neither allocates nor lower-cases t.
func hasWroteBeforeName(t string) bool {
	for i := 0; i < len(t); i++ {
		if i > 0 && !isASCIISpace(t[i-1]) || !wroteBeforeInitials[t[i]] {
			continue
		}
		for _, v := range wroteBeforeName {
			end := i + len(v)
			if end <= len(t) && (end == len(t) || isASCIISpace(t[end])) && strings.EqualFold(t[i:end], v) {
				return true
			}
		}
	}
	return false
}

// namedAfterWrote reports a before-name verb ("schrieb", "skrev", "kirjoitti")
// standing as a word in t and followed by what names a person: an address, a date,
// or a few capitalised words. "Am Dienstag schrieb Anna Müller:" names someone; "On
// Tuesday at 10:15 Anna wrote something that stuck with me:" is the member talking.
func namedAfterWrote(t string) bool {
	words := strings.Fields(strings.TrimRight(t, ":： "))
	for i := range words {
		for _, verb := range wroteBeforeNameWords {
			if wordsEqualFold(words[i:], verb) {
				return namesPerson(words[i+len(verb):])
			}
		}
	}
	return false
}

// wordsEqualFold reports words starting with the words of phrase, regardless of case.
func wordsEqualFold(words, phrase []string) bool {
	if len(words) < len(phrase) {
		return false
	}
	for k, p := range phrase {
		if !strings.EqualFold(words[k], p) {
			return false
		}
	}
	return true
}

// quotesSomeone reports a webmail attribution, "Quoting Anna Smith <a@b>:": a
// quoting phrase, then a name and address and nothing else.
func quotesSomeone(t string) bool {
	words := strings.Fields(strings.TrimRight(t, ":： "))
	for _, q := range quotingWords {
		phrase := strings.Fields(q)
		if len(words) > len(phrase) && wordsEqualFold(words, phrase) {
			return namesPerson(words[len(phrase):])
		}
	}
	return false
}

// maxNameWords is how many words a name may have in "… schrieb Name:".
const maxNameWords = 4

func namesPerson(words []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if strings.ContainsAny(w, "@0123456789") {
			return true
		}
	}
	if len(words) > maxNameWords {
		return false
	}
	capitals := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case !unicode.IsLower(r):
			capitals++
		case !nameParticles[w]:
			return false
		}
	}
	return capitals > 0
}

// writtenBySelf reports an attribution-like line whose writer is "I" or "we" ("On
// 4 March I wrote:"): a member quoting themselves in their own words, since no mail
// client names the writer that way.
func writtenBySelf(beforeVerb string) bool {
	w := strings.TrimRightFunc(beforeVerb, unicode.IsSpace)
	w = w[strings.LastIndexFunc(w, unicode.IsSpace)+1:]
	return len(w) <= 5 && selfWords[strings.ToLower(strings.Trim(w, ",;"))]
}

// opensLikeAttribution reports t starting with an attribution's first word.
func opensLikeAttribution(t string) bool {
	if strings.HasPrefix(t, "在") || strings.HasPrefix(t, "于") {
		return true
	}
	end := strings.IndexFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if end < 0 {
		end = len(t)
	}
	return end <= 8 && openWords[strings.ToLower(t[:end])]
}

// excerptsFrom opens sup's attribution.
const excerptsFrom = "excerpts from "

const ws = `[\s\x{00A0}\x{202F}]`

var (
	startsWithISODate    = lazyre.New(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b`)
	hasTime              = lazyre.New(`\d{1,2}[:.h]\d{2}`)
	hasYear              = lazyre.New(`(?:^|\D)(?:19|20)\d{2}(?:\D|$)`)
	hasGMT               = lazyre.New(`GMT[+-]?\d`)
	angleAddress         = lazyre.New(`<[^<>\s]*@`)
	endsWithAddressColon = lazyre.New(`>` + ws + `*[:：]` + ws + `*$`)
)

// isAttribution reports a line that introduces someone else's mail: "On … wrote:",
// "Le … a écrit :", "Am … schrieb …:", "2016-03-03 17:21 GMT+01:00 Name",
// "-----Original Message-----", "Begin forwarded message:" and their kin.
func isAttribution(s string) bool {
	if len(s) > maxAttributionLen {
		return false
	}
	if isMarker(s) {
		return true
	}
	t, dashed := stripTrail(stripLead(s))
	// "------On 12/29/2023 17:32, Anna wrote-----": dashes on both sides, with no
	// space between the last word and the closing ones.
	if lead := strings.TrimLeft(s, " \t>*"); !dashed && strings.HasPrefix(lead, "--") && strings.HasSuffix(t, "--") {
		t, dashed = strings.TrimRight(t, "-"), true
	}
	// Android's "---- Anna Smith wrote ----" has neither date nor address: the
	// dashes on both sides are what set it apart from a sentence.
	framed := dashed && strings.HasPrefix(strings.TrimLeft(s, " \t>*"), "--")
	if framed && t != "" {
		if at := wroteAt(t); at > 0 && !writtenBySelf(t[:at]) {
			return true
		}
	}
	email := strings.Contains(t, "@")
	digit := strings.ContainsAny(t, "0123456789")
	if t == "" || !email && !digit {
		return false
	}
	if colon := endsWithColon(t); colon || dashed {
		opens := opensLikeAttribution(t)
		if at := wroteAt(t); at > 0 && strings.TrimSpace(t[:at]) != "" && !writtenBySelf(t[:at]) &&
			(email || digit && (opens || hasTime.MatchString(t) || hasYear.MatchString(t))) {
			return true
		}
		if colon && digit && (opens || email || hasYear.MatchString(t)) && namedAfterWrote(t) {
			return true
		}
		if colon && email && quotesSomeone(t) {
			return true
		}
		// sup and notmuch's Emacs client: "Excerpts from Anna's message of
		// 2026-12-01 09:04:05 +0100:".
		if colon && digit && len(t) > len(excerptsFrom) && strings.EqualFold(t[:len(excerptsFrom)], excerptsFrom) &&
			strings.Contains(t, "'s message of ") {
			return true
		}
		if colon && email && digit && endsWithAddressColon.MatchString(t) && hasTime.MatchString(t) {
			return true
		}
	}
	return t[0] >= '0' && t[0] <= '9' && startsWithISODate.MatchString(t) &&
		(email || hasGMT.MatchString(t)) && utf8.RuneCountInString(t) <= 200
}

// endsWithColon reports an attribution's closing colon, ASCII or full width.
func endsWithColon(t string) bool {
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	return strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：")
}

// The shortest and longest marker phrase in bytes, and their first letters: cheap
// tests that spare most lines a lookup.
const (
	minMarkerPhrase = 10 // "pesan asli"
	maxMarkerPhrase = 60
)

func isMarkerDecor(r rune) bool {
	switch r {
	case '>', '*', '_', '=', '-', ':', '：':
		return true
	}
	return unicode.IsSpace(r)
}

// isMarker reports a line that is nothing but an original-message or
// forwarded-message phrase, with any dashes, stars, quote marks or colon.
func isMarker(s string) bool {
	if len(s) > maxMarkerLen {
		return false
	}
	t := strings.TrimFunc(s, isMarkerDecor)
	if len(t) < minMarkerPhrase || len(t) > maxMarkerPhrase {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if !markerInitials[unicode.ToLower(r)] {
		return false
	}
	return markerPhrases[strings.ToLower(t)]
}

// maxMarkerLen bounds an "Original Message" line with all its dashes.
const maxMarkerLen = 120

// stripLead drops the quote marks, stars and dashes before an attribution
// ("> ", "---- ", "*").
func stripLead(s string) string {
	i := 0
	for i < len(s) && (s[i] == '>' || s[i] == '*' || isASCIISpace(s[i])) {
		i++
	}
	if strings.HasPrefix(s[i:], "--") {
		for i < len(s) && s[i] == '-' {
			i++
		}
		s = strings.TrimLeftFunc(s[i:], unicode.IsSpace)
		return s
	}
	return s[i:]
}

// stripTrail drops trailing stars and the dashes of Zoho's "---- On … wrote ----",
// and reports whether there were dashes.
func stripTrail(t string) (string, bool) {
	t = strings.TrimRight(t, "* \t")
	u := strings.TrimRight(t, "-")
	if len(t)-len(u) >= 2 {
		v := strings.TrimRightFunc(u, unicode.IsSpace)
		if len(v) < len(u) {
			return strings.TrimRight(v, "*"), true
		}
	}
	return t, false
}

// mayStartAttribution reports a line that could be the first part of an attribution
// wrapped over several lines, so that joining is only tried where it can succeed.
func mayStartAttribution(s string) bool {
	if len(s) > maxAttributionLen || isBlank(s) {
		return false
	}
	t := stripLead(s)
	if angleAddress.MatchString(t) || strings.HasSuffix(t, "<") {
		return true
	}
	if !strings.ContainsAny(t, "0123456789") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return opensLikeAttribution(t) || unicode.IsDigit(r) || hasWroteBeforeName(t)
}

// maxHeaderName bounds the bytes before the colon of a header line.
const maxHeaderName = 40

// isHeaderLine reports a line such as "From: …", "*Sent:* …", "De : …" or
// "差出人: …". Quoted header lines ("> From:") are quotes, not headers.
func isHeaderLine(s string) bool {
	return headerField(s) != ""
}

// headerField returns the field name of a header line, lower case, or "".
func headerField(s string) string {
	s = strings.TrimLeft(s, " \t*_")
	end := strings.IndexByte(s, ':')
	if wide := strings.Index(s, "："); wide >= 0 && (end < 0 || wide < end) {
		end = wide
	}
	if end <= 0 || end > maxHeaderName {
		return ""
	}
	name := strings.ToLower(strings.TrimRightFunc(s[:end], func(r rune) bool {
		return unicode.IsSpace(r) || r == '*' || r == '_'
	}))
	if !headerNames[name] {
		return ""
	}
	return name
}

// headerContinuation is how many lines a header value may wrap over
// ("Subject: Some subject that\nspans over 2 lines").
const headerContinuation = 2

// quoteFollows reports a quote or an attribution as the next line from i on that is
// not blank.
func quoteFollows(kinds []byte, i int) bool {
	for i < len(kinds) && kinds[i] == kindEmpty {
		i++
	}
	return i < len(kinds) && (kinds[i] == kindQuote || kinds[i] == kindMarker)
}

// machineWritten reports a pair of header lines that a mail client wrote, not a
// member: one names an address, another holds a time ("Date: Wed, 6 Mar 2024
// 09:15:02 +0100" above "To: tom@example.com").
func machineWritten(lines []line, header []string) bool {
	address, clock := false, false
	for k, l := range lines {
		if header[k] == "" {
			continue
		}
		_, value, _ := strings.Cut(l.text, ":")
		address = address || strings.Contains(value, "@")
		clock = clock || hasTime.MatchString(value)
	}
	return address && clock
}

// loneFromLine reports a "From: anna@example.com" line that opens quoted mail on
// its own, the rest of its header block lost to HTML-to-text conversion: it
// names an address, stands after a blank line below the member's text, and more
// lines follow it.
func loneFromLine(lines []line, kinds []byte, header []string, i int) bool {
	if !fromFieldNames[header[i]] || i < 2 || kinds[i-1] != kindEmpty {
		return false
	}
	_, value, _ := strings.Cut(lines[i].text, ":")
	if !strings.Contains(value, "@") || strings.ContainsAny(strings.TrimSpace(value), " \t") && !angleAddress.MatchString(value) {
		return false
	}
	above, below := false, false
	for k := 0; k < i && !above; k++ {
		above = kinds[k] == kindText
	}
	for k := i + 1; k < len(lines) && !below; k++ {
		below = kinds[k] != kindEmpty
	}
	return above && below
}

// markHeaderBlocks turns runs of at least three header lines (with the odd wrapped
// value or blank line between them) into kindHeader, or of two ("Date:", "From:") when quoted
// mail follows them. A lone "To:" or "Date:" line stays text: members write such
// lines too.
func markHeaderBlocks(lines []line, kinds []byte, header []string) {
	for i := 0; i < len(lines); i++ {
		if header[i] == "" {
			continue
		}
		last, count := i, 1
		seen := []string{header[i]}
		for k := i + 1; k < len(lines) && (kinds[k] == kindText || kinds[k] == kindEmpty) && k-last <= headerContinuation; k++ {
			if header[k] == "" {
				continue
			}
			// A mail's header block names each field once; "From: 9:00 / To: 9:30"
			// twice over is the member's timetable.
			if slices.Contains(seen, header[k]) {
				break
			}
			seen = append(seen, header[k])
			last, count = k, count+1
		}
		switch {
		case count >= 3 || count == 2 && (quoteFollows(kinds, last+1) || machineWritten(lines[i:last+1], header[i:last+1])):
			for k := i; k <= last; k++ {
				kinds[k] = kindHeader
			}
		case count == 1 && loneFromLine(lines, kinds, header, i):
			// What follows is what is left of the quoted mail, in whatever shape
			// the conversion left it: everything from here on is history.
			kinds[i] = kindDelimiter
		}
		i = last
	}
}
