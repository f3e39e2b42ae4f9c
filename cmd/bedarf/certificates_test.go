package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCertificatesOverHTTP: the demo's past training day has certificates
// for those recorded present, one or all at once, in German and English,
// with the organisation, name, Kommune, module, time, hours, content,
// place and a signature line; viewers are refused naming the role, a
// participant not recorded present or not on the list gets a clear
// refusal; hostile names and content are escaped and isolated; the offer's
// content edited on its page is what the certificates print.
func TestCertificatesOverHTTP(t *testing.T) {
	r := startRig(t)
	db := offerDB(t, r)
	admin := loginAdmin(t, r.demo)
	var date, offer, attendee, absent int64
	if err := db.QueryRow(`SELECT b.date_id, b.offer_id, b.participant_id FROM bookings b WHERE b.status = 'attended' ORDER BY b.id LIMIT 1`).Scan(&date, &offer, &attendee); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT participant_id FROM bookings WHERE date_id = ? AND status = 'booked' LIMIT 1`, date).Scan(&absent); err != nil {
		t.Fatalf("the demo's past date has nobody absent: %v", err)
	}
	present := count(t, db, "SELECT count(*) FROM bookings WHERE date_id = ? AND status = 'attended'", date)
	var name, kommune string
	if err := db.QueryRow(`SELECT p.name, k.name FROM participants p JOIN kommunen k ON k.id = p.kommune_id WHERE p.id = ?`, attendee).Scan(&name, &kommune); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d", r.base, date)
	all, one := base+"/bescheinigungen", fmt.Sprintf("%s/bescheinigungen/%d", base, attendee)

	// The participant list leads to them.
	code, page, _ := admin.get(base)
	if code != http.StatusOK || !strings.Contains(page, `href="/verwaltung/runden/1/termine/`+fmt.Sprint(date)+`/bescheinigungen"`) ||
		!strings.Contains(page, fmt.Sprintf(`/bescheinigungen/%d"`, attendee)) || strings.Contains(page, fmt.Sprintf(`/bescheinigungen/%d"`, absent)) {
		t.Errorf("the list does not link the certificates of those present (only): %d", code)
	}

	code, page, _ = admin.get(one)
	for _, want := range []string{"Teilnahmebescheinigung", "Koordinierungsstelle Integration", "<bdi>" + name + "</bdi>", "Kommune <bdi>" + kommune + "</bdi>",
		"Aufenthalts- und Asylrecht", "7 Zeitstunden", "09:00 bis 16:00 Uhr", "Ablauf des Asylverfahrens", "Regionshaus, Raum 101", "Ort, Datum", "Unterschrift"} {
		if !strings.Contains(page, want) {
			t.Errorf("the certificate lacks %q", want)
		}
	}
	if code != http.StatusOK || strings.Count(page, `<article class="certificate"`) != 1 {
		t.Fatalf("one certificate: %d, %d articles", code, strings.Count(page, `<article class="certificate"`))
	}
	code, page, _ = admin.get(all)
	if code != http.StatusOK || strings.Count(page, `<article class="certificate"`) != present || !strings.Contains(page, "1 angemeldete Person ist nicht als anwesend erfasst") {
		t.Errorf("all of the date: %d, %d articles, want %d", code, strings.Count(page, `<article class="certificate"`), present)
	}
	en := loginAdmin(t, r.demo)
	switchLang(t, en, r.base, "en", "/verwaltung")
	code, page, _ = en.get(one)
	for _, want := range []string{"Certificate of attendance", "This is to certify that", "municipality of <bdi>" + kommune, "7 hours", "The asylum procedure", `<span lang="de"><bdi>Aufenthalts- und Asylrecht`} {
		if !strings.Contains(page, want) {
			t.Errorf("the English certificate lacks %q", want)
		}
	}
	if code != http.StatusOK || strings.Contains(page, "Zeitstunden") {
		t.Errorf("English certificate: %d", code)
	}

	code, page, _ = admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	viewer := r.signIn(t, "leser@bedarf.example", pw[1])
	audits := r.auditOf(t, "export.certificates")
	for _, c := range []struct {
		name string
		b    *browser
		url  string
		code int
		text string
	}{
		{"a viewer, one", viewer, one, http.StatusForbidden, "Rolle Administration"},
		{"a viewer, all", viewer, all, http.StatusForbidden, "Rolle Administration"},
		{"someone absent", admin, fmt.Sprintf("%s/bescheinigungen/%d", base, absent), http.StatusConflict, "keine Teilnahme erfasst"},
		{"someone not on the list", admin, base + "/bescheinigungen/99999999", http.StatusNotFound, "nicht auf der Teilnahmeliste"},
		{"a malformed id", admin, base + "/bescheinigungen/%3Cscript%3E", http.StatusNotFound, "nicht auf der Teilnahmeliste"},
		{"a negative id", admin, base + "/bescheinigungen/-1", http.StatusNotFound, "nicht auf der Teilnahmeliste"},
		{"another round's date", admin, fmt.Sprintf("%s/verwaltung/runden/2/termine/%d/bescheinigungen/%d", r.base, date, attendee), http.StatusNotFound, ""},
		{"an unknown date", admin, r.base + "/verwaltung/runden/1/termine/99999999/bescheinigungen", http.StatusNotFound, ""},
	} {
		code, page, _ := c.b.get(c.url)
		if code != c.code || !strings.Contains(page, c.text) || strings.Contains(page, "<bdi>"+name+"</bdi>") {
			t.Errorf("%s: %d, want %d with %q (and no name)", c.name, code, c.code, c.text)
		}
	}
	if n := r.auditOf(t, "export.certificates") - audits; n != 0 {
		t.Errorf("refused requests wrote %d audit entries", n)
	}
	admin.get(all)
	if n := r.auditOf(t, "export.certificates") - audits; n != 1 {
		t.Errorf("showing the certificates wrote %d audit entries, want 1", n)
	}

	// Hostile text: a name with markup and a direction override, content
	// edited on the offer's page with markup.
	rw, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.Exec("UPDATE participants SET name = ? WHERE id = ?", "Eve \u202e<script>alert(1)</script>", attendee); err != nil {
		t.Fatal(err)
	}
	var title string
	if err := db.QueryRow("SELECT title FROM offers WHERE id = ?", offer).Scan(&title); err != nil {
		t.Fatal(err)
	}
	code, _, _ = admin.post(fmt.Sprintf("%s/verwaltung/runden/1/angebote/%d", r.base, offer), url.Values{"titel": {title}, "sitzungen": {"2"}, "dauer": {"420"},
		"kapazitaet": {"20"}, "status": {"published"}, "anbieter": {"3"}, "inhalt": {"- Erstens <b>fett</b>\r\n\r\n- Zweitens"}, "inhalt_en": {""}})
	if code != http.StatusSeeOther {
		t.Fatalf("saving the content: %d", code)
	}
	code, page, _ = admin.get(one)
	if code != http.StatusOK || strings.Contains(page, "<script>alert") || !strings.Contains(page, "<bdi>Eve \u202e&lt;script&gt;") ||
		!strings.Contains(page, "<li><bdi>Erstens &lt;b&gt;fett&lt;/b&gt;</bdi></li><li><bdi>Zweitens</bdi></li>") || strings.Contains(page, "Ablauf des Asylverfahrens") {
		t.Errorf("hostile text not escaped and isolated, or the edited content not shown: %d", code)
	}
	// No English content: the English certificate shows the German, marked.
	code, page, _ = en.get(one)
	if code != http.StatusOK || !strings.Contains(page, `<ul class="certificate-points" lang="de"><li><bdi>Erstens`) {
		t.Errorf("the English certificate does not show the German content marked as German: %d", code)
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'offer.update' AND detail LIKE '%Inhalt geändert (2 Zeilen)%'"); n != 1 {
		t.Errorf("content change audited %d times, want 1", n)
	}
}
