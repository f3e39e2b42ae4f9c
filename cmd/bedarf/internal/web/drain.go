package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The drain: how "bedarf serve" stops on SIGTERM.
//
// net/http's Server.Shutdown drops a request whose header it finishes
// reading after Shutdown began (conn.serve returns without a reply once the
// server is shutting down), and it closes connections it counts as idle
// even when the next request's header has already arrived. So the drain
// does not call Shutdown until no connection is left:
//
//  1. The listener closes: new connections are refused.
//  2. Every reply whose header is written from now on carries
//     "Connection: close", so each connection ends after its current reply.
//  3. Connections on which no byte of a request has been read (idle
//     keep-alive connections, new ones still silent) are closed; one on
//     which a request has begun is left to finish, however slowly.
//  4. At the drain deadline, what is left is told to stop: request contexts
//     are cancelled and reads from the connections fail, so each handler
//     answers (503 for a form whose body did not arrive in time) rather than
//     the connection being cut. After DrainLastCall the rest is closed.
//
// The one case left to chance is HTTP/1.1's own: a client that sends a new
// request on an idle keep-alive connection at the moment the server closes
// it. The server has read none of it, and browsers resend such a request.

// DrainLastCall is how long handlers get after the drain deadline to answer
// before their connections are closed.
//
// Exported for package main's end-to-end tests.
const DrainLastCall = 2 * time.Second

// connTracker follows the server's connections for the drain.
type connTracker struct {
	draining atomic.Bool
	mu       sync.Mutex
	conns    map[*trackedConn]http.ConnState
}

func newConnTracker() *connTracker {
	return &connTracker{conns: map[*trackedConn]http.ConnState{}}
}

// trackedConn is a server connection that knows whether a request has begun
// on it since it was accepted or last became idle.
type trackedConn struct {
	net.Conn
	mu      sync.Mutex
	begun   bool // bytes read since accepted or since the last reply
	dropped bool // closed by the drain before any request began
}

// Read reads from the connection and notes that a request has begun. Bytes
// that arrive after the drain closed the connection are not passed on.
func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped {
		return 0, net.ErrClosed
	}
	if n > 0 {
		c.begun = true
	}
	return n, err
}

// closeIfUnused closes the connection unless a request has begun on it, and
// reports whether it did.
func (c *trackedConn) closeIfUnused() bool {
	c.mu.Lock()
	if c.begun {
		c.mu.Unlock()
		return false
	}
	c.dropped = true
	c.mu.Unlock()
	c.Conn.Close()
	return true
}

// trackingListener registers every accepted connection with the tracker.
type trackingListener struct {
	net.Listener
	t *connTracker
}

// Accept accepts a connection and wraps it for the tracker.
func (l trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c}
	l.t.mu.Lock()
	l.t.conns[tc] = http.StateNew
	l.t.mu.Unlock()
	return tc, nil
}

// connState is the http.Server's ConnState hook.
func (t *connTracker) connState(c net.Conn, st http.ConnState) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	tc, ok := c.(*trackedConn)
	if !ok {
		return
	}
	if st == http.StateIdle {
		// The reply is out; what is read from now on is a new request.
		tc.mu.Lock()
		tc.begun = false
		tc.mu.Unlock()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(t.conns, tc)
	default:
		if _, known := t.conns[tc]; known {
			t.conns[tc] = st
		}
	}
}

// closeUnused closes the connections on which no request has begun and
// returns how many are left.
func (t *connTracker) closeUnused() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c, st := range t.conns {
		if st != http.StateActive && c.closeIfUnused() {
			delete(t.conns, c)
		}
	}
	return len(t.conns)
}

// interruptReads makes every pending and future read of the remaining
// connections fail, so handlers waiting for a request body give up.
func (t *connTracker) interruptReads() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.conns {
		c.SetReadDeadline(time.Now())
	}
}

// closeAfterReply marks every reply whose header is written during the
// drain with "Connection: close".
func (t *connTracker) closeAfterReply(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&drainWriter{ResponseWriter: w, t: t}, r)
	})
}

// drainWriter adds "Connection: close" to a reply whose header is written
// while the server drains.
type drainWriter struct {
	http.ResponseWriter
	t     *connTracker
	wrote bool
}

// WriteHeader writes the status line and header.
func (w *drainWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.wrote = true
		if w.t.draining.Load() {
			w.Header().Set("Connection", "close")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write writes body bytes, the header first if not yet written.
func (w *drainWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is buffered to the client.
func (w *drainWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *drainWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// DefaultDrain is how long a stopping server lets requests finish unless
// told otherwise (bedarf serve's --drain-timeout, the bench's servers).
const DefaultDrain = 30 * time.Second

// ServeUntilDone serves until ctx ends, then drains (see the head of this
// file) for at most drain.
func ServeUntilDone(ctx context.Context, ln net.Listener, tlsConf *tls.Config, srv *Server, logger *slog.Logger, drain time.Duration) error {
	t := newConnTracker()
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	hs := &http.Server{
		Handler:           t.closeAfterReply(srv.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ConnState:         t.connState,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
	}
	var l net.Listener = trackingListener{Listener: ln, t: t}
	if tlsConf != nil {
		l = tls.NewListener(l, tlsConf)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", srv.BaseURL)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "drain_timeout", drain.String())
	t.draining.Store(true)
	ln.Close()
	deadline := time.Now().Add(drain)
	left, wait := t.closeUnused(), time.Millisecond
	for left > 0 && time.Now().Before(deadline) {
		time.Sleep(wait)
		wait = min(2*wait, 50*time.Millisecond)
		left = t.closeUnused()
	}
	if left > 0 {
		logger.Warn("drain deadline reached: answering the requests left", "connections", left)
		cancelRequests()
		t.interruptReads()
		for end := time.Now().Add(DrainLastCall); left > 0 && time.Now().Before(end); {
			time.Sleep(10 * time.Millisecond)
			left = t.closeUnused()
		}
		if left > 0 {
			logger.Warn("closing connections without a reply", "connections", left)
		}
	}
	hs.Close()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
