package main

// attendanceRouteRows are routeTable's rows of the uptake and attendance
// pages (uptake.go, attendance.go, certificates.go). The attendance of a
// date not begun yet is refused (422) and changes nothing. The
// certificates ({past}: the demo's training day in the past, {attendee}:
// one recorded present there) show names: admins only.
var attendanceRouteRows = []routeCase{
	{method: "GET", pattern: "/verwaltung/runden/:round/umsetzung", access: staffRead, url: "/verwaltung/runden/{r1}/umsetzung"},
	{method: "GET", pattern: "/verwaltung/runden/:round/termine/:date", access: staffRead, url: "/verwaltung/runden/{r1}/termine/{date}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/termine/:date/anwesenheit", access: adminOnly, url: "/verwaltung/runden/{r1}/termine/{date}/anwesenheit", ok: []int{303, 422}},
	{method: "GET", pattern: "/verwaltung/runden/:round/termine/:date/bescheinigungen", access: adminOnly, url: "/verwaltung/runden/{r1}/termine/{past}/bescheinigungen"},
	{method: "GET", pattern: "/verwaltung/runden/:round/angebote/:offer/bescheinigungen", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/bescheinigungen"},
	{method: "GET", pattern: "/verwaltung/runden/:round/angebote/:offer/bescheinigungen/:participant", access: adminOnly, url: "/verwaltung/runden/{r1}/angebote/{off}/bescheinigungen/{attendee}", ok: []int{404}},
	{method: "GET", pattern: "/verwaltung/runden/:round/termine/:date/bescheinigungen/:participant", access: adminOnly, url: "/verwaltung/runden/{r1}/termine/{past}/bescheinigungen/{attendee}"},
}
