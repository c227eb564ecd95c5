package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/message"
)

// ReplyAs writes a reply from the sandbox address to the message id in its
// mailbox, as a member's mail client would: to the Reply-To address, "Re:" in the
// subject, In-Reply-To and References set, and the original quoted under an "On
// … wrote:" line. It is delivered into the sandbox like any mail, so the coach can
// try the whole loop — post, reply, import — with no account at all. A non-empty
// from sends it from another address, as a member writing from their other
// account does, which the import cannot place by itself.
func (s *Sandbox) ReplyAs(ctx context.Context, address string, id int64, text, from string) error {
	return s.reply(ctx, address, id, text, from, "", false)
}

// ReplyAsTo is ReplyAs to another address than the message's Reply-To: one of
// the links inside it, as a member who clicks a digest item's "Reply to this"
// does. to is an address or a mailto: URL ("" for the Reply-To); a mailto:
// subject is kept. With asHTML the text is HTML, as for ReplyAsHTML.
func (s *Sandbox) ReplyAsTo(ctx context.Context, address string, id int64, text, from, to string, asHTML bool) error {
	return s.reply(ctx, address, id, text, from, to, asHTML)
}

// ReplyAsHTML is ReplyAs for a member whose mail app sends HTML only: text is the
// HTML, sent as it is in a single text/html part with the original quoted in a
// blockquote. It lets the coach (and the browser tests) see that whatever HTML a
// member sends stays inert in the window.
func (s *Sandbox) ReplyAsHTML(ctx context.Context, address string, id int64, html, from string) error {
	return s.reply(ctx, address, id, html, from, "", true)
}

func (s *Sandbox) reply(ctx context.Context, address string, id int64, text, from, toURL string, asHTML bool) error {
	if strings.TrimSpace(text) == "" {
		return app.Errorf(app.EINVALID, "Write something to reply with.")
	}
	msgs, err := s.st.SandboxMessages(ctx, address)
	if err != nil {
		return err
	}
	var orig *app.SandboxMessage
	for i := range msgs {
		if msgs[i].ID == id {
			orig = &msgs[i]
		}
	}
	if orig == nil {
		return app.Errorf(app.ENOTFOUND, "That message is no longer in the mailbox.")
	}
	o, err := message.Parse(strings.NewReader(orig.Raw), message.DefaultLimits)
	if err != nil {
		return err
	}
	to := o.From
	if len(o.ReplyTo) > 0 {
		to = o.ReplyTo[0]
	}
	subject := o.Subject
	if toURL = strings.TrimSpace(toURL); toURL != "" {
		if to, subject, err = mailtoTarget(toURL, subject); err != nil {
			return err
		}
	}
	me := message.Address{Email: address}
	for _, a := range o.To {
		if strings.EqualFold(a.Email, address) {
			me = a
		}
	}
	if from = strings.TrimSpace(from); from != "" {
		if !app.ValidEmail(from) {
			return app.Errorf(app.EINVALID, "%q is not an email address.", from)
		}
		me.Email = from
	}
	var h mail.Header
	h.SetAddressList("From", []*mail.Address{{Name: me.Name, Address: me.Email}})
	h.SetAddressList("To", []*mail.Address{{Name: to.Name, Address: to.Email}})
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	h.SetSubject(subject)
	h.SetDate(time.Now())
	h.SetMessageID(newID(address))
	if o.MessageID != "" {
		h.SetMsgIDList("In-Reply-To", []string{o.MessageID})
		h.SetMsgIDList("References", append(append([]string{}, o.References...), o.MessageID))
	}
	var body strings.Builder
	if asHTML {
		h.SetContentType("text/html", map[string]string{"charset": "utf-8"})
		body.WriteString(strings.TrimRight(text, "\n") + "\n")
		fmt.Fprintf(&body, "<div>On %s, %s wrote:</div>\n<blockquote>%s</blockquote>\n",
			o.Date.Format("Mon, 2 Jan 2006 at 15:04"), html.EscapeString(nameAddr(o.From)),
			strings.ReplaceAll(html.EscapeString(strings.TrimRight(o.Text, "\n")), "\n", "<br>\n"))
	} else {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		body.WriteString(strings.TrimRight(text, "\n") + "\n\n")
		fmt.Fprintf(&body, "On %s, %s wrote:\n", o.Date.Format("Mon, 2 Jan 2006 at 15:04"), nameAddr(o.From))
		for _, line := range strings.Split(strings.TrimRight(o.Text, "\n"), "\n") {
			body.WriteString(strings.TrimRight("> "+line, " ") + "\n")
		}
	}
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return err
	}
	w.Write([]byte(strings.ReplaceAll(body.String(), "\n", "\r\n")))
	if err := w.Close(); err != nil {
		return err
	}
	return s.deliver(envelope{from: me.Email, helo: "member.sandbox.invalid", vouched: true}, to.Email, buf.Bytes())
}

// mailtoTarget reads the address (and the subject, if any) of a mailto: URL or a
// bare address; subject is kept when the URL names none.
func mailtoTarget(raw, subject string) (message.Address, string, error) {
	addr := raw
	if u, err := url.Parse(raw); err == nil && strings.EqualFold(u.Scheme, "mailto") {
		addr = u.Opaque
		if s := u.Query().Get("subject"); s != "" {
			subject = s
		}
	}
	if addr, err := url.PathUnescape(addr); err == nil && app.ValidEmail(addr) {
		return message.Address{Email: addr}, subject, nil
	}
	return message.Address{}, "", app.Errorf(app.EINVALID, "%q is not an email address to reply to.", raw)
}

func nameAddr(a message.Address) string {
	if a.Name == "" {
		return "<" + a.Email + ">"
	}
	return a.Name + " <" + a.Email + ">"
}

func newID(address string) string {
	b := make([]byte, 12)
	rand.Read(b)
	domain := "sandbox.invalid"
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		domain = address[i+1:]
	}
	return hex.EncodeToString(b) + "@" + domain
}
