package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
)

// TestKommunenAdminPage: staff see the Kommunen, upload a CSV (refused with
// every bad line, or stored) and boundaries, which the plan's map then
// uses; uploads may be larger than other forms (1 MB).
func TestKommunenAdminPage(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	page := d.base + "/verwaltung/kommunen"

	code, body, _ := b.get(page)
	if code != http.StatusOK || !strings.Contains(body, "Gespeicherte Kommunen (21)") || !strings.Contains(body, "Neustadt am Rübenberge") ||
		!strings.Contains(body, "536.925") || !strings.Contains(body, `action="/verwaltung/kommunen/import"`) {
		t.Fatalf("Kommunen page: %d\n%s", code, body)
	}

	code, body = b.upload(d.base+web.KommunenImportPath, "fehler.csv", []byte("ags;name;kind;lat;lon\n03241001;Hannover;Stadt;52,38;9,77\n12;Kurz;Stadt;52;9\n03241030;;Gemeinde;52;9\n"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "fehler.csv: 2 Fehler, nichts gespeichert") ||
		!strings.Contains(body, "Zeile 3: AGS &#34;12&#34; hat nicht 8 Ziffern") || !strings.Contains(body, "Zeile 4: Name fehlt") {
		t.Errorf("bad CSV: %d\n%s", code, body)
	}

	code, body = b.upload(d.base+web.KommunenImportPath, "neu.csv", []byte("ags;ars;name;kind;lat;lon\n;032419001000;Samtgemeinde Test;Samtgemeinde;52,5;9,6\n03241001;;Landeshauptstadt Hannover;Stadt;52,3796;9,7697\n"))
	if code != http.StatusOK || !strings.Contains(body, "1 neu, 1 geändert, 0 unverändert") || !strings.Contains(body, "Gespeicherte Kommunen (22)") ||
		!strings.Contains(body, "Nicht in der Datei, aber weiter gespeichert (20)") || !strings.Contains(body, "032419001000") {
		t.Errorf("good CSV: %d\n%s", code, body)
	}

	mapDesc := func() string {
		t.Helper()
		code, svg, _ := b.get(d.base + "/verwaltung/runden/1/plan/karte.svg")
		if code != http.StatusOK {
			t.Fatalf("plan map: %d", code)
		}
		return svg
	}
	if svg := mapDesc(); !strings.Contains(svg, "Karte der 21 Kommunen") {
		t.Fatalf("plan map before the upload does not show the 21 areas the demo stored")
	}
	// Boundaries of three Kommunen only, plus one that fits none.
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	json.Unmarshal(analysis.DefaultRegionGeoJSON(), &fc)
	stray := bytes.Replace(fc.Features[3], []byte(`"03241004"`), []byte(`"09999999"`), 1)
	fc.Features = append(fc.Features[:3], stray)
	geo, _ := json.Marshal(fc)
	code, body = b.upload(d.base+web.BoundariesUploadPath, "drei.geojson", geo)
	if code != http.StatusOK || !strings.Contains(body, "Grenzen gespeichert – 3 Flächen") || !strings.Contains(body, "Objekt 4 (AGS 09999999, Burgwedel)") ||
		!strings.Contains(body, "Kommunen ohne Fläche, sie fehlen auf den Karten (19)") {
		t.Errorf("boundaries: %d\n%s", code, body)
	}
	if svg := mapDesc(); !strings.Contains(svg, "Karte der 3 Kommunen") {
		t.Error("the plan map does not use the uploaded boundaries")
	}
	// The English page lists the feature that fits none in English.
	en := loginAdmin(t, d)
	switchLang(t, en, d.base, "en", web.KommunenPath)
	code, body = en.upload(d.base+web.BoundariesUploadPath, "drei.geojson", geo)
	if code != http.StatusOK || !strings.Contains(body, "Feature 4 (AGS 09999999, Burgwedel): no municipality with this key") {
		t.Errorf("boundaries, English: %d\n%s", code, body)
	}
	requireEnglish(t, "boundaries uploaded", body)
	if code, _, _ := b.post(d.base+"/verwaltung/kommunen/grenzen/loeschen", url.Values{}); code != http.StatusSeeOther {
		t.Errorf("delete boundaries: %d", code)
	}
	if svg := mapDesc(); strings.Contains(svg, "Karte der 21 Kommunen") || !strings.Contains(svg, analysis.NoBoundariesText) {
		t.Error("after deleting, the plan map does not say that no boundaries are stored (or draws built-in ones)")
	}

	// Body limits: 2 MB pass on an upload route (and are read as a CSV); a
	// 2 MB login form does not (TestUploadSizeLimits: every file's limit).
	big := append([]byte("ags;name;lat;lon\n"), bytes.Repeat([]byte("x"), 2<<20)...)
	if code, body := b.upload(d.base+web.KommunenImportPath, "gross.csv", big); code != http.StatusUnprocessableEntity {
		t.Errorf("2 MB upload: %d\n%.500s", code, body)
	}
	if code, _, _ := b.post(d.login, url.Values{"email": {strings.Repeat("x", 2<<20)}}); code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB login form: %d", code)
	}
}
