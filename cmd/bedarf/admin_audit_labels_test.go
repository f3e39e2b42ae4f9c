package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/i18n"
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
			if a != "mail." { // "mail." + the final status, below
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
	for _, a := range []string{"round.open", "round.close", "user.disable", "user.enable", "response.save", "response.submit", "login", "login.failed"} {
		actions[a] = true
	}
	for a := range actions {
		for _, l := range []i18n.Lang{i18n.DE, i18n.EN} {
			if got := actionLabel(l, a); got == a {
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
