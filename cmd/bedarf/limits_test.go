package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// testClock is a clock that moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLinkLimiter(t *testing.T) {
	clk := newTestClock()
	l := web.NewLinkLimiter(clk.Now, 1000, time.Hour, 3)
	for i := 0; i < 999; i++ {
		l.Failed("192.0.2.1")
	}
	if _, blocked := l.Blocked("192.0.2.1"); blocked {
		t.Fatal("blocked after 999 wrong tokens, want the 1,000th allowed")
	}
	l.Failed("192.0.2.1")
	wait, blocked := l.Blocked("192.0.2.1")
	if !blocked || wait != time.Hour {
		t.Fatalf("after 1,000 wrong tokens: blocked %v for %v, want blocked for 1h", blocked, wait)
	}
	if _, blocked := l.Blocked("192.0.2.2"); blocked {
		t.Error("another address is blocked too")
	}
	if _, blocked := l.Blocked("::ffff:192.0.2.1"); !blocked {
		t.Error("the IPv4-mapped form of the address escapes the limit")
	}
	clk.Advance(59 * time.Minute)
	if wait, blocked := l.Blocked("192.0.2.1"); !blocked || wait != time.Minute {
		t.Errorf("after 59 minutes: blocked %v for %v, want one more minute", blocked, wait)
	}
	clk.Advance(time.Minute)
	if _, blocked := l.Blocked("192.0.2.1"); blocked {
		t.Error("still blocked after the hour")
	}
	l.Failed("192.0.2.1") // a new window starts
	if _, blocked := l.Blocked("192.0.2.1"); blocked {
		t.Error("a new window starts blocked")
	}

	t.Run("IPv6 per /64", func(t *testing.T) {
		l := web.NewLinkLimiter(clk.Now, 2, time.Hour, 10)
		l.Failed("2001:db8:1:2::1")
		l.Failed("2001:db8:1:2:ffff::9")
		if _, blocked := l.Blocked("2001:db8:1:2::77"); !blocked {
			t.Error("addresses of one /64 are counted apart")
		}
		if _, blocked := l.Blocked("2001:db8:1:3::1"); blocked {
			t.Error("the neighbouring /64 is blocked")
		}
	})

	t.Run("memory bounded", func(t *testing.T) {
		l := web.NewLinkLimiter(clk.Now, 1, time.Hour, 100)
		for i := 0; i < 10000; i++ {
			l.Failed(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		}
		if n := l.Addrs.Len(); n != 100 {
			t.Errorf("tracks %d addresses, want the cap 100", n)
		}
		if _, blocked := l.Blocked("10.0.39.15"); !blocked { // the newest (9999)
			t.Error("the newest address was forgotten")
		}
		if _, blocked := l.Blocked("10.0.0.0"); blocked {
			t.Error("the oldest address was kept beyond the cap")
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {5, 0}, {6, time.Second}, {7, 2 * time.Second}, {8, 4 * time.Second},
		{15, 512 * time.Second}, {16, 15 * time.Minute}, {100, 15 * time.Minute}, {1 << 20, 15 * time.Minute},
	} {
		if got := web.BackoffDelay(tc.n, 5); got != tc.want {
			t.Errorf("backoffDelay(%d, 5) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestLoginBackoff(t *testing.T) {
	clk := newTestClock()
	b := web.NewLoginBackoff(clk.Now, 100)
	const ip = "198.51.100.7"
	for i := 1; i <= web.LoginFreePair+1; i++ {
		if a := b.Attempt("Admin@Example.org", ip, ""); !a.OK {
			t.Fatalf("attempt %d refused, want %d free attempts and one more", i, web.LoginFreePair)
		}
	}
	a := b.Attempt(" admin@example.org ", ip, "") // same account and address, other spelling
	if a.OK || a.Wait != time.Second {
		t.Fatalf("attempt after %d failures: %+v, want a 1s wait", web.LoginFreePair+1, a)
	}
	if a := b.Attempt("admin@example.org", "203.0.113.9", ""); !a.OK {
		t.Errorf("the account from another address is refused: %+v", a)
	}
	// Waiting out each delay: the wait doubles, up to 15 minutes.
	var last time.Duration
	wait := a.Wait
	for i := 0; i < 20; i++ {
		clk.Advance(wait)
		if a := b.Attempt("admin@example.org", ip, ""); !a.OK {
			t.Fatalf("refused after waiting %v: a lock-out", wait)
		}
		a := b.Attempt("admin@example.org", ip, "")
		if a.OK || a.Wait > web.LoginMaxDelay || a.Wait < last {
			t.Fatalf("round %d: %+v (before %v)", i, a, last)
		}
		last, wait = a.Wait, a.Wait
	}
	if last != web.LoginMaxDelay {
		t.Errorf("wait after many failures is %v, want the cap %v", last, web.LoginMaxDelay)
	}

	t.Run("per address", func(t *testing.T) {
		b := web.NewLoginBackoff(clk.Now, 100)
		for i := 0; i <= web.LoginFreeAddr; i++ {
			if a := b.Attempt(fmt.Sprintf("user%d@example.org", i), ip, ""); !a.OK {
				t.Fatalf("attempt %d from one address refused", i)
			}
		}
		if a := b.Attempt("fresh@example.org", ip, ""); a.OK {
			t.Error("address not slowed down after many failures on different accounts")
		}
		if a := b.Attempt("fresh@example.org", "198.51.100.8", ""); !a.OK {
			t.Error("another address is slowed down too")
		}
		clk.Advance(web.LoginForget)
		if a := b.Attempt("fresh@example.org", ip, ""); !a.OK {
			t.Error("failures not forgotten after a quiet hour")
		}
	})

	t.Run("account from many addresses, device cookie", func(t *testing.T) {
		b := web.NewLoginBackoff(clk.Now, 1000)
		alarms := 0
		for i := 1; i <= web.LoginFreeAccount+1; i++ {
			a := b.Attempt("admin@example.org", fmt.Sprintf("10.7.%d.%d", i>>8, i&255), "")
			if !a.OK {
				t.Fatalf("attempt %d from a new address refused", i)
			}
			if a.Alarm {
				alarms++
				if i != web.LoginFreeAccount+1 {
					t.Errorf("alarm at attempt %d, want it at %d", i, web.LoginFreeAccount+1)
				}
			}
		}
		if alarms != 1 {
			t.Errorf("%d alarms, want 1", alarms)
		}
		if a := b.Attempt("admin@example.org", "192.0.2.200", ""); a.OK {
			t.Error("a new address without the device cookie is not slowed down after guessing from many addresses")
		}
		if a := b.Attempt("other@example.org", "192.0.2.200", ""); !a.OK {
			t.Error("another account is slowed down too")
		}
		// The owner's browser is never held up by the account's back-off;
		// guessing with a stolen cookie is slowed down on the cookie.
		for i := 1; i <= web.LoginFreeDevice+1; i++ {
			if a := b.Attempt("admin@example.org", "192.0.2.201", "device-1"); !a.OK {
				t.Fatalf("attempt %d with the device cookie refused: %+v", i, a)
			}
		}
		if a := b.Attempt("admin@example.org", "192.0.2.201", "device-1"); a.OK {
			t.Error("guessing with one device cookie is not slowed down")
		}
		if a := b.Attempt("admin@example.org", "192.0.2.201", "device-2"); !a.OK {
			t.Error("another device cookie of the account is slowed down too")
		}
	})

	t.Run("memory bounded", func(t *testing.T) {
		b := web.NewLoginBackoff(clk.Now, 50)
		for i := 0; i < 5000; i++ {
			b.Attempt(fmt.Sprintf("u%d@example.org", i), fmt.Sprintf("10.1.%d.%d", i>>8&255, i&255), "")
			b.Attempt("x@example.org", "10.2.0.1", fmt.Sprintf("d%d", i))
		}
		if a, p, n, d := b.Accounts.Len(), b.Pairs.Len(), b.Addrs.Len(), b.Devices.Len(); a != 50 || p != 50 || n != 50 || d != 50 {
			t.Errorf("tracks %d accounts, %d pairs, %d addresses, %d devices; want 50 each", a, p, n, d)
		}
	})

	t.Run("parallel attempts count", func(t *testing.T) {
		b := web.NewLoginBackoff(clk.Now, 100)
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if a := b.Attempt("target@example.org", "192.0.2.50", ""); a.OK {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != web.LoginFreePair+1 {
			t.Errorf("%d of 50 parallel attempts went through, want %d", allowed, web.LoginFreePair+1)
		}
	})
}

// limitServer is the real handler over a seeded demo store, with the
// limiters on a test clock.
type limitServer struct {
	srv      *web.Server
	ts       *httptest.Server
	clk      *testClock
	password string
	links    []store.Link
}

func newLimitServer(t *testing.T) *limitServer {
	t.Helper()
	return newLimitServerWith(t, web.Options{BaseURL: "http://bedarf.test"}, io.Discard)
}

// newLimitServerWith is newLimitServer with options and the log going to
// logs.
func newLimitServerWith(t *testing.T, opts web.Options, logs io.Writer) *limitServer {
	t.Helper()
	s := seedStore(t, "limits.db", opts)
	s.srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	clk := newTestClock()
	s.srv.Limits = web.NewLimiters(clk.Now)
	ts := httptest.NewServer(s.srv.Handler())
	t.Cleanup(ts.Close)
	return &limitServer{srv: s.srv, ts: ts, clk: clk, password: s.password, links: s.links}
}

// do sends a request from the test's loopback address, optionally with a
// forged X-Forwarded-For.
func (ls *limitServer) do(t *testing.T, method, path string, form url.Values, xff string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, ls.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ls.ts.URL)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("X-Real-IP", xff)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestLinkGuessing: 1,000 wrong tokens from one address are answered 404,
// the next request 429 with a German page, whatever X-Forwarded-For says;
// right tokens in between do not count; after the hour links work again.
func TestLinkGuessing(t *testing.T) {
	ls := newLimitServer(t)
	right := "/k/" + ls.links[1].Token
	for i := 0; i < web.LinkWrongPerHour; i++ {
		if i%250 == 0 {
			if code, _, _ := ls.do(t, http.MethodGet, right, nil, ""); code != http.StatusSeeOther {
				t.Fatalf("right token after %d wrong ones: got %d, want 303", i, code)
			}
		}
		tok := auth.NewToken() // well-formed, unknown
		if i%3 == 0 {
			tok = "kurz" + strconv.Itoa(i)
		}
		xff := ""
		if i%2 == 0 {
			xff = fmt.Sprintf("10.9.%d.%d", i>>8, i&255)
		}
		if code, _, _ := ls.do(t, http.MethodGet, "/k/"+tok, nil, xff); code != http.StatusNotFound {
			t.Fatalf("wrong token %d: got %d, want 404", i+1, code)
		}
	}
	for _, xff := range []string{"", "203.0.113.77", "127.0.0.2, 10.0.0.1"} {
		code, page, h := ls.do(t, http.MethodGet, "/k/"+auth.NewToken(), nil, xff)
		if code != http.StatusTooManyRequests || !strings.Contains(page, "Zu viele ungültige Links") || h.Get("Retry-After") != "3600" {
			t.Errorf("wrong token beyond the limit (X-Forwarded-For %q): got %d, Retry-After %q; want 429 with a German page and 3600",
				xff, code, h.Get("Retry-After"))
		}
	}
	// While blocked, a right token gets no answer either: otherwise the
	// limit would still tell right from wrong.
	if code, _, _ := ls.do(t, http.MethodGet, right, nil, ""); code != http.StatusTooManyRequests {
		t.Errorf("right token while blocked: got %d, want 429", code)
	}
	ls.clk.Advance(time.Hour)
	if code, _, _ := ls.do(t, http.MethodGet, right, nil, ""); code != http.StatusSeeOther {
		t.Errorf("right token after the hour: got %d, want 303", code)
	}
}

// TestLoginLimits: an unknown account and a wrong password get the same
// status and page, also once the back-off starts; the back-off holds against
// a forged X-Forwarded-For and against the right password, and ends after
// the wait.
func TestLoginLimits(t *testing.T) {
	ls := newLimitServer(t)
	attempt := func(email, password, xff string) (int, string, http.Header) {
		t.Helper()
		return ls.do(t, http.MethodPost, "/anmelden", url.Values{"email": {email}, "passwort": {password}}, xff)
	}
	const unknown = "niemand@bedarf.example"
	for i := 1; i <= web.LoginFreePair+2; i++ {
		codeK, pageK, hK := attempt(demoAdminEmail, "falsch-falsch-falsch", "")
		codeU, pageU, hU := attempt(unknown, "falsch-falsch-falsch", "")
		if codeK != codeU || strings.ReplaceAll(pageK, demoAdminEmail, "E") != strings.ReplaceAll(pageU, unknown, "E") ||
			hK.Get("Retry-After") != hU.Get("Retry-After") {
			t.Errorf("attempt %d: wrong password %d, unknown account %d; the answers differ", i, codeK, codeU)
		}
		want := http.StatusUnauthorized
		if i > web.LoginFreePair+1 {
			want = http.StatusTooManyRequests
		}
		if codeK != want {
			t.Errorf("attempt %d: got %d, want %d", i, codeK, want)
		}
	}
	for _, xff := range []string{"", "203.0.113.5", "10.1.1.1, 203.0.113.6"} {
		code, page, h := attempt(demoAdminEmail, ls.password, xff)
		if code != http.StatusTooManyRequests || h.Get("Retry-After") != "1" || !strings.Contains(page, "Zu viele fehlgeschlagene Anmeldeversuche") {
			t.Errorf("right password during back-off (X-Forwarded-For %q): got %d, Retry-After %q; want 429, 1", xff, code, h.Get("Retry-After"))
		}
	}
	ls.clk.Advance(time.Second)
	if code, _, h := attempt(demoAdminEmail, ls.password, ""); code != http.StatusSeeOther || h.Get("Location") != "/verwaltung" {
		t.Fatalf("right password after the wait: got %d, want 303 to /verwaltung", code)
	}
	// The success cleared the account at the address; the address keeps
	// its count but is below its own limit.
	if code, _, _ := attempt(demoAdminEmail, "falsch-falsch-falsch", ""); code != http.StatusUnauthorized {
		t.Errorf("wrong password after a success: got %d, want 401", code)
	}
}
