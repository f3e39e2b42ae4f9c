package main

import (
	"net/url"
	"strconv"
)

// offerRouteRows are routeTable's rows of the offers' pages (offers.go):
// the fixture's ids {off} (the demo's first group, with dates {date} and
// {date2} and member Kommune {offK}), {off2} (a group without {offK}),
// {off3} (a third group), {prov} (a provider), and one module's offer
// removed from the database so the plan has an item to offer again.
var offerRouteRows = []routeCase{
	{method: "GET", pattern: "/verwaltung/runden/:round/angebote", access: staffRead, url: "/verwaltung/runden/{r1}/angebote"},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/plan", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/plan", ok: []int{303},
		form: func(f *routeFixture, _ *routeRole) url.Values {
			return url.Values{"basis": {f.offerRevision()}, "aenderung": {"{addItem}"}, "erster_tag": {"2027-03-01"}}
		}},
	{method: "GET", pattern: "/verwaltung/runden/:round/angebote/:offer", access: staffRead, url: "/verwaltung/runden/{r1}/angebote/{off}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"titel": {"Gruppe Routentest"}, "ort": {"Rathaus"}, "sitzungen": {"10"}, "dauer": {"120"}, "status": {"draft"}, "anbieter": {""}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/verschieben", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/verschieben", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"kommune": {"{offK}"}, "plaetze": {"1"}, "nach": {"{off2}"}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/teilen", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off2}/teilen", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"kommunen": {"{offK}"}} }},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/zusammenlegen", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/zusammenlegen", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"mit": {"{off3}"}} }},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/termine", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/termine", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"datum": {"2027-04-06"}, "beginn": {"14:00"}, "ende": {"16:00"}, "ort": {"Rathaus"}, "kapazitaet": {"8"}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/termine/:date", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/termine/{date}", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"datum": {"2027-04-13"}, "beginn": {"14:30"}, "ende": {"16:30"}, "ort": {"Rathaus"}, "kapazitaet": {"8"}, "absage_bis": {"2027-04-06"}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/angebote/:offer/termine/:date/absagen", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/termine/{date2}/absagen", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/anbieter", access: staffRead, url: "/verwaltung/anbieter"},
	{method: "POST", pattern: "/verwaltung/anbieter", access: adminOnly, url: "/verwaltung/anbieter", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return providerForm("Routentest neu") }},
	{method: "GET", pattern: "/verwaltung/anbieter/:provider", access: staffRead, url: "/verwaltung/anbieter/{prov}"},
	{method: "POST", pattern: "/verwaltung/anbieter/:provider", access: adminOnly, url: "/verwaltung/anbieter/{prov}", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return providerForm("Routentest") }},
}

// providerForm is a valid provider form.
func providerForm(name string) url.Values {
	return url.Values{"art": {"supervisor"}, "name": {name}, "qualifikation": {"DGSv"}, "honorar": {"110,50"}, "einheit": {"hour"},
		"fahrt": {"20"}, "ust": {"19"}}
}

// offerProbes are phase 2's probes of the offers' pages: ids of another
// round, offer or date change nothing.
var offerProbes = []struct {
	role, method, url string
	form              url.Values
	want              int
}{
	{"admin", "GET", "/verwaltung/runden/999/angebote", nil, 404},
	{"admin", "GET", "/verwaltung/runden/{r2}/angebote/{off}", nil, 404},
	{"viewer", "GET", "/verwaltung/runden/{r2}/angebote/{off}", nil, 404},
	{"admin", "POST", "/verwaltung/runden/{r2}/angebote/{off}", url.Values{"titel": {"Fremd"}, "sitzungen": {"1"}, "dauer": {"60"}, "status": {"draft"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r2}/angebote/{off}/termine/{date}", url.Values{"datum": {"2027-01-01"}, "beginn": {"09:00"}, "ende": {"10:00"}, "kapazitaet": {"1"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r1}/angebote/{off2}/termine/{date}", url.Values{"datum": {"2027-01-01"}, "beginn": {"09:00"}, "ende": {"10:00"}, "kapazitaet": {"1"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r1}/angebote/{off2}/termine/{date}/absagen", nil, 404},
	{"admin", "POST", "/verwaltung/runden/{r2}/angebote/{off}/termine", url.Values{"datum": {"2027-01-01"}, "beginn": {"09:00"}, "ende": {"10:00"}, "kapazitaet": {"1"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r1}/angebote/{off}/verschieben", url.Values{"kommune": {"{offK}"}, "nach": {"99999"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r1}/angebote/{off}/zusammenlegen", url.Values{"mit": {"99999"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r2}/angebote/{off}/teilen", url.Values{"kommunen": {"{offK}"}}, 404},
	{"admin", "POST", "/verwaltung/runden/{r2}/angebote/plan", url.Values{"basis": {"0"}, "alle": {"1"}, "erster_tag": {"2027-03-01"}}, 400},
	{"admin", "POST", "/verwaltung/anbieter/99999", providerForm("Fremd"), 404},
}

// offerRevision returns round 1's offer revision as stored.
func (f *routeFixture) offerRevision() string {
	f.t.Helper()
	var rev int64
	if err := f.ro.QueryRow("SELECT coalesce((SELECT revision FROM offer_state WHERE round_id = 1), 0)").Scan(&rev); err != nil {
		f.t.Fatal(err)
	}
	return strconv.FormatInt(rev, 10)
}

// offerIDs sets the offers' ids of the fixture (see offerRouteRows).
func (f *routeFixture) offerIDs() {
	t := f.t
	t.Helper()
	one := func(q string, args ...any) string {
		t.Helper()
		var v string
		if err := f.ro.QueryRow(q, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	off := one("SELECT offer_id FROM offer_dates d JOIN offers o ON o.id = d.offer_id WHERE o.kind = 'group' AND o.round_id = 1 ORDER BY d.id LIMIT 1")
	f.ids["{off}"] = off
	f.ids["{date}"] = one("SELECT id FROM offer_dates WHERE offer_id = ? ORDER BY id LIMIT 1", off)
	f.ids["{date2}"] = one("SELECT id FROM offer_dates WHERE offer_id = ? ORDER BY id LIMIT 1 OFFSET 1", off)
	f.ids["{offK}"] = one("SELECT k.ags FROM offer_members m JOIN kommunen k ON k.id = m.kommune_id WHERE m.offer_id = ? ORDER BY k.ags LIMIT 1", off)
	f.ids["{off2}"] = one(`SELECT id FROM offers WHERE kind = 'group' AND round_id = 1 AND id != ? AND id NOT IN
		(SELECT offer_id FROM offer_members m JOIN kommunen k ON k.id = m.kommune_id WHERE k.ags = ?) ORDER BY id LIMIT 1`, off, f.ids["{offK}"])
	f.ids["{off3}"] = one("SELECT id FROM offers WHERE kind = 'group' AND round_id = 1 AND id NOT IN (?, ?) ORDER BY id LIMIT 1", off, f.ids["{off2}"])
	f.ids["{prov}"] = one("SELECT id FROM providers ORDER BY id LIMIT 1")
	f.ids["{past}"] = one("SELECT date_id FROM bookings WHERE status = 'attended' ORDER BY id LIMIT 1")
	f.ids["{attendee}"] = one("SELECT participant_id FROM bookings WHERE status = 'attended' AND date_id = ? ORDER BY id LIMIT 1", f.ids["{past}"])
	// The plan gets an item to offer again ({addItem}): the last module's
	// offer goes.
	f.ids["{addItem}"] = "add:" + one("SELECT plan_key FROM offers WHERE id = (SELECT max(id) FROM offers WHERE kind = 'training' AND round_id = 1)")
	if _, err := f.rw.Exec("DELETE FROM offers WHERE id = (SELECT max(id) FROM offers WHERE kind = 'training' AND round_id = 1)"); err != nil {
		t.Fatal(err)
	}
}
