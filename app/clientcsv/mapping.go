package clientcsv

import (
	"strings"
	"unicode"
)

// headerNames maps normalised header names seen in the exports of common tools
// (spreadsheets, CRMs, mailing-list services, course platforms) to client fields.
var headerNames = map[string]string{
	"name": "name", "fullname": "name", "full name": "name", "client": "name", "client name": "name",
	"contact": "name", "contact name": "name", "display name": "name", "member": "name", "nom": "name",
	"first name": "first_name", "firstname": "first_name", "first": "first_name", "given name": "first_name",
	"forename": "first_name", "prenom": "first_name", "vorname": "first_name",
	"last name": "last_name", "lastname": "last_name", "last": "last_name", "surname": "last_name",
	"family name": "last_name", "nachname": "last_name",
	"email": "email", "e mail": "email", "email address": "email", "e mail address": "email",
	"mail": "email", "emailaddress": "email", "primary email": "email", "courriel": "email",
	"other emails": "aliases", "aliases": "aliases", "alias": "aliases", "secondary email": "aliases",
	"other email": "aliases", "alternate email": "aliases",
	"phone": "phone", "phone number": "phone", "mobile": "phone", "mobile phone": "phone", "telephone": "phone",
	"tel": "phone", "cell": "phone", "telefon": "phone",
	"time zone": "time_zone", "timezone": "time_zone", "tz": "time_zone",
	"tags": "tags", "tag": "tags", "labels": "tags", "groups": "tags",
	"status": "status",
	"goals":  "goals", "goal": "goals", "objectives": "goals",
	"notes": "notes", "note": "notes", "comments": "notes", "comment": "notes",
}

// GuessMapping maps each header it recognises to a client field; the first column
// wins when two headers mean the same field.
func GuessMapping(headers []string) map[string]int {
	m := map[string]int{}
	for i, h := range headers {
		field, ok := headerNames[normalise(h)]
		if !ok {
			continue
		}
		if _, taken := m[field]; !taken {
			m[field] = i
		}
	}
	return m
}

// normalise lower-cases a header, drops accents of the common Latin letters and
// turns punctuation into single spaces: "E-Mail Address" → "e mail address".
func normalise(h string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch r {
		case 'é', 'è', 'ê':
			r = 'e'
		case 'ä', 'à', 'â':
			r = 'a'
		case 'ö', 'ô':
			r = 'o'
		case 'ü', 'û':
			r = 'u'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
