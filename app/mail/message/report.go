package message

import (
	"regexp"
	"strings"
)

// maxRecipients bounds the recipient blocks kept from one delivery report.
const maxRecipients = 1000

// statusPattern finds an enhanced status code (RFC 3463) such as 5.1.1.
var statusPattern = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)

// parseDeliveryStatus reads the body of a message/delivery-status part (RFC 3464):
// a block of per-message fields, then one block per recipient, separated by
// blank lines. Blocks that name a recipient are read as recipients even when a
// sloppy server runs them into the per-message block.
func parseDeliveryStatus(r *Report, body string) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	for _, block := range strings.Split(body, "\n\n") {
		fields := statusFields(block)
		if len(fields) == 0 {
			continue
		}
		if v := fields["reporting-mta"]; v != "" && r.ReportingMTA == "" {
			r.ReportingMTA = stripType(v)
		}
		if fields["final-recipient"] == "" && fields["original-recipient"] == "" && fields["action"] == "" {
			continue
		}
		if len(r.Recipients) >= maxRecipients {
			return
		}
		rs := RecipientStatus{
			FinalRecipient:    strings.ToLower(stripAngles(stripType(fields["final-recipient"]))),
			OriginalRecipient: strings.ToLower(stripAngles(stripType(fields["original-recipient"]))),
			Action:            strings.ToLower(firstWord(fields["action"])),
			Status:            statusPattern.FindString(fields["status"]),
			DiagnosticCode:    stripType(fields["diagnostic-code"]),
			RemoteMTA:         stripType(fields["remote-mta"]),
		}
		if rs.Status == "" {
			rs.Status = statusPattern.FindString(rs.DiagnosticCode)
		}
		r.Recipients = append(r.Recipients, rs)
	}
}

// statusFields reads "Name: value" lines with folded continuations into a map
// keyed by lower-case name; the first value of a name wins.
func statusFields(block string) map[string]string {
	fields := map[string]string{}
	last := ""
	for _, line := range strings.Split(block, "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			fields[last] += " " + strings.TrimSpace(line)
			continue
		}
		i := strings.IndexByte(line, ':')
		if i <= 0 {
			last = ""
			continue
		}
		name := strings.ToLower(strings.TrimSpace(line[:i]))
		if _, seen := fields[name]; seen {
			last = ""
			continue
		}
		fields[name] = strings.TrimSpace(line[i+1:])
		last = name
	}
	for k, v := range fields {
		fields[k] = clean(v)
	}
	return fields
}

// stripType drops the type prefix of a DSN field ("rfc822; a@b" → "a@b").
func stripType(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 && i < 20 && !strings.ContainsAny(v[:i], " <@") {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

func stripAngles(v string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(v), "<>"))
}

func firstWord(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}
