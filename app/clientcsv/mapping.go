package clientcsv

import (
	"strings"
	"unicode"

	"github.com/roundtablehq/roundtable/app"
	"golang.org/x/text/unicode/norm"
)

// headerNames maps normalised header names seen in the exports of common tools
// (spreadsheets, CRMs, mailing-list services, course platforms), in English and
// the languages coaches' spreadsheets are most often in (French, German,
// Spanish, Italian, Portuguese, Dutch, the Nordic languages, Polish), to client
// fields. Headers are compared without case, accents or punctuation.
var headerNames = map[string]string{}

func init() {
	for field, names := range map[string][]string{
		"name": {"fullname", "full name", "client", "client name", "contact", "contact name", "display name", "member",
			"nom complet", "vollstandiger name", "nombre completo", "nome completo", "volledige naam", "imie i nazwisko", "participant", "teilnehmer", "participante", "klient", "kunde", "cliente"},
		"first_name": {"first name", "firstname", "first", "given name", "forename", "prenom", "vorname", "nombre",
			"nome", "primeiro nome", "voornaam", "fornavn", "fornamn", "etunimi", "imie"},
		"last_name": {"last name", "lastname", "last", "surname", "family name", "nom de famille", "nachname", "familienname",
			"apellido", "apellidos", "cognome", "sobrenome", "ultimo nome", "achternaam", "efternavn", "etternavn",
			"efternamn", "sukunimi", "nazwisko"},
		"email": {"email", "e mail", "email address", "e mail address", "mail", "emailaddress", "primary email", "courriel",
			"adresse e mail", "adresse email", "adresse mail", "adresse electronique", "mel", "e mail adresse",
			"email adresse", "mailadresse", "correo", "correo electronico", "direccion de correo", "indirizzo email",
			"indirizzo e mail", "posta elettronica", "endereco de email", "endereco de e mail", "e mail adres", "e mailadres",
			"emailadres", "mailadres", "e post", "epost", "e postadresse", "e postadress", "sahkoposti", "adres e mail"},
		"aliases": {"other emails", "aliases", "alias", "secondary email", "other email", "alternate email",
			"autre email", "autre e mail", "weitere e mail", "otro correo"},
		"phone": {"phone", "phone number", "mobile", "mobile phone", "telephone", "tel", "cell", "telefon", "telefonnummer",
			"handy", "mobil", "portable", "numero de telephone", "telefono", "movil", "cellulare", "telemovel",
			"telefoon", "mobiel", "puhelin"},
		"time_zone": {"time zone", "timezone", "tz", "fuseau horaire", "zeitzone", "zona horaria", "fuso orario",
			"fuso horario", "tijdzone", "tidszone", "tidszon"},
		"tags": {"tags", "tag", "labels", "label", "groups", "etiquettes", "etiquette", "schlagworter", "schlagwoerter",
			"stichworte", "etiquetas", "etichette", "etiketten", "etiketter"},
		"status": {"status", "statut", "estado", "stato", "situacao"},
		"goals":  {"goals", "goal", "objectives", "objectifs", "objectif", "ziele", "ziel", "objetivos", "obiettivi", "doelen"},
		"notes": {"notes", "note", "comments", "comment", "remarques", "remarque", "commentaires", "notizen", "notiz",
			"bemerkungen", "anmerkungen", "notas", "comentarios", "opmerkingen", "notities", "anteckningar"},
	} {
		for _, n := range names {
			headerNames[n] = field
		}
	}
}

// ambiguousNames are headers that mean the whole name in some files and the
// family name in others: French "Nom" beside "Prénom", German "Name" beside
// "Vorname".
var ambiguousNames = map[string]bool{"nom": true, "name": true, "naam": true, "navn": true, "namn": true, "nimi": true}

// contentSample is how many records GuessMapping looks at.
const contentSample = 50

// GuessMapping maps each header it recognises to a client field; the first column
// wins when two headers mean the same field. Given the first records, it also
// finds the email column by what it holds when no header names it, and reads
// an ambiguous "Nom" or "Name" beside a first-name column as the family name
// unless the column holds whole names.
func GuessMapping(headers []string, records ...[]string) map[string]int {
	m := map[string]int{}
	ambiguous := -1
	for i, h := range headers {
		n := normalise(h)
		field, ok := headerNames[n]
		if !ok {
			if ambiguousNames[n] && ambiguous < 0 {
				ambiguous = i
			}
			continue
		}
		if _, taken := m[field]; !taken {
			m[field] = i
		}
	}
	if _, ok := m["email"]; !ok {
		if col, ok := emailColumn(records, len(headers)); ok {
			for f, c := range m {
				if c == col {
					delete(m, f) // "Contact" full of addresses is not the name
				}
			}
			m["email"] = col
		}
	}
	if col, ok := m["email"]; ambiguous >= 0 && !(ok && col == ambiguous) {
		_, hasFirst := m["first_name"]
		_, hasLast := m["last_name"]
		_, hasName := m["name"]
		switch {
		case hasFirst && !hasLast && !holdsWholeNames(records, ambiguous, m["first_name"]):
			m["last_name"] = ambiguous
		case !hasName:
			m["name"] = ambiguous
		}
	}
	return m
}

// holdsWholeNames reports whether the column's values start with the
// first-name column's values (the whole name), as in "Ana" / "Ana Lima".
func holdsWholeNames(records [][]string, col, first int) bool {
	whole, seen := 0, 0
	for _, r := range records {
		if col >= len(r) || first >= len(r) || strings.TrimSpace(r[first]) == "" || strings.TrimSpace(r[col]) == "" {
			continue
		}
		seen++
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(r[col])), strings.ToLower(strings.TrimSpace(r[first]))+" ") {
			whole++
		}
	}
	return seen > 0 && whole*2 > seen
}

// emailColumn is the column in which most filled cells are email addresses
// (at least half of the records), if there is one.
func emailColumn(records [][]string, columns int) (int, bool) {
	best, bestN := -1, 0
	for col := 0; col < columns; col++ {
		n := 0
		for _, r := range records {
			if col < len(r) && app.ValidEmail(strings.TrimSpace(r[col])) {
				n++
			}
		}
		if n > bestN {
			best, bestN = col, n
		}
	}
	return best, best >= 0 && bestN*2 >= len(records)
}

// normalise lower-cases a header, drops accents and turns punctuation into
// single spaces: "E-Mail Address" → "e mail address", "Prénom" → "prenom".
func normalise(h string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(h))) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // an accent, apart from its letter
		case r == 'ß':
			b.WriteString("ss")
			continue
		case r == 'ł':
			r = 'l'
		case r == 'ø':
			r = 'o'
		case r == 'æ':
			r = 'a'
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
