package analysis

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The -update flag rewrites golden files. It is registered only if no
// other test file of the package has done so already (package-level flag
// variables are initialised before init functions run).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func planUpdate() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	v, _ := f.Value.(flag.Getter).Get().(bool)
	return v
}

// planHannoverInput reads the 21 Kommunen of Region Hannover and gives
// them a fixed demand.
func planHannoverInput(t testing.TB) []KommuneInput {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "plan_kommunen_hannover.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type demand struct {
		persons                  int
		format                   Format
		recht, arbeit, ges, trau int
		people, expected, fte    float64
	}
	// by AGS suffix: persons wanting group supervision and format,
	// training participants, people supported, expected, FTE.
	demands := map[string]demand{
		"001": {20, FormatNoPreference, 14, 9, 6, 17, 6200, 6500, 62},
		"002": {4, FormatOnSite, 2, 1, 0, 3, 410, 430, 4.5},
		"003": {13, FormatOnSite, 3, 2, 1, 4, 380, 420, 3},
		"004": {2, FormatNeighbour, 1, 0, 0, 1, 190, 200, 2},
		"005": {9, FormatOnSite, 4, 3, 2, 5, 720, 760, 7.5},
		"006": {3, FormatOnSite, 1, 1, 0, 2, 150, 160, 1.5},
		"007": {2, FormatOnline, 0, 1, 0, 1, 170, 175, 1},
		"008": {3, FormatNeighbour, 1, 0, 1, 1, 230, 240, 2.5},
		"009": {6, FormatOnSite, 2, 2, 1, 2, 480, 500, 5},
		"010": {4, FormatOnline, 3, 2, 1, 3, 640, 700, 6},
		"011": {1, FormatNeighbour, 2, 1, 0, 2, 520, 540, 4},
		"012": {2, FormatOnSite, 2, 1, 1, 1, 510, 560, 5},
		"013": {0, FormatNoPreference, 0, 0, 0, 0, 140, 150, 0},
		"014": {2, FormatNeighbour, 1, 1, 0, 1, 260, 280, 2},
		"015": {5, FormatNoPreference, 2, 1, 1, 2, 400, 410, 4},
		"016": {3, FormatOnline, 1, 0, 0, 1, 250, 260, 2.5},
		"017": {1, FormatOnSite, 1, 1, 0, 1, 300, 310, 3},
		"018": {3, FormatOnSite, 1, 0, 0, 1, 200, 230, 1.5},
		"019": {2, FormatOnline, 1, 1, 0, 1, 280, 290, 2},
		"020": {1, FormatNeighbour, 0, 1, 0, 1, 150, 150, 1.5},
		"021": {0, FormatNoPreference, 2, 1, 1, 2, 480, 470, 6},
	}
	var in []KommuneInput
	for _, r := range rows[1:] {
		lat, err1 := strconv.ParseFloat(r[3], 64)
		lon, err2 := strconv.ParseFloat(r[4], 64)
		d, ok := demands[r[0][5:]]
		if err1 != nil || err2 != nil || !ok {
			t.Fatalf("bad row %v", r)
		}
		in = append(in, KommuneInput{
			AGS: r[0], Name: r[1], Lat: lat, Lon: lon,
			GroupPersons: d.persons, Format: d.format,
			Training:        map[string]int{"recht": d.recht, "arbeit": d.arbeit, "gesundheit": d.ges, "trauma": d.trau},
			PeopleSupported: d.people, PeopleExpected: d.expected, FTE: d.fte,
		})
	}
	if len(in) != 21 {
		t.Fatalf("%d Kommunen, want 21", len(in))
	}
	return in
}

var planModules = []Module{
	{"recht", "Aufenthalts- und Asylrecht"},
	{"arbeit", "Zugang zu Ausbildung und Arbeit"},
	{"gesundheit", "Gesundheit und Infektionsschutz"},
	{"trauma", "Umgang mit Traumatisierungen"},
}

func TestComputeHannoverGolden(t *testing.T) {
	in := planHannoverInput(t)
	pl := Compute(in, planModules, DefaultParams())
	if msgs := planCheckPlan(in, DefaultParams(), pl); len(msgs) > 0 {
		t.Errorf("invariants: %q", msgs)
	}
	var buf bytes.Buffer
	if err := pl.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "plan_hannover.golden")
	if planUpdate() {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("plan differs from %s (go test -run Golden -update rewrites it):\n%s", path, buf.String())
	}
}
