package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
	"github.com/roundtablehq/roundtable/app"
)

// maxHeaderBytes bounds one header block; real headers are a few kilobytes.
const maxHeaderBytes = 1 << 20

// maxSmallPartBytes bounds the machine-readable parts read whole (delivery
// status, returned headers): real ones are a few kilobytes.
const maxSmallPartBytes = 1 << 20

// errTooBig is returned by sizeReader once more than the limit has been read.
var errTooBig = errors.New("message: over the size limit")

// errStop unwinds the walk once the message is over the part limit.
var errStop = errors.New("message: stop walking")

// sizeReader passes bytes through until more than max have been read, then
// fails every read with errTooBig, so a huge message is refused while it streams
// instead of after it has been held in memory.
type sizeReader struct {
	r    io.Reader
	max  int64
	n    int64
	over bool
}

func (s *sizeReader) Read(p []byte) (int, error) {
	if s.over {
		return 0, errTooBig
	}
	if rest := s.max + 1 - s.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.n > s.max {
		s.over = true
		return 0, errTooBig
	}
	return n, err
}

// state is shared by a message and the messages embedded in it, so that limits
// on parts apply to the whole email, not to each level afresh.
type state struct {
	lim         Limits
	kept        int64 // bytes of attachments and embedded messages kept so far
	keptNoted   bool
	parts       int
	partsNoted  bool
	depthNoted  bool
	brokenNoted bool
}

// walker collects the parts of one message (the top-level one or an embedded one).
type walker struct {
	st       *state
	msg      *Message
	texts    []string
	htmls    []string
	inReport bool
}

// Parse reads one email from r and returns what Roundtable keeps of it. A message
// over lim.MaxMessageBytes, or one whose header cannot be read at all, is an
// app.EINVALID error; anything else odd is recorded in Message.Notes. Zero fields
// of lim take their value from DefaultLimits.
func Parse(r io.Reader, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	sr := &sizeReader{r: r, max: lim.MaxMessageBytes}
	st := &state{lim: lim}
	msg, err := parseEntity(sr, knownSize(r), st, 0)
	if err == nil || errors.Is(err, errStop) {
		// Read what is left so that the size limit holds for every message,
		// however early the walk stopped.
		_, err = io.Copy(io.Discard, sr)
	}
	if sr.over || errors.Is(err, errTooBig) {
		return nil, app.Errorf(app.EINVALID, "The message is larger than %s, the most Roundtable imports.", humanBytes(lim.MaxMessageBytes))
	}
	if err != nil {
		return nil, err
	}
	return msg, nil
}

// ParseHeader reads only the header of an email, as IMAP sends it before the body
// is fetched, so that unrelated mail can be skipped without downloading it.
func ParseHeader(r io.Reader) (*Message, error) {
	e, _, _, err := readEntity(io.LimitReader(r, maxHeaderBytes+1), knownSize(r))
	if err != nil {
		return nil, err
	}
	msg := &Message{}
	readHeader(msg, e.Header)
	return msg, nil
}

// headerLimit caps the bytes read while the header is parsed; once the header is
// read its cap is lifted for the body.
type headerLimit struct {
	r io.Reader
	n int64
}

func (h *headerLimit) Read(p []byte) (int, error) {
	if h.n <= 0 {
		return 0, errHeaderTooBig
	}
	if int64(len(p)) > h.n {
		p = p[:h.n]
	}
	n, err := h.r.Read(p)
	h.n -= int64(n)
	return n, err
}

var errHeaderTooBig = errors.New("message: header over 1 MB")

// readEntity reads the header of a message and returns the entity whose body is
// the rest of r. It is lenient as mail clients are: a header that ends without a
// blank line, or that stops at a line which is not a field, keeps the fields read
// so far (the note says so). Only a message with no header field at all is
// refused, with errTooBig passed through.
func readEntity(r io.Reader, size int) (e *gomessage.Entity, note string, entErr, err error) {
	hl := &headerLimit{r: r, n: maxHeaderBytes}
	br := bufio.NewReaderSize(hl, readBuffer(size))
	skipMboxLine(br)
	h, herr := textproto.ReadHeader(br)
	hl.n = math.MaxInt64
	if errors.Is(herr, errTooBig) {
		return nil, "", nil, herr
	}
	if h.Len() == 0 && herr == nil {
		herr = errors.New("message: no header fields")
	}
	if herr != nil {
		if h.Len() == 0 {
			if errors.Is(herr, errHeaderTooBig) {
				return nil, "", nil, app.Errorf(app.EINVALID, "The message's header is larger than 1 MB; it was not imported.")
			}
			return nil, "", nil, headerError(herr)
		}
		if herr != io.EOF {
			note = "The message's header has a damaged line; the fields before it were kept and the rest was read as the body."
		}
	}
	// go-message returns the entity alongside an unknown charset or encoding
	// error; the walk reads the part as sent and notes it.
	e, entErr = newEntity(gomessage.Header{Header: h}, br)
	if e == nil {
		return nil, "", nil, headerError(entErr)
	}
	return e, note, entErr, nil
}

// knownSize is how many bytes r holds when it says so (a message fetched whole
// is a *bytes.Reader), else 0.
func knownSize(r io.Reader) int {
	if b, ok := r.(*bytes.Reader); ok {
		return b.Len()
	}
	return 0
}

// readBuffer is the size of the buffer a message of size bytes (0: unknown) is
// read through: bufio's 4 KB, or less for a message that is smaller. A sync
// reads thousands of headers of a few hundred bytes, and a 4 KB buffer for each
// was a quarter of everything it allocated.
func readBuffer(size int) int {
	if size <= 0 || size >= 4096 {
		return 4096
	}
	return max(size+1, 16)
}

// headerError turns a failure to read a message's header into the coach's sentence.
func headerError(err error) error {
	return app.Wrap(app.EINVALID, err, "The message's header is damaged and could not be read.")
}

// skipMboxLine drops a leading mbox "From " separator line, which some exports and
// servers leave in front of the header and which is not a header field.
func skipMboxLine(br *bufio.Reader) {
	if b, err := br.Peek(5); err == nil && string(b) == "From " {
		for {
			_, isPrefix, err := br.ReadLine()
			if err != nil || !isPrefix {
				return
			}
		}
	}
}

// parseEntity reads the header and walks the body of one message, which may be
// the top-level email or one embedded in it at the given depth.
func parseEntity(r io.Reader, size int, st *state, depth int) (*Message, error) {
	e, note, entErr, err := readEntity(r, size)
	if err != nil {
		return nil, err
	}
	msg := &Message{}
	readHeader(msg, e.Header)
	w := &walker{st: st, msg: msg}
	if note != "" {
		w.note("%s", note)
	}
	werr := w.walk(e, entErr, depth)
	w.finish()
	if werr != nil {
		return msg, werr
	}
	return msg, nil
}

// finish turns the collected body parts into Text and HTML.
func (w *walker) finish() {
	m := w.msg
	m.HTML = strings.Join(w.htmls, "\n")
	if len(w.texts) > 0 {
		m.Text = strings.Join(w.texts, "\n\n")
	} else if m.HTML != "" {
		m.Text = htmlToText(m.HTML, 2*len(m.HTML)+4096)
	}
	if m.Report != nil && m.Report.OriginalMessageID == "" {
		for _, em := range m.Embedded {
			if em.MessageID != "" {
				m.Report.OriginalMessageID = em.MessageID
				break
			}
		}
	}
}

// note records one sentence about the message.
func (w *walker) note(format string, args ...any) {
	w.msg.Notes = append(w.msg.Notes, fmt.Sprintf(format, args...))
}

// walk visits one entity and, for multiparts, its children, depth-first. It
// returns errTooBig or errStop to abandon the message, nil otherwise.
func (w *walker) walk(e *gomessage.Entity, entErr error, depth int) error {
	st := w.st
	st.parts++
	if st.parts > st.lim.MaxParts {
		if !st.partsNoted {
			st.partsNoted = true
			w.note("The message has more than %d parts; the parts after those were ignored.", st.lim.MaxParts)
		}
		return errStop
	}

	mediaType, params, ctErr := e.Header.ContentType()
	mediaType = strings.ToLower(mediaType)
	if ctErr != nil && !strings.Contains(mediaType, "/") {
		// An unreadable Content-Type is read as plain text, as RFC 2045 says.
		mediaType = "text/plain"
	}
	if gomessage.IsUnknownEncoding(entErr) {
		w.note("A part declared the unknown transfer encoding %q; it was kept as it was sent.", clean(e.Header.Get("Content-Transfer-Encoding")))
	}

	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		return w.walkMultipart(e, mediaType, params, depth)
	case mediaType == "message/rfc822" || mediaType == "message/global":
		return w.walkEmbedded(e, mediaType, depth)
	case mediaType == "message/delivery-status" || mediaType == "message/global-delivery-status":
		b, err := w.readSmall(e.Body)
		if err != nil {
			return err
		}
		if w.msg.Report != nil && w.inReport {
			parseDeliveryStatus(w.msg.Report, fixUTF8(b))
			return nil
		}
		w.addAttachment(e, mediaType, params, b, int64(len(b)), false)
		return nil
	case mediaType == "text/rfc822-headers" && w.inReport:
		b, err := w.readSmall(e.Body)
		if err != nil {
			return err
		}
		if w.msg.Report != nil && w.msg.Report.OriginalMessageID == "" {
			w.msg.Report.OriginalMessageID = returnedMessageID(b)
		}
		return nil
	}
	return w.walkLeaf(e, entErr, mediaType, params)
}

// walkMultipart visits the children of a multipart entity, stopping at the depth
// limit so that a maliciously nested message cannot make the parse blow up.
func (w *walker) walkMultipart(e *gomessage.Entity, mediaType string, params map[string]string, depth int) error {
	if depth >= w.st.lim.MaxDepth {
		w.noteDepth()
		return w.drain(e.Body)
	}
	if mediaType == "multipart/report" && depth == 0 && w.msg.Report == nil {
		w.msg.Report = &Report{Type: strings.ToLower(params["report-type"])}
		w.inReport = true
	}
	if params["boundary"] == "" {
		w.note("A multipart part has no boundary; its content was read as plain text.")
		return w.walkLeaf(e, nil, "text/plain", nil)
	}
	mr := textproto.NewMultipartReader(e.Body, params["boundary"])
	for {
		part, err := nextPart(mr)
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, errTooBig) {
			return err
		}
		if part == nil {
			w.noteBroken()
			return nil
		}
		if werr := w.walk(part, err, depth+1); werr != nil {
			return werr
		}
	}
}

// walkEmbedded reads a message/rfc822 part: it is kept as an attachment (a
// forward, or the original inside a bounce) and parsed as a message of its own.
func (w *walker) walkEmbedded(e *gomessage.Entity, mediaType string, depth int) error {
	data, size, omitted, err := w.readLimited(e.Body)
	if err != nil {
		return err
	}
	if !omitted && !w.keep(size) {
		w.addAttachment(e, mediaType, nil, nil, size, true)
		return nil
	}
	w.addAttachment(e, mediaType, nil, data, size, omitted)
	if omitted {
		return nil
	}
	if depth+1 >= w.st.lim.MaxDepth {
		w.noteDepth()
		return nil
	}
	inner, perr := parseEntity(bytes.NewReader(data), len(data), w.st, depth+1)
	if errors.Is(perr, errStop) {
		if inner != nil {
			w.msg.Embedded = append(w.msg.Embedded, inner)
		}
		return perr
	}
	if perr != nil {
		w.note("An attached message could not be read: %s", app.ErrorMessage(perr))
		return nil
	}
	w.msg.Embedded = append(w.msg.Embedded, inner)
	return nil
}

// walkLeaf reads a single part: a body text or an attachment.
func (w *walker) walkLeaf(e *gomessage.Entity, entErr error, mediaType string, params map[string]string) error {
	disp, dparams, _ := e.Header.ContentDisposition()
	disp = strings.ToLower(disp)
	filename := partFilename(dparams, params)
	isBody := (mediaType == "text/plain" || mediaType == "text/html") && disp != "attachment" && filename == ""
	if size, ok := leftSize(e.Header); ok {
		a := w.attachment(e, mediaType, params, nil, size, true)
		a.InMailbox = true
		w.msg.Attachments = append(w.msg.Attachments, a)
		return w.drain(e.Body)
	}
	data, size, omitted, err := w.readLimited(e.Body)
	if err != nil {
		return err
	}
	if !isBody {
		if !omitted && !w.keep(size) {
			data, omitted = nil, true
		}
		w.addAttachment(e, mediaType, params, data, size, omitted)
		return nil
	}
	if omitted {
		w.note("A text part of %s was over the %s limit; only its beginning was kept.", humanBytes(size), humanBytes(w.st.lim.MaxAttachmentBytes))
	}
	charsetName := strings.ToLower(strings.TrimSpace(params["charset"]))
	text, note := decodeText(data, charsetName, gomessage.IsUnknownCharset(entErr))
	if note != "" {
		w.note("%s", note)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if mediaType == "text/html" {
		w.htmls = append(w.htmls, text)
		return nil
	}
	if strings.EqualFold(params["format"], "flowed") {
		text = unflow(text, strings.EqualFold(params["delsp"], "yes"))
	}
	w.texts = append(w.texts, text)
	return nil
}

// keep reserves n bytes of the message's budget for kept attachments, which is
// its size limit: attachments inside attached messages are copies, and without a
// budget a message nested twenty times would be held twenty times over.
func (w *walker) keep(n int64) bool {
	if w.st.kept+n > w.st.lim.MaxMessageBytes {
		if !w.st.keptNoted {
			w.st.keptNoted = true
			w.note("The attachments add up to more than %s; the later ones were not kept.", humanBytes(w.st.lim.MaxMessageBytes))
		}
		return false
	}
	w.st.kept += n
	return true
}

// attachment describes a non-body part.
func (w *walker) attachment(e *gomessage.Entity, mediaType string, params map[string]string, data []byte, size int64, omitted bool) Attachment {
	_, dparams, _ := e.Header.ContentDisposition()
	return Attachment{
		Filename:    partFilename(dparams, params),
		ContentType: mediaType,
		Size:        size,
		Data:        data,
		Omitted:     omitted,
	}
}

// addAttachment records a non-body part.
func (w *walker) addAttachment(e *gomessage.Entity, mediaType string, params map[string]string, data []byte, size int64, omitted bool) {
	a := w.attachment(e, mediaType, params, data, size, omitted)
	if omitted && size <= w.st.lim.MaxAttachmentBytes {
		a.Data = nil // over the budget; keep noted it
	} else if omitted {
		a.Data = nil
		name := a.Filename
		if name == "" {
			name = "without a name"
		} else {
			name = fmt.Sprintf("%q", name)
		}
		w.note("An attachment %s of %s was over the %s limit and was not kept.", name, humanBytes(size), humanBytes(w.st.lim.MaxAttachmentBytes))
	}
	w.msg.Attachments = append(w.msg.Attachments, a)
}

// readLimited reads a part body, keeping at most MaxAttachmentBytes of it and
// counting the rest. A damaged body (broken base64, a missing end boundary)
// keeps what could be decoded and gets a note.
func (w *walker) readLimited(r io.Reader) (data []byte, size int64, omitted bool, err error) {
	max := w.st.lim.MaxAttachmentBytes
	var buf bytes.Buffer
	n, rerr := io.Copy(&buf, io.LimitReader(r, max+1))
	size = n
	if rerr == nil && n > max {
		omitted = true
		rest, derr := io.Copy(io.Discard, r)
		size += rest
		rerr = derr
		data = buf.Bytes()[:max]
	} else {
		data = buf.Bytes()
	}
	if rerr != nil {
		if errors.Is(rerr, errTooBig) {
			return nil, 0, false, rerr
		}
		w.noteBroken()
	}
	return data, size, omitted, nil
}

// readSmall reads a machine-readable part that is small in any real message.
func (w *walker) readSmall(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSmallPartBytes))
	if err != nil {
		if errors.Is(err, errTooBig) {
			return nil, err
		}
		w.noteBroken()
	}
	if err := w.drain(r); err != nil {
		return nil, err
	}
	return b, nil
}

// drain skips the rest of a body that is not kept.
func (w *walker) drain(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	if errors.Is(err, errTooBig) {
		return err
	}
	if err != nil {
		w.noteBroken()
	}
	return nil
}

func (w *walker) noteDepth() {
	if !w.st.depthNoted {
		w.st.depthNoted = true
		w.note("The message is nested more than %d levels deep; the deeper parts were not read.", w.st.lim.MaxDepth)
	}
}

func (w *walker) noteBroken() {
	if !w.st.brokenNoted {
		w.st.brokenNoted = true
		w.note("The message is damaged (a part is cut short or badly encoded); what could be read was kept.")
	}
}

// partFilename returns the decoded file name of a part from its
// Content-Disposition filename or, for old mailers, its Content-Type name.
func partFilename(dparams, params map[string]string) string {
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	return clean(decodeWords(name))
}

// humanBytes writes a size the way a coach reads it: "31 MB", "200 KB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", (n+(1<<19))>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+(1<<9))>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
