package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

var (
	planSectionRE = func(id string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)<section aria-labelledby="` + id + `">.*?</section>`)
	}
	planSharesRE   = planSectionRE("anteile")
	planStaffRE    = planSectionRE("personal")
	planCompareRE  = planSectionRE("vergleich")
	planRowRE      = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th>`)
	planPagerRE    = regexp.MustCompile(`(?s)<nav class="pages" aria-label="Seiten der Kommunen des Plans">.*?</nav>`)
	planShownRE    = regexp.MustCompile(`Gezeigt werden (\d+) der (\d+) Gruppen`)
	planScenarioRE = regexp.MustCompile(`href="\?(?:[^"]*&amp;)?szenario=(\d+)#parameter">(?:<bdi>)?Standard(?:</bdi>)?</a>`)
)

// planRows returns the Kommunen of a table of the plan page, by name.
func planRows(re *regexp.Regexp, page string) []string {
	var out []string
	for _, m := range planRowRE.FindAllStringSubmatch(re.FindString(page), -1) {
		if n := html.UnescapeString(m[1]); !strings.HasPrefix(n, "Summe") {
			out = append(out, n)
		}
	}
	return out
}

// signInAdmin adds an admin to the overview rig and signs her in.
func (r *overviewRig) signInAdmin(t *testing.T) *browser {
	t.Helper()
	const email, password = "chefin@bedarf.example", "planen-planen-planen-42"
	if _, err := r.st.CreateUser(context.Background(), email, "Chefin", store.RoleAdmin, password, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, r.base)
	if code, body, _ := b.post(r.base+"/anmelden", url.Values{"email": {email}, "passwort": {password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d\n%s", code, body)
	}
	return b
}

// TestPlanPages: the plan of a round of 350 Kommunen lists its Kommunen 100
// to a page with a search; notes, groups, shares, training demand and
// staffing follow the page while the comparison of scenarios and every
// total stay whole; nonsense in the address answers 400 in German; a round
// without more than 100 looks as before; scenario forms keep the page.
func TestPlanPages(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	// The plan's Kommunen: those that submitted, by AGS.
	var inPlan []survey.Kommune
	for _, x := range r.resps {
		if x.Status == survey.StatusSubmitted {
			inPlan = append(inPlan, x.Kommune)
		}
	}
	if len(inPlan) <= 2*web.ListPageSize {
		t.Fatalf("the seed has %d submitted: want more than two pages", len(inPlan))
	}
	base := fmt.Sprintf("/verwaltung/runden/%d/plan", r.big.ID)
	code, first, _ := r.viewer.get(r.base + base)
	if code != http.StatusOK {
		t.Fatalf("plan page: %d", code)
	}
	// The comparison of scenarios, its links (which keep the page) aside.
	hrefRE := regexp.MustCompile(`href="[^"]*"`)
	compareOf := func(page string) string { return hrefRE.ReplaceAllString(planCompareRE.FindString(page), "") }
	compare := compareOf(first)
	if compare == "" || !strings.Contains(first, fmt.Sprintf("Der Plan umfasst %d Kommunen.", len(inPlan))) {
		t.Fatalf("plan page without comparison or count of Kommunen")
	}
	allGroups := planShownRE.FindStringSubmatch(first)
	sumRow := regexp.MustCompile(`<tfoot><tr><th scope="row">Summe aller \d+ Kommunen</th>.*</tr></tfoot>`).FindString(first)
	if allGroups == nil || sumRow == "" {
		t.Fatal("no count of groups or no total row")
	}
	nameOf := inPlan[150].Name
	for _, tc := range []struct {
		name, query string
		match       func(survey.Kommune) bool
		page, size  int
		pager       []string // nil: not checked
	}{
		{"first page", "", nil, 1, 100, []string{"1*", "2", "3", "Nächste Seite"}},
		{"second page", "?seite=2", nil, 2, 100, nil},
		{"past the end: the last page", "?seite=99", nil, (len(inPlan) + 99) / 100, 100, nil},
		{"ten to a page", "?pro_seite=10&seite=5", nil, 5, 10, []string{"Vorherige Seite", "1", "2", "3", "4", "5*", "6", "7", "…", strconv.Itoa((len(inPlan) + 9) / 10), "Nächste Seite"}},
		{"search by name", "?suche=" + url.QueryEscape(strings.ToUpper(nameOf)), func(k survey.Kommune) bool {
			return strings.Contains(strings.ToLower(k.Name), strings.ToLower(nameOf))
		}, 1, 100, nil},
		{"search by AGS, 10 to a page", "?suche=01&pro_seite=10&seite=2", func(k survey.Kommune) bool {
			return strings.HasPrefix(k.AGS, "01") || strings.Contains(k.Name, "01")
		}, 2, 10, nil},
		{"nothing found", "?suche=gibt-es-nicht", func(survey.Kommune) bool { return false }, 1, 100, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page, _ := r.viewer.get(r.base + base + tc.query)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", tc.query, code)
			}
			var want []string
			for _, k := range inPlan {
				if tc.match == nil || tc.match(k) {
					want = append(want, k.Name)
				}
			}
			found := len(want)
			want = want[min(found, (tc.page-1)*tc.size):min(found, tc.page*tc.size)]
			if got := planRows(planSharesRE, page); !slices.Equal(got, want) {
				t.Errorf("shares: %d rows %v…, want %d %v…", len(got), got[:min(3, len(got))], len(want), want[:min(3, len(want))])
			}
			if got := planRows(planStaffRE, page); !slices.Equal(got, want) {
				t.Errorf("staffing: %d rows, want %d", len(got), len(want))
			}
			// The comparison and the totals cover every Kommune.
			if compareOf(page) != compare || !strings.Contains(page, sumRow) {
				t.Error("the comparison of scenarios or the total row changed with the page")
			}
			if m := planShownRE.FindStringSubmatch(page); m == nil || m[2] != allGroups[2] || len(want) == 0 && m[1] != "0" {
				t.Errorf("groups shown: %v, all: %s", m, allGroups[2])
			}
			switch {
			case found == 0:
				if !strings.Contains(page, "Keine Kommune passt zu Filter und Suche.") {
					t.Error("no notice that nothing was found")
				}
			case !strings.Contains(page, fmt.Sprintf("Kommunen %d bis %d von %d.", (tc.page-1)*tc.size+1, (tc.page-1)*tc.size+len(want), found)):
				t.Error("range of rows missing")
			}
			nav := planPagerRE.FindString(page)
			if pages := (found + tc.size - 1) / tc.size; (pages > 1) != (nav != "") {
				t.Errorf("%d pages, pager %q", pages, nav)
			}
			var texts []string
			q, _ := url.ParseQuery(strings.TrimPrefix(tc.query, "?"))
			for _, m := range pagerLinkRE.FindAllStringSubmatch(nav, -1) {
				text := m[4]
				if m[2] != "" {
					text += "*"
				}
				texts = append(texts, text)
				u, err := url.Parse(html.UnescapeString(m[1]))
				if err != nil || u.Path != base || u.Fragment != "auswahl" {
					t.Errorf("pager link %q", m[1])
					continue
				}
				for _, k := range []string{"suche", "pro_seite"} {
					if u.Query().Get(k) != q.Get(k) {
						t.Errorf("pager link %q loses %s=%s", m[1], k, q.Get(k))
					}
				}
			}
			if want := slices.DeleteFunc(slices.Clone(tc.pager), func(s string) bool { return s == "…" }); tc.pager != nil && !slices.Equal(texts, want) {
				t.Errorf("pager %v, want %v", texts, tc.pager)
			}
		})
	}

	// The search form: a GET form with labelled fields, the choice kept.
	_, page, _ := r.viewer.get(r.base + base + "?suche=Berg&pro_seite=50")
	for _, want := range []string{
		`<form method="get" action="` + base + `#auswahl" class="filters" role="search" aria-label="Kommunen des Plans suchen">`,
		`<label for="k-suche">Name oder AGS</label>`, `name="suche" value="Berg"`,
		`<label for="k-pro-seite">Je Seite</label>`, `<option value="50" selected>50</option>`,
		`<a href="` + base + `#auswahl">Filter zurücksetzen</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("searched page lacks %s", want)
		}
	}

	// Nonsense in the address: 400 with a German message, never a 500.
	requireListParamsRefused(t, r.viewer, r.base+base, []listParamCase{
		{"?seite=abc", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=0", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=-1", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=99999999999999999999999", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?pro_seite=1000", "Je Seite lassen sich 10, 25, 50, 100 Kommunen zeigen."},
		{"?pro_seite=-10", "Je Seite lassen sich 10, 25, 50, 100 Kommunen zeigen."},
		{"?suche=" + strings.Repeat("ä", 101), "Die Suche ist zu lang (höchstens 100 Zeichen)."},
		{"?suche=%00", "Die Suche enthält unzulässige Zeichen."},
		{"?suche=%FF", ""}, // not UTF-8: refused for every page
	})

	// A round without more than 100 Kommunen in its plan: as before, no
	// search, no pager, unless the address asks for pages.
	small := fmt.Sprintf("/verwaltung/runden/%d/plan", r.small.ID)
	code, page, _ = r.viewer.get(r.base + small)
	if code != http.StatusOK {
		t.Fatalf("small round: %d", code)
	}
	for _, unwanted := range []string{`id="auswahl"`, `role="search"`, `class="pages"`, "Summe aller", "Gezeigt werden"} {
		if strings.Contains(page, unwanted) {
			t.Errorf("small round shows %s", unwanted)
		}
	}
	if code, page, _ = r.viewer.get(r.base + small + "?pro_seite=10"); code != http.StatusOK || !strings.Contains(page, `id="auswahl"`) {
		t.Errorf("small round, 10 to a page: %d, no search", code)
	}
}

// TestPlanPagesScenarioForms: the scenario forms of a paged plan carry the
// page, search and page size, and what they return to shows the same
// Kommunen; a refused form does too. Nonsense in their address is dropped.
func TestPlanPagesScenarioForms(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	admin := r.signInAdmin(t)
	base := fmt.Sprintf("/verwaltung/runden/%d/plan", r.big.ID)
	const list = "pro_seite=10&seite=3&suche=0"
	code, page, _ := admin.get(r.base + base + "?" + list)
	if code != http.StatusOK {
		t.Fatalf("plan page: %d", code)
	}
	m := planScenarioRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no link to the scenario")
	}
	id := m[1]
	rows := planRows(planSharesRE, page)
	if len(rows) != 10 {
		t.Fatalf("page 3: %d rows", len(rows))
	}
	for _, want := range []string{
		`action="` + base + `/szenarien?pro_seite=10&amp;seite=3&amp;suche=0" class="row-form"`,
		`action="` + base + `/szenarien/` + id + `?pro_seite=10&amp;seite=3&amp;suche=0" novalidate`,
		`href="?pro_seite=10&amp;seite=3&amp;suche=0&amp;szenario=` + id + `#parameter"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("paged plan lacks %s", want)
		}
	}
	for _, tc := range []struct {
		name, path string
		form       url.Values
		code       int
		location   *regexp.Regexp // for 303
	}{
		{"save", "/szenarien/" + id + "?" + list, planForm(nil), http.StatusSeeOther,
			regexp.MustCompile(`^` + base + `\?pro_seite=10&seite=3&suche=0&szenario=\d+#parameter$`)},
		{"refused", "/szenarien/" + id + "?" + list, planForm(map[string]string{"GroupMin": "viel"}), http.StatusUnprocessableEntity, nil},
		{"new scenario", "/szenarien?" + list, url.Values{"name": {"Kleiner"}, "von": {id}}, http.StatusSeeOther,
			regexp.MustCompile(`^` + base + `\?pro_seite=10&seite=3&suche=0&szenario=\d+#parameter$`)},
		{"nonsense dropped", "/szenarien/" + id + "?pro_seite=7&seite=x", planForm(nil), http.StatusSeeOther,
			regexp.MustCompile(`^` + base + `\?szenario=\d+#parameter$`)},
		{"no list: as before", "/szenarien/" + id, planForm(nil), http.StatusSeeOther,
			regexp.MustCompile(`^` + base + `\?szenario=\d+#parameter$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page, h := admin.post(r.base+base+tc.path, tc.form)
			if code != tc.code {
				t.Fatalf("POST %s: %d, want %d\n%s", tc.path, code, tc.code, page[:min(len(page), 300)])
			}
			if code == http.StatusUnprocessableEntity {
				if got := planRows(planSharesRE, page); !slices.Equal(got, rows) || !strings.Contains(page, `aria-invalid="true"`) {
					t.Errorf("refused form: rows %v…, want page 3", got[:min(2, len(got))])
				}
				return
			}
			loc := h.Get("Location")
			if !tc.location.MatchString(loc) {
				t.Fatalf("Location %q", loc)
			}
			_, page, _ = admin.get(r.base + loc)
			if strings.Contains(loc, "seite=3") && !slices.Equal(planRows(planSharesRE, page), rows) {
				t.Error("the page returned to shows other Kommunen")
			}
		})
	}
	// Deleting the new scenario returns to the same Kommunen.
	_, page, _ = admin.get(r.base + base + "?" + list)
	sc := regexp.MustCompile(`href="\?[^"]*szenario=(\d+)#parameter"><bdi>Kleiner</bdi></a>`).FindStringSubmatch(page)
	if sc == nil {
		t.Fatal("the new scenario is not listed")
	}
	code, _, h := admin.post(r.base+base+"/szenarien/"+sc[1]+"/loeschen?"+list, nil)
	if code != http.StatusSeeOther || h.Get("Location") != base+"?"+list {
		t.Errorf("delete: %d to %q", code, h.Get("Location"))
	}
}
