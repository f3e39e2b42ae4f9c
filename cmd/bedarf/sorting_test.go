package main

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// wantOrder is the order a sorted table must show: rows by by, equal ones
// by tie (their AGS), all reversed when desc.
func wantOrder[T any](rows []T, by, tie func(a, b T) int, desc bool) []T {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b T) int {
		c := cmp.Or(by(a, b), tie(a, b))
		if desc {
			return -c
		}
		return c
	})
	return out
}

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
		{web.KommunenPath, regexp.MustCompile(`<tr><td>(\d{8,12})</td>`), map[string]func(a, b survey.Kommune) int{
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
		{web.ContactsPath, regexp.MustCompile(`<td>(\d{8,12})</td>\s*<th scope="row"><a href="/verwaltung/kontakte/`), map[string]func(a, b survey.Kommune) int{
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
				if by == nil {
					by = func(a, b survey.Kommune) int { return 0 }
				}
				want := wantOrder(ks, by, func(a, b survey.Kommune) int { return strings.Compare(a.AGS, b.AGS) }, desc)
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

// TestPlanSharesSorted: the plan's shares table of a round of 350
// Kommunen (paged) sorts by each of its columns both ways; the page's
// Kommunen follow the order, ties keep the order of the AGS, and the
// pager keeps the sort. The values are those the unsorted table shows.
func TestPlanSharesSorted(t *testing.T) {
	r := startOverviewRig(t)
	base := fmt.Sprintf("%s/verwaltung/runden/%d/plan", r.base, r.big.ID)
	rowRE := regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>[^<]*</td><td>([^<]*)</td></tr>`)
	type share struct {
		name  string
		agsAt int // rank in AGS order
		n     [5]int
		gross float64
	}
	read := func(q string) ([]share, string) {
		t.Helper()
		code, page, _ := r.viewer.get(base + q)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", q, code)
		}
		var out []share
		for _, m := range rowRE.FindAllStringSubmatch(planSharesRE.FindString(page), -1) {
			s := share{name: html.UnescapeString(m[1])}
			for i := range 5 {
				s.n[i], _ = strconv.Atoi(m[2+i])
			}
			g := strings.NewReplacer(".", "", ",", ".", "\u00a0€", "", " €", "").Replace(html.UnescapeString(m[7]))
			var err error
			if s.gross, err = strconv.ParseFloat(g, 64); err != nil {
				t.Fatalf("gross share %q: %v", m[7], err)
			}
			out = append(out, s)
		}
		return out, page
	}
	var all []share
	for page := 1; ; page++ {
		rows, _ := read(fmt.Sprintf("?seite=%d", page))
		if len(rows) == 0 || page > 10 {
			t.Fatalf("page %d: no rows", page)
		}
		all = append(all, rows...)
		if len(rows) < 100 {
			break
		}
	}
	for i := range all {
		all[i].agsAt = i
	}
	if len(all) <= 100 {
		t.Fatalf("%d Kommunen in the plan: want more than a page", len(all))
	}
	for col, by := range map[string]func(a, b share) int{
		"ags":       func(a, b share) int { return 0 },
		"name":      func(a, b share) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) },
		"personen":  func(a, b share) int { return cmp.Compare(a.n[0], b.n[0]) },
		"eigene":    func(a, b share) int { return cmp.Compare(a.n[1], b.n[1]) },
		"gemeinsam": func(a, b share) int { return cmp.Compare(a.n[2], b.n[2]) },
		"online":    func(a, b share) int { return cmp.Compare(a.n[3], b.n[3]) },
		"ohne":      func(a, b share) int { return cmp.Compare(a.n[4], b.n[4]) },
		"anteil":    func(a, b share) int { return cmp.Compare(a.gross, b.gross) },
	} {
		for _, desc := range []bool{false, true} {
			q := "?sortierung=" + col
			if desc {
				q += "&richtung=ab"
			}
			want := wantOrder(all, by, func(a, b share) int { return cmp.Compare(a.agsAt, b.agsAt) }, desc)
			p1, page := read(q)
			p2, _ := read(q + "&seite=2")
			var got, wantNames []string
			for _, s := range append(p1, p2...) {
				got = append(got, s.name)
			}
			for _, s := range want[:len(got)] {
				wantNames = append(wantNames, s.name)
			}
			if len(got) != 200 || !slices.Equal(got, wantNames) {
				t.Errorf("%s: %d rows %v…, want %v…", q, len(got), got[:min(4, len(got))], wantNames[:4])
			}
			aria := map[bool]string{false: "ascending", true: "descending"}[desc]
			if col != "ags" && strings.Count(page, `aria-sort="`+aria+`"`) != 1 {
				t.Errorf("%s: no header %s", q, aria)
			}
			if col == "ags" && strings.Contains(page, "aria-sort") {
				t.Errorf("%s: aria-sort on a column though the table is in AGS order", q)
			}
		}
	}
	if code, _, _ := r.viewer.get(base + "?sortierung=gruppen"); code != http.StatusBadRequest {
		t.Errorf("sorted by the groups column, which does not sort: %d, want 400", code)
	}
}

// TestInvitationsSorted: a round's invitations (round page "verwalten")
// sort by Kommune, status, own deadline and link, both ways, ties by AGS,
// checked against the stored invitations.
func TestInvitationsSorted(t *testing.T) {
	r := startOverviewRig(t)
	ctx := context.Background()
	invs, err := r.st.Invitations(ctx, r.big.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Own deadlines for some, no link for others: the columns differ.
	actor := survey.Actor{Kind: "system", Label: "Test"}
	for i, inv := range invs {
		if i%7 == 3 {
			if err := r.st.SetKommuneDeadline(ctx, inv.ResponseID, r.big.Deadline.AddDate(0, 0, 30+i%5), actor); err != nil {
				t.Fatal(err)
			}
		}
		if i%11 == 4 {
			if err := r.st.RevokeToken(ctx, inv.ResponseID, actor); err != nil {
				t.Fatal(err)
			}
		}
	}
	if invs, err = r.st.Invitations(ctx, r.big.ID); err != nil {
		t.Fatal(err)
	}
	rank := map[survey.ResponseStatus]int{survey.StatusNew: 0, survey.StatusDraft: 1, survey.StatusReturned: 2, survey.StatusSubmitted: 3}
	rowRE := regexp.MustCompile(`<tr id="k-(\d+)">`)
	for col, by := range map[string]func(a, b store.Invitation) int{
		"ags": func(a, b store.Invitation) int { return 0 },
		"kommune": func(a, b store.Invitation) int {
			return strings.Compare(strings.ToLower(a.Kommune.Name), strings.ToLower(b.Kommune.Name))
		},
		"status": func(a, b store.Invitation) int { return cmp.Compare(rank[a.Status], rank[b.Status]) },
		"frist":  func(a, b store.Invitation) int { return a.Deadline.Compare(b.Deadline) },
		"link":   func(a, b store.Invitation) int { return a.LinkCreated.Compare(b.LinkCreated) },
	} {
		for _, desc := range []bool{false, true} {
			q := fmt.Sprintf("%s/verwaltung/runden/%d/verwalten?sortierung=%s", r.base, r.big.ID, col)
			if desc {
				q += "&richtung=ab"
			}
			code, page, _ := r.viewer.get(q)
			if code != http.StatusOK {
				t.Fatalf("%s: %d", q, code)
			}
			var got, want []string
			for _, m := range rowRE.FindAllStringSubmatch(page, -1) {
				got = append(got, m[1])
			}
			for _, inv := range wantOrder(invs, by, func(a, b store.Invitation) int { return strings.Compare(a.Kommune.AGS, b.Kommune.AGS) }, desc) {
				want = append(want, inv.Kommune.AGS)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d rows %v…, want %d %v…", q, len(got), got[:min(4, len(got))], len(want), want[:min(4, len(want))])
			}
			aria := map[bool]string{false: "ascending", true: "descending"}[desc]
			if n := strings.Count(page, `aria-sort="`+aria+`"`); (col == "ags") != (n == 0) || n > 1 {
				t.Errorf("%s: %d headers %s", q, n, aria)
			}
		}
	}
}
