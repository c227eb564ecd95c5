package classify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtablehq/roundtable/app/mail/classify"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

func parseFile(tb testing.TB, name string) *message.Message {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := message.Parse(f, message.DefaultLimits)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return m
}

// TestClassify_WhatTheCoachSees checks each real-shaped message for what the
// import shows the coach: the kind, the reason, and for bounces which address
// failed and whether for good.
func TestClassify_WhatTheCoachSees(t *testing.T) {
	tests := []struct {
		file       string
		kind       classify.Kind
		reason     string // a part of the reason
		awayUntil  string // 2006-01-02, or "" for none
		recipient  string
		hard       bool
		status     string
		diagnostic string // a part of the diagnostic
	}{
		{file: "bounce_postfix_dsn.eml", kind: classify.KindBounce, reason: "delivery report: failed with status 5.1.1",
			recipient: "old.member@example.net", hard: true, status: "5.1.1", diagnostic: "Recipient address rejected: User unknown"},
		{file: "bounce_postfix_full.eml", kind: classify.KindBounce, reason: "delivery report: delayed",
			recipient: "busy.member@example.org", hard: false, status: "4.2.2", diagnostic: "Mailbox full"},
		{file: "bounce_gmail.eml", kind: classify.KindBounce, reason: "status 5.1.1",
			recipient: "nobody.here@gmail.com", hard: true, status: "5.1.1", diagnostic: "The email account that you tried to reach does not exist. Please try double-checking"},
		{file: "bounce_exchange.eml", kind: classify.KindBounce, reason: "bounce from postmaster@contoso.example",
			recipient: "gone.person@contoso.example", hard: true, status: "5.1.10", diagnostic: "RESOLVER.ADR.RecipientNotFound"},
		{file: "bounce_qmail.eml", kind: classify.KindBounce, reason: "subject “failure notice”",
			recipient: "left.company@example.com", hard: true, status: "5.1.1", diagnostic: "User unknown"},
		{file: "ooo_en_exchange.eml", kind: classify.KindAutoReply, reason: "Auto-Submitted: auto-generated header", awayUntil: "2026-12-07"},
		{file: "ooo_fr.eml", kind: classify.KindAutoReply, reason: "out-of-office subject “Réponse automatique : Semaine 3”", awayUntil: "2026-11-30"},
		{file: "ooo_de.eml", kind: classify.KindAutoReply, reason: "X-Autoreply header", awayUntil: "2026-12-07"},
		{file: "ooo_es.eml", kind: classify.KindAutoReply, reason: "Precedence: auto_reply header", awayUntil: "2026-12-02"},
		{file: "ooo_it.eml", kind: classify.KindAutoReply, reason: "out-of-office subject “Fuori sede”", awayUntil: "2026-12-01"},
		{file: "ooo_nl.eml", kind: classify.KindAutoReply, reason: "Auto-Submitted: auto-replied (vacation) header"},
		{file: "ooo_pt.eml", kind: classify.KindAutoReply, reason: "out-of-office subject", awayUntil: "2026-11-27"},
		{file: "read_receipt.eml", kind: classify.KindAutoReply, reason: "read receipt"},
		{file: "reply_mentions_ooo.eml", kind: classify.KindReply},
		{file: "reply_away_day.eml", kind: classify.KindReply},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := classify.Classify(parseFile(t, tt.file))
			if got.Kind != tt.kind {
				t.Fatalf("Kind: got %s (%s), want %s", got.Kind, got.Reason, tt.kind)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Reason: got %q, want it to contain %q", got.Reason, tt.reason)
			}
			until := ""
			if !got.AwayUntil.IsZero() {
				until = got.AwayUntil.Format("2006-01-02")
			}
			if until != tt.awayUntil {
				t.Errorf("AwayUntil: got %q, want %q", until, tt.awayUntil)
			}
			if tt.kind != classify.KindBounce {
				if got.Bounce != nil {
					t.Errorf("Bounce: got %+v, want nil", *got.Bounce)
				}
				return
			}
			b := got.Bounce
			if b == nil {
				t.Fatalf("Bounce: got nil, want details")
			}
			if b.Recipient != tt.recipient {
				t.Errorf("Recipient: got %q, want %q", b.Recipient, tt.recipient)
			}
			if b.Hard != tt.hard {
				t.Errorf("Hard: got %v, want %v", b.Hard, tt.hard)
			}
			if b.Status != tt.status {
				t.Errorf("Status: got %q, want %q", b.Status, tt.status)
			}
			if !strings.Contains(b.Diagnostic, tt.diagnostic) {
				t.Errorf("Diagnostic: got %q, want it to contain %q", b.Diagnostic, tt.diagnostic)
			}
		})
	}
}

// msg builds a message for the header and subject signal tests.
func msg(subject string, header map[string]string, text string) *message.Message {
	h := message.Header{}
	for k, v := range header {
		h[k] = []string{v}
	}
	return &message.Message{
		From:    message.Address{Name: "Member", Email: "member@example.com"},
		Subject: subject,
		Header:  h,
		Text:    text,
		Date:    time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
	}
}

func TestClassify_HeaderSignals(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		kind   classify.Kind
		reason string
	}{
		{"Auto-Submitted no is a person", map[string]string{"Auto-Submitted": "no"}, classify.KindReply, ""},
		{"Auto-Submitted auto-replied", map[string]string{"Auto-Submitted": "auto-replied"}, classify.KindAutoReply, "Auto-Submitted: auto-replied header"},
		{"X-Autorespond", map[string]string{"X-Autorespond": "yes"}, classify.KindAutoReply, "X-Autorespond header"},
		{"Precedence bulk", map[string]string{"Precedence": "bulk"}, classify.KindAutoReply, "Precedence: bulk header"},
		{"Precedence junk", map[string]string{"Precedence": "junk"}, classify.KindAutoReply, "Precedence: junk header"},
		{"Precedence list is a person on a list", map[string]string{"Precedence": "list"}, classify.KindReply, ""},
		{"X-Auto-Response-Suppress alone is Outlook's default", map[string]string{"X-Auto-Response-Suppress": "All"}, classify.KindReply, ""},
		{"X-Auto-Response-Suppress with Precedence", map[string]string{"X-Auto-Response-Suppress": "All", "Precedence": "first-class"}, classify.KindAutoReply, "X-Auto-Response-Suppress and Precedence headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify.Classify(msg("Re: Week 3", tt.header, "Sounds good."))
			if got.Kind != tt.kind || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("got %s (%q), want %s (%q)", got.Kind, got.Reason, tt.kind, tt.reason)
			}
		})
	}
}

func TestClassify_OutOfOfficeSubjects(t *testing.T) {
	auto := []string{
		"Out of Office: Week 3", "Automatic reply: Week 3", "Auto-Reply: Week 3", "AutoReply", "Away: Re: Week 3", "Away",
		"[EXTERNAL] Out of office", "Absence du bureau", "Réponse automatique : Semaine 3", "Abwesenheitsnotiz: Woche 3",
		"Automatische Antwort: Woche 3", "Respuesta automática: Semana 3", "Fuera de la oficina", "Risposta automatica: Settimana 3",
		"Fuori sede", "Afwezig: Week 3", "Automatisch antwoord: Week 3", "Resposta automática: Semana 3", "Ausente",
		"Automatiskt svar: Vecka 3", "Autosvar: Uge 3", "Automatyczna odpowiedź: Tydzień 3", "Poza biurem", "自動応答: 第3週",
		"자동 회신: 3주차", "Automatikus válasz: 3. hét", "Αυτόματη απάντηση: Εβδομάδα 3", "Răspuns automat: Săptămâna 3",
		"Автоматична відповідь: Тиждень 3", "Automatski odgovor: Tjedan 3", "Trả lời tự động: Tuần 3",
	}
	for _, s := range auto {
		if got := classify.Classify(msg(s, nil, "")); got.Kind != classify.KindAutoReply {
			t.Errorf("subject %q: got %s, want auto_reply", s, got.Kind)
		}
	}
	replies := []string{
		"Re: Out of office habits", "Away day ideas", "Ausente el lunes pero leo todo", "Re: Automatic reply settings question",
		"Absent-minded lately", "Re: Week 3",
	}
	for _, s := range replies {
		if got := classify.Classify(msg(s, nil, "")); got.Kind != classify.KindReply {
			t.Errorf("subject %q: got %s (%s), want reply", s, got.Kind, got.Reason)
		}
	}
}

func TestClassify_AwayUntilIsConservative(t *testing.T) {
	// Every message here was sent on Friday 20 November 2026.
	tests := []struct{ text, want string }{
		{"I am back on 2 December.", "2026-12-02"},
		{"Back on the 2nd of December 2026.", "2026-12-02"},
		{"I'm away until 12/03/2026.", "2026-12-03"}, // 12 March is past: only December fits
		{"Returning Monday, December 7.", "2026-12-07"},
		{"I will return on 2026-12-01.", "2026-12-01"},
		{"Back on January 4th.", "2027-01-04"},
		{"Zurück am 7.12.2026.", "2026-12-07"},
		{"De retour le 3 décembre.", "2026-12-03"},
		{"Back on 03/04/2027.", ""},            // 3 April or 4 March: unsure
		{"Returning Tuesday, December 7.", ""}, // 7 December 2026 is a Monday
		{"Back on 2 December 2031.", ""},       // years away
		{"I have limited access to email.", ""},
		{"Back soon, on Monday.", ""},
		{"until further notice", ""},
	}
	for _, tt := range tests {
		got := classify.Classify(msg("Out of office", nil, tt.text))
		until := ""
		if !got.AwayUntil.IsZero() {
			until = got.AwayUntil.Format("2006-01-02")
		}
		if until != tt.want {
			t.Errorf("%q: got %q, want %q", tt.text, until, tt.want)
		}
	}
}

func TestClassify_BounceNeedsMoreThanASubject(t *testing.T) {
	// A member forwarding a bounce they got is still a member writing.
	m := msg("Fwd: Undelivered Mail Returned to Sender", nil, "Sam, my work address bounced, use this one.")
	if got := classify.Classify(m); got.Kind != classify.KindReply {
		t.Errorf("got %s (%s), want reply", got.Kind, got.Reason)
	}
	// With an empty Return-Path, the subject is enough.
	m.Subject = "Undelivered Mail Returned to Sender"
	m.Header["Return-Path"] = []string{"<>"}
	if got := classify.Classify(m); got.Kind != classify.KindBounce {
		t.Errorf("null sender: got %s (%s), want bounce", got.Kind, got.Reason)
	}
}

func TestClassify_SoftAndHardFromSMTPCodes(t *testing.T) {
	tests := []struct {
		text string
		hard bool
	}{
		{"<a@example.com>: host mx said: 550 5.1.1 User unknown", true},
		{"<a@example.com>: host mx said: 551 User not local", true},
		{"<a@example.com>: host mx said: 553 mailbox name not allowed", true},
		{"<a@example.com>: host mx said: 552 5.2.2 Mailbox full", false},
		{"<a@example.com>: host mx said: 452 4.2.2 Over quota", false},
		{"<a@example.com>: host mx said: 421 try again later", false},
		{"<a@example.com>: the mailbox is full", false},
		{"<a@example.com>: no such user here", true},
	}
	for _, tt := range tests {
		m := msg("Undelivered Mail Returned to Sender", map[string]string{"Return-Path": "<>"}, "This is the mail system at host mx.\n\n"+tt.text+"\n")
		m.From = message.Address{Name: "Mail Delivery System", Email: "mailer-daemon@mx.example"}
		got := classify.Classify(m)
		if got.Kind != classify.KindBounce || got.Bounce == nil {
			t.Fatalf("%q: got %s, want bounce", tt.text, got.Kind)
		}
		if got.Bounce.Hard != tt.hard || got.Bounce.Recipient != "a@example.com" {
			t.Errorf("%q: got hard=%v recipient %q, want hard=%v a@example.com", tt.text, got.Bounce.Hard, got.Bounce.Recipient, tt.hard)
		}
	}
}

func TestClassify_NilMessageIsAReply(t *testing.T) {
	if got := classify.Classify(nil); got.Kind != classify.KindReply {
		t.Errorf("got %s, want reply", got.Kind)
	}
}

func BenchmarkClassify(b *testing.B) {
	files := []string{"bounce_postfix_dsn.eml", "bounce_exchange.eml", "ooo_en_exchange.eml", "ooo_fr.eml", "reply_mentions_ooo.eml"}
	var msgs []*message.Message
	for _, f := range files {
		msgs = append(msgs, parseFile(b, f))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			classify.Classify(m)
		}
	}
}

// Bounces without a delivery report name the failed address in their own
// words: Exim's list, Microsoft 365's "Your message to …", GMX in German and
// Orange in French.
func TestClassify_BounceRecipientInEachServersWords(t *testing.T) {
	for name, tc := range map[string]struct{ from, subject, text string }{
		"exim": {"Mailer-Daemon@mx.example.net", "Mail delivery failed: returning message to sender",
			"A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ana@example.org\n    550 5.1.1 User unknown\n"},
		"microsoft365": {"postmaster@coach.onmicrosoft.com", "Undeliverable: Week 1",
			"Your message to ana@example.org couldn't be delivered.\nana wasn't found at example.org.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n"},
		"gmx": {"mailer-daemon@gmx.net", "Mail delivery failed: returning message to sender",
			"Die Nachricht an folgende Empfänger konnte nicht zugestellt werden:\n\nana@example.org:\n  550 5.1.1 Mailbox does not exist\n"},
		"orange": {"MAILER-DAEMON@orange.fr", "Non remis : Semaine 1",
			"Votre message n'a pas pu être remis à ana@example.org.\n550 5.1.1 Adresse inconnue\n"},
	} {
		m := msg(tc.subject, nil, tc.text)
		m.From = message.Address{Name: "Mail Delivery System", Email: tc.from}
		got := classify.Classify(m)
		if got.Kind != classify.KindBounce || got.Bounce == nil || got.Bounce.Recipient != "ana@example.org" || !got.Bounce.Hard {
			t.Errorf("%s: got %s %+v, want a hard bounce for ana@example.org", name, got.Kind, got.Bounce)
		}
	}
}
