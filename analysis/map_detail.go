package analysis

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// DetailedBoundaries returns boundaries as detailed as official ones, made
// from coarse ones, for the bench and tests (a stand-in for BKG's VG250,
// which cannot be shipped): every edge of geojson (see ParseRegionGeoJSON)
// is cut into pieces that wander off the straight line by up to 5 % of its
// length in a random walk, until the rings hold about vertices points. An
// edge two Kommunen share gets the same points for both (the random walk is
// seeded by the edge), so neighbours still share their borders exactly, as
// in the official data. Coordinates are written with 6 decimals (about
// 0.1 m), as such exports are. The result is deterministic.
func DetailedBoundaries(geojson []byte, vertices int) ([]byte, error) {
	feats, err := ParseRegionGeoJSON(geojson)
	if err != nil {
		return nil, err
	}
	edges := 0
	for _, f := range feats {
		for _, poly := range f.Polygons {
			for _, ring := range poly {
				edges += len(ring) - 1
			}
		}
	}
	per := max(0, vertices/max(edges, 1)-1) // new points per edge
	out := make([]MapFeature, len(feats))
	for i, f := range feats {
		out[i] = MapFeature{AGS: f.AGS, Name: f.Name}
		for _, poly := range f.Polygons {
			var rings [][]GeoPoint
			for _, ring := range poly {
				r := []GeoPoint{ring[0]}
				for n := 1; n < len(ring); n++ {
					r = append(r, detailEdge(ring[n-1], ring[n], per)...)
					r = append(r, ring[n])
				}
				rings = append(rings, r)
			}
			out[i].Polygons = append(out[i].Polygons, rings)
		}
	}
	return writeBoundaries(out)
}

// detailEdge returns n points between a and b: a random walk across the
// edge that starts and ends on it, at most 5 % of its length away. The
// walk depends on the edge only, not on its direction.
func detailEdge(a, b GeoPoint, n int) []GeoPoint {
	if n == 0 || a == b {
		return nil
	}
	rev := geoLess(b, a)
	if rev {
		a, b = b, a
	}
	h := fnv.New64a()
	for _, v := range []float64{a.Lon, a.Lat, b.Lon, b.Lat} {
		binary.Write(h, binary.LittleEndian, v)
	}
	rng := rand.New(rand.NewPCG(h.Sum64(), 17))
	walk := make([]float64, n+2)
	for k := 1; k < len(walk); k++ {
		walk[k] = walk[k-1] + rng.NormFloat64()
	}
	// A bridge: subtract the line from the first to the last step, so
	// that the walk returns to the edge; then scale to 5 % of the length.
	top := 0.0
	for k := range walk {
		walk[k] -= walk[len(walk)-1] * float64(k) / float64(len(walk)-1)
		top = math.Max(top, math.Abs(walk[k]))
	}
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	scale := 0.0
	if top > 0 {
		scale = 0.05 / top
	}
	pts := make([]GeoPoint, n)
	for k := range pts {
		t := float64(k+1) / float64(n+1)
		off := walk[k+1] * scale // across the edge, relative to its length
		pts[k] = GeoPoint{
			Lon: round6(a.Lon + t*dx - off*dy),
			Lat: round6(a.Lat + t*dy + off*dx),
		}
	}
	if rev {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	return pts
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
