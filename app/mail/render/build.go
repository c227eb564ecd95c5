package render

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/mail"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roundtablehq/roundtable/app"
	"golang.org/x/net/idna"
)

// Envelope holds the headers of one outgoing message that are not its content:
// who it is from and to, how replies find their way back, and the thread.
type Envelope struct {
	FromName, FromEmail string
	ToName, ToEmail     string
	// ReplyTo is the tokenised reply address, e.g. coach+rt-TOKEN@domain; empty
	// means replies go to From.
	ReplyTo string
	// MessageID is the id without angle brackets, e.g. from NewMessageID. Required:
	// the outbox records it before sending so that replies can be threaded.
	MessageID  string
	InReplyTo  string   // without angle brackets; empty for a new thread
	References []string // without angle brackets, oldest first
	// ListUnsubscribe is a mailto: URL; Gmail and Apple Mail show an unsubscribe
	// button for it.
	ListUnsubscribe string
	// ListID and ListName make the List-Id field (RFC 2919): ListID is the
	// list identifier without angle brackets (a dot-atom such as
	// cohort-7.roundtable.example.com), ListName its description (the
	// cohort's name). Empty ListID: no List-Id.
	ListID, ListName string
	Date             time.Time // zero means now
	// Headers are extra fields such as X-Roundtable-Post. Fields that Build writes
	// itself, and Cc/Bcc (a message goes to one member), are refused.
	Headers map[string]string
}

// Attachment is a file sent with the message.
type Attachment struct {
	Filename    string
	ContentType string // empty means guessed from the name, else application/octet-stream
	Data        []byte
}

// Build writes the complete message: headers, then multipart/alternative with the
// text part first and the HTML part second (clients show the last part they can
// display), wrapped in multipart/mixed when there are attachments. Lines end in
// CRLF and none is longer than 78 characters except a header token that cannot be
// folded (still under 998), so the bytes go to SMTP DATA as they are. The same
// arguments give the same bytes (the boundaries derive from the Message-ID),
// so a copy rebuilt for a resend is the message first sent, given its Date.
//
// Bodies are UTF-8 in quoted-printable with lines of at most 76 characters, a
// leading "." or "From " encoded so that no relay's dot-stuffing or mbox quoting
// can alter them. Non-ASCII names and subjects are RFC 2047 encoded words, folded
// between words.
//
// Build also sets "X-Auto-Response-Suppress: OOF, AutoReply": an announcement
// goes to a whole cohort, and Exchange and Outlook then skip the out-of-office
// notice each member's mailbox would send back; the coach gains nothing from a
// dozen of them, and those that other servers still send are recognised on import.
// It does not set Precedence (deprecated, and a bulk hint hurts delivery) nor
// Auto-Submitted (the coach wrote the announcement; digests may add it through
// Headers).
//
// A CR or LF in any header value is refused with an app.EINVALID error, so no
// value can add a header.
func Build(env Envelope, b Body, atts []Attachment) ([]byte, error) {
	if len(b.Calendar) > 0 && !calendarMethods[b.CalendarMethod] {
		return nil, app.Errorf(app.EINVALID, "%q is not an iTIP method Roundtable sends.", b.CalendarMethod)
	}
	h, err := header(env, b.Subject)
	if err != nil {
		return nil, err
	}
	var w bytes.Buffer
	w.Grow(len(h) + (len(b.Text)+len(b.HTML))*11/10 + 512)
	w.Write(h)

	alt := boundary(env.MessageID, "alt")
	if len(atts) == 0 {
		w.WriteString("Content-Type: multipart/alternative;\r\n boundary=\"" + alt + "\"\r\n\r\n")
		writeAlternative(&w, alt, b)
		return w.Bytes(), nil
	}
	parts := make([]attachmentPart, len(atts))
	for i, a := range atts {
		p, err := attachmentHeader(a)
		if err != nil {
			return nil, err
		}
		parts[i] = p
	}
	mixed := boundary(env.MessageID, "mixed")
	w.WriteString("Content-Type: multipart/mixed;\r\n boundary=\"" + mixed + "\"\r\n\r\n")
	w.WriteString("--" + mixed + "\r\n")
	w.WriteString("Content-Type: multipart/alternative;\r\n boundary=\"" + alt + "\"\r\n\r\n")
	writeAlternative(&w, alt, b)
	for i, p := range parts {
		w.WriteString("\r\n--" + mixed + "\r\n")
		w.WriteString(p.header)
		writeBase64(&w, atts[i].Data)
	}
	w.WriteString("\r\n--" + mixed + "--\r\n")
	return w.Bytes(), nil
}

// calendarMethods are the iTIP methods a message may carry (RFC 5546): the
// method goes into a header, so nothing else is let through.
var calendarMethods = map[string]bool{"REQUEST": true, "CANCEL": true, "REPLY": true}

func writeAlternative(w *bytes.Buffer, alt string, b Body) {
	w.WriteString("--" + alt + "\r\n")
	w.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	writeQP(w, b.Text)
	w.WriteString("\r\n--" + alt + "\r\n")
	w.WriteString("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	writeQP(w, b.HTML)
	if len(b.Calendar) > 0 {
		// The calendar goes last (clients show the last part they understand),
		// with the same METHOD as inside it, as RFC 6047 2.4 asks; base64 keeps
		// its CRLF lines byte for byte.
		w.WriteString("\r\n--" + alt + "\r\n")
		w.WriteString("Content-Type: text/calendar; charset=utf-8; method=" + b.CalendarMethod + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(w, []byte(b.Calendar))
	}
	w.WriteString("\r\n--" + alt + "--\r\n")
}

// reservedHeaders are the fields Build writes or that must never be added.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true, "reply-to": true,
	"subject": true, "date": true, "message-id": true, "in-reply-to": true, "references": true,
	"list-unsubscribe": true, "list-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "x-auto-response-suppress": true,
	"return-path": true, "received": true,
}

func header(env Envelope, subject string) ([]byte, error) {
	for _, f := range []struct{ what, v string }{
		{"subject", subject}, {"sender name", env.FromName}, {"sender address", env.FromEmail},
		{"member name", env.ToName}, {"member address", env.ToEmail}, {"reply address", env.ReplyTo},
		{"Message-ID", env.MessageID}, {"In-Reply-To", env.InReplyTo}, {"unsubscribe address", env.ListUnsubscribe},
		{"list name", env.ListName},
	} {
		if err := oneLine(f.what, f.v); err != nil {
			return nil, err
		}
	}
	from, err := address(env.FromName, env.FromEmail, "sender")
	if err != nil {
		return nil, err
	}
	to, err := address(env.ToName, env.ToEmail, "member")
	if err != nil {
		return nil, err
	}
	if err := msgID(env.MessageID, "Message-ID"); err != nil {
		return nil, err
	}
	date := env.Date
	if date.IsZero() {
		date = time.Now()
	}

	var h headerWriter
	h.b.Grow(1024)
	h.field("Date", date.Format(time.RFC1123Z))
	h.field("From", from)
	h.field("To", to)
	if env.ReplyTo != "" {
		rt, err := address("", env.ReplyTo, "reply")
		if err != nil {
			return nil, err
		}
		h.field("Reply-To", rt)
	}
	h.field("Subject", encodeUnstructured(subject))
	h.field("Message-ID", "<"+env.MessageID+">")
	if env.InReplyTo != "" {
		if err := msgID(env.InReplyTo, "In-Reply-To"); err != nil {
			return nil, err
		}
		h.field("In-Reply-To", "<"+env.InReplyTo+">")
	}
	if len(env.References) > 0 {
		refs := make([]string, len(env.References))
		for i, r := range env.References {
			if err := oneLine("References", r); err != nil {
				return nil, err
			}
			if err := msgID(r, "References"); err != nil {
				return nil, err
			}
			refs[i] = "<" + r + ">"
		}
		h.field("References", strings.Join(refs, " "))
	}
	if env.ListUnsubscribe != "" {
		if !strings.HasPrefix(strings.ToLower(env.ListUnsubscribe), "mailto:") || !linkableURL(env.ListUnsubscribe) {
			return nil, app.Errorf(app.EINVALID, "The unsubscribe address %q must be a mailto: address.", env.ListUnsubscribe)
		}
		h.field("List-Unsubscribe", "<"+env.ListUnsubscribe+">")
	}
	if env.ListID != "" {
		v, err := listID(env.ListName, env.ListID)
		if err != nil {
			return nil, err
		}
		h.field("List-Id", v)
	}
	h.field("X-Auto-Response-Suppress", "OOF, AutoReply")
	if len(env.Headers) > 0 {
		keys := make([]string, 0, len(env.Headers))
		for k := range env.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := env.Headers[k]
			if !validFieldName(k) || reservedHeaders[strings.ToLower(k)] {
				return nil, app.Errorf(app.EINVALID, "The header name %q cannot be added to a message.", k)
			}
			if err := oneLine("header "+k, v); err != nil {
				return nil, err
			}
			h.field(k, encodeUnstructured(v))
		}
	}
	h.field("MIME-Version", "1.0")
	if h.err != nil {
		return nil, h.err
	}
	return h.b.Bytes(), nil
}

// oneLine refuses a header value with a line break or other control character:
// that is how a header is injected.
func oneLine(what, v string) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return app.Errorf(app.EINVALID, "The %s contains a line break or control character.", what)
		}
	}
	return nil
}

// address formats one mailbox: the name as a quoted string when it is ASCII, as
// base64 encoded words when not (B rather than Q encoding: inside a phrase Q
// encoding must also escape , " ( ) and more, which Go's encoder does not), and
// the address with an IDNA (punycode) domain.
func address(name, addr, what string) (string, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(addr) {
		return "", app.Errorf(app.EINVALID, "The %s address %q is not a valid email address.", what, addr)
	}
	at := strings.LastIndexByte(a.Address, '@')
	local, domain := a.Address[:at], a.Address[at+1:]
	if !isASCII(local) {
		return "", app.Errorf(app.EINVALID, "The %s address %q has non-ASCII letters before the @, which most mail servers cannot deliver.", what, addr)
	}
	if !isASCII(domain) {
		if domain, err = idna.Lookup.ToASCII(domain); err != nil {
			return "", app.Errorf(app.EINVALID, "The %s address %q has an invalid domain.", what, addr)
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return local + "@" + domain, nil
	}
	if isASCII(name) && !strings.Contains(name, "=?") {
		return quotePhrase(name) + " <" + local + "@" + domain + ">", nil
	}
	return encodeWords(name, true) + " <" + local + "@" + domain + ">", nil
}

// quotePhrase returns name as RFC 5322 atoms when it has no specials, else as a
// quoted string.
func quotePhrase(name string) string {
	plain := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == ' ' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0) {
			plain = false
			break
		}
	}
	if plain && !strings.Contains(name, "  ") {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		if name[i] == '"' || name[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(name[i])
	}
	b.WriteByte('"')
	return b.String()
}

// listID formats a List-Id value (RFC 2919): the description as a quoted
// string (base64 encoded words when it is not ASCII, as for names), then the
// identifier in angle brackets. The identifier must be a dot-atom of at most
// 255 characters with at least one dot (list-label "." namespace).
func listID(name, id string) (string, error) {
	ok := len(id) <= 255 && strings.Contains(id, ".") && !strings.HasPrefix(id, ".") && !strings.HasSuffix(id, ".") &&
		!strings.Contains(id, "..")
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".!#$%&'*+-/=?^_`{|}~", c) >= 0
	}
	if !ok {
		return "", app.Errorf(app.EINVALID, "The list identifier %q is not of the form label.domain.", id)
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "<" + id + ">", nil
	case isASCII(name) && !strings.Contains(name, "=?"):
		return quotePhraseAlways(name) + " <" + id + ">", nil
	}
	return encodeWords(name, true) + " <" + id + ">", nil
}

// msgID checks that id can go between angle brackets as a Message-ID.
func msgID(id, what string) error {
	at := strings.LastIndexByte(id, '@')
	if at <= 0 || at == len(id)-1 || strings.ContainsAny(id, " \t<>()[]\\\",;:") || !isASCII(id) {
		return app.Errorf(app.EINVALID, "The %s %q is not of the form local@domain.", what, id)
	}
	return nil
}

// encodeUnstructured returns s for an unstructured field (Subject, X- headers):
// as is when it is printable ASCII, otherwise as encoded words, Q encoding for
// mostly-Latin text (readable in raw source) and B encoding when most characters
// are not ASCII (Japanese: a third shorter). A literal "=?" is encoded too, so
// text that looks like an encoded word is not decoded as one.
func encodeUnstructured(s string) string {
	nonASCII := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			nonASCII++
		}
	}
	long := false
	for _, w := range strings.Fields(s) {
		if len(w) > 900 {
			long = true
		}
	}
	if nonASCII == 0 && !long && !strings.Contains(s, "=?") {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return encodeWords(s, nonASCII*3 > len(s))
}

// maxWord is the longest encoded word written: short enough that "Subject: " or
// ` filename="` plus one word stays within 78 columns (RFC 2047 allows 75).
const maxWord = 66

// encodeWords encodes s as RFC 2047 encoded words of at most maxWord characters,
// split between characters (never inside one), separated by spaces so the header
// writer can fold between them; decoders drop that space. Q encoding here is the
// strict form allowed inside a phrase: only letters, digits and !*+-/ stay as
// they are.
func encodeWords(s string, b64 bool) string {
	var out strings.Builder
	out.Grow(len(s) * 2)
	prefix := "=?utf-8?q?"
	if b64 {
		prefix = "=?utf-8?b?"
	}
	budget := maxWord - len(prefix) - 2
	var chunk []byte
	size := 0 // encoded length of chunk
	flush := func() {
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(prefix)
		if b64 {
			out.WriteString(base64.StdEncoding.EncodeToString(chunk))
		} else {
			for _, c := range chunk {
				switch {
				case c == ' ':
					out.WriteByte('_')
				case qSafe(c):
					out.WriteByte(c)
				default:
					out.WriteByte('=')
					out.WriteByte(hexUpper[c>>4])
					out.WriteByte(hexUpper[c&0x0f])
				}
			}
		}
		out.WriteString("?=")
		chunk, size = chunk[:0], 0
	}
	for _, r := range s {
		var rb [utf8.UTFMax]byte
		n := utf8.EncodeRune(rb[:], r)
		add := 0
		if b64 {
			add = base64.StdEncoding.EncodedLen(len(chunk)+n) - size
		} else {
			for _, c := range rb[:n] {
				if c == ' ' || qSafe(c) {
					add++
				} else {
					add += 3
				}
			}
		}
		if size+add > budget && len(chunk) > 0 {
			flush()
			if b64 {
				add = base64.StdEncoding.EncodedLen(n)
			}
		}
		chunk = append(chunk, rb[:n]...)
		size += add
	}
	if len(chunk) > 0 || out.Len() == 0 {
		flush()
	}
	return out.String()
}

func qSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '!' || c == '*' || c == '+' || c == '-' || c == '/'
}

// headerWriter writes folded header fields: lines of at most 78 characters,
// folded before a space, longer only for a token with no space in it.
type headerWriter struct {
	b   bytes.Buffer
	err error
}

const (
	foldAt    = 78
	maxLine   = 998
	b64LineIn = 57 // bytes per 76-character base64 line
)

func (h *headerWriter) field(name, value string) {
	h.b.WriteString(name)
	h.b.WriteString(":")
	lineLen := len(name) + 1
	for len(value) > 0 {
		// Take the next word with the spaces before it.
		i := 0
		for i < len(value) && value[i] == ' ' {
			i++
		}
		j := strings.IndexByte(value[i:], ' ')
		if j < 0 {
			j = len(value)
		} else {
			j += i
		}
		word := value[:j]
		if i == 0 && lineLen == len(name)+1 {
			word = " " + word // the space after the colon
		}
		if lineLen+len(word) > foldAt && lineLen > len(name)+1 && i > 0 {
			h.b.WriteString("\r\n")
			lineLen = 0
		}
		h.b.WriteString(word)
		lineLen += len(word)
		if lineLen > maxLine {
			h.err = app.Errorf(app.EINVALID, "The %s header has a word too long for email.", name)
		}
		value = value[j:]
	}
	h.b.WriteString("\r\n")
}

func validFieldName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

type attachmentPart struct{ header string }

// attachmentHeader builds an attachment's part header. A non-ASCII file name is
// sent as RFC 2047 encoded words inside the quoted parameter, as Gmail does: it is
// what Outlook, Apple Mail and Gmail all read.
func attachmentHeader(a Attachment) (attachmentPart, error) {
	if err := oneLine("attachment name", a.Filename); err != nil {
		return attachmentPart{}, err
	}
	if err := oneLine("attachment type", a.ContentType); err != nil {
		return attachmentPart{}, err
	}
	name := cleanFilename(a.Filename)
	ct := a.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(name))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return attachmentPart{}, app.Errorf(app.EINVALID, "The attachment type %q is not a valid media type.", a.ContentType)
	}
	delete(params, "name")
	ct = mime.FormatMediaType(mt, params)
	if ct == "" {
		return attachmentPart{}, app.Errorf(app.EINVALID, "The attachment type %q is not a valid media type.", a.ContentType)
	}
	quoted := quotedParam(name)
	var h headerWriter
	h.field("Content-Type", ct+"; name="+quoted)
	h.field("Content-Disposition", "attachment; filename="+quoted)
	h.field("Content-Transfer-Encoding", "base64")
	if h.err != nil {
		return attachmentPart{}, h.err
	}
	h.b.WriteString("\r\n")
	return attachmentPart{header: h.b.String()}, nil
}

// cleanFilename keeps the last path element and drops characters that mail
// clients or file systems trip on.
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`"*:<>?|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" || name == "." || name == ".." {
		name = "attachment"
	}
	return name
}

func quotedParam(name string) string {
	if isASCII(name) && !strings.Contains(name, "=?") {
		return quotePhraseAlways(name)
	}
	return `"` + encodeWords(name, true) + `"`
}

func quotePhraseAlways(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// boundary returns the multipart boundary of one level ("alt", "mixed") of the
// message with this Message-ID. It is derived from them rather than random so
// that building the same copy again, as a resend after a crash does, gives the
// same bytes. It need not be unguessable: every body part is quoted-printable
// or base64, and neither can put "=_" in a line (quoted-printable writes "=" as
// "=3D"), so no text can contain a line that starts with "--rt=_".
func boundary(messageID, level string) string {
	sum := sha256.Sum256([]byte(level + "\x00" + messageID))
	return "rt=_" + hex.EncodeToString(sum[:12])
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewMessageID returns a new Message-ID (without angle brackets) under domain,
// e.g. "rt.k3j...@coach.example". It carries 128 bits from crypto/rand, so it is
// unique and cannot be guessed: a reply quoting it proves the sender saw the
// message.
func NewMessageID(domain string) string {
	var r [16]byte
	_, _ = rand.Read(r[:])
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" {
		domain = "roundtable.invalid"
	}
	return "rt." + idEncoding.EncodeToString(r[:]) + "@" + domain
}

func writeBase64(w *bytes.Buffer, data []byte) {
	var line [76]byte
	for len(data) > 0 {
		n := min(len(data), b64LineIn)
		base64.StdEncoding.Encode(line[:], data[:n])
		w.Write(line[:base64.StdEncoding.EncodedLen(n)])
		w.WriteString("\r\n")
		data = data[n:]
	}
}

const hexUpper = "0123456789ABCDEF"

// qpLiteral marks the bytes quoted-printable may leave as they are anywhere.
var qpLiteral = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = c != '='
	}
	return t
}()

// writeQP writes s quoted-printable (RFC 2045 §6.7) with CRLF line ends: output
// lines of at most 76 characters, soft breaks never inside an =XX escape, spaces
// and tabs before a line end encoded, and a "." or "From " at the start of an
// output line encoded so relays and mbox files leave it alone. Any LF, CRLF or
// lone CR in s is a line break.
func writeQP(w *bytes.Buffer, s string) {
	w.Grow(len(s) + len(s)/8 + 16)
	w.Write(appendQP(w.AvailableBuffer(), s))
}

func appendQP(dst []byte, s string) []byte {
	const maxLen = 76
	col := 0
	for i := 0; i < len(s); i++ {
		// Most of a line goes as it is: copy such a run at once. A byte
		// needs no decision when it is not a line's first (the "." and
		// "From " rule), stays short of the soft-break column, and is
		// literal, or a space or tab with more of the line after it.
		if col > 0 {
			j, end := i, min(len(s), i+maxLen-2-col)
			for j < end && (qpLiteral[s[j]] || (s[j] == ' ' || s[j] == '\t') && j+1 < len(s) && s[j+1] != '\n' && s[j+1] != '\r') {
				j++
			}
			if j > i {
				dst = append(dst, s[i:j]...)
				col += j - i
				i = j - 1
				continue
			}
		}
		c := s[i]
		if c == '\r' || c == '\n' {
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			dst = append(dst, '\r', '\n')
			col = 0
			continue
		}
		n := 1
		switch {
		case qpLiteral[c]:
			if col == 0 && (c == '.' || c == 'F' && strings.HasPrefix(s[i:], "From ")) {
				n = 3
			}
		case c == ' ' || c == '\t':
			if i+1 == len(s) || s[i+1] == '\n' || s[i+1] == '\r' {
				n = 3
			}
		default:
			n = 3
		}
		if col+n > maxLen-1 {
			// Keep room for the soft break "=", unless this is the line's last char.
			atEnd := i+1 == len(s) || s[i+1] == '\n' || s[i+1] == '\r'
			if !atEnd || col+n > maxLen {
				dst = append(dst, '=', '\r', '\n')
				col = 0
				if c == '.' || c == 'F' && strings.HasPrefix(s[i:], "From ") {
					n = 3
				}
			}
		}
		if n == 3 {
			dst = append(dst, '=', hexUpper[c>>4], hexUpper[c&0x0f])
		} else {
			dst = append(dst, c)
		}
		col += n
	}
	return dst
}
