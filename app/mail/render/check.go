package render

import (
	"strings"
	"unicode"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/internal/typo"
)

// Check returns what stops c from being sent, each about the field it concerns
// ("subject" or "body"): an empty subject or text, and placeholders the renderer
// does not know. Those would reach every member as written ("Hi {{firstname}},"),
// which no later fix can take back, so sending refuses them where Lint only
// advises. The window shows each beside its field and the CLI refuses with the
// same sentences; an empty result means the content can go.
func Check(c Content) []app.PostProblem {
	var out []app.PostProblem
	if strings.TrimSpace(c.Subject) == "" {
		out = append(out, app.PostProblem{Field: app.FieldSubject, Message: "Give the announcement a subject: it is the first thing members see."})
	}
	if strings.TrimSpace(c.Markdown) == "" {
		out = append(out, app.PostProblem{Field: app.FieldBody, Message: "The announcement is empty; write something first."})
	}
	for _, part := range []struct{ field, where, s string }{{app.FieldSubject, "subject", c.Subject}, {app.FieldBody, "text", c.Markdown}} {
		seen := map[string]bool{}
		placeholders(part.s, func(start, end int, name string) {
			written := part.s[start:end]
			if _, ok := lookup(name, Vars{}); ok || seen[written] {
				return
			}
			seen[written] = true
			out = append(out, app.PostProblem{Field: part.field, Message: unknownSentence(written, part.where, name)})
		})
	}
	return out
}

// unknownSentence says that a placeholder is unknown, with the known one the
// coach most likely meant, or the whole list when none is close.
func unknownSentence(written, where, name string) string {
	s := written + " in the " + where + " is not a placeholder Roundtable knows"
	if near := NearestPlaceholder(name); near != "" {
		return s + " — did you mean {{" + near + "}}?"
	}
	return s + "; the known ones are {{" + strings.Join(placeholderNames, "}}, {{") + "}}."
}

// NearestPlaceholder returns the known placeholder name closest to name by edit
// distance (ignoring case, spaces, dashes and underscores, the usual slips:
// "firstname", "First Name", "first-name"), or "" when none is close enough to
// be a typo rather than a different idea.
func NearestPlaceholder(name string) string {
	n := squash(name)
	if n == "" {
		return ""
	}
	best, bestD := "", -1
	for _, known := range placeholderNames {
		d := typo.Distance(n, squash(known))
		if bestD < 0 || d < bestD {
			best, bestD = known, d
		}
	}
	// A slip changes a letter, or swaps two; changing more than a third of the
	// word makes another word ("date" is not "name").
	if bestD > 1 && bestD*3 > len([]rune(squash(best))) {
		return ""
	}
	return best
}

// squash lowercases s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
