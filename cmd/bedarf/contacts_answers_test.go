package main

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bedarf/survey"
	"bedarf/survey/store"
)

var (
	copyBoxRE  = regexp.MustCompile(`name="kommune" value="(\d+)"`)
	copyAddrRE = regexp.MustCompile(`name="adresse_(\d+)" value="([^"]*)"`)
)

// copyForm returns the apply form as the preview page fills it: every
// ticked Kommune with the address shown.
func copyForm(t *testing.T, page string) url.Values {
	t.Helper()
	f := url.Values{"frage": {"kontakt_email"}}
	for _, m := range copyBoxRE.FindAllStringSubmatch(page, -1) {
		f.Add("kommune", m[1])
	}
	for _, m := range copyAddrRE.FindAllStringSubmatch(page, -1) {
		f.Set("adresse_"+m[1], m[2])
	}
	return f
}

// TestContactsFromAnswers: staff take the Kommunen's answered e-mail
// addresses into the contact addresses after a preview; invalid ones are
// listed and not taken, drafts are labelled, a second apply changes
// nothing, a changed answer replaces the earlier copy (and a preview that
// is out of date takes nothing), and viewers are refused with the reason.
func TestContactsFromAnswers(t *testing.T) {
	r := startRig(t)
	ctx := context.Background()
	admin := r.signIn(t, r.email, r.password)
	page := r.base + "/verwaltung/runden/1/kontakte-aus-antworten"
	qn, err := r.st.Questionnaire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := r.st.Responses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var submitted, fresh []survey.Response
	for _, resp := range resps {
		switch resp.Status {
		case survey.StatusSubmitted:
			submitted = append(submitted, resp)
		case survey.StatusNew:
			fresh = append(fresh, resp)
		}
	}
	if len(submitted) != 8 || len(fresh) < 2 {
		t.Fatalf("demo: %d submitted, %d not begun", len(submitted), len(fresh))
	}
	saveEmail := func(resp survey.Response, email string) {
		t.Helper()
		cur, _, err := r.st.Response(ctx, resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		res := qn.Check(map[string][]string{"q.kontakt_email": {email}}, survey.Draft)
		if _, err := r.st.SaveResponse(ctx, store.Save{ResponseID: resp.ID, BaseRevision: cur.Revision, Answers: res.Answers,
			Questionnaire: qn, ByStaff: true, Actor: survey.Actor{Kind: "staff", Label: "Test"}}); err != nil {
			t.Fatal(err)
		}
	}
	x, y, w := submitted[0].Kommune, fresh[0].Kommune, fresh[1].Kommune
	saveEmail(fresh[0], "neu@y.example")
	saveEmail(fresh[1], "kein-at.example")
	_, xAns, err := r.st.Response(ctx, submitted[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	xEmail := xAns[survey.Key{Question: "kontakt_email"}].Raw
	if code, _, _ := admin.post(r.base+"/verwaltung/kontakte/"+x.AGS, url.Values{"email": {xEmail}}); code != http.StatusSeeOther {
		t.Fatalf("typing %s's address: %d", x.Name, code)
	}

	// The preview: 8 submitted + 2 demo drafts + 2 saved here; one address
	// is there already (typed), one is invalid; three come from drafts.
	code, body, _ := admin.get(page)
	if code != http.StatusOK {
		t.Fatalf("preview: %d", code)
	}
	for _, want := range []string{"Zu übernehmen: 10 · schon eingetragen: 1 · ungültig: 1.", "3 davon aus noch nicht eingereichten Antworten.",
		"kein-at.example", "Ungültig, wird nicht übernommen:", "schon eingetragen – keine Änderung", "noch nicht eingereicht",
		`„<bdi>E-Mail-Adresse</bdi>“ (<code>kontakt_email</code>)`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	form := copyForm(t, body)
	ticked := form["kommune"]
	if len(ticked) != 10 || !slices.Contains(ticked, y.AGS) || slices.Contains(ticked, w.AGS) || slices.Contains(ticked, x.AGS) {
		t.Fatalf("ticked %v: want 10 with %s, without %s (invalid) and %s (entered)", ticked, y.AGS, w.AGS, x.AGS)
	}
	if got := form.Get("adresse_" + y.AGS); got != "neu@y.example" {
		t.Errorf("address of %s in the form: %q", y.Name, got)
	}

	// Viewers: refused with the reason, on the page and on the apply.
	code, pwPage, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(pwPage)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	viewer := r.signIn(t, "leser@bedarf.example", pw[1])
	auditN := r.auditCount(t) // after the viewer's login, which is logged
	if code, body, _ := viewer.get(page); code != http.StatusForbidden || !strings.Contains(body, "nur Konten mit der Rolle Administration") {
		t.Errorf("viewer GET: %d, want 403 with the reason", code)
	}
	if code, body, _ := viewer.post(page, form); code != http.StatusForbidden || !strings.Contains(body, "Lesezugang") {
		t.Errorf("viewer POST: %d, want 403 with the reason", code)
	}
	// A question that holds no e-mail address.
	if code, _, _ := admin.get(page + "?frage=kontakt_name"); code != http.StatusNotFound {
		t.Errorf("GET another question: %d, want 404", code)
	}
	bad := url.Values{"frage": {"kontakt_name"}, "kommune": {y.AGS}, "adresse_" + y.AGS: {"neu@y.example"}}
	if code, _, _ := admin.post(page, bad); code != http.StatusNotFound {
		t.Errorf("POST another question: %d, want 404", code)
	}
	if all, _ := r.st.AllContacts(ctx); len(all) != 1 || r.auditCount(t) != auditN {
		t.Fatalf("refused requests changed something: %d Kommunen with addresses, audit %d → %d", len(all), auditN, r.auditCount(t))
	}

	// Apply: ten addresses new, in one audit entry.
	code, _, h := admin.post(page, form)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "neu=10") || !strings.Contains(h.Get("Location"), "ersetzt=0") {
		t.Fatalf("apply: %d to %q", code, h.Get("Location"))
	}
	all, _ := r.st.AllContacts(ctx)
	if len(all) != 11 || len(all[w.ID]) != 0 || len(all[x.ID]) != 1 || all[x.ID][0].OriginQuestion != "" {
		t.Errorf("after apply: %d Kommunen with addresses (want 11), %s %v (want none), %s %v (want the typed one)", len(all), w.Name, all[w.ID], x.Name, all[x.ID])
	}
	if ys := all[y.ID]; len(ys) != 1 || ys[0].Email != "neu@y.example" || ys[0].OriginQuestion != "kontakt_email" || ys[0].OriginRoundID != 1 {
		t.Errorf("%s after apply: %+v", y.Name, ys)
	}
	entries, _, _ := r.st.AuditSearch(ctx, store.AuditFilter{Limit: 500})
	var copies []store.AuditRow
	for _, e := range entries {
		if e.Action == "contact.from_answers" {
			copies = append(copies, e)
		}
	}
	if len(copies) != 1 || !strings.Contains(copies[0].Detail, "10 neu, 0 ersetzt") || !strings.Contains(copies[0].Detail, y.Name+": neu@y.example neu") {
		t.Errorf("audit entries of the copy: %+v", copies)
	}
	if code, body, _ := admin.get(r.base + h.Get("Location")); code != http.StatusOK || !strings.Contains(body, "Übernommen: 10 Adressen neu, 0 ersetzt.") {
		t.Errorf("after apply: %d, outcome not shown", code)
	}

	// Again: nothing changes, not even the audit log.
	auditN = r.auditCount(t)
	code, _, h = admin.post(page, form)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "neu=0") || !strings.Contains(h.Get("Location"), "gleich=10") {
		t.Errorf("apply again: %d to %q", code, h.Get("Location"))
	}
	if again, _ := r.st.AllContacts(ctx); !reflect.DeepEqual(again, all) || r.auditCount(t) != auditN {
		t.Errorf("applying again changed something (audit %d → %d)", auditN, r.auditCount(t))
	}
	if _, body, _ := admin.get(page); !strings.Contains(body, "Zu übernehmen: 0 · schon eingetragen: 11 · ungültig: 1.") || strings.Contains(body, `name="kommune"`) {
		t.Error("preview after apply still offers addresses")
	}

	// Y changes its address: the copy is replaced, not added to; a preview
	// from before the change and an invalid address take nothing.
	saveEmail(fresh[0], "anders@y.example")
	_, body, _ = admin.get(page)
	if !strings.Contains(body, "ersetzt neu@y.example") {
		t.Error("preview does not say that the new address replaces the copy")
	}
	for _, stale := range []url.Values{
		{"frage": {"kontakt_email"}, "kommune": {y.AGS}, "adresse_" + y.AGS: {"neu@y.example"}},
		{"frage": {"kontakt_email"}, "kommune": {w.AGS}, "adresse_" + w.AGS: {"kein-at.example"}},
	} {
		code, _, h := admin.post(page, stale)
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "veraltet=1") || !strings.Contains(h.Get("Location"), "neu=0") {
			t.Errorf("stale or invalid choice %v: %d to %q", stale, code, h.Get("Location"))
		}
	}
	if again, _ := r.st.AllContacts(ctx); !reflect.DeepEqual(again, all) {
		t.Error("a stale preview or an invalid address changed the contacts")
	}
	code, _, h = admin.post(page, copyForm(t, body))
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "ersetzt=1") || !strings.Contains(h.Get("Location"), "neu=0") {
		t.Errorf("apply the change: %d to %q", code, h.Get("Location"))
	}
	after, _ := r.st.AllContacts(ctx)
	if ys := after[y.ID]; len(ys) != 1 || ys[0].Email != "anders@y.example" || ys[0].ID != all[y.ID][0].ID {
		t.Errorf("%s after the change: %+v, want the copy replaced", y.Name, ys)
	}
	if !reflect.DeepEqual(after[x.ID], all[x.ID]) {
		t.Errorf("the typed address of %s changed: %+v", x.Name, after[x.ID])
	}
}
