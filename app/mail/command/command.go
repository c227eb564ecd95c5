// Package command recognises the one-word replies with which a member changes how
// they get a cohort's mail ("digest", "pause", "abmelden", ...), and the "private"
// marker that keeps a reply between the member and the coach.
//
// It reads the member's own text, after package trim has removed quoted history and
// signatures. It is deliberately strict: a missed command costs nothing (the reply
// reaches the coach, who can change the setting by hand), while a false one silently
// changes someone's mail, so only a reply that says nothing but the command counts.
package command

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind is a change of delivery a member asked for.
type Kind string

// The delivery commands. None is not a command.
const (
	None        Kind = ""
	Digest      Kind = "digest"      // one digest on the cohort's schedule instead of each post
	Individual  Kind = "individual"  // every post as it happens
	Pause       Kind = "pause"       // nothing for now, until the member asks again
	Unsubscribe Kind = "unsubscribe" // no more mail from this cohort
)

// MaxExtraWords is how many words a reply may hold besides its command line and
// still be a command: enough for a greeting or sign-off ("Thanks a lot, Ana María
// López"), too few for a message. "Pause\n\nI loved this week's topic and I wonder
// whether..." has more to say, so it reaches the coach as a reply.
const MaxExtraWords = 5

// words maps each command phrase, folded (lower case, no accents, words separated
// by one space), to its kind: English, French, German, Spanish, Italian,
// Portuguese and Dutch. The plain word "resume" is absent on purpose: in English it
// means "start again", so only the accented French "résumé" asks for a digest.
var words = map[string]Kind{
	// digest
	"digest": Digest, "resume": Digest, "zusammenfassung": Digest, "resumen": Digest,
	"riepilogo": Digest, "resumo": Digest, "samenvatting": Digest,
	// individual
	"individual": Individual, "individuel": Individual, "individuell": Individual,
	"einzeln": Individual, "individuale": Individual, "individueel": Individual,
	// pause
	"pause": Pause, "pausieren": Pause, "pausa": Pause, "pausar": Pause, "pauze": Pause,
	// unsubscribe
	"unsubscribe": Unsubscribe, "desabonner": Unsubscribe, "se desabonner": Unsubscribe,
	"desinscrire": Unsubscribe, "se desinscrire": Unsubscribe, "desabonnement": Unsubscribe,
	"desinscription": Unsubscribe, "abmelden": Unsubscribe, "abbestellen": Unsubscribe,
	"darse de baja": Unsubscribe, "baja": Unsubscribe, "disiscrivimi": Unsubscribe,
	"disiscriviti": Unsubscribe, "cancelar inscricao": Unsubscribe,
	"descadastrar": Unsubscribe, "afmelden": Unsubscribe, "uitschrijven": Unsubscribe,
}

// polite lists the folded words of courtesy allowed around a command on its line
// ("Pause, please", "Bitte abmelden", "Baja, por favor").
var polite = []string{
	"please", "pls", "thanks", "thank you", "merci", "svp", "s il vous plait", "s il te plait",
	"bitte", "danke", "por favor", "gracias", "per favore", "grazie", "obrigado",
	"obrigada", "alstublieft", "aub", "bedankt", "dank je",
}

// Parse reads the first non-empty line of a reply's own text (already trimmed of
// quotes and signatures by package trim) and reports the delivery command it holds.
//
// The rule: the first non-empty line, case and accents aside, is exactly one
// command phrase, optionally with one phrase of courtesy before it and one after it and any
// punctuation or emphasis around ("**Pause.**", "Unsubscribe please!"); a line
// beginning with ">" is quoted text and never a command; and the rest of the text,
// quoted lines aside, holds at most MaxExtraWords words. Anything else, such as
// "Pause. I loved this week's topic", "Digest this: ..." or "Hi Ana,\nunsubscribe",
// is not a command and goes to the coach as an ordinary reply.
func Parse(text string) (Kind, bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	first := -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return None, false
	}
	line := strings.TrimSpace(lines[first])
	if strings.HasPrefix(line, ">") {
		return None, false
	}
	phrase := strings.Join(stripPolite(fold(line)), " ")
	kind, ok := words[phrase]
	if !ok || phrase == "resume" && isPlainResume(line) {
		return None, false
	}
	extra := 0
	for _, l := range lines[first+1:] {
		if strings.HasPrefix(strings.TrimSpace(l), ">") {
			continue
		}
		extra += len(strings.Fields(l))
		if extra > MaxExtraWords {
			return None, false
		}
	}
	return kind, true
}

// isPlainResume reports whether the line's command is "resume" written without
// any accent: English for "start again", not French for "summary".
func isPlainResume(line string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(line), notWord) {
		if w == "resume" {
			return true
		}
	}
	return false
}

// stripPolite removes one phrase of courtesy from each end of tokens, no more: a
// line of "please please please pause" is not someone asking for a pause.
func stripPolite(tokens []string) []string {
	for _, p := range polite {
		pw := strings.Fields(p)
		if len(pw) < len(tokens) && equalWords(tokens[:len(pw)], pw) {
			tokens = tokens[len(pw):]
			break
		}
	}
	for _, p := range polite {
		pw := strings.Fields(p)
		if len(pw) < len(tokens) && equalWords(tokens[len(tokens)-len(pw):], pw) {
			tokens = tokens[:len(tokens)-len(pw)]
			break
		}
	}
	return tokens
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// privateWords are the folded words that, first in a reply, keep it for the coach.
var privateWords = map[string]bool{
	"private": true, "prive": true, "privat": true, "privado": true, "privato": true,
	"privee": true, "privada": true, "privata": true,
}

// Private reports whether the reply asks to stay between member and coach: its
// first word is private/privé/privat/privado (or the Italian, Portuguese and Dutch
// words), in any case, with or without accents, alone or followed by punctuation
// such as ":" or "—". It returns the text without that word and what separates it
// from the rest; when the reply is not private, the text comes back unchanged.
//
// The first word counts whatever follows it, so "Private lessons are pricey" is
// kept for the coach too: erring that way costs the group one reply, erring the
// other way would show the group something a member meant for the coach alone.
func Private(text string) (bool, string) {
	rest := strings.TrimLeftFunc(text, unicode.IsSpace)
	rest = strings.TrimLeft(rest, "*_[(")
	end := strings.IndexFunc(rest, notWord)
	if end < 0 {
		end = len(rest)
	}
	if end == 0 || !privateWords[strings.Join(fold(rest[:end]), " ")] {
		return false, text
	}
	rest = rest[end:]
	rest = strings.TrimLeftFunc(rest, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":;,.!-–—*_])", r)
	})
	return true, rest
}

// fold lower-cases s, strips its accents and splits it into words of letters and
// digits, so "Désabonner !" and "desabonner" compare equal and "s'il vous plaît"
// becomes "s il vous plait".
func fold(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.FieldsFunc(b.String(), notWord)
}

func notWord(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// Confirmation returns the subject and Markdown body (in English) of the email that
// confirms a change the member asked for. schedule describes when the cohort's
// digest goes out, as digest.Schedule.Describe words it ("Every Friday at 09:00
// (each member's time)"), or is empty when the cohort has no digest. The member
// learns in the same email how to change it again.
func Confirmation(kind Kind, schedule string) (subject, body string) {
	const change = "To change this, reply to any email from this cohort with one word: " +
		"**digest**, **individual**, **pause** or **unsubscribe**."
	switch kind {
	case Digest:
		if schedule == "" || schedule == "No digest" {
			return "You will now get a digest",
				"You will now get a digest of the group's posts and replies instead of each post.\n\n" +
					"This cohort has no digest scheduled at the moment: you will get the first one " +
					"as soon as your coach sets a day and time.\n\n" + change
		}
		return "You will now get a digest",
			fmt.Sprintf("You will now get one email with the group's new posts and replies instead of each post.\n\n"+
				"When: %s.\n\n%s", schedule, change)
	case Individual:
		return "You will now get every post as it happens",
			"You will now get each post and reply by email as it happens, instead of a digest.\n\n" + change
	case Pause:
		return "Your mail from this cohort is paused",
			"You will get no posts or digests from this cohort until you reply **digest** or **individual**. " +
				"You are still a member, and your coach still gets your replies.\n\n" + change
	case Unsubscribe:
		return "You are unsubscribed",
			"You will get no more email from this cohort. If this was a mistake, write to your coach.\n"
	default:
		return "", ""
	}
}
