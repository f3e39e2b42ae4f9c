package analysis

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"testing"
)

// chartTestMap builds a map of Region Hannover with supervision demand for all
// Kommunen but three, plus two meeting places; fields set in spec win.
func chartTestMap(t *testing.T, spec MapSpec) *Chart {
	t.Helper()
	if spec.Title == "" {
		spec.Title = "Wunsch nach Gruppensupervision"
	}
	if spec.ValueLabel == "" {
		spec.ValueLabel = "Personen mit Wunsch nach Gruppensupervision"
	}
	if spec.Values == nil {
		spec.Values = mapTestValues()
	}
	if spec.GeoJSON == nil {
		spec.GeoJSON = DefaultRegionGeoJSON()
	}
	if spec.Markers == nil {
		spec.Markers = []MapMarker{
			{Label: "Gruppe 1", Lat: 52.3796, Lon: 9.7697},
			{Label: "Gruppe 2", Lat: 52.4714, Lon: 10.0174},
		}
	}
	c, err := NewMap(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mapTestValues() map[string]float64 {
	vals := map[string]float64{}
	for i, v := range chartTestSupervision {
		if i == 5 || i == 12 || i == 19 { // Gehrden, Pattensen, Wennigsen: keine Angabe
			continue
		}
		vals[fmt.Sprintf("032410%02d", i+1)] = v
	}
	return vals
}

func TestParseRegionGeoJSON(t *testing.T) {
	feats, err := ParseRegionGeoJSON(DefaultRegionGeoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 21 {
		t.Fatalf("%d features, want 21", len(feats))
	}
	seen := map[string]bool{}
	for _, f := range feats {
		if len(f.AGS) != 8 || !strings.HasPrefix(f.AGS, "03241") || f.Name == "" || len(f.Polygons) == 0 {
			t.Errorf("bad feature %s %q (%d polygons)", f.AGS, f.Name, len(f.Polygons))
		}
		seen[f.AGS] = true
	}
	if len(seen) != 21 {
		t.Errorf("%d distinct AGS, want 21", len(seen))
	}
	for _, f := range feats {
		if f.Name == "Sehnde" && len(f.Polygons) < 2 {
			t.Errorf("Sehnde (MultiPolygon) has %d polygons", len(f.Polygons))
		}
	}
	// The copy is the caller's.
	b := DefaultRegionGeoJSON()
	b[0] = 'x'
	if DefaultRegionGeoJSON()[0] == 'x' {
		t.Error("DefaultRegionGeoJSON returns shared bytes")
	}
}

func TestParseRegionGeoJSONVariants(t *testing.T) {
	square := func(x float64) string {
		return fmt.Sprintf(`[[[%g,52],[%g,52],[%g,52.1],[%g,52.1],[%g,52]]]`, x, x+0.1, x+0.1, x, x)
	}
	// VG250-style keys, a numeric AGS, two rows for one Kommune, a hole, a
	// feature without geometry.
	data := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"AGS":"01001000","GEN":"Flensburg"},"geometry":{"type":"Polygon","coordinates":[[[9,52],[9.1,52],[9.1,52.1],[9,52.1],[9,52]],[[9.02,52.02],[9.02,52.04],[9.04,52.04],[9.02,52.02]]]}},
	 {"type":"Feature","properties":{"AGS":"01001000","GEN":"Flensburg"},"geometry":{"type":"Polygon","coordinates":` + square(9.3) + `}},
	 {"type":"Feature","properties":{"ags":3241001,"name":"Zahl"},"geometry":{"type":"MultiPolygon","coordinates":[` + square(9.6) + `]}},
	 {"type":"Feature","properties":{"ags":"09999999","name":"Ohne"},"geometry":null}
	]}`
	feats, err := ParseRegionGeoJSON([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 2 {
		t.Fatalf("%d features, want 2: %+v", len(feats), feats)
	}
	if feats[0].AGS != "01001000" || feats[0].Name != "Flensburg" || len(feats[0].Polygons) != 2 || len(feats[0].Polygons[0]) != 2 {
		t.Errorf("merged feature: %s %s %d polygons", feats[0].AGS, feats[0].Name, len(feats[0].Polygons))
	}
	if feats[1].AGS != "03241001" {
		t.Errorf("numeric AGS read as %q, want 03241001", feats[1].AGS)
	}
	// Another region's file renders, with the attribution.
	c, err := NewMap(MapSpec{Title: "Andere Region", GeoJSON: []byte(data), Values: map[string]float64{"01001000": 3}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	texts := chartTestSVG(t, svg, "Andere Region", c.Description())
	if !strings.Contains(texts, MapAttributionBKG) || !strings.Contains(texts, "Flensburg") {
		t.Errorf("map text lacks attribution or name: %s", texts)
	}
}

func TestClassifyValues(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		n      int
		want   []string // class labels
		counts []int
	}{
		{"leer", nil, 5, nil, nil},
		{"wenige verschiedene", []float64{1, 1, 2, 3, 3, 3}, 5, []string{"1", "2", "3"}, []int{2, 1, 3}},
		{"Quantile", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, []string{"1 bis 2", "3 bis 4", "5 bis 6", "7 bis 8", "9 bis 10"}, []int{2, 2, 2, 2, 2}},
		{"Gleiche Werte bleiben zusammen", []float64{0, 0, 0, 0, 0, 0, 1, 2, 30}, 3, []string{"0", "1 bis 2", "30"}, []int{6, 2, 1}},
		{"Dezimal", []float64{0.5, 1.25, 2, 2.75, 10}, 2, []string{"0,5 bis 2", "2,75 bis 10"}, []int{3, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := ClassifyValues(tt.values, tt.n)
			var labels []string
			var counts []int
			for _, c := range cl {
				labels = append(labels, c.Label)
				counts = append(counts, c.Count)
			}
			if fmt.Sprint(labels) != fmt.Sprint(tt.want) || fmt.Sprint(counts) != fmt.Sprint(tt.counts) {
				t.Errorf("classes %v %v, want %v %v", labels, counts, tt.want, tt.counts)
			}
			for _, v := range tt.values {
				k := ClassOf(cl, v)
				if v < cl[k].Min || v > cl[k].Max {
					t.Errorf("ClassOf(%v) = %d (%s)", v, k, cl[k].Label)
				}
			}
			// Colours run from light to dark and are distinct.
			for i := 1; i < len(cl); i++ {
				if chLuminance(cl[i].Fill) >= chLuminance(cl[i-1].Fill) || cl[i].Fill == cl[i-1].Fill {
					t.Errorf("class %d colour %v not darker than %v", i, cl[i].Fill, cl[i-1].Fill)
				}
			}
		})
	}
}

func chLuminance(c color.RGBA) float64 {
	return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
}

func TestMapEveryKommune(t *testing.T) {
	vals := mapTestValues()
	spec := MapSpec{Title: "Karte", Values: vals, GeoJSON: DefaultRegionGeoJSON()}
	areas, classes, err := spec.Classify()
	if err != nil {
		t.Fatal(err)
	}
	feats, err := ParseRegionGeoJSON(DefaultRegionGeoJSON())
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != len(feats) {
		t.Fatalf("%d areas, want %d", len(areas), len(feats))
	}
	perFill := map[string]int{}
	for i, a := range areas {
		if a.AGS != feats[i].AGS {
			t.Errorf("area %d is %s, want %s", i, a.AGS, feats[i].AGS)
		}
		v, ok := vals[a.AGS]
		switch {
		case !ok && (a.HasValue || a.Class != -1 || a.Fill != NoDataFill()):
			t.Errorf("%s %s without value classified as %+v", a.AGS, a.Name, a)
		case ok && (!a.HasValue || a.Value != v || a.Fill != classes[a.Class].Fill || v < classes[a.Class].Min || v > classes[a.Class].Max):
			t.Errorf("%s %s (%v) classified as %+v", a.AGS, a.Name, v, a)
		}
		perFill[mapTestHex(a.Fill)]++
	}
	if perFill[mapTestHex(NoDataFill())] != 3 {
		t.Errorf("%d Kommunen grey, want 3", perFill[mapTestHex(NoDataFill())])
	}

	// In the SVG each Kommune is one filled path in its colour; the legend
	// adds one swatch per class and one for "keine Angabe".
	c, svg := mapTestSVG(t, spec)
	total := 0
	for fill, n := range perFill {
		got := strings.Count(string(svg), `fill="`+fill+`"`)
		if got != n+1 {
			t.Errorf("fill %s drawn %d times, want %d Kommunen + 1 legend swatch", fill, got, n)
		}
		total += n
	}
	if total != 21 {
		t.Errorf("%d Kommunen coloured, want 21", total)
	}
	// The table has every Kommune.
	tab := c.Table()
	if len(tab.Rows) != 21 {
		t.Errorf("table has %d rows, want 21", len(tab.Rows))
	}
	for _, r := range tab.Rows {
		if _, ok := vals[r[0]]; !ok && r[2] != NoAnswerText {
			t.Errorf("row %v: want %q", r, NoAnswerText)
		}
	}
}

func TestMapValuesNotOnMap(t *testing.T) {
	c := chartTestMap(t, MapSpec{Values: map[string]float64{"03241001": 5, "99999999": 7}})
	tab := c.Table()
	last := tab.Rows[len(tab.Rows)-1]
	if last[0] != "99999999" || last[3] != "nicht auf der Karte" {
		t.Errorf("last row %v", last)
	}
}

func TestMapDeterministic(t *testing.T) {
	// Map iteration order must not leak into the output.
	var prev []byte
	for range 5 {
		c := chartTestMap(t, MapSpec{Values: mapTestValues()})
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(prev, svg) {
			t.Fatal("map SVG differs between runs")
		}
		prev = svg
	}
}

func mapTestHex(c color.RGBA) string {
	return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B)
}

// TestMapDescriptionNames: a region's map names every Kommune of a class in
// its text alternative; a map of many Kommunen counts them and names those
// with the largest values, so that the description stays readable.
func TestMapDescriptionNames(t *testing.T) {
	areas := func(n int) []MapArea {
		out := make([]MapArea, n)
		for i := range out {
			out[i] = MapArea{AGS: fmt.Sprintf("%08d", i), Name: fmt.Sprintf("K%d", i), Value: float64(i % 17), HasValue: true}
		}
		return out
	}
	for _, tc := range []struct {
		n    int
		many bool
		want string
	}{
		{0, true, ""},
		{3, true, "K0, K1, K2"},
		{10, true, "K0, K1, K2, K3, K4, K5, K6, K7, K8, K9"},
		{12, false, "K0, K1, K2, K3, K4, K5, K6, K7, K8, K9, K10, K11"},
		{40, true, "40 Kommunen, am höchsten K16, K33, K15, K32, K14, K31, K13, K30, K12, K29"},
		{1234, true, "1.234 Kommunen, am höchsten K16, K33, K50, K67, K84, K101, K118, K135, K152, K169"},
	} {
		if got := descNames(areas(tc.n), tc.many); got != tc.want {
			t.Errorf("%d areas (many %v): %q, want %q", tc.n, tc.many, got, tc.want)
		}
	}
}

// TestMapWithoutBoundaries: without stored boundaries a map draws no
// region's shapes (not Hannover's either): it shows the notice, says it in
// its text alternative, and its table keeps every value with its name.
func TestMapWithoutBoundaries(t *testing.T) {
	feats, err := ParseRegionGeoJSON(DefaultRegionGeoJSON())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, f := range feats {
		names[f.AGS] = f.Name
	}
	spec := MapSpec{Title: "Wunsch", Values: mapTestValues(), Names: names}
	c, svg := mapTestSVG(t, spec)
	texts := chartTestSVG(t, svg, c.Title(), c.Description())
	if !strings.Contains(strings.Join(strings.Fields(texts), " "), NoBoundariesText) {
		t.Errorf("SVG lacks the notice:\n%s", texts)
	}
	if !strings.Contains(c.Description(), NoBoundariesText) {
		t.Errorf("description %q lacks the notice", c.Description())
	}
	for _, name := range []string{"Wedemark", "Burgdorf", MapAttributionBKG} {
		if strings.Contains(texts, name) {
			t.Errorf("the SVG without boundaries draws %q", name)
		}
	}
	// The drawn map has many path points per area; the notice none.
	segments := regexp.MustCompile(`L-?[0-9]`)
	if n := len(segments.FindAll(svg, -1)); n > 50 {
		t.Errorf("%d line segments drawn without boundaries", n)
	}
	_, dsvg := mapTestSVG(t, MapSpec{Title: "Wunsch", Values: mapTestValues(), Names: names, GeoJSON: DefaultRegionGeoJSON()})
	if n := len(segments.FindAll(dsvg, -1)); n < 1000 {
		t.Errorf("the drawn map has only %d segments: the check above proves nothing", n)
	}
	// Every Kommune named, those without a value as "keine Angabe".
	tab := c.Table()
	if len(tab.Rows) != len(names) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(names))
	}
	for _, r := range tab.Rows {
		_, has := spec.Values[r[0]]
		if r[1] != names[r[0]] || (r[2] == NoAnswerText) == has || r[3] == "" {
			t.Errorf("row %v", r)
		}
	}
	if _, err := c.PNG(); err != nil {
		t.Fatal(err)
	}
}

// mapTestSVG builds the map of spec and renders it as SVG.
func mapTestSVG(t *testing.T, spec MapSpec) (*Chart, []byte) {
	t.Helper()
	c, err := NewMap(spec)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	return c, svg
}
