package main

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// TestKommuneHistoryInWords: the staff Kommune page lists each save with
// the question, the old and the new value in words (option labels, not
// codes; a long text shortened), who saved and when.
func TestKommuneHistoryInWords(t *testing.T) {
	r := startRig(t)
	ctx := context.Background()
	const ags = "03241005" // Garbsen: not begun in the demo
	if code, _ := r.kommuneSave(t, r.links[ags], "5"); code != http.StatusOK {
		t.Fatalf("Kommune save: %d", code)
	}
	round, err := r.st.Round(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := r.st.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	resp, ans, err := r.st.ResponseByKommune(ctx, 1, ags)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Sehr viele Fälle und wenig Zeit. ", 20) + "ENDE"
	form := qn.FormValues(ans)
	form["q.betreute_gu"] = []string{"7"}
	form["q.anstellungstraeger"] = []string{"traeger"}
	form["q.supervision_vorhanden"] = []string{"ja"}
	form["q.supervision_vorhanden_format"] = []string{"gruppe", "team"}
	form["q.belastung_anmerkungen"] = []string{long}
	res := qn.Check(form, survey.Draft)
	if _, err := r.st.SaveResponse(ctx, store.Save{ResponseID: resp.ID, BaseRevision: resp.Revision, Answers: res.Answers,
		Questionnaire: qn, ByStaff: true, Actor: survey.Actor{Kind: "staff", ID: 1, Label: "Erika Muster"}}); err != nil {
		t.Fatal(err)
	}

	b := loginAdmin(t, r.demo)
	tags := regexp.MustCompile(`<[^>]+>`)
	space := regexp.MustCompile(`\s+`)
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"de", []string{
			"2. Speicherung", "von der Verwaltung (Erika Muster)", "1. Speicherung", "von der Kommune",
			"Betreute Geflüchtete in kommunalen Unterkünften 5 7", "Betreute Geflüchtete in kommunalen Unterkünften (leer) 5",
			"Bei wem sind die Fachkräfte angestellt? (leer) bei einem freien Träger",
			"In welcher Form? (leer) Gruppensupervision, Teamsupervision",
			"Was belastet die Fachkräfte besonders? (leer) Sehr viele Fälle",
		}},
		{"en", []string{"Save 2", "by the administration (Erika Muster)", "Save 1", "by the municipality", "Before", "After"}},
	} {
		code, page := getWith(t, b, r.base+"/verwaltung/runden/1/kommunen/"+ags, tc.lang)
		if code != http.StatusOK {
			t.Fatalf("%s: Kommune page %d", tc.lang, code)
		}
		i := strings.Index(page, `id="aenderungen"`)
		j := strings.Index(page, `id="verlauf"`)
		if i < 0 || j < i {
			t.Fatalf("%s: no history section", tc.lang)
		}
		section := page[i:j]
		text := space.ReplaceAllString(html.UnescapeString(tags.ReplaceAllString(section, " ")), " ")
		for _, w := range tc.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: history lacks %q:\n%s", tc.lang, w, text)
			}
		}
		for _, code := range []string{"traeger", ">gruppe", "team,", "anstellungstraeger"} {
			if strings.Contains(section, code) {
				t.Errorf("%s: history shows the code %q", tc.lang, code)
			}
		}
		// The long text is shortened in the table, whole in the disclosure.
		if strings.Count(section, "ENDE") != 1 || !strings.Contains(section, "<details>") {
			t.Errorf("%s: long text not shortened with a disclosure", tc.lang)
		}
	}
}

// TestPlanIssuesNameOnce: the plan page's warnings name each Kommune once
// ("Gehrden: 3 Personen …", never "Gehrden: Gehrden: 3 Personen …"), and
// region-wide notes stand without a name.
func TestPlanIssuesNameOnce(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	code, page, _ := b.get(d.base + "/verwaltung/runden/1/plan")
	if code != http.StatusOK {
		t.Fatalf("plan: %d", code)
	}
	i := strings.Index(page, `<ul class="issues">`)
	if i < 0 {
		t.Fatal("the demo plan has no warnings to check")
	}
	list := page[i : i+strings.Index(page[i:], "</ul>")]
	text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(list, ""))
	named := regexp.MustCompile(`<li><strong dir="auto">([^<]+)</strong>: <span lang="de">([^<]*)</span>`).FindAllStringSubmatch(list, -1)
	if len(named) == 0 {
		t.Fatalf("no warning names a Kommune:\n%s", text)
	}
	for _, m := range named {
		if strings.HasPrefix(m[2], m[1]+":") {
			t.Errorf("name repeated: %s: %s", m[1], m[2])
		}
	}
	if strings.Contains(list, "<li>: ") || strings.Contains(list, "<strong dir=\"auto\"></strong>") {
		t.Error("a region-wide note starts with an empty name")
	}
}

// TestHistoryViewsErasedAndEmpty: values the retention command erased are
// said to be erased, not shown as empty; a save without recorded changes
// lists none; a multiple-choice question is one row, its options by label.
func TestHistoryViewsErasedAndEmpty(t *testing.T) {
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	mc := survey.Key{Question: "supervision_vorhanden_format"}
	revs := []store.Revision{
		{Number: 3, ActorKind: "kommune", SavedBy: "Kommune Garbsen"},
		{Number: 2, ActorKind: "staff", SavedBy: "Erika Muster",
			Changed: []survey.Key{{Question: "kontakt_email"}, {Question: mc.Question, Item: "gruppe"}, {Question: mc.Question, Item: "team"}},
			Erased:  map[survey.Key]bool{{Question: "kontakt_email"}: true},
			Before:  survey.Answers{{Question: mc.Question, Item: "team"}: {Raw: "team"}},
			After:   survey.Answers{{Question: mc.Question, Item: "gruppe"}: {Raw: "gruppe"}}},
	}
	views, more := web.HistoryViews(i18n.DE, qn, revs)
	if more != 0 || len(views) != 2 {
		t.Fatalf("views = %d, more = %d", len(views), more)
	}
	if len(views[0].Changes) != 0 || views[0].Who != "von der Kommune" {
		t.Errorf("save 3: %+v", views[0])
	}
	ch := views[1].Changes
	if len(ch) != 2 {
		t.Fatalf("save 2: %d rows, want 2 (the e-mail and the multiple choice as one)", len(ch))
	}
	if !ch[0].Erased || ch[0].Old.Full != "" {
		t.Errorf("erased e-mail: %+v", ch[0])
	}
	if ch[1].Erased || ch[1].Old.Full != "Teamsupervision" || ch[1].New.Full != "Gruppensupervision" {
		t.Errorf("multiple choice: %+v", ch[1])
	}
	if views[1].Who != "von der Verwaltung (Erika Muster)" {
		t.Errorf("who: %q", views[1].Who)
	}
}
