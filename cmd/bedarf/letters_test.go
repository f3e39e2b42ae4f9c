package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
	"bedarf/survey/store"
)

// lettersOn counts the letters on a page of letters.
func lettersOn(page string) int { return strings.Count(page, `<article class="letter"`) }

// csvRows reads a link list CSV into its records (without the byte order
// mark and the header).
func csvRows(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeffAGS;Kommune;Kontakt;Link;Status\r\n") {
		t.Fatalf("link CSV starts %.60q, want BOM and the header", body)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	cr.Comma = ';'
	out, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("link CSV: %v", err)
	}
	return out[1:]
}

// xlsxRows reads the sheet "Links" of a link list workbook without its header.
func xlsxRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("link workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Links")
	if err != nil {
		t.Fatalf("link workbook: %v", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ";") != "AGS;Kommune;Kontakt;Link;Status" {
		t.Fatalf("link workbook header %q", rows)
	}
	return rows[1:]
}

// TestLetterBundleFilters: the letters and link lists of a round follow
// the filter (all, not begun, not submitted) after a Kommune submits and
// another saves a draft; the CSV and the workbook list the same Kommunen
// with their contact, current link and status, text a spreadsheet would
// run neutralised in the CSV; the round's page leads there by a GET form.
func TestLetterBundleFilters(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	ctx := context.Background()
	invs, err := r.st.Invitations(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	count := func(st ...survey.ResponseStatus) int {
		n := 0
		for _, inv := range invs {
			for _, s := range st {
				if inv.Status == s {
					n++
				}
			}
		}
		return n
	}
	newBefore, openBefore := count(survey.StatusNew), count(survey.StatusNew, survey.StatusDraft, survey.StatusReturned)
	var fresh []store.Invitation
	var done store.Invitation
	for _, inv := range invs {
		switch inv.Status {
		case survey.StatusNew:
			fresh = append(fresh, inv)
		case survey.StatusSubmitted:
			done = inv
		}
	}
	if len(fresh) < 3 || done.ResponseID == 0 {
		t.Fatalf("the demo has %d Kommunen not begun and submitted %q: want 3 and one", len(fresh), done.Kommune.Name)
	}
	// One Kommune submits (the complete answers of another), one saves a draft.
	_, answers, err := r.st.Response(ctx, done.ResponseID)
	if err != nil {
		t.Fatal(err)
	}
	round, _ := r.st.Round(ctx, 1)
	qn, _ := r.st.Questionnaire(ctx, round.QuestionnaireID)
	submitter, drafter := fresh[0], fresh[1]
	if _, err := r.st.SaveResponse(ctx, store.Save{ResponseID: submitter.ResponseID, Answers: answers, Submit: true, Questionnaire: qn,
		Actor: survey.Actor{Kind: "kommune", Label: "Kommune"}}); err != nil {
		t.Fatalf("submit %s: %v", submitter.Kommune.Name, err)
	}
	if code, _ := r.kommuneSave(t, r.links[drafter.Kommune.AGS], "12"); code != http.StatusOK {
		t.Fatalf("draft of %s: %d", drafter.Kommune.Name, code)
	}
	// A contact for the mail merge, and a Kommune name a spreadsheet would run.
	if err := r.st.AddContact(ctx, drafter.Kommune.ID, "buero@kommune.example", "Büro", survey.Actor{Kind: "staff", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	evil := fresh[2].Kommune
	evil.Name = `=HYPERLINK("http://böse.example","Klick")`
	if err := r.st.UpsertKommunen(ctx, []survey.Kommune{evil}); err != nil {
		t.Fatal(err)
	}

	_, page, _ := b.get(r.base + "/verwaltung/runden/1/verwalten")
	for _, want := range []string{`<form method="get" action="/verwaltung/runden/1/einladungen"`, `name="status"`,
		`<option value="alle" selected>`, `<option value="nicht-begonnen">`, `<option value="ausstehend">`,
		`formaction="/verwaltung/runden/1/einladungen/links.csv"`, `formaction="/verwaltung/runden/1/einladungen/links.xlsx"`} {
		if !strings.Contains(page, want) {
			t.Errorf("round page: no %s", want)
		}
	}

	auditBefore := map[string]int{"export.letters": r.auditOf(t, "export.letters"), "export.links": r.auditOf(t, "export.links")}
	for _, tc := range []struct {
		filter string
		want   int
		in     func(store.Invitation) bool
	}{
		{"", len(invs), func(store.Invitation) bool { return true }},
		{"alle", len(invs), func(store.Invitation) bool { return true }},
		{"nicht-begonnen", newBefore - 2, func(inv store.Invitation) bool {
			return inv.Status == survey.StatusNew && inv.ResponseID != submitter.ResponseID && inv.ResponseID != drafter.ResponseID
		}},
		{"ausstehend", openBefore - 1, func(inv store.Invitation) bool {
			return inv.Status != survey.StatusSubmitted && inv.ResponseID != submitter.ResponseID
		}},
	} {
		t.Run("filter "+tc.filter, func(t *testing.T) {
			q := "?status=" + tc.filter
			code, page, _ := b.get(r.base + "/verwaltung/runden/1/einladungen" + q)
			if code != http.StatusOK {
				t.Fatalf("letters: %d", code)
			}
			if n := lettersOn(page); n != tc.want {
				t.Errorf("%d letters, want %d", n, tc.want)
			}
			_, csvBody, h := b.get(r.base + "/verwaltung/runden/1/einladungen/links.csv" + q)
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("CSV content type %q", ct)
			}
			_, xlsxBody, h := b.get(r.base + "/verwaltung/runden/1/einladungen/links.xlsx" + q)
			if cd := h.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") {
				t.Errorf("workbook disposition %q", cd)
			}
			csvR, xlsxR := csvRows(t, csvBody), xlsxRows(t, xlsxBody)
			if len(csvR) != tc.want || len(xlsxR) != tc.want {
				t.Fatalf("%d CSV rows and %d workbook rows, want %d", len(csvR), len(xlsxR), tc.want)
			}
			i := 0
			for _, inv := range invs {
				if !tc.in(inv) {
					continue
				}
				ags := inv.Kommune.AGS
				name, contact, status := inv.Kommune.Name, "", inv.Status
				switch inv.ResponseID {
				case submitter.ResponseID:
					status = survey.StatusSubmitted
				case drafter.ResponseID:
					status, contact = survey.StatusDraft, "buero@kommune.example"
				case evil.ID:
				}
				if ags == evil.AGS {
					name = evil.Name
				}
				wantX := []string{ags, name, contact, r.links[ags], status.Label()}
				wantC := slicesClone(wantX)
				if ags == evil.AGS {
					wantC[1] = "'" + evil.Name
				}
				if got := strings.Join(csvR[i], "|"); got != strings.Join(wantC, "|") {
					t.Errorf("CSV row %d: %s, want %s", i+1, got, strings.Join(wantC, "|"))
				}
				if got := strings.Join(padRow(xlsxR[i], 5), "|"); got != strings.Join(wantX, "|") {
					t.Errorf("workbook row %d: %s, want %s", i+1, got, strings.Join(wantX, "|"))
				}
				if !strings.Contains(page, r.links[ags]) {
					t.Errorf("the letters lack the link of %s", name)
				}
				i++
			}
		})
	}
	// Each view and download is audited; none made or replaced a link.
	if n := r.auditOf(t, "export.letters") - auditBefore["export.letters"]; n != 4 {
		t.Errorf("%d letter views audited, want 4", n)
	}
	if n := r.auditOf(t, "export.links") - auditBefore["export.links"]; n != 8 {
		t.Errorf("%d link list downloads audited, want 8", n)
	}
	for _, ags := range []string{submitter.Kommune.AGS, fresh[2].Kommune.AGS} {
		if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code != http.StatusSeeOther {
			t.Errorf("the link of %s no longer works after the bundle: %d", ags, code)
		}
	}
	if code, page, _ := b.get(r.base + "/verwaltung/runden/1/einladungen?status=eingereicht"); code != http.StatusBadRequest || !strings.Contains(page, "Diesen Filter gibt es nicht") {
		t.Errorf("unknown filter: %d", code)
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// padRow fills a workbook row read back to n cells (excelize leaves out
// empty trailing cells).
func padRow(row []string, n int) []string {
	for len(row) < n {
		row = append(row, "")
	}
	return row
}

// auditOf counts the audit log's entries of an action.
func (r *rig) auditOf(t *testing.T, action string) int {
	t.Helper()
	rows, _, err := r.st.AuditSearch(context.Background(), store.AuditFilter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

var newLinksRE = regexp.MustCompile(`(\d+) neue[r]? Links? erzeugt`)

// TestLetterBundleMissingLinks: a Kommune without a link has no letter;
// the bundle names it and leads to a confirmation that changes nothing;
// only its form makes links, for the Kommunen without one only (every
// other link stays valid), each audited, and shows them marked as new.
func TestLetterBundleMissingLinks(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	const ags = "03241005" // Garbsen
	if code, _, _ := b.post(r.base+"/verwaltung/runden/1/kommunen/"+ags+"/link/widerrufen", nil); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	bundle := r.base + "/verwaltung/runden/1/einladungen?status=alle"
	_, page, _ := b.get(bundle)
	if n := lettersOn(page); n != len(r.links)-1 {
		t.Errorf("%d letters with one link revoked, want %d", n, len(r.links)-1)
	}
	confirm := "/verwaltung/runden/1/einladungen/links-erzeugen?status=alle"
	for _, want := range []string{"1 Kommune in dieser Auswahl hat keinen aktiven Link", r.names[ags], `href="` + confirm + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("bundle lacks %q", want)
		}
	}
	issued := r.auditOf(t, "link.issue")
	code, page, _ := b.get(r.base + confirm)
	if code != http.StatusOK {
		t.Fatalf("confirmation: %d", code)
	}
	for _, want := range []string{"Für diese 1 Kommune wird ein neuer Link erzeugt", r.names[ags], "Kein Link, den Sie schon verschickt haben, wird ersetzt",
		`<form method="post" action="/verwaltung/runden/1/einladungen/links?status=alle">`, "Ja, 1 Link erzeugen"} {
		if !strings.Contains(page, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	if _, list, _ := strings.Cut(page, `<ul class="link-less">`); strings.Count(list[:strings.Index(list, "</ul>")], "<li>") != 1 {
		t.Errorf("confirmation lists %d Kommunen, want 1", strings.Count(list[:strings.Index(list, "</ul>")], "<li>"))
	}
	if n := r.auditOf(t, "link.issue"); n != issued {
		t.Errorf("the confirmation page made %d links", n-issued)
	}
	code, page, _ = b.post(r.base+"/verwaltung/runden/1/einladungen/links?status=alle", nil)
	if code != http.StatusOK {
		t.Fatalf("issue: %d", code)
	}
	if m := newLinksRE.FindStringSubmatch(page); m == nil || m[1] != "1" {
		t.Errorf("the answer does not say 1 new link: %v", m)
	}
	if n := lettersOn(page); n != len(r.links) {
		t.Errorf("%d letters after issuing, want %d", n, len(r.links))
	}
	if n := strings.Count(page, `<span class="badge">neuer Link</span>`); n != 1 {
		t.Errorf("%d letters marked new, want 1", n)
	}
	if n := r.auditOf(t, "link.issue") - issued; n != 1 {
		t.Errorf("%d links issued, want 1", n)
	}
	for a, link := range r.links {
		if a == ags {
			continue
		}
		if code, _, _ := newBrowser(t, r.base).get(link); code != http.StatusSeeOther {
			t.Errorf("the link of %s stopped working: %d", r.names[a], code)
		}
	}
	// Now every Kommune has a link: nothing to confirm.
	if _, page, _ = b.get(r.base + confirm); !strings.Contains(page, "es ist nichts zu erzeugen") || strings.Contains(page, `action="/verwaltung/runden/1/einladungen/links`) {
		t.Error("the confirmation offers links when every Kommune has one")
	}
	if code, _, _ = b.post(r.base+"/verwaltung/runden/1/einladungen/links?status=alle", nil); code != http.StatusOK || r.auditOf(t, "link.issue")-issued != 1 {
		t.Errorf("a second issue made links: %d", r.auditOf(t, "link.issue")-issued)
	}
}

// TestLetterBundleRoles: a viewer is refused the letters, link lists and
// the confirmation with the true reason (they carry the links), and cannot
// make links; English pages say it all in English.
func TestLetterBundleRoles(t *testing.T) {
	r := startRig(t)
	admin := loginAdmin(t, r.demo)
	code, page, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	if code != http.StatusOK {
		t.Fatalf("add viewer: %d", code)
	}
	v := r.signIn(t, "leser@bedarf.example", passwordRE.FindStringSubmatch(page)[1])
	for _, p := range []string{"", "/links.csv", "/links.xlsx", "/links-erzeugen"} {
		code, page, _ := v.get(r.base + "/verwaltung/runden/1/einladungen" + p + "?status=alle")
		if code != http.StatusForbidden || !strings.Contains(page, "enthalten die persönlichen Links der Kommunen") || strings.Contains(page, r.links["03241001"]) {
			t.Errorf("viewer GET %s: %d, want 403 with the reason", p, code)
		}
	}
	issued := r.auditOf(t, "link.issue")
	if code, _, _ := v.post(r.base+"/verwaltung/runden/1/einladungen/links?status=alle", nil); code != http.StatusForbidden {
		t.Errorf("viewer POST links: %d, want 403", code)
	}
	if r.auditOf(t, "link.issue") != issued {
		t.Error("a viewer made links")
	}
	if _, page, _ := v.get(r.base + "/verwaltung/runden/1/verwalten"); strings.Contains(page, "/einladungen") {
		t.Error("the round's page offers a viewer the letters")
	}

	switchLang(t, v, r.base, "en", "/verwaltung")
	if _, page, _ := v.get(r.base + "/verwaltung/runden/1/einladungen"); !strings.Contains(page, "contain the municipalities&#39; personal links") {
		t.Error("the English refusal does not give the reason")
	}
	switchLang(t, admin, r.base, "en", "/verwaltung")
	_, page, _ = admin.get(r.base + "/verwaltung/runden/1/verwalten")
	for _, want := range []string{"Invitation letters and links of all municipalities", "Which municipalities?", "not begun yet", "Links as CSV"} {
		if !strings.Contains(page, want) {
			t.Errorf("English round page lacks %q", want)
		}
	}
	_, page, _ = admin.get(r.base + "/verwaltung/runden/1/einladungen?status=nicht-begonnen")
	for _, want := range []string{"Invitation letters:", "letters for “not begun yet”", "No link is made anew", "only the letters are printed"} {
		if !strings.Contains(page, want) {
			t.Errorf("English letters page lacks %q", want)
		}
	}
	for _, german := range []string{"Welche Kommunen?", "Briefe für", "Links als CSV", "Es wird dabei kein Link"} {
		if strings.Contains(page, german) {
			t.Errorf("English letters page says %q", german)
		}
	}
	if !bytes.Contains([]byte(page), []byte(`<article class="letter"`)) || !strings.Contains(page, `lang="de"`) {
		t.Error("the letters are not marked German on the English page")
	}
}
