package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey/store"
)

// Issue 17, item 6: a stranger who knows a staff e-mail address cannot
// lock its owner out. Guessing from one address slows down that address
// only; guessing from many addresses slows down every browser that has not
// logged in to the account before, with an alarm in the log and the audit
// log, but never the owner's browser, which carries a device cookie. Every
// failed login is logged with account and client address.
func TestLoginNoLockoutByStrangers(t *testing.T) {
	logs := &lockedBuffer{}
	ls := newLimitServerWith(t, web.Options{BaseURL: "http://bedarf.test", TrustedProxies: []string{"127.0.0.1"}}, logs)
	// login posts from the address with the browser's cookies (jar may be
	// nil: a browser without any).
	login := func(jar http.CookieJar, addr, password string) int {
		t.Helper()
		form := url.Values{"email": {demoAdminEmail}, "passwort": {password}}
		req, _ := http.NewRequest(http.MethodPost, ls.ts.URL+"/anmelden", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ls.ts.URL)
		req.Header.Set("X-Forwarded-For", addr)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	newJar := func() http.CookieJar {
		jar, _ := cookiejar.New(nil)
		return jar
	}
	const wrong = "falsch-falsch-falsch"

	// The owner logs in once from the office: the browser gets its cookie.
	owner := newJar()
	if code := login(owner, "192.0.2.10", ls.password); code != http.StatusSeeOther {
		t.Fatalf("first login: %d", code)
	}

	// A stranger guesses from one address: slowed down there, not elsewhere.
	const stranger = "203.0.113.66"
	for i := 1; i <= web.LoginFreePair+1; i++ {
		if code := login(nil, stranger, wrong); code != http.StatusUnauthorized {
			t.Fatalf("stranger's attempt %d: %d, want 401", i, code)
		}
	}
	if code := login(nil, stranger, wrong); code != http.StatusTooManyRequests {
		t.Errorf("stranger after %d failures: %d, want 429", web.LoginFreePair+1, code)
	}
	if code := login(nil, "192.0.2.20", ls.password); code != http.StatusSeeOther {
		t.Errorf("the owner from another address, in a new browser, after the stranger's guesses: %d, want 303", code)
	}

	// Guessing from many addresses: new browsers wait, once the account's
	// free failures are used up; the alarm goes off once.
	refused := 0
	for i := 1; i <= web.LoginFreeAccount+5; i++ {
		if login(nil, fmt.Sprintf("198.51.100.%d", i), wrong) == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Fatalf("%d addresses guessed without being slowed down", web.LoginFreeAccount+5)
	}
	if code := login(nil, "192.0.2.30", ls.password); code != http.StatusTooManyRequests {
		t.Errorf("a browser without the device cookie during guessing from many addresses: %d, want 429", code)
	}
	forged := newJar()
	u, _ := url.Parse(ls.ts.URL)
	forged.SetCookies(u, []*http.Cookie{{Name: "bedarf_geraet", Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}})
	if code := login(forged, "192.0.2.31", ls.password); code != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie: %d, want 429", code)
	}
	// The owner's browser, from anywhere, gets in.
	if code := login(owner, "192.0.2.40", ls.password); code != http.StatusSeeOther {
		t.Errorf("the owner's browser during guessing from many addresses: %d, want 303", code)
	}

	out := logs.String()
	if n := strings.Count(out, `msg="login alarm`); n != 1 {
		t.Errorf("%d alarms in the log, want 1:\n%s", n, out)
	}
	rows, _, err := ls.srv.St.AuditSearch(context.Background(), store.AuditFilter{Action: "login.alarm"})
	if err != nil || len(rows) != 1 {
		t.Errorf("audit log: %d alarm entries (%v), want 1", len(rows), err)
	}
	for _, want := range []string{
		"msg=\"login failed\" account=" + demoAdminEmail + " client=" + stranger,
		"msg=\"login failed\" account=" + demoAdminEmail + " client=198.51.100.1 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
}
