//go:build browser

// Helpers of the browser suite (browser_test.go): the real binary started as
// "bedarf demo", Debian's Chromium driven with chromedp, and the checks that
// run on every page state: axe-core (WCAG 2.1 A/AA), the network log (own
// origin only), reflow at 320 px, 200 % zoom and screenshots kept for a
// failed test.
//
// Run: go test -tags browser ./cmd/bedarf/ -run TestBrowser
//
// Environment:
//
//	BEDARF_CHROMIUM     the browser (default /usr/bin/chromium)
//	BEDARF_SCREENSHOTS  folder for the screenshots of a failed test (default:
//	                    a new folder under the system's temp dir, printed in
//	                    the log; CI puts them under .ci/artifacts/)
//
// The axe-core fixture is cmd/bedarf/testdata/axe (npm ci there).
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// actionTimeout bounds one browser action; a page of the demo loads in
// milliseconds, so anything near this is a hang.
const actionTimeout = 30 * time.Second

// app is the real program, started as "bedarf demo" on a free port.
type app struct {
	base     string // http://127.0.0.1:PORT
	login    string // staff login URL
	email    string
	password string
	links    map[string]string // AGS → Kommune link
	names    map[string]string // AGS → name
	stderr   *os.File
}

// startApp builds the binary into a temp folder and runs "bedarf demo" on a
// fresh database; the process is stopped with SIGINT when the test ends.
func startApp(t *testing.T) *app {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bedarf")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	logf, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "demo", "--db", filepath.Join(dir, "demo.db"), "--addr", "127.0.0.1:0")
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start demo: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	a := &app{links: map[string]string{}, names: map[string]string{}, stderr: logf}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Error("demo did not stop on SIGINT")
		}
		if t.Failed() {
			if b, err := os.ReadFile(logf.Name()); err == nil {
				t.Logf("demo log (last 4 KB):\n%s", tail(string(b), 4096))
			}
		}
		logf.Close()
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	lineRE := regexp.MustCompile(`^(\d{8})\t([^\t]+)\t(http://\S+/k/\S+)$`)
	timeout := time.After(60 * time.Second)
	for len(a.links) < 21 {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("demo ended after %d links", len(a.links))
			}
			switch {
			case strings.HasPrefix(line, "Verwaltung: "):
				a.login = strings.TrimPrefix(line, "Verwaltung: ")
				a.base = strings.TrimSuffix(a.login, "/anmelden")
			case strings.HasPrefix(line, "admin login: "):
				f := strings.Fields(strings.TrimPrefix(line, "admin login: "))
				if len(f) != 2 {
					t.Fatalf("admin line %q", line)
				}
				a.email, a.password = f[0], f[1]
			default:
				m := lineRE.FindStringSubmatch(line)
				if m == nil {
					t.Fatalf("unexpected demo output %q", line)
				}
				a.links[m[1]], a.names[m[1]] = m[3], m[2]
			}
		case <-timeout:
			t.Fatalf("demo printed %d links in 60 s", len(a.links))
		}
	}
	if a.base == "" || a.password == "" {
		t.Fatalf("demo printed no login (base %q)", a.base)
	}
	go func() {
		for range lines {
		}
	}()
	return a
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// suite is one browser for one test, with what every page check needs.
type suite struct {
	t       *testing.T // the top-level test
	app     *app
	browser context.Context // has run once: tabs derive from it
	axe     string          // axe.min.js
	mu      sync.Mutex
	shots   []shot // screenshots of every checked page state
	checked []string
}

type shot struct {
	name string
	png  []byte
}

// chromiumPath is Debian's Chromium unless BEDARF_CHROMIUM names another.
func chromiumPath() string {
	if p := os.Getenv("BEDARF_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// newSuite starts Chromium (headless, fresh profile, no network but
// loopback) and loads axe-core. A missing browser or fixture fails the test:
// it never skips. extra options go to the browser's allocator (such as an
// environment of its own).
func newSuite(t *testing.T, a *app, extra ...chromedp.ExecAllocatorOption) *suite {
	t.Helper()
	exe := chromiumPath()
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("Chromium not found at %s (apt-get install chromium, or set BEDARF_CHROMIUM): %v", exe, err)
	}
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core missing (run npm ci --no-audit --no-fund in cmd/bedarf/testdata/axe): %v", err)
	}
	removeStaleProfiles()
	profile, err := os.MkdirTemp("", "bedarf-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"),
		// German pages: the browser asks for German as a German office's
		// would (headless Chromium sends en-US otherwise).
		chromedp.Flag("lang", "de-DE"), chromedp.Flag("accept-lang", "de-DE,de"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile))
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	// The first Do starts the browser; it must have no timeout.
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
		t.Fatalf("start Chromium: %v", err)
	}
	s := &suite{t: t, app: a, browser: browser, axe: string(axe)}
	t.Cleanup(func() {
		s.mu.Lock()
		t.Logf("%d page states checked", len(s.checked))
		s.mu.Unlock()
		if t.Failed() {
			s.saveShots()
		}
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	})
	return s
}

// removeStaleProfiles removes the profile folders that killed runs left
// behind (older than two hours, so that a parallel run keeps its own).
func removeStaleProfiles() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "bedarf-chromium-*"))
	for _, dir := range old {
		if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > 2*time.Hour {
			os.RemoveAll(dir)
		}
	}
}

// saveShots writes the screenshots of every page state the test checked.
func (s *suite) saveShots() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.shots) == 0 {
		return
	}
	dir := os.Getenv("BEDARF_SCREENSHOTS")
	var err error
	if dir == "" {
		dir, err = os.MkdirTemp("", "bedarf-screenshots-")
	} else {
		dir = filepath.Join(dir, s.t.Name())
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		s.t.Logf("screenshots not saved: %v", err)
		return
	}
	for i, sh := range s.shots {
		name := fmt.Sprintf("%02d-%s.png", i+1, fileSafe(sh.name))
		if err := os.WriteFile(filepath.Join(dir, name), sh.png, 0o644); err != nil {
			s.t.Logf("screenshot %s: %v", name, err)
		}
	}
	s.t.Logf("screenshots of %d page states (1280 px and 375 px) in %s", len(s.shots)/2, dir)
}

var unsafeRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string {
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue").Replace(s)
	return strings.Trim(unsafeRE.ReplaceAllString(s, "-"), "-")
}

// tab is one browser tab. Its network log holds every request the page made.
type tab struct {
	s      *suite
	t      *testing.T
	ctx    context.Context
	origin string

	mu       sync.Mutex
	requests []string // URLs, in order
	seen     int      // requests already checked
	dialogs  []string // dialogs the page opened, not yet reported
}

// newTab opens a tab in the suite's browser for the test t (the suite's
// or a subtest). With incognito it gets a new browser context: cookies and
// storage of its own, like a second browser.
func (s *suite) newTab(t *testing.T, incognito bool) *tab {
	t.Helper()
	var opts []chromedp.ContextOption
	if incognito {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(s.browser, opts...)
	t.Cleanup(cancel)
	// Open the tab with no timeout; later actions have their own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	tb := &tab{s: s, t: t, ctx: ctx, origin: s.app.base}
	// Only collect here: running a command inside the callback deadlocks.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			tb.mu.Lock()
			tb.requests = append(tb.requests, e.Request.URL)
			tb.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// A dialog (such as "leave the page with unsaved changes?") would block
	// the tab: accept it and report it at the next check.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, string(ev.Type)+": "+ev.Message)
			tb.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	tb.do(chromedp.EmulateViewport(1280, 900))
	return tb
}

// do runs actions with a timeout.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, js string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		tb.t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// open navigates to a URL and waits for the load event.
func (tb *tab) open(u string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(u))
}

// path is the path (and query) of the page shown.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname + location.search`)
}

// press sends keys (see package kb for Tab, Enter, arrows).
func (tb *tab) press(keys string, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	if keys == kb.Enter && len(opts) == 0 {
		tb.do(tb.key(keys))
		return
	}
	tb.do(chromedp.KeyEvent(keys, opts...))
}

// pressAndLoad sends a key that makes the page navigate, and waits for the
// new page's load event.
func (tb *tab) pressAndLoad(key string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, tb.key(key))); err != nil {
		tb.t.Fatalf("press %q and wait for the next page: %v", key, err)
	}
}

// key is the action that presses one key. Enter on a link is sent as
// Chromium sends a real key press that the page handles on keydown: the
// link follows on keydown and Chromium drops the char event, which would
// otherwise reach the element focused by then (a text field would submit
// its form).
func (tb *tab) key(key string) chromedp.Action[chromedp.Void] {
	if key != kb.Enter || tb.active().Tag != "a" {
		return chromedp.KeyEvent(key)
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// typeText types text into the focused field, replacing what it holds.
func (tb *tab) typeText(text string) {
	tb.t.Helper()
	if eval[string](tb, `document.activeElement.value || ''`) != "" {
		tb.press("a", chromedp.KeyModifiers(chromedp.ModifierCtrl))
		tb.press(kb.Backspace)
	}
	tb.press(text)
}

// focused describes document.activeElement.
type focused struct {
	Tag     string `json:"tag"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	ID      string `json:"id"`
	Value   string `json:"value"`
	Checked bool   `json:"checked"`
	Href    string `json:"href"`
	Text    string `json:"text"`
}

func (f focused) String() string {
	return fmt.Sprintf("<%s id=%q name=%q type=%q value=%q>%.40s", f.Tag, f.ID, f.Name, f.Type, f.Value, f.Text)
}

const activeJS = `(() => { const e = document.activeElement || document.body;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', id: e.id || '',
    value: typeof e.value === 'string' ? e.value : '', checked: !!e.checked,
    href: e.href || '', text: (e.textContent || '').trim().slice(0, 80)}; })()`

func (tb *tab) active() focused {
	tb.t.Helper()
	return eval[focused](tb, activeJS)
}

// next presses Tab and returns the element that has focus then.
func (tb *tab) next() focused {
	tb.t.Helper()
	tb.press(kb.Tab)
	return tb.active()
}

// tabTo presses Tab until match accepts the focused element.
func (tb *tab) tabTo(what string, match func(focused) bool) focused {
	tb.t.Helper()
	for range 400 {
		if f := tb.next(); match(f) {
			return f
		}
	}
	tb.t.Fatalf("Tab never reached %s on %s", what, tb.path())
	return focused{}
}

// tabBackTo presses Shift+Tab until match accepts the focused element.
func (tb *tab) tabBackTo(what string, match func(focused) bool) focused {
	tb.t.Helper()
	for range 400 {
		tb.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
		if f := tb.active(); match(f) {
			return f
		}
	}
	tb.t.Fatalf("Shift+Tab never reached %s on %s", what, tb.path())
	return focused{}
}

// visible reports whether the element with the id is rendered.
func (tb *tab) visible(id string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`(() => { const e = document.getElementById(%q);
  return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0; })()`, id))
}

// checkOpts selects the checks of one page state.
type checkOpts struct {
	noAxe bool // JavaScript is off in this tab: axe cannot run
}

// check runs every page-level check on the page as it is now: the network
// log, axe-core, reflow at 320 px and 200 % zoom, and screenshots at 1280 px
// and 375 px for the report of a failed test. Each problem fails the test.
// Focus stays where it was.
func (tb *tab) check(name string, o ...checkOpts) {
	tb.t.Helper()
	for _, p := range tb.problems(name, o...) {
		tb.t.Errorf("%s (%s): %s", name, tb.path(), p)
	}
}

// problems runs the checks of check and returns what they found.
func (tb *tab) problems(name string, o ...checkOpts) []string {
	tb.t.Helper()
	var opt checkOpts
	if len(o) > 0 {
		opt = o[0]
	}
	tb.s.mu.Lock()
	tb.s.checked = append(tb.s.checked, name)
	tb.s.mu.Unlock()
	probs := tb.checkNetwork()
	tb.mu.Lock()
	for _, d := range tb.dialogs {
		probs = append(probs, "unexpected dialog "+d)
	}
	tb.dialogs = nil
	tb.mu.Unlock()
	if !opt.noAxe {
		probs = append(probs, tb.axe(name)...)
	}
	for _, href := range eval[[]string](tb, `[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href')).filter(h => !h.startsWith('#') || !document.getElementById(h.slice(1)))`) {
		probs = append(probs, "table of contents links "+href+", which is no section of the page")
	}
	probs = append(probs, tb.reflow()...)
	tb.screenshots(name)
	tb.do(chromedp.EmulateViewport(1280, 900))
	return probs
}

// checkNetwork: every request since the last check went to the product's
// own origin. data: URLs (inline images) are no network request.
func (tb *tab) checkNetwork() []string {
	tb.t.Helper()
	tb.mu.Lock()
	reqs := tb.requests[tb.seen:]
	tb.seen = len(tb.requests)
	tb.mu.Unlock()
	if len(reqs) == 0 {
		return []string{"the network log shows no request at all (is the listener running?)"}
	}
	var probs []string
	for _, r := range reqs {
		if strings.HasPrefix(r, "data:") {
			continue
		}
		u, err := url.Parse(r)
		if err != nil || u.Scheme+"://"+u.Host != tb.origin {
			probs = append(probs, "request to another origin: "+r)
		}
	}
	return probs
}

type axeNode struct {
	Target  []any  `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"failureSummary"`
}

type axeRule struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeResult struct {
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

const axeRunJS = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations', 'incomplete']
}).then(r => ({
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))})),
  incomplete: r.incomplete.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}))
}))`

// axe injects axe-core (DevTools evaluation is not subject to the page's
// CSP) and returns every violation; "incomplete" results (for a person to
// review) go to the log.
func (tb *tab) axe(name string) []string {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe !== 'undefined'`) {
		eval[chromedp.Void](tb, tb.s.axe)
	}
	focus := eval[string](tb, `document.activeElement ? document.activeElement.id : ''`)
	res := eval[axeResult](tb, axeRunJS, chromedp.EvalAwaitPromise)
	var probs []string
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s [%s]: %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, trim(n.HTML, 200), strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		probs = append(probs, b.String())
	}
	for _, v := range res.Incomplete {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target))
		}
		tb.t.Logf("%s: axe incomplete (to review by hand) %s: %s: %s", name, v.ID, v.Help, trim(strings.Join(targets, " "), 300))
	}
	if after := eval[string](tb, `document.activeElement ? document.activeElement.id : ''`); after != focus && focus != "" {
		eval[chromedp.Void](tb, fmt.Sprintf(`document.getElementById(%q).focus()`, focus))
	}
	return probs
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// overflowJS lists elements that stick out to the right of the viewport
// without a scrolling box around them: what makes a page scroll sideways.
const overflowJS = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    const st = getComputedStyle(e);
    if (st.overflowX === 'visible' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && r.left + e.scrollWidth > w + 0.5) {
      out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' content ' + e.scrollWidth + ' px wide in a box of ' +
        e.clientWidth + ' px: "' + (e.textContent || '').trim().slice(0, 40) + '"');
    }
    if (r.right <= w + 0.5 || r.width === 0) continue;
    // A box inside a scrolling box does not widen the page, unless it is
    // absolutely positioned against a box outside that scrolling box.
    const abs = st.position === 'absolute', cb = e.offsetParent;
    let clipped = false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible' && (!abs || (cb && p.contains(cb)))) { clipped = true; break; }
    }
    if (!clipped) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '') +
      ' right=' + Math.round(r.right) + ' "' + (e.textContent || '').trim().slice(0, 40) + '"');
    if (out.length >= 8) break;
  }
  return out; })()`

// tilesJS lists key-figure tiles (.kpis) whose text is wider than the tile
// or has a word broken across lines (hyphenated or cut): each word's
// client rects must lie on one line. A break at a hyphen written in the
// word ("Gruppen-Supervision") is not a broken word.
const tilesJS = `(() => { const out = [];
  for (const t of document.querySelectorAll('.kpis > div')) {
    const name = '"' + t.textContent.trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
    if (t.scrollWidth > t.clientWidth + 1) out.push(name + ' is ' + t.scrollWidth + ' px wide in a box of ' + t.clientWidth + ' px');
    const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
      const re = /[^\s\-\u2010\u2013]+/g;
      for (let m; (m = re.exec(n.data));) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.bottom)));
        if (lines.size > 1) out.push(name + ' breaks the word "' + m[0] + '" across ' + lines.size + ' lines');
      }
    }
  }
  return out; })()`

// navLineJS measures the staff navigation: every item on one row and the
// navigation no higher than its highest item (one line). Empty when it
// fits or there is none.
const navLineJS = `(() => { const n = document.querySelector('header.site nav'); if (!n) return '';
  const items = [...n.children].filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect());
  const h = n.getBoundingClientRect().height, line = Math.max(...items.map(r => r.height));
  const rows = new Set(items.map(r => Math.round(r.top))).size;
  return h > line + 1 || rows > 1 ? 'navigation is ' + Math.round(h) + ' px high in ' + rows + ' rows; one line is ' + Math.round(line) + ' px' : ''; })()`

// navReachJS opens the navigation's menus and lists links and buttons of
// the navigation that are not shown within the viewport's width; it
// closes the menus again.
const navReachJS = `(() => { const n = document.querySelector('header.site nav'); if (!n) return [];
  const menus = [...n.querySelectorAll('details:not([open])')]; menus.forEach(d => d.open = true);
  const out = [], w = document.documentElement.clientWidth;
  for (const e of n.querySelectorAll('a, button, summary')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.left < 0 || r.right > w + 0.5) out.push('"' + e.textContent.trim() + '" is not reachable (' + Math.round(r.left) + '–' + Math.round(r.right) + ' px)');
  }
  menus.forEach(d => d.open = false);
  return out; })()`

// reflow checks WCAG 1.4.10 at 320 CSS px (a 1280 px window at 400 %),
// 1.4.4 at 200 % zoom and a plain 1280 px window. 200 % is emulated as a browser zoom does it: a
// 1280×720 window at 200 % lays out a 640×360 CSS px viewport, rendered at
// device scale factor 2. Neither may scroll sideways.
func (tb *tab) reflow() []string {
	tb.t.Helper()
	var probs []string
	for _, vp := range []struct {
		label         string
		width, height int64
		scale         float64
	}{
		{"320 px", 320, 640, 1},
		{"200 % zoom", 640, 360, 2},
		{"1280 px", 1280, 800, 1}, // a desktop window: wide tables fit too (issue 18)
	} {
		tb.do(chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale)))
		sw := eval[int64](tb, `Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`)
		if sw > vp.width {
			probs = append(probs, fmt.Sprintf("at %s the page is %d px wide and scrolls sideways; too wide: %v",
				vp.label, sw, eval[[]string](tb, overflowJS)))
		}
		for _, p := range eval[[]string](tb, tilesJS) {
			probs = append(probs, fmt.Sprintf("at %s a key-figure tile %s", vp.label, p))
		}
		switch vp.width {
		case 1280:
			if p := eval[string](tb, navLineJS); p != "" {
				probs = append(probs, "at 1280 px the "+p)
			}
		case 320:
			for _, p := range eval[[]string](tb, navReachJS) {
				probs = append(probs, "at 320 px the navigation's "+p)
			}
		}
	}
	return probs
}

// screenshots keeps full-page images at 1280 px and 375 px for the report of
// a failed test.
func (tb *tab) screenshots(name string) {
	tb.t.Helper()
	for _, w := range []int64{1280, 375} {
		tb.do(chromedp.EmulateViewport(w, 900))
		png := tb.fullPNG()
		tb.s.mu.Lock()
		tb.s.shots = append(tb.s.shots, shot{name: fmt.Sprintf("%s-%dpx", name, w), png: png})
		tb.s.mu.Unlock()
	}
}

// fullPNG captures the whole page (not only the viewport) as PNG.
func (tb *tab) fullPNG() []byte {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	img, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		size := m.CSSContentSize
		h := min(size.Height, 20000)
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: new(true), FromSurface: new(true),
			Clip: &page.Viewport{X: 0, Y: 0, Width: size.Width, Height: h, Scale: 1},
		})
		return r.Data, err
	})
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	return img
}

// emulateMedia switches CSS media ("print" or "" for the screen).
func (tb *tab) emulateMedia(media string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		tb.t.Fatalf("emulate media %q: %v", media, err)
	}
}

// disableScript turns JavaScript off in the tab (before the next navigation).
func (tb *tab) disableScript() {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		tb.t.Fatalf("disable JavaScript: %v", err)
	}
}

// formValues reads the questionnaire's fields: name → values (checked
// boxes and radios only).
func (tb *tab) formValues() map[string][]string {
	tb.t.Helper()
	return eval[map[string][]string](tb, `(() => { const out = {};
  for (const e of document.querySelectorAll('#fragebogen [name^="q."]')) {
    if ((e.type === 'radio' || e.type === 'checkbox') && !e.checked) continue;
    if (e.value === '') continue;
    (out[e.name] = out[e.name] || []).push(e.value);
  }
  return out; })()`)
}
