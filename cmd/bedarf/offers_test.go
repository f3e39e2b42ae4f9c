package main

import (
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

var (
	diffBaseRE = regexp.MustCompile(`name="basis" value="(\d+)"`)
	diffItemRE = regexp.MustCompile(`name="aenderung" value="([^"]+)"`)
)

// offerDB opens the rig's database read-only for the test's counts.
func offerDB(t *testing.T, r *rig) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.db+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestOffersFromPlanOverHTTP: the demo's offers match its plan; a changed
// plan shows exactly what changed, applied selectively and then wholly it
// never duplicates an offer, and a page made from older offers is refused
// with the diff shown afresh.
func TestOffersFromPlanOverHTTP(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	db := offerDB(t, r)
	base := r.base + "/verwaltung/runden/1/angebote"
	code, page, _ := b.get(base)
	if code != http.StatusOK || !strings.Contains(page, "Die Angebote entsprechen dem Plan") || diffItemRE.MatchString(page) {
		t.Fatalf("demo offers page: %d, diff shown: %v", code, diffItemRE.MatchString(page))
	}
	offersBefore := count(t, db, "SELECT count(*) FROM offers")
	// A smaller group maximum changes the plan's groups.
	if code, _, _ := b.post(r.base+"/verwaltung/runden/1/plan/szenarien/0", planForm(map[string]string{"GroupMax": "6", "TrainingMaxPerDay": "15"})); code != http.StatusSeeOther {
		t.Fatalf("change the plan: %d", code)
	}
	_, page, _ = b.get(base)
	items := diffItemRE.FindAllStringSubmatch(page, -1)
	if len(items) < 2 {
		t.Fatalf("the changed plan shows %d changes", len(items))
	}
	basis := diffBaseRE.FindStringSubmatch(page)[1]
	// A page from older offers: nothing applied, the diff shown again.
	code, page, _ = b.post(base+"/plan", url.Values{"basis": {"0"}, "aenderung": {items[0][1]}, "erster_tag": {"2027-03-01"}})
	if code != http.StatusConflict || !strings.Contains(page, "inzwischen geändert") || !diffItemRE.MatchString(page) {
		t.Errorf("stale basis: %d", code)
	}
	if n := count(t, db, "SELECT count(*) FROM offers"); n != offersBefore {
		t.Errorf("a stale apply changed the offers: %d → %d", offersBefore, n)
	}
	// An unknown item: refused, nothing changed.
	code, _, _ = b.post(base+"/plan", url.Values{"basis": {basis}, "aenderung": {"change:999999"}, "erster_tag": {"2027-03-01"}})
	if code != http.StatusConflict {
		t.Errorf("unknown item: %d", code)
	}
	// One item only.
	code, _, h := b.post(base+"/plan", url.Values{"basis": {basis}, "aenderung": {items[0][1]}, "erster_tag": {"2027-03-01"}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "uebernommen=1") {
		t.Fatalf("apply one: %d %s", code, h.Get("Location"))
	}
	_, page, _ = b.get(base)
	left := diffItemRE.FindAllStringSubmatch(page, -1)
	if len(left) != len(items)-1 || strings.Contains(page, `value="`+items[0][1]+`"`) {
		t.Fatalf("after applying one of %d: %d left", len(items), len(left))
	}
	// The rest wholly; then the plan and the offers agree, and no plan item has two offers.
	basis = diffBaseRE.FindStringSubmatch(page)[1]
	if code, _, _ := b.post(base+"/plan", url.Values{"basis": {basis}, "alle": {"1"}, "erster_tag": {"2027-03-01"}}); code != http.StatusSeeOther {
		t.Fatalf("apply all: %d", code)
	}
	_, page, _ = b.get(base)
	if diffItemRE.MatchString(page) || !strings.Contains(page, "Die Angebote entsprechen dem Plan") {
		t.Error("after applying all the plan still differs")
	}
	if n := count(t, db, "SELECT count(*) FROM (SELECT plan_key FROM offers WHERE plan_key != '' GROUP BY round_id, plan_key HAVING count(*) > 1)"); n != 0 {
		t.Errorf("%d plan items with two offers", n)
	}
	// Applying again, even with a fresh basis, has nothing to do.
	basis = diffBaseRE.FindString(page)
	if basis != "" {
		t.Errorf("a form to apply is still shown")
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'offer.plan'"); n != 3 {
		t.Errorf("%d audit entries of applying the plan, want 3 (demo, one, all)", n)
	}
}

// TestOfferFormsKeepInput: every refused offer, date and provider form
// comes back filled in as typed, with the message at its field, in German
// and English, and changes nothing; viewers, cross-site posts, forged ids
// and oversized or malformed bodies change nothing either.
func TestOfferFormsKeepInput(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	db := offerDB(t, r)
	offer := r.base + "/verwaltung/runden/1/angebote/1"
	fingerprint := func() string {
		var s string
		if err := db.QueryRow(`SELECT (SELECT group_concat(id || title || place || sessions || session_minutes || status || coalesce(provider_id, 0) || content || content_en, ';') FROM offers)
			|| (SELECT group_concat(offer_id || kommune_id || seats, ';') FROM offer_members)
			|| (SELECT group_concat(id || starts_at || ends_at || place || capacity || status || sequence, ';') FROM offer_dates)
			|| (SELECT group_concat(id || name || fee_cents || vat_bp, ';') FROM providers)
			|| (SELECT count(*) FROM audit_log)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	en := loginAdmin(t, r.demo)
	switchLang(t, en, r.base, "en", "/verwaltung/anbieter")
	before := fingerprint()
	long := strings.Repeat("x", 201)
	tests := []struct {
		name, path string
		form       url.Values
		status     int
		field      string // the control marked invalid
		kept       string // a value that must come back as typed
		de, en     string // the message
	}{
		{"title too long", offer, url.Values{"titel": {long}, "ort": {"Rathaus Süd"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}},
			422, "titel", "Rathaus Süd", "Zu lang (höchstens 200 Zeichen).", "Too long (at most 200 characters)."},
		{"sessions not a number", offer, url.Values{"titel": {"Gruppe Nord"}, "ort": {"Rathaus"}, "sitzungen": {"zehn"}, "dauer": {"120"}, "status": {"draft"}},
			422, "sitzungen", "zehn", "Bitte eine ganze Zahl von 0 bis 1000.", "Please a whole number from 0 to 1000."},
		{"a trainer for a group", offer, url.Values{"titel": {"Gruppe Nord"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}, "anbieter": {"3"}},
			422, "anbieter", "Gruppe Nord", "Eine Gruppe braucht eine Supervision", "A group needs a supervisor"},
		{"unknown status", offer, url.Values{"titel": {"Gruppe Nord"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"weg"}},
			422, "", "Gruppe Nord", "Diesen Stand eines Angebots gibt es nicht.", "There is no such state of an offer."},
		{"content on too many lines", offer, url.Values{"titel": {"Gruppe Nord"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"},
			"inhalt": {"Fallarbeit"}, "inhalt_en": {strings.Repeat("Point\n", 13)}},
			422, "inhalt_en", "Fallarbeit", "Bitte höchstens 12 Zeilen", "Please at most 12 lines"},
		{"date with a bad time", offer + "/termine", url.Values{"datum": {"2027-05-04"}, "beginn": {"25:00"}, "ende": {"16:00"}, "ort": {"Saal 3"}, "kapazitaet": {"8"}},
			422, "beginn", "Saal 3", "Bitte ein Datum wie 31.12.2026", "Please give a date like 31.12.2026"},
		{"date ending before it starts", offer + "/termine", url.Values{"datum": {"2027-05-04"}, "beginn": {"16:00"}, "ende": {"14:00"}, "ort": {"Saal 3"}, "kapazitaet": {"8"}},
			422, "ende", "Saal 3", "Das Ende muss nach dem Beginn liegen.", "The end must come after the start."},
		{"move more seats than there are", offer + "/verschieben", url.Values{"kommune": {"03241001"}, "plaetze": {"99"}, "nach": {"2"}},
			422, "plaetze", "99", "Die Kommune hat in dieser Gruppe nur 8 Plätze.", "The municipality has only 8 places in this group."},
		{"provider fee with three decimals", r.base + "/verwaltung/anbieter", url.Values{"art": {"trainer"}, "name": {"Neue Referentin"}, "honorar": {"12,345"}, "einheit": {"day"}, "ust": {"19"}},
			422, "honorar", "Neue Referentin", "Bitte einen Betrag von 0 bis 100000 €", "Please an amount from 0 to 100000 €"},
		{"provider VAT over 100", r.base + "/verwaltung/anbieter/1", url.Values{"art": {"supervisor"}, "name": {"Dr. Anna Berg"}, "honorar": {"120"}, "einheit": {"hour"}, "ust": {"190"}},
			422, "ust", "190", "Bitte einen Steuersatz von 0 bis 100 %", "Please a tax rate from 0 to 100 %"},
		{"provider without a name", r.base + "/verwaltung/anbieter", url.Values{"art": {"supervisor"}, "name": {"  "}, "qualifikation": {"DGSv-Anwärterin"}, "honorar": {"80"}, "einheit": {"hour"}},
			422, "name", "DGSv-Anwärterin", "Bitte ausfüllen.", "Please fill in."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []struct {
				b    *browser
				want string
			}{{b, tt.de}, {en, tt.en}} {
				code, page, _ := lang.b.post(tt.path, tt.form)
				if code != tt.status {
					t.Fatalf("status %d, want %d", code, tt.status)
				}
				if !strings.Contains(page, lang.want) {
					t.Errorf("page lacks the message %q", lang.want)
				}
				if !strings.Contains(page, `value="`+tt.kept+`"`) && !strings.Contains(page, ">"+tt.kept+"<") {
					t.Errorf("page lacks the typed value %q", tt.kept)
				}
				if tt.field != "" && !regexp.MustCompile(`name="`+tt.field+`"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="`+tt.field+`"`).MatchString(page) {
					t.Errorf("field %s not marked invalid", tt.field)
				}
			}
			if after := fingerprint(); after != before {
				t.Errorf("a refused form changed the offers")
			}
		})
	}

	// Refused outright, nothing changed: a viewer, a cross-site post, an
	// offer of another round, a body over the limit, broken UTF-8.
	code, page, _ := b.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	if code != http.StatusOK {
		t.Fatalf("add viewer: %d", code)
	}
	viewer := r.signIn(t, "leser@bedarf.example", passwordRE.FindStringSubmatch(page)[1])
	if code, _, _ := b.post(r.base+"/verwaltung/runden", url.Values{"fragebogen": {"1"}, "titel": {"Zweite"}, "beginn": {"2026-01-01"},
		"frist": {"2099-01-01"}, "kommune": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("round 2: %d", code)
	}
	before = fingerprint()
	valid := url.Values{"titel": {"Gekapert"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}}
	if code, _, _ := viewer.post(offer, valid); code != http.StatusForbidden {
		t.Errorf("viewer: %d", code)
	}
	for _, p := range []string{"/verwaltung/runden/1/angebote", "/verwaltung/runden/1/angebote/1", "/verwaltung/anbieter", "/verwaltung/anbieter/1"} {
		code, page, _ := viewer.get(r.base + p)
		if code != http.StatusOK || changingForms(page) != 1 {
			t.Errorf("viewer GET %s: %d, %d forms that change something", p, code, changingForms(page)-1)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, offer, strings.NewReader(valid.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := b.c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %v %v", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
	if code, _, _ := b.post(r.base+"/verwaltung/runden/2/angebote/1", valid); code != http.StatusNotFound {
		t.Errorf("offer of round 1 through round 2: %d", code)
	}
	if code, _, _ := b.post(r.base+"/verwaltung/runden/1/angebote/1/termine/999999", url.Values{"datum": {"2027-01-01"}, "beginn": {"09:00"}, "ende": {"10:00"}, "kapazitaet": {"1"}}); code != http.StatusNotFound {
		t.Errorf("date of no offer: %d", code)
	}
	huge := url.Values{"titel": {strings.Repeat("x", 2<<20)}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}}
	if code, _, _ := b.post(offer, huge); code < 400 {
		t.Errorf("huge body: %d", code)
	}
	if code, _, _ := b.post(offer, url.Values{"titel": {"kaputt\xff"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}}); code != http.StatusBadRequest {
		t.Errorf("broken UTF-8: %d", code)
	}
	if after := fingerprint(); after != before {
		t.Error("a refused request changed the offers")
	}

	// Valid edits do what they say and are in the audit log.
	if code, _, _ := b.post(offer, url.Values{"titel": {"Gruppe Nord"}, "ort": {"Rathaus"}, "sitzungen": {"10"}, "dauer": {"90"}, "status": {"published"}, "anbieter": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("valid update: %d", code)
	}
	if code, _, _ := b.post(offer+"/verschieben", url.Values{"kommune": {"03241001"}, "plaetze": {"2"}, "nach": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("valid move: %d", code)
	}
	if code, _, _ := b.post(r.base+"/verwaltung/anbieter", url.Values{"art": {"trainer"}, "name": {"Neue Referentin"}, "honorar": {"1.250,50"}, "einheit": {"day"}, "befreit": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("valid provider: %d", code)
	}
	if n := count(t, db, "SELECT count(*) FROM offers WHERE id = 1 AND title = 'Gruppe Nord' AND session_minutes = 90 AND provider_id = 2 AND status = 'published'"); n != 1 {
		t.Error("the update was not stored")
	}
	if n := count(t, db, "SELECT seats FROM offer_members WHERE offer_id = 1"); n != 6 {
		t.Errorf("seats left in group 1: %d, want 6", n)
	}
	if n := count(t, db, "SELECT count(*) FROM providers WHERE name = 'Neue Referentin' AND fee_cents = 125050 AND vat_exempt = 1 AND vat_bp = 0"); n != 1 {
		t.Error("the provider was not stored as typed")
	}
	for _, action := range []string{"offer.update", "offer.move", "provider.save"} {
		if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = ?", action); n != 1 {
			t.Errorf("audit %s: %d entries", action, n)
		}
	}
}
