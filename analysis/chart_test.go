package analysis

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var chartTestBurden = []string{
	"Entspannt, ohne Probleme",
	"(Noch) entspannt, aber teilweise belastend",
	"Herausfordernd, aber machbar",
	"Am Limit, im Krisenmodus",
	"Überlastet, im Notfallmodus",
}

var chartTestKommunen = []string{
	"Hannover", "Barsinghausen", "Burgdorf", "Burgwedel", "Garbsen", "Gehrden", "Hemmingen",
	"Isernhagen", "Laatzen", "Langenhagen", "Lehrte", "Neustadt am Rübenberge", "Pattensen",
	"Ronnenberg", "Seelze", "Sehnde", "Springe", "Uetze", "Wedemark", "Wennigsen (Deister)", "Wunstorf",
}

// chartTestSupervision is "persons wanting group supervision" per Kommune.
var chartTestSupervision = []float64{38, 6, 5, 3, 9, 2, 3, 4, 7, 9, 8, 7, 2, 4, 5, 4, 6, 2, 5, 3, 7}

func chartTestBar(t *testing.T, title string) *Chart {
	t.Helper()
	c, err := NewBarChart(BarSpec{
		Title:      title,
		ValueLabel: "Anzahl Kommunen",
		Bars: []Bar{
			{Label: chartTestBurden[0], Value: 1}, {Label: chartTestBurden[1], Value: 4},
			{Label: chartTestBurden[2], Value: 9}, {Label: chartTestBurden[3], Value: 5},
			{Label: chartTestBurden[4], Value: 2},
		},
		Base:  21,
		Notes: []string{"Frage 4.1: Wie belastet ist die Flüchtlingssozialarbeit in Ihrer Kommune insgesamt?"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func chartTestDist(t *testing.T, n int) *Chart {
	t.Helper()
	var vals []LabeledValue
	for i := range n {
		vals = append(vals, LabeledValue{Label: chartTestKommunen[i%len(chartTestKommunen)], Value: chartTestSupervision[i%len(chartTestSupervision)] + float64(i/21)})
	}
	c, err := NewDistributionChart(DistributionSpec{
		Title:      "Größe des Bedarfs: Personen mit Wunsch nach Gruppensupervision",
		ValueLabel: "Personen je Kommune",
		Values:     vals,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func chartTestStacked(t *testing.T) *Chart {
	t.Helper()
	rows := []string{"Fallzahl", "Komplexität der Fälle", "Traumatisierung der Klientinnen und Klienten", "Konflikte in Unterkünften", "Verwaltungsaufwand"}
	likert := []string{"gar nicht", "wenig", "teils, teils", "stark", "sehr stark"}
	data := [][]float64{{1, 3, 7, 6, 4}, {0, 2, 5, 9, 5}, {2, 4, 6, 6, 3}, {3, 6, 6, 4, 2}, {0, 1, 4, 7, 9}}
	var series []ChartSeries
	for j, l := range likert {
		s := ChartSeries{Name: l}
		for i := range rows {
			s.Values = append(s.Values, data[i][j])
		}
		series = append(series, s)
	}
	c, err := NewStackedBarChart(StackedBarSpec{
		Title:      "Übersicht: Belastung nach Bereichen",
		ValueLabel: "Anzahl Kommunen",
		Categories: rows,
		Series:     series,
		Ordinal:    true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chartTestSVG checks that svg is well-formed XML with the accessible title and
// description as the first children of <svg>, and returns all character data.
func chartTestSVG(t *testing.T, svg []byte, title, desc string) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var (
		texts     strings.Builder
		depth     int
		order     []string
		gotTitle  string
		gotDesc   string
		inElem    string
		rootAttrs []xml.Attr
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if tk.Name.Local != "svg" {
					t.Fatalf("root element %q, want svg", tk.Name.Local)
				}
				rootAttrs = tk.Attr
			}
			if depth == 2 {
				order = append(order, tk.Name.Local)
			}
			inElem = tk.Name.Local
		case xml.EndElement:
			depth--
			inElem = ""
		case xml.CharData:
			switch {
			case depth == 2 && inElem == "title":
				gotTitle += string(tk)
			case depth == 2 && inElem == "desc":
				gotDesc += string(tk)
			}
			texts.Write(tk)
		}
	}
	if len(order) < 2 || order[0] != "title" || order[1] != "desc" {
		t.Errorf("first children of <svg> = %v, want title, desc", order[:min(3, len(order))])
	}
	if gotTitle != title {
		t.Errorf("<title> = %q, want %q", gotTitle, title)
	}
	if gotDesc != desc {
		t.Errorf("<desc> = %q, want %q", gotDesc, desc)
	}
	attrs := map[string]string{}
	for _, a := range rootAttrs {
		attrs[a.Name.Local] = a.Value
	}
	if attrs["role"] != "img" || !strings.HasSuffix(attrs["aria-labelledby"], "-desc") || attrs["width"] != "800" {
		t.Errorf("root attributes %v: want role=img, aria-labelledby, width=800", attrs)
	}
	return texts.String()
}

func chartTestPNG(t *testing.T, b []byte, wantW, wantH int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if got := img.Bounds().Dx(); got != wantW {
		t.Errorf("PNG width %d, want %d", got, wantW)
	}
	if wantH > 0 && img.Bounds().Dy() != wantH {
		t.Errorf("PNG height %d, want %d", img.Bounds().Dy(), wantH)
	}
}

func TestChartsRender(t *testing.T) {
	tests := []struct {
		name     string
		chart    func(t *testing.T) *Chart
		contains []string // text that must appear in the SVG
	}{
		{"Balken", func(t *testing.T) *Chart { return chartTestBar(t, "Belastung insgesamt") },
			[]string{"Belastung insgesamt", "Überlastet, im", "9 (42,9\u00a0%)", "Anzahl Kommunen"}},
		{"Balken mit Sonderzeichen", func(t *testing.T) *Chart { return chartTestBar(t, `<script>alert("x")</script> & Co`) },
			[]string{`<script>alert("x")</script> & Co`}},
		{"Punktdiagramm", func(t *testing.T) *Chart { return chartTestDist(t, 21) },
			[]string{"Größe des Bedarfs", "Median 5", "n = 21"}},
		{"Histogramm", func(t *testing.T) *Chart { return chartTestDist(t, 500) },
			[]string{"Median", "n = 500"}},
		{"Gestapelt", chartTestStacked,
			[]string{"Übersicht: Belastung", "sehr stark", "Verwaltungsaufwand", "21"}},
		{"Karte", func(t *testing.T) *Chart { return chartTestMap(t, MapSpec{}) },
			[]string{MapAttributionBKG, "Hannover", "keine Angabe", "Treffpunkt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.chart(t)
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			texts := chartTestSVG(t, svg, c.Title(), c.Description())
			for _, want := range tt.contains {
				if !strings.Contains(texts, want) {
					t.Errorf("SVG text lacks %q", want)
				}
			}
			if strings.Contains(string(svg), "<script") {
				t.Error("SVG contains an unescaped <script")
			}
			if regexp.MustCompile(`\sstyle=`).Match(svg) {
				t.Error("SVG has style attributes (blocked by a strict CSP)")
			}
			inline, err := c.SVGInline()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(inline, []byte("<svg ")) || !bytes.HasSuffix(svg, inline) {
				t.Errorf("SVGInline does not start with <svg: %.40q", inline)
			}
			p, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			chartTestPNG(t, p, 800, c.Height())
			p2, err := c.PNGScaled(2)
			if err != nil {
				t.Fatal(err)
			}
			chartTestPNG(t, p2, 1600, 0)

			// Deterministic: a second build renders the same bytes.
			c2 := tt.chart(t)
			svg2, err := c2.SVG()
			if err != nil {
				t.Fatal(err)
			}
			png2, err := c2.PNG()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(svg, svg2) || !bytes.Equal(p, png2) {
				t.Error("same input rendered different bytes")
			}
			// Table: a header and rows as wide as it.
			tab := c.Table()
			if len(tab.Header) == 0 || len(tab.Rows) == 0 {
				t.Fatalf("empty table %+v", tab)
			}
			for i, r := range tab.Rows {
				if len(r) != len(tab.Header) {
					t.Errorf("row %d has %d cells, header %d", i, len(r), len(tab.Header))
				}
			}
			if rows := c.Rows(); len(rows) != len(tab.Rows)+1 {
				t.Errorf("Rows() has %d rows, want %d", len(rows), len(tab.Rows)+1)
			}
			chartWriteSample(t, tt.name, svg, p)
		})
	}
}

func TestChartsEmpty(t *testing.T) {
	tests := []struct {
		name  string
		build func() (*Chart, error)
	}{
		{"Balken ohne Balken", func() (*Chart, error) { return NewBarChart(BarSpec{Title: "Leer"}) }},
		{"Balken nur Nullen", func() (*Chart, error) {
			return NewBarChart(BarSpec{Title: "Nullen", Bars: []Bar{{Label: "ja", Value: 0}, {Label: "nein", Value: 0}}})
		}},
		{"Verteilung", func() (*Chart, error) { return NewDistributionChart(DistributionSpec{Title: "Leer"}) }},
		{"Gestapelt", func() (*Chart, error) {
			return NewStackedBarChart(StackedBarSpec{Title: "Leer", Categories: []string{"a"}, Series: []ChartSeries{{Name: "x", Values: []float64{0}}}})
		}},
		{"Gestapelt ohne Kategorien", func() (*Chart, error) { return NewStackedBarChart(StackedBarSpec{Title: "Leer"}) }},
		{"Karte", func() (*Chart, error) { return NewMap(MapSpec{Title: "Leer", GeoJSON: DefaultRegionGeoJSON()}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			texts := chartTestSVG(t, svg, c.Title(), c.Description())
			if !strings.Contains(texts, "keine Daten") {
				t.Errorf("SVG lacks the note %q:\n%s", "keine Daten", texts)
			}
			p, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			chartTestPNG(t, p, 800, c.Height())
			chartWriteSample(t, "leer "+tt.name, svg, p)
		})
	}
}

func TestChartsInvalid(t *testing.T) {
	tests := []struct {
		name  string
		build func() (*Chart, error)
	}{
		{"negativer Balken", func() (*Chart, error) { return NewBarChart(BarSpec{Bars: []Bar{{"a", -1}}}) }},
		{"Reihe zu kurz", func() (*Chart, error) {
			return NewStackedBarChart(StackedBarSpec{Categories: []string{"a", "b"}, Series: []ChartSeries{{Name: "x", Values: []float64{1}}}})
		}},
		{"kaputtes GeoJSON", func() (*Chart, error) { return NewMap(MapSpec{GeoJSON: []byte(`{"type":`)}) }},
		{"GeoJSON ohne AGS", func() (*Chart, error) {
			return NewMap(MapSpec{GeoJSON: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Polygon","coordinates":[[[9,52],[9.1,52],[9,52.1],[9,52]]]}}]}`)})
		}},
		{"Punkt statt Fläche", func() (*Chart, error) {
			return NewMap(MapSpec{GeoJSON: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ags":"1"},"geometry":{"type":"Point","coordinates":[9,52]}}]}`)})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.build(); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestChartUmlauts(t *testing.T) {
	// Liberation Sans has glyphs for German letters: the widths of "Ü", "ö" and
	// "ß" are those of real glyphs, not of a missing-glyph box.
	sty := chTextStyle(12, false, chInk)
	if w, box := sty.Width("Ü"), sty.Width("\uffff"); w == box {
		t.Errorf("Ü is drawn as missing glyph")
	}
	if sty.Width("Größe") <= sty.Width("Gr") {
		t.Error("Größe is not wider than Gr")
	}
	c, err := NewBarChart(BarSpec{Title: "Übersicht", Bars: []Bar{{Label: "Größe", Value: 3}, {Label: "Fußgänger", Value: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	texts := chartTestSVG(t, svg, "Übersicht", c.Description())
	for _, w := range []string{"Übersicht", "Größe", "Fußgänger"} {
		if !strings.Contains(texts, w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
}

// TestChartDirectionControls: labels, titles and notes with direction
// overrides are drawn without them (a browser lays out an SVG's text and
// would follow them), each chart kind; right-to-left letters stay.
func TestChartDirectionControls(t *testing.T) {
	const evil, arabic = "\u202eevil", "\u2067مرحبا"
	charts := map[string]func() (*Chart, error){
		"bar": func() (*Chart, error) {
			return NewBarChart(BarSpec{Title: evil, ValueLabel: evil, Notes: []string{evil}, Bars: []Bar{{Label: evil, Value: 3}, {Label: arabic, Value: 2}}})
		},
		"stacked": func() (*Chart, error) {
			return NewStackedBarChart(StackedBarSpec{Title: evil, Categories: []string{evil, arabic}, Series: []ChartSeries{{Name: evil, Values: []float64{1, 2}}}})
		},
		"distribution": func() (*Chart, error) {
			return NewDistributionChart(DistributionSpec{Title: evil, ValueLabel: evil, Values: []LabeledValue{{Label: evil, Value: 1}, {Label: arabic, Value: 2}}})
		},
	}
	for name, build := range charts {
		t.Run(name, func(t *testing.T) {
			c, err := build()
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(string(svg), "\u202e\u2067") {
				t.Error("the SVG keeps a direction control")
			}
			if !strings.Contains(string(svg), "evil") {
				t.Error("the SVG lacks the label")
			}
			for _, row := range c.Rows() {
				for _, cell := range row {
					if strings.ContainsAny(cell, "\u202e\u2067") {
						t.Errorf("the table keeps a direction control: %+q", cell)
					}
				}
			}
		})
	}
}

func TestFormatDE(t *testing.T) {
	tests := []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 0, "0"},
		{12.5, 1, "12,5"},
		{1234.5, 1, "1.234,5"},
		{1234567, 0, "1.234.567"},
		{-1234.56, 2, "-1.234,56"},
		{-0.001, 1, "0,0"},
		{999.96, 1, "1.000,0"},
	}
	for _, tt := range tests {
		if got := FormatDecimalDE(tt.v, tt.dec); got != tt.want {
			t.Errorf("FormatDecimalDE(%v, %d) = %q, want %q", tt.v, tt.dec, got, tt.want)
		}
	}
	auto := map[float64]string{3: "3", 2.5: "2,5", 1.0 / 3: "0,33", 75000: "75.000"}
	for v, want := range auto {
		if got := FormatNumberDE(v); got != want {
			t.Errorf("FormatNumberDE(%v) = %q, want %q", v, got, want)
		}
	}
	if got := FormatPercentDE(0.238); got != "23,8\u00a0%" {
		t.Errorf("FormatPercentDE = %q", got)
	}
}

func TestChartTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		integer  bool
		want     []string
	}{
		{0, 10, true, []string{"0", "2", "4", "6", "8", "10"}},
		{0, 3, true, []string{"0", "1", "2", "3"}},
		{0, 1, false, []string{"0,0", "0,2", "0,4", "0,6", "0,8", "1,0"}},
		{0, 12500, true, []string{"0", "2.500", "5.000", "7.500", "10.000", "12.500"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (chTicker{integer: tt.integer}).Ticks(tt.min, tt.max) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("ticks(%v, %v) = %v, want %v", tt.min, tt.max, got, tt.want)
		}
	}
}

func TestChartWrap(t *testing.T) {
	sty := chTextStyle(10, false, chInk)
	lines := chWrap(sty, "Traumatisierung der Klientinnen und Klienten", 100)
	if len(lines) < 2 {
		t.Fatalf("not wrapped: %q", lines)
	}
	for _, l := range lines {
		if sty.Width(l) > 100 {
			t.Errorf("line %q is wider than 100 pt", l)
		}
	}
	if got := strings.Join(lines, " "); got != "Traumatisierung der Klientinnen und Klienten" {
		t.Errorf("words lost: %q", got)
	}
	long := chWrap(sty, "Flüchtlingssozialarbeitskoordinierungsstelle", 60)
	for _, l := range long {
		if sty.Width(l) > 60 {
			t.Errorf("line %q is wider than 60 pt", l)
		}
	}
}

// chartWriteSample writes the rendered chart to $BEDARF_CHART_SAMPLES (if set)
// so that a person can look at it.
func chartWriteSample(t *testing.T, name string, svg, png []byte) {
	dir := os.Getenv("BEDARF_CHART_SAMPLES")
	if dir == "" {
		return
	}
	base := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
	if err := os.WriteFile(base+".svg", svg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+".png", png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestChartConcurrent(t *testing.T) {
	// The dashboard renders charts from several requests at once.
	c := chartTestMap(t, MapSpec{})
	want, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	stacked := chartTestStacked(t)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := c.SVG()
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent render differs")
			}
			if err == nil {
				_, err = stacked.PNG()
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
