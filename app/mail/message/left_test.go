package message_test

import (
	"strings"
	"testing"

	"github.com/roundtablehq/roundtable/app/mail/message"
)

// A part whose body a sync left in the mailbox is listed with its size on the
// server, kept out of the text and not kept; a field that only looks like the
// marker (no mail can know its name) changes nothing.
func TestParse_PartLeftInTheMailbox(t *testing.T) {
	raw := strings.Join([]string{
		"From: Ana <ana@example.com>",
		"Subject: My intake form",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"Here is the form you asked for.",
		"--b1",
		`Content-Type: application/pdf; name="intake.pdf"`,
		"Content-Transfer-Encoding: base64",
		"Content-Disposition: attachment; filename=\"intake.pdf\"",
		message.LeftHeader() + ": 248133",
		"",
		"",
		"--b1",
		`Content-Type: application/pdf; name="forged.pdf"`,
		"Content-Transfer-Encoding: base64",
		"X-Roundtable-Left-0123456789abcdef: 999999",
		"",
		"JVBERi0=",
		"--b1--",
		"",
	}, "\r\n")
	m, err := message.Parse(strings.NewReader(raw), message.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(m.Text) != "Here is the form you asked for." {
		t.Errorf("got text %q, want the member's words alone", m.Text)
	}
	if len(m.Attachments) != 2 {
		t.Fatalf("got %d attachments, want the left file and the forged one", len(m.Attachments))
	}
	left, forged := m.Attachments[0], m.Attachments[1]
	if left.Filename != "intake.pdf" || !left.InMailbox || !left.Omitted || left.Size != 248133 || left.Data != nil {
		t.Errorf("got %+v, want intake.pdf listed as in the mailbox, 248,133 bytes, nothing kept", left)
	}
	if forged.InMailbox || forged.Omitted || string(forged.Data) != "%PDF-" {
		t.Errorf("got %+v, want the forged marker ignored and the file kept", forged)
	}
}
