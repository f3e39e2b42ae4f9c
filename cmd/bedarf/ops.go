package main

// Running bedarf in production: behind a reverse proxy (trusted proxy
// addresses, the original scheme), TLS served by the binary itself, the log
// format and the log line about schema upgrades. docs/betrieb.md describes
// all of it for operators.

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// serverOptions derives the server's options from the configuration and
// the listener.
func (c config) serverOptions(ln net.Listener) web.Options {
	return web.Options{BaseURL: baseURL(c, ln), TrustedProxies: splitList(c.TrustedProxies)}
}

// splitList splits a comma- or space-separated list, dropping empty items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// newLogger returns the structured logger in the format "text" (key=value,
// the default) or "json" (one object per line, for log collectors).
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: safeLogAttr}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: use text or json", format)
}

// safeLogAttr neutralises direction controls in the log's strings (the
// message included), so a name typed as "\u202Eevil" cannot reorder the
// line someone reads in a terminal or journal.
func safeLogAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(survey.SafeText(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.StringValue(survey.SafeText(err.Error()))
		}
	}
	return a
}

// logUpgrade logs what opening the database did to its schema.
func logUpgrade(logger *slog.Logger, st *store.Store) {
	up := st.Upgrade()
	if len(up.Applied) == 0 {
		return
	}
	if up.Backup == "" {
		logger.Info("database created", "migrations", len(up.Applied))
		return
	}
	logger.Info("database schema updated", "from", up.From, "applied", strings.Join(up.Applied, ","), "backup_before", up.Backup)
}

// tlsFiles configures TLS served by bedarf itself.
type tlsFiles struct {
	Cert, Key string
}

func (t tlsFiles) enabled() bool { return t.Cert != "" || t.Key != "" }

// config loads the certificate and key once to fail at start, and returns
// a TLS configuration that reloads them when the files change (a renewed
// certificate is used within a minute, without a restart).
func (t tlsFiles) config() (*tls.Config, error) {
	if t.Cert == "" || t.Key == "" {
		return nil, errors.New("TLS needs both --tls-cert and --tls-key")
	}
	r := &certReloader{files: t}
	if _, err := r.load(); err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1"},
		GetCertificate: r.get,
	}, nil
}

// certReloader serves a certificate pair and loads it again when one of
// the files has a new modification time, checking at most once a minute.
type certReloader struct {
	files tlsFiles

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   string // modification times of both files
	checked time.Time
}

func (r *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.checked) < time.Minute {
		return r.cert, nil
	}
	r.checked = time.Now()
	if st := r.fileStamp(); st != r.stamp {
		if cert, err := r.loadLocked(); err == nil {
			r.cert = cert
		}
		// On failure (e.g. the key is being written) keep the old pair.
	}
	return r.cert, nil
}

func (r *certReloader) load() (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cert, err := r.loadLocked()
	if err != nil {
		return nil, err
	}
	r.cert, r.checked = cert, time.Now()
	return cert, nil
}

func (r *certReloader) loadLocked() (*tls.Certificate, error) {
	stamp := r.fileStamp()
	cert, err := tls.LoadX509KeyPair(r.files.Cert, r.files.Key)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s, key %s: %w", r.files.Cert, r.files.Key, err)
	}
	r.stamp = stamp
	return &cert, nil
}

func (r *certReloader) fileStamp() string {
	var b strings.Builder
	for _, f := range []string{r.files.Cert, r.files.Key} {
		if fi, err := os.Stat(f); err == nil {
			fmt.Fprintf(&b, "%d/%d;", fi.ModTime().UnixNano(), fi.Size())
		}
	}
	return b.String()
}

// serveFlags adds the flags of a long-running server (serve, doctor) to
// those of config.flags.
func (c *config) serveFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.TLS.Cert, "tls-cert", envOr("BEDARF_TLS_CERT", ""), "`DATEI` Zertifikat (PEM, mit Kette), um https direkt ohne Reverse-Proxy anzubieten (BEDARF_TLS_CERT; sonst keins, einfaches http)")
	fs.StringVar(&c.TLS.Key, "tls-key", envOr("BEDARF_TLS_KEY", ""), "`DATEI` privater Schlüssel (PEM) zu --tls-cert (BEDARF_TLS_KEY)")
	fs.StringVar(&c.LogFormat, "log-format", envOr("BEDARF_LOG_FORMAT", "text"), "`FORMAT` Format des Protokolls auf der Standardfehlerausgabe: text oder json (BEDARF_LOG_FORMAT)")
	c.drainFlag(fs)
}

// drainFlag adds --drain-timeout: how long the server, told to stop, lets
// the requests it has begun finish before it answers the rest with an error.
// drainTimeout reads it after parsing.
func (c *config) drainFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.drainRaw, "drain-timeout", envOr("BEDARF_DRAIN_TIMEOUT", web.DefaultDrain.String()),
		"`DAUER` wie lange laufende Anfragen nach SIGTERM noch zu Ende laufen dürfen, z. B. 30s; einige Sekunden unter TimeoutStopSec von systemd (BEDARF_DRAIN_TIMEOUT)")
}

// drainTimeout checks --drain-timeout and sets c.Drain.
func (c *config) drainTimeout() error {
	d, err := time.ParseDuration(c.drainRaw)
	if err != nil || d < time.Second || d > 10*time.Minute {
		return fmt.Errorf("--drain-timeout / BEDARF_DRAIN_TIMEOUT %q: a duration from 1s to 10m is needed, e.g. 30s", c.drainRaw)
	}
	c.Drain = d
	return nil
}
