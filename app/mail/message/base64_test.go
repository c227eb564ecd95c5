package message

import (
	"bytes"
	"encoding/base64"
	"io"
	"testing"
	"testing/iotest"

	gomessage "github.com/emersion/go-message"
)

// The fast base64 decoder says what go-message's decoder says: the same bytes
// for every body it accepts, an error for every body it refuses, however the
// body arrives (whole, or a byte at a time).
func FuzzBase64ReaderAgreesWithGoMessage(f *testing.F) {
	line := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("Roundtable \x00\xff"), 40))
	for _, seed := range []string{"", "QQ==", "QUJD", "QUJDRA==", "QQ", "QQ=", "QQ==QUJD", "QU JD\r\nRA\t==",
		line, line[:76] + "\r\n" + line[76:], "QUJD!", "QUJD\r\n\r\n", "====", "Q===", "QUJD=\r\n"} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, oneByte bool) {
		h := gomessage.Header{}
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Transfer-Encoding", "base64")
		theirs, err := gomessage.New(h, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := io.ReadAll(theirs.Body)
		var src io.Reader = bytes.NewReader(body)
		if oneByte {
			src = iotest.OneByteReader(src)
		}
		got, gotErr := io.ReadAll(&base64Reader{r: src})
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("body %q: got error %v, go-message %v", body, gotErr, wantErr)
		}
		if gotErr == nil && !bytes.Equal(got, want) {
			t.Fatalf("body %q: got %q, go-message %q", body, got, want)
		}
	})
}
