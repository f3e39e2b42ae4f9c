//go:build browser

package main

// End-to-end tests in a real browser (Debian's Chromium, driven with
// chromedp) against the real binary, with axe-core on every page state.
// Helpers, set-up and the environment variables: browser_helpers_test.go.
//
//	go test -tags browser ./cmd/bedarf/ -run TestBrowser

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/xuri/excelize/v2"
)

// kommunePlan answers every question of the default questionnaire
// (survey/defaults/fragebogen.yaml), so that every condition is true and
// every conditional question is shown: field name → value(s).
var kommunePlan = map[string][]string{
	"q.kontakt_name":                               {"Erika Mustermann"},
	"q.kontakt_funktion":                           {"Koordination Flüchtlingssozialarbeit"},
	"q.kontakt_email":                              {"e.mustermann@garbsen.example"},
	"q.kontakt_telefon":                            {"05131 707-0"},
	"q.betreute_gu":                                {"1.200"},
	"q.betreute_privat":                            {"300"},
	"q.zugang_seit_2015":                           {"2.400"},
	"q.zugang_5_jahre":                             {"900"},
	"q.erwartet_12_monate":                         {"1.600"},
	"q.unterkuenfte":                               {"7"},
	"q.plaetze":                                    {"1.350"},
	"q.plaetze_belegt":                             {"1.180"},
	"q.fachkraefte_personen":                       {"12"},
	"q.fachkraefte_vzae":                           {"9,5"},
	"q.befristet_vzae":                             {"3"},
	"q.offene_stellen_vzae":                        {"1,5"},
	"q.anstellungstraeger":                         {"beide"},
	"q.belastung_gesamt":                           {"4"},
	"q.belastung_faktoren.fallzahl":                {"5"},
	"q.belastung_faktoren.komplexitaet":            {"4"},
	"q.belastung_faktoren.trauma":                  {"4"},
	"q.belastung_faktoren.konflikte":               {"3"},
	"q.belastung_faktoren.verwaltung":              {"5"},
	"q.belastung_anmerkungen":                      {"Hohe Fallzahlen, viele Verwaltungsvorgänge."},
	"q.supervision_vorhanden":                      {"ja"},
	"q.supervision_vorhanden_format":               {"gruppe", "fallberatung"},
	"q.supervision_vorhanden_haeufigkeit":          {"quartal"},
	"q.supervision_gruppe_personen":                {"12"},
	"q.supervision_einzel_personen":                {"3"},
	"q.fallberatung_personen":                      {"5"},
	"q.supervision_haeufigkeit":                    {"monatlich"},
	"q.supervision_format":                         {"nachbar"},
	"q.supervision_zeiten":                         {"vormittag", "nachmittag"},
	"q.supervision_themen":                         {"Nähe und Distanz; Umgang mit Gewalt"},
	"q.fortbildung_teilnehmende.asylrecht":         {"6"},
	"q.fortbildung_teilnehmende.ausbildung_arbeit": {"4"},
	"q.fortbildung_teilnehmende.gesundheit":        {"2"},
	"q.fortbildung_teilnehmende.trauma":            {"8"},
	"q.fortbildung_weitere":                        {"Interkulturelle Kommunikation"},
	"q.zusaetzliche_stellen_vzae":                  {"2,5"},
	"q.foerderung_gewuenscht":                      {"180.000"},
	"q.finanzierung_anmerkungen":                   {"Förderung über drei Jahre."},
	"q.vernetzung_interesse":                       {"ja"},
	"q.vernetzung_anmerkungen":                     {"Gern zweimal im Jahr."},
}

// TestBrowserJourneys walks both journeys with the keyboard only (Tab,
// Space and arrows for choices, typing, Enter): a Kommune fills in the whole
// questionnaire, with conditions showing and hiding questions as it types,
// fixes an error announced by the focused error summary, saves a draft that
// survives a reload and a second browser, and submits; staff log in (once
// wrongly), open the dashboard, the Kommune's page and the plan, and
// download the workbook, which holds the Kommune's answers. Every page state
// passes axe-core, the network log and the reflow checks.
func TestBrowserJourneys(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	const ags = "03241005" // Garbsen: no demo answer yet
	readme := os.Getenv("BEDARF_README_SCREENSHOTS")

	t.Run("Kommune", func(t *testing.T) {
		k := s.newTab(t, false)
		k.open(a.links[ags])
		if p := k.path(); p != "/fragebogen" {
			t.Fatalf("the link led to %s, want /fragebogen (token exchanged for a session)", p)
		}
		if !strings.Contains(k.text("main"), "nicht begonnen") {
			t.Error("the new form does not say nicht begonnen")
		}
		k.check("Fragebogen leer")
		if readme != "" {
			k.readmeShot(filepath.Join(readme, "fragebogen.png"))
		}

		// Keyboard only from the top of the page: the first stop is the
		// skip link, and it leads to the content.
		if f := k.next(); f.Href == "" || !strings.HasSuffix(f.Href, "#inhalt") {
			t.Errorf("first Tab stop is %v, want the skip link", f)
		} else {
			k.requireFocusVisible()
			if !eval[bool](k, `(() => { const r = document.activeElement.getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.width > 0; })()`) {
				t.Error("the focused skip link is not on screen")
			}
		}
		k.tabTo("the first question", func(f focused) bool { return f.Name == "q.kontakt_name" })
		k.requireFocusVisible()

		// The whole questionnaire, with one value that breaks a constraint.
		first := clonePlan(kommunePlan)
		first["q.zugang_5_jahre"] = []string{"3.000"}
		fillForm(k, first, "Erika Mustermann", true, conditionHooks(k))
		k.tabTo("Absenden", isButton("absenden"))
		k.requireFocusVisible()
		k.pressAndLoad(kb.Enter)

		// Refused (422): the error summary has focus and announces it.
		const msg = "Die Zahl der letzten fünf Jahre kann nicht größer sein als die seit 2015."
		if f := k.active(); f.ID != "fehlerliste" {
			t.Errorf("after a failed submit focus is on %v, want the error summary #fehlerliste", f)
		}
		if sum := k.text("#fehlerliste"); !strings.Contains(sum, msg) {
			t.Errorf("error summary %q lacks the message", sum)
		}
		k.requireErrorsDescribed(map[string]string{"f-zugang_5_jahre": msg})
		if !strings.Contains(k.text("main"), "in Bearbeitung") {
			t.Error("a refused submit did not keep the draft (status not in Bearbeitung)")
		}
		k.check("Fragebogen mit Fehlern")

		// The summary's link takes the keyboard to the field.
		if f := k.next(); !strings.HasSuffix(f.Href, "#f-zugang_5_jahre") {
			t.Fatalf("first stop after the summary is %v, want its link to the field", f)
		}
		k.press(kb.Enter)
		if f := k.active(); f.ID != "f-zugang_5_jahre" {
			t.Fatalf("the summary link left focus on %v, want the field", f)
		}
		k.typeText("900")

		// Draft: Space on "Zwischenspeichern", saved in the background.
		k.saveInBackground()
		if n := k.text(".notice"); !strings.Contains(n, "Zwischengespeichert um") {
			t.Errorf("after saving the notice says %q", n)
		}
		if k.exists("#fehlerliste") {
			t.Error("error summary still shown after the fix")
		}
		k.check("Fragebogen zwischengespeichert")

		// The draft survives a reload (a new GET, as the address bar does) …
		k.open(a.base + "/fragebogen")
		requireValues(t, "after a reload", k.formValues(), kommunePlan)
		// … and another browser (own cookies) opening the same link.
		k2 := s.newTab(t, true)
		k2.open(a.links[ags])
		requireValues(t, "in a second browser", k2.formValues(), kommunePlan)
		if !strings.Contains(k2.text("main"), "Erika Mustermann") {
			t.Error("the second browser does not show who saved last")
		}
		k2.check("Entwurf im zweiten Browser")

		// Submit.
		k.tabTo("Absenden", isButton("absenden"))
		k.pressAndLoad(kb.Enter)
		if p := k.path(); p != "/fragebogen?eingereicht=1" {
			t.Fatalf("after submit the page is %s", p)
		}
		main := k.text("main")
		for _, want := range []string{"Eingangsbestätigung", "eingereicht", "1.200 Personen", "gemeinsam mit einer Nachbarkommune", "Nähe und Distanz"} {
			if !strings.Contains(main, want) {
				t.Errorf("submitted page lacks %q", want)
			}
		}
		k.check("Fragebogen eingereicht")
		k.requirePrintable()
	})

	t.Run("Verwaltung", func(t *testing.T) {
		st := s.newTab(t, true)
		st.open(a.login)
		st.check("Anmeldung")
		st.tabTo("E-Mail", func(f focused) bool { return f.ID == "email" })
		st.requireFocusVisible()
		st.typeText(a.email)
		st.next()
		st.typeText("falsch-falsch-falsch")
		st.pressAndLoad(kb.Enter)
		if !strings.Contains(st.text("#login-fehler"), "E-Mail-Adresse oder Passwort ist falsch") {
			t.Errorf("wrong password: message %q", st.text("#login-fehler"))
		}
		if f := st.active(); f.ID != "login-fehler" {
			t.Errorf("after a failed login focus is on %v, want the message #login-fehler", f)
		}
		st.requireErrorsDescribed(map[string]string{"email": "E-Mail-Adresse oder Passwort ist falsch"})
		st.check("Anmeldung mit Fehler")
		if f := st.tabTo("E-Mail", func(f focused) bool { return f.ID == "email" }); f.Value != a.email {
			t.Errorf("the e-mail address was not kept: %q", f.Value)
		}
		st.next()
		st.typeText(a.password)
		st.pressAndLoad(kb.Enter)
		if p := st.path(); p != "/verwaltung" {
			t.Fatalf("after login the page is %s", p)
		}
		dash := st.text("main")
		if !regexp.MustCompile(`Garbsen\s+eingereicht`).MatchString(dash) {
			t.Error("dashboard does not show Garbsen as eingereicht")
		}
		st.check("Übersicht")
		if readme != "" {
			st.readmeShot(filepath.Join(readme, "uebersicht.png"))
		}

		// The Kommune's page, by keyboard from the dashboard's table.
		st.tabTo("Garbsen", func(f focused) bool { return strings.HasSuffix(f.Href, "/kommunen/"+ags) })
		st.requireFocusVisible()
		st.pressAndLoad(kb.Enter)
		kp := st.text("main")
		for _, want := range []string{"Garbsen", "1.200", "9,5 VZÄ", "gemeinsam mit einer Nachbarkommune"} {
			if !strings.Contains(kp, want) {
				t.Errorf("Kommune page lacks %q", want)
			}
		}
		st.check("Kommune Garbsen")

		// Back with the main navigation, then the plan.
		st.tabTo("Übersicht", func(f focused) bool { return strings.HasSuffix(f.Href, "/verwaltung") })
		st.pressAndLoad(kb.Enter)
		st.tabTo("Planung ansehen", func(f focused) bool { return strings.HasSuffix(f.Href, "/plan") })
		st.pressAndLoad(kb.Enter)
		if p := st.path(); !regexp.MustCompile(`^/verwaltung/runden/\d+/plan$`).MatchString(p) {
			t.Fatalf("plan link led to %s", p)
		}
		if !strings.Contains(st.text("main"), "Garbsen") {
			t.Error("the plan does not place Garbsen")
		}
		st.check("Planung")
		if readme != "" {
			st.readmeShot(filepath.Join(readme, "planung.png"))
		}

		// The workbook, downloaded by the browser.
		st.tabTo("Übersicht", func(f focused) bool { return strings.HasSuffix(f.Href, "/verwaltung") })
		st.pressAndLoad(kb.Enter)
		st.tabTo("Auswertung herunterladen", func(f focused) bool { return strings.HasSuffix(f.Href, "/auswertung.xlsx") })
		file := st.download(kb.Enter)
		if !strings.HasPrefix(filepath.Base(file.suggested), "Auswertung_") || !strings.HasSuffix(file.suggested, ".xlsx") {
			t.Errorf("download name %q", file.suggested)
		}
		requireWorkbookRow(t, file.path, a.names[ags])
	})
}

// TestBrowserWithoutJavaScript: with scripts off the form still saves and
// submits, and the server applies the conditions: a question appears after
// the save that makes it relevant, and a required question that a later
// answer hides is no longer required.
func TestBrowserWithoutJavaScript(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	const ags = "03241002" // Barsinghausen
	k := s.newTab(t, true)
	k.disableScript()
	k.open(a.links[ags])
	if p := k.path(); p != "/fragebogen" {
		t.Fatalf("link led to %s", p)
	}
	// axe cannot run where scripts are off (its timers never fire); the same
	// pages are checked with scripts on in TestBrowserJourneys.
	noScript := checkOpts{noAxe: true}
	k.check("Fragebogen ohne JavaScript", noScript)
	plan := map[string][]string{
		"q.kontakt_name": {"Jonas Beispiel"}, "q.kontakt_email": {"j.beispiel@barsinghausen.example"},
		"q.betreute_gu": {"250"}, "q.betreute_privat": {"80"},
		"q.fachkraefte_personen": {"3"}, "q.fachkraefte_vzae": {"2,5"},
		"q.belastung_gesamt": {"3"}, "q.supervision_vorhanden": {"ja"}, "q.supervision_gruppe_personen": {"4"},
	}
	fillForm(k, plan, "Jonas Beispiel", false, nil)
	// No script: choosing "ja" and typing 4 showed nothing yet.
	for _, id := range []string{"frage-supervision_vorhanden_format", "frage-supervision_format"} {
		if k.visible(id) {
			t.Errorf("%s shown before saving although JavaScript is off", id)
		}
	}
	k.tabTo("Zwischenspeichern", isButton("speichern"))
	k.pressAndLoad(" ")
	if n := k.text(".notice"); !strings.Contains(n, "Zwischengespeichert") {
		t.Fatalf("save without JavaScript: notice %q", n)
	}
	for _, id := range []string{"frage-supervision_vorhanden_format", "frage-supervision_format"} {
		if !k.visible(id) {
			t.Errorf("%s not shown after the save made it relevant", id)
		}
	}
	k.check("Fragebogen ohne JavaScript gespeichert", noScript)

	// Choose a format, then set the group to 0: the format question (required)
	// is hidden by the server and the submit goes through.
	k.tabTo("group supervision", func(f focused) bool { return f.Name == "q.supervision_gruppe_personen" })
	f := k.tabTo("format", func(f focused) bool { return f.Name == "q.supervision_format" })
	selectRadio(k, f, "online")
	k.tabBackTo("group supervision", func(f focused) bool { return f.Name == "q.supervision_gruppe_personen" })
	k.typeText("0")
	k.tabTo("Absenden", isButton("absenden"))
	k.pressAndLoad(kb.Enter)
	if p := k.path(); p != "/fragebogen?eingereicht=1" {
		t.Fatalf("submit without JavaScript ended on %s: %s", p, trim(k.text("#fehlerliste"), 300))
	}
	main := k.text("main")
	if strings.Contains(main, "Wo soll die Gruppensupervision stattfinden?") {
		t.Error("the answer to a hidden question is shown as submitted")
	}
	if !strings.Contains(main, "Gruppensupervision") || !strings.Contains(main, "Eingangsbestätigung") {
		t.Error("submitted page lacks the receipt or the answers")
	}
	k.check("Fragebogen ohne JavaScript eingereicht", noScript)
}

// TestBrowserStaffPages logs in and visits every staff page that a link
// leads to (every GET route under /verwaltung the pages link to, one page per
// route), plus the public pages, with axe-core, the network log and the
// reflow checks on each.
func TestBrowserStaffPages(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.base + "/")
	p.check("Startseite")

	// Each check bites: a page with a request to another origin, a field
	// without a label and a box wider than 320 px fails all three.
	eval[chromedp.Void](p, `new Promise(done => {
  const img = document.createElement('img'); img.alt = ''; img.onerror = img.onload = () => done();
  img.src = 'http://fremd.example/pixel.png';
  const input = document.createElement('input'); input.type = 'text';
  const wide = document.createElement('div'); wide.style.width = '400px'; wide.textContent = 'breit';
  document.querySelector('main').append(img, input, wide); })`, chromedp.EvalAwaitPromise)
	probs := strings.Join(p.problems("Selbsttest"), "\n")
	for _, want := range []string{"request to another origin: http://fremd.example/pixel.png", "axe label [critical]", "at 320 px the page is"} {
		if !strings.Contains(probs, want) {
			t.Errorf("self-test: a broken page did not report %q; got:\n%s", want, probs)
		}
	}
	s.mu.Lock()
	s.shots = s.shots[:len(s.shots)-2] // not a page of the product
	s.mu.Unlock()

	p.open(a.base + "/gibt-es-nicht")
	p.check("Seite nicht gefunden")
	p.open(a.base + "/k/UNGUELTIG")
	p.check("Link ungültig")

	p.open(a.login)
	p.signInByKeyboard(a)
	visited := crawlStaff(p, 80)
	// Every HTML page among the GET routes under /verwaltung (server.go);
	// * is one path segment.
	for _, must := range []string{
		"/verwaltung", "/verwaltung/runden", "/verwaltung/runden/neu", "/verwaltung/runden/#",
		"/verwaltung/runden/#/verwalten", "/verwaltung/runden/#/fragen", "/verwaltung/runden/#/fragen/*",
		"/verwaltung/runden/#/plan", "/verwaltung/runden/#/kommunen/#", "/verwaltung/runden/#/kommunen/#/einladung",
		"/verwaltung/runden/#/kommunen/#/erfassen", "/verwaltung/vergleich", "/verwaltung/benutzer",
		"/verwaltung/protokoll", "/verwaltung/frageboegen", "/verwaltung/kommunen", "/verwaltung/einrichtung",
		"/verwaltung/runden/#/angebote", "/verwaltung/runden/#/angebote/#", "/verwaltung/anbieter", "/verwaltung/anbieter/#",
	} {
		re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(must), `\*`, "[^/]+") + "$")
		if !slices.ContainsFunc(visited, re.MatchString) {
			t.Errorf("no link led to a page %s", must)
		}
	}
	t.Logf("staff pages checked: %s", strings.Join(visited, " "))

	// The long plan page opens with a table of contents (its links were
	// checked on every page above; the comparison's in TestComparePage),
	// and the navigation's admin menu opens and is walked by keyboard.
	p.open(a.base + "/verwaltung/runden/1/plan")
	if n := eval[int](p, `document.querySelectorAll('nav.toc a').length`); n < 6 {
		t.Errorf("plan page: %d links in the table of contents, want one per section", n)
	}
	p.open(a.base + "/verwaltung")
	p.tabTo("the admin menu", func(f focused) bool { return f.Tag == "summary" })
	p.press(kb.Enter)
	if f := p.next(); f.Tag != "a" || !strings.HasSuffix(f.Href, "/verwaltung/frageboegen") ||
		!eval[bool](p, `document.activeElement.getClientRects().length > 0`) {
		t.Errorf("after opening the admin menu by keyboard, Tab went to %v, want its first link, shown", f)
	}

	// The overview's Kommunen page by page, as a round of more than 100
	// shows them (here asked for in the address), filtered and found empty.
	for _, u := range []string{"/verwaltung/runden/1?pro_seite=10&seite=2", "/verwaltung/runden/1?status=ausstehend&suche=e&pro_seite=10",
		"/verwaltung/runden/1?suche=gibt-es-nicht"} {
		p.open(a.base + u)
		p.check("Übersicht Seite für Seite " + u)
	}
	// Contact addresses from the answers: the preview, and the page after
	// applying it with the keyboard (a plain form post, no script needed).
	p.open(a.base + "/verwaltung/runden/1/kontakte-aus-antworten")
	p.check("Adressen aus den Antworten: Vorschau")
	p.tabTo("the apply button", func(f focused) bool {
		return f.Tag == "button" && strings.Contains(f.Text, "Angekreuzte Adressen übernehmen")
	})
	p.pressAndLoad(kb.Enter)
	if path := p.path(); !strings.HasPrefix(path, "/verwaltung/runden/1/kontakte-aus-antworten") {
		t.Errorf("after applying the addresses: %s", path)
	}
	if text := eval[string](p, `document.querySelector('#ergebnis') ? document.querySelector('#ergebnis').textContent : ''`); !strings.Contains(text, "Übernommen: 10 Adressen neu") {
		t.Errorf("after applying the addresses the page says %q", text)
	}
	p.check("Adressen aus den Antworten: übernommen")
	// The plan's Kommunen page by page, likewise.
	for _, u := range []string{"/verwaltung/runden/1/plan?pro_seite=10&seite=2", "/verwaltung/runden/1/plan?suche=e&pro_seite=10",
		"/verwaltung/runden/1/plan?suche=gibt-es-nicht"} {
		p.open(a.base + u)
		p.check("Plan Seite für Seite " + u)
	}
}

// ---- steps ----

func isButton(value string) func(focused) bool {
	return func(f focused) bool { return f.Tag == "button" && f.Value == value }
}

func clonePlan(p map[string][]string) map[string][]string {
	out := make(map[string][]string, len(p))
	for k, v := range p {
		out[k] = slices.Clone(v)
	}
	return out
}

// fillForm answers the questionnaire with the keyboard only, from the
// focused element on, until Tab reaches "Zwischenspeichern": it types into
// text fields, moves through radio groups with the arrow keys (which select)
// and Space, and ticks checkboxes with Space. Every field of the plan must be
// reached, and with whole every field Tab reaches must be in the plan: hidden
// questions are skipped by Tab, so the plan proves which ones the conditions
// showed.
func fillForm(tb *tab, plan map[string][]string, editor string, whole bool, hooks map[string]func(focused)) {
	tb.t.Helper()
	done := map[string]bool{}
	f := tb.active()
	for range 600 {
		switch {
		case f.Tag == "button" && f.Value == "speichern":
			var missing []string
			for name := range plan {
				if !done[name] {
					missing = append(missing, name)
				}
			}
			slices.Sort(missing)
			if len(missing) > 0 {
				tb.t.Errorf("Tab never reached %v (hidden or missing)", missing)
			}
			return
		case f.ID == "bearbeitung":
			tb.typeText(editor)
		case strings.HasPrefix(f.Name, "q."):
			want, ok := plan[f.Name]
			if !ok {
				if whole {
					tb.t.Errorf("Tab reached %v, which the plan does not answer", f)
				}
				break
			}
			if h := hooks[f.Name]; h != nil && !done[f.Name] {
				h(f)
				f = tb.active()
			}
			switch f.Type {
			case "radio":
				selectRadio(tb, f, want[0])
			case "checkbox":
				if slices.Contains(want, f.Value) != f.Checked {
					tb.press(" ")
				}
			default:
				if f.Value != want[0] {
					tb.typeText(want[0])
				}
				if got := tb.active().Value; got != want[0] {
					tb.t.Errorf("%s: typed %q, the field holds %q", f.Name, want[0], got)
				}
			}
			done[f.Name] = true
		}
		f = tb.next()
	}
	tb.t.Fatal("Tab did not reach Zwischenspeichern")
}

// selectRadio moves through a radio group with the arrow keys until the
// wanted value is focused, and selects it (arrows select as they move; Space
// selects the first radio of a group that has none).
func selectRadio(tb *tab, f focused, want string) {
	tb.t.Helper()
	for range 12 {
		if f.Value == want {
			if !f.Checked {
				tb.press(" ")
			}
			if !tb.active().Checked {
				tb.t.Errorf("%s=%s not selected by Space", f.Name, want)
			}
			return
		}
		tb.press(kb.ArrowDown)
		f = tb.active()
	}
	tb.t.Errorf("%s: no radio with value %q", f.Name, want)
}

// conditionHooks check, while the Kommune types, that conditions show and
// hide questions at once (static/js/conditions.js).
func conditionHooks(tb *tab) map[string]func(focused) {
	t := tb.t
	expect := func(when string, shown bool, ids ...string) {
		t.Helper()
		for _, id := range ids {
			if got := tb.visible("frage-" + id); got != shown {
				t.Errorf("%s: question %s shown=%v, want %v", when, id, got, shown)
			}
		}
	}
	return map[string]func(focused){
		// ${supervision_vorhanden} = 'ja'
		"q.supervision_vorhanden": func(f focused) {
			expect("before an answer", false, "supervision_vorhanden_format", "supervision_vorhanden_haeufigkeit")
			if f.Value != "ja" {
				t.Fatalf("first radio of supervision_vorhanden is %q", f.Value)
			}
			tb.press(" ")
			expect("after Space on ja", true, "supervision_vorhanden_format", "supervision_vorhanden_haeufigkeit")
			tb.press(kb.ArrowDown)
			expect("after arrow to nein", false, "supervision_vorhanden_format", "supervision_vorhanden_haeufigkeit")
			tb.press(kb.ArrowUp)
			expect("after arrow back to ja", true, "supervision_vorhanden_format", "supervision_vorhanden_haeufigkeit")
		},
		// ${supervision_gruppe_personen} > 0
		"q.supervision_gruppe_personen": func(f focused) {
			dependent := []string{"supervision_haeufigkeit", "supervision_format", "supervision_zeiten"}
			expect("while empty", false, dependent...)
			tb.press("0")
			expect("after typing 0", false, dependent...)
			tb.press(kb.Backspace)
			tb.press("1")
			expect("after typing 1", true, dependent...)
			tb.press("2")
			expect("after typing 12", true, dependent...)
			tb.press(kb.Backspace + kb.Backspace)
			expect("after deleting", false, dependent...)
		},
		// ${zusaetzliche_stellen_vzae} > 0, with a German decimal comma
		"q.zusaetzliche_stellen_vzae": func(f focused) {
			expect("while empty", false, "foerderung_gewuenscht")
			tb.press("0,5")
			expect("after typing 0,5", true, "foerderung_gewuenscht")
			tb.press(kb.Backspace + kb.Backspace + kb.Backspace)
		},
	}
}

// requireValues compares the form's fields with the plan.
func requireValues(t *testing.T, when string, got, want map[string][]string) {
	t.Helper()
	for name, w := range want {
		g := slices.Clone(got[name])
		w = slices.Clone(w)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("%s: %s = %q, want %q", when, name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected value in %s: %q", when, name, got[name])
		}
	}
}

// text is the visible text of the first element matching the selector.
// signInByKeyboard fills in the login form on the open page with the
// keyboard only and requires to land on the staff start page.
func (tb *tab) signInByKeyboard(a *app) {
	tb.t.Helper()
	tb.tabTo("the e-mail field", func(f focused) bool { return f.ID == "email" })
	tb.typeText(a.email)
	tb.next()
	tb.typeText(a.password)
	tb.pressAndLoad(kb.Enter)
	if got := tb.path(); got != "/verwaltung" {
		tb.t.Fatalf("login ended on %s", got)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : ''; })()`, sel))
}

func (tb *tab) exists(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`!!document.querySelector(%q)`, sel))
}

// requireFocusVisible: the focused field shows a focus indicator of at
// least 2 px (WCAG 2.4.7) that :focus-visible draws.
func (tb *tab) requireFocusVisible() {
	tb.t.Helper()
	type style struct {
		Matches bool    `json:"matches"`
		Style   string  `json:"style"`
		Width   float64 `json:"width"`
		Color   string  `json:"color"`
		Shadow  string  `json:"shadow"`
		ID      string  `json:"id"`
	}
	st := eval[style](tb, `(() => { const e = document.activeElement, s = getComputedStyle(e);
  return {matches: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
    color: s.outlineColor, shadow: s.boxShadow, id: e.id || e.tagName.toLowerCase()}; })()`)
	if !st.Matches || st.Style == "none" || st.Width < 2 {
		tb.t.Errorf("focused %s shows no visible focus: :focus-visible=%v outline %s %.0fpx %s, box-shadow %s",
			st.ID, st.Matches, st.Style, st.Width, st.Color, st.Shadow)
	}
}

// requireErrorsDescribed: each field with an error is marked invalid and
// its aria-describedby names an element holding the message; every message
// on the page belongs to some field.
func (tb *tab) requireErrorsDescribed(want map[string]string) {
	tb.t.Helper()
	type fieldInfo struct {
		Invalid   string   `json:"invalid"`
		Described []string `json:"described"`
		Missing   []string `json:"missing"`
	}
	for id, msg := range want {
		fi := eval[fieldInfo](tb, fmt.Sprintf(`(() => { const e = document.getElementById(%q);
  if (!e) return {invalid: 'no such field', described: [], missing: []};
  const ids = (e.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  return {invalid: e.getAttribute('aria-invalid') || '',
    described: ids.map(i => document.getElementById(i)).filter(Boolean).map(d => d.textContent.trim()),
    missing: ids.filter(i => !document.getElementById(i))}; })()`, id))
		if fi.Invalid != "true" {
			tb.t.Errorf("#%s: aria-invalid=%q, want true", id, fi.Invalid)
		}
		if len(fi.Missing) > 0 {
			tb.t.Errorf("#%s: aria-describedby names missing elements %v", id, fi.Missing)
		}
		if !slices.ContainsFunc(fi.Described, func(s string) bool { return strings.Contains(s, msg) }) {
			tb.t.Errorf("#%s: aria-describedby leads to %q, not to the message %q", id, fi.Described, msg)
		}
	}
	orphans := eval[[]string](tb, `[...document.querySelectorAll('.field-error[id]')].filter(m =>
  !document.querySelector('[aria-describedby~="' + m.id + '"]')).map(m => m.id)`)
	if len(orphans) > 0 {
		tb.t.Errorf("error messages no field refers to: %v", orphans)
	}
}

// requirePrintable emulates print media on the answers page: header,
// navigation and footer are hidden, the answers are shown.
func (tb *tab) requirePrintable() {
	tb.t.Helper()
	tb.emulateMedia("print")
	defer tb.emulateMedia("")
	type printInfo struct {
		Hidden  map[string]bool `json:"hidden"`
		Answers int             `json:"answers"`
		Shown   int             `json:"shown"`
	}
	pi := eval[printInfo](tb, `(() => {
  const gone = sel => [...document.querySelectorAll(sel)].every(e => e.getClientRects().length === 0);
  const dds = [...document.querySelectorAll('.answers dd')];
  return {hidden: {'header.site': gone('header.site'), 'nav': gone('nav'), 'footer.site': gone('footer.site'), '.skip': gone('.skip')},
    answers: dds.length, shown: dds.filter(e => e.getClientRects().length > 0 && e.innerText.trim() !== '').length}; })()`)
	for sel, gone := range pi.Hidden {
		if !gone {
			tb.t.Errorf("print: %s is printed", sel)
		}
	}
	if pi.Answers < 30 || pi.Shown != pi.Answers {
		tb.t.Errorf("print: %d of %d answers shown, want all (at least 30)", pi.Shown, pi.Answers)
	}
}

// readmeShot saves the top 1280×800 px of the page for the README.
func (tb *tab) readmeShot(path string) {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(1280, 800))
	img, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(path, img, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("README screenshot %s (%d KB)", path, len(img)/1024)
	tb.do(chromedp.EmulateViewport(1280, 900))
}

type downloaded struct{ path, suggested string }

// download presses keys on a focused download link and waits until the
// browser has saved the file.
func (tb *tab) download(keys string) downloaded {
	tb.t.Helper()
	dir := tb.t.TempDir()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	bctx := chromedp.FromContext(tb.ctx).BrowserContextID
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, BrowserContextID: bctx,
		DownloadPath: dir, EventsEnabled: new(true)}); err != nil {
		tb.t.Fatalf("download behaviour: %v", err)
	}
	begins := chromedp.BrowserEvents(ctx, cdpbrowser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(ctx, cdpbrowser.DownloadProgress)
	tb.press(keys)
	var d downloaded
	var guid string
	for ev, err := range begins {
		if err != nil {
			tb.t.Fatalf("no download began: %v", err)
		}
		guid, d.suggested = ev.GUID, ev.SuggestedFilename
		break
	}
	for ev, err := range progress {
		if err != nil {
			tb.t.Fatalf("download did not finish: %v", err)
		}
		if ev.GUID != guid {
			continue
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			tb.t.Fatal("download canceled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			d.path = filepath.Join(dir, guid)
			if ev.FilePath != "" {
				d.path = ev.FilePath
			}
			return d
		}
	}
	tb.t.Fatal("download events ended")
	return d
}

// requireWorkbookRow opens the downloaded workbook and checks the
// Kommune's row in Antworten.
func requireWorkbookRow(t *testing.T, path, kommune string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the downloaded workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Antworten", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) < 2 {
		t.Fatalf("sheet Antworten: %v (%d rows)", err, len(rows))
	}
	row := slices.IndexFunc(rows, func(r []string) bool { return slices.Contains(r, kommune) })
	if row < 1 {
		t.Fatalf("workbook has no row for %s", kommune)
	}
	cell := func(header string) (string, bool) {
		c := slices.Index(rows[0], header)
		if c < 0 {
			return "", false
		}
		if c >= len(rows[row]) {
			return "", true
		}
		return rows[row][c], true
	}
	for header, want := range map[string]string{
		"Betreute Geflüchtete in kommunalen Unterkünften": "1200",
		"Besetzte Stellen": "9.5",
		"Welche Förderung streben Sie dafür jährlich an?":                                                 "180000",
		"Wo soll die Gruppensupervision stattfinden?":                                                     "gemeinsam mit einer Nachbarkommune",
		"Wie stark belasten die folgenden Faktoren die Fachkräfte?: Verwaltungsaufwand":                   "hoch",
		"Wie viele Fachkräfte möchten an den folgenden Modulen teilnehmen?: Umgang mit Traumatisierungen": "8",
		"Bevorzugte Zeiten: nachmittags":                                                                  "1",
		"Bevorzugte Zeiten: abends":                                                                       "0",
		"Welche Themen sollen in der Supervision Raum haben?":                                             "Nähe und Distanz; Umgang mit Gewalt",
	} {
		got, ok := cell(header)
		switch {
		case !ok:
			t.Errorf("workbook: no column %q", header)
		case got != want:
			t.Errorf("workbook, %s, %q: got %q, want %q", kommune, header, got, want)
		}
	}
}

// ---- the staff crawl ----

var numSegRE = regexp.MustCompile(`/\d+(/|$)`)

// routeOf turns a path into its route: numbers (round ids, AGS) become #.
func routeOf(p string) string {
	for numSegRE.MatchString(p) {
		p = numSegRE.ReplaceAllString(p, "/#$1")
	}
	return p
}

// crawlStaff visits every page under /verwaltung that a link leads to,
// breadth first from the dashboard, one page per route, and checks each. A
// family of routes with many members (a page per question) is sampled: at
// most 12, spread over the list as linked, so that different kinds of
// question pages are seen. It returns the routes visited.
func crawlStaff(tb *tab, limit int) []string {
	tb.t.Helper()
	const perFamily = 12
	start := tb.s.app.base + "/verwaltung"
	queue := []string{start}
	seen := map[string]bool{routeOf("/verwaltung"): true}
	family := map[string]int{}
	var visited []string
	for len(queue) > 0 && len(visited) < limit {
		u := queue[0]
		queue = queue[1:]
		tb.open(u)
		route := routeOf(tb.path())
		if i := strings.IndexByte(route, '?'); i >= 0 {
			route = route[:i]
		}
		visited = append(visited, route)
		tb.check("Verwaltung " + route)
		links := eval[[]string](tb, `[...document.querySelectorAll('a[href]')].filter(a => !a.hasAttribute('download')).map(a => a.href)`)
		fresh := map[string][]string{} // parent route → new links, in page order
		var parents []string
		for _, l := range links {
			lu, err := url.Parse(l)
			if err != nil || lu.Scheme+"://"+lu.Host != tb.origin || !strings.HasPrefix(lu.Path, "/verwaltung") {
				continue
			}
			if filepath.Ext(lu.Path) != "" {
				continue // downloads: workbook, CSV, charts, QR codes
			}
			r := routeOf(lu.Path)
			if seen[r] {
				continue
			}
			seen[r] = true
			lu.Fragment = ""
			parent := r[:strings.LastIndexByte(r, '/')]
			if fresh[parent] == nil {
				parents = append(parents, parent)
			}
			fresh[parent] = append(fresh[parent], lu.String())
		}
		for _, parent := range parents {
			c := fresh[parent]
			room := perFamily - family[parent]
			if room <= 0 {
				continue
			}
			if len(c) > room {
				picked := make([]string, room)
				for i := range picked {
					picked[i] = c[i*len(c)/room]
				}
				c = picked
			}
			family[parent] += len(c)
			queue = append(queue, c...)
		}
	}
	if len(queue) > 0 {
		tb.t.Errorf("staff crawl stopped at %d pages with %d left", limit, len(queue))
	}
	return visited
}
