package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bedarf/survey"
	"bedarf/survey/store"
)

// addViewer adds a viewer through the users page and signs them in.
func addViewer(t *testing.T, r *rig, admin *browser) *browser {
	t.Helper()
	code, page, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	if code != http.StatusOK {
		t.Fatalf("add viewer: %d", code)
	}
	pw := passwordRE.FindStringSubmatch(page)
	if pw == nil {
		t.Fatal("generated password not shown")
	}
	return r.signIn(t, "leser@bedarf.example", pw[1])
}

// released returns whether round 1's results are released, and with which
// minimum group.
func released(t *testing.T, r *rig) (bool, int) {
	t.Helper()
	rel, ok, err := r.st.Release(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return ok, rel.MinGroup
}

// unreleaseDemo withdraws the release the demo seeds (it fails when the
// demo has none), so a test starts from results not released.
func unreleaseDemo(t *testing.T, r *rig) {
	t.Helper()
	if ok, n := released(t, r); !ok || n != 5 {
		t.Fatalf("the demo's round: released %v with min group %d, want released with 5", ok, n)
	}
	if err := r.st.WithdrawRelease(context.Background(), 1, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
}

// TestReleaseRefusals: a viewer, a cross-site form and bad minimum group sizes are refused with a clear answer and change
// nothing; the admin's release and withdraw go through their confirmation
// pages and into the audit log.
func TestReleaseRefusals(t *testing.T) {
	r := startRig(t)
	unreleaseDemo(t, r)
	admin := loginAdmin(t, r.demo)
	viewer := addViewer(t, r, admin)
	base := r.base + "/verwaltung/runden/1/ergebnisse"

	// The viewer sees the page without any form that changes something.
	code, page, _ := viewer.get(base)
	if code != http.StatusOK || !strings.Contains(page, "nicht freigegeben") {
		t.Fatalf("viewer's release page: %d", code)
	}
	if n := changingForms(page); n != 1 { // only "Abmelden"
		t.Errorf("viewer's release page shows %d forms that change something", n-1)
	}
	if code, page, _ := viewer.get(base + "/freigeben?mindestgruppe=5"); code != http.StatusForbidden || !strings.Contains(page, "Nur die Administration") {
		t.Errorf("viewer's confirmation page: %d, want 403 with the reason", code)
	}

	before := r.auditCount(t)
	// The admin's session, sent by a form on another site.
	crossSite := &browser{t: t, c: admin.c, origin: "http://angreifer.example", fetchSite: "cross-site"}
	cases := []struct {
		name string
		b    *browser
		path string
		form url.Values
		want int
		text string
	}{
		{"viewer releases", viewer, "/freigeben", url.Values{"mindestgruppe": {"5"}}, http.StatusForbidden, "Keine Berechtigung"},
		{"cross-site form", crossSite, "/freigeben", url.Values{"mindestgruppe": {"5"}}, http.StatusForbidden, "fremden Seite"},
		{"min group 2", admin, "/freigeben", url.Values{"mindestgruppe": {"2"}}, http.StatusUnprocessableEntity, "von 3 bis 100"},
		{"min group 101", admin, "/freigeben", url.Values{"mindestgruppe": {"101"}}, http.StatusUnprocessableEntity, "von 3 bis 100"},
		{"min group text", admin, "/freigeben", url.Values{"mindestgruppe": {"fünf"}}, http.StatusUnprocessableEntity, "ganze Zahl"},
		{"min group empty", admin, "/freigeben", url.Values{}, http.StatusUnprocessableEntity, "ganze Zahl"},
		{"withdraw unreleased", admin, "/zuruecknehmen", nil, http.StatusConflict, "nicht freigegeben"},
		{"viewer withdraws", viewer, "/zuruecknehmen", nil, http.StatusForbidden, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, page, _ := tc.b.post(base+tc.path, tc.form)
			if code != tc.want || !strings.Contains(page, tc.text) {
				t.Errorf("POST %s: %d, want %d with %q", tc.path, code, tc.want, tc.text)
			}
			if ok, _ := released(t, r); ok {
				t.Fatal("released after a refused request")
			}
		})
	}
	if code, page, _ := admin.get(base + "/freigeben?mindestgruppe=1"); code != http.StatusUnprocessableEntity || !strings.Contains(page, `aria-invalid="true"`) {
		t.Errorf("confirmation with min group 1: %d, want 422 with the field marked", code)
	}
	if after := r.auditCount(t); after != before {
		t.Errorf("refused requests wrote %d audit entries", after-before)
	}

	// The admin: confirmation page (GET, changes nothing), then the release.
	code, page, _ = admin.get(base + "/freigeben?mindestgruppe=6&namen=ja")
	if code != http.StatusOK || !strings.Contains(page, `name="mindestgruppe" value="6"`) || !strings.Contains(page, `name="namen" value="ja"`) {
		t.Fatalf("confirmation page: %d", code)
	}
	if ok, _ := released(t, r); ok {
		t.Fatal("the confirmation page released")
	}
	if code, _, h := admin.post(base+"/freigeben", url.Values{"mindestgruppe": {"6"}, "namen": {"ja"}}); code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "hinweis=freigegeben") {
		t.Fatalf("release: %d %s", code, h.Get("Location"))
	}
	if ok, n := released(t, r); !ok || n != 6 {
		t.Fatalf("after release: released %v, min group %d; want 6", ok, n)
	}
	rows, _, err := r.st.AuditSearch(context.Background(), store.AuditFilter{Action: "results.release"})
	if err != nil || len(rows) != 2 || !strings.Contains(rows[0].Detail, "Mindestgruppe 6") || !strings.Contains(rows[0].Detail, "sichtbar: ja") {
		t.Fatalf("audit of the release: %+v %v", rows, err)
	}
	_, dash, _ := admin.get(r.base + "/verwaltung/runden/1")
	if !strings.Contains(dash, "Ergebnisse geöffnet: 0 von 21.") {
		t.Error("the dashboard does not count the opened results")
	}
	if code, _, _ := viewer.post(base+"/zuruecknehmen", nil); code != http.StatusForbidden {
		t.Errorf("viewer withdraws: %d", code)
	}
	if ok, _ := released(t, r); !ok {
		t.Fatal("a viewer withdrew the release")
	}
	if code, page, _ := admin.get(base + "/zuruecknehmen"); code != http.StatusOK || !strings.Contains(page, `action="/verwaltung/runden/1/ergebnisse/zuruecknehmen"`) {
		t.Fatalf("withdraw confirmation: %d", code)
	}
	if code, _, _ := admin.post(base+"/zuruecknehmen", nil); code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", code)
	}
	if ok, _ := released(t, r); ok {
		t.Fatal("still released after withdraw")
	}
	if rows, _, _ := r.st.AuditSearch(context.Background(), store.AuditFilter{Action: "results.withdraw"}); len(rows) != 2 {
		t.Errorf("withdraw audit entries: %d, want 2 (the test's first and the admin's)", len(rows))
	}
}
