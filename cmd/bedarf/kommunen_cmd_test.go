package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"bedarf/analysis"
)

func runK(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb strings.Builder
	err = run(context.Background(), append([]string{"kommunen"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// TestKommunenImportCommand: a CSV as German Excel saves it (Windows-1252,
// semicolons, decimal commas, a lost leading zero) with a Samtgemeinde
// keyed by its ARS is imported into a new database; a file with bad lines
// is refused with every line named, and nothing changes.
func TestKommunenImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "region.db")
	csv, err := charmap.Windows1252.NewEncoder().String("AGS;ARS;Name;Kind;Lat;Lon;Population;Population_Year\r\n" +
		"3355001;033555401001;Amelinghausen;Gemeinde;53,1235;10,2130;4.123;2022\r\n" +
		";033555401000;Samtgemeinde Amelinghausen;Samtgemeinde;53,12;10,21;8.540;2022\r\n" +
		"3355009;;Bleckede;Stadt;53,29;10,73;9.500;2022\r\n" +
		"3355022;;Lüneburg;Stadt;53,25;10,41;75.711;2022\r\n")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "kommunen.csv")
	os.WriteFile(good, []byte(csv), 0o644)

	out, errOut, err := runK(t, "import", good, "--db", db)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Kommunen gespeichert: 4 (4 neu, 0 geändert, 0 unverändert)") {
		t.Errorf("import printed %q", out)
	}
	out, _, err = runK(t, "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"03355001\t033555401001\tAmelinghausen\tGemeinde\t53,1235\t10,213\t4123", "033555401000\t033555401000\tSamtgemeinde Amelinghausen", "03355022\t\tLüneburg\tStadt", "Grenzen: keine gespeichert"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	bad := filepath.Join(dir, "fehler.csv")
	os.WriteFile(bad, []byte("ags;name;kind;lat;lon\n03355030;Neu;Gemeinde;53;10\n335501;Kurz;Stadt;53;10\n03355031;;Stadt;53;10\n03355032;Weit;Stadt;53;200\n"), 0o644)
	_, errOut, err = runK(t, "import", "--db", db, bad)
	if err == nil || !strings.Contains(err.Error(), "3 Fehler, nichts gespeichert") {
		t.Errorf("bad file: %v", err)
	}
	for _, want := range []string{"fehler.csv: Zeile 3: AGS \"335501\" hat nicht 8 Ziffern", "fehler.csv: Zeile 4: Name fehlt", "fehler.csv: Zeile 5: Längengrad (lon) \"200\""} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if out, _, _ := runK(t, "list", "--db", db); strings.Contains(out, "03355030") {
		t.Error("a refused file stored its good lines")
	}

	// Again with one change: updated by key, the rest unchanged.
	os.WriteFile(good, []byte(strings.Replace(csv, "75.711", "75.800", 1)), 0o644)
	if out, _, err := runK(t, "import", good, "--db", db); err != nil || !strings.Contains(out, "(0 neu, 1 geändert, 3 unverändert)") {
		t.Errorf("second import: %q, %v", out, err)
	}

	if _, _, err := runK(t, "import", "--db", db); err == nil {
		t.Error("import without a file: no error")
	}
	if _, _, err := runK(t, "nonsense"); err == nil {
		t.Error("unknown subcommand: no error")
	}
}

// TestKommunenBoundariesCommand: boundaries are matched by AGS, unmatched
// features and Kommunen without an area are reported, and --remove goes back
// to the built-in ones.
func TestKommunenBoundariesCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	csvFile := filepath.Join(dir, "hannover.csv")
	src, err := os.ReadFile("../../survey/defaults/kommunen-region-hannover.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Leave Wunstorf out of the Kommunen: its area has no Kommune then.
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	os.WriteFile(csvFile, []byte(strings.Join(lines[:len(lines)-1], "\n")+"\n03241099,Testdorf,Gemeinde,52.4,9.7,100,2019\n"), 0o644)
	if _, errOut, err := runK(t, "import", csvFile, "--db", db); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	// Write the AGS of one area as a number, as some GIS exports do.
	var fc map[string]any
	if err := json.Unmarshal(analysis.DefaultRegionGeoJSON(), &fc); err != nil {
		t.Fatal(err)
	}
	fc["features"].([]any)[1].(map[string]any)["properties"].(map[string]any)["ags"] = 3241002
	geo, _ := json.Marshal(fc)
	geoFile := filepath.Join(dir, "grenzen.geojson")
	os.WriteFile(geoFile, geo, 0o644)

	out, errOut, err := runK(t, "boundaries", geoFile, "--db", db)
	if err != nil {
		t.Fatalf("boundaries: %v\n%s", err, errOut)
	}
	for _, want := range []string{"Grenzen gespeichert: 20 Flächen", "Ohne passende Kommune, nicht gespeichert: 1", "Objekt 21 (AGS 03241021, Wunstorf): keine Kommune mit diesem Schlüssel",
		"Kommunen ohne Fläche (fehlen auf den Karten): 1", "03241099\tTestdorf"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := runK(t, "list", "--db", db); !strings.Contains(out, "Grenzen: 20 Flächen") {
		t.Errorf("list after boundaries:\n%s", out)
	}

	notGeo := filepath.Join(dir, "kaputt.geojson")
	os.WriteFile(notGeo, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ags":"03241001"},"geometry":{"type":"Polygon","coordinates":[[[9,52]]]}}]}`), 0o644)
	if _, errOut, err := runK(t, "boundaries", notGeo, "--db", db); err == nil || !strings.Contains(errOut, "kaputt.geojson: GeoJSON: Objekt 1") {
		t.Errorf("broken geometry: %v\n%s", err, errOut)
	}
	if out, _, _ := runK(t, "list", "--db", db); !strings.Contains(out, "Grenzen: 20 Flächen") {
		t.Errorf("a refused file replaced the boundaries:\n%s", out)
	}

	if out, _, err := runK(t, "boundaries", "--remove", "--db", db); err != nil || !strings.Contains(out, "Grenzen gelöscht") {
		t.Errorf("remove: %q, %v", out, err)
	}
	if out, _, _ := runK(t, "list", "--db", db); !strings.Contains(out, "Grenzen: keine gespeichert") {
		t.Errorf("list after remove:\n%s", out)
	}
}
