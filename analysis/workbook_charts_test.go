package analysis

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/survey"
)

// TestChartsFor: the workbook's charts as pictures, with the workbook's
// data, stable names, SVG with title and description, PNG.
func TestChartsFor(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.GeoJSON = DefaultRegionGeoJSON()
	charts, err := ChartsFor(ds)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	if want := []string{ChartSupervision, ChartTraining, ChartBurden, ChartMap}; !slices.Equal(names, want) {
		t.Fatalf("charts %q, want %q", names, want)
	}
	for _, c := range charts {
		svg, err := c.Chart.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("<title")) || !bytes.Contains(svg, []byte("<desc")) {
			t.Errorf("%s: SVG without title or description", c.Name)
		}
		png, err := c.Chart.PNG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG", c.Name)
		}
	}
	if svg, _ := charts[3].Chart.SVG(); !bytes.Contains(svg, []byte("GeoBasis-DE")) {
		t.Error("map without attribution")
	}
	if got := charts[0].FileName(ds.Round, "svg"); got != "supervision-je-kommune_2.svg" {
		t.Errorf("file name %q", got)
	}

	// The same data as the workbook's tables and charts.
	f := wbOpen(t, wbBytes(t, ds))
	pl := wbPlanOf(t, ds)
	sup := charts[0].Chart.Table()
	if len(sup.Rows) != len(pl.Kommunen) {
		t.Fatalf("%d Kommunen in the chart, want %d", len(sup.Rows), len(pl.Kommunen))
	}
	first := wbFigureRow(t, f, "Kommune") + 1
	for i, r := range sup.Rows {
		if got := wbRaw(t, f, SheetOverview, cellName(1, first+i)); got != r[0] {
			t.Errorf("row %d: workbook %q, chart %q", i, got, r[0])
		}
		if got := wbRaw(t, f, SheetOverview, cellName(2, first+i)); got != strings.ReplaceAll(r[1], ".", "") {
			t.Errorf("%s: workbook %q, chart %q", r[0], got, r[1])
		}
	}
	tr := charts[1].Chart.Table()
	for i, tp := range pl.Training {
		if tr.Rows[i][0] != tp.Label || tr.Rows[i][1] != strconv.Itoa(tp.Participants) {
			t.Errorf("module %s: %q", tp.ModuleID, tr.Rows[i])
		}
	}
}

// TestChartsForManyKommunen shows the 25 Kommunen with the most demand.
func TestChartsForManyKommunen(t *testing.T) {
	ds := wbScaleDataset(t, 60, 3)
	charts, err := ChartsFor(ds)
	if err != nil {
		t.Fatal(err)
	}
	tb := charts[0].Chart.Table()
	if len(tb.Rows) != ovDemandTop {
		t.Fatalf("%d bars, want %d", len(tb.Rows), ovDemandTop)
	}
	prev := 1 << 30
	for _, r := range tb.Rows {
		n, _ := strconv.Atoi(r[1])
		if n > prev {
			t.Errorf("not sorted by demand: %q", tb.Rows)
		}
		prev = n
	}
	svg, _ := charts[0].Chart.SVG()
	if !bytes.Contains(svg, []byte(fmt.Sprintf("die %d Kommunen mit den meisten Personen", ovDemandTop))) {
		t.Error("the chart does not say that it shows a selection")
	}
}

// TestBurdenQuestion finds the burden question by id, else the first
// Likert question.
func TestBurdenQuestion(t *testing.T) {
	qn := wbQuestionnaire(t)
	if q := BurdenQuestion(qn); q == nil || q.ID != BurdenQuestionID {
		t.Errorf("default questionnaire: %v", q)
	}
	other, err := survey.ParseYAML("x.yaml", []byte(`
id: x
title: X
sections:
  - id: s
    title: S
    questions:
      - {id: a, type: integer, label: A}
      - {id: lage, type: likert, label: Lage, choices: [{value: "1", label: gut}, {value: "2", label: schlecht}]}
      - {id: lage2, type: likert, label: Lage2, choices: [{value: "1", label: gut}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if q := BurdenQuestion(other); q == nil || q.ID != "lage" {
		t.Errorf("other questionnaire: %v", q)
	}
}
