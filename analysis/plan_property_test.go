package analysis

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// planRandomInput makes n Kommunen with unique AGS, most of them within
// about 60 km of Hannover so that pooling has work to do, a few without
// coordinates, and random demand biased to small numbers.
func planRandomInput(r *rand.Rand, n int) []KommuneInput {
	in := make([]KommuneInput, n)
	used := map[string]bool{}
	for i := range in {
		ags := ""
		for ags == "" || used[ags] {
			ags = fmt.Sprintf("%08d", r.IntN(100_000_000))
		}
		used[ags] = true
		k := KommuneInput{AGS: ags, Name: "K" + ags, Lat: 52.4 + (r.Float64()-0.5)*1.0, Lon: 9.8 + (r.Float64()-0.5)*1.6}
		if r.IntN(25) == 0 {
			k.Lat, k.Lon = 0, 0
		}
		if r.IntN(3) == 0 {
			k.GroupPersons = r.IntN(25)
		} else {
			k.GroupPersons = r.IntN(7)
		}
		k.Format = Format(r.IntN(4))
		k.Training = map[string]int{"a": r.IntN(30), "b": r.IntN(5)}
		k.PeopleSupported = float64(r.IntN(1000))
		k.PeopleExpected = float64(r.IntN(1000))
		k.FTE = float64(r.IntN(8)) / 2
		in[i] = k
	}
	return in
}

func planRandomParams(r *rand.Rand) Params {
	p := DefaultParams()
	p.GroupMin = 2 + r.IntN(5)
	p.GroupMax = p.GroupMin + r.IntN(7)
	p.RadiusKm = 3 + r.Float64()*37
	p.PoolOnline = r.IntN(2) == 0
	p.VATPercent = float64(r.IntN(2) * 19)
	return p
}

func TestComputeProperties(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		in := planRandomInput(r, 1+r.IntN(80))
		p := planRandomParams(r)
		pl := Compute(in, []Module{{"a", "A"}, {"b", "B"}}, p)
		if len(pl.ParamErrors) > 0 {
			t.Fatalf("seed %d: params %+v invalid: %v", seed, p, pl.ParamErrors)
		}
		for _, msg := range planCheckPlan(in, p, pl) {
			t.Errorf("seed %d (%d Kommunen, %+v): %s", seed, len(in), p, msg)
		}

		shuffled := slices.Clone(in)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if again := Compute(shuffled, []Module{{"a", "A"}, {"b", "B"}}, p); !reflect.DeepEqual(pl, again) {
			var a, b strings.Builder
			pl.WriteText(&a)
			again.WriteText(&b)
			t.Errorf("seed %d: shuffled input gives a different plan:\n%s\n---\n%s", seed, a.String(), b.String())
		}
		if t.Failed() {
			return
		}
	}
}

// planCheckPlan returns every violated invariant of pl.
func planCheckPlan(in []KommuneInput, p Params, pl Plan) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	byAGS := map[string]KommuneInput{}
	for _, k := range in {
		byAGS[k.AGS] = k
	}
	geoOK := func(k KommuneInput) bool { return (k.Lat != 0 || k.Lon != 0) && !math.IsNaN(k.Lat) }

	placed := map[string]int{}
	hostSizes := map[string][]int{}
	var onlineSizes []int
	var net, netShares float64
	for _, g := range pl.Groups {
		if g.Size < p.GroupMin || g.Size > p.GroupMax {
			fail("%s: size %d outside %d..%d", g.ID, g.Size, p.GroupMin, p.GroupMax)
		}
		sum := 0
		for x, m := range g.Members {
			sum += m.Persons
			placed[m.AGS] += m.Persons
			if m.Persons <= 0 {
				fail("%s: member %s with %d persons", g.ID, m.AGS, m.Persons)
			}
			if x > 0 && g.Members[x-1].AGS >= m.AGS {
				fail("%s: members not sorted by AGS", g.ID)
			}
		}
		if sum != g.Size {
			fail("%s: members add up to %d, size %d", g.ID, sum, g.Size)
		}
		travel := p.TravelPerSession
		if g.Online() {
			travel = 0
			onlineSizes = append(onlineSizes, g.Size)
			if g.MeetingAGS != "" {
				fail("%s: online group with meeting place", g.ID)
			}
		} else {
			meet, ok := byAGS[g.MeetingAGS]
			isMember := false
			for _, m := range g.Members {
				isMember = isMember || m.AGS == g.MeetingAGS
				k := byAGS[m.AGS]
				if len(g.Members) > 1 {
					d := DistanceKm(k.Lat, k.Lon, meet.Lat, meet.Lon)
					if m.AGS == g.MeetingAGS {
						d = 0
					}
					if d > p.RadiusKm {
						fail("%s: %s is %.3f km from the meeting place %s, radius %.3f", g.ID, m.AGS, d, g.MeetingAGS, p.RadiusKm)
					}
					if d != m.DistanceKm {
						fail("%s: %s distance %v, recomputed %v", g.ID, m.AGS, m.DistanceKm, d)
					}
				}
			}
			if !ok || !isMember {
				fail("%s: meeting place %q is not a member", g.ID, g.MeetingAGS)
			}
			// The meeting place has the least travel among the members
			// within the radius of all (ties to the lower AGS).
			for _, c := range g.Members {
				ck := byAGS[c.AGS]
				far, cost := 0.0, 0.0
				for _, m := range g.Members {
					mk := byAGS[m.AGS]
					d := 0.0
					if m.AGS != c.AGS {
						d = DistanceKm(mk.Lat, mk.Lon, ck.Lat, ck.Lon)
					}
					far = max(far, d)
					cost += float64(m.Persons) * d
				}
				if far <= p.RadiusKm && (cost < g.PersonKm-1e-9 || cost == g.PersonKm && c.AGS < g.MeetingAGS) {
					fail("%s: %s would be a better meeting place (%v person-km) than %s (%v)", g.ID, c.AGS, cost, g.MeetingAGS, g.PersonKm)
				}
			}
			if g.Kind == GroupOwn {
				hostSizes[g.Host] = append(hostSizes[g.Host], g.Size)
			}
		}
		wantNet := float64(p.SessionsPerYear) * (float64(p.HoursPerSession*p.FeePerHour) + travel)
		if g.NetCost != wantNet || g.GrossCost != wantNet*(1+p.VATPercent/100) {
			fail("%s: net %v gross %v, want %v", g.ID, g.NetCost, g.GrossCost, wantNet)
		}
		net += g.NetCost
	}
	unplaced := map[string]int{}
	for _, u := range pl.Unplaced {
		unplaced[u.AGS] += u.Persons
		if !u.Online && strings.Contains(u.Reason, "keine Nachbarkommune") {
			k := byAGS[u.AGS]
			for _, o := range in {
				if o.AGS != k.AGS && geoOK(o) && DistanceKm(k.Lat, k.Lon, o.Lat, o.Lon) <= p.RadiusKm {
					fail("%s reported without neighbour, but %s is %.2f km away", k.AGS, o.AGS, DistanceKm(k.Lat, k.Lon, o.Lat, o.Lon))
				}
			}
		}
	}
	// Each person in exactly one group or reported unplaced.
	for _, k := range in {
		if got := placed[k.AGS] + unplaced[k.AGS]; got != k.GroupPersons {
			fail("%s: %d placed + %d unplaced, wants %d", k.AGS, placed[k.AGS], unplaced[k.AGS], k.GroupPersons)
		}
	}
	// The bounds hold for the plan itself.
	b := pl.Bound
	if pl.Totals.Placed > b.MaxPlaced || pl.Totals.Placed == b.MaxPlaced && pl.Totals.Groups < b.MinGroups {
		fail("plan (%d placed, %d groups) beats its bounds %+v", pl.Totals.Placed, pl.Totals.Groups, b)
	}
	if b.Proven != (pl.Totals.Placed == b.MaxPlaced && pl.Totals.Groups == b.MinGroups) {
		fail("proven %v with %d placed, %d groups and bounds %+v", b.Proven, pl.Totals.Placed, pl.Totals.Groups, b)
	}
	balanced := func(what string, sizes []int) {
		if len(sizes) > 0 && slices.Max(sizes)-slices.Min(sizes) > 1 {
			fail("%s: sizes %v not balanced", what, sizes)
		}
	}
	for host, sizes := range hostSizes {
		balanced("own groups of "+host, sizes)
	}
	balanced("online groups", onlineSizes)
	for _, k := range pl.Kommunen {
		netShares += k.NetShare
	}
	if math.Abs(net-netShares) > 1e-6*max(1, net) || math.Abs(net-pl.Totals.SupervisionNet) > 1e-6*max(1, net) {
		fail("net %v, shares %v, total %v", net, netShares, pl.Totals.SupervisionNet)
	}
	if pl.Totals.Placed+pl.Totals.Unplaced != pl.Totals.Persons {
		fail("totals: %d placed + %d unplaced ≠ %d", pl.Totals.Placed, pl.Totals.Unplaced, pl.Totals.Persons)
	}
	return bad
}

// TestComputePropertiesDense packs many Kommunen into a small area, where
// pooling and joining are busiest.
func TestComputePropertiesDense(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 42))
		in := planRandomInput(r, 400)
		for i := range in {
			if in[i].Lat != 0 {
				in[i].Lat = 52.4 + (in[i].Lat-52.4)*0.3
				in[i].Lon = 9.8 + (in[i].Lon-9.8)*0.3
			}
		}
		p := planRandomParams(r)
		pl := Compute(in, nil, p)
		for _, msg := range planCheckPlan(in, p, pl) {
			t.Errorf("seed %d: %s", seed, msg)
		}
		if t.Failed() {
			return
		}
	}
}

// TestPlanGridWithin compares the grid's neighbour queries with a scan of
// all points, including points near the poles and across the date line.
func TestPlanGridWithin(t *testing.T) {
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 7))
		n := 50 + r.IntN(400)
		in := make([]KommuneInput, n)
		for i := range in {
			lat, lon := -90+r.Float64()*180, -180+r.Float64()*360
			switch seed % 3 {
			case 1: // a dense patch across the date line
				lat, lon = 10+r.Float64()*2, 179+r.Float64()*2
				if lon > 180 {
					lon -= 360
				}
			case 2: // around the north pole
				lat = 88 + r.Float64()*2
			}
			in[i] = KommuneInput{AGS: fmt.Sprintf("%05d", i), Lat: lat, Lon: lon}
		}
		radius := []float64{0.5, 15, 80, 500}[seed%4]
		var pl Plan
		ks := planPrepare(in, &pl)
		g := newPlanGrid(ks, radius)
		for _, km := range []float64{radius, 2 * radius} {
			for i := range ks {
				got := g.within(ks, i, km, nil)
				var want []planNeighbour
				for j := range ks {
					if j != i {
						if d := DistanceKm(ks[i].in.Lat, ks[i].in.Lon, ks[j].in.Lat, ks[j].in.Lon); d <= km {
							want = append(want, planNeighbour{int32(j), d})
						}
					}
				}
				slices.SortFunc(want, func(x, y planNeighbour) int {
					if x.d != y.d {
						return cmp.Compare(x.d, y.d)
					}
					return cmp.Compare(x.j, y.j)
				})
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d, %g km around %d: got %d neighbours, want %d", seed, km, i, len(got), len(want))
				}
			}
		}
	}
}
