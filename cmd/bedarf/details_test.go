package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestFaviconAndPlanWording: the icon comes from the binary at the address
// browsers ask for and at the one the pages name; the plan page no longer
// promises an immediate recalculation where a save is needed.
func TestFaviconAndPlanWording(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	_, home, _ := b.get(d.base + "/verwaltung")
	if !strings.Contains(home, `<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">`) {
		t.Error("the page names no icon")
	}
	for _, p := range []string{"/favicon.ico", "/static/img/favicon.svg"} {
		code, body, h := b.get(d.base + p)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "image/svg+xml") || !strings.HasPrefix(body, "<svg") {
			t.Errorf("GET %s: %d %s", p, code, h.Get("Content-Type"))
		}
	}
	for _, lang := range []string{"de", "en"} {
		_, page := getWith(t, b, d.base+"/verwaltung/runden/1/plan", lang)
		for _, bad := range []string{"sofort neu berechnet", "recalculated at once"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s plan page promises %q", lang, bad)
			}
		}
	}
}
