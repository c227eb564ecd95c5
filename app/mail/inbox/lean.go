package inbox

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// The coach's 1:1 mail with a client is kept for the client's page: its words,
// and a list of the files that came with it. The files themselves stay in the
// mailbox, where the coach's mail program has them: a sync that keeps 1:1 mail
// spent most of its time downloading and storing files no group will see
// (docs/benchmarks.md, session 9). So a 1:1 message larger than leanAbove is
// read in two round trips instead of one: its structure (BODYSTRUCTURE), then
// its header, every part's MIME header and its text parts. They are put back
// together as one message in which each file's body is empty and its MIME
// header carries message.LeftHeader with the file's size; the parse then lists
// the file as left in the mailbox. Mail that answers something Roundtable sent
// is always downloaded whole.

// leanAbove is the size above which a message kept only as 1:1 mail is read
// without its files; below it, one FETCH of the whole message costs less.
const leanAbove = 16 << 10

// keepPartBelow is the largest text or message part of such a message that is
// read; a larger one stays in the mailbox like a file.
const keepPartBelow = 1 << 20

// leanPlan is what to fetch of one message, and how to put it back together.
type leanPlan struct {
	root     *imap.BodyStructureMultiPart
	sections []*imap.FetchItemBodySection
	key      string // the sections, for fetching messages with the same ones together
}

// planLean decides how to read a message without its files, or returns false
// when it is better read whole: it is not multipart, a multipart part has no
// boundary, or it carries no file to leave.
func planLean(bs imap.BodyStructure) (leanPlan, bool) {
	root, ok := bs.(*imap.BodyStructureMultiPart)
	if !ok {
		return leanPlan{}, false
	}
	p := leanPlan{root: root, sections: []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, Peek: true}}}
	usable, left := true, false
	root.Walk(func(path []int, part imap.BodyStructure) bool {
		switch part := part.(type) {
		case *imap.BodyStructureMultiPart:
			if part.Extended == nil || part.Extended.Params["boundary"] == "" {
				usable = false
			}
		case *imap.BodyStructureSinglePart:
			if keepPart(part) {
				p.sections = append(p.sections, &imap.FetchItemBodySection{Part: path, Peek: true})
			} else {
				left = true
			}
		}
		if len(path) > 0 {
			p.sections = append(p.sections, &imap.FetchItemBodySection{Part: path, Specifier: imap.PartSpecifierMIME, Peek: true})
		}
		return usable
	})
	if !usable || !left {
		return leanPlan{}, false
	}
	var key strings.Builder
	for _, sec := range p.sections {
		key.WriteString(sectionKey(sec.Part, sec.Specifier) + " ")
	}
	p.key = key.String()
	return p, true
}

// keepPart reports whether a single part of a 1:1 message is read: text (the
// member's words, a calendar answer) and reports, when not too large.
func keepPart(part *imap.BodyStructureSinglePart) bool {
	t := strings.ToLower(part.Type)
	return (t == "text" || t == "message") && part.Size < keepPartBelow
}

// sectionKey names a body section, for matching the server's answers.
func sectionKey(path []int, spec imap.PartSpecifier) string {
	var b strings.Builder
	for i, n := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	if spec != "" {
		if len(path) > 0 {
			b.WriteByte('.')
		}
		b.WriteString(string(spec))
	}
	return b.String()
}

// fetchLean reads the messages uids without their files and returns each as
// one message (see above). A message it cannot read so is missing from the
// map: the caller fetches it whole.
func (s *syncer) fetchLean(uids []imap.UID) (map[imap.UID][]byte, error) {
	plans := map[imap.UID]leanPlan{}
	err := fetchItems(s.c, s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodyStructure: &imap.FetchItemBodyStructure{Extended: true}}),
		func(uid imap.UID, item imapclient.FetchItemData) error {
			if bs, ok := item.(imapclient.FetchItemDataBodyStructure); ok && bs.IsExtended {
				if p, ok := planLean(bs.BodyStructure); ok {
					plans[uid] = p
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	groups := map[string][]imap.UID{}
	for _, uid := range uids {
		if p, ok := plans[uid]; ok {
			groups[p.key] = append(groups[p.key], uid)
		}
	}
	out := map[imap.UID][]byte{}
	for _, group := range groups {
		parts := map[imap.UID]map[string][]byte{}
		err := fetchItems(s.c, s.c.Fetch(imap.UIDSetNum(group...), &imap.FetchOptions{UID: true, BodySection: plans[group[0]].sections}),
			func(uid imap.UID, item imapclient.FetchItemData) error {
				sec, ok := item.(imapclient.FetchItemDataBodySection)
				if !ok || sec.Literal == nil || sec.Section == nil {
					return nil
				}
				b, err := readLiteral(sec.Literal, s.opts.Limits.MaxMessageBytes)
				if parts[uid] == nil {
					parts[uid] = map[string][]byte{}
				}
				parts[uid][sectionKey(sec.Section.Part, sec.Section.Specifier)] = b
				return err
			})
		if err != nil {
			return nil, err
		}
		for uid, got := range parts {
			if raw, ok := assemble(plans[uid].root, got); ok {
				out[uid] = raw
			}
		}
	}
	return out, nil
}

// fetchItems hands every item of every message of a FETCH to use, with the
// message's UID (sent before any literal, as go-imap assumes). Like fetchEach,
// it closes the connection when a read or use fails, never touching the
// command again.
func fetchItems(c *imapclient.Client, cmd *imapclient.FetchCommand, use func(imap.UID, imapclient.FetchItemData) error) error {
	for {
		md := cmd.Next()
		if md == nil {
			return cmd.Close()
		}
		var uid imap.UID
		for item := md.Next(); item != nil; item = md.Next() {
			if u, ok := item.(imapclient.FetchItemDataUID); ok {
				uid = u.UID
				continue
			}
			if err := use(uid, item); err != nil {
				c.Close()
				return err
			}
		}
	}
}

// assemble puts a message back together from its header, its parts' MIME
// headers and the parts that were read; each part that was not gets an empty
// body and message.LeftHeader with its size. It returns false when a section it
// needs did not come.
func assemble(root *imap.BodyStructureMultiPart, got map[string][]byte) ([]byte, bool) {
	header, ok := got[sectionKey(nil, imap.PartSpecifierHeader)]
	if !ok {
		return nil, false
	}
	var b bytes.Buffer
	b.Write(header)
	ok = writeMultipart(&b, root, nil, got)
	return b.Bytes(), ok
}

// writeMultipart writes the body of the multipart part at path.
func writeMultipart(b *bytes.Buffer, part *imap.BodyStructureMultiPart, path []int, got map[string][]byte) bool {
	boundary := part.Extended.Params["boundary"]
	for i, child := range part.Children {
		childPath := append(append([]int{}, path...), i+1)
		mime, ok := got[sectionKey(childPath, imap.PartSpecifierMIME)]
		if !ok {
			return false
		}
		b.WriteString("--" + boundary + "\r\n")
		switch child := child.(type) {
		case *imap.BodyStructureMultiPart:
			b.Write(mime)
			if !writeMultipart(b, child, childPath, got) {
				return false
			}
		case *imap.BodyStructureSinglePart:
			body, kept := got[sectionKey(childPath, "")]
			if !kept && keepPart(child) {
				return false
			}
			if !kept {
				// The header's fields, the marker, then the blank line.
				if fields := bytes.TrimRight(mime, "\r\n"); len(fields) > 0 {
					b.Write(fields)
					b.WriteString("\r\n")
				}
				fmt.Fprintf(b, "%s: %d\r\n\r\n", message.LeftHeader(), decodedSize(child))
				break
			}
			b.Write(mime)
			b.Write(body)
		}
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return true
}

// decodedSize is about how large a part is once decoded: the server counts
// base64 as sent, in lines of 76 characters and a line break.
func decodedSize(part *imap.BodyStructureSinglePart) int64 {
	n := int64(part.Size)
	if strings.EqualFold(part.Encoding, "base64") {
		n -= 2 * (n / 78)
		n = n / 4 * 3
	}
	return n
}
