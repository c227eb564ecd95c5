package inbox

import (
	"context"
	"errors"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/roundtablehq/roundtable/app"
)

// ErrNoIdle says the server cannot tell when mail arrives (no IMAP IDLE):
// polling is then the only way.
var ErrNoIdle = errors.New("the incoming mail server does not offer IDLE")

// Watch keeps one connection on the folder open and calls arrived each time the
// server says new mail came in (IMAP IDLE, RFC 2177), so the window imports a
// reply seconds after it lands instead of at the next poll. It never downloads
// anything itself: arrived starts an ordinary Sync. It returns ErrNoIdle at once
// when the server cannot idle, and otherwise only when ctx ends or the
// connection breaks (the caller dials again after a pause; polling goes on
// meanwhile). The folder is opened read-only, so watching never changes it.
func Watch(ctx context.Context, dial Dialer, folder string, arrived func()) error {
	if folder == "" {
		folder = "INBOX"
	}
	news := make(chan struct{}, 1)
	c, err := dial(withArrivals(ctx, func() {
		select {
		case news <- struct{}{}:
		default: // one wake-up pending is enough: a sync reads everything new
		}
	}))
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if !c.Caps().Has(imap.CapIdle) {
		return ErrNoIdle
	}
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The folder %s could not be opened to watch for new mail.", folder)
	}
	idle, err := c.Idle() // go-imap renews it every 28 minutes, as RFC 2177 asks
	if err != nil {
		return app.Wrap(app.EUNAVAILABLE, err, "The incoming mail server refused to report new mail.")
	}
	for {
		select {
		case <-news:
			arrived()
		case <-c.Closed():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return app.Errorf(app.EUNAVAILABLE, "The connection watching for new mail ended.")
		case <-ctx.Done():
			idle.Close()
			return ctx.Err()
		}
	}
}

// arrivalsKey carries Watch's callback to Dial through the Dialer, which takes
// only a context: routes (the coach's server, the sandbox) build their Dialer
// long before anyone watches.
type arrivalsKey struct{}

func withArrivals(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, arrivalsKey{}, f)
}

// arrivalsHandler tells the client to call the watcher's callback when the
// selected folder's message count changes (an untagged EXISTS).
func arrivalsHandler(ctx context.Context) *imapclient.UnilateralDataHandler {
	f, ok := ctx.Value(arrivalsKey{}).(func())
	if !ok {
		return nil
	}
	return &imapclient.UnilateralDataHandler{Mailbox: func(d *imapclient.UnilateralDataMailbox) {
		if d.NumMessages != nil {
			f()
		}
	}}
}
