package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// demo is the real program started with "bedarf demo" on :0.
type demo struct {
	base     string // e.g. http://127.0.0.1:43567
	login    string // staff login URL
	email    string
	password string
	links    map[string]string // AGS → link
	names    map[string]string // AGS → name
	db       string
	stop     func()
}

// startDemo runs "bedarf demo" on a temp database and reads its output.
func startDemo(t *testing.T, db string) *demo {
	t.Helper()
	return startDemoWith(t, db, io.Discard)
}

// startDemoWith is startDemo with the program's log going to logs and extra
// flags for "bedarf demo".
func startDemoWith(t *testing.T, db string, logs io.Writer, extra ...string) *demo {
	t.Helper()
	if db == "" {
		db = filepath.Join(t.TempDir(), "demo.db")
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"demo", "--db", db, "--addr", "127.0.0.1:0"}, extra...), strings.NewReader(""), pw, logs)
		pw.Close()
	}()
	d := &demo{db: db, links: map[string]string{}, names: map[string]string{}}
	var once sync.Once
	d.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("demo ended with %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("demo did not shut down")
			}
		})
	}
	sc := bufio.NewScanner(pr)
	lineRE := regexp.MustCompile(`^(\d{8})\t([^\t]+)\t(http://\S+/k/\S+)$`)
	for len(d.links) < 21 && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Verwaltung: "):
			d.login = strings.TrimPrefix(line, "Verwaltung: ")
			d.base = strings.TrimSuffix(d.login, "/anmelden")
		case strings.HasPrefix(line, "admin login: "):
			f := strings.Fields(strings.TrimPrefix(line, "admin login: "))
			if len(f) != 2 {
				t.Fatalf("admin line %q", line)
			}
			d.email, d.password = f[0], f[1]
		default:
			m := lineRE.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("unexpected output line %q", line)
			}
			d.links[m[1]], d.names[m[1]] = m[3], m[2]
		}
	}
	go io.Copy(io.Discard, pr)
	if len(d.links) != 21 || d.base == "" || d.password == "" {
		d.stop()
		t.Fatalf("demo printed %d links, base %q", len(d.links), d.base)
	}
	t.Cleanup(d.stop)
	return d
}

// browser is an HTTP client with a cookie jar that does not follow redirects
// and sends the Origin header a browser sends on form posts.
type browser struct {
	t      *testing.T
	c      *http.Client
	origin string
	// fetchSite is the Sec-Fetch-Site header of its posts ("": same-origin).
	fetchSite string
}

func newBrowser(t *testing.T, origin string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, origin: origin, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(u string) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) post(u string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.origin != "" {
		req.Header.Set("Origin", b.origin)
		req.Header.Set("Sec-Fetch-Site", cmp.Or(b.fetchSite, "same-origin"))
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var revisionRE = regexp.MustCompile(`name="revision" value="(\d+)"`)

func revisionOf(t *testing.T, page string) string {
	t.Helper()
	m := revisionRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("form has no revision field")
	}
	return m[1]
}

// fullAnswers is a complete, valid answer to the default questionnaire.
func fullAnswers(rev string) url.Values {
	return url.Values{
		"revision": {rev}, "bearbeitung": {"Erika Muster"},
		"q.kontakt_name": {"Erika Muster"}, "q.kontakt_email": {"erika@kommune.example"},
		"q.betreute_gu": {"1.200"}, "q.betreute_privat": {"300"},
		"q.fachkraefte_personen": {"12"}, "q.fachkraefte_vzae": {"9,5"},
		"q.belastung_gesamt":      {"4"},
		"q.supervision_vorhanden": {"nein"}, "q.supervision_gruppe_personen": {"13"},
		"q.supervision_format": {"vor_ort"}, "q.supervision_themen": {`=HYPERLINK("http://x","y")`},
		"q.fortbildung_teilnehmende.asylrecht": {"7"}, "q.fortbildung_teilnehmende.trauma": {"5"},
		"q.supervision_zeiten": {"vormittag", "abend"},
	}
}

// TestWholeChain walks both journeys over HTTP against the real program:
// link → draft → submit → staff login → dashboard → workbook.
func TestWholeChain(t *testing.T) {
	d := startDemo(t, "")
	const ags = "03241005" // Garbsen
	k := newBrowser(t, d.base)

	// The link sets a session and redirects to a clean address.
	code, _, h := k.get(d.links[ags])
	if code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
		t.Fatalf("link: got %d to %q, want 303 to /fragebogen", code, h.Get("Location"))
	}
	code, page, h := k.get(d.base + "/fragebogen")
	if code != http.StatusOK || !strings.Contains(page, "Garbsen") || !strings.Contains(page, "nicht begonnen") {
		t.Fatalf("form: got %d, Kommune name or status missing", code)
	}
	if h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("form headers: Cache-Control %q, CSP %q", h.Get("Cache-Control"), h.Get("Content-Security-Policy"))
	}
	rev := revisionOf(t, page)

	// A draft with an invalid number: 200, message next to the field, input kept.
	code, page, _ = k.post(d.base+"/fragebogen", url.Values{"revision": {rev}, "aktion": {"speichern"},
		"q.betreute_gu": {"abc"}, "q.fachkraefte_vzae": {"1,5"}})
	if code != http.StatusOK {
		t.Fatalf("draft with abc: got %d, want 200", code)
	}
	for _, want := range []string{`value="abc"`, "Bitte eine ganze Zahl eingeben, z. B. 12.", `value="1,5"`, "in Bearbeitung", `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("draft page lacks %q", want)
		}
	}
	rev = revisionOf(t, page)

	// Submitting with the invalid number: 422, message and input kept.
	bad := fullAnswers(rev)
	bad.Set("aktion", "absenden")
	bad.Set("q.betreute_privat", "abc")
	code, page, _ = k.post(d.base+"/fragebogen", bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("submit with abc: got %d, want 422", code)
	}
	if !strings.Contains(page, `value="abc"`) || !strings.Contains(page, "Bitte eine ganze Zahl eingeben, z. B. 12.") || !strings.Contains(page, `value="Erika Muster"`) {
		t.Error("422 page lost the input or the message")
	}
	rev = revisionOf(t, page)

	// A complete submission.
	good := fullAnswers(rev)
	good.Set("aktion", "absenden")
	code, _, h = k.post(d.base+"/fragebogen", good)
	if code != http.StatusSeeOther {
		t.Fatalf("submit: got %d, want 303", code)
	}
	code, page, _ = k.get(d.base + h.Get("Location"))
	if code != http.StatusOK || !strings.Contains(page, "eingereicht") || !strings.Contains(page, "Eingangsbestätigung") {
		t.Fatalf("after submit: %d, status or receipt missing", code)
	}
	// Submitted answers are read-only for the Kommune.
	code, _, _ = k.post(d.base+"/fragebogen", fullAnswers(revisionOfOr(page, "0")))
	if code != http.StatusConflict {
		t.Errorf("save after submit: got %d, want 409", code)
	}

	// Staff: login, dashboard, Kommune page, workbook.
	s := newBrowser(t, d.base)
	code, _, _ = s.get(d.base + "/verwaltung")
	if code != http.StatusSeeOther {
		t.Errorf("dashboard without login: got %d, want 303 to login", code)
	}
	code, page, _ = s.post(d.login, url.Values{"email": {d.email}, "passwort": {"falsch-falsch-falsch"}})
	if code != http.StatusUnauthorized || !strings.Contains(page, "E-Mail-Adresse oder Passwort ist falsch") {
		t.Errorf("wrong password: got %d", code)
	}
	code, _, _ = s.post(d.login, url.Values{"email": {d.email}, "passwort": {d.password}})
	if code != http.StatusSeeOther {
		t.Fatalf("login: got %d, want 303", code)
	}
	code, page, _ = s.get(d.base + "/verwaltung")
	if code != http.StatusOK {
		t.Fatalf("dashboard: got %d", code)
	}
	row := regexp.MustCompile(`(?s)Garbsen</a></th>\s*<td><span class="status status-submitted">eingereicht</span>`)
	if !row.MatchString(page) {
		t.Error("dashboard does not show Garbsen as eingereicht")
	}
	if n := strings.Count(page, "/kommunen/0324"); n != 21 {
		t.Errorf("dashboard lists %d Kommunen, want 21", n)
	}
	roundURL := regexp.MustCompile(`/verwaltung/runden/\d+/auswertung\.xlsx`).FindString(page)
	if roundURL == "" {
		t.Fatal("no workbook link on the dashboard")
	}
	code, page, _ = s.get(d.base + strings.Replace(roundURL, "auswertung.xlsx", "kommunen/"+ags, 1))
	if code != http.StatusOK || !strings.Contains(page, "1.200") || !strings.Contains(page, "9,5 VZÄ") {
		t.Errorf("Kommune page: got %d or values missing", code)
	}
	code, body, h := s.get(d.base + roundURL)
	if code != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), "Auswertung_") {
		t.Fatalf("workbook: got %d, disposition %q", code, h.Get("Content-Disposition"))
	}
	checkWorkbook(t, []byte(body), d.names[ags])
}

func revisionOfOr(page, def string) string {
	if m := revisionRE.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return def
}

// checkWorkbook opens the downloaded workbook and finds the submitted values.
func checkWorkbook(t *testing.T, data []byte, kommune string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	for _, sheet := range []string{"Kommunen", "Antworten", "Fragen"} {
		if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
			t.Errorf("sheet %s missing", sheet)
		}
	}
	rows, err := f.GetRows("Antworten")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var row int
	for i, r := range rows {
		if len(r) > 1 && r[1] == kommune {
			row = i
		}
	}
	if row == 0 {
		t.Fatalf("no row for %s", kommune)
	}
	cell := func(header string) (string, excelize.CellType) {
		c, ok := col[header]
		if !ok {
			t.Fatalf("no column %q", header)
		}
		name, _ := excelize.CoordinatesToCellName(c+1, row+1)
		v, _ := f.GetCellValue("Antworten", name, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType("Antworten", name)
		return v, typ
	}
	for _, tc := range []struct {
		header, want string
		numeric      bool
	}{
		{"Betreute Geflüchtete in kommunalen Unterkünften", "1200", true},
		{"Besetzte Stellen", "9.5", true},
		{"Wie viele Fachkräfte möchten an den folgenden Modulen teilnehmen?: Umgang mit Traumatisierungen", "5", true},
		{"Status", "eingereicht", false},
		{"Bevorzugte Zeiten: vormittags", "1", true},
		{"Bevorzugte Zeiten: nachmittags", "0", true},
		{"Bevorzugte Zeiten: abends", "1", true},
		{"Welche Themen sollen in der Supervision Raum haben?", `=HYPERLINK("http://x","y")`, false},
	} {
		got, typ := cell(tc.header)
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.header, got, tc.want)
		}
		if tc.numeric && typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s: cell type %v, want a number", tc.header, typ)
		}
	}
	formula, _ := f.GetCellFormula("Antworten", "A1")
	if formula != "" {
		t.Errorf("unexpected formula %q", formula)
	}
}

// TestRefusals checks the answers to requests that must change nothing.
func TestRefusals(t *testing.T) {
	d := startDemo(t, "")

	t.Run("wrong token", func(t *testing.T) {
		b := newBrowser(t, d.base)
		for _, tok := range []string{"AAAA", strings.Repeat("Z", 52), "%FF%FE", strings.Repeat("A", 5000)} {
			code, page, _ := b.get(d.base + "/k/" + tok)
			if code != http.StatusNotFound || !strings.Contains(page, "Link ungültig") {
				t.Errorf("token %.10q: got %d, want 404 with a German page", tok, code)
			}
		}
	})

	t.Run("broken UTF-8 in the query", func(t *testing.T) {
		b := loginAdmin(t, d)
		code, page, _ := b.get(d.base + "/verwaltung/protokoll?wer=%FF")
		if code != http.StatusBadRequest || !utf8.ValidString(page) || strings.Contains(page, "\xff") {
			t.Errorf("got %d, want 400 with a valid page", code)
		}
	})

	t.Run("cross-site post", func(t *testing.T) {
		b := newBrowser(t, "")
		b.get(d.links["03241002"])
		_, page, _ := b.get(d.base + "/fragebogen")
		req, _ := http.NewRequest(http.MethodPost, d.base+"/fragebogen", strings.NewReader("revision="+revisionOf(t, page)+"&q.betreute_gu=5"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST: got %d, want 403", resp.StatusCode)
		}
		_, after, _ := b.get(d.base + "/fragebogen")
		if revisionOf(t, after) != revisionOf(t, page) {
			t.Error("cross-site POST changed the response")
		}
	})

	t.Run("viewer cannot change", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"user", "add", "--db", d.db, "--email", "leser@bedarf.example", "--name", "Lea Leser", "--role", "viewer"},
			strings.NewReader("ein-langes-passwort\n"), &out, io.Discard)
		if err != nil {
			t.Fatalf("user add: %v", err)
		}
		b := newBrowser(t, d.base)
		if code, _, _ := b.post(d.login, url.Values{"email": {"leser@bedarf.example"}, "passwort": {"ein-langes-passwort"}}); code != http.StatusSeeOther {
			t.Fatalf("viewer login: %d", code)
		}
		code, page, _ := b.get(d.base + "/verwaltung")
		if code != http.StatusOK {
			t.Fatalf("viewer dashboard: %d", code)
		}
		// Hannover's demo answer is submitted; a viewer may not return it.
		round := regexp.MustCompile(`/verwaltung/runden/(\d+)/`).FindStringSubmatch(page)[1]
		target := d.base + "/verwaltung/runden/" + round + "/kommunen/03241001"
		_, before, _ := b.get(target)
		code, _, _ = b.post(target+"/zurueckgeben", url.Values{"nachricht": {"Bitte prüfen"}})
		if code != http.StatusForbidden {
			t.Errorf("viewer POST: got %d, want 403", code)
		}
		_, after, _ := b.get(target)
		if strings.Contains(after, "zurückgegeben") || !strings.Contains(before, "eingereicht") {
			t.Error("viewer POST changed the status")
		}
	})
}

// TestDemoRestartKeepsData: a second start on the same file keeps the
// answers, prints the same links and a new admin password.
func TestDemoRestartKeepsData(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	first := startDemo(t, db)
	k := newBrowser(t, first.base)
	k.get(first.links["03241002"])
	_, page, _ := k.get(first.base + "/fragebogen")
	if code, _, _ := k.post(first.base+"/fragebogen", url.Values{"revision": {revisionOf(t, page)}, "aktion": {"speichern"}, "q.kontakt_name": {"Bleibt Erhalten"}}); code != http.StatusOK {
		t.Fatalf("save: %d", code)
	}
	first.stop()

	second := startDemo(t, db)
	if second.password == first.password {
		t.Error("restart printed the same admin password")
	}
	for ags, link := range first.links {
		// Links differ only in the port of the new listener.
		if strings.TrimPrefix(link, first.base) != strings.TrimPrefix(second.links[ags], second.base) {
			t.Errorf("link of %s changed: %s → %s", ags, link, second.links[ags])
		}
	}
	k2 := newBrowser(t, second.base)
	k2.get(second.links["03241002"])
	_, page, _ = k2.get(second.base + "/fragebogen")
	if !strings.Contains(page, `value="Bleibt Erhalten"`) {
		t.Error("saved answer lost across the restart")
	}
	s := newBrowser(t, second.base)
	if code, _, _ := s.post(second.login, url.Values{"email": {first.email}, "passwort": {first.password}}); code != http.StatusUnauthorized {
		t.Errorf("old admin password: got %d, want 401", code)
	}
	if code, _, _ := s.post(second.login, url.Values{"email": {second.email}, "passwort": {second.password}}); code != http.StatusSeeOther {
		t.Errorf("new admin password: got %d, want 303", code)
	}
}

// TestServeFromEnvironment starts "bedarf serve" configured only through
// BEDARF_* variables and checks the health endpoint and the public base URL.
func TestServeFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BEDARF_DB", filepath.Join(dir, "prod.db"))
	t.Setenv("BEDARF_ADDR", "127.0.0.1:0")
	t.Setenv("BEDARF_BASE_URL", "https://bedarf.example.de/")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, strings.NewReader(""), pw, io.Discard); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	if line != "Verwaltung: https://bedarf.example.de/anmelden\n" {
		t.Errorf("serve printed %q", line)
	}
	if _, err := os.Stat(filepath.Join(dir, "prod.db")); err != nil {
		t.Errorf("database not created at BEDARF_DB: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "prod.key")); err != nil {
		t.Errorf("key file not created beside the database: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
