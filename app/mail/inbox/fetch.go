package inbox

import (
	"io"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// fetched is one message of a FETCH: its UID, its size on the server, and the
// first body section asked for, read whole (up to a limit).
type fetched struct {
	UID  imap.UID
	Size int64
	Body []byte // nil when the server sent no section
}

// fetchEach reads the messages of a FETCH one by one and hands each to use.
//
// Why not go-imap's Collect: when the connection breaks inside a message,
// go-imap's reader goes on as soon as the literal's read fails, and Collect, Next
// or Close would then read that literal's buffer again beside it (a data race in
// the library, seen under -race when a connection drops mid-sync). So on a failed
// read fetchEach closes the connection and never touches the command again; the
// sync ends there and the next one starts from what was committed. The same
// holds when use fails (the sync is stopping): the connection is closed rather
// than the rest of the FETCH drained.
func fetchEach(c *imapclient.Client, cmd *imapclient.FetchCommand, limit int64, use func(fetched) error) error {
	for {
		md := cmd.Next()
		if md == nil {
			return cmd.Close()
		}
		var m fetched
		for item := md.Next(); item != nil; item = md.Next() {
			var err error
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				m.UID = it.UID
			case imapclient.FetchItemDataRFC822Size:
				m.Size = it.Size
			case imapclient.FetchItemDataBodySection:
				if it.Literal != nil && m.Body == nil {
					m.Body, err = readLiteral(it.Literal, limit)
				}
			}
			if err != nil {
				c.Close()
				return err
			}
		}
		if err := use(m); err != nil {
			c.Close()
			return err
		}
	}
}

// readLiteral reads a literal whole, or its first limit+1 bytes when it is
// longer. A literal cut short (the connection ended inside it) is an error, so
// half a message is never imported.
func readLiteral(lit imap.LiteralReader, limit int64) ([]byte, error) {
	// The literal says its size: one buffer of that size, where io.ReadAll
	// would grow and copy its way there (a third of the fetch stage's time).
	want := min(lit.Size(), limit+1)
	b := make([]byte, want)
	n, err := io.ReadFull(lit, b)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return b[:n], err
}
