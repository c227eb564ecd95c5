package classify

import (
	"strings"

	"github.com/roundtablehq/roundtable/app/internal/lazyre"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// subjectPrefix matches what mail clients and gateways put before an
// out-of-office subject: tags like "[EXTERNAL]" and stray spaces.
var subjectPrefix = lazyre.New(`^\s*(\[[^\]]{0,40}\]\s*)*`)

// oooPhrases start the subject of an automatic reply, in the languages the
// common mail servers and clients use. They are matched at the start of the
// subject only: "Re: Out of office habits" is a member's reply.
var oooPhrases = lazyre.New(`(?i)^(` + strings.Join([]string{
	// English
	`out of (the )?office`, `automatic reply`, `auto[- ]?reply`, `auto[- ]?response`, `autoresponse`,
	`away from (the |my )?(office|desk|email)`, `on vacation`, `vacation (reply|notice|message)`,
	`on leave`, `on holiday`, `annual leave`, `ooo\b`,
	// French
	`réponse automatique`, `reponse automatique`, `absence du bureau`, `message d'absence`,
	`absent du bureau`, `en congés?`,
	// German
	`abwesenheitsnotiz`, `automatische antwort`, `nicht im büro`, `abwesenheit`, `außer haus`, `im urlaub`,
	// Spanish
	`respuesta automática`, `respuesta automatica`, `fuera de (la )?oficina`, `de vacaciones`,
	// Italian
	`risposta automatica`, `fuori (sede|ufficio)`, `in ferie`,
	// Dutch
	`automatisch antwoord`, `niet aanwezig`, `buiten kantoor`, `afwezigheidsbericht`,
	// Portuguese
	`resposta automática`, `resposta automatica`, `fora do escritório`, `ausência`, `de férias`,
	// Swedish, Danish, Norwegian
	`automatiskt svar`, `autosvar`, `automatisk svar`, `frånvaro`, `fraværende`, `fravær`, `ikke på kontoret`, `inte på kontoret`,
	// Polish, Czech, Finnish, Russian, Turkish, Japanese, Chinese
	`automatyczna odpowiedź`, `poza biurem`, `nieobecność`, `automatická odpověď`, `mimo kancelář`,
	`automaattinen vastaus`, `poissa toimistolta`, `автоматический ответ`, `автоответ`, `нет на месте`, `вне офиса`,
	`otomatik yanıt`, `ofis dışında`, `自動応答`, `自動返信`, `不在`, `自动回复`, `自動回覆`,
	// Outlook's "Automatic reply" in the other languages it ships in
	`자동 회신`, `부재중`, `automatikus válasz`, `αυτόματη απάντηση`, `răspuns automat`, `автоматична відповідь`,
	`автоматичен отговор`, `automatická odpoveď`, `automatski odgovor`, `samodejni odgovor`, `automaatne vastus`,
	`automātiskā atbilde`, `automatinis atsakymas`, `balasan otomatis`, `trả lời tự động`, `ตอบกลับอัตโนมัติ`,
	`תשובה אוטומטית`, `رد تلقائي`,
}, "|") + `)`)

// oooWords are single words that name an out-of-office subject only when they
// stand alone or before a colon ("Away: Week 3", "Absent"): "Away day plans" or
// "Ausente el lunes, pero..." written by a member stays a reply.
var oooWords = lazyre.New(`(?i)^(away|absent|absence|abwesend|ausente|assente|afwezig|poissa|urlaub|vacation|holiday|congés)\s*(:|$|-\s)`)

// autoReply looks for the signals that a message was sent by a program on the
// member's behalf rather than by the member.
func autoReply(m *message.Message) (Result, bool) {
	h := m.Header
	if v := strings.TrimSpace(h.Get("Auto-Submitted")); h.Has("Auto-Submitted") && !strings.EqualFold(firstToken(v), "no") {
		return auto(m, "Auto-Submitted: "+v+" header"), true
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autoresponse"} {
		if h.Has(k) && !strings.EqualFold(strings.TrimSpace(h.Get(k)), "no") {
			return auto(m, k+" header"), true
		}
	}
	precedence := strings.ToLower(strings.TrimSpace(h.Get("Precedence")))
	if precedence == "" {
		precedence = strings.ToLower(strings.TrimSpace(h.Get("X-Precedence")))
	}
	switch precedence {
	case "auto_reply", "bulk", "junk":
		return auto(m, "Precedence: "+precedence+" header"), true
	}
	if h.Has("X-Auto-Response-Suppress") && precedence != "" {
		return auto(m, "X-Auto-Response-Suppress and Precedence headers"), true
	}
	if m.Report != nil {
		switch m.Report.Type {
		case "disposition-notification":
			return auto(m, "read receipt"), true
		case "delivery-status":
			return auto(m, "delivery notice without a failure"), true
		}
	}
	subject := subjectPrefix.ReplaceAllString(m.Subject, "")
	if oooPhrases.MatchString(subject) || oooWords.MatchString(subject) {
		return auto(m, "out-of-office subject “"+m.Subject+"”"), true
	}
	return Result{}, false
}

// auto builds an auto-reply result, reading a return date from its text.
func auto(m *message.Message, reason string) Result {
	return Result{Kind: KindAutoReply, Reason: reason, AwayUntil: awayUntil(m.Text, m.Date)}
}

func firstToken(v string) string {
	if i := strings.IndexAny(v, "; \t"); i >= 0 {
		return v[:i]
	}
	return v
}
