//go:build browser

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// dejavuDir is where Debian's fonts-dejavu-core puts DejaVu Sans.
const dejavuDir = "/usr/share/fonts/truetype/dejavu"

// TestBrowserChartText opens every SVG chart the demo's staff pages show
// (question charts, distributions, the workbook's charts, the plan's and
// the comparison's charts, maps), inline in a page so that the browser lays
// out its text, once with the machine's fonts and once with nothing but
// DejaVu Sans (wider than Liberation Sans/Arial, which the charts name):
// every <text> box lies inside the SVG's viewBox and no two overlap.
// Charts are shown as <img>, which loads no web fonts, so the viewer's own
// fonts decide the text widths.
func TestBrowserChartText(t *testing.T) {
	if _, err := os.Stat(filepath.Join(dejavuDir, "DejaVuSans.ttf")); err != nil {
		t.Fatalf("DejaVu Sans missing (apt-get install fonts-dejavu-core): %v", err)
	}
	a := startApp(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(conf, []byte(`<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>`+dejavuDir+`</dir><cachedir>`+filepath.Join(dir, "cache")+`</cachedir>
<selectfont><rejectfont><glob>*MathTeXGyre*</glob></rejectfont></selectfont>
<alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
</fontconfig>
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name   string
		dejavu bool
		opts   []chromedp.ExecAllocatorOption
	}{
		{"default fonts", false, nil},
		{"DejaVu only", true, []chromedp.ExecAllocatorOption{chromedp.Env("FONTCONFIG_FILE=" + conf)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSuite(t, a, tc.opts...)
			p := s.newTab(t, false)
			p.open(a.login)
			p.signInByKeyboard(a)
			if tc.dejavu {
				// Only DejaVu is there: the charts' font list falls back to it.
				same := eval[bool](p, `(() => { const c = document.createElement('canvas').getContext('2d');
  const w = f => { c.font = '16px ' + f; return c.measureText('Entspannt, aber teilweise belastet').width; };
  return w("'Liberation Sans', Arial, Helvetica, sans-serif") === w("'DejaVu Sans'"); })()`)
				if !same {
					t.Fatal("FONTCONFIG_FILE did not take: Chromium has fonts other than DejaVu")
				}
			}
			if i == 0 {
				// A second round (no answers yet): the comparison over all
				// answers charts round A's figures against it.
				p.open(a.base + "/verwaltung/runden/neu")
				eval[chromedp.Void](p, `document.getElementById('r-titel').value = 'Folgeabfrage';
  document.getElementById('r-alle').checked = true; document.querySelector('form[action="/verwaltung/runden"]').submit();`)
				p.do(chromedp.WaitReady(`body`))
				p.open(a.base + "/verwaltung/vergleich")
				if !p.exists(`select#runde-a option:nth-child(2)`) {
					t.Fatalf("no second round to compare (on %s)", p.path())
				}
			}
			charts := chartURLs(p)
			t.Logf("%d charts: %s", len(charts), strings.Join(charts, " "))
			for _, kind := range []string{"/fragen/", "/runden/1/diagramme/", "/plan/", "/vergleich/diagramme/"} {
				if !strings.Contains(strings.Join(charts, " "), kind) {
					t.Errorf("no chart under %s found on the staff pages", kind)
				}
			}
			for _, u := range charts {
				for _, prob := range chartTextProblems(p, u) {
					t.Errorf("%s: %s", u, prob)
				}
			}
		})
	}
}

// chartURLs returns the SVG charts (<img> and chart download links) of the
// demo round's overview, question, plan, downloads and comparison pages.
func chartURLs(p *tab) []string {
	p.t.Helper()
	return eval[[]string](p, `(async () => {
  const parse = async u => new DOMParser().parseFromString(await (await fetch(u)).text(), 'text/html');
  const pages = ['/verwaltung/runden/1', '/verwaltung/runden/1/plan', '/verwaltung/vergleich?a=1&b=2&alle=1', '/verwaltung/runden/1/verwalten'];
  const list = await parse('/verwaltung/runden/1/fragen');
  for (const a of list.querySelectorAll('a[href]')) {
    if (/^\/verwaltung\/runden\/1\/fragen\/[^\/?#]+$/.test(a.getAttribute('href'))) pages.push(a.getAttribute('href'));
  }
  const out = new Set();
  for (const u of pages) {
    const d = await parse(u);
    for (const e of d.querySelectorAll('img[src], a[href]')) {
      const ref = e.getAttribute('src') || e.getAttribute('href');
      const url = new URL(ref, location.origin);
      if (url.origin === location.origin && url.pathname.endsWith('.svg') && !url.searchParams.has('download') &&
          !url.pathname.startsWith('/static/')) out.add(url.pathname + url.search);
    }
  }
  return [...out].sort();
})()`, chromedp.EvalAwaitPromise)
}

// chartTextProblems puts the SVG chart u inline into the open page and
// returns every <text> whose box leaves the SVG's box (its viewBox as laid
// out) or overlaps another <text> by more than half a pixel.
func chartTextProblems(p *tab, u string) []string {
	p.t.Helper()
	return eval[[]string](p, fmt.Sprintf(`(async () => {
  const res = await fetch(%q);
  if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('image/svg+xml')) return ['not an SVG: ' + res.status];
  const box = document.createElement('div');
  box.innerHTML = await res.text();
  document.body.replaceChildren(box);
  const svg = box.querySelector('svg');
  if (!svg) return ['no <svg>'];
  const vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
  if (!vb || vb.width === 0 || Math.abs(r.width / r.height - vb.width / vb.height) > 0.01) return ['no viewBox matching its size'];
  const tol = 0.5, probs = [];
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '');
  const rects = texts.map(t => t.getBoundingClientRect());
  texts.forEach((t, i) => {
    const b = rects[i];
    if (b.left < r.left - tol || b.right > r.right + tol || b.top < r.top - tol || b.bottom > r.bottom + tol) {
      probs.push('text "' + t.textContent + '" leaves the viewBox: [' + [b.left - r.left, b.top - r.top, b.right - r.left, b.bottom - r.top].map(Math.round) + '] in ' + Math.round(r.width) + '×' + Math.round(r.height));
    }
    for (let j = 0; j < i; j++) {
      const c = rects[j];
      const w = Math.min(b.right, c.right) - Math.max(b.left, c.left), h = Math.min(b.bottom, c.bottom) - Math.max(b.top, c.top);
      if (w > tol && h > tol) probs.push('text "' + t.textContent + '" overlaps "' + texts[j].textContent + '"');
    }
  });
  return probs;
})()`, u), chromedp.EvalAwaitPromise)
}
