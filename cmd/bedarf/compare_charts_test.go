package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// TestCompareCharts: the round comparison shows its number questions' sums
// as charts served from the binary (SVG with a text alternative, PNG), with
// the data table beside, over the same basis as the page (the Kommunen in
// both rounds, or all with alle=1), in the page's language.
func TestCompareCharts(t *testing.T) {
	d := startDemo(t, "")
	st := resOpen(t, d.db)
	viewer := resViewer(t, d)
	first, err := st.LatestRound(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, qn := resSecondRound(t, st, map[string]map[string][]string{
		"Hannover": {"q.betreute_gu": {"2500"}, "q.supervision_gruppe_personen": {"20"}},
		"Garbsen":  {"q.betreute_gu": {"300"}},
		"Wedemark": {"q.betreute_gu": {"100"}},
	})
	allA := resSelect(resLoad(t, st, first.ID), "")
	allB := resSelect(resLoad(t, st, second.ID), "")
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, r := range allA {
		inA[r.AGS] = true
	}
	for _, r := range allB {
		inB[r.AGS] = true
	}
	sum := func(rs []resResponse, only map[string]bool) float64 {
		var s float64
		for _, r := range rs {
			if v, ok := r.Answers[survey.Key{Question: "betreute_gu"}]; ok && v.HasNum && (only == nil || only[r.AGS]) {
				s += v.Num
			}
		}
		return s
	}
	label := qn.Question("betreute_gu").Label
	imgRE := regexp.MustCompile(`<img src="(/verwaltung/vergleich/diagramme/\d+\.svg\?[^"]+)" width="\d+" height="\d+" alt="([^"]+)"`)
	for _, tc := range []struct {
		name, query, lang, alt string
		sumA, sumB             float64
		words                  []string
	}{
		{"both rounds", fmt.Sprintf("?a=%d&b=%d", first.ID, second.ID), "", "je Kennzahl die Summe in Runde A und in Runde B", sum(allA, inB), sum(allB, inA),
			[]string{"Zahlenfragen: Summe in Runde A und B", "Runde A „" + first.Title + "“", "Kommunen in beiden Runden"}},
		{"all answers", fmt.Sprintf("?a=%d&b=%d&alle=1", first.ID, second.ID), "", "Tabelle daneben", sum(allA, nil), sum(allB, nil),
			[]string{"Grundlage: alle eingereichten Antworten"}},
		{"English", fmt.Sprintf("?a=%d&b=%d", first.ID, second.ID), "en", "for each key figure the sum in round A and in round B", sum(allA, inB), sum(allB, inA),
			[]string{"Number questions: sum in rounds A and B", "Round B “" + second.Title + "”", "municipalities in both rounds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "both rounds" && (tc.sumA == sum(allA, nil) || tc.sumB == sum(allB, nil)) {
				t.Fatal("test data: the basis does not change the sums")
			}
			code, page := getWith(t, viewer, d.base+"/verwaltung/vergleich"+tc.query, tc.lang)
			if code != http.StatusOK {
				t.Fatalf("page: %d", code)
			}
			page = html.UnescapeString(page)
			imgs := imgRE.FindAllStringSubmatch(page, -1)
			if len(imgs) == 0 {
				t.Fatalf("the comparison links no chart")
			}
			// The table beside a chart: the figure with both sums.
			row := fmt.Sprintf(`<th scope="row" lang="de">%s</th><td class="n">%s</td><td class="n">%s</td>`,
				label, analysis.FormatNumberDE(tc.sumA), analysis.FormatNumberDE(tc.sumB))
			if !strings.Contains(page, row) {
				t.Errorf("no chart table row %s", row)
			}
			var svgs strings.Builder
			for _, m := range imgs {
				u := m[1]
				pu, _ := url.Parse(u)
				want, _ := url.ParseQuery(strings.TrimPrefix(tc.query, "?"))
				if pu.Query().Encode() != want.Encode() {
					t.Errorf("chart %s lost the page's query %s", u, tc.query)
				}
				code, body, hdr := getLang(t, viewer, d.base+u, tc.lang)
				if code != http.StatusOK || hdr.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
					t.Fatalf("GET %s: %d %s", u, code, hdr.Get("Content-Type"))
				}
				if !strings.Contains(m[2], tc.alt) {
					t.Errorf("%s: alt %q does not say %q", u, m[2], tc.alt)
				}
				if !strings.Contains(body, "<desc") {
					t.Errorf("%s: no <desc>", u)
				}
				svgs.WriteString(body)
				png := strings.Replace(u, ".svg?", ".png?", 1)
				if code, body, hdr := getLang(t, viewer, d.base+png, tc.lang); code != http.StatusOK || hdr.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
					t.Errorf("GET %s: %d %s", png, code, hdr.Get("Content-Type"))
				}
			}
			all := html.UnescapeString(svgs.String())
			for _, w := range append(tc.words, label, analysis.FormatNumberDE(tc.sumA), analysis.FormatNumberDE(tc.sumB)) {
				if !strings.Contains(all, w) {
					t.Errorf("the charts do not say %q", w)
				}
			}
		})
	}
	// A figure no one answered in either round is left out of the charts.
	code, page, _ := viewer.get(fmt.Sprintf("%s/verwaltung/vergleich?a=%d&b=%d", d.base, first.ID, second.ID))
	if code != http.StatusOK || strings.Contains(page, "Einzelsupervision?: Runde A") {
		t.Errorf("a figure without answers is charted (%d)", code)
	}
	for _, bad := range []string{"0.svg", "99.svg", "1.gif", "x.svg"} {
		if code, _, _ := viewer.get(fmt.Sprintf("%s/verwaltung/vergleich/diagramme/%s?a=%d&b=%d", d.base, bad, first.ID, second.ID)); code != http.StatusNotFound {
			t.Errorf("chart %s: %d, want 404", bad, code)
		}
	}
}

// getLang fetches u with an Accept-Language header (none when empty), as a
// browser asks for the images of a page in its language.
func getLang(t *testing.T, b *browser, u, acceptLanguage string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, string(body), resp.Header
}
