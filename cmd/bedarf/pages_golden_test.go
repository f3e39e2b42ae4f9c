package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
)

var updatePages = flag.Bool("update-pages", false, "rewrite the pages' golden HTML in testdata/pages")

// pageVolatile are the parts of a page that differ between two runs on the
// same data: addresses, secrets and the clock. They are replaced by a
// fixed word before pages are compared.
var pageVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`https?://127\.0\.0\.1:\d+`), "BASE"},
	{regexp.MustCompile(`/k/[A-Za-z0-9_-]{20,}`), "/k/TOKEN"},
	{regexp.MustCompile(`bedarf\.[0-9a-f]{32}@`), "MESSAGE-ID@"},
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`), "TIMESTAMP"},
	{regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.\d{4},? (um )?\d{1,2}:\d{2}( Uhr)?`), "TIMESTAMP"},
	{regexp.MustCompile(`\b\d{1,2} [A-Z][a-z]+ \d{4},? (at )?\d{1,2}:\d{2}`), "TIMESTAMP"},
	{regexp.MustCompile(`\b\d{1,2}:\d{2}(:\d{2})?\b`), "TIME"},
	{regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`), "DATE"},
	{regexp.MustCompile(`\b\d{1,2}\.\d{1,2}\.\d{4}\b`), "DATE"},
	{regexp.MustCompile(`\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b`), "DATE"},
	{regexp.MustCompile(`\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b`), "DATE"},
	{regexp.MustCompile(`\b\d+ (Tage|Tagen|Tag|days|day)\b`), "N days"},
	{regexp.MustCompile(`\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}\b`), "DATE"},
}

var yearRE = regexp.MustCompile(`\b20\d\d\b`)

// normalisePage replaces what differs between runs. The demo's rounds are
// named and dated after the current year; this and the next year become
// YEAR and YEAR+1.
func normalisePage(s string) string {
	for _, v := range pageVolatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	now := time.Now().Year()
	return yearRE.ReplaceAllStringFunc(s, func(y string) string {
		switch y {
		case strconv.Itoa(now):
			return "YEAR"
		case strconv.Itoa(now + 1):
			return "YEAR+1"
		}
		return y
	})
}

// TestPagesGolden records every page a person can open, as the roles that
// see it differently (Kommune, viewer, admin, no session), in German and
// English, and compares them with testdata/pages. It guards moves of code
// that must not change what people see: run with -update-pages before the
// move, and the move must leave every file as it is.
func TestPagesGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the route fixture (about a minute); CI runs it without -short")
	}
	f := newRouteFixture(t)
	dir := filepath.Join("testdata", "pages")
	if *updatePages {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	var missing []string
	for _, rc := range routeTable {
		if rc.method != http.MethodGet || rc.endsSession {
			continue
		}
		firstRole := "" // charts and lists look the same to every role: one is enough
		for _, role := range []string{"none", "kommuneA", "viewer", "admin"} {
			r := f.roles[role]
			if _, _, ok := rc.access.refusal(rc.method, r.kind); !ok {
				continue
			}
			for _, lang := range []string{"de", "en"} {
				code, ctype, body := f.getIn(r, lang, rc.url)
				kind := ""
				switch {
				case strings.HasPrefix(ctype, "text/html"):
					kind = "html"
				case strings.HasPrefix(ctype, "image/svg"):
					kind = "svg"
				case strings.HasPrefix(ctype, "text/csv"):
					kind = "csv"
				default:
					continue // binary (xlsx, png) and static files
				}
				if kind != "html" {
					if firstRole == "" {
						firstRole = role
					} else if firstRole != role {
						continue
					}
				}
				name := pageFileName(rc.url, role, lang, kind)
				if seen[name] {
					t.Fatalf("two pages map to %s", name)
				}
				seen[name] = true
				got := fmt.Sprintf("%s %s as %s in %s: %d\n\n%s", rc.method, rc.url, role, lang, code, normalisePage(body))
				path := filepath.Join(dir, name)
				if *updatePages {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					missing = append(missing, name)
					continue
				}
				if string(want) != got {
					t.Errorf("%s differs from %s:\n%s", name, path, firstDiff(string(want), got))
				}
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("pages without a golden file (run go test -run TestPagesGolden -update-pages): %s", strings.Join(missing, ", "))
	}
	if !*updatePages {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range files {
			if !seen[filepath.Base(p)] {
				t.Errorf("golden %s belongs to no page any more", p)
			}
		}
	}
	if len(seen) < 60 {
		t.Errorf("only %d pages recorded", len(seen))
	}
}

// getIn fetches a page as the role in the language; the role's session
// and nothing else is sent.
func (f *routeFixture) getIn(r *routeRole, lang, path string) (int, string, string) {
	f.t.Helper()
	f.prepare(r)
	req, err := http.NewRequest(http.MethodGet, f.r.base+f.expand(path), nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if r.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "bedarf", Value: r.cookie})
	}
	req.AddCookie(&http.Cookie{Name: web.LangCookie, Value: lang})
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatalf("GET %s as %s: %v", path, r.name, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

var pageNameRE = regexp.MustCompile(`[^a-z0-9]+`)

// pageFileName names a page's golden file after its URL pattern's words.
func pageFileName(raw, role, lang, kind string) string {
	u, _ := url.Parse(raw)
	p := strings.Trim(pageNameRE.ReplaceAllString(strings.ToLower(u.Path+"-"+u.RawQuery), "-"), "-")
	if p == "" {
		p = "root"
	}
	return fmt.Sprintf("%s.%s.%s.%s", p, role, lang, kind)
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\nwant: %.300s\ngot:  %.300s", i+1, a, b)
		}
	}
	return "(same lines)"
}
