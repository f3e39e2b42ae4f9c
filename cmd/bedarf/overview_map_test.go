package main

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/survey"
)

var (
	mapSectionRE  = regexp.MustCompile(`(?s)<section aria-labelledby="karte">.*?</section>`)
	mapRowRE      = regexp.MustCompile(`<tr><td>(\d+)</td><th scope="row">([^<]*)</th><td>([^<]*)</td>`)
	planPersonsRE = regexp.MustCompile(`<tr><th scope="row">[^<]*</th><td>(\d+)</td>`)
)

// TestOverviewMapTable: the map's table (its text alternative) of a round
// of more than 100 Kommunen names the 20 with the most persons, says so in
// summary and caption and links to every value; a round of 21 keeps the
// whole table, whatever the address asks of the list.
func TestOverviewMapTable(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	submitted := 0
	for _, x := range r.resps {
		if x.Status == survey.StatusSubmitted {
			submitted++
		}
	}
	for _, tc := range []struct {
		name, url string
		rows      int // 0: the whole table (21 areas)
		summary   string
	}{
		{"big round", fmt.Sprintf("/verwaltung/runden/%d", r.big.ID), 20, "Tabelle zur Karte: die 20 Kommunen mit den höchsten Werten"},
		{"big round, a later page of the list", fmt.Sprintf("/verwaltung/runden/%d?seite=3&pro_seite=10", r.big.ID), 20, "Tabelle zur Karte: die 20 Kommunen mit den höchsten Werten"},
		{"small round", fmt.Sprintf("/verwaltung/runden/%d", r.small.ID), 0, "Tabelle zur Karte (21 Kommunen)"},
		{"small round, paged list", fmt.Sprintf("/verwaltung/runden/%d?pro_seite=10", r.small.ID), 0, "Tabelle zur Karte (21 Kommunen)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page, _ := r.viewer.get(r.base + tc.url)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", tc.url, code)
			}
			sec := mapSectionRE.FindString(page)
			if !strings.Contains(sec, "<summary>"+tc.summary+"</summary>") {
				t.Errorf("summary: want %q", tc.summary)
			}
			rows := mapRowRE.FindAllStringSubmatch(sec, -1)
			if tc.rows == 0 {
				if len(rows) != 21 || strings.Contains(sec, "höchsten Werten") || strings.Contains(sec, "/plan#auswahl") {
					t.Errorf("small round: %d rows, or cut", len(rows))
				}
				return
			}
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(rows), tc.rows)
			}
			for _, want := range []string{
				fmt.Sprintf(`<span lang="de">: die 20 Kommunen mit den höchsten Werten (von %d mit Angabe), absteigend sortiert</span></caption>`, submitted),
				fmt.Sprintf("Die Karte hat Werte für %d Kommunen", submitted),
				fmt.Sprintf(`<a href="/verwaltung/runden/%d/plan#auswahl">Die Werte aller Kommunen: im Plan Seite für Seite mit Suche (Spalte „Personen“)</a>`, r.big.ID),
			} {
				if !strings.Contains(sec, want) {
					t.Errorf("map section lacks %s", want)
				}
			}
			// Largest first, each with its name, and no larger value left out:
			// the plan lists every Kommune's persons.
			var values []int
			for _, m := range rows {
				v, err := strconv.Atoi(strings.ReplaceAll(m[3], ".", ""))
				if err != nil || m[2] == "" {
					t.Fatalf("row %v", m[1:])
				}
				values = append(values, v)
			}
			if !slices.IsSortedFunc(values, func(a, b int) int { return b - a }) {
				t.Errorf("values not descending: %v", values)
			}
			_, plan, _ := r.viewer.get(fmt.Sprintf("%s/verwaltung/runden/%d/plan?pro_seite=100&seite=1", r.base, r.big.ID))
			all := planPersonsRE.FindAllStringSubmatch(planSharesRE.FindString(plan), -1)
			for p := 2; p <= (submitted+99)/100; p++ {
				_, plan, _ = r.viewer.get(fmt.Sprintf("%s/verwaltung/runden/%d/plan?seite=%d", r.base, r.big.ID, p))
				all = append(all, planPersonsRE.FindAllStringSubmatch(planSharesRE.FindString(plan), -1)...)
			}
			if len(all) != submitted {
				t.Fatalf("plan: %d Kommunen, want %d", len(all), submitted)
			}
			var persons []int
			for _, m := range all {
				n, _ := strconv.Atoi(m[1])
				persons = append(persons, n)
			}
			slices.SortFunc(persons, func(a, b int) int { return b - a })
			if !slices.Equal(values, persons[:20]) {
				t.Errorf("top values %v, the plan's largest %v", values, persons[:20])
			}
		})
	}

	// In English: the sentence, the link and the caption's own part are
	// English and marked so; the chart's German texts stay marked German.
	switchLang(t, r.viewer, r.base, "en", "/verwaltung")
	u := fmt.Sprintf("%s/verwaltung/runden/%d", r.base, r.big.ID)
	code, page := getWith(t, r.viewer, u, "")
	if code != http.StatusOK {
		t.Fatalf("English overview: %d", code)
	}
	requireEnglish(t, "English overview of a big round", page)
	for _, want := range []string{"<summary>Table for the map: the 20 municipalities with the highest values</summary>",
		`<span lang="en">: the 20 municipalities with the highest values`} {
		if !strings.Contains(page, want) {
			t.Errorf("English overview lacks %s", want)
		}
	}
}
