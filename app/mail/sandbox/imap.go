package sandbox

import (
	"crypto/subtle"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// imapSession is one IMAP connection. Any address logs in with the sandbox
// password (an address that never received mail sees an empty INBOX). It serves
// the in-memory mailbox and refuses what the workspace could not replay after
// a restart: adding, copying or moving messages, and making, renaming or
// deleting folders. So the UIDs a client has seen always mean the same message.
type imapSession struct {
	*imapmemserver.UserSession // nil until Login

	sb *Sandbox
}

var _ imapserver.SessionIMAP4rev2 = (*imapSession)(nil)

func (s *Sandbox) newIMAPSession(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
	return &imapSession{sb: s}, nil, nil
}

func (is *imapSession) Login(username, password string) error {
	box, ok := mailboxOf(username)
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(is.sb.cfg.Password)) != 1 {
		return imapserver.ErrAuthFailed
	}
	is.UserSession = imapmemserver.NewUserSession(is.sb.user(box))
	return nil
}

// Close ends the session; it is the last thing the connection's goroutine
// does, so Sandbox.Close counts connections down here.
func (is *imapSession) Close() error {
	defer is.sb.imapConns.Done()
	if is.UserSession == nil {
		return nil
	}
	return is.UserSession.Close()
}

var (
	errOnlyInbox = &imap.Error{
		Type: imap.StatusResponseTypeNo,
		Code: imap.ResponseCodeCannot,
		Text: "The Roundtable sandbox has only an INBOX",
	}
	errOnlySMTP = &imap.Error{
		Type: imap.StatusResponseTypeNo,
		Code: imap.ResponseCodeCannot,
		Text: "Mail reaches the Roundtable sandbox only over SMTP",
	}
)

func (is *imapSession) Create(string, *imap.CreateOptions) error         { return errOnlyInbox }
func (is *imapSession) Delete(string) error                              { return errOnlyInbox }
func (is *imapSession) Rename(string, string, *imap.RenameOptions) error { return errOnlyInbox }

func (is *imapSession) Append(string, imap.LiteralReader, *imap.AppendOptions) (*imap.AppendData, error) {
	return nil, errOnlySMTP
}

func (is *imapSession) Copy(imap.NumSet, string) (*imap.CopyData, error) {
	return nil, errOnlyInbox
}

func (is *imapSession) Move(*imapserver.MoveWriter, imap.NumSet, string) error {
	return errOnlyInbox
}
