package analysis

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"
)

// mapSegment is an undirected edge between two points.
type mapSegment struct{ a, b GeoPoint }

func newMapSegment(p, q GeoPoint) mapSegment {
	if geoLess(q, p) {
		p, q = q, p
	}
	return mapSegment{p, q}
}

// mapSegments returns the edges of a feature's rings.
func mapSegments(f MapFeature) map[mapSegment]bool {
	out := map[mapSegment]bool{}
	for _, poly := range f.Polygons {
		for _, ring := range poly {
			for n := 1; n < len(ring); n++ {
				if ring[n] != ring[n-1] {
					out[newMapSegment(ring[n-1], ring[n])] = true
				}
			}
		}
	}
	return out
}

// mapBorders returns, for each pair of features (by index) that share
// edges, the points of their common border.
func mapBorders(feats []MapFeature) map[[2]int]map[GeoPoint]bool {
	segs := make([]map[mapSegment]bool, len(feats))
	for i, f := range feats {
		segs[i] = mapSegments(f)
	}
	out := map[[2]int]map[GeoPoint]bool{}
	for i := range feats {
		for j := i + 1; j < len(feats); j++ {
			for s := range segs[i] {
				if segs[j][s] {
					if out[[2]int{i, j}] == nil {
						out[[2]int{i, j}] = map[GeoPoint]bool{}
					}
					out[[2]int{i, j}][s.a] = true
					out[[2]int{i, j}][s.b] = true
				}
			}
		}
	}
	return out
}

// TestSimplifyBoundariesKeepsSharedEdges: detailed boundaries (about
// 100,000 points) simplified for the maps keep the same neighbours, and
// neighbours still share their edges: on the border of two Kommunen both
// keep the same points and the same edges between them, so the map has no
// gaps or overlaps. Every point is an input point, every input point lies
// within the tolerance of the simplified outline, and no ring collapses.
func TestSimplifyBoundariesKeepsSharedEdges(t *testing.T) {
	for _, tc := range []struct {
		name string
		geo  func(t *testing.T) []byte
	}{
		{"detailed", func(t *testing.T) []byte {
			b, err := DetailedBoundaries(DefaultRegionGeoJSON(), 100_000)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"built-in", func(*testing.T) []byte { return DefaultRegionGeoJSON() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.geo(t)
			in, err := ParseRegionGeoJSON(src)
			if err != nil {
				t.Fatal(err)
			}
			data, d, err := SimplifyBoundaries(src)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ParseRegionGeoJSON(data)
			if err != nil {
				t.Fatalf("simplified GeoJSON: %v", err)
			}
			if len(out) != len(in) || d.Features != len(in) {
				t.Fatalf("%d features, want %d", len(out), len(in))
			}
			t.Logf("%d → %d points, tolerance %.5f°", d.Before, d.After, d.Tolerance)
			if tc.name == "detailed" && d.After*10 > d.Before {
				t.Errorf("only reduced from %d to %d points", d.Before, d.After)
			}

			// The same neighbours; and each edge of the simplified outline
			// that replaces a stretch of common border is an edge of both.
			inBorders, outBorders := mapBorders(in), mapBorders(out)
			if got, want := mapPairs(outBorders), mapPairs(inBorders); got != want {
				t.Errorf("neighbours after simplifying %v, before %v", got, want)
			}
			inSegs := make([]map[mapSegment]bool, len(in))
			outSegs := make([]map[mapSegment]bool, len(out))
			for i := range in {
				inSegs[i], outSegs[i] = mapSegments(in[i]), mapSegments(out[i])
			}
			for pair := range inBorders {
				common := map[mapSegment]bool{}
				for seg := range inSegs[pair[0]] {
					if inSegs[pair[1]][seg] {
						common[seg] = true
					}
				}
				for k, i := range pair {
					other := pair[1-k]
					n := 0
					for seg := range borderEdges(in[i], out[i], common) {
						n++
						if !outSegs[other][seg] {
							t.Errorf("%s and %s: the border edge %v is only %s's", in[i].Name, in[other].Name, seg, in[i].Name)
						}
					}
					if n == 0 {
						t.Errorf("%s and %s: no common border left", in[i].Name, in[other].Name)
					}
				}
			}

			kx := newMapLayout(in, nil).kx
			for i, f := range out {
				inPts := map[GeoPoint]bool{}
				for _, poly := range in[i].Polygons {
					for _, ring := range poly {
						for _, p := range ring {
							inPts[p] = true
						}
					}
				}
				for _, poly := range f.Polygons {
					for _, ring := range poly {
						if len(ring) < 4 || ring[0] != ring[len(ring)-1] || math.Abs(geoArea(ring)) == 0 {
							t.Errorf("%s: degenerate ring of %d points", f.Name, len(ring))
						}
						for _, p := range ring {
							if !inPts[p] {
								t.Fatalf("%s: point %v is not in the input", f.Name, p)
							}
						}
					}
				}
				if dev := maxDeviation(in[i], f, kx, d.Tolerance); dev > d.Tolerance*1.000001 {
					t.Errorf("%s: an input point lies %.6f° from the simplified outline, tolerance %.6f°", f.Name, dev, d.Tolerance)
				}
			}
		})
	}
}

// borderEdges returns the edges of the simplified feature out that stand
// for a stretch of the input outline of in made only of common edges.
func borderEdges(in, out MapFeature, common map[mapSegment]bool) map[mapSegment]bool {
	edges := map[mapSegment]bool{}
	for k, poly := range out.Polygons {
		for j, ring := range poly {
			src := in.Polygons[k][j]
			pos := map[GeoPoint]int{}
			for n, p := range src[:len(src)-1] {
				if _, ok := pos[p]; !ok {
					pos[p] = n
				}
			}
			for n := 1; n < len(ring); n++ {
				from, to := pos[ring[n-1]], pos[ring[n]]
				all := true
				for m := from; m != to && all; m = (m + 1) % (len(src) - 1) {
					all = common[newMapSegment(src[m], src[m+1])]
				}
				if all {
					edges[newMapSegment(ring[n-1], ring[n])] = true
				}
			}
		}
	}
	return edges
}

// mapPairs lists the pairs of neighbours, sorted.
func mapPairs(borders map[[2]int]map[GeoPoint]bool) string {
	var out []string
	for p := range borders {
		out = append(out, fmt.Sprintf("%02d-%02d", p[0], p[1]))
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

// geoArea is the signed area of a ring in degrees².
func geoArea(ring []GeoPoint) float64 {
	var a float64
	for n := 1; n < len(ring); n++ {
		a += ring[n-1].Lon*ring[n].Lat - ring[n].Lon*ring[n-1].Lat
	}
	return a / 2
}

// maxDeviation is how far (projected as the simplification measures) the
// farthest point of in lies from the outline of out.
func maxDeviation(in, out MapFeature, kx, tol float64) float64 {
	var segs [][4]float64
	for _, poly := range out.Polygons {
		for _, ring := range poly {
			for n := 1; n < len(ring); n++ {
				segs = append(segs, [4]float64{ring[n-1].Lon * kx, ring[n-1].Lat, ring[n].Lon * kx, ring[n].Lat})
			}
		}
	}
	worst := 0.0
	for _, poly := range in.Polygons {
		for _, ring := range poly {
			for _, p := range ring {
				d := math.Inf(1)
				for _, s := range segs {
					if d = math.Min(d, mapSegDist(p.Lon*kx, p.Lat, s[0], s[1], s[2], s[3])); d <= tol {
						break
					}
				}
				worst = math.Max(worst, d)
			}
		}
	}
	return worst
}

// TestDetailedBoundaries: the generated stand-in for official boundaries
// has the points asked for, the same neighbours as its source sharing
// their edges exactly, and is the same on every call.
func TestDetailedBoundaries(t *testing.T) {
	src, err := ParseRegionGeoJSON(DefaultRegionGeoJSON())
	if err != nil {
		t.Fatal(err)
	}
	a, err := DetailedBoundaries(DefaultRegionGeoJSON(), 50_000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DetailedBoundaries(DefaultRegionGeoJSON(), 50_000)
	if !bytes.Equal(a, b) {
		t.Error("two calls give different files")
	}
	feats, err := ParseRegionGeoJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range feats {
		for _, poly := range f.Polygons {
			for _, ring := range poly {
				n += len(ring)
			}
		}
	}
	if n < 45_000 || n > 55_000 {
		t.Errorf("%d points, want about 50,000", n)
	}
	got, want := mapBorders(feats), mapBorders(src)
	if mapPairs(got) != mapPairs(want) {
		t.Errorf("neighbours %v, want %v", mapPairs(got), mapPairs(want))
	}
	for pair, border := range got {
		if len(border) <= len(want[pair]) {
			t.Errorf("border %v: %d points, no more than the source's %d", pair, len(border), len(want[pair]))
		}
	}
}
