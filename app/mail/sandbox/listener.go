package sandbox

import (
	"net"
	"sync"
)

// trackingListener remembers the connections it hands out, so that closing it
// also drops them. Neither server library drops a connection whose goroutine
// has not yet registered it, and an idle client would otherwise keep its
// goroutine alive after Close.
type trackingListener struct {
	net.Listener
	accepted func() // called for each connection handed out; may be nil

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	if l.closed {
		c.Close() // the server's goroutine sees it closed and ends at once
	} else {
		l.conns[tc] = struct{}{}
	}
	l.mu.Unlock()
	if l.accepted != nil {
		l.accepted()
	}
	return tc, nil
}

// Close stops accepting and closes every connection still open. Closing again
// does nothing.
func (l *trackingListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	err := l.Listener.Close()
	for c := range l.conns {
		c.(*trackedConn).Conn.Close()
	}
	clear(l.conns)
	return err
}

type trackedConn struct {
	net.Conn
	l *trackingListener
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
