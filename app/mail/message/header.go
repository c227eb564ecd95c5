package message

import (
	"bufio"
	"bytes"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"
)

// maxIDs bounds the ids kept from References; real threads have tens.
const maxIDs = 500

// maxAddresses bounds the addresses kept from one header field.
const maxAddresses = 1000

// readHeader fills the header facts of msg. Every field is read leniently: a
// field that cannot be parsed is kept as well as it can be, never an error.
func readHeader(msg *Message, h gomessage.Header) {
	msg.Header = Header{}
	fields := h.Fields()
	for fields.Next() {
		k := fields.Key()
		msg.Header[k] = append(msg.Header[k], fixUTF8([]byte(fields.Value())))
	}
	mh := gomail.Header{Header: h}
	msg.MessageID = firstID(h.Get("Message-Id"))
	msg.InReplyTo = parseIDs(h.Get("In-Reply-To"))
	msg.References = parseIDs(h.Get("References"))
	if from := parseAddresses(h.Get("From")); len(from) > 0 {
		msg.From = from[0]
	}
	msg.To = parseAddresses(h.Get("To"))
	msg.Cc = parseAddresses(h.Get("Cc"))
	msg.ReplyTo = parseAddresses(h.Get("Reply-To"))
	for _, v := range h.Values("Delivered-To") {
		if a := parseAddresses(v); len(a) > 0 && a[0].Email != "" {
			msg.DeliveredTo = append(msg.DeliveredTo, a[0].Email)
		}
	}
	msg.Subject = clean(decodeWords(h.Get("Subject")))
	msg.Date = parseDate(mh)
}

// commonDate is the form nearly every mailer writes (RFC 5322 3.3 with a
// numeric zone); "2" takes a day of one digit or two.
const commonDate = "Mon, 2 Jan 2006 15:04:05 -0700"

// parseDate reads the Date field: the common form first, as net/mail tries two
// dozen layouts (the first ones without a weekday) and allocates an error for
// each that fails — a fifth of reading a header; then net/mail, then the
// layouts it does not accept.
func parseDate(h gomail.Header) time.Time {
	if d, err := time.Parse(commonDate, strings.TrimSpace(h.Get("Date"))); err == nil {
		return d
	}
	if d, err := h.Date(); err == nil {
		return d
	}
	return parseDateLoosely(h.Get("Date"))
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charset.Reader}

// decodeWords decodes RFC 2047 encoded words ("=?utf-8?q?...?=") and returns valid
// UTF-8 whatever the input: raw 8-bit header bytes that are not UTF-8 are read as
// Windows-1252, the usual charset of old mailers that send them.
func decodeWords(s string) string {
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	return fixUTF8([]byte(s))
}

// fixUTF8 returns b as a string of valid UTF-8, reading it as Windows-1252 when it
// is not UTF-8 already.
func fixUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// clean drops control characters (a folded header's CR and LF among them) that
// must not reach the UI or the database, and trims the result.
func clean(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// bracketedIDs returns the "<id>" message ids in v, at most max, as the
// expression <([^<>\s]+)> finds them (FuzzBracketedIDsAgreeWithTheExpression):
// a scan, where the expression took 6 µs of every header read (Message-ID,
// In-Reply-To and References), a tenth of an import's header parsing.
func bracketedIDs(v string, max int) []string {
	var ids []string
	for i := strings.IndexByte(v, '<'); i >= 0 && len(ids) < max; {
		j := i + 1
		for j < len(v) && !idStop(v[j]) {
			j++
		}
		if j < len(v) && v[j] == '>' && j > i+1 {
			ids = append(ids, v[i+1:j])
			j++
		}
		// No match starts between i and j: the next can start only at a '<'.
		k := strings.IndexByte(v[j:], '<')
		if k < 0 {
			break
		}
		i = j + k
	}
	return ids
}

// idStop is what ends an id: a bracket or white space (the expression's \s).
func idStop(c byte) bool {
	return c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// parseIDs reads a list of message ids ("<a@b> <c@d>"), leniently: ids without
// brackets, separated by spaces or commas, are accepted too, as some mailers
// write them so.
func parseIDs(v string) []string {
	v = clean(v)
	if v == "" {
		return nil
	}
	ids := bracketedIDs(v, maxIDs)
	if len(ids) > 0 {
		return ids
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		if strings.Contains(f, "@") && len(ids) < maxIDs {
			ids = append(ids, strings.Trim(f, "<>\"'"))
		}
	}
	return ids
}

// firstID reads one message id.
func firstID(v string) string {
	ids := parseIDs(v)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// emailPattern finds something shaped like an address in text that net/mail
// could not parse.
var emailPattern = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)

// parseAddresses reads an address list, falling back to picking out anything
// shaped like an address when the field is not valid RFC 5322 (unquoted commas
// or dots in names, missing brackets), which is common in the wild.
func parseAddresses(v string) []Address {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	var out []Address
	if list, err := gomail.ParseAddressList(v); err == nil {
		for _, a := range list {
			if len(out) >= maxAddresses {
				break
			}
			out = append(out, Address{Name: clean(fixUTF8([]byte(a.Name))), Email: strings.ToLower(clean(fixUTF8([]byte(a.Address))))})
		}
		return out
	}
	for _, e := range emailPattern.FindAllString(v, maxAddresses) {
		out = append(out, Address{Email: strings.ToLower(e)})
	}
	if len(out) == 1 {
		// Keep the display name of the single address when it is plain to see:
		// `Dr. Jane Doe <jane@example.com>`.
		if i := strings.IndexByte(v, '<'); i > 0 {
			out[0].Name = clean(strings.Trim(decodeWords(v[:i]), ` "'`))
		}
	}
	if len(out) == 0 {
		// "MAILER-DAEMON" and the like: no address, but a name worth keeping.
		out = append(out, Address{Name: clean(decodeWords(v))})
	}
	return out
}

// dateLayouts are the shapes of Date fields seen in the wild that net/mail rejects.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon, 02-Jan-2006 15:04:05 -0700",
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
}

// parseDateLoosely tries the layouts net/mail does not accept and returns the
// zero time when none fits.
func parseDateLoosely(v string) time.Time {
	v = strings.Join(strings.Fields(clean(v)), " ")
	if v == "" {
		return time.Time{}
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// returnedMessageID reads the Message-ID from the header block of a returned
// message (a text/rfc822-headers part).
func returnedMessageID(b []byte) string {
	h, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(b)))
	return firstID(h.Get("Message-Id"))
}
