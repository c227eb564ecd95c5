// Package trust decides how sure Roundtable can be that a message comes from the
// address in its From header. A From header proves nothing: anyone can write any
// address there. What can be believed is the verdict of the coach's own mail
// provider, which checked the sending server (SPF) and the signature (DKIM) when
// the message arrived, and wrote what it found, with DMARC's conclusion, into an
// Authentication-Results header (RFC 8601) at the top of the message.
//
// Only that one header counts: the topmost Authentication-Results field, and only
// when it carries the provider's authserv-id, which the coach's settings name. A
// sender can write any number of Authentication-Results fields into their own
// message, but they end up below the provider's, so they are never read.
package trust

import (
	"fmt"
	"strings"

	"github.com/emersion/go-msgauth/authres"
	"golang.org/x/net/publicsuffix"
)

// Levels of trust in a reply's sender, shown on every reply.
const (
	// Verified: the provider's verdict passes for the sender's address.
	Verified = "verified"
	// Plausible: the sender is the member (or an alias), and the provider gave no
	// verdict at all (some self-hosted servers add none; some domains publish no
	// policy to check against).
	Plausible = "plausible"
	// Unverified: the sender is not the member the reply address was given to, or
	// the provider's verdict fails. Such mail waits for the coach.
	Unverified = "unverified"
)

// NoServID stands for the authserv-id of a provider whose Authentication-Results
// field starts without one: Outlook and Microsoft 365 write "spf=pass ...; dkim=..."
// with no name in front, against RFC 8601.
const NoServID = "(none)"

// Results of the provider's check of the From address.
const (
	Pass = "pass" // DMARC passed, or a DKIM signature of the From domain verified
	Fail = "fail" // DMARC failed, or SPF failed for the From domain
	None = "none" // no verdict about the From domain: nothing to go on either way
)

// Verdict is what the provider said about a message's From address.
type Verdict struct {
	Result string // Pass, Fail or None
	ServID string // the authserv-id of the field that was read; "" when none was
	Method string // what decided: "dmarc", "dkim", "spf"; "" for None
	Reason string // in the coach's words
}

// TopServID returns the authserv-id of the topmost Authentication-Results field
// (NoServID for one without), and "" when the message has none. The settings
// learn the provider's name from it, with the coach's confirmation.
func TopServID(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	id, _, err := parse(fields[0])
	if err != nil {
		return ""
	}
	return id
}

// Check reads the provider's verdict on the From address from. fields are the
// message's Authentication-Results fields, topmost first; servID is the
// provider's authserv-id from the settings ("" when the coach has not named it:
// then no field is believed). A provider named "example.net" also covers the
// hosts under it ("mx3.example.net"), since large providers stamp the name of
// the receiving host.
func Check(fields []string, from, servID string) Verdict {
	domain := domainOf(from)
	if servID == "" || len(fields) == 0 {
		return Verdict{Result: None, Reason: "Your mail provider added no verdict on who sent it."}
	}
	id, results, err := parse(fields[0])
	if err != nil || !sameServ(id, servID) {
		return Verdict{Result: None, Reason: "Your mail provider added no verdict on who sent it."}
	}
	v := Verdict{ServID: id}
	provider := id
	if id == NoServID {
		provider = "Your mail provider"
	}
	var dkimFail, spfFail bool
	for _, r := range results {
		switch r := r.(type) {
		case *authres.DMARCResult:
			if r.From != "" && !strings.EqualFold(r.From, domain) {
				continue // about another domain than the From address's
			}
			switch r.Value {
			case authres.ResultPass:
				return Verdict{Result: Pass, ServID: id, Method: "dmarc",
					Reason: fmt.Sprintf("%s confirmed it comes from %s (DMARC passed).", provider, domain)}
			case authres.ResultFail:
				return Verdict{Result: Fail, ServID: id, Method: "dmarc",
					Reason: fmt.Sprintf("%s says it did not come from %s (DMARC failed): a forgery, or a forward through another server?", provider, domain)}
			}
		case *authres.DKIMResult:
			if !aligned(dkimDomain(r), domain) {
				continue
			}
			switch r.Value {
			case authres.ResultPass:
				v = Verdict{Result: Pass, ServID: id, Method: "dkim",
					Reason: fmt.Sprintf("%s confirmed it was signed by %s (DKIM passed).", provider, domain)}
			case authres.ResultFail:
				dkimFail = true
			}
		case *authres.SPFResult:
			if r.Value == authres.ResultFail && aligned(domainOf(r.From), domain) {
				spfFail = true
			}
		}
	}
	switch {
	case v.Result == Pass:
		return v
	case spfFail || dkimFail:
		method := "spf"
		if dkimFail {
			method = "dkim"
		}
		return Verdict{Result: Fail, ServID: id, Method: method,
			Reason: fmt.Sprintf("%s says %s did not send it (%s failed): a forgery?", provider, domain, strings.ToUpper(method))}
	}
	return Verdict{Result: None, ServID: id,
		Reason: fmt.Sprintf("%s could not check %s (it publishes no DMARC policy and the message carries no signature of it).", provider, domain)}
}

// Level is the trust in a reply from its verdict: sender tells whether the From
// address is the member's own (their address or an alias). whyNot says, when the
// sender is not the member, in the coach's words what is wrong.
func Level(v Verdict, sender bool, whyNot string) (level, reason string) {
	switch {
	case !sender:
		return Unverified, whyNot
	case v.Result == Pass:
		return Verified, v.Reason
	case v.Result == Fail:
		return Unverified, v.Reason
	}
	return Plausible, "From the member's address. " + v.Reason
}

// parse reads one Authentication-Results field. Comments are dropped first (the
// library keeps them, and Outlook's "(sender IP is ...)" right after its
// first result would otherwise be read as a version); a field without an
// authserv-id (Outlook) is read with NoServID as its id.
func parse(field string) (string, []authres.Result, error) {
	field = stripComments(field)
	first, _, _ := strings.Cut(field, ";")
	if strings.Contains(first, "=") {
		field = NoServID + "; " + field
	}
	id, results, err := authres.Parse(field)
	return strings.ToLower(id), results, err
}

// stripComments removes RFC 5322 comments (nested parentheses), leaving quoted
// strings alone.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted, escaped := 0, false, false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
			if depth == 0 {
				b.WriteRune(r)
			}
			continue
		case r == '\\':
			escaped = true
		case quoted:
			if r == '"' {
				quoted = false
			}
		case r == '"' && depth == 0:
			quoted = true
		case r == '(':
			depth++
			continue
		case r == ')' && depth > 0:
			depth--
			b.WriteByte(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sameServ(id, servID string) bool {
	servID = strings.ToLower(strings.TrimSpace(servID))
	return id == servID || (id != NoServID && servID != NoServID && strings.HasSuffix(id, "."+servID))
}

func domainOf(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[i+1:]
	}
	return strings.ToLower(strings.TrimSuffix(addr, "."))
}

// dkimDomain is the signing domain: header.d, or the domain of header.i (Gmail
// writes only header.i=@example.com).
func dkimDomain(r *authres.DKIMResult) string {
	if r.Domain != "" {
		return strings.ToLower(r.Domain)
	}
	return domainOf(r.Identifier)
}

// aligned reports DMARC's relaxed alignment: both domains under the same
// registered domain (mail.example.com and example.com are; example.com and
// example.net are not).
func aligned(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	oa, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	ob, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	return err1 == nil && err2 == nil && oa == ob
}
