//go:build nginx

// The test in this file runs the real binary behind a real nginx from
// Debian's packages. It needs nginx installed (apt-get install nginx-light)
// and fails, not skips, without it:
//
//	go test -tags nginx ./cmd/bedarf/ -run TestBehindNginx

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
)

// Loopback addresses of the test: nginx talks to bedarf from proxyAddr, the
// only trusted proxy; clientA and clientB are two browsers.
const (
	proxyAddr = "127.0.0.2"
	clientA   = "127.0.0.3"
	clientB   = "127.0.0.4"
)

const nginxConf = `daemon off;
master_process off;
worker_processes 1;
pid {{dir}}/nginx.pid;
error_log stderr notice;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path {{dir}}/body;
    proxy_temp_path {{dir}}/proxy;
    fastcgi_temp_path {{dir}}/fastcgi;
    uwsgi_temp_path {{dir}}/uwsgi;
    scgi_temp_path {{dir}}/scgi;
    client_max_body_size 33m;
    ssl_certificate {{cert}};
    ssl_certificate_key {{key}};
    # The same proxy settings as in docs/betrieb.md, with Host including the
    # test's port and proxy_bind so bedarf sees the proxy at its own address.
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_bind ` + proxyAddr + `;
    server {
        listen 127.0.0.1:{{https1}} ssl;
        server_name localhost;
        location / { proxy_pass http://127.0.0.1:{{app1}}; }
    }
    server {
        listen 127.0.0.1:{{https2}} ssl;
        server_name localhost;
        location / { proxy_pass http://127.0.0.1:{{app2}}; }
    }
}
`

// TestBehindNginx runs "bedarf demo" with its public base URL and trusted
// proxy behind nginx terminating TLS, and checks what the issue asks:
//   - the demo prints the public base URL in every link, and the links work
//     through nginx;
//   - cookies are Secure with the __Host- prefix and HSTS is sent over https
//     (also for a "bedarf serve" without an https base URL, from
//     X-Forwarded-Proto of the trusted proxy);
//   - the client address bedarf uses is the one nginx forwards: wrong links
//     are limited per client (1,000 an hour), and a client behind nginx is
//     blocked while another one behind the same nginx is not;
//   - a forged X-Forwarded-For is ignored, sent through nginx or straight to
//     bedarf, and a forged X-Forwarded-Proto from a direct client too;
//   - a build stamps the version and the commit; bedarf doctor passes
//     through the proxy.
func TestBehindNginx(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(nginx); err != nil {
		t.Fatalf("nginx is not installed (apt-get install nginx-light): %v", err)
	}
	dir := t.TempDir()
	head, gitErr := exec.Command("git", "rev-parse", "HEAD").Output() // the commit the build stamps
	bin := buildBedarf(t, dir)

	certFile, keyFile, certPEM := writeTestCert(t, dir, []string{"localhost", "127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour))
	ports := freePorts(t, 4)
	https1, https2, app1, app2 := ports[0], ports[1], ports[2], ports[3]
	public := fmt.Sprintf("https://localhost:%d", https1)
	public2 := fmt.Sprintf("https://localhost:%d", https2)

	// bedarf demo with the public base URL, and bedarf serve without one.
	demoDB := filepath.Join(dir, "demo.db")
	out := startProcess(t, dir, "demo", bin, "demo", "--db", demoDB, "--addr", fmt.Sprintf("127.0.0.1:%d", app1),
		"--base-url", public, "--trusted-proxies", proxyAddr)
	admin, links := readDemoOutput(t, out, public)
	serveDB := filepath.Join(dir, "serve.db")
	cmd := exec.Command(bin, "user", "add", "--db", serveDB, "--email", "it@kreis.example", "--name", "IT", "--role", "admin")
	cmd.Stdin = strings.NewReader("ein-langes-Passwort-2026\n")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, b)
	}
	out2 := startProcess(t, dir, "serve", bin, "serve", "--db", serveDB, "--addr", fmt.Sprintf("127.0.0.1:%d", app2),
		"--trusted-proxies", proxyAddr, "--log-format", "json")
	if line := readLine(t, out2); line != fmt.Sprintf("Verwaltung: http://127.0.0.1:%d/anmelden", app2) {
		t.Errorf("serve printed %q", line)
	}
	startNginx(t, nginx, dir, strings.NewReplacer("{{dir}}", dir, "{{cert}}", certFile, "{{key}}", keyFile,
		"{{https1}}", fmt.Sprint(https1), "{{https2}}", fmt.Sprint(https2), "{{app1}}", fmt.Sprint(app1), "{{app2}}", fmt.Sprint(app2)).Replace(nginxConf),
		https1, https2)

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	a, b := newLoopbackClient(clientA, pool), newLoopbackClient(clientB, pool)

	t.Run("links and cookies over https", func(t *testing.T) {
		if code, body, _ := a.do(t, "GET", public+"/healthz", nil, nil); code != http.StatusOK || body != "ok\n" {
			t.Fatalf("healthz through nginx: %d %q", code, body)
		}
		code, _, h := a.do(t, "GET", links["03241001"], nil, nil)
		if code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
			t.Fatalf("printed link through nginx: %d, Location %q", code, h.Get("Location"))
		}
		checkSecureCookie(t, h)
		code, body, h := a.do(t, "GET", public+"/fragebogen", nil, nil)
		if code != http.StatusOK || !strings.Contains(body, "Hannover") {
			t.Errorf("form after the link: %d", code)
		}
		if h.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS over https")
		}
		// Staff login: the Origin check needs the Host nginx passes on.
		code, _, h = b.do(t, "POST", admin.login, url.Values{"email": {admin.email}, "passwort": {admin.password}}, map[string]string{"Origin": public})
		if code != http.StatusSeeOther || h.Get("Location") != "/verwaltung" {
			t.Fatalf("admin login through nginx: %d %q", code, h.Get("Location"))
		}
		checkSecureCookie(t, h)
		if code, body, _ := b.do(t, "GET", public+"/verwaltung/runden/1/kommunen/03241001/einladung", nil, nil); code != http.StatusOK || !strings.Contains(body, links["03241001"]) {
			t.Errorf("invitation letter through nginx: %d; shows the printed public link: %v", code, strings.Contains(body, links["03241001"]))
		}
	})

	t.Run("https from X-Forwarded-Proto of the trusted proxy", func(t *testing.T) {
		login := url.Values{"email": {"it@kreis.example"}, "passwort": {"ein-langes-Passwort-2026"}}
		code, _, h := a.do(t, "POST", public2+"/anmelden", login, map[string]string{"Origin": public2})
		if code != http.StatusSeeOther {
			t.Fatalf("login through nginx: %d", code)
		}
		checkSecureCookie(t, h)
		// Straight to bedarf on http, with a forged header: plain cookie, no HSTS.
		direct := fmt.Sprintf("http://127.0.0.1:%d", app2)
		code, _, h = a.do(t, "POST", direct+"/anmelden", login, map[string]string{"Origin": direct, "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"})
		if ck := setCookie(h, "bedarf"); code != http.StatusSeeOther || ck == "" || strings.Contains(strings.Join(h.Values("Set-Cookie"), "\n"), "Secure") || h.Get("Strict-Transport-Security") != "" {
			t.Errorf("direct login with forged X-Forwarded-Proto: %d, cookie %q, HSTS %q", code, ck, h.Get("Strict-Transport-Security"))
		}
	})

	t.Run("client address from the trusted proxy only", func(t *testing.T) {
		// 1,000 wrong links from A through nginx, each with another forged
		// X-Forwarded-For: bedarf must count them all for A.
		for i := range web.LinkWrongPerHour {
			code, _, _ := a.do(t, "GET", fmt.Sprintf("%s/k/falsch-%04d", public, i), nil, map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i%250+1)})
			if code != http.StatusNotFound {
				t.Fatalf("wrong link %d from A: %d", i, code)
			}
		}
		if code, _, _ := a.do(t, "GET", public+"/k/falsch-noch-einer", nil, map[string]string{"X-Forwarded-For": "198.51.100.251"}); code != http.StatusTooManyRequests {
			t.Fatalf("A after 1,000 wrong links through nginx: %d, want 429 (forged X-Forwarded-For through nginx reset the count?)", code)
		}
		if code, _, _ := b.do(t, "GET", public+"/k/falsch-von-b", nil, nil); code != http.StatusNotFound {
			t.Errorf("B through nginx: %d, want 404 (bedarf does not tell clients behind nginx apart)", code)
		}
		if code, _, _ := b.do(t, "GET", public+"/k/falsch-von-b", nil, map[string]string{"X-Forwarded-For": clientA}); code != http.StatusNotFound {
			t.Errorf("B through nginx claiming to be A: %d, want 404", code)
		}
		direct := fmt.Sprintf("http://127.0.0.1:%d", app1)
		if code, _, _ := a.do(t, "GET", direct+"/k/falsch-direkt", nil, map[string]string{"X-Forwarded-For": "127.0.0.9", "X-Real-IP": "127.0.0.9"}); code != http.StatusTooManyRequests {
			t.Errorf("A straight to bedarf with a forged X-Forwarded-For: %d, want 429", code)
		}
		if code, _, _ := b.do(t, "GET", direct+"/k/falsch-direkt", nil, map[string]string{"X-Forwarded-For": clientA, "X-Real-IP": clientA}); code != http.StatusNotFound {
			t.Errorf("B straight to bedarf claiming to be A: %d, want 404", code)
		}
	})

	t.Run("version and doctor", func(t *testing.T) {
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "bedarf 0.0.0-nginx-test\n") {
			t.Errorf("version: %v\n%s", err, out)
		}
		if gitErr == nil {
			if !strings.Contains(string(out), "Commit:  "+strings.TrimSpace(string(head))) {
				t.Errorf("the build did not stamp commit %s:\n%s", strings.TrimSpace(string(head)), out)
			}
		}
		doctor := exec.Command(bin, "doctor", "--db", demoDB, "--base-url", public, "--trusted-proxies", proxyAddr)
		doctor.Env = append(os.Environ(), "SSL_CERT_FILE="+certFile) // the test's CA, as a real one would be in the system store
		out, err = doctor.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "✓ "+public+"/healthz antwortet") {
			t.Errorf("doctor through nginx: %v\n%s", err, out)
		}
	})
}

// buildBedarf builds the binary as docs/betrieb.md says, with a version.
func buildBedarf(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bedarf")
	cmd := exec.Command("go", "build", "-buildvcs=auto", "-ldflags", "-X main.version=0.0.0-nginx-test", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var out []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return out
}

// startProcess starts a program with its standard error in a file (shown
// when the test fails) and returns its standard output; it is stopped with
// SIGTERM when the test ends.
func startProcess(t *testing.T, dir, name, bin string, args ...string) *bufio.Reader {
	t.Helper()
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil && !t.Failed() {
				t.Errorf("%s ended with %v", name, err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("%s did not stop on SIGTERM", name)
		}
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			if len(log) > 4000 {
				log = log[len(log)-4000:]
			}
			t.Logf("%s log (end):\n%s", name, log)
		}
	})
	return bufio.NewReader(stdout)
}

func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	type result struct {
		line string
		err  error
	}
	c := make(chan result, 1)
	go func() { l, err := r.ReadString('\n'); c <- result{l, err} }()
	select {
	case res := <-c:
		if res.err != nil {
			t.Fatalf("read output: %v", res.err)
		}
		return strings.TrimSuffix(res.line, "\n")
	case <-time.After(60 * time.Second):
		t.Fatal("no output within a minute")
	}
	return ""
}

type adminLogin struct{ login, email, password string }

// readDemoOutput reads what the demo prints and checks that every address
// in it is the public one; it returns the admin login and the links by AGS.
func readDemoOutput(t *testing.T, r *bufio.Reader, public string) (adminLogin, map[string]string) {
	t.Helper()
	var a adminLogin
	if line := readLine(t, r); line != "Verwaltung: "+public+"/anmelden" {
		t.Fatalf("demo printed %q, want the public base URL %s", line, public)
	}
	a.login = public + "/anmelden"
	f := strings.Fields(strings.TrimPrefix(readLine(t, r), "admin login: "))
	if len(f) != 2 {
		t.Fatal("no admin login line")
	}
	a.email, a.password = f[0], f[1]
	linkRE := regexp.MustCompile(`^(\d{8})\t[^\t]+\t(` + regexp.QuoteMeta(public) + `/k/\S+)$`)
	links := map[string]string{}
	for len(links) < 21 {
		line := readLine(t, r)
		m := linkRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("demo link line %q does not use the public base URL %s", line, public)
		}
		links[m[1]] = m[2]
	}
	go io.Copy(io.Discard, r)
	return a, links
}

// startNginx writes the configuration and runs nginx in the foreground
// until the test ends.
func startNginx(t *testing.T, nginx, dir, conf string, ports ...int) {
	t.Helper()
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-c", confPath, "-e", "stderr").CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", confPath, "-e", "stderr")
	logPath := filepath.Join(dir, "nginx.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			t.Logf("nginx log:\n%s", log)
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for _, p := range ports {
		for {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p), time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				log, _ := os.ReadFile(logPath)
				t.Fatalf("nginx does not listen on %d: %v\n%s", p, err, log)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// loopbackClient is a browser at its own loopback address: it connects to
// 127.0.0.1 whatever the host name, keeps cookies per client and does not
// follow redirects.
type loopbackClient struct {
	c *http.Client
}

func newLoopbackClient(local string, pool *x509.CertPool) *loopbackClient {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return d.DialContext(ctx, "tcp4", "127.0.0.1:"+port)
		},
		MaxIdleConnsPerHost: 4,
	}
	return &loopbackClient{c: &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request, a form as POST body when given, with extra headers;
// it keeps the session cookie of the response for the next request to the
// same host, as a browser would.
func (l *loopbackClient) do(t *testing.T, method, u string, form url.Values, hdr map[string]string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if l.c.Jar == nil {
		l.c.Jar, _ = cookiejar.New(nil)
	}
	resp, err := l.c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// checkSecureCookie checks the session cookie of a response behind TLS.
// setCookie returns the Set-Cookie line of the cookie called name ("" if
// the response sets none).
func setCookie(h http.Header, name string) string {
	for _, c := range h.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

func checkSecureCookie(t *testing.T, h http.Header) {
	t.Helper()
	ck := setCookie(h, "__Host-bedarf")
	for _, want := range []string{"__Host-bedarf=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %s", ck, want)
		}
	}
	// Every cookie (the session's and a login's device cookie) is a
	// __Host- cookie over https: Secure, without a Domain.
	for _, c := range h.Values("Set-Cookie") {
		if !strings.HasPrefix(c, "__Host-") || !strings.Contains(c, "Secure") || strings.Contains(strings.ToLower(c), "domain=") {
			t.Errorf("cookie %q over https is not a Secure __Host- cookie without a Domain", c)
		}
	}
	if h.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS header over https")
	}
}
