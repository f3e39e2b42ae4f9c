package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/bench"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// overviewRig is a server on a bench database of 350 Kommunen (three
// rounds, the newest open and under way) plus a small round of 21, with a
// viewer signed in.
type overviewRig struct {
	st     *store.Store
	base   string
	viewer *browser
	big    survey.Round
	small  survey.Round
	resps  []survey.Response // the big round's, by AGS
}

func startOverviewRig(t *testing.T) *overviewRig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "overview.db")
	sealer, err := auth.LoadOrCreateKey(filepath.Join(dir, "overview.key"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := bench.BenchSeed(ctx, path, sealer, 350, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &overviewRig{st: st, big: d.Current}
	// A Kommune whose name a spreadsheet would run as a formula, not submitted.
	if r.resps, err = st.Responses(ctx, r.big.ID); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(r.resps, func(x survey.Response) bool { return x.Status != survey.StatusSubmitted })
	k := r.resps[i].Kommune
	k.Name = `=HYPERLINK("http://böse.example","Klick")`
	if err := st.UpsertKommunen(ctx, []survey.Kommune{k}); err != nil {
		t.Fatal(err)
	}
	if r.resps, err = st.Responses(ctx, r.big.ID); err != nil {
		t.Fatal(err)
	}
	ks, err := st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 21)
	for i := range ids {
		ids[i] = ks[i].ID
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	system := survey.Actor{Kind: "system", Label: "Test"}
	sid, err := st.CreateRound(ctx, store.NewRound{QuestionnaireID: r.big.QuestionnaireID, Title: "Kleine Runde", OpensOn: today,
		Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	if r.small, err = st.Round(ctx, sid); err != nil {
		t.Fatal(err)
	}
	const email, password = "leser@bedarf.example", "lesen-lesen-lesen-42"
	if _, err := st.CreateUser(ctx, email, "Leserin", store.RoleViewer, password, system); err != nil {
		t.Fatal(err)
	}
	r.base = serveStore(t, st, sealer)
	r.viewer = signIn(t, r.base, email, password)
	return r
}

var (
	overviewRowRE   = regexp.MustCompile(`<th scope="row"[^>]*><a href="/verwaltung/runden/\d+/kommunen/(\d+)" dir="auto">`)
	overviewPagerRE = regexp.MustCompile(`(?s)<nav class="pages" aria-label="Seiten der Kommunenliste">.*?</nav>`)
	pagerLinkRE     = regexp.MustCompile(`<a href="([^"]+)"( aria-current="page")?( rel="(?:prev|next)")?>(?:<span class="visually-hidden">Seite </span>)?([^<]+)</a>`)
)

// pagerLink is a link of the pager as the page shows it.
type pagerLink struct {
	text, href string
	current    bool
}

func pagerLinks(page string) []pagerLink {
	var out []pagerLink
	for _, m := range pagerLinkRE.FindAllStringSubmatch(overviewPagerRE.FindString(page), -1) {
		out = append(out, pagerLink{text: m[4], href: strings.ReplaceAll(m[1], "&amp;", "&"), current: m[2] != ""})
	}
	return out
}

// TestOverviewPages: a round of 350 Kommunen is listed 100 to a page, with
// filter, search and pager; the figures above stay complete; nonsense in
// the address answers 400 in German; a round of 21 looks as before.
func TestOverviewPages(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	submitted := func(x survey.Response) bool { return x.Status == survey.StatusSubmitted }
	all := func(survey.Response) bool { return true }
	var nMissing int
	for _, x := range r.resps {
		if !submitted(x) {
			nMissing++
		}
	}
	if nMissing < 101 || len(r.resps)-nMissing < 101 {
		t.Fatalf("the seed has %d missing and %d submitted: both must fill more than a page", nMissing, len(r.resps)-nMissing)
	}
	nameOf := r.resps[200].Kommune.Name
	base := fmt.Sprintf("/verwaltung/runden/%d", r.big.ID)
	for _, tc := range []struct {
		name, query string
		match       func(survey.Response) bool
		page, size  int // the page shown and the page size
		pages       int // 0: no pager
		pager       []string
	}{
		{"first page", "", all, 1, 100, 4, []string{"1*", "2", "3", "4", "Nächste Seite"}},
		{"second page", "?seite=2", all, 2, 100, 4, []string{"Vorherige Seite", "1", "2*", "3", "4", "Nächste Seite"}},
		{"last page", "?seite=4", all, 4, 100, 4, []string{"Vorherige Seite", "1", "2", "3", "4*"}},
		{"past the end: the last page", "?seite=40", all, 4, 100, 4, []string{"Vorherige Seite", "1", "2", "3", "4*"}},
		{"ten to a page, gaps", "?pro_seite=10&seite=18", all, 18, 10, 35,
			[]string{"Vorherige Seite", "1", "…", "16", "17", "18*", "19", "20", "…", "35", "Nächste Seite"}},
		{"submitted", "?status=eingereicht", submitted, 1, 100, 0, nil},
		{"not submitted, 25 to a page", "?status=ausstehend&pro_seite=25&seite=2", func(x survey.Response) bool { return !submitted(x) }, 2, 25, 0, nil},
		{"in progress", "?status=in-bearbeitung", func(x survey.Response) bool { return x.Status == survey.StatusDraft }, 1, 100, 0, nil},
		{"not begun", "?status=nicht-begonnen", func(x survey.Response) bool { return x.Status == survey.StatusNew }, 1, 100, 0, nil},
		{"returned", "?status=zurueckgegeben", func(x survey.Response) bool { return x.Status == survey.StatusReturned }, 1, 100, 0, nil},
		{"search by name", "?suche=" + url.QueryEscape(strings.ToUpper(nameOf)), func(x survey.Response) bool {
			return strings.Contains(strings.ToLower(x.Kommune.Name), strings.ToLower(nameOf))
		}, 1, 100, 0, nil},
		{"search by AGS", "?suche=01000", func(x survey.Response) bool { return strings.HasPrefix(x.Kommune.AGS, "01000") }, 1, 100, 0, nil},
		{"search and status, page 2", "?suche=01&status=alle&pro_seite=10&seite=2", func(x survey.Response) bool {
			return strings.HasPrefix(x.Kommune.AGS, "01") || strings.Contains(x.Kommune.Name, "01")
		}, 2, 10, 0, nil},
		{"nothing found", "?suche=gibt-es-nicht", func(survey.Response) bool { return false }, 1, 100, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page, _ := r.viewer.get(r.base + base + tc.query)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", tc.query, code)
			}
			var want []string
			for _, sub := range []bool{false, true} {
				for _, x := range r.resps {
					if tc.match(x) && submitted(x) == sub {
						want = append(want, x.Kommune.AGS)
					}
				}
			}
			found := len(want)
			if len(want) > 0 {
				want = want[(tc.page-1)*tc.size : min(tc.page*tc.size, len(want))]
			}
			var got []string
			for _, m := range overviewRowRE.FindAllStringSubmatch(page, -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, want) {
				t.Errorf("rows: got %d %v…, want %d %v…", len(got), got[:min(3, len(got))], len(want), want[:min(3, len(want))])
			}
			// The figures above cover every Kommune, whatever the list shows.
			if s := fmt.Sprintf("%d von %d", len(r.resps)-nMissing, len(r.resps)); !strings.Contains(page, s) {
				t.Errorf("progress %q missing", s)
			}
			if s := fmt.Sprintf(`%d stehen noch aus.`, nMissing); !strings.Contains(page, s) {
				t.Errorf("%q missing", s)
			}
			switch {
			case found == 0:
				if !strings.Contains(page, "Keine Kommune passt zu Filter und Suche.") || strings.Contains(page, `<table class="data">
  <caption class="visually-hidden">Kommunen der Runde`) {
					t.Error("no rows: no notice, or an empty table")
				}
			case !strings.Contains(page, fmt.Sprintf("Kommunen %d bis %d von %d", (tc.page-1)*tc.size+1, (tc.page-1)*tc.size+len(want), found)):
				t.Errorf("range of rows missing")
			}
			links := pagerLinks(page)
			if tc.pages == 0 {
				pages := (found + tc.size - 1) / tc.size
				if (pages > 1) != (len(links) > 0) {
					t.Errorf("%d pages, %d pager links", pages, len(links))
				}
			}
			if tc.pager != nil {
				var texts []string
				for _, l := range links {
					if l.current {
						l.text += "*"
					}
					texts = append(texts, l.text)
				}
				gaps := strings.Count(overviewPagerRE.FindString(page), `<li class="gap" aria-hidden="true">…</li>`)
				if want := slices.DeleteFunc(slices.Clone(tc.pager), func(s string) bool { return s == "…" }); !slices.Equal(texts, want) {
					t.Errorf("pager %v, want %v", texts, tc.pager)
				}
				if want := strings.Count(strings.Join(tc.pager, " "), "…"); gaps != want {
					t.Errorf("%d gaps, want %d", gaps, want)
				}
			}
			// Every pager link keeps filter, search and page size and leads
			// to the page it names.
			q, _ := url.ParseQuery(strings.TrimPrefix(tc.query, "?"))
			for _, l := range links {
				u, err := url.Parse(l.href)
				if err != nil || u.Path != base || u.Fragment != "kommunen" {
					t.Errorf("pager link %q", l.href)
					continue
				}
				for _, k := range []string{"status", "suche", "pro_seite"} {
					if q.Get(k) != "" && q.Get(k) != "alle" && u.Query().Get(k) != q.Get(k) {
						t.Errorf("pager link %q loses %s=%s", l.href, k, q.Get(k))
					}
				}
				if n, err := strconv.Atoi(l.text); err == nil && n > 1 && u.Query().Get("seite") != l.text {
					t.Errorf("pager link %q for page %s", l.href, l.text)
				}
			}
		})
	}

	// The filter form: a GET form with labelled fields, the choice kept.
	_, page, _ := r.viewer.get(r.base + base + "?status=zurueckgegeben&suche=Berg&pro_seite=50")
	for _, want := range []string{
		`<form method="get" action="` + base + `#kommunen" class="filters" role="search" aria-label="Kommunen filtern">`,
		`<label for="k-status">Status</label>`, `<option value="zurueckgegeben" selected>zurückgegeben</option>`,
		`<label for="k-suche">Name oder AGS</label>`, `name="suche" value="Berg"`,
		`<label for="k-pro-seite">Je Seite</label>`, `<option value="50" selected>50</option>`,
		`<a href="` + base + `#kommunen">Filter zurücksetzen</a>`,
		fmt.Sprintf(`<a href="%s/ausstehend.csv" download>Alle %d Kommunen, die noch nicht eingereicht haben, als CSV</a>`, base, nMissing),
		`<a href="` + base + `?pro_seite=50&amp;status=ausstehend#kommunen">` + fmt.Sprintf("%d stehen noch aus.", nMissing),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("filtered page lacks %s", want)
		}
	}
	if strings.Contains(page, `=HYPERLINK("http`) {
		t.Error("the Kommune's name is not escaped")
	}

	// Nonsense in the address: 400 with a German message, never a 500.
	long := strings.Repeat("x", 101)
	requireListParamsRefused(t, r.viewer, r.base+base, []listParamCase{
		{"?seite=abc", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=0", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=-3", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=2.5", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?seite=99999999999999999999999", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."},
		{"?status=offen", "Diesen Status-Filter gibt es nicht."},
		{"?sortierung=einwohner", "Nach dieser Spalte lässt sich nicht sortieren (ags, name, status, aktivitaet; Richtung auf oder ab)."},
		{"?sortierung=name&richtung=rueckwaerts", "Nach dieser Spalte lässt sich nicht sortieren (ags, name, status, aktivitaet; Richtung auf oder ab)."},
		{"?pro_seite=1000", "Je Seite lassen sich 10, 25, 50, 100 Kommunen zeigen."},
		{"?pro_seite=zehn", "Je Seite lassen sich 10, 25, 50, 100 Kommunen zeigen."},
		{"?suche=" + long, "Die Suche ist zu lang (höchstens 100 Zeichen)."},
		{"?suche=%00", "Die Suche enthält unzulässige Zeichen."},
		{"?suche=Ber%09g", "Die Suche enthält unzulässige Zeichen."},
		{"?suche=%FF", ""}, // not UTF-8: refused for every page
	})

	// 21 Kommunen: the whole list on one page, no pager, but the filter,
	// the search and the CSV of the outstanding Kommunen as in a large round.
	small := fmt.Sprintf("/verwaltung/runden/%d", r.small.ID)
	code, page, _ := r.viewer.get(r.base + small)
	if code != http.StatusOK {
		t.Fatalf("small round: %d", code)
	}
	if n := len(overviewRowRE.FindAllString(page, -1)); n != 21 {
		t.Errorf("small round: %d rows, want 21", n)
	}
	if strings.Contains(page, `class="pages"`) {
		t.Error("small round shows a pager")
	}
	for _, wanted := range []string{
		`<form method="get" action="` + small + `#kommunen" class="filters" role="search" aria-label="Kommunen filtern">`,
		fmt.Sprintf(`<a href="/verwaltung/runden/%d/ausstehend.csv" download>`, r.small.ID),
		`<a href="` + small + `?status=ausstehend#kommunen">21 stehen noch aus.</a>`,
		`id="ausstehend">Noch nicht eingereicht (21)`,
	} {
		if !strings.Contains(page, wanted) {
			t.Errorf("small round lacks %s", wanted)
		}
	}
	// The search and the filter work at this size too.
	rows := overviewRowRE.FindAllStringSubmatch(page, -1)
	if len(rows) == 0 {
		t.Fatal("small round: no rows")
	}
	ags := rows[len(rows)-1][1]
	_, page, _ = r.viewer.get(r.base + small + "?suche=" + url.QueryEscape(ags))
	if got := overviewRowRE.FindAllStringSubmatch(page, -1); len(got) != 1 || got[0][1] != ags {
		t.Errorf("small round, search %s: rows %v", ags, got)
	}
	_, page, _ = r.viewer.get(r.base + small + "?status=eingereicht")
	if n := len(overviewRowRE.FindAllString(page, -1)); n != 0 {
		t.Errorf("small round, submitted only: %d rows, want none", n)
	}
	// … unless the address asks for pages.
	_, page, _ = r.viewer.get(r.base + small + "?pro_seite=10&seite=3")
	if n := len(overviewRowRE.FindAllString(page, -1)); n != 1 || len(pagerLinks(page)) != 4 {
		t.Errorf("small round, 10 to a page, page 3: %d rows, %d pager links", n, len(pagerLinks(page)))
	}
}

// TestOverviewMissingCSV: the Kommunen not submitted yet, all of them, as
// German Excel opens a CSV, with formulas neutralised.
func TestOverviewMissingCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	code, body, h := r.viewer.get(fmt.Sprintf("%s/verwaltung/runden/%d/ausstehend.csv", r.base, r.big.ID))
	if code != http.StatusOK {
		t.Fatalf("CSV: %d", code)
	}
	if ct := h.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := h.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename=Ausstehend_%d.csv`, r.big.ID) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(body, "\ufeffAGS;Kommune;Art;Status;Letzte Aktivität;von\r\n") {
		t.Fatalf("CSV starts %q", body[:min(len(body), 80)])
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(body, "\ufeff"), "\r\n"), "\r\n")[1:]
	var want []survey.Response
	for _, x := range r.resps {
		if x.Status != survey.StatusSubmitted {
			want = append(want, x)
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	for i, x := range want {
		name := x.Kommune.Name
		if strings.HasPrefix(name, "=") {
			name = `"'` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
		last := ""
		if !x.UpdatedAt.IsZero() {
			last = x.UpdatedAt.In(survey.Berlin()).Format("02.01.2006 15:04")
		}
		if w := strings.Join([]string{x.Kommune.AGS, name, x.Kommune.Kind, x.Status.Label(), last, x.UpdatedBy}, ";"); lines[i] != w {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], w)
		}
	}
	if !strings.Contains(body, `;"'=HYPERLINK(""http://böse.example"",""Klick"")";`) {
		t.Error("the formula is not neutralised")
	}
}

// listParamCase is a query a paged list refuses, and the message (empty
// when another check refuses it first).
type listParamCase struct{ query, msg string }

// requireListParamsRefused checks that the page at u answers each query
// with 400 and its German message.
func requireListParamsRefused(t *testing.T, b *browser, u string, cases []listParamCase) {
	t.Helper()
	for _, tc := range cases {
		code, page, _ := b.get(u + tc.query)
		if code != http.StatusBadRequest || tc.msg != "" && (!strings.Contains(page, "Ungültige Angabe in der Adresse") || !strings.Contains(page, tc.msg)) {
			t.Errorf("GET %s: %d, want 400 with %q", tc.query[:min(len(tc.query), 30)], code, tc.msg)
		}
	}
}

// overviewNameRE finds the overview's rows: AGS and name.
var overviewNameRE = regexp.MustCompile(`<a href="/verwaltung/runden/\d+/kommunen/(\d+)" dir="auto">([^<]*)</a></th>`)

// asciiFold lowers ASCII letters only, as SQLite's NOCASE does.
func asciiFold(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// TestOverviewSort: the overview's Kommune table sorts on the server by
// the column whose header link is followed (GET, no JavaScript), inside
// the outstanding and submitted groups; the sorted header carries
// aria-sort, its link reverses the order, and the pager and the filter
// form keep the sort.
func TestOverviewSort(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 350 Kommunen in three rounds")
	}
	r := startOverviewRig(t)
	small := fmt.Sprintf("/verwaltung/runden/%d", r.small.ID)
	names := func(page string) (ags, names []string) {
		for _, m := range overviewNameRE.FindAllStringSubmatch(page, -1) {
			ags, names = append(ags, m[1]), append(names, html.UnescapeString(m[2]))
		}
		return ags, names
	}
	cases := []struct {
		query, header, aria string
		less                func(a, b [2]string) bool // rows in order
	}{
		{"", "AGS", "ascending", func(a, b [2]string) bool { return a[0] < b[0] }},
		{"?sortierung=name", "Kommune", "ascending", func(a, b [2]string) bool {
			return asciiFold(a[1]) < asciiFold(b[1]) || (asciiFold(a[1]) == asciiFold(b[1]) && a[0] < b[0])
		}},
		{"?sortierung=name&richtung=ab", "Kommune", "descending", func(a, b [2]string) bool {
			return asciiFold(a[1]) > asciiFold(b[1]) || (asciiFold(a[1]) == asciiFold(b[1]) && a[0] > b[0])
		}},
		{"?sortierung=ags&richtung=ab", "AGS", "descending", func(a, b [2]string) bool { return a[0] > b[0] }},
	}
	for _, tc := range cases {
		code, page, _ := r.viewer.get(r.base + small + tc.query)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, code)
		}
		ags, ns := names(page)
		if len(ags) != 21 {
			t.Fatalf("%s: %d rows, want 21", tc.query, len(ags))
		}
		for i := 1; i < len(ags); i++ {
			if !tc.less([2]string{ags[i-1], ns[i-1]}, [2]string{ags[i], ns[i]}) {
				t.Errorf("%s: row %d (%s %s) before row %d (%s %s)", tc.query, i, ags[i-1], ns[i-1], i+1, ags[i], ns[i])
				break
			}
		}
		sorted := regexp.MustCompile(`<th scope="col"[^>]* aria-sort="(\w+)"><a href="([^"]*)" class="sort">([^<]*)<`).FindAllStringSubmatch(page, -1)
		if len(sorted) != 1 || sorted[0][1] != tc.aria || sorted[0][3] != tc.header {
			t.Errorf("%s: sorted headers %v, want %s %s", tc.query, sorted, tc.header, tc.aria)
			continue
		}
		// The sorted header's link reverses the order.
		rev := "richtung=ab"
		if tc.aria == "descending" {
			rev = ""
		}
		if href := html.UnescapeString(sorted[0][2]); strings.Contains(href, "richtung=ab") != (rev != "") {
			t.Errorf("%s: the sorted header links %s", tc.query, href)
		}
	}
	// The filter form and the pager keep the sort.
	_, page, _ := r.viewer.get(r.base + small + "?sortierung=name&richtung=ab&pro_seite=10")
	for _, want := range []string{`<input type="hidden" name="sortierung" value="name">`, `<input type="hidden" name="richtung" value="ab">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the filter form lacks %s", want)
		}
	}
	links := pagerLinks(page)
	if len(links) == 0 {
		t.Fatal("no pager at 10 to a page")
	}
	for _, l := range links {
		if l.href != "" && (!strings.Contains(l.href, "sortierung=name") || !strings.Contains(l.href, "richtung=ab")) {
			t.Errorf("pager link %s drops the sort", l.href)
		}
	}
}
