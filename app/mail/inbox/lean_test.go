package inbox_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/mail/inbox"
)

// pdf is a file's bytes that say where they are, so the wire shows whether
// they were downloaded.
func pdf(marker string, size int) []byte {
	b := bytes.Repeat([]byte(marker+" "), size/(len(marker)+1)+1)
	return append([]byte("%PDF-1.4\n"), b[:size-9]...)
}

// mixed writes a message from a client with the given body parts.
func mixed(from app.Client, mid, subject string, parts ...string) []byte {
	var b strings.Builder
	b.WriteString("From: " + from.Name + " <" + from.Email + ">\r\nTo: Sam Coach <coach@example.com>\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + mid + "@example.net>\r\nDate: Wed, 2 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer-" + mid + "\"\r\n\r\nThis is a multi-part message.\r\n")
	for _, p := range parts {
		b.WriteString("--outer-" + mid + "\r\n" + p + "\r\n")
	}
	b.WriteString("--outer-" + mid + "--\r\n")
	return []byte(b.String())
}

func pdfPart(name string, data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(enc) > 76 {
		lines, enc = append(lines, enc[:76]), enc[76:]
	}
	lines = append(lines, enc)
	return "Content-Type: application/pdf; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name +
		"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + strings.Join(lines, "\r\n")
}

// With "Keep my 1:1 mail" on, a client's own mail keeps its words and lists its
// files, which stay in the mailbox: a large message's files never cross the
// wire (its text parts, in a nested alternative too, are read on their own),
// and a small one's are not kept either. A member's reply to a post keeps its
// file, downloaded whole as before.
func TestSync_OneToOneFilesStayInTheMailbox(t *testing.T) {
	w := newWorld(t, capsRev2)
	ana, ben := w.members[0], w.members[1]
	big := pdf("BIGFILE", 60<<10)
	w.srv.deliver(t, "INBOX", mixed(ana, "big1", "My intake form",
		"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
			"Here is the form you asked for.\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Here is the form you asked for.</p>\r\n--alt--",
		pdfPart("intake.pdf", big)))
	w.srv.deliver(t, "INBOX", mixed(ben, "small1", "Receipt", "Content-Type: text/plain\r\n\r\nThe receipt, as promised.",
		pdfPart("receipt.pdf", pdf("SMALLFILE", 2<<10))))
	reply := strings.Replace(string(w.replyText(ana, "r1", "My worksheet is attached.")), "Content-Type: text/plain; charset=utf-8\r\n\r\n",
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"rb\"\r\n\r\n--rb\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", 1) +
		"--rb\r\n" + pdfPart("worksheet.pdf", pdf("REPLYFILE", 40<<10)) + "\r\n--rb--\r\n"
	w.srv.deliver(t, "INBOX", []byte(reply))

	sum := w.mustSync(t, inbox.Options{Account: "a", KeepPersonal: true})
	if sum.Personal != 2 || sum.Imported != 1 {
		t.Fatalf("got %+v, want two 1:1 messages kept and the reply imported", sum)
	}
	if wire := w.srv.sent(); strings.Contains(wire, base64.StdEncoding.EncodeToString([]byte("BIGFILE BIGFILE BIGFILE"))[:20]) ||
		!strings.Contains(wire, "Here is the form") {
		t.Fatal("the large 1:1 message's file was downloaded, or its words were not: want only its words on the wire")
	}
	got := map[string]app.Reply{}
	for _, c := range []app.Client{ana, ben} {
		mail, err := w.db.PersonalMail(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range mail {
			got[r.Subject] = r
		}
	}
	for _, r := range w.replies(t) {
		got[r.Subject] = r
	}
	for subject, want := range map[string]struct {
		text, file string
		size       int64
		kept       bool
	}{
		"My intake form":        {"Here is the form you asked for.", "intake.pdf", int64(len(big)), false},
		"Receipt":               {"The receipt, as promised.", "receipt.pdf", 2 << 10, false},
		"Re: " + w.post.Subject: {"My worksheet is attached.", "worksheet.pdf", 40 << 10, true},
	} {
		r := got[subject]
		if strings.TrimSpace(r.Text) != want.text || len(r.Attachments) != 1 {
			t.Errorf("%s: got text %q and files %+v, want %q and %s", subject, r.Text, r.Attachments, want.text, want.file)
			continue
		}
		a := r.Attachments[0]
		_, data, err := w.db.ReplyAttachment(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Filename != want.file || a.InMailbox == want.kept || a.Omitted == want.kept || (len(data) > 0) != want.kept {
			t.Errorf("%s: got %+v with %d bytes kept, want %s kept: %v", subject, a, len(data), want.file, want.kept)
		}
		if d := a.Size - want.size; d < -want.size/50 || d > want.size/50 {
			t.Errorf("%s: got size %d, want about %d", subject, a.Size, want.size)
		}
	}
}
