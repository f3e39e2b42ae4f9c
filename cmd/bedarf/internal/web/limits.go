package web

import (
	"container/list"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
)

// Rate limits against guessing: personal links per client address, staff
// passwords per account and per address. The handlers only ask and report;
// the counting lives in the types below, which take a clock so tests can
// move time. State is kept in memory, bounded in size; a restart forgets it,
// which is acceptable for limits whose windows are an hour at most.
//
// The client address is gin's c.ClientIP(): with no trusted proxies it is
// the socket's address, so a forged X-Forwarded-For changes nothing.

// Limits used by the server.
const (
	// LinkWrongPerHour is how many wrong link tokens an address may try per
	// hour; the next request within the hour is answered 429.
	//
	// Exported for package main's end-to-end tests.
	LinkWrongPerHour = 1000
	// LoginFreePair and LoginFreeAddr are the failed logins allowed without
	// delay per account and address together and per address (a town hall
	// shares one address, so the address gets more). LoginFreeDevice is
	// the same for a browser with a device cookie of the account.
	//
	// Exported for package main's end-to-end tests.
	LoginFreePair = 5
	// LoginFreeAddr is exported for package main's end-to-end tests.
	LoginFreeAddr = 20
	// LoginFreeDevice is exported for package main's end-to-end tests.
	LoginFreeDevice = 5
	// LoginFreeAccount is the failed logins allowed without delay per
	// account from all clients without its device cookie together: the
	// guard against guessing from many addresses. Beyond it, clients
	// without the cookie wait and an alarm goes to the log and audit log;
	// browsers with the cookie (its owners) never do.
	//
	// Exported for package main's end-to-end tests.
	LoginFreeAccount = 30
	// loginBaseDelay doubles with every further failure up to LoginMaxDelay:
	// never a permanent lock-out.
	loginBaseDelay = time.Second
	// LoginMaxDelay is exported for package main's end-to-end tests.
	LoginMaxDelay = 15 * time.Minute
	// LoginForget is the quiet time after which failures are forgotten.
	//
	// Exported for package main's end-to-end tests.
	LoginForget = time.Hour
	// limitTracked caps the number of addresses or accounts each limiter
	// remembers; the least recently active are forgotten first.
	limitTracked = 10000
)

// limiters bundles the server's rate limits.
type limiters struct {
	links *linkLimiter
	login *loginBackoff
}

// NewLimiters returns the limits the server uses, reading time from now.
//
// Exported for package main's end-to-end tests.
func NewLimiters(now func() time.Time) *limiters {
	return &limiters{
		links: NewLinkLimiter(now, LinkWrongPerHour, time.Hour, limitTracked),
		login: NewLoginBackoff(now, limitTracked),
	}
}

// clientKey is the key a client address is counted under: the address
// itself for IPv4, its /64 network for IPv6 (one connection usually gets a
// whole /64).
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}

// lru is a map from string keys to values that holds at most max keys and
// forgets the least recently touched one first. It is not safe for
// concurrent use; its owners lock.
type lru[V any] struct {
	max   int
	items map[string]*list.Element
	order *list.List // front: most recently touched
}

type lruItem[V any] struct {
	key string
	val V
}

func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, items: map[string]*list.Element{}, order: list.New()}
}

// get returns the value of key without touching it.
func (m *lru[V]) get(key string) (*V, bool) {
	e, ok := m.items[key]
	if !ok {
		return nil, false
	}
	return &e.Value.(*lruItem[V]).val, true
}

// touch returns the value of key, creating a zero value if needed, and
// marks it as most recently used; it may forget the oldest key.
func (m *lru[V]) touch(key string) *V {
	if e, ok := m.items[key]; ok {
		m.order.MoveToFront(e)
		return &e.Value.(*lruItem[V]).val
	}
	for m.order.Len() >= m.max {
		old := m.order.Back()
		m.order.Remove(old)
		delete(m.items, old.Value.(*lruItem[V]).key)
	}
	e := m.order.PushFront(&lruItem[V]{key: key})
	m.items[key] = e
	return &e.Value.(*lruItem[V]).val
}

func (m *lru[V]) remove(key string) {
	if e, ok := m.items[key]; ok {
		m.order.Remove(e)
		delete(m.items, key)
	}
}

// Len is exported for package main's end-to-end tests.
func (m *lru[V]) Len() int { return m.order.Len() }

// linkLimiter counts wrong link tokens per client address in fixed windows
// that start with an address's first wrong token. Right tokens are not
// counted, but an address that has used up its window gets no answer on any
// token until the window ends: otherwise the limit would still let it tell
// right from wrong.
type linkLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	max    int
	window time.Duration
	// Addrs is exported for package main's end-to-end tests.
	Addrs *lru[linkWindow]
}

type linkWindow struct {
	start time.Time
	wrong int
}

// NewLinkLimiter is exported for package main's end-to-end tests.
func NewLinkLimiter(now func() time.Time, max int, window time.Duration, tracked int) *linkLimiter {
	return &linkLimiter{now: now, max: max, window: window, Addrs: newLRU[linkWindow](tracked)}
}

// Blocked reports whether the address has used up its wrong tokens, and
// how long until it may try again.
func (l *linkLimiter) Blocked(ip string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.Addrs.get(clientKey(ip))
	if !ok {
		return 0, false
	}
	left := w.start.Add(l.window).Sub(l.now())
	if left <= 0 || w.wrong < l.max {
		return 0, false
	}
	return left, true
}

// Failed counts a wrong token from the address.
func (l *linkLimiter) Failed(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := l.Addrs.touch(clientKey(ip))
	if w.start.IsZero() || !now.Before(w.start.Add(l.window)) {
		*w = linkWindow{start: now}
	}
	w.wrong++
}

// loginBackoff slows down password guessing, as OWASP's "Slow Down Online
// Guessing Attacks with Device Cookies" describes. A browser that has
// logged in to the account before (it shows a valid device cookie for it)
// is counted by its cookie only. Any other client is counted per address,
// per account and address, and per account from all such clients
// together. Every attempt counts as a failure when it starts (so parallel
// attempts cannot slip through together); a successful login takes it
// back. After the free failures each further one doubles the wait, up to
// LoginMaxDelay.
type loginBackoff struct {
	mu       sync.Mutex
	now      func() time.Time
	Accounts *lru[failures] // account, clients without a device cookie
	Pairs    *lru[failures] // account and address
	Addrs    *lru[failures] // address
	Devices  *lru[failures] // device cookie
}

type failures struct {
	n    int
	last time.Time
}

// NewLoginBackoff is exported for package main's end-to-end tests.
func NewLoginBackoff(now func() time.Time, tracked int) *loginBackoff {
	return &loginBackoff{now: now, Accounts: newLRU[failures](tracked), Pairs: newLRU[failures](tracked),
		Addrs: newLRU[failures](tracked), Devices: newLRU[failures](tracked)}
}

// BackoffDelay is the wait after n failures of which free were free.
//
// Exported for package main's end-to-end tests.
func BackoffDelay(n, free int) time.Duration {
	if n <= free {
		return 0
	}
	d := loginBaseDelay
	for i := free + 1; i < n && d < LoginMaxDelay; i++ {
		d *= 2
	}
	return min(d, LoginMaxDelay)
}

// wait returns how long the key still has to wait at now.
func (f *failures) wait(now time.Time, free int) time.Duration {
	if f.n == 0 || now.Sub(f.last) >= LoginForget {
		return 0
	}
	return max(0, f.last.Add(BackoffDelay(f.n, free)).Sub(now))
}

// record counts one more failure at now, forgetting old ones after a quiet
// hour.
func (f *failures) record(now time.Time) {
	if now.Sub(f.last) >= LoginForget {
		f.n = 0
	}
	f.n++
	f.last = now
}

// accountKey normalises an e-mail address as typed: logins ignore case.
func accountKey(email string) string {
	k := strings.ToLower(strings.TrimSpace(email))
	if len(k) > 320 {
		k = k[:320]
	}
	return k
}

// loginAttempt is the outcome of loginBackoff.Attempt.
type loginAttempt struct {
	OK    bool          // the attempt may go ahead (and is counted)
	Wait  time.Duration // otherwise: how long to wait
	Alarm bool          // this attempt started the account-wide back-off
	Fails int           // the account's failures from clients without its device cookie
}

// Attempt starts a login attempt for the account (the e-mail as typed,
// whether or not such an account exists) from the address; device is the
// id of the browser's device cookie for that account, or "". When a counter
// that applies has to wait, it returns the longest wait, counting nothing;
// otherwise it counts the attempt as failed and lets it go ahead.
func (b *loginBackoff) Attempt(email, ip, device string) loginAttempt {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if device != "" {
		if f, ok := b.Devices.get(device); ok {
			if wait := f.wait(now, LoginFreeDevice); wait > 0 {
				return loginAttempt{Wait: wait}
			}
		}
		b.Devices.touch(device).record(now)
		return loginAttempt{OK: true}
	}
	acc, addr := accountKey(email), clientKey(ip)
	pair := acc + "\x00" + addr
	var wait time.Duration
	for _, c := range []struct {
		m    *lru[failures]
		key  string
		free int
	}{{b.Accounts, acc, LoginFreeAccount}, {b.Pairs, pair, LoginFreePair}, {b.Addrs, addr, LoginFreeAddr}} {
		if f, ok := c.m.get(c.key); ok {
			wait = max(wait, f.wait(now, c.free))
		}
	}
	if wait > 0 {
		return loginAttempt{Wait: wait}
	}
	f := b.Accounts.touch(acc)
	f.record(now)
	b.Pairs.touch(pair).record(now)
	b.Addrs.touch(addr).record(now)
	return loginAttempt{OK: true, Alarm: f.n == LoginFreeAccount+1, Fails: f.n}
}

// Succeeded takes back the attempt counted by Attempt and clears the
// failures of the account at the address (or of the device cookie).
func (b *loginBackoff) Succeeded(email, ip, device string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if device != "" {
		b.Devices.remove(device)
		return
	}
	acc, addr := accountKey(email), clientKey(ip)
	b.Pairs.remove(acc + "\x00" + addr)
	for _, f := range []*failures{b.get(b.Accounts, acc), b.get(b.Addrs, addr)} {
		if f != nil && f.n > 0 {
			f.n--
		}
	}
}

func (b *loginBackoff) get(m *lru[failures], key string) *failures {
	f, _ := m.get(key)
	return f
}

// retryAfter sets the Retry-After header and returns the wait in the
// request's language.
func retryAfter(c *gin.Context, wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	c.Header("Retry-After", strconv.Itoa(secs))
	if secs < 120 {
		return tr(c, "limits.seconds", secs)
	}
	return tr(c, "limits.minutes", (secs+59)/60)
}

// linkLimited answers 429 when the client address has tried too many wrong
// links, and reports whether it did.
func (s *Server) linkLimited(c *gin.Context) bool {
	wait, blocked := s.Limits.links.Blocked(c.ClientIP())
	if !blocked {
		return false
	}
	s.Log.Warn("link guessing limited", "route", c.FullPath())
	s.Render(c, http.StatusTooManyRequests, "error", PageData{
		Title:   tr(c, "limits.links.title"),
		Message: tr(c, "limits.links.text", retryAfter(c, wait)),
	})
	return true
}

// loginLimited starts a login attempt; when the client has to wait it
// answers 429 (the same for known and unknown accounts) and returns true.
// The start of the account-wide back-off is an alarm in the log and the
// audit log.
func (s *Server) loginLimited(c *gin.Context, email, device string) bool {
	a := s.Limits.login.Attempt(email, c.ClientIP(), device)
	if a.Alarm {
		s.Log.Error("login alarm: password guessing on one account from many addresses; clients without its device cookie now wait",
			"account", accountKey(email), "client", c.ClientIP(), "failures", a.Fails)
		_ = s.St.Audit(c.Request.Context(), survey.Actor{Kind: "system", Label: "Anmeldeschutz"}, "login.alarm", 0, 0,
			accountKey(email))
	}
	if a.OK {
		return false
	}
	s.Log.Warn("login backing off", "account", accountKey(email), "client", c.ClientIP(), "wait_s", int(a.Wait.Seconds()))
	s.loginPage(c, http.StatusTooManyRequests, email, tr(c, "limits.login", retryAfter(c, a.Wait)), resumeOf(c.Request.PostForm))
	return true
}
