package sending

import "github.com/roundtablehq/roundtable/app"

// withIDs makes a test's (Message-ID, reply token) maker a QueuePost identity
// maker: fixed ids keep failures readable; copies get no bounce token.
func withIDs(f func() (string, string)) func() app.MessageIdentity {
	return func() app.MessageIdentity {
		id, tok := f()
		return app.MessageIdentity{MessageID: id, Token: tok}
	}
}
