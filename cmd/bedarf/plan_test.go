package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// loginAdmin signs in the demo admin.
func loginAdmin(t *testing.T, d *demo) *browser {
	t.Helper()
	b := newBrowser(t, d.base)
	if code, _, _ := b.post(d.login, url.Values{"email": {d.email}, "passwort": {d.password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	return b
}

var (
	groupsRE = regexp.MustCompile(`Supervisionsgruppen \((\d+)\)`)
	costRE   = regexp.MustCompile(`Supervision brutto pro Jahr</th><td>([^<]+)</td>`)
)

func TestPlanPageFollowsParameters(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	base := d.base + "/verwaltung/runden/1/plan"
	code, page, _ := b.get(base)
	if code != http.StatusOK || !strings.Contains(page, "maßgeblich") {
		t.Fatalf("plan page: %d", code)
	}
	groupsBefore := groupsRE.FindStringSubmatch(page)[1]
	costBefore := costRE.FindStringSubmatch(page)[1]
	if groupsBefore == "0" {
		t.Fatal("the demo plan has no groups")
	}
	// Invalid: German messages next to the fields, values kept, nothing stored.
	code, page, _ = b.post(base+"/szenarien/1", planForm(map[string]string{"GroupMin": "9", "FeePerHour": "viel"}))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid params: got %d, want 422", code)
	}
	for _, want := range []string{"darf nicht kleiner sein als die Mindestgröße", "Bitte eine Zahl eingeben", `value="viel"`, `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	// The English page says the same in English, the value as typed.
	en := loginAdmin(t, d)
	switchLang(t, en, d.base, "en", "/verwaltung/runden/1/plan")
	code, page, _ = en.post(base+"/szenarien/1", planForm(map[string]string{"GroupMin": "9", "FeePerHour": "viel", "SessionsPerYear": "1,5", "VATPercent": "101"}))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid params, English: got %d, want 422", code)
	}
	for _, want := range []string{"The maximum size of a group (8) must not be smaller than the minimum size (9).",
		"Please enter a number, e.g. 12 or 1.5.", "Please enter a whole number.", "The VAT must be between 0 and 100 %.", `value="viel"`} {
		if !strings.Contains(page, want) {
			t.Errorf("English 422 page lacks %q", want)
		}
	}
	requireEnglish(t, "refused parameters", page)
	// A refused name is shown next to its field.
	code, page, _ = b.post(base+"/szenarien/1", planForm(map[string]string{"name": " "}))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="fehler-p-name"`) {
		t.Errorf("empty scenario name: got %d or no message at the field", code)
	}
	// Doubling the sessions doubles the hours and changes the cost at once.
	code, _, h := b.post(base+"/szenarien/1", planForm(map[string]string{"SessionsPerYear": "20", "VATPercent": "0"}))
	if code != http.StatusSeeOther {
		t.Fatalf("save params: %d", code)
	}
	_, page, _ = b.get(d.base + h.Get("Location"))
	if got := costRE.FindStringSubmatch(page)[1]; got == costBefore {
		t.Errorf("cost did not follow the parameters: still %s", got)
	}
	if !strings.Contains(page, `name="SessionsPerYear" value="20"`) {
		t.Error("saved parameter not shown")
	}
	// Smaller groups: more groups.
	b.post(base+"/szenarien/1", planForm(map[string]string{"GroupMin": "2", "GroupMax": "3"}))
	_, page, _ = b.get(base)
	after, _ := strconv.Atoi(groupsRE.FindStringSubmatch(page)[1])
	before, _ := strconv.Atoi(groupsBefore)
	if after <= before {
		t.Errorf("groups with max 3: %d, before %d", after, before)
	}

	// A second scenario side by side, marked decisive, the old one deleted.
	code, _, h = b.post(base+"/szenarien", url.Values{"name": {"Online gepoolt, max 10"}, "von": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create scenario: %d", code)
	}
	_, page, _ = b.get(d.base + h.Get("Location"))
	if strings.Count(page, "Online gepoolt, max 10") < 2 {
		t.Error("new scenario not shown")
	}
	id := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(h.Get("Location"))[1]
	if code, _, _ := b.post(base+"/szenarien/1/loeschen", nil); code != http.StatusConflict {
		t.Errorf("deleting the decisive scenario: got %d, want 409", code)
	}
	if code, _, _ := b.post(base+"/szenarien/"+id+"/massgeblich", nil); code != http.StatusSeeOther {
		t.Errorf("mark decisive: %d", code)
	}
	if code, _, _ := b.post(base+"/szenarien/1/loeschen", nil); code != http.StatusSeeOther {
		t.Errorf("delete old scenario: %d", code)
	}
	_, page, _ = b.get(base)
	if strings.Contains(page, ">Standard</a>") {
		t.Error("deleted scenario still listed")
	}
	code, svg, h := b.get(base + "/karte.svg")
	if code != http.StatusOK || h.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg, "GeoBasis-DE") {
		t.Errorf("map: %d %s", code, h.Get("Content-Type"))
	}
	// Another round's scenario id in the URL changes nothing.
	if code, _, _ := b.post(d.base+"/verwaltung/runden/99/plan/szenarien/"+id, planForm(nil)); code != http.StatusNotFound {
		t.Errorf("unknown round: got %d, want 404", code)
	}
}

// planForm is the scenario form as a browser posts it for the default
// parameters, with some fields changed.
func planForm(overrides map[string]string) url.Values {
	v := url.Values{"name": {"Standard"}, "GroupMin": {"5"}, "GroupMax": {"8"}, "RadiusKm": {"15"}, "PoolOnline": {"1"},
		"SessionsPerYear": {"10"}, "HoursPerSession": {"2"}, "FeePerHour": {"120"}, "TravelPerSession": {"30"}, "VATPercent": {"19"},
		"TrainingMaxPerDay": {"20"}, "TrainingDayCost": {"1.200"}, "TargetCaseload": {"80"}, "CostPerFTE": {"75.000"}}
	for k, val := range overrides {
		v.Set(k, val)
	}
	return v
}

// TestPlanPageGuarantee: the plan page says what the plan guarantees, in
// German and in English; the demo's plan is proven optimal.
func TestPlanPageGuarantee(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	page := d.base + "/verwaltung/runden/1/plan"
	for _, tc := range []struct{ lang, want string }{
		{"de", "Kein Plan nach diesen Regeln gruppiert mehr Personen oder braucht weniger Gruppen (bewiesen)."},
		{"en", "No plan under these rules places more people or needs fewer groups (proven)."},
	} {
		if tc.lang != "de" {
			switchLang(t, b, d.base, tc.lang, "/verwaltung")
		}
		code, body, _ := b.get(page)
		if code != http.StatusOK || !strings.Contains(body, `<p class="guarantee">`+tc.want+`</p>`) {
			t.Errorf("%s plan page (%d) lacks %q", tc.lang, code, tc.want)
		}
	}
}
