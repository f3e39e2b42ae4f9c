package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAttendanceOverHTTP: the list of a held group session shows the
// booked participants with a signature column to admins and only counts
// to viewers; hostile or malformed posts are refused clearly and change
// nothing; the admin's ticks are stored with an audit entry.
func TestAttendanceOverHTTP(t *testing.T) {
	r := startRig(t)
	s := seedUptake(t, r)
	db := offerDB(t, r)
	admin := loginAdmin(t, r.demo)
	code, page, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	viewer := r.signIn(t, "leser@bedarf.example", pw[1])
	list := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d", r.base, s.session)
	code, page, _ = admin.get(list)
	if code != http.StatusOK || !strings.Contains(page, "Gruppe Eins") || !strings.Contains(page, "Gruppe Zwei") || !strings.Contains(page, "Unterschrift") ||
		!strings.Contains(page, fmt.Sprintf(`value="%d" id="anwesend-%d" checked`, s.p1, s.p1)) {
		t.Fatalf("admin's list: %d\n%s", code, page)
	}
	code, page, _ = viewer.get(list)
	booked := count(t, db, "SELECT count(*) FROM bookings WHERE offer_id = ? AND date_id IS NULL AND status IN ('booked', 'attended')", s.group)
	if code != http.StatusOK || strings.Contains(page, "Gruppe Eins") || strings.Contains(page, "@example.org") || !strings.Contains(page, fmt.Sprintf("Angemeldet: %d, anwesend erfasst: 1", booked)) {
		t.Errorf("viewer's list shows names or no counts: %d", code)
	}
	present := func() string {
		rows, err := db.Query("SELECT participant_id FROM session_attendance WHERE date_id = ? ORDER BY participant_id", s.session)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, fmt.Sprint(id))
		}
		return strings.Join(ids, ",")
	}
	before := present()
	marks := r.auditOf(t, "attendance.mark") // the demo's past date has one
	post := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d/anwesenheit", r.base, s.session)
	crossSite := loginAdmin(t, r.demo)
	crossSite.fetchSite = "cross-site"
	for _, c := range []struct {
		name string
		b    *browser
		url  string
		form url.Values
		code int
		text string
	}{
		{"a viewer", viewer, post, url.Values{"anwesend": {fmt.Sprint(s.p2)}}, http.StatusForbidden, ""},
		{"a post from another site (CSRF)", crossSite, post, url.Values{"anwesend": {fmt.Sprint(s.p2)}}, http.StatusForbidden, ""},
		{"another round's date", admin, fmt.Sprintf("%s/verwaltung/runden/2/termine/%d/anwesenheit", r.base, s.session), url.Values{"anwesend": {fmt.Sprint(s.p2)}}, http.StatusNotFound, ""},
		{"an unknown date", admin, r.base + "/verwaltung/runden/1/termine/99999999/anwesenheit", url.Values{}, http.StatusNotFound, ""},
		{"a malformed id", admin, post, url.Values{"anwesend": {"abc"}}, http.StatusUnprocessableEntity, "nicht angemeldet"},
		{"someone not on the list", admin, post, url.Values{"anwesend": {fmt.Sprint(s.p2), fmt.Sprint(s.waiting)}}, http.StatusUnprocessableEntity, "nicht angemeldet"},
	} {
		code, page, _ := c.b.post(c.url, c.form)
		if code != c.code || !strings.Contains(page, c.text) {
			t.Errorf("%s: %d, want %d with %q", c.name, code, c.code, c.text)
		}
		if got := present(); got != before {
			t.Errorf("%s changed the attendance: %s → %s", c.name, before, got)
		}
	}
	if n := r.auditOf(t, "attendance.mark") - marks; n != 0 {
		t.Errorf("refused posts wrote %d audit entries", n)
	}
	// From the paper list: p2 was there, p1 was not.
	code, _, h := admin.post(post, url.Values{"anwesend": {fmt.Sprint(s.p2)}})
	if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?anwesend=1") {
		t.Fatalf("mark: %d %s", code, h.Get("Location"))
	}
	if got := present(); got != fmt.Sprint(s.p2) {
		t.Errorf("present after marking: %s, want %d", got, s.p2)
	}
	if n := r.auditOf(t, "attendance.mark") - marks; n != 1 {
		t.Errorf("audit entries: %d, want 1", n)
	}
	// A group session's certificate: for p2, who was there, not for p1.
	cert := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d/bescheinigungen/", r.base, s.session)
	if code, page, _ := admin.get(cert + fmt.Sprint(s.p2)); code != http.StatusOK || !strings.Contains(page, "an der folgenden Sitzung der Gruppensupervision teilgenommen hat") ||
		!strings.Contains(page, "Fallbesprechungen") {
		t.Errorf("the group session's certificate: %d", code)
	}
	if code, _, _ := admin.get(cert + fmt.Sprint(s.p1)); code != http.StatusConflict {
		t.Errorf("a certificate for someone absent from the session: %d, want 409", code)
	}
	// Over all the group's sessions: p2 has one, p1 none; a training is no
	// group; viewers are refused.
	series := fmt.Sprintf("%s/verwaltung/runden/1/angebote/%d/bescheinigungen", r.base, s.group)
	if code, page, _ := admin.get(series + "/" + fmt.Sprint(s.p2)); code != http.StatusOK || !strings.Contains(page, "an den folgenden Sitzungen der Gruppensupervision teilgenommen hat") ||
		!strings.Contains(page, "2 Zeitstunden") {
		t.Errorf("the group's certificate over its sessions: %d", code)
	}
	if code, page, _ := admin.get(series); code != http.StatusOK || strings.Count(page, `<article class="certificate"`) != 1 || !strings.Contains(page, "nicht als anwesend erfasst") {
		t.Errorf("all of the group's certificates: %d, %d", code, strings.Count(page, `<article class="certificate"`))
	}
	if code, page, _ := admin.get(series + "/" + fmt.Sprint(s.p1)); code != http.StatusConflict || !strings.Contains(page, "keine besuchte Sitzung") {
		t.Errorf("a group certificate for someone never present: %d, want 409", code)
	}
	if code, _, _ := admin.get(fmt.Sprintf("%s/verwaltung/runden/1/angebote/%d/bescheinigungen", r.base, s.training)); code != http.StatusNotFound {
		t.Errorf("a training's group certificates: %d, want 404", code)
	}
	if code, page, _ := viewer.get(series); code != http.StatusForbidden || !strings.Contains(page, "Rolle Administration") {
		t.Errorf("a viewer's group certificates: %d, want 403", code)
	}
	if code, page, _ := admin.get(fmt.Sprintf("%s/verwaltung/runden/1/angebote/%d", r.base, s.group)); code != http.StatusOK || !strings.Contains(page, `/bescheinigungen">`) {
		t.Errorf("the group's page does not link its certificates: %d", code)
	}
}
