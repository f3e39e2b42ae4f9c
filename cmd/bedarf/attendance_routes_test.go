package main

// attendanceRouteRows are routeTable's rows of the uptake and attendance
// pages (uptake.go).
var attendanceRouteRows = []routeCase{
	{method: "GET", pattern: "/verwaltung/runden/:round/umsetzung", access: staffRead, url: "/verwaltung/runden/{r1}/umsetzung"},
}
