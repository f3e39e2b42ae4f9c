package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The expected values in these tests are computed from the answers as the
// store holds them (EachAnswers, one response at a time), not from the SQL
// aggregates the pages use.

// resResponse is one response of a round with its Kommune and answers.
type resResponse struct {
	Name, AGS, Kind string
	Status          survey.ResponseStatus
	Answers         survey.Answers
}

// resOpen opens the demo's database beside the running demo.
func resOpen(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func resLoad(t *testing.T, st *store.Store, roundID int64) []resResponse {
	t.Helper()
	var out []resResponse
	err := st.EachAnswers(context.Background(), roundID, func(r survey.Response, a survey.Answers) error {
		out = append(out, resResponse{Name: r.Kommune.Name, AGS: r.Kommune.AGS, Kind: r.Kommune.Kind, Status: r.Status, Answers: a})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// resSelect returns the responses of a basis: kind "" for all, no statuses
// for submitted only.
func resSelect(rs []resResponse, kind string, statuses ...survey.ResponseStatus) []resResponse {
	if len(statuses) == 0 {
		statuses = []survey.ResponseStatus{survey.StatusSubmitted}
	}
	var out []resResponse
	for _, r := range rs {
		if (kind == "" || r.Kind == kind) && slices.Contains(statuses, r.Status) {
			out = append(out, r)
		}
	}
	return out
}

// resStats is the statistics row of a number question as the page prints it.
func resStats(rs []resResponse, qid, item string) (n int, cells string) {
	var vals []float64
	for _, r := range rs {
		if v, ok := r.Answers[survey.Key{Question: qid, Item: item}]; ok && v.Valid() && v.HasNum {
			vals = append(vals, v.Num)
		}
	}
	n = len(vals)
	cell := func(s string) string { return `<td class="n">` + s + `</td>` }
	cells = cell(strconv.Itoa(n)) + cell(strconv.Itoa(len(rs)-n))
	if n == 0 {
		return n, cells
	}
	slices.Sort(vals)
	median := vals[n/2]
	if n%2 == 0 {
		median = (vals[n/2-1] + vals[n/2]) / 2
	}
	var sum float64
	for _, v := range vals {
		sum += v
	}
	for _, v := range []float64{sum, sum / float64(n), median, vals[0], vals[n-1]} {
		cells += cell(analysis.FormatNumberDE(v))
	}
	return n, cells
}

// resViewer adds a reader account with the command line and signs it in.
func resViewer(t *testing.T, d *demo) *browser {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--db", d.db, "--email", "leserin@bedarf.example", "--name", "Rita Reader", "--role", "viewer"},
		strings.NewReader("ein-langes-passwort\n"), &out, io.Discard)
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	b := newBrowser(t, d.base)
	if code, _, _ := b.post(d.login, url.Values{"email": {"leserin@bedarf.example"}, "passwort": {"ein-langes-passwort"}}); code != http.StatusSeeOther {
		t.Fatalf("viewer login: %d", code)
	}
	return b
}

func mustGet(t *testing.T, b *browser, u string) string {
	t.Helper()
	code, page, _ := b.get(u)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200", u, code)
	}
	return page
}

func TestQuestionPages(t *testing.T) {
	d := startDemo(t, "")
	st := resOpen(t, d.db)
	ctx := context.Background()
	round, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	all := resLoad(t, st, round.ID)
	admin := loginAdmin(t, d)
	viewer := resViewer(t, d)
	base := fmt.Sprintf("%s/verwaltung/runden/%d/fragen", d.base, round.ID)
	submitted := resSelect(all, "")
	if len(submitted) == 0 || len(resSelect(all, "", survey.StatusDraft)) == 0 {
		t.Fatal("the demo needs submitted answers and drafts")
	}

	t.Run("list", func(t *testing.T) {
		for _, b := range []*browser{admin, viewer} {
			page := mustGet(t, b, base)
			if !strings.Contains(page, fmt.Sprintf("Grundlage: %d eingereichte Antworten.", len(submitted))) {
				t.Error("the list does not name its basis")
			}
			for _, q := range qn.Questions() {
				if q.Type == survey.Note {
					continue
				}
				n := 0
				for _, r := range submitted {
					for k, v := range r.Answers {
						if k.Question == q.ID && v.Valid() {
							n++
							break
						}
					}
				}
				row := fmt.Sprintf(`<a href="/verwaltung/runden/%d/fragen/%s">%s</a> <span class="muted type">(%s)</span></th><td class="n">%d</td><td class="n">%d</td>`,
					round.ID, q.ID, q.Label, q.Type.Label(), n, len(submitted)-n)
				if !strings.Contains(page, row) {
					t.Errorf("list row for %s: want n = %d, missing = %d", q.ID, n, len(submitted)-n)
				}
			}
		}
		page := mustGet(t, admin, base+"?art=Gemeinde&status=alle")
		gem := resSelect(all, "Gemeinde", survey.StatusSubmitted, survey.StatusDraft, survey.StatusReturned)
		if !strings.Contains(page, fmt.Sprintf("Grundlage: %d eingereichte und noch offene Antworten (in Bearbeitung oder zurückgegeben) von Kommunen der Art „Gemeinde“.", len(gem))) {
			t.Error("the filtered list does not name its basis")
		}
		if !strings.Contains(page, `href="/verwaltung/runden/1/fragen/betreute_gu?art=Gemeinde&amp;status=alle"`) {
			t.Error("links from the filtered list lose the filter")
		}
	})

	t.Run("numbers with filters", func(t *testing.T) {
		q := qn.Question("betreute_gu")
		for _, tc := range []struct {
			query    string
			kind     string
			statuses []survey.ResponseStatus
		}{
			{"", "", nil},
			{"?art=Stadt", "Stadt", nil},
			{"?art=Gemeinde", "Gemeinde", nil},
			{"?status=alle", "", []survey.ResponseStatus{survey.StatusSubmitted, survey.StatusDraft, survey.StatusReturned}},
			{"?status=in-bearbeitung&art=Stadt", "Stadt", []survey.ResponseStatus{survey.StatusDraft}},
		} {
			t.Run(tc.query, func(t *testing.T) {
				rs := resSelect(all, tc.kind, tc.statuses...)
				n, cells := resStats(rs, q.ID, "")
				page := mustGet(t, viewer, base+"/betreute_gu"+tc.query)
				if !strings.Contains(page, `<th scope="row">`+q.Label+`</th>`+cells) {
					t.Errorf("statistics row: want %s", cells)
				}
				if !strings.Contains(page, fmt.Sprintf("<dt>beantwortet (n)</dt><dd>%d</dd>", n)) ||
					!strings.Contains(page, fmt.Sprintf("<dt>Kommunen in der Grundlage</dt><dd>%d</dd>", len(rs))) {
					t.Errorf("overview: want n = %d of %d", n, len(rs))
				}
				// Up to 60 answers the chart table lists every Kommune with its value.
				for _, r := range rs {
					if v, ok := r.Answers[survey.Key{Question: q.ID}]; ok && v.Valid() {
						if !strings.Contains(page, `<th scope="row">`+r.Name+`</th><td class="n">`+analysis.FormatNumberDE(v.Num)+`</td>`) {
							t.Errorf("chart table lacks %s = %v", r.Name, v.Num)
						}
					}
				}
				for _, r := range all {
					if !slices.ContainsFunc(rs, func(x resResponse) bool { return x.Name == r.Name }) && strings.Contains(page, `<th scope="row">`+r.Name+`</th>`) {
						t.Errorf("%s (%s, %s) is outside the basis but listed", r.Name, r.Kind, r.Status)
					}
				}
			})
		}
	})

	t.Run("per-item numbers", func(t *testing.T) {
		q := qn.Question("fortbildung_teilnehmende")
		page := mustGet(t, admin, base+"/"+q.ID)
		for _, it := range q.Items {
			_, cells := resStats(submitted, q.ID, it.Value)
			if !strings.Contains(page, `<th scope="row">`+it.Label+`</th>`+cells) {
				t.Errorf("item %s: want %s", it.Value, cells)
			}
		}
	})

	t.Run("choices", func(t *testing.T) {
		for _, qid := range []string{"supervision_format", "belastung_gesamt", "supervision_vorhanden", "supervision_vorhanden_format"} {
			q := qn.Question(qid)
			counts, answered := map[string]int{}, 0
			for _, r := range submitted {
				got := false
				for k, v := range r.Answers {
					if k.Question == qid && v.Valid() {
						counts[v.Text]++
						got = true
					}
				}
				if got {
					answered++
				}
			}
			page := mustGet(t, admin, base+"/"+qid)
			for _, o := range analysis.Options(q) {
				row := fmt.Sprintf(`<th scope="row">%s</th><td class="n">%d</td><td class="n">%s</td>`, o.Label, counts[o.Value],
					analysis.FormatPercentDE(float64(counts[o.Value])/float64(answered)))
				if !strings.Contains(page, row) {
					t.Errorf("%s: want row %s", qid, row)
				}
			}
			if q.Type == survey.MultipleChoice && !strings.Contains(page, "Mehrfachnennungen") {
				t.Errorf("%s: no note on multiple answers", qid)
			}
		}
	})

	t.Run("matrix", func(t *testing.T) {
		q := qn.Question("belastung_faktoren")
		page := mustGet(t, admin, base+"/"+q.ID)
		for _, row := range q.Items {
			cells := `<th scope="row">` + row.Label + `</th>`
			sum := 0
			for _, lv := range q.Choices {
				n := 0
				for _, r := range submitted {
					if v, ok := r.Answers[survey.Key{Question: q.ID, Item: row.Value}]; ok && v.Valid() && v.Text == lv.Value {
						n++
					}
				}
				sum += n
				cells += `<td class="n">` + strconv.Itoa(n) + `</td>`
			}
			cells += `<td class="n">` + strconv.Itoa(sum) + `</td>`
			if !strings.Contains(page, cells) {
				t.Errorf("matrix row %s: want %s", row.Value, cells)
			}
		}
	})

	t.Run("free text", func(t *testing.T) {
		for _, tc := range []struct {
			query    string
			statuses []survey.ResponseStatus
		}{{"", nil}, {"?status=in-bearbeitung", []survey.ResponseStatus{survey.StatusDraft}}} {
			page := mustGet(t, viewer, base+"/kontakt_name"+tc.query)
			if strings.Contains(page, "/diagramm.svg") {
				t.Error("a free-text question shows a chart")
			}
			rs := resSelect(all, "", tc.statuses...)
			for _, r := range all {
				v := r.Answers[survey.Key{Question: "kontakt_name"}]
				item := `<li><strong dir="auto">` + r.Name + `</strong><blockquote dir="auto">` + v.Text + "</blockquote></li>"
				in := slices.ContainsFunc(rs, func(x resResponse) bool { return x.Name == r.Name })
				if in && v.Text != "" && !strings.Contains(page, item) {
					t.Errorf("%s: answer of %s missing", tc.query, r.Name)
				}
				if !in && v.Text != "" && strings.Contains(page, item) {
					t.Errorf("%s: answer of %s (%s) shown outside the basis", tc.query, r.Name, r.Status)
				}
			}
		}
	})

	t.Run("charts", func(t *testing.T) {
		for _, qid := range []string{"betreute_gu", "supervision_format", "belastung_faktoren", "fortbildung_teilnehmende", "supervision_zeiten"} {
			page := mustGet(t, viewer, base+"/"+qid+"?art=Stadt")
			src := regexp.MustCompile(`<img src="([^"]+)"[^>]* alt="([^"]+)"`).FindStringSubmatch(page)
			if src == nil || !strings.Contains(src[1], "diagramm.svg?art=Stadt") || len(src[2]) < 20 {
				t.Fatalf("%s: no chart image with the filter and a text alternative: %v", qid, src)
			}
			code, svg, h := viewer.get(d.base + strings.ReplaceAll(src[1], "&amp;", "&"))
			if code != http.StatusOK || h.Get("Content-Type") != "image/svg+xml" || h.Get("Cache-Control") != "no-store" || !strings.Contains(svg, "<svg") {
				t.Errorf("%s SVG: %d %q %q", qid, code, h.Get("Content-Type"), h.Get("Cache-Control"))
			}
			if !strings.Contains(svg, "Kommunen der Art „Stadt“") {
				t.Errorf("%s SVG does not name its basis", qid)
			}
			code, png, h := viewer.get(base + "/" + qid + "/diagramm.png")
			if code != http.StatusOK || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") ||
				!strings.Contains(h.Get("Content-Disposition"), "attachment") || !strings.Contains(h.Get("Content-Disposition"), qid+".png") {
				t.Errorf("%s PNG: %d %q %q", qid, code, h.Get("Content-Type"), h.Get("Content-Disposition"))
			}
		}
		if code, _, _ := viewer.get(base + "/kontakt_name/diagramm.svg"); code != http.StatusNotFound {
			t.Errorf("chart of a free-text question: %d, want 404", code)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			path string
			want int
		}{
			{"/betreute_gu?status=alles", http.StatusBadRequest},
			{"/betreute_gu?art=Dorf", http.StatusBadRequest},
			{"?art=Dorf", http.StatusBadRequest},
			{"/gibt_es_nicht", http.StatusNotFound},
			{"/gibt_es_nicht/diagramm.png", http.StatusNotFound},
		} {
			if code, page, _ := viewer.get(base + tc.path); code != tc.want || !strings.Contains(page, "<html lang=\"de\">") {
				t.Errorf("%s: got %d, want %d with a German page", tc.path, code, tc.want)
			}
		}
		if code, _, _ := viewer.get(d.base + "/verwaltung/runden/99/fragen"); code != http.StatusNotFound {
			t.Errorf("unknown round: %d, want 404", code)
		}
		anon := newBrowser(t, d.base)
		if code, _, _ := anon.get(base + "/betreute_gu/diagramm.svg"); code != http.StatusSeeOther {
			t.Errorf("chart without login: %d, want 303 to the login", code)
		}
	})
}

func TestDashboardOverview(t *testing.T) {
	d := startDemo(t, "")
	st := resOpen(t, d.db)
	ctx := context.Background()
	round, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, _ := st.Questionnaire(ctx, round.QuestionnaireID)
	all := resLoad(t, st, round.ID)
	submitted := resSelect(all, "")
	admin := loginAdmin(t, d)
	viewer := resViewer(t, d)
	page := mustGet(t, viewer, d.base+"/verwaltung")

	t.Run("progress", func(t *testing.T) {
		if !strings.Contains(page, fmt.Sprintf("<strong>%d von %d</strong> Kommunen haben eingereicht", len(submitted), len(all))) {
			t.Errorf("progress line: want %d of %d", len(submitted), len(all))
		}
		if !strings.Contains(page, fmt.Sprintf(`<progress max="%d" value="%d"`, len(all), len(submitted))) {
			t.Error("no progress bar for the submissions")
		}
		for _, s := range []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusReturned, survey.StatusSubmitted} {
			n := len(resSelect(all, "", s))
			if !strings.Contains(page, fmt.Sprintf(`<span class="status status-%s">%s</span> <span><strong>%d</strong> von %d</span>`, s, s.Label(), n, len(all))) {
				t.Errorf("count of %s: want %d", s, n)
			}
		}
		left := round.DaysLeft(time.Now())
		if !strings.Contains(page, fmt.Sprintf("noch <strong>%d Tage</strong>", left)) {
			t.Errorf("days until the deadline: want %d", left)
		}
	})

	t.Run("missing", func(t *testing.T) {
		i, j := strings.Index(page, "Noch nicht eingereicht ("), strings.Index(page, "Eingereicht (")
		if i < 0 || j < i {
			t.Fatal("no group of missing Kommunen before the submitted ones")
		}
		missing := page[i:j]
		if !strings.HasPrefix(missing, fmt.Sprintf("Noch nicht eingereicht (%d)", len(all)-len(submitted))) {
			t.Errorf("missing count: want %d", len(all)-len(submitted))
		}
		for _, r := range all {
			row := ">" + r.Name + "</a></th>"
			if in := strings.Contains(missing, row); in != (r.Status != survey.StatusSubmitted) {
				t.Errorf("%s (%s): in the missing group = %v", r.Name, r.Status, in)
			}
		}
		if !strings.Contains(missing, "noch keine") || !regexp.MustCompile(`in Bearbeitung</span></td>\s*<td>\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr</td>\s*<td dir="auto">Demo `).MatchString(missing) {
			t.Error("last activity of the missing Kommunen not shown")
		}
	})

	t.Run("key figures follow the decisive scenario", func(t *testing.T) {
		persons, participants := 0, map[string]int{}
		for _, r := range submitted {
			if v, ok := r.Answers[survey.Key{Question: "supervision_gruppe_personen"}]; ok && v.Valid() {
				persons += int(v.Num)
			}
			for k, v := range r.Answers {
				if k.Question == "fortbildung_teilnehmende" && v.Valid() {
					participants[k.Item] += int(v.Num)
				}
			}
		}
		days := 0
		for _, n := range participants {
			days += (n + analysis.DefaultParams().TrainingMaxPerDay - 1) / analysis.DefaultParams().TrainingMaxPerDay
		}
		if !strings.Contains(page, fmt.Sprintf("<dt>Personen mit Wunsch nach Gruppensupervision</dt><dd>%d", persons)) {
			t.Errorf("persons: want %d", persons)
		}
		if !strings.Contains(page, fmt.Sprintf("<dt>Fortbildungstage</dt><dd>%d<", days)) {
			t.Errorf("training days: want %d", days)
		}
		plan := func(p analysis.Params) analysis.Plan {
			inputs, err := analysis.CollectInputs(qn, func(fn func(survey.Kommune, survey.Answers) error) error {
				return st.PlanningAnswers(ctx, round.ID, analysis.PlanningQuestionIDs(qn), fn)
			})
			if err != nil {
				t.Fatal(err)
			}
			return analysis.Compute(inputs, analysis.Modules(qn), p)
		}
		eur := func(f float64) string { return survey.FormatFixedDE(analysis.RoundCents(f), 2) + "\u00a0€" }
		check := func(page string, pl analysis.Plan, scenario string) {
			t.Helper()
			tt := pl.Totals
			for _, want := range []string{
				fmt.Sprintf("<dt>Geplante Supervisionsgruppen</dt><dd>%d<", tt.Groups),
				fmt.Sprintf("<dt>Gesamtkosten pro Jahr</dt><dd>%s\u00a0€<", analysis.FormatDecimalDE(math.Round(tt.SupervisionGross+tt.TrainingCost+tt.GapCost), 0)),
				fmt.Sprintf(`<th scope="row">Gesamtkosten</th><td class="n"><strong>%s</strong>`, eur(tt.SupervisionGross+tt.TrainingCost+tt.GapCost)),
				fmt.Sprintf("<dt>Personallücke</dt><dd>%s VZÄ<", survey.FormatFixedDE(tt.GapFTE, 1)),
				fmt.Sprintf(`<th scope="row">Supervision (Honorare und Fahrtkosten, brutto)</th><td class="n">%s</td>`, eur(tt.SupervisionGross)),
				"Planungsszenario „" + scenario + "“",
			} {
				if !strings.Contains(page, want) {
					t.Errorf("key figures lack %q", want)
				}
			}
		}
		check(page, plan(analysis.DefaultParams()), "Standard")

		// A second scenario with small groups, marked decisive: the overview follows it.
		planURL := fmt.Sprintf("%s/verwaltung/runden/%d/plan", d.base, round.ID)
		code, _, h := admin.post(planURL+"/szenarien", url.Values{"name": {"Kleine Gruppen"}, "von": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create scenario: %d", code)
		}
		id := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(h.Get("Location"))[1]
		small := analysis.DefaultParams()
		small.GroupMin, small.GroupMax = 2, 3
		form := url.Values{"name": {"Kleine Gruppen"}, "GroupMin": {"2"}, "GroupMax": {"3"}}
		for _, f := range web.ParamFields() {
			if form.Get(f.Name) == "" && !f.Bool {
				form.Set(f.Name, f.FormValue(small))
			}
			if f.Bool && small.PoolOnline {
				form.Set(f.Name, "1")
			}
		}
		if code, _, _ := admin.post(planURL+"/szenarien/"+id, form); code != http.StatusSeeOther {
			t.Fatalf("save scenario: %d", code)
		}
		if code, _, _ := admin.post(planURL+"/szenarien/"+id+"/massgeblich", nil); code != http.StatusSeeOther {
			t.Fatalf("mark decisive: %d", code)
		}
		after := mustGet(t, viewer, d.base+"/verwaltung")
		smallPlan := plan(small)
		if smallPlan.Totals.Groups == plan(analysis.DefaultParams()).Totals.Groups {
			t.Fatal("the test scenario does not change the number of groups")
		}
		check(after, smallPlan, "Kleine Gruppen")

		// Amounts never wrap between the number and "€": a no-break space
		// joins them on the overview and the plan page.
		for _, u := range []string{d.base + "/verwaltung", planURL} {
			page := mustGet(t, viewer, u)
			if m := regexp.MustCompile(`\d[ \t\n]+€`).FindStringIndex(page); m != nil {
				t.Errorf("%s: an amount breaks before the euro sign: %q", u, page[max(0, m[0]-120):m[1]])
			}
			if !strings.Contains(page, "\u00a0€") {
				t.Errorf("%s: no amount with a no-break space before €", u)
			}
		}
	})

	t.Run("map", func(t *testing.T) {
		src := regexp.MustCompile(`<img src="(/verwaltung/runden/\d+/karte\.svg)"[^>]* alt="([^"]+)"`).FindStringSubmatch(page)
		if src == nil || !strings.Contains(src[2], "Karte der") {
			t.Fatal("no map image with a text alternative")
		}
		code, svg, h := viewer.get(d.base + src[1])
		if code != http.StatusOK || h.Get("Content-Type") != "image/svg+xml" || h.Get("Cache-Control") != "no-store" || !strings.Contains(svg, "GeoBasis-DE") {
			t.Errorf("map SVG: %d %q", code, h.Get("Content-Type"))
		}
		code, png, h := viewer.get(d.base + strings.Replace(src[1], ".svg", ".png", 1))
		if code != http.StatusOK || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
			t.Errorf("map PNG: %d %q", code, h.Get("Content-Type"))
		}
		// The table beside the map: each submitted Kommune with its persons, the others without a value.
		for _, r := range all {
			want := analysis.NoAnswerText
			if r.Status == survey.StatusSubmitted {
				want = analysis.FormatNumberDE(r.Answers[survey.Key{Question: "supervision_gruppe_personen"}].Num)
			}
			if !strings.Contains(page, "<td>"+r.AGS+"</td><th scope=\"row\">"+r.Name+"</th><td>"+want+"</td>") {
				t.Errorf("map table: %s should show %s", r.Name, want)
			}
		}
	})

	t.Run("no inline styles or scripts", func(t *testing.T) {
		for _, u := range []string{"/verwaltung", fmt.Sprintf("/verwaltung/runden/%d/fragen", round.ID),
			fmt.Sprintf("/verwaltung/runden/%d/fragen/betreute_gu", round.ID), "/verwaltung/vergleich"} {
			p := mustGet(t, viewer, d.base+u)
			if strings.Contains(p, "style=") || strings.Contains(p, "<script>") || strings.Contains(p, "<svg") {
				t.Errorf("%s has inline style, script or SVG (blocked by the CSP)", u)
			}
		}
	})
}

// resSecondRound adds a round with a changed questionnaire: employer is now
// multiple choice, a question is gone, one is new, a training module and a
// format option are new. Some Kommunen answer it.
func resSecondRound(t *testing.T, st *store.Store, answers map[string]map[string][]string) (survey.Round, *survey.Questionnaire) {
	t.Helper()
	ctx := context.Background()
	src := string(survey.DefaultQuestionnaireYAML())
	for _, r := range []struct{ old, new string }{
		{"id: anstellungstraeger\n        type: single_choice", "id: anstellungstraeger\n        type: multiple_choice"},
		{"      - id: vernetzung_anmerkungen\n        type: long_text\n        label: Anmerkungen und Wünsche an die Koordinierungsstelle\n        max_length: 4000",
			"      - id: dolmetschen_stunden\n        type: integer\n        label: Dolmetschstunden pro Monat\n        unit: Stunden\n        min: 0"},
		{`- {value: trauma, label: "Umgang mit Traumatisierungen"}`, "- {value: trauma, label: \"Umgang mit Traumatisierungen\"}\n          - {value: sprache, label: \"Sprachmittlung\"}"},
		{`- {value: egal, label: "keine Präferenz"}`, "- {value: egal, label: \"keine Präferenz\"}\n          - {value: hybrid, label: \"hybrid\"}"},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("default questionnaire changed: %q not found", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	sys := survey.Actor{Kind: "system", Label: "Test"}
	v, err := st.AddQuestionnaire(ctx, "yaml", []byte(src), sys)
	if err != nil {
		t.Fatal(err)
	}
	ks, _ := st.Kommunen(ctx)
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := st.CreateRound(ctx, store.NewRound{QuestionnaireID: v.ID, Title: "Folgeabfrage", OpensOn: today,
		Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, sys)
	if err != nil {
		t.Fatal(err)
	}
	qn, _ := st.Questionnaire(ctx, v.ID)
	resps, _ := st.Responses(ctx, rid)
	for _, r := range resps {
		form, ok := answers[r.Kommune.Name]
		if !ok {
			continue
		}
		res := qn.Check(form, survey.Draft)
		if !res.OK() {
			t.Fatalf("answers of %s: %v", r.Kommune.Name, res.Errors)
		}
		if _, err := st.SaveResponse(ctx, store.Save{ResponseID: r.ID, Answers: res.Answers, Submit: true, Actor: sys}); err != nil {
			t.Fatal(err)
		}
	}
	round, err := st.Round(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return round, qn
}

func TestCompareRounds(t *testing.T) {
	d := startDemo(t, "")
	st := resOpen(t, d.db)
	ctx := context.Background()
	viewer := resViewer(t, d)
	first, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// With one round there is nothing to compare yet.
	page := mustGet(t, viewer, d.base+"/verwaltung/vergleich")
	if !strings.Contains(page, "Es gibt erst eine Erhebungsrunde") {
		t.Error("one round: no notice")
	}

	second, _ := resSecondRound(t, st, map[string]map[string][]string{
		"Hannover": {"q.betreute_gu": {"2500"}, "q.supervision_gruppe_personen": {"20"}, "q.supervision_format": {"hybrid"},
			"q.fortbildung_teilnehmende.asylrecht": {"30"}, "q.fortbildung_teilnehmende.sprache": {"4"},
			"q.supervision_zeiten": {"vormittag", "abend"}},
		"Garbsen":  {"q.betreute_gu": {"300"}, "q.supervision_format": {"online"}},
		"Wedemark": {"q.betreute_gu": {"100"}, "q.supervision_format": {"vor_ort"}},
	})
	allA := resSelect(resLoad(t, st, first.ID), "")
	allB := resSelect(resLoad(t, st, second.ID), "")
	// Like with like: by default only the Kommunen that submitted in both
	// rounds; the others are named apart.
	in := func(rs []resResponse) map[string]bool {
		m := map[string]bool{}
		for _, r := range rs {
			m[r.AGS] = true
		}
		return m
	}
	inA, inB := in(allA), in(allB)
	keep := func(rs []resResponse, other map[string]bool) (both []resResponse, apart []string) {
		for _, r := range rs {
			if other[r.AGS] {
				both = append(both, r)
			} else {
				apart = append(apart, r.Name)
			}
		}
		return both, apart
	}
	a, onlyA := keep(allA, inB)
	b, onlyB := keep(allB, inA)
	if len(a) == len(allA) && len(b) == len(allB) {
		t.Fatalf("test data: both rounds have the same Kommunen (%d, %d)", len(allA), len(allB))
	}

	// html/template writes "+" as "&#43;": compare the text.
	page = html.UnescapeString(mustGet(t, viewer, d.base+"/verwaltung/vergleich"))
	for _, want := range []string{
		fmt.Sprintf(`<option value="%d" selected>%s`, first.ID, first.Title),
		fmt.Sprintf("Grundlage: %d Kommunen in beiden Runden – sie haben in Runde A „%s“ und in Runde B „%s“ eingereicht.", len(a), first.Title, second.Title),
		"Nur in Runde A eingereicht, nicht verglichen: " + strings.Join(onlyA, ", "),
		"Nur in Runde B eingereicht, nicht verglichen: " + strings.Join(onlyB, ", "),
		"<strong>Bei wem sind die Fachkräfte angestellt?</strong> <span class=\"muted\">(anstellungstraeger)</span>: Fragetyp geändert (Einfachauswahl → Mehrfachauswahl)",
		"<strong>Dolmetschstunden pro Monat</strong> <span class=\"muted\">(dolmetschen_stunden)</span>: nur in der Fassung der Runde B",
		"<strong>Anmerkungen und Wünsche an die Koordinierungsstelle</strong> <span class=\"muted\">(vernetzung_anmerkungen)</span>: nur in der Fassung der Runde A",
		"Eintrag „Sprachmittlung“ gibt es nur in der Fassung der Runde B",
		"Antwortmöglichkeit „hybrid“ gibt es nur in der Fassung der Runde B",
		"Freitext, wird nicht verglichen",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	if strings.Contains(page, `<option value="sprache"`) || strings.Contains(page, "fortbildung_teilnehmende:sprache") {
		t.Error("an item of one version only is offered for comparison")
	}

	for _, mode := range []struct {
		url  string
		a, b []resResponse
	}{
		{"", a, b},
		{fmt.Sprintf("?a=%d&b=%d&alle=1", first.ID, second.ID), allA, allB},
	} {
		a, b := mode.a, mode.b
		if mode.url != "" {
			page = html.UnescapeString(mustGet(t, viewer, d.base+"/verwaltung/vergleich"+mode.url))
			if want := fmt.Sprintf("Runde A „%s“: %d, Runde B „%s“: %d.", first.Title, len(a), second.Title, len(b)); !strings.Contains(page, want) {
				t.Errorf("all answers: comparison lacks %q", want)
			}
		}
		// Numbers: sum and mean in A and B with the change.
		sumMean := func(rs []resResponse, qid, item string) (n int, sum, mean float64) {
			for _, r := range rs {
				if v, ok := r.Answers[survey.Key{Question: qid, Item: item}]; ok && v.Valid() && v.HasNum {
					n++
					sum += v.Num
				}
			}
			if n > 0 {
				mean = sum / float64(n)
			}
			return n, sum, mean
		}
		for _, k := range []survey.Key{{Question: "betreute_gu"}, {Question: "fortbildung_teilnehmende", Item: "asylrecht"}} {
			na, sa, ma := sumMean(a, k.Question, k.Item)
			nb, sb, mb := sumMean(b, k.Question, k.Item)
			want := fmt.Sprintf(`<td class="n">%s <span class="muted">(n = %d)</span></td><td class="n">%s <span class="muted">(n = %d)</span></td><td class="n">%s</td>
    <td class="n">%s</td><td class="n">%s</td><td class="n">%s</td>`,
				analysis.FormatNumberDE(sa), na, analysis.FormatNumberDE(sb), nb, analysis.FormatChangeDE(sb-sa),
				analysis.FormatNumberDE(ma), analysis.FormatNumberDE(mb), analysis.FormatChangeDE(mb-ma))
			if !strings.Contains(page, want) {
				t.Errorf("%v: want %s", k, want)
			}
		}

		// Choices: distribution in A and B.
		dist := func(rs []resResponse, qid string) (map[string]int, int) {
			m, n := map[string]int{}, 0
			for _, r := range rs {
				if v, ok := r.Answers[survey.Key{Question: qid}]; ok && v.Valid() {
					m[v.Text]++
					n++
				}
			}
			return m, n
		}
		da, na := dist(a, "supervision_format")
		db, nb := dist(b, "supervision_format")
		for code, label := range map[string]string{"vor_ort": "vor Ort in der eigenen Kommune", "online": "online"} {
			sa, sb := float64(da[code])/float64(na), float64(db[code])/float64(nb)
			want := fmt.Sprintf(`<th scope="row">%s</th><td class="n">%d</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%s</td>`,
				label, da[code], analysis.FormatPercentDE(sa), db[code], analysis.FormatPercentDE(sb), analysis.FormatPointsDE(sa, sb))
			if !strings.Contains(page, want) {
				t.Errorf("format %s: want %s", code, want)
			}
		}

		// Multiple choice: each option's share of the Kommunen that answered.
		multi := func(rs []resResponse, code string) (int, int) {
			chosen, answered := 0, 0
			for _, r := range rs {
				any := false
				for k, v := range r.Answers {
					if k.Question == "supervision_zeiten" && v.Valid() {
						any = true
					}
				}
				if any {
					answered++
				}
				if v, ok := r.Answers[survey.Key{Question: "supervision_zeiten", Item: code}]; ok && v.Valid() {
					chosen++
				}
			}
			return chosen, answered
		}
		for code, label := range map[string]string{"vormittag": "vormittags", "nachmittag": "nachmittags", "abend": "abends"} {
			ca, na := multi(a, code)
			cb, nb := multi(b, code)
			cell := func(c, n int) string {
				if n == 0 {
					return "–"
				}
				return analysis.FormatPercentDE(float64(c) / float64(n))
			}
			diff := "–"
			if na > 0 && nb > 0 {
				diff = analysis.FormatPointsDE(float64(ca)/float64(na), float64(cb)/float64(nb))
			}
			want := fmt.Sprintf(`<th scope="row">%s</th><td class="n">%d</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%s</td>`,
				label, ca, cell(ca, na), cb, cell(cb, nb), diff)
			if !strings.Contains(page, want) {
				t.Errorf("times %s: want %s", code, want)
			}
		}
	}

	// Per Kommune: A, B and the change for the chosen question.
	page = html.UnescapeString(mustGet(t, viewer, fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d&frage=%s", d.base, first.ID, second.ID, url.QueryEscape("betreute_gu"))))
	value := func(rs []resResponse, name string) (float64, bool) {
		for _, r := range rs {
			if v, ok := r.Answers[survey.Key{Question: "betreute_gu"}]; r.Name == name && ok && v.Valid() {
				return v.Num, true
			}
		}
		return 0, false
	}
	ks, _ := st.Kommunen(ctx)
	for _, k := range ks {
		va, okA := value(allA, k.Name)
		vb, okB := value(allB, k.Name)
		row := `<th scope="row" dir="auto">` + k.Name + `</th>`
		if !okA && !okB {
			if strings.Contains(page, row+`<td class="n">`) {
				t.Errorf("%s answered in neither round but is listed", k.Name)
			}
			continue
		}
		cell := func(v float64, ok bool) string {
			if !ok {
				return "–"
			}
			return analysis.FormatNumberDE(v)
		}
		diff := "–"
		if okA && okB {
			diff = analysis.FormatChangeDE(vb - va)
		}
		want := fmt.Sprintf(`%s<td class="n">%s</td><td class="n">%s</td><td class="n">%s</td>`, row, cell(va, okA), cell(vb, okB), diff)
		if !strings.Contains(page, want) {
			t.Errorf("per Kommune: want %s", want)
		}
	}
	// The per-Kommune table sorts by each column both ways (GET links,
	// aria-sort), ties by AGS; a Kommune without an answer comes first.
	type cmpRow struct {
		ags, name string
		a, b      *float64
	}
	var rows []cmpRow
	for _, k := range ks {
		r := cmpRow{ags: k.AGS, name: k.Name}
		if v, ok := value(allA, k.Name); ok {
			r.a = &v
		}
		if v, ok := value(allB, k.Name); ok {
			r.b = &v
		}
		if r.a != nil || r.b != nil {
			rows = append(rows, r)
		}
	}
	opt := web.CompareOptional // a missing answer first
	diff := func(r cmpRow) *float64 {
		if r.a == nil || r.b == nil {
			return nil
		}
		d := *r.b - *r.a
		return &d
	}
	rowName := regexp.MustCompile(`<th scope="row" dir="auto">([^<]+)</th><td class="n">`)
	for col, by := range map[string]func(x, y cmpRow) int{
		"kommune":   func(x, y cmpRow) int { return strings.Compare(strings.ToLower(x.name), strings.ToLower(y.name)) },
		"a":         func(x, y cmpRow) int { return opt(x.a, y.a) },
		"b":         func(x, y cmpRow) int { return opt(x.b, y.b) },
		"aenderung": func(x, y cmpRow) int { return opt(diff(x), diff(y)) },
	} {
		for _, desc := range []bool{false, true} {
			q := fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d&frage=betreute_gu&sortierung=%s", d.base, first.ID, second.ID, col)
			if desc {
				q += "&richtung=ab"
			}
			want := wantOrder(rows, by, func(x, y cmpRow) int { return strings.Compare(x.ags, y.ags) }, desc)
			var wantNames, got []string
			for _, r := range want {
				wantNames = append(wantNames, r.name)
			}
			p := html.UnescapeString(mustGet(t, viewer, q))
			for _, m := range rowName.FindAllStringSubmatch(p, -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, wantNames) {
				t.Errorf("per Kommune sorted by %s (descending %v): %v, want %v", col, desc, got, wantNames)
			}
			aria := map[bool]string{false: "ascending", true: "descending"}[desc]
			if n := strings.Count(p, `aria-sort="`+aria+`"`); n != 1 || strings.Count(p, "aria-sort=") != 1 {
				t.Errorf("per Kommune sorted by %s: %d headers %s, want one", col, n, aria)
			}
		}
	}
	if code, _, _ := viewer.get(fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d&sortierung=x", d.base, first.ID, second.ID)); code != http.StatusBadRequest {
		t.Errorf("comparison sorted by an unknown column: %d, want 400", code)
	}

	// A table of contents links every section of the long page.
	toc := regexp.MustCompile(`(?s)<nav class="toc"[^>]*>(.*?)</nav>`).FindStringSubmatch(page)
	if toc == nil {
		t.Error("comparison: no table of contents")
	} else if links := regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(toc[1], -1); len(links) != 4 {
		t.Errorf("comparison: table of contents links %v, want its 4 sections", links)
	} else {
		for _, l := range links {
			if !strings.Contains(page, `id="`+l[1]+`"`) {
				t.Errorf("comparison: table of contents links #%s, which is no section", l[1])
			}
		}
	}
	if !strings.Contains(page, `<option value="fortbildung_teilnehmende:asylrecht">`) {
		t.Error("per-item numbers not offered per Kommune")
	}
	page = html.UnescapeString(mustGet(t, viewer, fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d&frage=%s", d.base, first.ID, second.ID, url.QueryEscape("fortbildung_teilnehmende:asylrecht"))))
	if !strings.Contains(page, "Je Kommune: Wie viele Fachkräfte möchten an den folgenden Modulen teilnehmen?: Aufenthalts- und Asylrecht") {
		t.Error("per Kommune: chosen item not shown")
	}
	if va, ok := func() (float64, bool) {
		for _, r := range allA {
			if r.Name == "Hannover" {
				v, ok := r.Answers[survey.Key{Question: "fortbildung_teilnehmende", Item: "asylrecht"}]
				return v.Num, ok
			}
		}
		return 0, false
	}(); ok && !strings.Contains(page, fmt.Sprintf(`<th scope="row" dir="auto">Hannover</th><td class="n">%s</td><td class="n">30</td><td class="n">%s</td>`,
		analysis.FormatNumberDE(va), analysis.FormatChangeDE(30-va))) {
		t.Error("per Kommune: Hannover's training participants A → B not shown")
	}

	// Only B chosen: A is the round before it; B the oldest: A is the other one.
	if p := mustGet(t, viewer, fmt.Sprintf("%s/verwaltung/vergleich?b=%d", d.base, first.ID)); !strings.Contains(p, fmt.Sprintf(`<option value="%d" selected>%s`, second.ID, second.Title)) ||
		strings.Contains(p, "zwei verschiedene Runden") {
		t.Error("b = the oldest round: A is not the other round")
	}
	// Same round twice, bad and unknown ids.
	if p := mustGet(t, viewer, fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d", d.base, first.ID, first.ID)); !strings.Contains(p, "zwei verschiedene Runden") {
		t.Error("same round twice: no notice")
	}
	if code, _, _ := viewer.get(d.base + "/verwaltung/vergleich?a=x"); code != http.StatusBadRequest {
		t.Errorf("a=x: %d, want 400", code)
	}
	if code, _, _ := viewer.get(d.base + "/verwaltung/vergleich?a=99"); code != http.StatusNotFound {
		t.Errorf("a=99: %d, want 404", code)
	}
	// The overview and the question pages of the new round work too.
	for _, u := range []string{fmt.Sprintf("/verwaltung/runden/%d", second.ID), fmt.Sprintf("/verwaltung/runden/%d/fragen/dolmetschen_stunden", second.ID),
		fmt.Sprintf("/verwaltung/runden/%d/fragen/anstellungstraeger", second.ID)} {
		mustGet(t, viewer, d.base+u)
	}

	// In English the reasons and notes are English, a question type inside
	// them too; the questionnaire's texts and units stay as they are.
	switchLang(t, viewer, d.base, "en", "/verwaltung/vergleich")
	raw := mustGet(t, viewer, d.base+"/verwaltung/vergleich")
	page = html.UnescapeString(raw)
	for _, want := range []string{
		"(anstellungstraeger)</span>: question type changed (single choice → multiple choice)",
		"(dolmetschen_stunden)</span>: only in the version of round B",
		"(vernetzung_anmerkungen)</span>: only in the version of round A",
		"item “<span lang=\"de\">Sprachmittlung</span>” exists only in the version of round B; not compared.",
		"option “<span lang=\"de\">hybrid</span>” exists only in the version of round B; not compared.",
		"free text, not compared",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("English comparison lacks %q", want)
		}
	}
	requireEnglish(t, "English comparison", raw, "Fragetyp", "Einfachauswahl", "Mehrfachauswahl", "Fassung der Runde")
	page = mustGet(t, viewer, fmt.Sprintf("%s/verwaltung/runden/%d/fragen/anstellungstraeger", d.base, second.ID))
	if !strings.Contains(page, "<p>Several answers possible: shares relative to the municipalities with an answer.</p>") {
		t.Error("English question page: no note on multiple answers")
	}
	requireEnglish(t, "English question page", page, "Mehrfachnennungen")
}
