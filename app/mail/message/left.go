package message

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	gomessage "github.com/emersion/go-message"
)

// A sync may read a message without some of its parts: the files of the
// coach's 1:1 mail stay in the mailbox (inbox/lean.go). It hands Parse the
// message with each such part's body empty and its MIME header carrying
// LeftHeader with the part's size; Parse then lists the file as InMailbox.
// The field's name holds 64 random bits drawn once per process, so no mail
// can claim a file was left behind.

// LeftHeader is the name of the field that marks a part left in the mailbox.
var LeftHeader = sync.OnceValue(func() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "X-Roundtable-Left-" + hex.EncodeToString(b)
})

// leftSize is the size on the server of a part marked left in the mailbox,
// and false for any other part.
func leftSize(h gomessage.Header) (int64, bool) {
	v := h.Get(LeftHeader())
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return max(n, 0), err == nil
}
