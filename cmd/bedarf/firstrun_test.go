package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// The first run in production (issue 15): the built binary alone in an
// empty folder, an admin account, bedarf serve, and the setup page driven
// over HTTP to an open round whose links lead to the questionnaire.

// buildBinary builds bedarf into dir and returns its path.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bedarf")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// installation is the binary copied into an empty folder, run from there
// with an environment that carries no BEDARF_* variable.
type installation struct {
	t   *testing.T
	dir string
	env []string
}

// newInstallation copies the built binary into an empty folder: no source
// tree, no testdata.
func newInstallation(t *testing.T) *installation {
	t.Helper()
	bin, err := os.ReadFile(buildBinary(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bedarf"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return &installation{t: t, dir: dir, env: []string{"PATH=/usr/bin:/bin", "HOME=" + dir}}
}

// run runs ./bedarf with args and stdin in the folder.
func (in *installation) run(stdin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("./bedarf", args...)
	cmd.Dir, cmd.Env = in.dir, in.env
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// write puts a file into the folder.
func (in *installation) write(name string, data []byte) {
	in.t.Helper()
	if err := os.WriteFile(filepath.Join(in.dir, name), data, 0o644); err != nil {
		in.t.Fatal(err)
	}
}

// serve starts ./bedarf serve on :0 with extra flags and returns its
// standard output lines up to the first blank wait; it is stopped with
// SIGINT when the test ends.
func (in *installation) serve(extra ...string) (base string, lines []string) {
	in.t.Helper()
	cmd := exec.Command("./bedarf", append([]string{"serve", "--addr", "127.0.0.1:0"}, extra...)...)
	cmd.Dir, cmd.Env = in.dir, in.env
	logf, err := os.Create(filepath.Join(in.t.TempDir(), "serve.log"))
	if err != nil {
		in.t.Fatal(err)
	}
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		in.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	done := make(chan struct{})
	in.t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
	})
	var mu sync.Mutex
	ready := make(chan struct{})
	go func() {
		defer close(done)
		defer cmd.Wait()
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			if strings.HasPrefix(sc.Text(), "Verwaltung: ") {
				base = strings.TrimSuffix(strings.TrimPrefix(sc.Text(), "Verwaltung: "), "/anmelden")
			}
			mu.Unlock()
		}
	}()
	go func() {
		defer close(ready)
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			mu.Lock()
			b := base
			mu.Unlock()
			if b == "" {
				continue
			}
			if resp, err := http.Get(b + "/healthz"); err == nil {
				resp.Body.Close()
				return
			}
		}
	}()
	<-ready
	time.Sleep(100 * time.Millisecond) // the lines printed right after the first
	mu.Lock()
	defer mu.Unlock()
	if base == "" {
		in.t.Fatalf("serve printed no address; output %q", lines)
	}
	return base, append([]string(nil), lines...)
}

// stepStateRE reads a step's state from the setup page.
var stepStateRE = regexp.MustCompile(`<h2 id="titel-([a-z]+)">[^<]*<span class="setup-state state-([a-z]+)">`)

// setupStates returns each step's state as the setup page shows it.
func setupStates(t *testing.T, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range stepStateRE.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[2]
	}
	if len(out) != 7 {
		t.Fatalf("setup page shows %d steps, want 7: %v", len(out), out)
	}
	return out
}

// mustStatus fails unless got is want.
func mustStatus(t *testing.T, what string, got, want int, page string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, got, want, page)
	}
}

// cliProblems runs a CLI import that must fail and returns its problem
// lines without the file name in front.
func cliProblems(t *testing.T, in *installation, file string, args ...string) []string {
	t.Helper()
	_, stderr, err := in.run("", args...)
	if err == nil {
		t.Fatalf("bedarf %v accepted the bad file", args)
	}
	var out []string
	lineRE := regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `(?::\d+)?: (.+)$`)
	for _, l := range strings.Split(stderr, "\n") {
		if m := lineRE.FindStringSubmatch(l); m != nil && !strings.Contains(l, "bedarf: ") {
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		t.Fatalf("bedarf %v printed no problem: %s", args, stderr)
	}
	return out
}

// firstRun is the state of a driven setup.
type firstRun struct {
	in      *installation
	base    string
	admin   *browser
	roundID string
	letter  string // a Kommune's letter page
	link    string // its link
}

var (
	roundLocationRE = regexp.MustCompile(`^/verwaltung/runden/(\d+)/verwalten`)
	letterLinkRE    = regexp.MustCompile(`class="link-text">(http://[^<]+/k/[^<]+)</p>`)
	questionnaireRE = regexp.MustCompile(`name="fragebogen" value="(\d+)"`)
)

// startFirstRun makes an empty installation with one admin, starts serve
// and logs in: the admin must land on the setup page, which lists the
// essential steps as open.
func startFirstRun(t *testing.T, extra ...string) *firstRun {
	t.Helper()
	in := newInstallation(t)
	if out, stderr, err := in.run("einrichtungs-passwort-2026\n", "user", "add", "--email", "admin@amt.example", "--name", "Erste Administration", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, stderr)
	}
	base, lines := in.serve(extra...)
	var announced bool
	for _, l := range lines {
		if strings.HasPrefix(l, "Einrichtung offen: "+base+"/verwaltung/einrichtung") {
			announced = true
		}
	}
	if !announced {
		t.Errorf("serve did not print the setup page's address: %q", lines)
	}
	a := newBrowser(t, base)
	code, page, h := a.post(base+"/anmelden", url.Values{"email": {"admin@amt.example"}, "passwort": {"einrichtungs-passwort-2026"}})
	if code != http.StatusSeeOther || h.Get("Location") != web.SetupPath {
		t.Fatalf("login: %d → %q, want 303 → %s\n%.1000s", code, h.Get("Location"), web.SetupPath, page)
	}
	// No page of the fresh installation is a dead end.
	for _, p := range []string{"/verwaltung", "/verwaltung/mail"} {
		if code, _, h := a.get(base + p); code != http.StatusSeeOther || h.Get("Location") != web.SetupPath {
			t.Errorf("GET %s on a fresh installation: %d → %q, want 303 → %s", p, code, h.Get("Location"), web.SetupPath)
		}
	}
	for _, p := range []string{web.SetupPath, "/verwaltung/runden", "/verwaltung/runden/neu", "/verwaltung/kommunen", "/verwaltung/frageboegen", "/verwaltung/rechtstexte", "/"} {
		if code, page, _ := a.get(base + p); code != http.StatusOK && code != http.StatusSeeOther {
			t.Errorf("GET %s on a fresh installation: %d\n%.500s", p, code, page)
		}
	}
	_, page, _ = a.get(base + web.SetupPath)
	states := setupStates(t, page)
	open := []string{web.StepKommunen, web.StepQuestionnaire, web.StepRound, web.StepOrganisation, web.StepLegal}
	if len(extra) == 0 {
		open = append(open, web.StepMail) // no mail server configured
	}
	for _, s := range open {
		if states[s] != web.StateOpen {
			t.Errorf("fresh installation: step %s is %q, want open", s, states[s])
		}
	}
	if states[web.StepBoundaries] != web.StateOptional {
		t.Errorf("fresh installation: boundaries are %q, want optional", states[web.StepBoundaries])
	}
	return &firstRun{in: in, base: base, admin: a}
}

// post posts a setup action that must succeed (303 back to the page).
func (f *firstRun) post(t *testing.T, path string, form url.Values) {
	t.Helper()
	code, page, h := f.admin.post(f.base+path, form)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), web.SetupPath) {
		t.Fatalf("POST %s: %d → %q\n%.2000s", path, code, h.Get("Location"), page)
	}
}

// refused uploads a bad file to a setup action: the page must answer 422
// with the CLI's problems and show the step as before.
func (f *firstRun) refused(t *testing.T, path, step, name string, data []byte, cli []string) {
	t.Helper()
	_, before, _ := f.admin.get(f.base + web.SetupPath)
	was := setupStates(t, before)[step]
	code, page := f.admin.upload(f.base+path, name, data)
	mustStatus(t, "bad "+name, code, http.StatusUnprocessableEntity, page)
	for _, p := range cli {
		if !strings.Contains(page, html.EscapeString(p)) {
			t.Errorf("bad %s: the page lacks the CLI's message %q", name, p)
		}
	}
	if got := setupStates(t, page)[step]; got != was {
		t.Errorf("bad %s: step %s is %q, was %q", name, step, got, was)
	}
}

// openRound creates the first round on the setup page and reads one
// Kommune's letter and link.
func (f *firstRun) openRound(t *testing.T, ags string) {
	t.Helper()
	_, page, _ := f.admin.get(f.base + web.SetupPath)
	m := questionnaireRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("setup page has no round form:\n%.3000s", page)
	}
	today := web.BerlinToday(time.Now())
	code, page, h := f.admin.post(f.base+"/verwaltung/runden", url.Values{"fragebogen": {m[1]}, "alle": {"1"}, "links": {"1"}, "oeffnen": {"1"},
		"titel": {"Erste Runde"}, "beginn": {web.DateValue(today)}, "frist": {web.DateValue(today.AddDate(0, 0, 21))}})
	rm := roundLocationRE.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || rm == nil {
		t.Fatalf("create round: %d → %q\n%.2000s", code, h.Get("Location"), page)
	}
	f.roundID = rm[1]
	_, page, _ = f.admin.get(f.base + web.SetupPath)
	for step, state := range setupStates(t, page) {
		if (step == web.StepKommunen || step == web.StepQuestionnaire || step == web.StepRound) && state != web.StateDone {
			t.Errorf("after the setup, step %s is %q", step, state)
		}
	}
	code, f.letter, _ = f.admin.get(f.base + "/verwaltung/runden/" + f.roundID + "/kommunen/" + ags + "/einladung")
	mustStatus(t, "letter", code, http.StatusOK, f.letter)
	lm := letterLinkRE.FindStringSubmatch(f.letter)
	if lm == nil {
		t.Fatalf("the letter has no link:\n%.3000s", f.letter)
	}
	f.link = html.UnescapeString(lm[1])
	k := newBrowser(t, f.base)
	if code, _, h := k.get(f.link); code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
		t.Fatalf("the Kommune's link: %d → %q", code, h.Get("Location"))
	}
	code, page, _ = k.get(f.base + "/fragebogen")
	mustStatus(t, "questionnaire", code, http.StatusOK, page)
	if !strings.Contains(page, "Supervision") || !strings.Contains(page, `name="revision"`) {
		t.Errorf("the link does not lead to the questionnaire:\n%.2000s", page)
	}
	// With the round open, login leads to the overview.
	a := newBrowser(t, f.base)
	if _, _, h := a.post(f.base+"/anmelden", url.Values{"email": {"admin@amt.example"}, "passwort": {"einrichtungs-passwort-2026"}}); h.Get("Location") != "/verwaltung" {
		t.Errorf("login after the setup leads to %q, want /verwaltung", h.Get("Location"))
	}
}

// TestFirstRunHannover: from an empty folder to an open round with Region
// Hannover's embedded Kommunen, boundaries and the default questionnaire;
// bad files on the way are refused with the CLI's messages and change
// nothing.
func TestFirstRunHannover(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	f := startFirstRun(t)
	badCSV := []byte("ags,name,kind,lat,lon,population,population_year\n03241001,Hannover,Stadt,52.37,9.77,536925,2019\n123,Nirgendwo,Stadt,keine,9.1,10,2019\n")
	f.in.write("kaputt.csv", badCSV)
	f.refused(t, web.SetupKommunenPath, web.StepKommunen, "kaputt.csv", badCSV, cliProblems(t, f.in, "kaputt.csv", "kommunen", "import", "kaputt.csv", "--db", "probe.db"))
	badYAML := []byte("id: x\ntitle: Kaputt\nsections:\n  - id: a\n    title: A\n    questions:\n      - id: q1\n        type: zahl\n        label: Eins\n")
	f.in.write("kaputt.yaml", badYAML)
	f.refused(t, web.SetupQuestionnairePath, web.StepQuestionnaire, "kaputt.yaml", badYAML, cliProblems(t, f.in, "kaputt.yaml", "questionnaire", "check", "kaputt.yaml"))

	f.post(t, web.SetupPath+"/kommunen/region-hannover", nil)
	badGeo := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ags":"09999999"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`)
	f.refused(t, web.SetupBoundariesPath, web.StepBoundaries, "kaputt.geojson", badGeo, nil)
	f.post(t, web.SetupPath+"/grenzen/region-hannover", nil)
	f.post(t, web.SetupPath+"/fragebogen/standard", nil)
	f.post(t, web.SetupPath+"/organisation", url.Values{"stelle": {"Koordinierungsstelle Integration"}, "behoerde": {"Region Hannover"}})
	f.openRound(t, "03241001")
	if !strings.Contains(f.letter, "Koordinierungsstelle Integration") {
		t.Error("the letter does not name the organisation")
	}
	_, page, _ := f.admin.get(f.base + web.SetupPath)
	if got := setupStates(t, page)[web.StepBoundaries]; got != web.StateDone {
		t.Errorf("boundaries after taking Hannover's: %q", got)
	}
}

// TestFirstRunOtherRegion: a Landkreis that is not Region Hannover sets up
// its own Kommunen (CSV), boundaries (GeoJSON) and name; nothing of
// Hannover (AGS 03241…, names, shapes, the office's name) appears in its
// pages, letters, mails or workbook.
func TestFirstRunOtherRegion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	sink, _ := startSink(t, "none")
	f := startFirstRun(t, "--smtp-host", "127.0.0.1", "--smtp-port", sink.port(), "--smtp-tls", "none", "--mail-from", "Fachdienst Migration <migration@musterland.example>")
	kommunen := []struct{ ags, name string }{{"09999001", "Musterstadt"}, {"09999002", "Beispielheim"}, {"09999003", "Probedorf"}}
	var csv strings.Builder
	csv.WriteString("ags;name;kind;lat;lon;population;population_year\n")
	var features []string
	for i, k := range kommunen {
		lon, lat := 11.0+float64(i)*0.1, 49.0
		fmt.Fprintf(&csv, "%s;%s;Gemeinde;%s;%s;%d;2024\n", k.ags, k.name, survey.FormatInputDE(lat+0.05), survey.FormatInputDE(lon+0.05), 5000+i*1000)
		features = append(features, fmt.Sprintf(`{"type":"Feature","properties":{"ags":%q,"name":%q},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			k.ags, k.name, lon, lat, lon+0.1, lat, lon+0.1, lat+0.1, lon, lat+0.1, lon, lat))
	}
	geo := `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	if code, page := f.admin.upload(f.base+web.SetupKommunenPath, "musterland.csv", []byte(csv.String())); code != http.StatusSeeOther {
		t.Fatalf("Kommunen CSV: %d\n%.2000s", code, page)
	}
	if code, page := f.admin.upload(f.base+web.SetupBoundariesPath, "musterland.geojson", []byte(geo)); code != http.StatusSeeOther {
		t.Fatalf("GeoJSON: %d\n%.2000s", code, page)
	}
	f.post(t, web.SetupPath+"/fragebogen/standard", nil)
	f.post(t, web.SetupPath+"/organisation", url.Values{"stelle": {"Fachdienst Migration"}, "behoerde": {"Landkreis Musterland"},
		"anschrift": {"Amtsweg 1\n99999 Musterstadt"}, "gruss": {"Im Auftrag"}, "kontakt": {"Telefon 09999 123"}})
	code, page, _ := f.admin.post(f.base+web.SetupPath+"/testmail", nil)
	mustStatus(t, "test mail", code, http.StatusOK, page)
	if !strings.Contains(page, "Antwort des Mailservers") {
		t.Errorf("the test mail's answer is not shown:\n%.2000s", page)
	}
	f.openRound(t, "09999001")

	pages := map[string]string{"letter": f.letter}
	round := "/verwaltung/runden/" + f.roundID
	for _, p := range []string{web.SetupPath, round, round + "/verwalten", round + "/plan", round + "/fragen", "/verwaltung/kommunen",
		round + "/karte.svg", round + "/plan/karte.svg", "/impressum", "/barrierefreiheit", "/datenschutz", round + "/mail"} {
		code, body, _ := f.admin.get(f.base + p)
		mustStatus(t, p, code, http.StatusOK, body)
		pages[p] = body
	}
	if got := setupStates(t, pages[web.SetupPath])[web.StepBoundaries]; got != web.StateDone {
		t.Errorf("boundaries after the upload: %q", got)
	}
	k := newBrowser(t, f.base)
	k.get(f.link)
	_, pages["form"], _ = k.get(f.base + "/fragebogen")

	// Mails: the test mail and the invitations as the mail server got them.
	for _, k := range kommunen {
		if code, body, _ := f.admin.post(f.base+"/verwaltung/kontakte/"+k.ags, url.Values{"email": {"fsa@" + k.ags + ".example"}, "name": {"Ansprechperson"}}); code != http.StatusSeeOther {
			t.Fatalf("contact of %s: %d\n%.1000s", k.ags, code, body)
		}
	}
	_, mailPage, _ := f.admin.get(f.base + round + "/mail/vorschau?art=einladung")
	pages["mail preview"] = mailPage
	stand := standRouteRE.FindStringSubmatch(mailPage)
	if stand == nil {
		t.Fatalf("mail page has no text version:\n%.2000s", mailPage)
	}
	if code, body, _ := f.admin.post(f.base+round+"/mail/senden", url.Values{"art": {"einladung"}, "stand": {stand[1]}}); code != http.StatusSeeOther {
		t.Fatalf("queue invitations: %d\n%.1000s", code, body)
	}
	for i, m := range sink.waitFor(t, 1+len(kommunen)) {
		pages[fmt.Sprintf("mail %d", i)] = string(m.Data)
	}
	_, xlsx, _ := f.admin.get(f.base + round + "/auswertung.xlsx")
	zr, err := zip.NewReader(strings.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		pages["workbook "+zf.Name] = string(b)
	}

	hannover, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range pages {
		forbidden := []string{"03241", "Region Hannover", "Koordinierungsstelle Integration"}
		if name != "/datenschutz" { // names the data protection authority of Lower Saxony, in Hannover
			for _, k := range hannover {
				forbidden = append(forbidden, k.Name)
			}
		}
		for _, w := range forbidden {
			if strings.Contains(body, w) || strings.Contains(body, html.EscapeString(w)) {
				t.Errorf("%s names %q", name, w)
			}
		}
	}
	for _, want := range []string{"letter", "mail 1", "form", "/impressum"} {
		if !strings.Contains(pages[want], "Landkreis Musterland") && !strings.Contains(pages[want], "Fachdienst Migration") {
			t.Errorf("%s does not name the organisation", want)
		}
	}
}
