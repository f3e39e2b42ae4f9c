package analysis

// Boundary files as official sources publish them (BKG's VG250 for the
// Gemeinden of a Landkreis: 15 MB, 840,000 points) hold far more detail
// than a map 800 pixels wide can show, and drawing them makes every map
// slow and every SVG huge. SimplifyBoundaries reduces them once, at import,
// to what the drawings show. It preserves the topology: an edge two
// Kommunen share is simplified once and the same way for both, so
// neighbours keep a common border without gaps or overlaps (as TopoJSON
// does: split the rings into arcs at the points where neighbours meet,
// simplify each arc with Douglas–Peucker, put the rings back together).
// No Go library does this topology-preserving step; the Douglas–Peucker
// core is a few lines.

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// mapTolerancePt is the largest deviation, in points of the drawn map,
// that simplification allows: 0.5 pt is two thirds of a pixel of the
// 800-pixel PNG and half the width of the white border drawn between the
// Kommunen, so the drawings cannot show the difference.
const mapTolerancePt = 0.5

// BoundaryDetail tells how much SimplifyBoundaries reduced a boundary file.
type BoundaryDetail struct {
	// Features is the number of Kommunen (features after merging by AGS).
	Features int
	// Before and After count the points of all rings (closing points
	// included, as in the file).
	Before, After int
	// Tolerance is the largest deviation allowed, in degrees of latitude.
	Tolerance float64
}

// SimplifyBoundaries reads a boundary file as ParseRegionGeoJSON does and
// returns it reduced to the detail the maps can draw (see mapTolerancePt),
// topology-preserving: points where neighbouring Kommunen meet are kept,
// and a border two Kommunen share is simplified identically for both. The
// result is a FeatureCollection with one feature per Kommune (properties
// "ags" and "name"; a Polygon, or a MultiPolygon for several parts); every
// point in it is one of the input's, unchanged.
func SimplifyBoundaries(geojson []byte) ([]byte, BoundaryDetail, error) {
	feats, err := ParseRegionGeoJSON(geojson)
	if err != nil {
		return nil, BoundaryDetail{}, err
	}
	d := BoundaryDetail{Features: len(feats)}
	m := newMapLayout(feats, nil)
	d.Tolerance = mapTolerancePt / m.pointsPerUnit()
	simplified := simplifyTopology(feats, m.kx, d.Tolerance)
	for i := range feats {
		for k, poly := range feats[i].Polygons {
			for j, ring := range poly {
				d.Before += len(ring)
				d.After += len(simplified[i].Polygons[k][j])
			}
		}
	}
	out, err := writeBoundaries(simplified)
	if err != nil {
		return nil, BoundaryDetail{}, err
	}
	return out, d, nil
}

// pointsPerUnit is the scale of the drawn map: points per projected unit
// (degree of latitude), as transform computes it.
func (m *mapLayout) pointsPerUnit() float64 {
	mw, mh := mapSize(m.aspect())
	w, h := m.maxX-m.minX, m.maxY-m.minY
	if w <= 0 {
		w = 1e-9
	}
	if h <= 0 {
		h = 1e-9
	}
	return math.Min((float64(mw)-2*mapPad)/w, (float64(mh)-2*mapPad)/h)
}

// simplifyTopology simplifies every ring of feats with the tolerance tol
// (projected units: longitude scaled by kx, latitude), arc by arc.
func simplifyTopology(feats []MapFeature, kx, tol float64) []MapFeature {
	// Rings without their closing point and repeated points.
	open := func(ring []GeoPoint) []GeoPoint {
		out := make([]GeoPoint, 0, len(ring))
		for _, p := range ring {
			if len(out) == 0 || out[len(out)-1] != p {
				out = append(out, p)
			}
		}
		for len(out) > 1 && out[len(out)-1] == out[0] {
			out = out[:len(out)-1]
		}
		return out
	}
	// A junction is a point where rings meet with different neighbours:
	// where a shared border begins or ends, or where three areas meet.
	type seen struct {
		a, b     GeoPoint
		junction bool
	}
	total := 0
	for _, f := range feats {
		for _, poly := range f.Polygons {
			for _, ring := range poly {
				total += len(ring)
			}
		}
	}
	points := make(map[GeoPoint]seen, total)
	rings := make([][][][]GeoPoint, len(feats))
	for i, f := range feats {
		rings[i] = make([][][]GeoPoint, len(f.Polygons))
		for k, poly := range f.Polygons {
			rings[i][k] = make([][]GeoPoint, len(poly))
			for j, ring := range poly {
				r := open(ring)
				rings[i][k][j] = r
				if len(r) < 3 {
					continue
				}
				for n, p := range r {
					prev, next := r[(n+len(r)-1)%len(r)], r[(n+1)%len(r)]
					s, ok := points[p]
					switch {
					case !ok:
						points[p] = seen{a: prev, b: next}
					case !s.junction && !(s.a == prev && s.b == next) && !(s.a == next && s.b == prev):
						s.junction = true
						points[p] = s
					case !s.junction && s.a == prev && s.b == next:
						// The same point twice with the same neighbours in the
						// same direction: a ring that repeats itself; treat as
						// a junction so that each copy is an arc end.
						s.junction = true
						points[p] = s
					}
				}
			}
		}
	}
	junction := func(p GeoPoint) bool { return points[p].junction }

	out := make([]MapFeature, len(feats))
	for i, f := range feats {
		out[i] = MapFeature{AGS: f.AGS, Name: f.Name, Polygons: make([][][]GeoPoint, len(f.Polygons))}
		for k, poly := range f.Polygons {
			out[i].Polygons[k] = make([][]GeoPoint, len(poly))
			for j, ring := range poly {
				r := rings[i][k][j]
				if len(r) < 3 {
					out[i].Polygons[k][j] = slices.Clone(ring)
					continue
				}
				out[i].Polygons[k][j] = simplifyRing(r, junction, kx, tol)
			}
		}
	}
	return out
}

// simplifyRing simplifies one open ring (no closing point) and returns it
// closed. It starts at a junction, or, without one, at the smallest point,
// so that the same ring in two features (an enclave and the hole around
// it) is cut the same way; each arc between junctions is simplified in a
// canonical direction.
func simplifyRing(r []GeoPoint, junction func(GeoPoint) bool, kx, tol float64) []GeoPoint {
	start := slices.IndexFunc(r, junction)
	if start < 0 {
		start = 0
		for n, p := range r {
			if geoLess(p, r[start]) {
				start = n
			}
		}
	}
	rot := make([]GeoPoint, 0, len(r)+1)
	rot = append(rot, r[start:]...)
	rot = append(rot, r[:start]...)
	rot = append(rot, r[start]) // closed: the last arc ends where the first begins
	out := []GeoPoint{rot[0]}
	from := 0
	for n := 1; n < len(rot); n++ {
		if n < len(rot)-1 && !junction(rot[n]) {
			continue
		}
		arc := simplifyArc(rot[from:n+1], kx, tol)
		out = append(out, arc[1:]...)
		from = n
	}
	return out
}

// simplifyArc simplifies a polyline, keeping both ends, in the direction
// that starts at the smaller end (for a closed arc: at its smaller second
// point), so that an arc shared by two rings gives the same points
// whichever way the rings run through it.
func simplifyArc(arc []GeoPoint, kx, tol float64) []GeoPoint {
	first, last := arc[0], arc[len(arc)-1]
	rev := geoLess(last, first) || (first == last && len(arc) > 2 && geoLess(arc[len(arc)-2], arc[1]))
	work := arc
	if rev {
		work = slices.Clone(arc)
		slices.Reverse(work)
	}
	keep := douglasPeucker(work, kx, tol)
	res := make([]GeoPoint, 0, len(keep))
	for n, p := range work {
		if keep[n] {
			res = append(res, p)
		}
	}
	if rev {
		slices.Reverse(res)
	}
	return res
}

// douglasPeucker marks the points of the polyline to keep: both ends, and
// recursively the point farthest from the chord while it is farther than
// tol. The farthest inner point is always kept (the chord of a closed arc
// is a point), and for a closed arc also the point farthest from the line
// through the first two, so that no ring collapses to a line.
func douglasPeucker(pts []GeoPoint, kx, tol float64) []bool {
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	if len(pts) <= 2 {
		return keep
	}
	xy := func(p GeoPoint) (float64, float64) { return p.Lon * kx, p.Lat }
	farthest := func(a, b int) (int, float64) {
		ax, ay := xy(pts[a])
		bx, by := xy(pts[b])
		best, bestD := -1, -1.0
		for n := a + 1; n < b; n++ {
			px, py := xy(pts[n])
			if d := mapSegDist(px, py, ax, ay, bx, by); d > bestD {
				best, bestD = n, d
			}
		}
		return best, bestD
	}
	type span struct{ a, b int }
	var stack []span
	top, _ := farthest(0, len(pts)-1)
	keep[top] = true
	stack = append(stack, span{0, top}, span{top, len(pts) - 1})
	if pts[0] == pts[len(pts)-1] {
		// A closed arc: a third point off the line through the first two.
		if n, _ := farthest(0, top); n > 0 {
			keep[n] = true
			stack = append(stack[:0], span{0, n}, span{n, top}, span{top, len(pts) - 1})
		} else if n, _ := farthest(top, len(pts)-1); n > 0 {
			keep[n] = true
			stack = append(stack[:0], span{0, top}, span{top, n}, span{n, len(pts) - 1})
		}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		n, d := farthest(s.a, s.b)
		if d <= tol {
			continue
		}
		keep[n] = true
		stack = append(stack, span{s.a, n}, span{n, s.b})
	}
	return keep
}

// geoLess orders points by longitude, then latitude.
func geoLess(p, q GeoPoint) bool {
	return cmp.Or(cmp.Compare(p.Lon, q.Lon), cmp.Compare(p.Lat, q.Lat)) < 0
}

// writeBoundaries writes features as a FeatureCollection: properties ags
// and name, a Polygon or MultiPolygon, coordinates as the shortest decimal
// that reads back to the same number.
func writeBoundaries(feats []MapFeature) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range feats {
		if i > 0 {
			b.WriteByte(',')
		}
		props, err := json.Marshal(map[string]string{"ags": f.AGS, "name": f.Name})
		if err != nil {
			return nil, fmt.Errorf("write GeoJSON: %w", err)
		}
		b.WriteString(`{"type":"Feature","properties":`)
		b.Write(props)
		polys := f.Polygons
		if len(polys) == 1 {
			b.WriteString(`,"geometry":{"type":"Polygon","coordinates":`)
			writeRings(&b, polys[0])
		} else {
			b.WriteString(`,"geometry":{"type":"MultiPolygon","coordinates":[`)
			for k, poly := range polys {
				if k > 0 {
					b.WriteByte(',')
				}
				writeRings(&b, poly)
			}
			b.WriteByte(']')
		}
		b.WriteString("}}")
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

func writeRings(b *bytes.Buffer, rings [][]GeoPoint) {
	b.WriteByte('[')
	for j, ring := range rings {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for n, p := range ring {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			b.WriteString(strconv.FormatFloat(p.Lon, 'f', -1, 64))
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(p.Lat, 'f', -1, 64))
			b.WriteByte(']')
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
}
