package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// planEarthRadiusKm is the mean Earth radius (IUGG), used for great-circle
// distances.
const planEarthRadiusKm = 6371.0088

// planFewNeighbours: a Kommune with persons to pool and at most this many
// Kommunen within the radius gets a note in the plan.
const planFewNeighbours = 2

// DistanceKm returns the great-circle (haversine) distance in km between
// two points given in WGS84 degrees, on a sphere of radius 6371.0088 km.
// It is symmetric to the last bit.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	p1, l1, c1 := planRadians(lat1, lon1)
	p2, l2, c2 := planRadians(lat2, lon2)
	return planHaversine(p1, l1, c1, p2, l2, c2)
}

func planRadians(lat, lon float64) (phi, lam, cosPhi float64) {
	phi = lat * (math.Pi / 180)
	lam = lon * (math.Pi / 180)
	return phi, lam, math.Cos(phi)
}

// planHaversine is the haversine formula on radians and precomputed
// cosines. The float64 conversions forbid fused multiply-adds, so the
// result does not depend on the architecture or on inlining.
func planHaversine(p1, l1, c1, p2, l2, c2 float64) float64 {
	sp := math.Sin((p2 - p1) / 2)
	sl := math.Sin((l2 - l1) / 2)
	h := float64(sp*sp) + float64(float64(c1*c2)*float64(sl*sl))
	h = min(h, 1)
	return 2 * planEarthRadiusKm * math.Asin(math.Sqrt(h))
}

// planChord is the straight-line distance through the unit sphere between
// two points km apart on the Earth's surface.
func planChord(km float64) float64 {
	a := km / (2 * planEarthRadiusKm)
	if a >= math.Pi/2 {
		return 2
	}
	return 2 * math.Sin(a)
}

// planNeighbour is a Kommune index and its distance in km.
type planNeighbour struct {
	j int32
	d float64
}

// planGrid is a spatial index: the Kommunen's centres as unit vectors in
// 3-D, bucketed into cubes whose edge is the chord of twice the radius (at
// least 1e-5, about 64 m). A query for all Kommunen within D ≤ 2·radius km
// visits the 27 cubes around the point, so with a bounded number of
// Kommunen per radius a query costs O(1) and building costs O(n); there are
// no special cases at the poles or the date line. Only lookups are done on
// the map, never iteration, so its order cannot leak into the plan.
type planGrid struct {
	cell  float64
	cells map[uint64][]int32
	pos   [][3]float64
	n     int
}

func newPlanGrid(ks []planKommune, radiusKm float64) *planGrid {
	// The slack makes the cell a hair larger than the query chord of
	// within, so that a query up to twice the radius spans one cell.
	g := &planGrid{cell: max(planChord(2*radiusKm)*(1+1e-8)+1e-11, 1e-5), cells: make(map[uint64][]int32), pos: make([][3]float64, len(ks))}
	for i := range ks {
		k := &ks[i]
		if !k.geoOK {
			continue
		}
		g.pos[i] = [3]float64{k.cosPhi * math.Cos(k.lam), k.cosPhi * math.Sin(k.lam), math.Sin(k.phi)}
		key := g.key(g.cellOf(g.pos[i]), 0, 0, 0)
		g.cells[key] = append(g.cells[key], int32(i))
		g.n++
	}
	return g
}

func (g *planGrid) cellOf(p [3]float64) [3]int64 {
	return [3]int64{int64(math.Floor(p[0] / g.cell)), int64(math.Floor(p[1] / g.cell)), int64(math.Floor(p[2] / g.cell))}
}

// key packs a cell's coordinates, offset by dx, dy, dz, into 63 bits:
// 21 bits each, enough for |coordinate| ≤ 2/1e-5.
func (g *planGrid) key(c [3]int64, dx, dy, dz int64) uint64 {
	const bias, mask = 1 << 20, 1<<21 - 1
	return uint64(c[0]+dx+bias)&mask | (uint64(c[1]+dy+bias)&mask)<<21 | (uint64(c[2]+dz+bias)&mask)<<42
}

// within appends to dst[:0] every other Kommune with coordinates at most km
// from Kommune i, nearest first (ties by index, that is by AGS).
func (g *planGrid) within(ks []planKommune, i int, km float64, dst []planNeighbour) []planNeighbour {
	dst = dst[:0]
	a, pa := &ks[i], g.pos[i]
	// A little slack so that rounding in the chord never hides a point
	// the haversine test would accept; the chord test only saves
	// trigonometry, the haversine decides.
	chord := planChord(km)*(1+1e-9) + 1e-12
	chord2 := chord * chord
	consider := func(j int32) {
		if int(j) == i {
			return
		}
		pb := g.pos[j]
		dx, dy, dz := pa[0]-pb[0], pa[1]-pb[1], pa[2]-pb[2]
		if dx*dx+dy*dy+dz*dz > chord2 {
			return
		}
		b := &ks[j]
		if d := planHaversine(a.phi, a.lam, a.cosPhi, b.phi, b.lam, b.cosPhi); d <= km {
			dst = append(dst, planNeighbour{j, d})
		}
	}
	span := int64(math.Ceil(chord / g.cell))
	if w := 2*span + 1; w > 64 || w*w*w > int64(g.n) {
		for j := range ks {
			if ks[j].geoOK {
				consider(int32(j))
			}
		}
	} else {
		c := g.cellOf(g.pos[i])
		for dx := -span; dx <= span; dx++ {
			for dy := -span; dy <= span; dy++ {
				for dz := -span; dz <= span; dz++ {
					for _, j := range g.cells[g.key(c, dx, dy, dz)] {
						consider(j)
					}
				}
			}
		}
	}
	slices.SortFunc(dst, func(x, y planNeighbour) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.j, y.j)) })
	return dst
}

// planPart is a Kommune's persons in a group being built.
type planPart struct{ kom, persons int }

// planDraft is a group before ids and costs.
type planDraft struct {
	kind    GroupKind
	host    int // Kommune index for own groups, else -1
	key     int // host or meeting place index; ordering
	seq     int
	parts   []planPart
	meet    int // Kommune index, -1 for online
	reason  string
	maxDist float64
}

type planBuilder struct {
	ks       []planKommune
	p        Params
	grid     *planGrid
	drafts   []planDraft
	unplaced []UnplacedPersons
	notes    []PlanIssue
	bound    PlanBound
}

// planSupervision plans the supervision groups by the rules documented at
// Compute.
func planSupervision(ks []planKommune, p Params, pl *Plan) {
	b := &planBuilder{ks: ks, p: p}
	b.split()
	b.pool()
	b.online()
	b.materialise(pl)
	bd := b.bound
	bd.Proven = pl.Totals.Placed == bd.MaxPlaced && pl.Totals.Groups == bd.MinGroups
	bd.PersonsGap = bd.MaxPlaced - pl.Totals.Placed
	if bd.PersonsGap == 0 {
		bd.GroupsGap = pl.Totals.Groups - bd.MinGroups
	}
	pl.Bound = bd
}

// split applies rule 1.
func (b *planBuilder) split() {
	for i := range b.ks {
		k := &b.ks[i]
		n := k.in.GroupPersons
		if k.in.Format == FormatOnline && b.p.PoolOnline {
			k.online = n
		} else {
			k.onsite = n
		}
	}
}

func (b *planBuilder) dist(i, j int) float64 {
	x, y := &b.ks[i], &b.ks[j]
	return planHaversine(x.phi, x.lam, x.cosPhi, y.phi, y.lam, y.cosPhi)
}

// meeting returns the meeting place of parts (sorted by Kommune), the
// largest member distance to it and whether any member is within the
// radius of all.
func (b *planBuilder) meeting(parts []planPart) (meet int, maxDist float64, ok bool) {
	bestCost := math.Inf(1)
	meet = -1
	for _, m := range parts {
		far, cost := 0.0, 0.0
		for _, o := range parts {
			d := b.dist(o.kom, m.kom)
			far = max(far, d)
			cost += float64(float64(o.persons) * d)
		}
		if far <= b.p.RadiusKm && cost < bestCost {
			meet, maxDist, bestCost, ok = m.kom, far, cost, true
		}
	}
	return meet, maxDist, ok
}

func (b *planBuilder) neighbourList(i, limit int) string {
	var names []string
	for x, n := range b.ks[i].nb {
		if x == limit {
			names = append(names, "…")
			break
		}
		names = append(names, b.ks[n.j].name+" "+planFixed(n.d, 1)+" km")
	}
	return strings.Join(names, ", ")
}

func (b *planBuilder) fewNeighboursNote(i int) PlanIssue {
	k := &b.ks[i]
	nb := "Nachbarkommunen"
	if len(k.nb) == 1 {
		nb = "Nachbarkommune"
	}
	return PlanIssue{Severity: IssueNote, AGS: k.in.AGS, Name: k.name,
		Message: fmt.Sprintf("%s: nur %d %s im Umkreis von %s km (%s)", k.name, len(k.nb), nb, planNum(b.p.RadiusKm), b.neighbourList(i, planFewNeighbours))}
}

// online applies rule 6.
func (b *planBuilder) online() {
	ks, p := b.ks, b.p
	total := 0
	for i := range ks {
		total += ks[i].online
	}
	if total == 0 {
		return
	}
	g := (total + p.GroupMax - 1) / p.GroupMax
	var sizes []int
	placed := total
	if g*p.GroupMin <= total {
		for x := range g {
			s := total / g
			if x < total%g {
				s++
			}
			sizes = append(sizes, s)
		}
	} else {
		g = total / p.GroupMax
		for range g {
			sizes = append(sizes, p.GroupMax)
		}
		placed = g * p.GroupMax
	}
	b.bound.MaxPlaced += placed
	b.bound.MinGroups += g
	// Take the unplaced persons from the highest AGS down.
	left := make([]int, len(ks))
	drop := total - placed
	for i := len(ks) - 1; i >= 0; i-- {
		left[i] = ks[i].online
		if drop > 0 && left[i] > 0 {
			d := min(drop, left[i])
			left[i] -= d
			drop -= d
			why := ""
			if g == 0 {
				why = fmt.Sprintf("regionsweit nur %s online (Mindestgröße %d)", planPersons(total), p.GroupMin)
			} else {
				why = fmt.Sprintf("regionsweit %d Personen online passen nicht ganz in Gruppen von %d bis %d (%d × %d)", total, p.GroupMin, p.GroupMax, g, p.GroupMax)
			}
			b.unplaced = append(b.unplaced, UnplacedPersons{AGS: ks[i].in.AGS, Name: ks[i].name, Persons: d, Online: true,
				Reason: ks[i].name + ": " + planPersons(d) + " online, " + why + " — nicht gruppiert"})
		}
	}
	sizeText := planJoinSizes(sizes)
	i := 0
	for x, s := range sizes {
		d := planDraft{kind: GroupOnline, host: -1, meet: -1, key: len(ks), seq: x}
		for s > 0 {
			for left[i] == 0 {
				i++
			}
			take := min(s, left[i])
			d.parts = append(d.parts, planPart{i, take})
			left[i] -= take
			s -= take
		}
		d.reason = fmt.Sprintf("online, regionsweit gepoolt: %s online → %s", planPersons(total), sizeText)
		b.drafts = append(b.drafts, d)
	}
}

func planJoinSizes(sizes []int) string {
	s := make([]string, len(sizes))
	for x, v := range sizes {
		s[x] = strconv.Itoa(v)
	}
	return strings.Join(s, " + ")
}

// partsText lists parts other than the meeting place as "A (2), B (1) und
// C (3)".
func (b *planBuilder) partsText(parts []planPart, skip int) string {
	var s []string
	for _, pt := range parts {
		if pt.kom != skip {
			s = append(s, fmt.Sprintf("%s (%d)", b.ks[pt.kom].name, pt.persons))
		}
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " und " + s[len(s)-1]
}

// distanceText is "4,9 km" for one other member, else "bis 7,1 km".
func planDistanceText(others int, maxDist float64) string {
	if others == 1 {
		return planFixed(maxDist, 1) + " km"
	}
	return "bis " + planFixed(maxDist, 1) + " km"
}

// materialise turns blocks and clusters into drafts, orders all drafts,
// gives ids and costs and fills the plan's supervision parts.
func (b *planBuilder) materialise(pl *Plan) {
	ks, p := b.ks, b.p
	kindOrder := map[GroupKind]int{GroupOwn: 0, GroupPooled: 1, GroupOnline: 2}
	slices.SortFunc(b.drafts, func(x, y planDraft) int {
		return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(kindOrder[x.kind], kindOrder[y.kind]), cmp.Compare(x.host, y.host), cmp.Compare(x.parts[0].kom, y.parts[0].kom), cmp.Compare(x.seq, y.seq))
	})

	width := max(2, len(strconv.Itoa(len(b.drafts))))
	kp := make([]KommunePlan, len(ks))
	for i := range ks {
		k := &ks[i]
		kp[i] = KommunePlan{AGS: k.in.AGS, Name: k.name, Format: k.in.Format, Persons: k.in.GroupPersons, OnSite: k.onsite, Online: k.online}
	}
	t := &pl.Totals
	for x, d := range b.drafts {
		g := SupervisionGroup{
			ID: fmt.Sprintf("G%0*d", width, x+1), Kind: d.kind, Reason: d.reason,
			Sessions: p.SessionsPerYear, SupervisorHours: float64(p.SessionsPerYear) * p.HoursPerSession,
			MaxDistanceKm: d.maxDist, TravelPerSession: p.TravelPerSession,
		}
		if d.host >= 0 {
			g.Host = ks[d.host].in.AGS
		}
		if d.kind == GroupOnline {
			g.TravelPerSession = 0
		} else {
			g.MeetingAGS, g.MeetingName = ks[d.meet].in.AGS, ks[d.meet].name
		}
		g.NetCost, g.GrossCost = GroupCost(p, d.kind == GroupOnline)
		for _, pt := range d.parts {
			m := GroupMember{AGS: ks[pt.kom].in.AGS, Name: ks[pt.kom].name, Persons: pt.persons}
			if d.meet >= 0 && pt.kom != d.meet {
				m.DistanceKm = b.dist(pt.kom, d.meet)
			}
			g.Size += pt.persons
			g.PersonKm += float64(float64(pt.persons) * m.DistanceKm)
			g.Members = append(g.Members, m)
		}
		pl.Groups = append(pl.Groups, g)

		for _, pt := range d.parts {
			k := &kp[pt.kom]
			switch {
			case d.kind == GroupOnline:
				k.InOnlineGroups += pt.persons
			case d.kind == GroupOwn && d.host == pt.kom:
				k.InOwnGroups += pt.persons
			default:
				k.InPooledGroups += pt.persons
			}
			if !slices.Contains(k.Groups, g.ID) {
				k.Groups = append(k.Groups, g.ID)
			}
			k.NetShare += float64(g.NetCost*float64(pt.persons)) / float64(g.Size)
			k.GrossShare += float64(g.GrossCost*float64(pt.persons)) / float64(g.Size)
		}
		t.Groups++
		switch d.kind {
		case GroupOwn:
			t.OwnGroups++
		case GroupPooled:
			t.PooledGroups++
		case GroupOnline:
			t.OnlineGroups++
		}
		t.Placed += g.Size
		t.Sessions += g.Sessions
		t.SupervisorHours += g.SupervisorHours
		t.SupervisionNet += g.NetCost
		t.SupervisionGross += g.GrossCost
	}

	idx := make(map[string]int, len(ks))
	for i := range ks {
		idx[ks[i].in.AGS] = i
	}
	slices.SortStableFunc(b.unplaced, func(x, y UnplacedPersons) int {
		return cmp.Or(cmp.Compare(idx[x.AGS], idx[y.AGS]), planCompareBool(x.Online, y.Online))
	})
	for _, u := range b.unplaced {
		kp[idx[u.AGS]].Unplaced += u.Persons
		t.Unplaced += u.Persons
		pl.Issues = append(pl.Issues, PlanIssue{Severity: IssueWarning, AGS: u.AGS, Name: u.Name, Persons: u.Persons, Message: u.Reason})
	}
	pl.Unplaced = b.unplaced
	pl.Issues = append(pl.Issues, b.notes...)
	offOnline := 0
	for i := range ks {
		t.Persons += ks[i].in.GroupPersons
		t.OnSite += ks[i].onsite
		t.Online += ks[i].online
		if !p.PoolOnline && ks[i].in.Format == FormatOnline {
			offOnline += ks[i].in.GroupPersons
		}
	}
	if offOnline > 0 {
		pl.Issues = append(pl.Issues, PlanIssue{Severity: IssueNote,
			Message: fmt.Sprintf("Online-Poolen ist ausgeschaltet: %s mit Format „online“ sind vor Ort geplant", planPersons(offOnline))})
	}
	pl.Kommunen = kp
}

func planCompareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// GroupCost is the yearly cost of one supervision group from the
// parameters alone: net = SessionsPerYear × (HoursPerSession × FeePerHour
// + TravelPerSession), without travel for an online group, evaluated in
// that order (spreadsheet: =S*(H*F+T)); gross = net × (1 + VATPercent /
// 100). It depends on the group's kind only, not on its members.
func GroupCost(p Params, online bool) (net, gross float64) {
	perSession := float64(p.HoursPerSession*p.FeePerHour) + p.TravelPerSession
	if online {
		perSession = float64(p.HoursPerSession*p.FeePerHour) + 0
	}
	net = float64(p.SessionsPerYear) * perSession
	return net, net * (1 + p.VATPercent/100)
}
