package command

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Kind
	}{
		// English
		{"EnDigest", "digest", Digest},
		{"EnDigestCapitals", "DIGEST", Digest},
		{"EnIndividual", "Individual", Individual},
		{"EnPause", "Pause.", Pause},
		{"EnUnsubscribe", "Unsubscribe", Unsubscribe},
		{"EnPleaseAfter", "Unsubscribe please!", Unsubscribe},
		{"EnPleaseBefore", "Please unsubscribe", Unsubscribe},
		{"EnThankYou", "digest, thank you", Digest},
		{"EnEmphasis", "**Pause**", Pause},
		{"EnLeadingBlankLines", "\n\n   \n  pause  \n", Pause},
		{"EnSignOff", "pause\n\nThanks,\nAna", Pause},
		{"EnSignOffFiveWords", "digest\n\nThanks a lot, Ana López", Digest},
		{"EnCRLF", "individual\r\n\r\nBest, Tom\r\n", Individual},
		{"EnQuotedBelow", "digest\n\n> Week 3: your one big goal\n> Tell us about the goal you chose and why it matters to you.", Digest},
		// French
		{"FrResume", "Résumé", Digest},
		{"FrResumeCapitals", "RÉSUMÉ", Digest},
		{"FrResumeOneAccent", "resumé", Digest},
		{"FrResumeDecomposed", "re\u0301sume\u0301", Digest},
		{"FrDigest", "digest merci", Digest},
		{"FrIndividuel", "Individuel", Individual},
		{"FrPause", "pause svp", Pause},
		{"FrDesabonner", "Désabonner", Unsubscribe},
		{"FrSeDesabonner", "Me désabonner ? Non : se désabonner", None},
		{"FrSeDesinscrire", "se désinscrire, s'il vous plaît", Unsubscribe},
		{"FrDesinscrireNoAccent", "desinscrire merci", Unsubscribe},
		{"FrSignOff", "Désabonner\nMerci, Claire", Unsubscribe},
		// German
		{"DeZusammenfassung", "Zusammenfassung", Digest},
		{"DeEinzeln", "einzeln bitte", Individual},
		{"DePause", "Pause", Pause},
		{"DePausieren", "Bitte pausieren.", Pause},
		{"DeAbmelden", "ABMELDEN", Unsubscribe},
		{"DeAbmeldenDanke", "Abmelden, danke!\n\nGruß\nJürgen", Unsubscribe},
		// Spanish
		{"EsResumen", "resumen", Digest},
		{"EsIndividual", "Individual, por favor", Individual},
		{"EsPausa", "¡Pausa!", Pause},
		{"EsDarseDeBaja", "Darse de baja", Unsubscribe},
		{"EsBaja", "baja por favor", Unsubscribe},
		{"EsBajaGracias", "Baja.\n\nGracias, María", Unsubscribe},
		// Italian, Portuguese, Dutch
		{"ItRiepilogo", "riepilogo grazie", Digest},
		{"ItPausa", "pausa per favore", Pause},
		{"PtResumo", "Resumo, obrigada", Digest},
		{"PtDescadastrar", "descadastrar", Unsubscribe},
		{"NlSamenvatting", "samenvatting", Digest},
		{"NlPauze", "pauze aub", Pause},
		{"NlAfmelden", "Afmelden, bedankt", Unsubscribe},

		// Near misses: all must reach the coach as replies.
		{"MissPauseWithMore", "Pause. I loved this week's topic and want to say more.", None},
		{"MissPauseThenMessage", "Pause\n\nI loved this week's topic and I wonder whether we could", None},
		{"MissSentence", "I'll pause the course for a week because of the move.", None},
		{"MissDigestThis", "Digest this: the week was hard.", None},
		{"MissDigestWithObject", "digest please send", None},
		{"MissQuotedCommand", "> unsubscribe\n\nWhat does this mean?", None},
		{"MissOnlyQuoted", "> digest", None},
		{"MissGreetingFirst", "Hi Marie,\n\nunsubscribe", None},
		{"MissTwoCommands", "pause digest", None},
		{"MissPauseTwoWeeks", "pause 2 weeks", None},
		{"MissEnglishResume", "resume", None},
		{"MissEnglishResumePlease", "Resume please", None},
		{"MissOnlyPolite", "thanks", None},
		{"MissPleaseOnly", "please please", None},
		{"MissPleaseRepeated", "please please please pause", None},
		{"PoliteBothSides", "Bitte abmelden, danke", Unsubscribe},
		{"MissEmpty", "", None},
		{"MissBlank", " \n\t\n", None},
		{"MissSixExtraWords", "pause\nsee you all in a month", None},
		{"MissPartOfWord", "unsubscribed", None},
		{"MissDigestive", "digestive", None},
		{"MissPrivate", "private", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parse(tt.text)
			if got != tt.want || ok != (tt.want != None) {
				t.Errorf("Parse(%q): got %q %v, want %q %v", tt.text, got, ok, tt.want, tt.want != None)
			}
		})
	}
}

func TestPrivate(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
		rest string
	}{
		{"En", "private I struggled this week.", true, "I struggled this week."},
		{"EnColon", "Private: I struggled this week.", true, "I struggled this week."},
		{"EnDash", "PRIVATE — I struggled this week.", true, "I struggled this week."},
		{"EnOwnLine", "Private\n\nI struggled this week.\nAna", true, "I struggled this week.\nAna"},
		{"EnBold", "**Private**: only for you", true, "only for you"},
		{"EnBracket", "[private] only for you", true, "only for you"},
		{"EnLeadingSpace", "\n  private: hello", true, "hello"},
		{"Fr", "Privé : je n'ai pas fini.", true, "je n'ai pas fini."},
		{"FrNoAccent", "prive - je n'ai pas fini.", true, "je n'ai pas fini."},
		{"De", "Privat: Ich hatte eine schwere Woche.", true, "Ich hatte eine schwere Woche."},
		{"Es", "privado, tuve una semana difícil", true, "tuve una semana difícil"},
		{"It", "privato: settimana difficile", true, "settimana difficile"},
		{"Alone", "private", true, ""},
		{"SentenceStillPrivate", "Private lessons are pricey", true, "lessons are pricey"},
		{"NotFirstWord", "This is private: hello", false, "This is private: hello"},
		{"Privately", "Privately, I think so", false, "Privately, I think so"},
		{"Privacy", "privacy matters", false, "privacy matters"},
		{"Empty", "", false, ""},
		{"Quoted", "> private: hello", false, "> private: hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest := Private(tt.text)
			if got != tt.want || rest != tt.rest {
				t.Errorf("Private(%q): got %v %q, want %v %q", tt.text, got, rest, tt.want, tt.rest)
			}
		})
	}
}

func TestConfirmation(t *testing.T) {
	const weekly = "Every Friday at 09:00 (each member's time)"
	tests := []struct {
		kind     Kind
		schedule string
		subject  string
		contains []string
	}{
		{Digest, weekly, "You will now get a digest", []string{"When: " + weekly + ".", "**individual**"}},
		{Digest, "", "You will now get a digest", []string{"no digest scheduled"}},
		{Digest, "No digest", "You will now get a digest", []string{"no digest scheduled"}},
		{Individual, weekly, "You will now get every post as it happens", []string{"**digest**"}},
		{Pause, weekly, "Your mail from this cohort is paused", []string{"until you reply **digest** or **individual**"}},
		{Unsubscribe, weekly, "You are unsubscribed", []string{"no more email"}},
	}
	for _, tt := range tests {
		subject, body := Confirmation(tt.kind, tt.schedule)
		if subject != tt.subject {
			t.Errorf("Confirmation(%q, %q) subject: got %q, want %q", tt.kind, tt.schedule, subject, tt.subject)
		}
		for _, c := range tt.contains {
			if !strings.Contains(body, c) {
				t.Errorf("Confirmation(%q, %q) body: got %q, want it to contain %q", tt.kind, tt.schedule, body, c)
			}
		}
	}
	if s, b := Confirmation(None, ""); s != "" || b != "" {
		t.Errorf("Confirmation(None): got %q %q, want empty", s, b)
	}
}

// TestWordsFolded keeps the table honest: every key must already be in the form
// fold produces, or it could never match.
func TestWordsFolded(t *testing.T) {
	for w := range words {
		if got := strings.Join(fold(w), " "); got != w {
			t.Errorf("words key %q: got folded %q, want it unchanged", w, got)
		}
	}
	for w := range privateWords {
		if got := strings.Join(fold(w), " "); got != w {
			t.Errorf("privateWords key %q: got folded %q, want it unchanged", w, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"digest", "Pause, please!", "Désabonner\nMerci", "> baja", "darse de baja por favor",
		"private: hello", "Privé — non", "I'll pause", "re\u0301sume\u0301", "\r\n\tunsubscribe\r\n", "resume"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		kind, ok := Parse(text)
		if ok != (kind != None) {
			t.Fatalf("Parse(%q): got %q %v: ok must mean a kind", text, kind, ok)
		}
		if ok {
			// The first non-empty line holds one of the command's phrases.
			var first string
			for _, l := range strings.Split(text, "\n") {
				if strings.TrimSpace(l) != "" {
					first = l
					break
				}
			}
			line := " " + strings.Join(fold(first), " ") + " "
			found := false
			for w, k := range words {
				if k == kind && strings.Contains(line, " "+w+" ") {
					found = true
				}
			}
			if !found {
				t.Fatalf("Parse(%q): got %q, but the first line %q holds none of its words", text, kind, first)
			}
			// A command, at most one courtesy on each side, no more.
			if n := len(fold(first)); n > 4+3+4 {
				t.Fatalf("Parse(%q): got %q for a first line of %d words", text, kind, n)
			}
		}

		private, rest := Private(text)
		if !strings.HasSuffix(text, rest) {
			t.Fatalf("Private(%q): rest %q is not a suffix of the text", text, rest)
		}
		if private && len(rest) >= len(text) {
			t.Fatalf("Private(%q): got true but nothing removed", text)
		}
		if !private && rest != text {
			t.Fatalf("Private(%q): got false but text changed to %q", text, rest)
		}
	})
}
