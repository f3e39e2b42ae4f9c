package main

import "net/url"

// feedbackRouteRows are routeTable's rows of the feedback's pages
// (feedback.go): {fbdate} is the last training date of round 1 (in the
// future, so issuing its codes is refused as too early: 422 with the form
// shown again; the demo's first training date is past and attended).
var feedbackRouteRows = []routeCase{
	{method: "GET", pattern: "/feedback", access: public, url: "/feedback"},
	// A forged code: the same clear refusal for everyone, nothing stored.
	{method: "POST", pattern: "/feedback", access: public, url: "/feedback", ok: []int{404},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"code": {"7KQ2-MX9D-4TRB"}} }},
	{method: "GET", pattern: "/verwaltung/runden/:round/feedback", access: staffRead, url: "/verwaltung/runden/{r1}/feedback"},
	{method: "GET", pattern: "/verwaltung/runden/:round/feedback/:date", access: adminOnly, url: "/verwaltung/runden/{r1}/feedback/{fbdate}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/feedback/:date", access: adminOnly, url: "/verwaltung/runden/{r1}/feedback/{fbdate}", ok: []int{422}},
}

// feedbackIDs sets {fbdate}.
func (f *routeFixture) feedbackIDs() {
	f.t.Helper()
	var id string
	if err := f.ro.QueryRow(`SELECT d.id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE o.kind = 'training' AND o.round_id = 1 ORDER BY d.starts_at DESC, d.id LIMIT 1`).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	f.ids["{fbdate}"] = id
}
