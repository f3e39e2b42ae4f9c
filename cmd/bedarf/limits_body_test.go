package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// Issue 7, item 4: request bodies are bounded, and so is the memory a
// request can make the server use; a single answer has its own bound;
// invalid UTF-8 is refused. Every refusal is a German page and stores
// nothing.

// repeatReader yields prefix, then n bytes of fill, without holding them.
type repeatReader struct {
	prefix string
	fill   byte
	n      int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.prefix == "" && r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.prefix)
	r.prefix = r.prefix[k:]
	for ; k < len(p) && r.n > 0; k++ {
		p[k] = r.fill
		r.n--
	}
	return k, nil
}

// postBody sends a form body as the browser b, reading it from body as the
// server asks for it; it measures what the whole process allocated
// meanwhile (the server runs in the test process; the body is generated,
// not held).
func postBody(t *testing.T, b *browser, u string, body io.Reader) (code int, page string, allocated uint64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	runtime.ReadMemStats(&after)
	return resp.StatusCode, string(out), after.TotalAlloc - before.TotalAlloc
}

// maxRequestAlloc bounds what one refused request may make the process
// allocate: generous, and well below the 10 MB sent.
const maxRequestAlloc = 8 << 20

func TestBodyLimits(t *testing.T) {
	ctx := context.Background()
	r := startRig(t)
	ags := editableKommunen(t, r.base, r.links)[0]
	k := newBrowser(t, r.base)
	k.get(r.links[ags])
	_, page, _ := k.get(r.base + "/fragebogen")
	rev := revisionOf(t, page)
	ref, err := r.st.ResolveToken(ctx, strings.TrimPrefix(r.links[ags], r.base+"/k/"))
	if err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		t.Helper()
		resp, ans, err := r.st.Response(ctx, ref.ResponseID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("revision %d, %d answers, %q", resp.Revision, len(ans), ans[survey.Key{Question: "belastung_anmerkungen"}].Raw)
	}
	before := stored()
	unchanged := func(what string) {
		t.Helper()
		if now := stored(); now != before {
			t.Errorf("%s was refused but stored something: %s, before %s", what, now, before)
		}
	}
	form := "revision=" + rev + "&aktion=speichern&"

	t.Run("10 MB form post", func(t *testing.T) {
		code, page, alloc := postBody(t, k, r.base+"/fragebogen", &repeatReader{prefix: form + "q.belastung_anmerkungen=", fill: 'a', n: 10 << 20})
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "Die gesendeten Daten sind zu groß") {
			t.Errorf("got %d\n%.400s", code, page)
		}
		if alloc > maxRequestAlloc {
			t.Errorf("the request made the process allocate %d MB", alloc>>20)
		}
		t.Logf("allocated %d KB", alloc>>10)
		unchanged("a 10 MB post")
	})

	t.Run("100,000-character answer", func(t *testing.T) {
		for _, tc := range []struct{ name, fill string }{{"ASCII", "a"}, {"umlauts", "ä"}} {
			long := strings.Repeat(tc.fill, 100000)
			code, page, alloc := postBody(t, k, r.base+"/fragebogen", strings.NewReader(form+"q.belastung_anmerkungen="+url.QueryEscape(long)))
			if code != http.StatusBadRequest || !strings.Contains(page, "Eine Angabe ist zu lang") || !strings.Contains(page, `<html lang="de">`) {
				t.Errorf("%s: got %d\n%.400s", tc.name, code, page)
			}
			if alloc > maxRequestAlloc {
				t.Errorf("%s: the request made the process allocate %d MB", tc.name, alloc>>20)
			}
			unchanged("a 100,000-character answer")
		}
		// One character less than the bound is taken as a draft value (and
		// flagged against the question's own maximum).
		code, page, _ := postBody(t, k, r.base+"/fragebogen", strings.NewReader(form+"q.belastung_anmerkungen="+strings.Repeat("a", web.MaxValueRunes)))
		if code != http.StatusOK || !strings.Contains(page, "Bitte höchstens 4000 Zeichen") {
			t.Errorf("an answer of %d characters: got %d", web.MaxValueRunes, code)
		}
		before = stored()
		form = "revision=" + revisionOf(t, page) + "&aktion=speichern&"
		// The same bound on the staff forms and the login.
		admin := loginAdmin(t, r.demo)
		long := url.QueryEscape(strings.Repeat("x", web.MaxValueRunes+1))
		for _, path := range []string{"/anmelden", "/verwaltung/runden/1/kommunen/" + ags + "/erfassen", "/verwaltung/benutzer"} {
			b := admin
			if path == "/anmelden" {
				b = newBrowser(t, r.base)
			}
			code, page, _ := postBody(t, b, r.base+path, strings.NewReader("email="+long+"&name="+long+"&q.belastung_anmerkungen="+long))
			if code != http.StatusBadRequest || !strings.Contains(page, "Eine Angabe ist zu lang") {
				t.Errorf("POST %s with a long value: got %d", path, code)
			}
		}
	})

	t.Run("10,000 fields", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString(form)
		for i := range 10000 {
			fmt.Fprintf(&sb, "q.f%d=1&", i)
		}
		code, page, alloc := postBody(t, k, r.base+"/fragebogen", strings.NewReader(sb.String()))
		if code != http.StatusBadRequest || !strings.Contains(page, "Die gesendeten Daten sind ungültig") {
			t.Errorf("got %d\n%.400s", code, page)
		}
		if alloc > maxRequestAlloc {
			t.Errorf("the request made the process allocate %d MB", alloc>>20)
		}
		unchanged("10,000 fields")
	})

	t.Run("invalid UTF-8 in the body", func(t *testing.T) {
		for name, body := range map[string]string{
			"value":             "q.belastung_anmerkungen=gut%FF%FEschlecht",
			"field name":        "q.belastung_anmerkungen%C3%28=gut",
			"truncated":         "q.belastung_anmerkungen=%E2%82",
			"overlong encoding": "q.belastung_anmerkungen=%C0%AF",
			"surrogate":         "q.belastung_anmerkungen=%ED%A0%80",
			"editor's name":     "bearbeitung=%FF&q.belastung_anmerkungen=gut",
		} {
			code, page, _ := postBody(t, k, r.base+"/fragebogen", strings.NewReader(form+body))
			if code != http.StatusBadRequest || !strings.Contains(page, "Die gesendeten Daten sind ungültig") {
				t.Errorf("%s: got %d", name, code)
			}
			if !utf8.ValidString(page) {
				t.Errorf("%s: the answer is not valid UTF-8", name)
			}
		}
		unchanged("invalid UTF-8")
	})

	t.Run("invalid UTF-8 in the address", func(t *testing.T) {
		admin := loginAdmin(t, r.demo)
		for _, tc := range []struct {
			b      *browser
			method string
			path   string
		}{
			{k, "GET", "/k/%C3%28"},
			{k, "GET", "/k/abc%FFdef"},
			{k, "GET", "/fragebogen%FF"},
			{admin, "GET", "/verwaltung/runden/1/kommunen/%FF%FE"},
			{admin, "GET", "/verwaltung/runden/%FF"},
			{admin, "GET", "/verwaltung/runden/1/fragen/%C0%AF"},
			{admin, "GET", "/verwaltung/runden/1/fragen/kontakt_funktion/diagramm.svg%FF"},
			{admin, "POST", "/verwaltung/benutzer/%FF/sperren"},
			{admin, "POST", "/verwaltung/runden/1/kommunen/%ED%A0%80/wiedereroeffnen"},
			{admin, "POST", "/verwaltung/runden/1/plan/szenarien/%FF/loeschen"},
		} {
			var code int
			var page string
			if tc.method == "GET" {
				code, page, _ = tc.b.get(r.base + tc.path)
			} else {
				code, page, _ = tc.b.post(r.base+tc.path, url.Values{})
			}
			if code != http.StatusNotFound && code != http.StatusBadRequest {
				t.Errorf("%s %s: got %d, want 404 or 400", tc.method, tc.path, code)
			}
			if !utf8.ValidString(page) || !strings.Contains(page, `<html lang="de">`) {
				t.Errorf("%s %s: no German page in valid UTF-8", tc.method, tc.path)
			}
		}
		unchanged("invalid UTF-8 in the address")
	})
}
