package sandbox

import (
	"bufio"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode ISO-8859-x, Windows-125x ... in encoded words
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"github.com/roundtablehq/roundtable/app"
)

// summarize fills in the headers a mailbox list shows, decoded for reading. A
// header that cannot be parsed is shown as written rather than hidden: the
// sandbox is where the coach checks what members really get.
func summarize(m *app.SandboxMessage) {
	th, err := textproto.ReadHeader(bufio.NewReader(strings.NewReader(m.Raw)))
	if err != nil && th.Len() == 0 {
		return
	}
	h := mail.Header{Header: message.Header{Header: th}}
	m.From = addresses(h, "From")
	m.To = addresses(h, "To")
	if s, err := h.Subject(); err == nil {
		m.Subject = s
	} else {
		m.Subject = h.Get("Subject")
	}
	m.Date = h.Get("Date")
}

// addresses shows an address header as "Name <address>, ...".
func addresses(h mail.Header, key string) string {
	list, err := h.AddressList(key)
	if err != nil {
		if s, err := h.Text(key); err == nil {
			return s
		}
		return h.Get(key)
	}
	parts := make([]string, len(list))
	for i, a := range list {
		if a.Name != "" {
			parts[i] = a.Name + " <" + a.Address + ">"
		} else {
			parts[i] = a.Address
		}
	}
	return strings.Join(parts, ", ")
}
