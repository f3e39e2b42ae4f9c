package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// TestAuditActionsLabelled: every action the store writes into the audit
// log has a name on the audit page, in both locales, instead of its code.
func TestAuditActionsLabelled(t *testing.T) {
	literal := regexp.MustCompile(`audit\(ctx, tx, [^,]+, "([a-z_.]+)"|requeue\(ctx, [^"]+"([a-z_.]+)"`)
	files, err := filepath.Glob(filepath.Join("..", "..", "survey", "store", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			a := m[1] + m[2]
			if a != "mail." && a != "offermail." { // prefix + the final status, below
				actions[a] = true
			}
		}
	}
	if len(actions) < 25 {
		t.Fatalf("only %d audit actions found: has the scan stopped working?", len(actions))
	}
	// Actions made of a prefix and a value.
	for _, st := range []store.MailStatus{store.MailSent, store.MailFailed} {
		actions["mail."+string(st)] = true
	}
	for _, st := range []store.MailStatus{store.MailSent, store.MailFailed, store.MailUnclear} {
		actions["offermail."+string(st)] = true
	}
	for _, a := range []string{"round.open", "round.close", "user.disable", "user.enable", "response.save", "response.submit", "login", "login.failed"} {
		actions[a] = true
	}
	// Actions the store writes outside the audit(ctx, tx, …) form.
	for _, a := range []string{"feedback.mail", "mail.test", "export.letters"} {
		actions[a] = true
	}
	for a := range actions {
		for _, l := range []i18n.Lang{i18n.DE, i18n.EN} {
			// Neither the code nor the fallback of actions this version
			// does not know (a group's name, or "other change").
			fallback := map[string]bool{a: true, l.T("audit.action.misc"): true}
			for _, g := range web.ActionLabels {
				if strings.HasSuffix(g.Action, ".") {
					fallback[l.T(g.Label)] = true
				}
			}
			if got := web.ActionLabel(l, a); fallback[got] {
				t.Errorf("audit action %q has no name on the audit page (%s)", a, l.Code())
			}
		}
	}
}

// actionCode is an audit action's code ("scenario.decisive", "export.missing")
// or a field name of the planning parameters, as the page once showed them.
var actionCode = regexp.MustCompile(`\b(login|round|response|link|export|scenario|questionnaire|user|legal|mail|contact|kommunen|boundaries|retention|database)\.[a-z]+\b|(Planungsszenario|Planning scenario|Download): [a-z]|\{"|GroupMin|FeePerHour|SessionsPerYear`)

// TestAuditPageWords: after planning and downloads, the audit log names
// every action and its details in words, German and English, with no
// action code and no parameters as JSON.
func TestAuditPageWords(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	plan := d.base + "/verwaltung/runden/1/plan"
	if code, _, _ := b.post(plan+"/szenarien/1", planForm(map[string]string{"FeePerHour": "150", "PoolOnline": ""})); code != http.StatusSeeOther {
		t.Fatalf("save scenario: %d", code)
	}
	code, _, h := b.post(plan+"/szenarien", url.Values{"name": {"Zweites"}, "von": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create scenario: %d", code)
	}
	id := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(h.Get("Location"))[1]
	b.post(plan+"/szenarien/"+id+"/massgeblich", nil)
	for _, p := range []string{"auswertung.xlsx", "antworten.csv", "ausstehend.csv"} {
		if code, _, _ := b.get(d.base + "/verwaltung/runden/1/" + p); code != http.StatusOK {
			t.Fatalf("download %s: %d", p, code)
		}
	}
	tags := regexp.MustCompile(`(?s)<select.*?</select>|<[^>]+>`)
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"de", []string{"Planungsszenario geändert", "Honorar pro Stunde (netto) 150\u00a0€", "Online-Teilnehmende regionsweit zusammenfassen nein",
			"Planungsszenario als maßgeblich festgelegt", "Liste der ausstehenden Kommunen heruntergeladen", "Arbeitsmappe der Auswertung heruntergeladen"}},
		{"en", []string{"Planning scenario changed", "Fee per hour (net) 150\u00a0€", "Planning scenario made the decisive one", "List of outstanding municipalities downloaded"}},
	} {
		code, page := getWith(t, b, d.base+"/verwaltung/protokoll", tc.lang)
		if code != http.StatusOK {
			t.Fatalf("%s: audit log %d", tc.lang, code)
		}
		text := tags.ReplaceAllString(page, " ")
		if m := actionCode.FindAllString(text, -1); len(m) > 0 {
			t.Errorf("%s: audit log shows codes %q", tc.lang, m)
		}
		for _, w := range tc.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: audit log lacks %q", tc.lang, w)
			}
		}
	}
}

// TestSaveDetailInWords: a save that changes one answer is logged as
// "1 Angabe", with no "Revision".
func TestSaveDetailInWords(t *testing.T) {
	r := startRig(t)
	const ags = "03241005" // Garbsen: not begun in the demo
	if code, _ := r.kommuneSave(t, r.links[ags], "5"); code != http.StatusOK {
		t.Fatalf("save: %d", code)
	}
	b := loginAdmin(t, r.demo)
	_, page, _ := b.get(r.base + "/verwaltung/protokoll?was=response.")
	if !strings.Contains(page, "1. Speicherung, 1 Angabe geändert") {
		t.Error(`audit log lacks "1. Speicherung, 1 Angabe geändert"`)
	}
	if strings.Contains(page, "Revision") || strings.Contains(page, "1 Angaben") {
		t.Error("audit log still says Revision or 1 Angaben")
	}
}

// TestAuditOldAndNewDetailsInWords: a database with every action kind,
// its details in the current form and in the forms older versions stored
// (English role and status codes, "Revision", scenario parameters as JSON
// with Go field names, with and without the scenario's name), shows on the
// audit page, German and English, no action code, no JSON and no English
// code or parameter name; the details put in words read in the page's
// language.
func TestAuditOldAndNewDetailsInWords(t *testing.T) {
	r := startRig(t)
	ctx := context.Background()
	actor := survey.Actor{Kind: "staff", ID: 1, Label: "Prüferin Alt"}
	detail := map[string][]string{
		"response.save":     {"Revision 2, 1 Angaben geändert", "Revision 3, 4 Angaben geändert, im Auftrag der Kommune erfasst", "2. Speicherung, 1 Angabe geändert"},
		"response.submit":   {"Revision 5, 0 Angaben geändert", "6. Speicherung, 2 Angaben geändert, im Auftrag der Kommune erfasst"},
		"user.add":          {"neu@bedarf.example (viewer)", "chef@bedarf.example (admin)"},
		"user.role":         {"neu@bedarf.example: viewer → admin", "chef@bedarf.example: admin → viewer"},
		"mail.test":         {"an chef@bedarf.example: sent", "an chef@bedarf.example: failed"},
		"scenario.update":   {`Standard: {"GroupMin":4,"GroupMax":8,"FeePerHour":150,"PoolOnline":false}`, `{"GroupMin":6,"SessionsPerYear":12}`, `Kaputt: {"GroupMin":`},
		"round.open":        {"Entwurf → offen"},
		"response.reopen":   {"eingereicht → in Bearbeitung"},
		"kommunen.import":   {"21 Kommunen: 0 neu, 1 geändert, 20 unverändert, 0 nicht in der Datei"},
		"export.workbook":   {"auswertung.xlsx"},
		"retention.audit":   {"Änderungsprotokoll: 3 Einträge vor dem 01.01.2026 gelöscht (Aufbewahrungsfrist abgelaufen)"},
		"boundaries.delete": {""},
	}
	n := 0
	for _, a := range web.ActionLabels {
		if strings.HasSuffix(a.Action, ".") {
			continue
		}
		ds, ok := detail[a.Action]
		if !ok {
			ds = []string{""}
		}
		for _, d := range ds {
			if err := r.st.Audit(ctx, actor, a.Action, 1, 0, d); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	b := loginAdmin(t, r.demo)
	var params []string
	for _, f := range web.ParamFields() {
		params = append(params, f.Name)
	}
	english := regexp.MustCompile(`\b(admin|viewer|sent|failed|Revision|` + strings.Join(params, "|") + `)\b|[{}]|"[A-Za-z]+":`)
	cells := regexp.MustCompile(`(?s)<tbody>.*?</tbody>`)
	tags := regexp.MustCompile(`<[^>]+>`)
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"de", []string{"2. Speicherung, 1 Angabe geändert", "3. Speicherung, 4 Angaben geändert, im Auftrag der Kommune erfasst",
			"neu@bedarf.example (Lesezugang)", "chef@bedarf.example: Administration → Lesezugang", "an chef@bedarf.example: gesendet",
			"Standard: Gruppengröße", "Honorar pro Stunde (netto) 150\u00a0€", "Szenario: ", "Kaputt: Parameter geändert (gespeicherte Angaben nicht lesbar)"}},
		{"en", []string{"Save 2, 1 answer changed", "Save 3, 4 answers changed, entered on the municipality's behalf",
			"neu@bedarf.example (Read-only access)", "chef@bedarf.example: Administrator → Read-only access", "to chef@bedarf.example: sent",
			"Fee per hour (net) 150\u00a0€", "Kaputt: parameters changed (stored details unreadable)"}},
	} {
		var text strings.Builder
		next, seen := "/verwaltung/protokoll?wer="+url.QueryEscape(actor.Label), 0
		for next != "" {
			code, page := getWith(t, b, r.base+html.UnescapeString(next), tc.lang)
			if code != http.StatusOK {
				t.Fatalf("%s: audit log %d", tc.lang, code)
			}
			body := cells.FindString(page)
			seen += strings.Count(body, "<tr")
			text.WriteString(html.UnescapeString(tags.ReplaceAllString(body, " ")))
			next = ""
			if m := regexp.MustCompile(`href="(/verwaltung/protokoll\?[^"]*vor=[^"]*)"`).FindStringSubmatch(page); m != nil {
				next = m[1]
			}
		}
		if seen != n {
			t.Fatalf("%s: %d entries on the pages, want %d", tc.lang, seen, n)
		}
		all := text.String()
		if m := actionCode.FindAllString(all, -1); len(m) > 0 {
			t.Errorf("%s: audit log shows codes %q", tc.lang, m)
		}
		if tc.lang == "de" {
			if m := english.FindAllString(all, -1); len(m) > 0 {
				t.Errorf("de: audit log shows English codes or JSON %q", m)
			}
		} else if strings.ContainsAny(all, "{}") {
			t.Error("en: audit log shows JSON")
		}
		for _, w := range tc.wants {
			if !strings.Contains(all, w) {
				t.Errorf("%s: audit log lacks %q", tc.lang, w)
			}
		}
	}
}
