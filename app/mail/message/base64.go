package message

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"sync"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// newEntity is go-message's New — the part's transfer encoding and charset
// undone as it is read — except that a base64 body is decoded by base64Reader.
func newEntity(h gomessage.Header, body io.Reader) (*gomessage.Entity, error) {
	mediaType, _, _ := h.ContentType()
	if !strings.HasPrefix(strings.ToLower(mediaType), "multipart/") &&
		strings.EqualFold(strings.TrimSpace(h.Get("Content-Transfer-Encoding")), "base64") {
		h = gomessage.Header{Header: h.Header.Copy()}
		h.Del("Content-Transfer-Encoding") // decoded here, so not again by New
		body = &base64Reader{r: body}
	}
	return gomessage.New(h, body)
}

// nextPart reads the next part of a multipart body as newEntity does.
func nextPart(mr *textproto.MultipartReader) (*gomessage.Entity, error) {
	p, err := mr.NextPart()
	if err != nil {
		return nil, err
	}
	return newEntity(gomessage.Header{Header: p.Header}, p)
}

// base64Reader decodes base64 as go-message does — spaces, tabs and line
// breaks ignored, any other byte outside the alphabet an error — but a buffer
// at a time with one call of the standard decoder. The standard streaming
// decoder behind go-message's filters goes a few bytes at a time: decoding the
// attachments was a tenth of a sync that keeps them (docs/benchmarks.md,
// session 9).
type base64Reader struct {
	r    io.Reader
	bufs *base64Buffers // nil before the first fill and after the end
	kept int            // bytes at the start of bufs.in not decoded yet (fewer than 4)
	out  []byte         // decoded, not yet returned (in bufs.out)
	err  error          // once out is used up
	end  bool           // a group with padding was decoded: nothing may follow it
	in   int64          // bytes of base64 decoded so far, for the offset of an error
}

// base64Buffers are a base64Reader's buffers, used again by the next reader
// once one is done: a sync reads thousands of attachments.
type base64Buffers struct {
	in  [32 << 10]byte
	out [24 << 10]byte
}

var base64Pool = sync.Pool{New: func() any { return new(base64Buffers) }}

func (b *base64Reader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		b.fill()
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	if len(b.out) == 0 && b.err != nil && b.bufs != nil {
		base64Pool.Put(b.bufs)
		b.bufs = nil
	}
	return n, nil
}

// fill reads the next buffer from r and decodes every whole group of four;
// at the end of r it decodes the rest, padding and all.
func (b *base64Reader) fill() {
	if b.bufs == nil {
		b.bufs = base64Pool.Get().(*base64Buffers)
	}
	in := b.bufs.in[:]
	n, rerr := b.r.Read(in[b.kept:])
	w := b.kept + compact(in[b.kept:b.kept+n])
	if b.end && w > 0 {
		b.err = base64.CorruptInputError(b.in) // data after the padding that ended it
		return
	}
	whole := w &^ 3
	if rerr != nil {
		whole = w
	}
	if whole > 0 {
		b.end = in[whole-1] == '='
	}
	m, derr := base64.StdEncoding.Decode(b.bufs.out[:], in[:whole])
	b.out = b.bufs.out[:m]
	b.kept = copy(in, in[whole:w])
	b.in += int64(whole)
	switch {
	case derr != nil:
		b.err = derr
	case rerr != nil:
		b.err = rerr
	}
	if b.err != nil && len(b.out) == 0 {
		base64Pool.Put(b.bufs)
		b.bufs = nil
	}
}

// compact moves the bytes of p that are not spaces, tabs or line breaks to its
// start and returns how many there are. Base64 comes in lines of 76, so a line
// with nothing else in it is moved in one copy.
func compact(p []byte) int {
	w, r := 0, 0
	for r < len(p) {
		end := len(p)
		if i := bytes.IndexByte(p[r:], '\n'); i >= 0 {
			end = r + i
		}
		line := bytes.TrimSuffix(p[r:end], []byte{'\r'})
		if bytes.IndexByte(line, ' ') < 0 && bytes.IndexByte(line, '\t') < 0 && bytes.IndexByte(line, '\r') < 0 {
			w += copy(p[w:], line)
		} else {
			for _, c := range line {
				if c != ' ' && c != '\t' && c != '\r' {
					p[w] = c
					w++
				}
			}
		}
		r = end + 1
	}
	return w
}
