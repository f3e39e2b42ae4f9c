package main

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
	"bedarf/templates"

	xhtml "golang.org/x/net/html"
)

// changingForms counts the forms of a page that change something: the
// language switch in the layout posts too, but only sets a cookie.
func changingForms(page string) int {
	return strings.Count(page, `method="post"`) - strings.Count(page, `action="/sprache"`)
}

var (
	// {{t "key" …}}, (t "key" …), {{tn "key" n}}, {{th …}}, {{thn …}}
	templateKeyRE = regexp.MustCompile(`[({]\s*-?\s*(t|tn|th|thn|tq|tb)\s+"([^"]+)"`)
	// tr(c, "key" …), trn(c, "key" …), l.T("key" …), .N("key" …)
	goKeyRE = regexp.MustCompile(`\b(tr|trn)\([a-zA-Z.]+, "([^"]+)"|\.(T|N)\("([^"]+)"`)
)

// usedKeys returns the catalogue keys the templates and the Go code name
// literally, each with where it is used; plural keys are returned with
// their .one and .other forms.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	addKey := func(key, plural, where string) {
		if plural == "tn" || plural == "thn" || plural == "trn" || plural == "N" {
			used[key+".one"], used[key+".other"] = where, where
			return
		}
		used[key] = where
	}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		for _, m := range templateKeyRE.FindAllStringSubmatch(string(b), -1) {
			addKey(m[2], m[1], "templates/"+p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, pkg := range []string{"web", "mailer", "bench", "cli"} {
		internal, _ := filepath.Glob(filepath.Join("internal", pkg, "*.go"))
		goFiles = append(goFiles, internal...)
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKeyRE.FindAllStringSubmatch(string(b), -1) {
			if m[2] != "" {
				addKey(m[2], m[1], f)
			} else {
				addKey(m[4], m[3], f)
			}
		}
	}
	return used
}

// TestCatalogueKeysExist: every key the templates and handlers name is in
// the catalogue, and every key of the catalogue is used somewhere (domain
// sentences, the domain's keyed messages and enumeration names are looked
// up, not named; TestKeyedMessages in i18n checks the keyed ones).
func TestCatalogueKeysExist(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("only %d keys found in templates and code: has the scan stopped working?", len(used))
	}
	for k, where := range used {
		if !i18n.Has(k) {
			t.Errorf("%s uses %q, which the catalogue lacks", where, k)
		}
	}
	// Keys named in Go code as plain strings (tables of labels) count too,
	// also those of analysis.ParamSpecs.
	var code strings.Builder
	goFiles, _ := filepath.Glob("*.go")
	for _, pkg := range []string{"web", "mailer", "bench", "cli"} {
		internal, _ := filepath.Glob(filepath.Join("internal", pkg, "*.go"))
		goFiles = append(goFiles, internal...)
	}
	analysisFiles, _ := filepath.Glob("../../analysis/*.go")
	goFiles = append(goFiles, analysisFiles...)
	for _, f := range goFiles {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			code.Write(b)
		}
	}
	for _, k := range i18n.Keys() {
		if strings.HasPrefix(k, "domain.") || strings.HasPrefix(k, "enum.") || strings.HasPrefix(k, "upload.") || strings.HasPrefix(k, "msg.") {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(k, ".one"), ".other") // a plural's key in a variable
		if _, ok := used[k]; !ok && !strings.Contains(code.String(), `"`+k+`"`) && !strings.Contains(code.String(), `"`+base+`"`) {
			t.Errorf("catalogue key %q is used nowhere", k)
		}
	}
}

// TestEnumLabels: every value of the domain's enumerations has a name in
// the catalogue, and the German one is the domain's own Label.
func TestEnumLabels(t *testing.T) {
	type labelled interface{ Label() string }
	var values []labelled
	for _, v := range []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusSubmitted, survey.StatusReturned} {
		values = append(values, v)
	}
	for _, v := range []survey.RoundStatus{survey.RoundPlanned, survey.RoundOpen, survey.RoundClosed} {
		values = append(values, v)
	}
	for _, v := range []survey.Type{survey.SingleChoice, survey.MultipleChoice, survey.Integer, survey.Decimal, survey.Text,
		survey.LongText, survey.YesNo, survey.Date, survey.Likert, survey.Matrix, survey.ItemNumbers, survey.Note} {
		values = append(values, v)
	}
	for _, v := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
		values = append(values, v)
	}
	for _, v := range []store.MailStatus{store.MailQueued, store.MailSending, store.MailSent, store.MailFailed, store.MailUnclear, store.MailCancelled} {
		values = append(values, v)
	}
	for _, v := range []analysis.GroupKind{analysis.GroupOwn, analysis.GroupPooled, analysis.GroupOnline} {
		values = append(values, v)
	}
	values = append(values, analysis.IssueWarning, analysis.IssueNote)
	for _, v := range values {
		key, ok := web.EnumKey(v)
		if !ok || !i18n.Has(key) {
			t.Errorf("%T %v: no catalogue entry (%q)", v, v, key)
			continue
		}
		if got := web.EnumLabel(i18n.DE, v); got != v.Label() {
			t.Errorf("%T %v: German %q, the domain says %q", v, v, got, v.Label())
		}
		if web.EnumLabel(i18n.EN, v) == "" {
			t.Errorf("%T %v: no English name", v, v)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/anmelden":                 "/anmelden",
		"/fragebogen?eingereicht=1": "/fragebogen?eingereicht=1",
		"":                          "/",
		"//evil.example/":           "/",
		"https://evil.example/":     "/",
		"/\\evil.example":           "/",
		"javascript:alert(1)":       "/",
		"/k/SECRET":                 "/",
		"/verwaltung\r\nX: y":       "/",
	} {
		if got := web.LocalPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// htmlLangRE finds the page's language.
var htmlLangRE = regexp.MustCompile(`<html lang="([a-z]+)">`)

func pageLang(page string) string {
	if m := htmlLangRE.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// getWith fetches a page with an Accept-Language header.
func getWith(t *testing.T, b *browser, u, acceptLanguage string) (int, string) {
	t.Helper()
	code, body, hdr := getLang(t, b, u, acceptLanguage)
	if got := hdr.Get("Content-Language"); got != pageLang(body) && hdr.Get("Content-Type") == "text/html; charset=utf-8" {
		t.Errorf("GET %s: Content-Language %q but <html lang=%q>", u, got, pageLang(body))
	}
	return code, body
}

// switchLang uses the switch in the layout as a browser would.
func switchLang(t *testing.T, b *browser, base, code, back string) {
	t.Helper()
	status, _, h := b.post(base+"/sprache", url.Values{"sprache": {code}, "zurueck": {back}})
	if status != http.StatusSeeOther || h.Get("Location") != back {
		t.Fatalf("switch to %s: %d, Location %q, want 303 to %s", code, status, h.Get("Location"), back)
	}
}

// germanUI returns the German texts of the catalogue that an English page
// must not contain: different from their English text, long enough not to
// be a word of the data by chance, and not a text of the demo's data (the
// default questionnaire asks for an "E-Mail-Adresse" in German).
func germanUI() []string {
	data := string(survey.DefaultQuestionnaireYAML()) + string(survey.DefaultKommunenCSV())
	english := map[string]bool{} // a German word that is English as well ("Administration")
	for _, k := range i18n.Keys() {
		en, _ := i18n.Raw(i18n.EN, k)
		english[en] = true
	}
	var out []string
	for _, k := range i18n.Keys() {
		if strings.HasPrefix(k, "domain.") || strings.HasPrefix(k, "enum.") || strings.HasPrefix(k, "upload.") {
			continue
		}
		de, _ := i18n.Raw(i18n.DE, k)
		en, _ := i18n.Raw(i18n.EN, k)
		if de == en || english[de] || strings.Contains(de, "%") || len([]rune(de)) < 12 || strings.Contains(data, de) {
			continue
		}
		out = append(out, de)
	}
	return out
}

// spotCheck lists German interface words that must not appear on an English
// page, whatever the catalogue says.
var spotCheck = []string{
	"Zum Inhalt springen", "Abmelden", "Zwischenspeichern", "Absenden", "Pflichtangabe", "Eingangsbestätigung",
	"nicht begonnen", "in Bearbeitung", "Anmeldung für die Verwaltung", "Passwort", "Zur Startseite",
	"Seite nicht gefunden", "Bitte beantworten Sie diese Frage", "Angaben brauchen Ihre Aufmerksamkeit",
	"Erhebungsrunde", "Zuletzt gespeichert", "noch keine", "Übersicht",
}

// requireEnglish checks an English page: <html lang="en"> and no German
// text of the interface. Questionnaire content (labels, help) is data and
// stays German, so only the catalogue's texts and the spot-check list
// count; German content that the page marks as such (lang="de": a legal
// text only in German, a chart and its table, which are German like the
// workbook) is left out.
func requireEnglish(t *testing.T, what, page string, also ...string) {
	t.Helper()
	if l := pageLang(page); l != "en" {
		t.Errorf("%s: <html lang=%q>, want en", what, l)
	}
	text := englishText(t, page)
	for _, de := range slices.Concat(germanUI(), spotCheck, also) {
		if strings.Contains(text, de) {
			t.Errorf("%s: English page contains German %q", what, de)
		}
	}
}

// englishText returns the text and attribute values of a page (alt,
// aria-label, title, value), without the elements marked lang="de".
func englishText(t *testing.T, page string) string {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "lang" && a.Val == "de" {
					return
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "alt", "aria-label", "title", "value", "placeholder":
					b.WriteString(a.Val + "\n")
				}
			}
		}
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data + "\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// TestLanguages: German by default, English by Accept-Language or by the
// switch, whose cookie beats the header; the public pages, the Kommune's
// form (empty, with errors, submitted) and the login in English carry no
// German text of the interface.
func TestLanguages(t *testing.T) {
	r := startRig(t)
	anon := newBrowser(t, r.base)
	for header, want := range map[string]string{
		"": "de", "de-DE,de;q=0.9,en;q=0.8": "de", "en-US,en;q=0.9": "en", "en-GB": "en",
		"fr-FR": "de", "fr-FR,en;q=0.5": "en", "de;q=0.4,en;q=0.6": "en", "en;q=0.2,de;q=0.9": "de",
	} {
		code, page := getWith(t, anon, r.login, header)
		if code != http.StatusOK || pageLang(page) != want {
			t.Errorf("Accept-Language %q: %d, lang %q, want %s", header, code, pageLang(page), want)
		}
	}
	_, de := getWith(t, anon, r.login, "")
	for _, s := range []string{"Anmeldung für die Verwaltung", "E-Mail-Adresse", "Passwort", `lang="en">English</button>`} {
		if !strings.Contains(de, s) {
			t.Errorf("German login lacks %q", s)
		}
	}
	_, en := getWith(t, anon, r.login, "en-US,en;q=0.9")
	requireEnglish(t, "login by Accept-Language", en)
	if !strings.Contains(en, "Staff login") || !strings.Contains(en, `lang="de">Deutsch</button>`) {
		t.Error("English login lacks its title or the switch to German")
	}

	// The switch: a cookie that beats Accept-Language, and back.
	b := newBrowser(t, r.base)
	switchLang(t, b, r.base, "en", "/anmelden")
	_, page := getWith(t, b, r.login, "de-DE")
	requireEnglish(t, "login after the switch", page)
	code, page, _ := b.post(r.login, url.Values{"email": {"niemand@example.org"}, "passwort": {"falschfalschfalsch"}})
	if code != http.StatusUnauthorized && code != http.StatusOK {
		t.Errorf("wrong login: %d", code)
	}
	requireEnglish(t, "login error", page)
	if !strings.Contains(page, "E-mail address or password is wrong.") {
		t.Error("English login error missing")
	}
	_, page = getWith(t, b, r.base+"/", "")
	requireEnglish(t, "start page", page)
	code, page = getWith(t, b, r.base+"/gibt-es-nicht", "")
	if code != http.StatusNotFound {
		t.Errorf("404 page: %d", code)
	}
	requireEnglish(t, "not found", page)
	switchLang(t, b, r.base, "de", "/anmelden")
	if _, page = getWith(t, b, r.login, "en-US"); pageLang(page) != "de" {
		t.Error("switching back to German did not stick")
	}
	// A bad language or a foreign return address.
	if code, _, _ := b.post(r.base+"/sprache", url.Values{"sprache": {"fr"}, "zurueck": {"/"}}); code != http.StatusBadRequest {
		t.Errorf("unknown language: %d, want 400", code)
	}
	code, _, h := b.post(r.base+"/sprache", url.Values{"sprache": {"en"}, "zurueck": {"//evil.example/x"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Errorf("foreign return address: %d to %q", code, h.Get("Location"))
	}

	// The Kommune's form in English: empty, refused with errors, submitted.
	k := newBrowser(t, r.base)
	switchLang(t, k, r.base, "en", "/")
	if code, _, _ := k.get(r.links["03241005"]); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	_, page = getWith(t, k, r.base+"/fragebogen", "")
	requireEnglish(t, "empty form", page)
	for _, s := range []string{"Save draft", "Submit", "not started", "Deadline"} {
		if !strings.Contains(page, s) {
			t.Errorf("English form lacks %q", s)
		}
	}
	// The questionnaire's own texts keep their language, marked as such.
	for _, s := range []string{`<h1 lang="de">Bedarfsabfrage Supervision`, `<h2 id="titel-ansprechperson" lang="de">Ansprechperson</h2>`, `<span lang="de">Name</span>`} {
		if !strings.Contains(page, s) {
			t.Errorf("English form does not mark the questionnaire's German text: lacks %q", s)
		}
	}
	rev := revisionOf(t, page)
	code, page, _ = k.post(r.base+"/fragebogen", url.Values{"revision": {rev}, "aktion": {"absenden"}, "q.betreute_gu": {"viele"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("submit with errors: %d", code)
	}
	requireEnglish(t, "form with errors", page, "Bitte eine ganze Zahl eingeben")
	for _, s := range []string{"Please answer this question.", "Please enter a whole number, e.g. 12.", "need your attention"} {
		if !strings.Contains(page, s) {
			t.Errorf("English form with errors lacks %q", s)
		}
	}
	answers := fullAnswers(revisionOf(t, page))
	answers.Set("aktion", "absenden")
	if code, _, _ = k.post(r.base+"/fragebogen", answers); code != http.StatusSeeOther {
		t.Fatalf("submit: %d", code)
	}
	_, page = getWith(t, k, r.base+"/fragebogen?eingereicht=1", "")
	requireEnglish(t, "submitted form", page)
	if !strings.Contains(page, "Acknowledgement of receipt") {
		t.Error("English receipt missing")
	}
}

// englishStaffPages are the staff pages converted to the catalogue, checked
// in English by TestEnglishStaffPages.
var englishStaffPages = []string{
	"/verwaltung", "/verwaltung/runden/1", "/verwaltung/runden/1/fragen", "/verwaltung/runden/1/fragen/belastung_faktoren",
	"/verwaltung/runden/1/fragen/supervision_themen", "/verwaltung/runden/1/fragen/fachkraefte_vzae?status=alle&art=Stadt",
	"/verwaltung/vergleich", "/verwaltung/rechtstexte", "/verwaltung/rechtstexte/datenschutz", "/verwaltung/runden/1/fragebogen-leer",
	"/verwaltung/runden/1/kommunen/03241001", "/verwaltung/runden/1/kommunen/03241008", "/verwaltung/runden/1/plan",
	"/verwaltung/protokoll", "/verwaltung/protokoll?von=gestern",
	"/verwaltung/runden", "/verwaltung/runden/neu", "/verwaltung/runden/1/verwalten", "/verwaltung/runden/1/kommunen/03241008/erfassen",
	"/verwaltung/runden/1/kommunen/03241008/einladung", "/verwaltung/benutzer", "/verwaltung/frageboegen", "/verwaltung/kommunen",
	"/verwaltung/runden/1/mail", "/verwaltung/runden/1/mail/vorschau?art=einladung",
	"/verwaltung/runden/1/mail/vorschau?art=erinnerung", "/verwaltung/kontakte", "/verwaltung/kontakte/03241001",
	"/verwaltung/runden/1/kontakte-aus-antworten", "/verwaltung/runden/1/kontakte-aus-antworten?frage=kontakt_email&neu=2&ersetzt=1&gleich=1&veraltet=1",
	"/verwaltung/runden/1/mail?gespeichert=1", "/verwaltung/runden/1/mail?eingereiht=3&art=einladung&links=1&uebersprungen=2",
	"/verwaltung/runden/1/angebote", "/verwaltung/runden/1/angebote/1", "/verwaltung/runden/1/angebote/14", "/verwaltung/anbieter",
	"/verwaltung/anbieter/1", "/verwaltung/runden/1/angebote?uebernommen=2",
	// The overview's Kommunen page by page, as a round of more than 100
	// shows them (here asked for in the address), filtered and found empty.
	"/verwaltung/runden/1?pro_seite=10&seite=2", "/verwaltung/runden/1?status=ausstehend&suche=e&pro_seite=10",
	"/verwaltung/runden/1?suche=gibt-es-nicht",
	// The plan's Kommunen page by page, likewise.
	"/verwaltung/runden/1/plan?pro_seite=10&seite=2", "/verwaltung/runden/1/plan?suche=e&pro_seite=10",
	"/verwaltung/runden/1/plan?suche=gibt-es-nicht",
}

// TestEnglishStaffPages: the staff pages in English carry no German text of
// the interface. Charts (images, their alternative text and data table)
// and plan texts come from analysis in German, like the workbook.
func TestEnglishStaffPages(t *testing.T) {
	r := startRig(t)
	admin := r.signIn(t, r.email, r.password)
	switchLang(t, admin, r.base, "en", "/verwaltung")
	for _, p := range englishStaffPages {
		code, page := getWith(t, admin, r.base+p, "")
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", p, code)
			continue
		}
		requireEnglish(t, p, page)
	}
}
