package classify

import (
	"strings"

	"github.com/roundtablehq/roundtable/app/internal/lazyre"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// maxScan bounds how much body text the bounce patterns look at: the failure is
// always stated near the top.
const maxScan = 16 << 10

// daemonNames are the local parts and display names mail servers send bounces as.
var daemonNames = lazyre.New(`(?i)^(mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|postmaster|mail delivery (subsystem|system)|microsoft outlook|mail administrator)$`)

// bounceSubjects are words of the subjects of bounces from the common mail
// servers, in lower case. They are looked for as plain text: as one
// case-insensitive regular expression they took 19 µs of every message a sync
// reads (docs/benchmarks.md, session 9).
var bounceSubjects = []string{"undelivered mail returned to sender", "delivery status notification (failure)",
	"delivery status notification (delay)", "mail delivery failed", "undeliverable", "returned mail", "delivery failure",
	"failure notice", "mail delivery subsystem", "message not delivered", "delivery has failed", "could not send message",
	"delayed mail", "nicht zustellbar", "unzustellbar", "non remis", "impossible de remettre", "no se puede entregar",
	"no entregado", "non recapitabile", "onbestelbaar", "não entregue", "kan inte levereras"}

// bounceSubject reports whether a subject is a bounce's.
func bounceSubject(subject string) bool {
	s := strings.ToLower(subject)
	for _, p := range bounceSubjects {
		if strings.Contains(s, p) {
			return true
		}
	}
	// Sendmail's "Warning: message 4AB12 delayed 4 hours".
	const warning = "warning: message "
	i := strings.Index(s, warning)
	return i >= 0 && strings.Contains(s[i+len(warning):], " delayed")
}

// bounceBodies are sentences that only bounce texts contain.
var bounceBodies = lazyre.New(`(?i)(this is the qmail-send program|this is the mail system at host|i'm sorry to have to inform you that your message could not|delivery has failed to these recipients|your message couldn't be delivered|your message wasn't delivered|delivery to the following recipients? failed|the following message to .{0,200} was undeliverable|message could not be delivered to one or more recipients|permanent fatal errors|address not found|could not be delivered to the following recipients|the following addresses had permanent fatal errors|delivery to the following recipient has been delayed|undeliverable message)`)

// recipientAfter finds the failed address after the phrases that introduce it.
var recipientAfter = lazyre.New(`(?is)(delivery has failed to these recipients or groups:|following recipients? failed(?: permanently)?:|wasn't delivered to|could not be delivered to|permanent fatal errors|original-recipient:|final-recipient:|to the following recipients?:?|couldn't be delivered to|was undeliverable to|failed to deliver to|delivery to|following address(?:\(es\)|es)? failed:|your message to|nicht zugestellt werden:|konnte nicht zugestellt werden an|pas pu être remis à|pas pu être distribué à|no se pudo entregar a|non è stato possibile recapitare a)\W{0,40}(?:rfc822;\s*)?<?([A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`)

// angleRecipient is the "<user@example.com>:" line of Postfix and qmail texts.
var angleRecipient = lazyre.New(`(?m)^\s*<([^<>\s]+@[^<>\s]+)>:?[ \t]*(.*(?:\n[ \t]+.*|\n[^\n<][^\n]*)*)`)

// smtpLine finds an SMTP reply in a text: "550 5.1.1 <a@b>: user unknown" or
// "#550 5.1.1 RESOLVER.ADR.RecipNotFound".
var smtpLine = lazyre.New(`(?m)(?:^|[\s#(:'"])([245]\d\d)[ -]+(?:#?([245]\.\d{1,3}\.\d{1,3})\b)?([^\n]*)`)

// statusCode finds a bare enhanced status code.
var statusCode = lazyre.New(`\b([245]\.\d{1,3}\.\d{1,3})\b`)

// softWords and hardWords decide between temporary and permanent failure when no
// code does.
var (
	softWords = lazyre.New(`(?i)(mailbox (is )?full|over ?quota|quota exceeded|insufficient (system )?storage|temporar(y|ily)|try again later|delayed|will (be )?retr(y|ied)|greylist)`)
	hardWords = lazyre.New(`(?i)(user unknown|unknown user|no such (user|mailbox|address)|does not exist|doesn't exist|address not found|couldn't be found|not found|recipient address rejected|mailbox unavailable|invalid (recipient|address|mailbox)|account (has been )?disabled|no mailbox here|domain not found|host not found|permanent)`)
)

// bounce recognises a failed-delivery notice: a standard delivery report first,
// then the wording of servers that send none.
func bounce(m *message.Message) (Result, bool) {
	if r, ok := dsnBounce(m); ok {
		return r, true
	}
	from := m.From
	local := from.Email
	if i := strings.IndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	daemon := daemonNames.MatchString(local) || daemonNames.MatchString(strings.TrimSpace(from.Name)) ||
		(from.Email == "" && strings.Contains(strings.ToLower(m.Header.Get("From")), "mailer-daemon"))
	nullPath := strings.TrimSpace(m.Header.Get("Return-Path")) == "<>"
	text := m.Text
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	subject := bounceSubject(m.Subject)
	// The text is searched only when another signal makes it count: most mail
	// is a person's, and this is the costliest test.
	body := (daemon || nullPath || subject) && bounceBodies.MatchString(text)
	var reason string
	switch {
	case daemon && subject:
		reason = "bounce from " + sender(from) + " with subject “" + m.Subject + "”"
	case (daemon || nullPath) && body:
		reason = "bounce text from " + sender(from)
	case nullPath && subject:
		reason = "empty Return-Path and bounce subject “" + m.Subject + "”"
	case subject && body:
		reason = "bounce subject and text"
	default:
		return Result{}, false
	}
	b := bounceFromText(text)
	if b.Recipient == "" {
		for _, em := range m.Embedded {
			if len(em.To) > 0 {
				b.Recipient = em.To[0].Email
				break
			}
		}
	}
	return Result{Kind: KindBounce, Reason: reason, Bounce: b}, true
}

// dsnBounce reads a standard delivery report (RFC 3464).
func dsnBounce(m *message.Message) (Result, bool) {
	rep := m.Report
	if rep == nil || rep.Type != "delivery-status" || len(rep.Recipients) == 0 {
		return Result{}, false
	}
	var pick *message.RecipientStatus
	for i := range rep.Recipients {
		rs := &rep.Recipients[i]
		if rs.Action == "failed" {
			pick = rs
			break
		}
		if rs.Action == "delayed" && pick == nil {
			pick = rs
		}
	}
	if pick == nil {
		return Result{}, false
	}
	b := &Bounce{
		Recipient:  pick.FinalRecipient,
		Status:     pick.Status,
		Diagnostic: oneLine(dropContinuationCodes(pick.DiagnosticCode)),
	}
	if b.Recipient == "" {
		b.Recipient = pick.OriginalRecipient
	}
	if b.Diagnostic == "" {
		b.Diagnostic = bounceFromText(m.Text).Diagnostic
	}
	b.Hard = pick.Action == "failed" && isHard(b.Status, b.Diagnostic, true)
	reason := "delivery report: " + pick.Action
	if b.Status != "" {
		reason += " with status " + b.Status
	}
	return Result{Kind: KindBounce, Reason: reason, Bounce: b}, true
}

// bounceFromText pulls the failed recipient and the server's words from a
// bounce's human-readable text.
func bounceFromText(text string) *Bounce {
	b := &Bounce{}
	if mm := angleRecipient.FindStringSubmatch(text); mm != nil {
		b.Recipient = strings.ToLower(mm[1])
		b.Diagnostic = oneLine(mm[2])
	}
	if b.Recipient == "" {
		if mm := recipientAfter.FindStringSubmatch(text); mm != nil {
			b.Recipient = strings.ToLower(mm[len(mm)-1])
		}
	}
	if mm := smtpLine.FindStringSubmatch(text); mm != nil {
		if b.Diagnostic == "" || !strings.Contains(b.Diagnostic, mm[1]) {
			b.Diagnostic = oneLine(strings.TrimRight(mm[1]+" "+strings.TrimSpace(mm[2]+" "+mm[3]), `'"`))
		}
		b.Status = mm[2]
		if b.Status == "" {
			b.Status = statusCode.FindString(mm[3])
		}
	} else if b.Status == "" {
		b.Status = statusCode.FindString(b.Diagnostic)
	}
	if b.Diagnostic == "" {
		b.Diagnostic = oneLine(firstMatchLine(text))
	}
	b.Hard = isHard(b.Status, b.Diagnostic+"\n"+text, false)
	return b
}

// isHard decides permanence: the enhanced status first, then the basic SMTP
// code, then the wording. failed says the server already called it permanent.
func isHard(status, words string, failed bool) bool {
	switch status {
	case "5.2.2", "5.2.3", "5.3.4":
		return false // mailbox full, message too big: the address itself is fine
	}
	if strings.HasPrefix(status, "5.") {
		return true
	}
	if strings.HasPrefix(status, "4.") {
		return false
	}
	if mm := smtpLine.FindStringSubmatch(words); mm != nil {
		switch {
		case mm[1] == "552":
			return false
		case mm[1][0] == '5':
			return true
		case mm[1][0] == '4':
			return false
		}
	}
	if softWords.MatchString(words) {
		return false
	}
	if hardWords.MatchString(words) {
		return true
	}
	return failed
}

// continuationCode is the code that starts each line of a multi-line SMTP reply
// ("550-5.1.1 ", "550 5.1.1 ").
var continuationCode = lazyre.New(`\s[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3} )?`)

// dropContinuationCodes keeps the first code of a multi-line SMTP reply and drops
// the ones repeated on every following line, so the server's words read as one
// sentence.
func dropContinuationCodes(s string) string {
	if len(s) < 4 {
		return s
	}
	return s[:4] + continuationCode.ReplaceAllString(s[4:], " ")
}

// firstMatchLine returns the line that states the failure, for bounces that give
// no SMTP reply.
func firstMatchLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if hardWords.MatchString(l) || softWords.MatchString(l) {
			return l
		}
	}
	return ""
}

// oneLine folds a multi-line diagnostic into one readable line of bounded length.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func sender(a message.Address) string {
	if a.Email != "" {
		return a.Email
	}
	if a.Name != "" {
		return a.Name
	}
	return "the mail server"
}
