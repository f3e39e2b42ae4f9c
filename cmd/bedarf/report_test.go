package main

import (
	"bytes"
	"context"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// The Kommunen's results over HTTP (issue 22): every figure of three
// Kommunen checked against a count by hand from the stored answers, no
// figures before the release or after its withdrawal, refused links, and
// an identification scan of all 21 Kommunen's pages, print views, charts
// and workbooks.

// handFigure is one figure counted by hand: each submitted Kommune's value.
type handFigure struct {
	id     string
	values map[string]float64 // AGS → value, only where answered
}

// handFigures counts the report's figures from the raw answers of round 1:
// only submitted answers count.
func handFigures(t *testing.T, r *rig) ([]handFigure, map[string]bool) {
	t.Helper()
	ctx := context.Background()
	resps, err := r.st.Responses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	num := func(a survey.Answers, q, item string) (float64, bool) {
		v, ok := a[survey.Key{Question: q, Item: item}]
		if !ok || !v.Valid() {
			return 0, false
		}
		if v.HasNum {
			return v.Num, true
		}
		f, err := strconv.ParseFloat(v.Text, 64)
		return f, err == nil
	}
	modules := []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"}
	figs := []handFigure{{id: "people_per_fte"}, {id: "burden"}, {id: "group_wish_per_staff"}, {id: "vacancies"}}
	for _, m := range modules {
		figs = append(figs, handFigure{id: "training:" + m})
	}
	for i := range figs {
		figs[i].values = map[string]float64{}
	}
	submitted := map[string]bool{}
	for _, resp := range resps {
		if resp.Status != survey.StatusSubmitted {
			continue
		}
		ags := resp.Kommune.AGS
		submitted[ags] = true
		_, a, err := r.st.ResponseByKommune(ctx, 1, ags)
		if err != nil {
			t.Fatal(err)
		}
		gu, okG := num(a, "betreute_gu", "")
		pr, okP := num(a, "betreute_privat", "")
		if fte, ok := num(a, "fachkraefte_vzae", ""); ok && fte > 0 && (okG || okP) {
			figs[0].values[ags] = (gu + pr) / fte
		}
		if b, ok := num(a, "belastung_gesamt", ""); ok {
			figs[1].values[ags] = b
		}
		w, okW := num(a, "supervision_gruppe_personen", "")
		if n, ok := num(a, "fachkraefte_personen", ""); ok && okW && n > 0 {
			figs[2].values[ags] = w / n
		}
		if v, ok := num(a, "offene_stellen_vzae", ""); ok {
			figs[3].values[ags] = v
		}
		for i, m := range modules {
			if v, ok := num(a, "fortbildung_teilnehmende", m); ok {
				figs[4+i].values[ags] = v
			}
		}
	}
	return figs, submitted
}

// quartilesByHand: the 25/50/75 % points of sorted values, linearly
// between neighbours at (n−1)·p (as Excel's QUARTILE.INC).
func quartilesByHand(vs []float64) (float64, float64, float64) {
	s := slices.Clone(vs)
	slices.Sort(s)
	at := func(p float64) float64 {
		h := float64(len(s)-1) * p
		lo := int(math.Floor(h))
		if lo+1 >= len(s) {
			return s[lo]
		}
		return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
	}
	return at(.25), at(.5), at(.75)
}

// shownDE writes a value as the page shows it: two decimals at most,
// German digits.
func shownDE(f float64) string { return survey.FormatNumberDE(math.Round(f*100) / 100) }

var (
	figureSectionRE = regexp.MustCompile(`(?s)<section class="report-figure"[^>]*data-kennzahl="([^"]+)">(.*?)</section>`)
	figureRowRE     = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td[^>]*>([^<]*)</td></tr>`)
	mainRE          = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	imgSrcRE        = regexp.MustCompile(`<img src="([^"]+)"`)
)

// reportFigures reads the figure tables of a results page: id → row → value.
func reportFigures(page string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, m := range figureSectionRE.FindAllStringSubmatch(page, -1) {
		rows := map[string]string{}
		for _, r := range figureRowRE.FindAllStringSubmatch(m[2], -1) {
			rows[html.UnescapeString(r[1])] = html.UnescapeString(r[2])
		}
		out[m[1]] = rows
	}
	return out
}

// openKommune opens a Kommune's link in a new browser.
func openKommune(t *testing.T, r *rig, ags string) *browser {
	t.Helper()
	b := newBrowser(t, r.base)
	if code, _, _ := b.get(r.links[ags]); code != http.StatusSeeOther {
		t.Fatalf("link of %s: %d", ags, code)
	}
	return b
}

// releaseRound1 releases round 1's results as the admin.
func releaseRound1(t *testing.T, r *rig, admin *browser, form url.Values) {
	t.Helper()
	if code, _, _ := admin.post(r.base+"/verwaltung/runden/1/ergebnisse/freigeben", form); code != http.StatusSeeOther {
		t.Fatalf("release: %d", code)
	}
}

// TestKommuneResultsByHand releases the demo round and checks every figure
// of three Kommunen's pages against a count by hand.
func TestKommuneResultsByHand(t *testing.T) {
	r := startRig(t)
	unreleaseDemo(t, r)
	admin := loginAdmin(t, r.demo)
	figs, submitted := handFigures(t, r)
	var chosen []string
	for ags := range submitted {
		chosen = append(chosen, ags)
	}
	slices.Sort(chosen)
	if len(chosen) < 7 {
		t.Fatalf("the demo has %d submitted answers; the test needs at least 7", len(chosen))
	}
	chosen = []string{chosen[0], chosen[3], chosen[len(chosen)-1]}
	kommunen := map[string]*browser{}
	for _, ags := range chosen {
		kommunen[ags] = openKommune(t, r, ags)
	}

	noFigures := func(when string) {
		t.Helper()
		for ags, b := range kommunen {
			code, page, _ := b.get(r.base + "/ergebnisse")
			if code != http.StatusOK || !strings.Contains(page, `id="nicht-freigegeben"`) || strings.Contains(page, "data-kennzahl") {
				t.Errorf("%s: results page of %s: %d, want the notice and no figures", when, ags, code)
			}
			for _, p := range []string{"/ergebnisse/druck", "/ergebnisse/ergebnisse.xlsx", "/ergebnisse/diagramme/1.svg"} {
				if code, body, _ := b.get(r.base + p); code != http.StatusNotFound || !strings.Contains(body, "noch nicht freigegeben") {
					t.Errorf("%s: %s of %s: %d, want 404 not released", when, p, ags, code)
				}
			}
			if _, form, _ := b.get(r.base + "/fragebogen"); strings.Contains(form, `id="ergebnisse-link"`) {
				t.Errorf("%s: the form page of %s links to results", when, ags)
			}
		}
	}
	noFigures("before the release")

	releaseRound1(t, r, admin, url.Values{"mindestgruppe": {"5"}})
	positions := map[string]string{"below": "unter dem unteren Quartil", "within": "im mittleren Bereich", "above": "über dem oberen Quartil"}
	compared := 0
	for _, ags := range chosen {
		b := kommunen[ags]
		if _, form, _ := b.get(r.base + "/fragebogen"); !strings.Contains(form, `id="ergebnisse-link"`) {
			t.Errorf("the form page of %s does not link to the results", ags)
		}
		code, page, _ := b.get(r.base + "/ergebnisse")
		if code != http.StatusOK {
			t.Fatalf("results of %s: %d", ags, code)
		}
		got := reportFigures(page)
		if len(got) != len(figs) {
			t.Fatalf("results of %s show %d figures, want %d", ags, len(got), len(figs))
		}
		for _, f := range figs {
			rows := got[f.id]
			want := map[string]string{"Ihr Wert": "–"}
			own, hasOwn := f.values[ags]
			if hasOwn {
				want["Ihr Wert"] = shownDE(own)
			}
			var others []float64
			for a, v := range f.values {
				if a != ags {
					others = append(others, v)
				}
			}
			want["Anzahl anderer Kommunen"] = strconv.Itoa(len(others))
			if len(others) >= 5 {
				compared++
				q1, med, q3 := quartilesByHand(others)
				want["unteres Quartil"], want["Median"], want["oberes Quartil"] = shownDE(q1), shownDE(med), shownDE(q3)
				if hasOwn {
					switch {
					case own < q1:
						want["Lage"] = positions["below"]
					case own > q3:
						want["Lage"] = positions["above"]
					default:
						want["Lage"] = positions["within"]
					}
				}
			} else if !strings.Contains(figureSectionRE.FindString(page[strings.Index(page, `data-kennzahl="`+f.id+`"`)-60:]), "Der Vergleich entfällt") {
				t.Errorf("%s %s: %d others and no note that the comparison is left out", ags, f.id, len(others))
			}
			for row, w := range want {
				if !strings.HasPrefix(rows[row], w) {
					t.Errorf("%s %s %q: page %q, by hand %q", ags, f.id, row, rows[row], w)
				}
			}
			for _, row := range []string{"unteres Quartil", "Median", "oberes Quartil"} {
				if _, shown := rows[row]; shown != (len(others) >= 5) {
					t.Errorf("%s %s: row %q shown %v with %d others", ags, f.id, row, shown, len(others))
				}
			}
		}
		// Every chart on the page is served, as SVG, with the Kommune highlighted.
		for _, m := range imgSrcRE.FindAllStringSubmatch(page, -1) {
			code, svg, h := b.get(r.base + html.UnescapeString(m[1]))
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "image/svg+xml") || !strings.Contains(svg, "Ihre Kommune") {
				t.Errorf("chart %s of %s: %d %s", m[1], ags, code, h.Get("Content-Type"))
			}
		}
	}
	if compared < 3*5 {
		t.Errorf("only %d figures compared over three Kommunen: the demo answers do not exercise the comparison", compared)
	}
	// Opening is in the audit log and counted on the dashboard.
	_, dash, _ := admin.get(r.base + "/verwaltung/runden/1")
	if !strings.Contains(dash, "Ergebnisse geöffnet: 3 von 21.") {
		t.Error("the dashboard does not count three Kommunen that opened their results")
	}
	_, rel, _ := admin.get(r.base + "/verwaltung/runden/1/ergebnisse")
	for _, ags := range chosen {
		if !strings.Contains(rel, r.names[ags]) {
			t.Errorf("the release page does not list %s as having opened its results", r.names[ags])
		}
	}

	if code, _, _ := admin.post(r.base+"/verwaltung/runden/1/ergebnisse/zuruecknehmen", nil); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	noFigures("after the withdrawal")
}

// TestKommuneResultsLinks: a forged link and a revoked link lead to no
// results; the staff's preview needs a staff session.
func TestKommuneResultsLinks(t *testing.T) {
	r := startRig(t) // the demo's round is released
	admin := loginAdmin(t, r.demo)
	ags := "03241001"
	b := openKommune(t, r, ags)
	if code, _, _ := b.get(r.base + "/ergebnisse"); code != http.StatusOK {
		t.Fatalf("results with a good link: %d", code)
	}
	forged := newBrowser(t, r.base)
	if code, _, _ := forged.get(r.base + "/k/" + strings.Repeat("A", 43)); code != http.StatusNotFound {
		t.Errorf("forged link: %d, want 404", code)
	}
	if code, page, _ := forged.get(r.base + "/ergebnisse"); code != http.StatusUnauthorized || strings.Contains(page, "data-kennzahl") {
		t.Errorf("results without a session: %d, want 401 and no figures", code)
	}
	if code, _, _ := forged.get(r.base + "/verwaltung/runden/1/ergebnisse/vorschau/" + ags); code != http.StatusSeeOther {
		t.Errorf("preview without a staff session: %d, want the login redirect", code)
	}
	// A closed round's results stay on the same link.
	if code, _, _ := admin.post(r.base+"/verwaltung/runden/1/schliessen", nil); code != http.StatusSeeOther {
		t.Fatalf("close the round: %d", code)
	}
	if code, page, _ := b.get(r.base + "/ergebnisse"); code != http.StatusOK || len(reportFigures(page)) == 0 {
		t.Errorf("results of a closed round: %d with %d figures", code, len(reportFigures(page)))
	}
	// The results mail to its contact, through the mail pages' preview and queue.
	k, err := r.st.KommuneByKey(context.Background(), ags)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.AddContact(context.Background(), k.ID, "ergebnisse@kommune.example", "", survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	code, preview, _ := admin.get(r.base + "/verwaltung/runden/1/mail/vorschau?art=ergebnisse")
	stand := standRouteRE.FindStringSubmatch(preview)
	if code != http.StatusOK || stand == nil || !strings.Contains(preview, "1 Ergebnismitteilung jetzt senden") || !strings.Contains(preview, "/k/") {
		t.Fatalf("results mail preview: %d", code)
	}
	if code, _, h := admin.post(r.base+"/verwaltung/runden/1/mail/senden", url.Values{"art": {"ergebnisse"}, "stand": {stand[1]}}); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "eingereiht=1") {
		t.Fatalf("queue results mail: %d %s", code, h.Get("Location"))
	}
	if mails, err := r.st.MailLog(context.Background(), 1, k.ID, 10); err != nil || len(mails) != 1 || mails[0].Kind != survey.MailResults {
		t.Fatalf("mails of %s: %+v %v, want one results mail", ags, mails, err)
	}
	if code, _, _ := admin.post(r.base+"/verwaltung/runden/1/kommunen/"+ags+"/link/widerrufen", nil); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if code, page, _ := b.get(r.base + "/ergebnisse"); code == http.StatusOK || strings.Contains(page, "data-kennzahl") {
		t.Errorf("results after the link was revoked: %d, want a refusal", code)
	}
	if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code != http.StatusNotFound {
		t.Errorf("revoked link: %d, want 404", code)
	}
}

// TestKommuneResultsIdentification opens all 21 Kommunen's results (page,
// print view, charts, workbook) and fails on any other Kommune's name or
// AGS, and on any other Kommune's single value of the ratio figures that
// is not one of the aggregates shown for that figure.
func TestKommuneResultsIdentification(t *testing.T) {
	r := startRig(t) // the demo's round is released with the defaults: no names of group members
	figs, _ := handFigures(t, r)
	var all []string
	for ags := range r.names {
		all = append(all, ags)
	}
	slices.Sort(all)
	for _, ags := range all {
		b := openKommune(t, r, ags)
		_, page, _ := b.get(r.base + "/ergebnisse")
		_, print, _ := b.get(r.base + "/ergebnisse/druck")
		texts := map[string]string{}
		for name, body := range map[string]string{"page": page, "print": print} {
			m := mainRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s %s: no main", ags, name)
			}
			texts[name] = html.UnescapeString(m[1])
			for _, src := range imgSrcRE.FindAllStringSubmatch(m[1], -1) {
				_, svg, _ := b.get(r.base + html.UnescapeString(src[1]))
				texts[name+" "+src[1]] = svg
			}
		}
		code, xlsx, _ := b.get(r.base + "/ergebnisse/ergebnisse.xlsx")
		if code != http.StatusOK {
			t.Fatalf("workbook of %s: %d", ags, code)
		}
		texts["workbook"] = workbookText(t, []byte(xlsx))
		shown := reportFigures(page)
		for where, text := range texts {
			for other, name := range r.names {
				if other == ags {
					continue
				}
				if strings.Contains(text, other) || containsWord(text, name) {
					t.Errorf("%s (%s) %s names %s (%s)", r.names[ags], ags, where, name, other)
				}
			}
			if strings.HasSuffix(where, ".svg") {
				continue // axis ticks are round numbers; the chart's values are in its text alternative on the page
			}
			for _, f := range figs[:3] {
				if f.id == "burden" {
					continue // levels 1 to 5: every page has such numbers
				}
				aggregates := shown[f.id]
				for other, v := range f.values {
					s := shownDE(v)
					if other == ags || v == math.Trunc(v) || s == aggregates["unteres Quartil"] || s == aggregates["Median"] || s == aggregates["oberes Quartil"] || s == aggregates["Ihr Wert"] {
						continue
					}
					if containsNumber(text, s) {
						t.Errorf("%s (%s) %s shows %s, the %s of %s", r.names[ags], ags, where, s, f.id, r.names[other])
					}
				}
			}
		}
	}
}

// containsWord reports whether name occurs in text as a whole word.
func containsWord(text, name string) bool {
	return regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(name) + `($|[^\pL])`).MatchString(text)
}

// containsNumber reports whether the German number s occurs in text, not
// as part of a longer number.
func containsNumber(text, s string) bool {
	return regexp.MustCompile(`(^|[^0-9,.])` + regexp.QuoteMeta(s) + `($|[^0-9,])`).MatchString(text)
}

// workbookText returns every cell's text of a workbook, one per line.
func workbookText(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}
