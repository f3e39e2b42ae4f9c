package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bedarf/survey"
)

// TestKommuneTablesSorted: the Kommunen and contacts tables sort by each
// of their columns, ascending and descending, by GET links in the
// headers; ties keep the order of the AGS; the sort stays when paging;
// the sorted column carries aria-sort; a column the table does not have
// answers 400. The expected orders are computed from the stored data.
func TestKommuneTablesSorted(t *testing.T) {
	r := startOverviewRig(t)
	ctx := context.Background()
	actor := survey.Actor{Kind: "system", Label: "Test"}
	admin := r.signInAdmin(t)
	ks, err := r.st.KommunenWithARS(ctx)
	if err != nil || len(ks) != 350 {
		t.Fatalf("%d Kommunen, %v", len(ks), err)
	}
	// Addresses for some Kommunen: 0 to 2 each, so the count has ties.
	contacts := map[int64]int{}
	for i, k := range ks {
		for j := range i % 3 {
			if i%5 == 0 {
				break
			}
			if err := r.st.AddContact(ctx, k.ID, fmt.Sprintf("k%d-%d@example.org", i, j), "", actor); err != nil {
				t.Fatal(err)
			}
			contacts[k.ID]++
		}
	}
	type table struct {
		path  string
		row   *regexp.Regexp
		cols  map[string]func(a, b survey.Kommune) int // nil: by AGS
		ariaN int                                      // how many headers
	}
	tables := []table{
		{kommunenPath, regexp.MustCompile(`<tr><td>(\d{8,12})</td>`), map[string]func(a, b survey.Kommune) int{
			"schluessel": nil,
			"ars":        func(a, b survey.Kommune) int { return strings.Compare(a.ARS, b.ARS) },
			"name": func(a, b survey.Kommune) int {
				return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			},
			"art": func(a, b survey.Kommune) int {
				return strings.Compare(strings.ToLower(a.Kind), strings.ToLower(b.Kind))
			},
			"einwohner": func(a, b survey.Kommune) int { return cmp.Compare(a.Population, b.Population) },
			"breite":    func(a, b survey.Kommune) int { return cmp.Compare(a.Lat, b.Lat) },
			"laenge":    func(a, b survey.Kommune) int { return cmp.Compare(a.Lon, b.Lon) },
		}, 7},
		{contactsPath, regexp.MustCompile(`<td>(\d{8,12})</td>\s*<th scope="row"><a href="/verwaltung/kontakte/`), map[string]func(a, b survey.Kommune) int{
			"schluessel": nil,
			"name": func(a, b survey.Kommune) int {
				return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			},
			"adressen": func(a, b survey.Kommune) int { return cmp.Compare(contacts[a.ID], contacts[b.ID]) },
		}, 3},
	}
	ariaRE := regexp.MustCompile(`<th scope="col"[^>]* aria-sort="(ascending|descending)"><a href="([^"]*)"`)
	for _, tb := range tables {
		for col, by := range tb.cols {
			for _, desc := range []bool{false, true} {
				q := "?sortierung=" + col
				if desc {
					q += "&richtung=ab"
				}
				want := slices.Clone(ks)
				slices.SortStableFunc(want, func(a, b survey.Kommune) int {
					c := 0
					if by != nil {
						c = by(a, b)
					}
					c = cmp.Or(c, strings.Compare(a.AGS, b.AGS))
					if desc {
						return -c
					}
					return c
				})
				var got []string
				var ariaPage string
				for page := 1; page <= 2; page++ { // two pages: the sort is kept when paging
					code, body, _ := admin.get(fmt.Sprintf("%s%s%s&seite=%d", r.base, tb.path, q, page))
					if code != http.StatusOK {
						t.Fatalf("%s%s: %d", tb.path, q, code)
					}
					for _, m := range tb.row.FindAllStringSubmatch(body, -1) {
						got = append(got, m[1])
					}
					if page == 1 {
						ariaPage = body
						if next := "sortierung=" + col; col != "schluessel" && !strings.Contains(body, `seite=2&amp;sortierung=`+col) && !strings.Contains(body, next+"&amp;seite=2") {
							t.Errorf("%s%s: the pager does not keep the sort", tb.path, q)
						}
					}
				}
				var wantAGS []string
				for _, k := range want[:200] {
					wantAGS = append(wantAGS, k.AGS)
				}
				if !slices.Equal(got, wantAGS) {
					t.Errorf("%s%s: order %v…, want %v…", tb.path, q, got[:min(5, len(got))], wantAGS[:5])
				}
				m := ariaRE.FindAllStringSubmatch(ariaPage, -1)
				wantAria := map[bool]string{false: "ascending", true: "descending"}[desc]
				if len(m) != 1 || m[0][1] != wantAria || strings.Contains(m[0][2], "richtung=ab") == desc {
					t.Errorf("%s%s: aria-sort %v, want one %s header whose link reverses it", tb.path, q, m, wantAria)
				}
				if n := strings.Count(ariaPage, `class="sort"`); n != tb.ariaN {
					t.Errorf("%s: %d sortable headers, want %d", tb.path, n, tb.ariaN)
				}
			}
		}
		for _, q := range []string{"?sortierung=gibt-es-nicht", "?richtung=seitwaerts"} {
			if code, _, _ := admin.get(r.base + tb.path + q); code != http.StatusBadRequest {
				t.Errorf("%s%s: %d, want 400", tb.path, q, code)
			}
		}
	}
}
