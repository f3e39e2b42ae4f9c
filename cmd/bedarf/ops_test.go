package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey/store"
)

// writeTestCert writes a self-signed certificate for the hosts (names or
// IP addresses) valid from notBefore to notAfter, and its key (mode 0600),
// into dir; it returns both paths and the certificate's PEM.
func writeTestCert(t testing.TB, dir string, hosts []string, notBefore, notAfter time.Time) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: hosts[0], Organization: []string{"bedarf test"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, certPEM
}

// proxyServer is the demo's server configured with trusted proxies, with an
// extra route that shows the client address gin derives.
func proxyServer(t *testing.T, opts web.Options) (*web.Server, []store.Link) {
	t.Helper()
	s := seedStore(t, "proxy.db", opts)
	srv, links := s.srv, s.links
	srv.Engine.GET("/test/client-ip", func(c *gin.Context) { c.String(http.StatusOK, c.ClientIP()) })
	return srv, links
}

// TestBehindProxy: forwarding headers count only from trusted proxies, and
// only there X-Forwarded-Proto: https makes cookies Secure with the
// __Host- prefix and sends HSTS; a base URL on http leaves plain cookies.
func TestBehindProxy(t *testing.T) {
	srv, links := proxyServer(t, web.Options{BaseURL: "http://bedarf.intern", TrustedProxies: []string{"10.0.0.5", "fd00::/64"}})
	do := func(remote, path string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = remote
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	forged := map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9", "X-Forwarded-Proto": "https"}
	for _, tc := range []struct {
		name, remote string
		hdr          map[string]string
		ip           string
		secure       bool
	}{
		{"trusted proxy over https", "10.0.0.5:4711", map[string]string{"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}, "198.51.100.7", true},
		{"trusted proxy, chain", "10.0.0.5:4711", map[string]string{"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https, http"}, "198.51.100.7", true},
		{"trusted proxy over http", "10.0.0.5:4711", map[string]string{"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "http"}, "198.51.100.7", false},
		{"trusted IPv6 network", "[fd00::17]:4711", map[string]string{"X-Forwarded-For": "2001:db8::1", "X-Forwarded-Proto": "https"}, "2001:db8::1", true},
		{"direct client forging", "192.0.2.7:5000", forged, "192.0.2.7", false},
		{"proxy's neighbour forging", "10.0.0.6:5000", forged, "10.0.0.6", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := do(tc.remote, "/test/client-ip", tc.hdr).Body.String(); got != tc.ip {
				t.Errorf("client address %q, want %q", got, tc.ip)
			}
			rec := do(tc.remote, "/k/"+links[0].Token, tc.hdr)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("link: %d", rec.Code)
			}
			cookie := rec.Header().Get("Set-Cookie")
			hsts := rec.Header().Get("Strict-Transport-Security")
			if tc.secure {
				if !strings.HasPrefix(cookie, "__Host-bedarf=") || !strings.Contains(cookie, "; Secure") || hsts == "" {
					t.Errorf("https via the proxy: cookie %q, HSTS %q", cookie, hsts)
				}
			} else if !strings.HasPrefix(cookie, "bedarf=") || strings.Contains(cookie, "Secure") || hsts != "" {
				t.Errorf("plain http: cookie %q, HSTS %q", cookie, hsts)
			}
		})
	}

	if _, err := web.New(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{TrustedProxies: []string{"10.0.0.300"}}); err == nil || !strings.Contains(err.Error(), `trusted proxy "10.0.0.300"`) {
		t.Errorf("bad proxy address: %v", err)
	}
}

// TestNoTrustedProxy: without --trusted-proxies no forwarding header counts,
// even from loopback; a base URL on https makes every cookie Secure.
func TestNoTrustedProxy(t *testing.T) {
	srv, links := proxyServer(t, web.Options{BaseURL: "https://bedarf.example.de"})
	req := httptest.NewRequest(http.MethodGet, "/test/client-ip", nil)
	req.RemoteAddr = "127.0.0.1:4000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Body.String() != "127.0.0.1" {
		t.Errorf("client address %q", rec.Body.String())
	}
	req = httptest.NewRequest(http.MethodGet, "/k/"+links[1].Token, nil)
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if c := rec.Header().Get("Set-Cookie"); !strings.HasPrefix(c, "__Host-bedarf=") || !strings.Contains(c, "; Secure") || rec.Header().Get("Strict-Transport-Security") == "" {
		t.Errorf("base URL https: cookie %q, HSTS %q", c, rec.Header().Get("Strict-Transport-Security"))
	}
}

// startServe runs "bedarf serve" with args and returns its printed staff
// URL and standard error; it stops with the test.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), pw, stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed nothing: %v; %v; log:\n%s", err, <-done, stderr)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return strings.TrimSpace(strings.TrimPrefix(line, "Verwaltung: ")), stderr
}

// TestServeTLS: bedarf serves https itself with --tls-cert/--tls-key: the
// printed address is https, the certificate is the configured one, HSTS and
// Secure cookies are on, and --log-format json writes one JSON object per
// line.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, certPEM := writeTestCert(t, dir, []string{"127.0.0.1", "localhost"}, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour))
	login, stderr := startServe(t, "--db", filepath.Join(dir, "tls.db"), "--addr", "127.0.0.1:0",
		"--tls-cert", certFile, "--tls-key", keyFile, "--log-format", "json")
	if !strings.HasPrefix(login, "https://127.0.0.1:") || !strings.HasSuffix(login, "/anmelden") {
		t.Fatalf("serve printed %q", login)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET %s: %d, TLS %v, HSTS %q", login, resp.StatusCode, resp.TLS != nil, resp.Header.Get("Strict-Transport-Security"))
	}
	plain := strings.Replace(login, "https://", "http://", 1)
	if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(plain); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("plain http on the TLS port answered 200: %s", body)
		}
	}
	time.Sleep(100 * time.Millisecond) // the request log line follows the response
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var sawRequest bool
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("log line is not JSON: %q", l)
			continue
		}
		if m["msg"] == "request" && m["route"] == "/anmelden" {
			sawRequest = true
		}
	}
	if !sawRequest {
		t.Errorf("no JSON request log line in:\n%s", stderr)
	}
}

// TestServeRefusesBadConfig: a bad log format, a missing TLS key or a bad
// proxy address stop serve at start with a message.
func TestServeRefusesBadConfig(t *testing.T) {
	dir := t.TempDir()
	certFile, _, _ := writeTestCert(t, dir, []string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	db := filepath.Join(dir, "bad.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-format", "xml"}, `log format "xml"`},
		{[]string{"--tls-cert", certFile}, "TLS needs both --tls-cert and --tls-key"},
		{[]string{"--tls-cert", certFile, "--tls-key", filepath.Join(dir, "missing.pem")}, "missing.pem"},
		{[]string{"--trusted-proxies", "10.0.0.1, proxy.example"}, `trusted proxy "proxy.example"`},
	} {
		err := run(context.Background(), append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, tc.args...), strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestCertReload: a renewed certificate is served without a restart.
func TestCertReload(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeTestCert(t, dir, []string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	r := &certReloader{files: tlsFiles{Cert: certFile, Key: keyFile}}
	first, err := r.load()
	if err != nil {
		t.Fatal(err)
	}
	writeTestCert(t, dir, []string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour))
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(certFile, later, later)
	if got, _ := r.get(nil); got != first {
		t.Error("reloaded before a minute passed")
	}
	r.checked = time.Now().Add(-2 * time.Minute)
	got, _ := r.get(nil)
	if got == first || got.Leaf.NotAfter.Before(time.Now().Add(24*time.Hour)) {
		t.Error("the renewed certificate was not loaded")
	}
}
