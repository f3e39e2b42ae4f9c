package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// TestKommuneListsPaged: the pages that list every Kommune (Kommunen,
// contacts, a new round's choice) show a region of 350 Kommunen 100 to a
// page with a search by name or key and a pager, as the overview does;
// nonsense in the address answers 400. A new round can invite Kommunen of
// several pages by their keys, and unknown keys are refused by name.
func TestKommuneListsPaged(t *testing.T) {
	r := startOverviewRig(t)
	ctx := context.Background()
	const email, password = "admin@bedarf.example", "verwalten-verwalten-42"
	if _, err := r.st.CreateUser(ctx, email, "Verwaltung", store.RoleAdmin, password, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	admin := signIn(t, r.base, email, password)
	ks, err := r.st.Kommunen(ctx)
	if err != nil || len(ks) != 350 {
		t.Fatalf("%d Kommunen, %v", len(ks), err)
	}
	rows := map[string]*regexp.Regexp{
		web.KommunenPath: regexp.MustCompile(`<tr><td>(\d{8,12})</td>`),
		web.ContactsPath: regexp.MustCompile(`<td>(\d{8,12})</td>\s*<th scope="row"><a href="/verwaltung/kontakte/`),
		web.NewRoundPath: regexp.MustCompile(`name="kommune" value="\d+"[^>]*> [^<]* <span class="muted">(\d{8,12})</span>`),
	}
	pagerLabel := map[string]string{web.KommunenPath: "Seiten der gespeicherten Kommunen", web.ContactsPath: "Seiten der Kommunen mit ihren Adressen", web.NewRoundPath: "Seiten der gespeicherten Kommunen"}
	target := ks[123]
	for path, rowRE := range rows {
		t.Run(path, func(t *testing.T) {
			keys := func(q string) []string {
				t.Helper()
				code, page, _ := admin.get(r.base + path + q)
				if code != http.StatusOK {
					t.Fatalf("%s: %d", q, code)
				}
				var out []string
				for _, m := range rowRE.FindAllStringSubmatch(page, -1) {
					out = append(out, m[1])
				}
				if !strings.Contains(page, fmt.Sprintf(`aria-label="%s"`, pagerLabel[path])) && len(out) < 350 && q == "" {
					t.Errorf("%s: no pager", q)
				}
				return out
			}
			first := keys("")
			if len(first) != 100 || first[0] != ks[0].AGS {
				t.Errorf("first page: %d rows from %v; want 100 from %s", len(first), first[:min(1, len(first))], ks[0].AGS)
			}
			if last := keys("?seite=4"); len(last) != 50 || last[49] != ks[349].AGS {
				t.Errorf("page 4: %d rows; want the last 50", len(last))
			}
			if got := keys("?pro_seite=10&seite=13"); len(got) != 10 || got[0] != ks[120].AGS {
				t.Errorf("10 per page, page 13: %v", got)
			}
			if got := keys("?suche=" + url.QueryEscape(target.AGS)); len(got) != 1 || got[0] != target.AGS {
				t.Errorf("search by key %s: %v", target.AGS, got)
			}
			if got := keys("?suche=" + url.QueryEscape(strings.ToUpper(target.Name))); !slices.Contains(got, target.AGS) {
				t.Errorf("search by name %q: %v", target.Name, got)
			}
			for _, q := range []string{"?seite=0", "?pro_seite=7", "?suche=" + strings.Repeat("x", 101)} {
				if code, _, _ := admin.get(r.base + path + q); code != http.StatusBadRequest {
					t.Errorf("%s: %d; want 400", q, code)
				}
			}
		})
	}

	// Invite Kommunen of pages 1 and 4 by their keys (one without its
	// leading zero, as a spreadsheet writes it) and one ticked.
	form := func(keys string) url.Values {
		today := time.Now().Format(time.DateOnly)
		return url.Values{"fragebogen": {fmt.Sprint(r.big.QuestionnaireID)}, "titel": {"Auswahl"}, "beginn": {today}, "frist": {today},
			"kommune": {fmt.Sprint(ks[5].ID)}, "schluessel": {keys}}
	}
	code, page, _ := admin.post(r.base+"/verwaltung/runden", form(ks[300].AGS+", 99999999\n"+strings.TrimPrefix(ks[2].AGS, "0")))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Diese Schlüssel gehören zu keiner gespeicherten Kommune: 99999999") {
		t.Fatalf("unknown key: %d\n%s", code, diagnostics(page))
	}
	code, _, h := admin.post(r.base+"/verwaltung/runden", form(ks[300].AGS+";"+strings.TrimPrefix(ks[2].AGS, "0")))
	if code != http.StatusSeeOther {
		t.Fatalf("keys of two pages: %d", code)
	}
	var id int64
	fmt.Sscanf(h.Get("Location"), "/verwaltung/runden/%d", &id)
	resps, err := r.st.Responses(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var invited []string
	for _, x := range resps {
		invited = append(invited, x.Kommune.AGS)
	}
	if want := []string{ks[2].AGS, ks[5].AGS, ks[300].AGS}; !slices.Equal(slices.Sorted(slices.Values(invited)), slices.Sorted(slices.Values(want))) {
		t.Errorf("invited %v; want %v", invited, want)
	}
}
