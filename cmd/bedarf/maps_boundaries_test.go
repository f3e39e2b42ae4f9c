package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// TestMapsUseStoredBoundaries: every map of a round (the overview's
// karte.svg and karte.png, the picture on the overview, the chart
// download and the plan's map) draws the stored boundaries: the demo's
// (Hannover's, stored explicitly), then uploaded ones, also after a
// restart; after deleting them no map draws any region's shapes, and the
// pages say so in German and English and keep the table.
func TestMapsUseStoredBoundaries(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	d := startDemo(t, db)
	b := loginAdmin(t, d)
	round := d.base + "/verwaltung/runden/1"
	maps := []string{round + "/karte.svg", round + "/diagramme/karte-supervision.svg", round + "/plan/karte.svg"}
	get := func(b *browser, u string) string {
		t.Helper()
		code, body, _ := b.get(u)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", u, code)
		}
		return body
	}
	expect := func(b *browser, when, want string) {
		t.Helper()
		for _, u := range maps {
			if svg := get(b, u); !strings.Contains(svg, want) {
				t.Errorf("%s: %s lacks %q", when, u, want)
			}
		}
	}
	expect(b, "the demo", "Karte der 21 Kommunen")
	pngBefore := get(b, round+"/karte.png")

	// Boundaries of three Kommunen only: every map shows three areas.
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(analysis.DefaultRegionGeoJSON(), &fc); err != nil {
		t.Fatal(err)
	}
	fc.Features = fc.Features[:3]
	geo, _ := json.Marshal(fc)
	if code, body := b.upload(d.base+web.BoundariesUploadPath, "drei.geojson", geo); code != http.StatusOK {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	expect(b, "after the upload", "Karte der 3 Kommunen")
	if png := get(b, round+"/karte.png"); png == pngBefore || !strings.HasPrefix(png, "\x89PNG") {
		t.Error("karte.png is the same as before the upload")
	}
	if page := get(b, round); !strings.Contains(page, `alt="Karte der 3 Kommunen`) {
		t.Error("the overview's map does not describe the uploaded boundaries")
	}

	// After a restart.
	d.stop()
	d = startDemo(t, db)
	b = loginAdmin(t, d)
	round = d.base + "/verwaltung/runden/1"
	maps = []string{round + "/karte.svg", round + "/diagramme/karte-supervision.svg", round + "/plan/karte.svg"}
	expect(b, "after a restart", "Karte der 3 Kommunen")

	// Without boundaries: the notice and the table, no shapes.
	if code, _, _ := b.post(d.base+"/verwaltung/kommunen/grenzen/loeschen", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("delete boundaries: %d", code)
	}
	expect(b, "without boundaries", analysis.NoBoundariesText)
	for _, u := range maps {
		if svg := get(b, u); strings.Contains(svg, "Karte der") || strings.Contains(svg, "GeoBasis") {
			t.Errorf("without boundaries %s draws a map", u)
		}
	}
	for _, tc := range []struct{ lang, notice string }{
		{"de", "Für die Karte sind keine Grenzen der Kommunen gespeichert"},
		{"en", "No boundaries of the municipalities are stored for the map"},
	} {
		for _, page := range []string{round, round + "/plan"} {
			code, body := getWith(t, b, page, tc.lang)
			if code != http.StatusOK || !strings.Contains(body, tc.notice) {
				t.Errorf("%s (%s): %d, no notice %q", page, tc.lang, code, tc.notice)
			}
			if strings.Contains(body, "karte.svg") && !strings.Contains(body, "karte-supervision.svg") || strings.Contains(body, `<img src="/verwaltung/runden/1/karte.svg`) ||
				strings.Contains(body, `<img src="/verwaltung/runden/1/plan/karte.svg`) {
				t.Errorf("%s (%s) still shows a map picture", page, tc.lang)
			}
		}
	}
	if page := get(b, round); len(mapRowRE.FindAllString(mapSectionRE.FindString(page), -1)) != 21 || !strings.Contains(page, "<details open>") {
		t.Error("the overview without boundaries does not show the map's table of 21 Kommunen")
	}
	if png := get(b, round+"/karte.png"); !strings.HasPrefix(png, "\x89PNG") || bytes.Equal([]byte(png), []byte(pngBefore)) {
		t.Error("karte.png without boundaries")
	}
}

// TestDetailedBoundariesUpload: boundaries as detailed as official ones
// (840,000 points, about 17 MB, generated from Region Hannover's so that
// neighbours share their edges) are simplified at the upload to what the
// maps can show: the stored file and the drawn map stay within a small
// multiple of the built-in boundaries', and the page says how far.
func TestDetailedBoundariesUpload(t *testing.T) {
	r := startRig(t)
	d := r.demo
	b := loginAdmin(t, d)
	plan := d.base + "/verwaltung/runden/1/plan/karte.svg"
	code, builtin, _ := b.get(plan)
	if code != http.StatusOK {
		t.Fatalf("plan map: %d", code)
	}
	detailed, err := analysis.DetailedBoundaries(analysis.DefaultRegionGeoJSON(), 840_000)
	if err != nil {
		t.Fatal(err)
	}
	code, body := b.upload(d.base+web.BoundariesUploadPath, "vg250.geojson", detailed)
	if code != http.StatusOK || !strings.Contains(body, "Grenzen gespeichert – 21 Flächen") || !strings.Contains(body, "Für die Karten vereinfacht: 83") {
		t.Fatalf("upload of %d bytes: %d\n%.2000s", len(detailed), code, body)
	}
	info, ok, err := r.st.BoundariesStored(context.Background())
	if err != nil || !ok || info.Features != 21 || info.Size > 3*len(analysis.DefaultRegionGeoJSON()) {
		t.Errorf("stored boundaries: %+v, %v, %v; the upload had %d bytes, the built-in %d", info, ok, err, len(detailed), len(analysis.DefaultRegionGeoJSON()))
	}
	code, svg, _ := b.get(plan)
	if code != http.StatusOK || !strings.Contains(svg, "Karte der 21 Kommunen") || len(svg) > 3*len(builtin) {
		t.Errorf("plan map on the detailed boundaries: %d, %d bytes, on the built-in %d", code, len(svg), len(builtin))
	}
}

// TestMapCache: a map is drawn once per data version: a change behind the
// store's back (raw SQL, no version bump) does not show, while boundaries
// stored by another process (as the CLI does) bump the version and every
// map shows them at once.
func TestMapCache(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	round := r.demo.base + "/verwaltung/runden/1"
	maps := []string{round + "/karte.svg", round + "/karte.png", round + "/plan/karte.svg"}
	view := func() []string {
		t.Helper()
		var out []string
		for _, u := range maps {
			code, body, _ := b.get(u)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", u, code)
			}
			out = append(out, body)
		}
		return out
	}
	first := view()
	for i, body := range first {
		if i != 1 && !strings.Contains(body, "Karte der 21 Kommunen") {
			t.Fatalf("%s: not the demo's 21 areas", maps[i])
		}
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(analysis.DefaultRegionGeoJSON(), &fc); err != nil {
		t.Fatal(err)
	}
	fc.Features = fc.Features[:3]
	three, _ := json.Marshal(fc)

	raw, err := sql.Open("sqlite", "file:"+r.demo.db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE boundaries SET geojson = ?", three); err != nil {
		t.Fatal(err)
	}
	if again := view(); !slices.Equal(again, first) {
		t.Error("a map was drawn again although the data version did not change")
	}

	if err := r.st.SaveBoundaries(context.Background(), three, 3, survey.Actor{Kind: "system", Label: "CLI"}); err != nil {
		t.Fatal(err)
	}
	after := view()
	for i, body := range after {
		if body == first[i] || i != 1 && !strings.Contains(body, "Karte der 3 Kommunen") {
			t.Errorf("%s: not drawn again after the boundaries changed", maps[i])
		}
	}
}
