package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bedarf/analysis"
)

// TestPlanStaffingSorted: the plan's staffing table sorts by each of its
// columns, both ways, by its own GET parameters ("personal-sortierung",
// "personal-richtung"); its rows are the page's Kommunen in the order
// computed from the plan itself (ties by AGS), its sorted header carries
// aria-sort, and the shares table, its sort and the page's Kommunen stay
// as they were. Every other link of the page keeps both sorts.
func TestPlanStaffingSorted(t *testing.T) {
	r := startOverviewRig(t)
	ctx := context.Background()
	rp, err := analysis.NewService(r.st).RoundPlans(ctx, r.big, false)
	if err != nil {
		t.Fatal(err)
	}
	pl := rp.Decisive().Plan
	byAGS := map[string]analysis.StaffingRow{}
	for _, s := range pl.Staffing {
		byAGS[s.AGS] = s
	}
	// The page's Kommunen under a shares sort, from the plan: by AGS, or
	// by name descending (ties by AGS, reversed).
	kommunen := func(byName bool, page int) []analysis.StaffingRow {
		ks := wantOrder(pl.Kommunen, func(a, b analysis.KommunePlan) int {
			if !byName {
				return 0
			}
			return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Name, b.Name))
		}, func(a, b analysis.KommunePlan) int { return strings.Compare(a.AGS, b.AGS) }, byName)
		var out []analysis.StaffingRow
		for _, k := range ks[(page-1)*100 : min(page*100, len(ks))] {
			if s, ok := byAGS[k.AGS]; ok {
				out = append(out, s)
			}
		}
		return out
	}
	base := fmt.Sprintf("%s/verwaltung/runden/%d/plan", r.base, r.big.ID)
	get := func(q string) string {
		t.Helper()
		code, page, _ := r.viewer.get(base + q)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", q, code)
		}
		return page
	}
	names := func(rows []analysis.StaffingRow) []string {
		out := make([]string, len(rows))
		for i, s := range rows {
			out[i] = s.Name
		}
		return out
	}
	ratio := func(a, b *float64) int {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		return cmp.Compare(*a, *b)
	}
	columns := map[string]func(a, b analysis.StaffingRow) int{
		"ags": func(a, b analysis.StaffingRow) int { return 0 },
		"name": func(a, b analysis.StaffingRow) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		},
		"betreut":     func(a, b analysis.StaffingRow) int { return cmp.Compare(a.PeopleSupported, b.PeopleSupported) },
		"vzae":        func(a, b analysis.StaffingRow) int { return cmp.Compare(a.FTE, b.FTE) },
		"pro-vzae":    func(a, b analysis.StaffingRow) int { return ratio(a.PeoplePerFTE, b.PeoplePerFTE) },
		"pro-vzae-12": func(a, b analysis.StaffingRow) int { return ratio(a.PeoplePerFTEExpected, b.PeoplePerFTEExpected) },
		"bedarf":      func(a, b analysis.StaffingRow) int { return cmp.Compare(a.NeedFTE, b.NeedFTE) },
		"luecke":      func(a, b analysis.StaffingRow) int { return cmp.Compare(a.GapFTE, b.GapFTE) },
		"kosten":      func(a, b analysis.StaffingRow) int { return cmp.Compare(a.GapCost, b.GapCost) },
	}
	tie := func(a, b analysis.StaffingRow) int { return strings.Compare(a.AGS, b.AGS) }
	ariaRE := regexp.MustCompile(`aria-sort="(\w+)"`)

	// Pages 1 and 2 under two shares sorts: the staffing rows are that
	// page's Kommunen, sorted by the staffing parameters alone.
	for _, shares := range []string{"", "sortierung=name&richtung=ab&seite=2"} {
		plain := get("?" + shares)
		sharesWant := planRows(planSharesRE, plain)
		pageRows := wantOrder(kommunen(shares != "", map[bool]int{false: 1, true: 2}[shares != ""]), columns["ags"], tie, false)
		if got := planRows(planStaffRE, plain); len(pageRows) < 90 || !slices.Equal(got, names(pageRows)) {
			t.Fatalf("%q: staffing %d rows %v…, want %d in AGS order %v…", shares, len(got), got[:min(4, len(got))], len(pageRows), names(pageRows)[:min(4, len(pageRows))])
		}
		for col, by := range columns {
			differs := false
			for _, desc := range []bool{false, true} {
				q := "?" + shares + "&personal-sortierung=" + col
				if desc {
					q += "&personal-richtung=ab"
				}
				page := get(q)
				want := names(wantOrder(pageRows, by, tie, desc))
				got := planRows(planStaffRE, page)
				if !slices.Equal(got, want) {
					t.Errorf("%s: staffing %v…, want %v…", q, got[:min(4, len(got))], want[:min(4, len(want))])
				}
				if !slices.Equal(got, names(pageRows)) {
					differs = true
				}
				if shares := planRows(planSharesRE, page); !slices.Equal(shares, sharesWant) {
					t.Errorf("%s: the shares table changed with the staffing sort: %v…, want %v…", q, shares[:min(4, len(shares))], sharesWant[:min(4, len(sharesWant))])
				}
				aria := map[bool]string{false: "ascending", true: "descending"}[desc]
				staffAria := ariaRE.FindAllStringSubmatch(planStaffRE.FindString(page), -1)
				if col == "ags" && len(staffAria) != 0 {
					t.Errorf("%s: aria-sort in the staffing table though it is in AGS order", q)
				}
				if col != "ags" && (len(staffAria) != 1 || staffAria[0][1] != aria) {
					t.Errorf("%s: staffing headers' aria-sort %v, want one %s", q, staffAria, aria)
				}
				sharesAria := ariaRE.FindAllStringSubmatch(planSharesRE.FindString(page), -1)
				if (shares == "") != (len(sharesAria) == 0) || (shares != "" && sharesAria[0][1] != "descending") {
					t.Errorf("%s: shares headers' aria-sort %v, want the shares' own sort", q, sharesAria)
				}
			}
			if col != "ags" && !differs {
				t.Errorf("%q: sorting by %s leaves the AGS order both ways: the data does not test the column", shares, col)
			}
		}
	}

	// Every link that keeps the page keeps both sorts: the pages, the
	// shares' and the staffing's headers, the scenarios, the forms.
	page := get("?sortierung=name&richtung=ab&seite=2&personal-sortierung=luecke&personal-richtung=ab")
	hrefRE := regexp.MustCompile(`(?:href|action)="([^"]*(?:/plan|/plan/[^"]*)?\?[^"]*)"`)
	checked := 0
	for _, m := range hrefRE.FindAllStringSubmatch(page, -1) {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.Contains(u, "/plan") && !strings.HasPrefix(u, "?") {
			continue
		}
		if strings.Contains(u, "/karte") || strings.Contains(u, ".svg") || strings.Contains(u, ".xlsx") || strings.Contains(u, "sprache=") {
			continue
		}
		checked++
		staffHeader := strings.HasSuffix(u, "#personal")
		shareHeader := strings.HasSuffix(u, "#anteile")
		if !staffHeader && !(strings.Contains(u, "personal-sortierung=luecke") && strings.Contains(u, "personal-richtung=ab")) {
			t.Errorf("link %s: loses the staffing sort", u)
		}
		if !shareHeader && !(strings.Contains(u, "sortierung=name") && strings.Contains(u, "&richtung=ab") || strings.Contains(u, "?richtung=ab")) {
			t.Errorf("link %s: loses the shares sort", u)
		}
		if staffHeader && !strings.Contains(u, "seite=2") {
			t.Errorf("staffing header %s: leaves the page", u)
		}
	}
	if checked < 10 {
		t.Errorf("%d links of the plan page checked, want the pager, headers, scenarios and forms", checked)
	}
	if !strings.Contains(page, `<input type="hidden" name="personal-sortierung" value="luecke">`) {
		t.Error("the search form loses the staffing sort")
	}

	// A scenario form returns to the page with both sorts.
	admin := r.signInAdmin(t)
	_, page, _ = admin.get(base + "?sortierung=name&richtung=ab&seite=2&personal-sortierung=luecke&personal-richtung=ab")
	m := regexp.MustCompile(`action="([^"]*/szenarien\?[^"]*)" class="row-form"`).FindStringSubmatch(page)
	sc := planScenarioRE.FindStringSubmatch(page)
	if m == nil || sc == nil {
		t.Fatal("no form for a new scenario or no scenario link")
	}
	code, _, h := admin.post(r.base+strings.ReplaceAll(m[1], "&amp;", "&"), url.Values{"name": {"Sortiert"}, "von": {sc[1]}})
	loc := h.Get("Location")
	if code != http.StatusSeeOther || !strings.Contains(loc, "personal-sortierung=luecke") || !strings.Contains(loc, "personal-richtung=ab") ||
		!strings.Contains(loc, "&sortierung=name") || !strings.Contains(loc, "seite=2") {
		t.Errorf("new scenario: %d to %q, want both sorts and the page kept", code, loc)
	}

	for _, q := range []string{"?personal-sortierung=anteil", "?personal-sortierung=gruppen", "?personal-richtung=seitwaerts"} {
		if code, _, _ := r.viewer.get(base + q); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}
