package main

// attendanceRouteRows are routeTable's rows of the uptake and attendance
// pages (uptake.go, attendance.go, attendance_message.go). The attendance
// of a date not begun yet is refused (422) and changes nothing; an empty
// message is refused (422).
var attendanceRouteRows = []routeCase{
	{method: "GET", pattern: "/verwaltung/runden/:round/umsetzung", access: staffRead, url: "/verwaltung/runden/{r1}/umsetzung"},
	{method: "GET", pattern: "/verwaltung/runden/:round/termine/:date", access: staffRead, url: "/verwaltung/runden/{r1}/termine/{date}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/termine/:date/anwesenheit", access: adminOnly, url: "/verwaltung/runden/{r1}/termine/{date}/anwesenheit", ok: []int{303, 422}},
	{method: "POST", pattern: "/verwaltung/runden/:round/termine/:date/nachricht", access: adminOnly, url: "/verwaltung/runden/{r1}/termine/{date}/nachricht", ok: []int{200, 303, 409, 422}},
}
