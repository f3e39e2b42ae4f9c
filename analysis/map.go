package analysis

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"bedarf/survey"
)

//go:embed geo/region-hannover-kommunen.geojson
var mapHannoverGeoJSON []byte

// DefaultRegionGeoJSON returns the simplified boundaries of the 21 Kommunen of
// Region Hannover (properties ags, name, kind; © GeoBasis-DE / BKG 2013, Daten
// verändert), for the demo and for an installation that takes Hannover's
// Kommunen; maps draw only stored boundaries, never these by default. The
// result is a copy and may be changed by the caller.
func DefaultRegionGeoJSON() []byte {
	return bytes.Clone(mapHannoverGeoJSON)
}

// MapAttributionBKG is the attribution BKG's open-data terms require wherever
// VG250 boundaries are shown. NewMap prints it on every map unless
// MapSpec.Attribution says otherwise.
const MapAttributionBKG = "© GeoBasis-DE / BKG 2013 (Daten verändert)"

// NoAnswerText labels Kommunen without a value on a map.
const NoAnswerText = "keine Angabe"

// NoBoundariesText is what a map without stored boundaries shows instead of
// shapes (and says in its text alternative): it never draws another
// region's boundaries.
const NoBoundariesText = "Keine Grenzen der Kommunen gespeichert: Die Karte kann nicht gezeichnet werden. Die Tabelle nennt die Werte je Kommune."

// GeoPoint is a WGS84 position.
type GeoPoint struct {
	// Lon and Lat are longitude and latitude in degrees.
	Lon, Lat float64
}

// MapFeature is one Kommune of a boundary file: its key, name and outline.
type MapFeature struct {
	// AGS is the official municipality key (8 digits).
	AGS string
	// Name is the Kommune's name.
	Name string
	// Polygons holds the parts of the area; each part is a list of rings,
	// the outer ring first, holes after it.
	Polygons [][][]GeoPoint
}

// ParseRegionGeoJSON reads a GeoJSON FeatureCollection (or a single Feature)
// of Polygon and MultiPolygon features. The key is read from the property
// "ags" (or "AGS" as in BKG's VG250) and the name from "name" (or "GEN").
// Features with the same key are merged into one MapFeature (VG250 splits some
// Kommunen into several rows); features without geometry are skipped. The
// result keeps the order of first appearance. A file it cannot read is
// refused with a *survey.Error (EInvalid) whose keyed message says why.
func ParseRegionGeoJSON(data []byte) ([]MapFeature, error) {
	var root struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, survey.NewError(survey.EInvalid, "upload.bounds.cannot_read", err.Error())
	}
	var raws []json.RawMessage
	switch root.Type {
	case "FeatureCollection":
		raws = root.Features
	case "Feature":
		raws = []json.RawMessage{data}
	default:
		return nil, survey.NewError(survey.EInvalid, "upload.bounds.not_collection", root.Type)
	}
	var out []MapFeature
	index := map[string]int{}
	for i, raw := range raws {
		var f struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Geometry   *mapGeometry               `json:"geometry"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.feature_read", i+1, err.Error())
		}
		ags := survey.GeoProperty(f.Properties, "ags", "AGS")
		if _, err := strconv.ParseUint(ags, 10, 64); err == nil && len(ags) < 8 {
			ags = strings.Repeat("0", 8-len(ags)) + ags // written as a number: leading zeros lost
		}
		name := survey.SafeText(survey.GeoProperty(f.Properties, "name", "GEN", "NAME"))
		if ags == "" {
			var named any = name
			if name == "" {
				named = survey.NewMessage("upload.bounds.no_name")
			}
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.feature_no_ags", i+1, named)
		}
		if f.Geometry == nil {
			continue
		}
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.feature_bad", i+1, ags, name, err.Text)
		}
		if k, ok := index[ags]; ok {
			out[k].Polygons = append(out[k].Polygons, polys...)
			if out[k].Name == "" {
				out[k].Name = name
			}
			continue
		}
		index[ags] = len(out)
		out = append(out, MapFeature{AGS: ags, Name: chDefault(name, ags), Polygons: polys})
	}
	if len(out) == 0 {
		return nil, survey.NewError(survey.EInvalid, "upload.bounds.no_areas")
	}
	return out, nil
}

type mapGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []mapGeometry   `json:"geometries"`
}

func (g *mapGeometry) polygons() ([][][]GeoPoint, *survey.Error) {
	switch g.Type {
	case "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.polygon", err.Error())
		}
		p, err := mapRings(c)
		if err != nil {
			return nil, err
		}
		return [][][]GeoPoint{p}, nil
	case "MultiPolygon":
		var c [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.multipolygon", err.Error())
		}
		var out [][][]GeoPoint
		for _, pc := range c {
			p, err := mapRings(pc)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	case "GeometryCollection":
		var out [][][]GeoPoint
		for i := range g.Geometries {
			p, err := g.Geometries[i].polygons()
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
		}
		return out, nil
	default:
		return nil, survey.NewError(survey.EInvalid, "upload.bounds.geometry", g.Type)
	}
}

func mapRings(c [][][]float64) ([][]GeoPoint, *survey.Error) {
	if len(c) == 0 {
		return nil, survey.NewError(survey.EInvalid, "upload.bounds.no_ring")
	}
	rings := make([][]GeoPoint, 0, len(c))
	for _, rc := range c {
		ring := make([]GeoPoint, 0, len(rc))
		for _, pos := range rc {
			if len(pos) < 2 || math.IsNaN(pos[0]) || math.IsNaN(pos[1]) ||
				pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90 {
				return nil, survey.NewError(survey.EInvalid, "upload.bounds.position", fmt.Sprint(pos))
			}
			ring = append(ring, GeoPoint{Lon: pos[0], Lat: pos[1]})
		}
		if len(ring) < 3 {
			return nil, survey.NewError(survey.EInvalid, "upload.bounds.short_ring")
		}
		rings = append(rings, ring)
	}
	return rings, nil
}

// MapMarker is a point drawn over the map, e.g. where a supervision group meets.
type MapMarker struct {
	// Label is written next to the point; may be empty.
	Label string
	// Lat and Lon are WGS84 coordinates.
	Lat, Lon float64
}

// A map of more than descManyAreas Kommunen (nation-wide, not a region)
// counts the Kommunen of each class in its text alternative and names the
// descMaxNames with the largest values; the page's table and the plan list
// the rest. A region's map names them all.
const (
	descManyAreas = 60
	descMaxNames  = 10
)

// descNames names the areas of one class (in AGS order), or, on a map of
// many areas and for more than descMaxNames, counts them and names those
// with the largest values.
func descNames(in []MapArea, many bool) string {
	if !many || len(in) <= descMaxNames {
		names := make([]string, len(in))
		for i, a := range in {
			names[i] = a.Name
		}
		return strings.Join(names, ", ")
	}
	top := slices.Clone(in)
	slices.SortStableFunc(top, func(a, b MapArea) int { return cmp.Compare(b.Value, a.Value) })
	names := make([]string, descMaxNames)
	for i, a := range top[:descMaxNames] {
		names[i] = a.Name
	}
	return chCountWord(len(in), "Kommune", "Kommunen") + ", am höchsten " + strings.Join(names, ", ")
}

// MapSpec describes a choropleth map of the Kommunen.
type MapSpec struct {
	// Title is shown above the map and used as the SVG <title>.
	Title string
	// Description is the text alternative (SVG <desc>); generated when empty.
	Description string
	// ValueLabel names the value in the legend and the table, e.g.
	// "Personen mit Supervisionswunsch"; default "Wert".
	ValueLabel string
	// GeoJSON holds the boundaries (see ParseRegionGeoJSON); nil means
	// none are stored: the map shows NoBoundariesText instead of shapes,
	// and its table lists the Values.
	GeoJSON []byte
	// Names are the Kommunen's names by AGS. Without boundaries the table
	// lists each of them (those without a value as "keine Angabe") and
	// every value; with boundaries they name the values whose Kommune is
	// not on the map.
	Names map[string]string
	// Values maps AGS to the value of the Kommune; Kommunen without an entry
	// are drawn grey and hatched as "keine Angabe".
	Values map[string]float64
	// Classes is the number of value classes (colours); default 5, at most 9.
	Classes int
	// HideNames leaves the Kommune names off the map. Names are also left
	// off when the map has more than 60 Kommunen (they would not fit).
	HideNames bool
	// Markers are points drawn over the map.
	Markers []MapMarker
	// MarkerLabel names the markers in the legend; default "Treffpunkt".
	MarkerLabel string
	// Attribution is the source line printed on the map; default
	// MapAttributionBKG.
	Attribution string
	// Notes are extra lines under the map.
	Notes []string
}

// MapClass is one value class of a choropleth map.
type MapClass struct {
	// Min and Max are the smallest and largest value in the class.
	Min, Max float64
	// Count is the number of values in the class.
	Count int
	// Label describes the class, e.g. "3 bis 7" or "12".
	Label string
	// Fill is the class colour (viridis, light for low values).
	Fill color.RGBA
}

// MapArea is the classification of one Kommune of a map.
type MapArea struct {
	// AGS and Name identify the Kommune.
	AGS, Name string
	// Value is the Kommune's value; meaningful only when HasValue.
	Value float64
	// HasValue is false for "keine Angabe".
	HasValue bool
	// Class is the index into the classes, or -1 for "keine Angabe".
	Class int
	// Fill is the colour the Kommune gets on the map.
	Fill color.RGBA
}

// NoDataFill returns the neutral grey of Kommunen without a value (drawn with
// a darker hatch on maps).
func NoDataFill() color.RGBA { return chNoData }

// ClassifyValues splits values into at most n classes (default 5, at most 9)
// at quantiles, so that the classes hold about equally many values; equal
// values always share a class. With no more distinct values than classes,
// every distinct value gets its own class. Classes are ordered from low to
// high and coloured with Sequential.
func ClassifyValues(values []float64, n int) []MapClass {
	if n <= 0 {
		n = 5
	}
	n = min(n, 9)
	vals := slices.Clone(values)
	vals = slices.DeleteFunc(vals, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	if len(vals) == 0 {
		return nil
	}
	slices.Sort(vals)
	// Greedy quantiles: each class takes its share of the remaining values,
	// extended to include all values equal to its largest one.
	var uppers []float64
	rest := vals
	for m := n; len(rest) > 0; m-- {
		if d := slices.Compact(slices.Clone(rest)); len(d) <= m {
			uppers = append(uppers, d...)
			break
		}
		size := int(math.Ceil(float64(len(rest)) / float64(m)))
		u := rest[size-1]
		uppers = append(uppers, u)
		for len(rest) > 0 && rest[0] <= u {
			rest = rest[1:]
		}
	}
	classes := make([]MapClass, len(uppers))
	for i := range classes {
		classes[i].Min = math.Inf(1)
		classes[i].Max = math.Inf(-1)
	}
	for _, v := range vals {
		k := mapClassIndex(uppers, v)
		c := &classes[k]
		c.Count++
		c.Min = math.Min(c.Min, v)
		c.Max = math.Max(c.Max, v)
	}
	classes = slices.DeleteFunc(classes, func(c MapClass) bool { return c.Count == 0 })
	fills := Sequential(len(classes))
	for i := range classes {
		c := &classes[i]
		c.Fill = fills[i]
		c.Label = FormatNumberDE(c.Min)
		if c.Max != c.Min {
			c.Label += " bis " + FormatNumberDE(c.Max)
		}
	}
	return classes
}

func mapClassIndex(uppers []float64, v float64) int {
	for k, u := range uppers {
		if v <= u {
			return k
		}
	}
	return len(uppers) - 1
}

// ClassOf returns the index of the class v falls into: the first class whose
// Max is at least v (the last class for larger values), or -1 without classes.
func ClassOf(classes []MapClass, v float64) int {
	if len(classes) == 0 {
		return -1
	}
	for k, c := range classes {
		if v <= c.Max {
			return k
		}
	}
	return len(classes) - 1
}

// Classify parses the spec's boundaries and returns, for every Kommune in
// them, its value, class and colour, together with the value classes. Only
// values of Kommunen on the map are classified.
func (s MapSpec) Classify() ([]MapArea, []MapClass, error) {
	feats, err := s.features()
	if err != nil {
		return nil, nil, err
	}
	areas, classes := s.classify(feats)
	return areas, classes, nil
}

// features parses the boundaries; none without GeoJSON.
func (s MapSpec) features() ([]MapFeature, error) {
	if s.GeoJSON == nil {
		return nil, nil
	}
	return ParseRegionGeoJSON(s.GeoJSON)
}

func (s MapSpec) classify(feats []MapFeature) ([]MapArea, []MapClass) {
	var vals []float64
	for _, f := range feats {
		if v, ok := s.Values[f.AGS]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	classes := ClassifyValues(vals, s.Classes)
	areas := make([]MapArea, len(feats))
	for i, f := range feats {
		a := MapArea{AGS: f.AGS, Name: f.Name, Class: -1, Fill: chNoData}
		if v, ok := s.Values[f.AGS]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			a.Value, a.HasValue = v, true
			a.Class = ClassOf(classes, v)
			a.Fill = classes[a.Class].Fill
		}
		areas[i] = a
	}
	return areas, classes
}

// NewMap builds a choropleth map: every Kommune of the boundary file coloured
// by its value class (viridis, light = low, dark = high), Kommunen without a
// value grey and hatched ("keine Angabe"), optional names and markers, a
// legend with the classes, and the attribution line. The projection is
// equirectangular with the longitude scaled by cos(latitude), so shapes keep
// their proportions. The table lists every Kommune with value and class.
// Without boundaries (spec.GeoJSON nil) the chart shows NoBoundariesText
// and the table.
func NewMap(spec MapSpec) (*Chart, error) {
	spec.Title, spec.Description, spec.ValueLabel = survey.SafeText(spec.Title), survey.SafeText(spec.Description), survey.SafeText(spec.ValueLabel)
	if spec.GeoJSON == nil {
		return newTableMap(spec), nil
	}
	feats, err := spec.features()
	if err != nil {
		return nil, err
	}
	areas, classes := spec.classify(feats)
	valueLabel := chDefault(spec.ValueLabel, "Wert")

	c := &Chart{title: spec.Title}
	c.notes = append(c.notes, spec.Notes...)
	c.notes = append(c.notes, chDefault(spec.Attribution, MapAttributionBKG))

	// Table, sorted by AGS; values for keys that are not on the map follow.
	c.table.Caption = spec.Title
	c.table.Header = []string{"AGS", "Kommune", valueLabel, "Klasse"}
	sorted := slices.Clone(areas)
	slices.SortFunc(sorted, func(a, b MapArea) int { return strings.Compare(a.AGS, b.AGS) })
	var missing []string
	for _, a := range sorted {
		if !a.HasValue {
			c.table.Rows = append(c.table.Rows, []string{a.AGS, a.Name, NoAnswerText, NoAnswerText})
			missing = append(missing, a.Name)
			continue
		}
		c.table.Rows = append(c.table.Rows, []string{a.AGS, a.Name, FormatNumberDE(a.Value), classes[a.Class].Label})
	}
	onMap := map[string]bool{}
	for _, a := range areas {
		onMap[a.AGS] = true
	}
	var extra []string
	for ags := range spec.Values {
		if !onMap[ags] {
			extra = append(extra, ags)
		}
	}
	slices.Sort(extra)
	for _, ags := range extra {
		c.table.Rows = append(c.table.Rows, []string{ags, spec.Names[ags], FormatNumberDE(spec.Values[ags]), "nicht auf der Karte"})
	}

	// Description.
	desc := spec.Description
	if desc == "" {
		var b strings.Builder
		fmt.Fprintf(&b, "Karte der %s, eingefärbt nach %s", chCountWord(len(areas), "Kommune", "Kommunen"), valueLabel)
		if len(classes) > 0 {
			fmt.Fprintf(&b, " in %d Klassen von hell (niedrig) bis dunkel (hoch):", len(classes))
			for i, cl := range classes {
				if i > 0 {
					b.WriteString(";")
				}
				fmt.Fprintf(&b, " %s: ", cl.Label)
				var in []MapArea
				for _, a := range sorted {
					if a.HasValue && a.Class == i {
						in = append(in, a)
					}
				}
				b.WriteString(descNames(in, len(areas) > descManyAreas))
			}
			b.WriteString(".")
		} else {
			b.WriteString(". " + NoDataText)
		}
		if len(areas) > descManyAreas && len(missing) > descMaxNames && len(classes) > 0 {
			fmt.Fprintf(&b, " Keine Angabe: %s.", chCountWord(len(missing), "Kommune", "Kommunen"))
		} else if len(missing) > 0 && len(classes) > 0 {
			fmt.Fprintf(&b, " Keine Angabe: %s.", strings.Join(missing, ", "))
		}
		if len(spec.Markers) > 0 {
			fmt.Fprintf(&b, " %s: ", chDefault(spec.MarkerLabel, "Treffpunkt"))
			var ms []string
			for _, m := range spec.Markers {
				ms = append(ms, chDefault(m.Label, "ohne Bezeichnung"))
			}
			b.WriteString(strings.Join(ms, ", ") + ".")
		}
		desc = b.String()
	}
	c.desc = desc

	// Legend entries (drawn beside the map).
	var legend []chLegendItem
	for _, cl := range classes {
		legend = append(legend, chLegendItem{label: cl.Label + " (" + chCountWord(cl.Count, "Kommune", "Kommunen") + ")", fill: cl.Fill})
	}
	if len(missing) > 0 {
		legend = append(legend, chLegendItem{label: NoAnswerText + " (" + chCountWord(len(missing), "Kommune", "Kommunen") + ")", fill: chNoData, hatch: true})
	}
	if len(spec.Markers) > 0 {
		legend = append(legend, chLegendItem{label: chDefault(spec.MarkerLabel, "Treffpunkt"), marker: true})
	}

	m := newMapLayout(feats, spec.Markers)
	legendTitleSty := chTextStyle(9.5, true, chInk)
	legendTitle := chWrap(legendTitleSty, valueLabel, mapLegendWidth)
	// Legend labels wrap beside their swatch; a row grows with its lines.
	legendSty := chLegendStyle()
	legendSty.YAlign = draw.YCenter
	legendLabels := make([]string, len(legend))
	legendRows := make([]vg.Length, len(legend))
	legendH := vg.Length(len(legendTitle))*chLineHeight(legendTitleSty) + 6
	for i, it := range legend {
		lines := chWrap(legendSty, it.label, mapLegendWidth-chSwatch-10)
		legendLabels[i] = strings.Join(lines, "\n")
		legendRows[i] = max(mapLegendRow, legendSty.Height(legendLabels[i])+6)
		legendH += legendRows[i]
	}
	mapW, mapH := mapSize(m.aspect())
	c.bodyHeight = max(mapH, legendH)

	labels := !spec.HideNames && len(feats) <= mapMaxNames
	c.body = func(dc draw.Canvas) {
		mapRect := vg.Rectangle{Min: vg.Point{X: dc.Min.X, Y: dc.Max.Y - mapH}, Max: vg.Point{X: dc.Min.X + mapW, Y: dc.Max.Y}}
		m.draw(dc, mapRect, areas, spec.Markers, labels)
		// Legend at the right, from the top.
		x := mapRect.Max.X + 14
		y := dc.Max.Y
		for _, line := range legendTitle {
			chFillText(dc, legendTitleSty, vg.Point{X: x, Y: y}, line)
			y -= chLineHeight(legendTitleSty)
		}
		y -= 6
		for i, it := range legend {
			cy := y - legendRows[i]/2
			chDrawSwatch(dc, it, vg.Rectangle{Min: vg.Point{X: x, Y: cy - chSwatch/2 - 1}, Max: vg.Point{X: x + chSwatch + 4, Y: cy + chSwatch/2 + 1}})
			dc.FillText(legendSty, vg.Point{X: x + chSwatch + 10, Y: cy}, legendLabels[i])
			y -= legendRows[i]
		}
	}
	if len(classes) == 0 && len(spec.Markers) == 0 {
		// Still draw the region, but say that there is nothing to show.
		c.notes = append([]string{NoDataText}, c.notes...)
	}
	return c, nil
}

// newTableMap is the map without boundaries: the notice instead of shapes,
// the values classified as a map would, and the table of every value.
func newTableMap(spec MapSpec) *Chart {
	valueLabel := chDefault(spec.ValueLabel, "Wert")
	keys := slices.Sorted(maps.Keys(spec.Values))
	var vals []float64
	for _, k := range keys {
		if v := spec.Values[k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	for k := range spec.Names {
		if _, ok := spec.Values[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	classes := ClassifyValues(vals, spec.Classes)
	c := &Chart{title: spec.Title, notes: slices.Clone(spec.Notes), bodyHeight: 60}
	c.table.Caption = spec.Title
	c.table.Header = []string{"AGS", "Kommune", valueLabel, "Klasse"}
	for _, k := range keys {
		v, ok := spec.Values[k]
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			c.table.Rows = append(c.table.Rows, []string{k, spec.Names[k], NoAnswerText, NoAnswerText})
			continue
		}
		c.table.Rows = append(c.table.Rows, []string{k, spec.Names[k], FormatNumberDE(v), classes[ClassOf(classes, v)].Label})
	}
	c.desc = fmt.Sprintf("%s (%s: %s.)", NoBoundariesText, valueLabel, chCountWord(len(keys), "Kommune", "Kommunen"))
	c.body = func(dc draw.Canvas) {
		sty := chTextStyle(11, false, chMuted)
		lines := chWrap(sty, NoBoundariesText, dc.Max.X-dc.Min.X)
		y := dc.Max.Y - 6
		for _, l := range lines {
			chFillText(dc, sty, vg.Point{X: dc.Min.X, Y: y}, l)
			y -= chLineHeight(sty)
		}
	}
	return c
}

const (
	// mapMaxNames is the largest number of Kommunen whose names are drawn.
	mapMaxNames    = 60
	mapLegendWidth = vg.Length(150)
	mapLegendRow   = vg.Length(19)
)

// mapSize is the size of the drawn map for a region of the given aspect
// (height/width): the chart's inner width less the legend, the height
// following the aspect within 200 and 640 pt. NewMap draws at this size.
func mapSize(aspect float64) (w, h vg.Length) {
	inner := chartWidth - 2*chartMargin
	w = inner - mapLegendWidth - 14
	h = max(min(w*vg.Length(aspect), 640), 200)
	return w, h
}

// mapPad is the white space inside the map's rectangle (see transform).
const mapPad = 6.0

// mapLayout holds the projected outlines: x = lon·cos(lat0), y = lat.
type mapLayout struct {
	kx                     float64
	minX, maxX, minY, maxY float64
	feats                  []MapFeature
}

func newMapLayout(feats []MapFeature, markers []MapMarker) *mapLayout {
	minLat, maxLat := math.Inf(1), math.Inf(-1)
	for _, f := range feats {
		for _, p := range f.Polygons {
			for _, r := range p {
				for _, pt := range r {
					minLat, maxLat = math.Min(minLat, pt.Lat), math.Max(maxLat, pt.Lat)
				}
			}
		}
	}
	m := &mapLayout{kx: math.Cos((minLat + maxLat) / 2 * math.Pi / 180), feats: feats,
		minX: math.Inf(1), maxX: math.Inf(-1), minY: math.Inf(1), maxY: math.Inf(-1)}
	add := func(pt GeoPoint) {
		x, y := m.project(pt)
		m.minX, m.maxX = math.Min(m.minX, x), math.Max(m.maxX, x)
		m.minY, m.maxY = math.Min(m.minY, y), math.Max(m.maxY, y)
	}
	for _, f := range feats {
		for _, p := range f.Polygons {
			for _, r := range p {
				for _, pt := range r {
					add(pt)
				}
			}
		}
	}
	for _, mk := range markers {
		add(GeoPoint{Lon: mk.Lon, Lat: mk.Lat})
	}
	return m
}

func (m *mapLayout) project(pt GeoPoint) (float64, float64) {
	return pt.Lon * m.kx, pt.Lat
}

// aspect is height/width of the projected extent.
func (m *mapLayout) aspect() float64 {
	w, h := m.maxX-m.minX, m.maxY-m.minY
	if w <= 0 || h <= 0 {
		return 1
	}
	return h / w
}

// transform returns the function from geographic to canvas coordinates that
// fits the extent into r with equal scale on both axes, centred.
func (m *mapLayout) transform(r vg.Rectangle) func(GeoPoint) vg.Point {
	w, h := m.maxX-m.minX, m.maxY-m.minY
	if w <= 0 {
		w = 1e-9
	}
	if h <= 0 {
		h = 1e-9
	}
	pad := mapPad
	rw, rh := float64(r.Max.X-r.Min.X)-2*pad, float64(r.Max.Y-r.Min.Y)-2*pad
	s := math.Min(rw/w, rh/h)
	ox := float64(r.Min.X) + pad + (rw-w*s)/2
	oy := float64(r.Min.Y) + pad + (rh-h*s)/2
	return func(pt GeoPoint) vg.Point {
		x, y := m.project(pt)
		return vg.Point{X: vg.Length(ox + (x-m.minX)*s), Y: vg.Length(oy + (y-m.minY)*s)}
	}
}

func (m *mapLayout) draw(c draw.Canvas, r vg.Rectangle, areas []MapArea, markers []MapMarker, labels bool) {
	tr := m.transform(r)
	rings := make([][][]vg.Point, len(m.feats)) // per feature: all rings
	for i, f := range m.feats {
		var path vg.Path
		for _, poly := range f.Polygons {
			for k, ring := range poly {
				pts := make([]vg.Point, len(ring))
				for j, g := range ring {
					pts[j] = tr(g)
				}
				// Outer rings counter-clockwise, holes clockwise, so that the
				// non-zero fill rule of SVG and PNG leaves holes open.
				if (mapSignedArea(pts) < 0) == (k == 0) {
					slices.Reverse(pts)
				}
				rings[i] = append(rings[i], pts)
				path.Move(pts[0])
				for _, p := range pts[1:] {
					path.Line(p)
				}
				path.Close()
			}
		}
		c.SetColor(areas[i].Fill)
		c.Fill(path)
		if !areas[i].HasValue {
			chHatch(c, rings[i])
		}
	}
	// Borders on top of all fills.
	for i := range m.feats {
		var path vg.Path
		for _, ring := range rings[i] {
			path.Move(ring[0])
			for _, p := range ring[1:] {
				path.Line(p)
			}
			path.Close()
		}
		c.SetColor(color.White)
		c.SetLineWidth(0.9)
		c.SetLineDash(nil, 0)
		c.Stroke(path)
	}
	var mpts []vg.Point
	for _, mk := range markers {
		mpts = append(mpts, tr(GeoPoint{Lon: mk.Lon, Lat: mk.Lat}))
	}
	// Labels never overlap: each is placed only where it leaves the map's
	// rectangle free of every label placed before (marker labels first).
	var placed []vg.Rectangle
	free := func(b vg.Rectangle) bool {
		if b.Min.X < r.Min.X || b.Max.X > r.Max.X || b.Min.Y < r.Min.Y || b.Max.Y > r.Max.Y {
			return false
		}
		for _, o := range placed {
			if b.Min.X < o.Max.X+1 && o.Min.X < b.Max.X+1 && b.Min.Y < o.Max.Y+1 && o.Min.Y < b.Max.Y+1 {
				return false
			}
		}
		return true
	}
	msty := chTextStyle(7.5, true, chInk)
	msty.YAlign = draw.YCenter
	for _, mp := range mpts {
		chDrawMarker(c, mp)
	}
	// Markers at one spot share one label ("G01, G02, …", wrapped).
	for _, g := range mapMarkerSpots(mpts, markers) {
		label := strings.Join(chWrap(msty, strings.Join(g.labels, ", "), 90), "\n")
		w, h := msty.Width(label), msty.Height(label)
		var box vg.Rectangle
		ok := false
		for _, x := range []vg.Length{g.at.X + 7, g.at.X - 7 - w} {
			box = vg.Rectangle{Min: vg.Point{X: x - 2, Y: g.at.Y - h/2 - 1.5}, Max: vg.Point{X: x + w + 2, Y: g.at.Y + h/2 + 1}}
			if ok = free(box); ok {
				break
			}
		}
		if !ok {
			continue // the table beside the map names every meeting point
		}
		placed = append(placed, box)
		c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd9})
		c.Fill(box.Path())
		c.FillText(msty, vg.Point{X: box.Min.X + 2, Y: g.at.Y}, label)
	}
	if labels {
		sty := chTextStyle(7.5, false, chInk)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YCenter
		for i, f := range m.feats {
			name := strings.Join(chWrap(sty, f.Name, 62), "\n")
			w, h := sty.Width(name), sty.Height(name)
			pt, ok := mapLabelPoint(rings[i], w, h)
			if !ok {
				continue
			}
			// A marker on the label point pushes the name below it.
			for _, mp := range mpts {
				if vg.Length(math.Abs(float64(mp.X-pt.X))) < w/2+4 && vg.Length(math.Abs(float64(mp.Y-pt.Y))) < h/2+5 {
					pt.Y = mp.Y - 6 - h/2
				}
			}
			box := vg.Rectangle{Min: vg.Point{X: pt.X - w/2, Y: pt.Y - h/2}, Max: vg.Point{X: pt.X + w/2, Y: pt.Y + h/2}}
			if !free(box) {
				continue // too small or too crowded: the table names it
			}
			placed = append(placed, box)
			s := sty
			s.Color = chTextOn(areas[i].Fill)
			c.FillText(s, pt, name)
		}
	}
}

// mapSpot is a place on the map with the labels of the markers there.
type mapSpot struct {
	at     vg.Point
	labels []string
}

// mapMarkerSpots groups the labelled markers by place (within a point), in
// the order of their first marker.
func mapMarkerSpots(pts []vg.Point, markers []MapMarker) []mapSpot {
	var out []mapSpot
	for i, mk := range markers {
		if mk.Label == "" {
			continue
		}
		j := slices.IndexFunc(out, func(s mapSpot) bool {
			return math.Abs(float64(s.at.X-pts[i].X)) < 1 && math.Abs(float64(s.at.Y-pts[i].Y)) < 1
		})
		if j < 0 {
			out = append(out, mapSpot{at: pts[i]})
			j = len(out) - 1
		}
		out[j].labels = append(out[j].labels, mk.Label)
	}
	return out
}

// chDrawMarker draws a map marker: an Okabe–Ito vermillion dot with a white ring.
func chDrawMarker(c draw.Canvas, pt vg.Point) {
	var path vg.Path
	r := vg.Length(4)
	path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	path.Arc(pt, r, 0, 2*math.Pi)
	path.Close()
	c.SetColor(OkabeIto()[5])
	c.Fill(path)
	c.SetColor(color.White)
	c.SetLineWidth(1.2)
	c.SetLineDash(nil, 0)
	c.Stroke(path)
}

func mapSignedArea(pts []vg.Point) float64 {
	var a float64
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		a += float64(p.X*q.Y - q.X*p.Y)
	}
	return a / 2
}

// mapLabelPoint returns where to centre a label of size w×h in the area: of
// a grid of points inside the largest ring, the one farthest from the
// boundary, with distances measured with x scaled by h/w so that wide labels
// look for wide room, and a small pull towards the ring's centroid.
func mapLabelPoint(rings [][]vg.Point, w, h vg.Length) (vg.Point, bool) {
	best, bestArea := -1, 0.0
	for i, r := range rings {
		if a := math.Abs(mapSignedArea(r)); a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return vg.Point{}, false
	}
	r := rings[best]
	var cx, cy, a float64
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		cross := float64(p.X*q.Y - q.X*p.Y)
		a += cross
		cx += float64(p.X+q.X) * cross
		cy += float64(p.Y+q.Y) * cross
		minX, maxX = math.Min(minX, float64(p.X)), math.Max(maxX, float64(p.X))
		minY, maxY = math.Min(minY, float64(p.Y)), math.Max(maxY, float64(p.Y))
	}
	if a == 0 {
		return r[0], true
	}
	cx, cy = cx/(3*a), cy/(3*a)
	sx := 1.0
	if w > 0 && h > 0 {
		sx = float64(h / w)
	}
	// dist is the distance to the boundary; it stops early, with a value
	// at most floor, once the distance is known to be at most floor (the
	// point cannot win then), which spares most of the work on detailed
	// outlines.
	dist := func(x, y, floor float64) float64 {
		d := math.Inf(1)
		for _, ring := range rings {
			for i := range ring {
				p, q := ring[i], ring[(i+1)%len(ring)]
				if d = math.Min(d, mapSegDist(x*sx, y, float64(p.X)*sx, float64(p.Y), float64(q.X)*sx, float64(q.Y))); d <= floor {
					return d
				}
			}
		}
		return d
	}
	const grid = 24
	bestScore := math.Inf(-1)
	var pt vg.Point
	for i := 0; i <= grid; i++ {
		y := minY + (maxY-minY)*float64(i)/grid
		xs := mapScanline(rings, y)
		for j := 0; j <= grid; j++ {
			x := minX + (maxX-minX)*float64(j)/grid
			if !mapInside(xs, x) {
				continue
			}
			pull := 0.1 * math.Hypot((x-cx)*sx, y-cy)
			score := dist(x, y, bestScore+pull) - pull
			if score > bestScore {
				bestScore = score
				pt = vg.Point{X: vg.Length(x), Y: vg.Length(y)}
			}
		}
	}
	if math.IsInf(bestScore, -1) {
		return vg.Point{X: vg.Length(cx), Y: vg.Length(cy)}, true
	}
	return pt, true
}

// mapInside reports whether x lies inside according to the sorted crossings xs.
func mapInside(xs []float64, x float64) bool {
	n := 0
	for _, v := range xs {
		if v < x {
			n++
		}
	}
	return n%2 == 1
}

// mapSegDist is the distance from (px, py) to the segment (ax, ay)–(bx, by).
func mapSegDist(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l))
	}
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

// mapScanline returns the sorted x positions where the horizontal line at y
// crosses the rings (even–odd: inside between pairs).
func mapScanline(rings [][]vg.Point, y float64) []float64 {
	var xs []float64
	for _, r := range rings {
		for i := range r {
			p, q := r[i], r[(i+1)%len(r)]
			py, qy := float64(p.Y), float64(q.Y)
			if (py <= y) != (qy <= y) {
				t := (y - py) / (qy - py)
				xs = append(xs, float64(p.X)+t*float64(q.X-p.X))
			}
		}
	}
	slices.Sort(xs)
	return xs
}

// chHatch draws diagonal grey lines over the area of the rings (even–odd
// rule), the pattern for "keine Angabe".
func chHatch(c draw.Canvas, rings [][]vg.Point) {
	// Rotate by 45°: u = x − y is constant along a hatch line, t = x + y runs along it.
	minU, maxU := math.Inf(1), math.Inf(-1)
	for _, r := range rings {
		for _, p := range r {
			u := float64(p.X - p.Y)
			minU, maxU = math.Min(minU, u), math.Max(maxU, u)
		}
	}
	const spacing = 4.5 * math.Sqrt2 // 4.5 pt between lines
	var path vg.Path
	for u := math.Floor(minU/spacing)*spacing + spacing/2; u < maxU; u += spacing {
		var ts []float64
		for _, r := range rings {
			for i := range r {
				p, q := r[i], r[(i+1)%len(r)]
				pu, qu := float64(p.X-p.Y), float64(q.X-q.Y)
				if (pu <= u) != (qu <= u) {
					f := (u - pu) / (qu - pu)
					pt, qt := float64(p.X+p.Y), float64(q.X+q.Y)
					ts = append(ts, pt+f*(qt-pt))
				}
			}
		}
		slices.Sort(ts)
		for i := 0; i+1 < len(ts); i += 2 {
			a, b := ts[i], ts[i+1]
			path.Move(vg.Point{X: vg.Length((a + u) / 2), Y: vg.Length((a - u) / 2)})
			path.Line(vg.Point{X: vg.Length((b + u) / 2), Y: vg.Length((b - u) / 2)})
		}
	}
	if len(path) == 0 {
		return
	}
	c.SetColor(chNoDataHatch)
	c.SetLineWidth(0.7)
	c.SetLineDash(nil, 0)
	c.Stroke(path)
}

// DemandMap draws the Kommunen coloured by persons wanting group
// supervision, from a plan's inputs (submitted answers, basis of them), on
// the boundaries (nil: none stored, the map says so and its table lists
// the given Kommunen and every value). The round overview and its map
// show it.
func DemandMap(plan Plan, basis int, boundaries []byte, kommunen []survey.Kommune) (*Chart, error) {
	values := map[string]float64{}
	names := map[string]string{}
	for _, k := range kommunen {
		names[k.AGS] = k.Name
	}
	for _, k := range plan.Kommunen {
		values[k.AGS] = float64(k.Persons)
		names[k.AGS] = k.Name
	}
	return NewMap(MapSpec{
		Title:      "Wunsch nach Gruppensupervision je Kommune",
		ValueLabel: "Personen mit Wunsch nach Gruppensupervision",
		GeoJSON:    boundaries,
		Values:     values,
		Names:      names,
		Notes: []string{"Grundlage: " + FormatDecimalDE(float64(basis), 0) +
			" eingereichte Antworten; Kommunen ohne eingereichte Antwort: keine Angabe."},
	})
}
