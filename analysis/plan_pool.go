package analysis

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// This file holds the optimiser of the on-site grouping (rules 2 to 5 at
// Compute). A group is anchored at a member Kommune m (its meeting place
// while grouping) and draws persons from Kommunen within the radius of m,
// at least one of them from m itself. The optimiser works on groups as
// multisets of persons by Kommune; materialise in plan_group.go turns them
// into the plan's groups.

// poolGroup is a group being built: the anchor and the persons per
// member Kommune.
type poolGroup struct {
	anchor int
	parts  []planPart // by Kommune index, persons > 0
	size   int
	dead   bool
}

// pooler holds the state of the on-site grouping.
type pooler struct {
	ks     []planKommune
	lo, hi int
	// nb[i] are the Kommunen with on-site persons within the radius of i,
	// i itself first, then nearest first (ties by index); nil for a
	// Kommune without coordinates or persons.
	nb     [][]planNeighbour
	left   []int   // persons of each Kommune in no group
	in     [][]int // groups with persons of each Kommune
	groups []poolGroup
	// budget bounds the work of the improvement steps (in visited
	// groups), so that the plan of a nation-wide round stays quick; it is
	// a count, not a clock, so the plan stays deterministic.
	budget int
	// searchCap bounds the work of one search of augment.
	searchCap int
	// goal is the unplaced persons and groups at the bounds: reaching it,
	// nothing better exists.
	goal [2]float64
	// newGroupMark is the number of groups before tryMerge added one.
	newGroupMark int
	// log records changes while logging > 0, for rollback.
	log     []poolUndo
	logging int
	// seen and parent are scratch space of augment.
	seen   []int
	stamp  int
	queue  []int
	parent []poolStep
}

// poolStep is how a search of augment reached a group: a person of
// Kommune kom moved into it from group from (-1: from the Kommune's
// unplaced persons).
type poolStep struct{ from, kom int }

// poolWork is the improvement budget, in groups visited by augmenting
// searches, and poolSearchCap the most one search may visit.
var poolWork, poolSearchCap = 1_000_000, 300

// poolWorkPerKommune is the improvement budget per Kommune with on-site
// persons on larger instances (a nation-wide round has thousands).
var poolWorkPerKommune = 100

// poolMultiStart is the most Kommunen with on-site persons for which the
// grouping tries several greedy starts.
const poolMultiStart = 400

// poolShuffles is the number of shuffled greedy starts on such instances.
var poolShuffles = 30

// score is what the grouping minimises, in order: unplaced persons,
// groups, travel (persons × km to the anchor).
func (p *pooler) score() [3]float64 {
	var s [3]float64
	for _, n := range p.left {
		s[0] += float64(n)
	}
	for g := range p.groups {
		gr := &p.groups[g]
		if gr.dead || gr.size == 0 {
			continue
		}
		s[1]++
		for _, pt := range gr.parts {
			if pt.kom != gr.anchor {
				a, c := &p.ks[pt.kom], &p.ks[gr.anchor]
				s[2] += float64(pt.persons) * planHaversine(a.phi, a.lam, a.cosPhi, c.phi, c.lam, c.cosPhi)
			}
		}
	}
	return s
}

func (p *pooler) persons(g int, k int) int {
	for _, pt := range p.groups[g].parts {
		if pt.kom == k {
			return pt.persons
		}
	}
	return 0
}

// add moves d persons of Kommune k into group g (d < 0 takes them out),
// recorded in the undo log while one is kept.
func (p *pooler) add(g, k, d int) {
	if p.logging > 0 {
		p.log = append(p.log, poolUndo{g, k, d})
	}
	p.move(g, k, d)
}

func (p *pooler) move(g, k, d int) {
	gr := &p.groups[g]
	gr.size += d
	for x := range gr.parts {
		if gr.parts[x].kom == k {
			gr.parts[x].persons += d
			if gr.parts[x].persons == 0 {
				gr.parts = slices.Delete(gr.parts, x, x+1)
				p.in[k] = slices.DeleteFunc(p.in[k], func(y int) bool { return y == g })
			}
			return
		}
	}
	if d <= 0 {
		panic("pooler: taking persons that are not in the group")
	}
	at, _ := slices.BinarySearchFunc(gr.parts, k, func(pt planPart, k int) int { return cmp.Compare(pt.kom, k) })
	gr.parts = slices.Insert(gr.parts, at, planPart{k, d})
	p.in[k] = append(p.in[k], g)
}

// reaches reports whether persons of Kommune k may sit in a group
// anchored at m.
func (p *pooler) reaches(k, m int) bool {
	for _, n := range p.nb[k] {
		if int(n.j) == m {
			return true
		}
	}
	return false
}

// movable is the number of persons of Kommune k that may leave group g
// without breaking the anchor rule (the size bound is the caller's).
func (p *pooler) movable(g, k int) int {
	n := p.persons(g, k)
	if p.groups[g].anchor == k {
		n--
	}
	return n
}

// build runs the greedy construction, then the improvement steps.
func (p *pooler) build(order []int) {
	p.greedy(order)
	p.improve(order)
}

func (p *pooler) dist(a, b int) float64 {
	if a == b {
		return 0
	}
	x, y := &p.ks[a], &p.ks[b]
	return planHaversine(x.phi, x.lam, x.cosPhi, y.phi, y.lam, y.cosPhi)
}

// shorten lowers the travel without changing who is placed or the groups:
// a person moves to a group with room whose anchor is nearer, or two
// persons of different groups swap when that shortens their ways; until
// nothing helps or the budget is spent.
func (p *pooler) shorten() {
	const eps = 1e-9
	for pass := 0; pass < 20; pass++ {
		better := false
		for g := range p.groups {
			if p.groups[g].dead {
				continue
			}
			for x := 0; x < len(p.groups[g].parts); x++ {
				a := p.groups[g].parts[x].kom
				mg := p.groups[g].anchor
				da := p.dist(a, mg)
				if da == 0 {
					continue
				}
				for _, n := range p.nb[a] {
					m2 := int(n.j)
					if n.d >= da-eps || p.budget <= 0 {
						break // nb is nearest first
					}
					for _, h := range p.in[m2] {
						p.budget--
						if h == g || p.groups[h].anchor != m2 || p.movable(g, a) <= 0 {
							continue
						}
						if p.groups[h].size < p.hi && p.groups[g].size > p.lo {
							p.add(g, a, -1)
							p.add(h, a, 1)
							better = true
							continue
						}
						for _, pt := range p.groups[h].parts {
							b := pt.kom
							if b == a || p.movable(h, b) <= 0 || !p.reaches(b, mg) {
								continue
							}
							if da+p.dist(b, m2)-n.d-p.dist(b, mg) > eps {
								p.add(g, a, -1)
								p.add(h, b, -1)
								p.add(h, a, 1)
								p.add(g, b, 1)
								better = true
								break
							}
						}
					}
					if x >= len(p.groups[g].parts) || p.groups[g].parts[x].kom != a {
						break
					}
				}
			}
		}
		if !better || p.budget <= 0 {
			return
		}
	}
}

// greedy forms groups for the Kommunen in order (hardest first): each
// takes the anchor within its radius that can gather the most persons
// (at most max) and fills a group there, its own persons first, then
// those of the Kommunen with the fewest neighbours, nearest first.
func (p *pooler) greedy(order []int) {
	rank := make([]int, len(p.ks))
	for x, i := range order {
		rank[i] = x
	}
	var take []planNeighbour
	for _, i := range order {
		for p.left[i] > 0 {
			best, bestAvail := -1, 0
			for _, n := range p.nb[i] {
				m := int(n.j)
				if p.left[m] == 0 {
					continue
				}
				avail := 0
				for _, o := range p.nb[m] {
					avail += p.left[o.j]
					if avail >= p.hi {
						avail = p.hi
						break
					}
				}
				if avail > bestAvail {
					best, bestAvail = m, avail
				}
			}
			if best < 0 || bestAvail < p.lo {
				break
			}
			m := best
			g := len(p.groups)
			p.groups = append(p.groups, poolGroup{anchor: m})
			put := func(k, d int) {
				p.unplace(k, -d)
				p.add(g, k, d)
			}
			put(m, 1)
			if d := min(p.left[i], p.hi-p.groups[g].size); d > 0 {
				put(i, d)
			}
			take = append(take[:0], p.nb[m]...)
			slices.SortFunc(take, func(a, b planNeighbour) int {
				return cmp.Or(cmp.Compare(len(p.nb[a.j]), len(p.nb[b.j])), cmp.Compare(a.d, b.d), cmp.Compare(rank[a.j], rank[b.j]))
			})
			for _, o := range take {
				if room := p.hi - p.groups[g].size; room > 0 {
					if d := min(p.left[o.j], room); d > 0 {
						put(int(o.j), d)
					}
				}
			}
		}
	}
}

// improve places more persons, then drops groups, while it finds a way and
// the budget lasts.
func (p *pooler) improve(order []int) {
	for round := 0; round < 4; round++ {
		changed := false
		for _, i := range order {
			for p.left[i] > 0 && p.budget > 0 && p.augment(i, -1) {
				p.unplace(i, -1)
				changed = true
			}
		}
		for _, i := range order {
			if p.left[i] > 0 && p.budget > 0 && p.open(i) {
				changed = true
			}
		}
		// Drop groups, smallest first (ties: the later group).
		ids := make([]int, 0, len(p.groups))
		for g := range p.groups {
			if !p.groups[g].dead {
				ids = append(ids, g)
			}
		}
		slices.SortFunc(ids, func(a, b int) int { return cmp.Or(cmp.Compare(p.groups[a].size, p.groups[b].size), cmp.Compare(b, a)) })
		for _, g := range ids {
			if p.budget <= 0 {
				break
			}
			if p.drop(g) {
				changed = true
			}
		}
		if sc := p.score(); sc[0] == p.goal[0] && sc[1] == p.goal[1] {
			return
		}
		if !changed && p.budget > 0 {
			changed = p.merge()
		}
		if !changed || p.budget <= 0 {
			return
		}
	}
}

// merge replaces two groups by one new group, the rest of their persons
// moved into other groups; it stops at the first that works. It tries the
// pairs where a member of one could join the other's meeting place, the
// new group at a Kommune within the radius of either's meeting place;
// then (mergeWide) every pair with a place where members of both could
// meet, the new group at any place of a member.
func (p *pooler) merge() bool {
	return p.mergeNear() || p.mergeWide()
}

// mergeWide is merge's second step: any two groups g1 (smallest first)
// and g2 (a later one in that order), the new group at any Kommune within
// the radius of a member of either. The two need not be near each other:
// the persons of g2 that the new group does not take move along chains of
// groups, so this also drops one group while it moves another's meeting
// place.
func (p *pooler) mergeWide() bool {
	ids := p.bySize()
	var cand []int
	for x, g1 := range ids {
		for _, g2 := range ids[x+1:] {
			cand = cand[:0]
			for _, g := range []int{g1, g2} {
				for _, pt := range p.groups[g].parts {
					for _, n := range p.nb[pt.kom] {
						p.budget--
						if !slices.Contains(cand, int(n.j)) {
							cand = append(cand, int(n.j))
						}
					}
				}
			}
			for _, m := range cand {
				if p.budget <= 0 {
					return false
				}
				if p.tryMerge(g1, g2, m) {
					return true
				}
			}
		}
	}
	return false
}

// bySize lists the live groups, smallest first (ties: the earlier).
func (p *pooler) bySize() []int {
	ids := make([]int, 0, len(p.groups))
	for g := range p.groups {
		if !p.groups[g].dead {
			ids = append(ids, g)
		}
	}
	slices.SortFunc(ids, func(a, b int) int { return cmp.Or(cmp.Compare(p.groups[a].size, p.groups[b].size), cmp.Compare(a, b)) })
	return ids
}

// mergeNear is merge's first step.
func (p *pooler) mergeNear() bool {
	ids := p.bySize()
	pos := make(map[int]int, len(ids))
	for x, g := range ids {
		pos[g] = x
	}
	var near []int
	for _, g1 := range ids {
		// Groups some member of g1 could join: anchored within its radius.
		near = near[:0]
		for _, pt := range p.groups[g1].parts {
			for _, n := range p.nb[pt.kom] {
				for _, h := range p.in[int(n.j)] {
					if h != g1 && p.groups[h].anchor == int(n.j) && pos[h] > pos[g1] && !slices.Contains(near, h) {
						near = append(near, h)
					}
				}
			}
		}
		slices.SortFunc(near, func(a, b int) int { return cmp.Compare(pos[a], pos[b]) })
		for _, g2 := range near {
			for _, a := range []int{p.groups[g1].anchor, p.groups[g2].anchor} {
				for _, n := range p.nb[a] {
					if p.budget <= 0 {
						return false
					}
					if p.tryMerge(g1, g2, int(n.j)) {
						return true
					}
				}
			}
		}
	}
	return false
}

// tryMerge frees the persons of groups g1 and g2, opens a group at m and
// places the freed persons there (as far as they reach m and it has room)
// or elsewhere; it undoes everything unless all fit and the new group has
// at least min persons, one of them from m.
func (p *pooler) tryMerge(g1, g2, m int) bool {
	at := p.mark()
	var freed []planPart
	for _, g := range []int{g1, g2} {
		for _, pt := range slices.Clone(p.groups[g].parts) {
			freed = append(freed, pt)
			p.add(g, pt.kom, -pt.persons)
		}
		p.groups[g].dead = true
	}
	fail := func() bool {
		p.rollback(at)
		p.groups[g1].dead, p.groups[g2].dead = false, false
		p.groups = p.groups[:min(len(p.groups), p.newGroupMark)]
		return false
	}
	p.newGroupMark = len(p.groups)
	g := len(p.groups)
	p.groups = append(p.groups, poolGroup{anchor: m})
	// One of m's persons: freed, or from a group that can spare one.
	fromFreed := -1
	for x, pt := range freed {
		if pt.kom == m {
			fromFreed = x
		}
	}
	if fromFreed >= 0 {
		freed[fromFreed].persons--
		p.add(g, m, 1)
	} else {
		ok := false
		for _, h := range p.in[m] {
			if p.movable(h, m) > 0 && p.groups[h].size > p.lo {
				p.add(h, m, -1)
				p.add(g, m, 1)
				ok = true
				break
			}
		}
		if !ok {
			return fail()
		}
	}
	for x := range freed {
		pt := &freed[x]
		if pt.persons > 0 && p.reaches(pt.kom, m) {
			d := min(pt.persons, p.hi-p.groups[g].size)
			if d > 0 {
				p.add(g, pt.kom, d)
				pt.persons -= d
			}
		}
	}
	for _, pt := range freed {
		for range pt.persons {
			if !p.augment(pt.kom, -1) {
				return fail()
			}
		}
	}
	if p.groups[g].size < p.lo {
		return fail()
	}
	p.commit(at)
	return true
}

// augment finds room for one more person of Kommune k: directly in a group
// with room within its radius, or by moving persons along a chain of groups
// (breadth first, so the chain is as short as possible). Group skip is left
// out (it is being dropped). On success the persons are moved; the caller
// takes the person from where it was.
func (p *pooler) augment(k, skip int) bool {
	p.stamp++
	p.queue = p.queue[:0]
	if len(p.seen) < len(p.groups) {
		p.seen = append(p.seen, make([]int, len(p.groups)-len(p.seen))...)
		p.parent = append(p.parent, make([]poolStep, len(p.groups)-len(p.parent))...)
	}
	limit := p.budget - p.searchCap
	visit := func(g int, from, kom int) bool {
		p.budget--
		if g == skip || p.groups[g].dead || p.seen[g] == p.stamp {
			return false
		}
		p.seen[g] = p.stamp
		p.parent[g] = poolStep{from, kom}
		if p.groups[g].size < p.hi {
			p.apply(g)
			return true
		}
		p.queue = append(p.queue, g)
		return false
	}
	for _, n := range p.nb[k] {
		for _, g := range p.in[int(n.j)] {
			if p.groups[g].anchor == int(n.j) && visit(g, -1, k) {
				return true
			}
		}
	}
	for x := 0; x < len(p.queue) && p.budget > max(limit, 0); x++ {
		g := p.queue[x]
		for _, pt := range p.groups[g].parts {
			if p.movable(g, pt.kom) <= 0 {
				continue
			}
			for _, n := range p.nb[pt.kom] {
				for _, h := range p.in[int(n.j)] {
					if p.groups[h].anchor == int(n.j) && visit(h, g, pt.kom) {
						return true
					}
				}
			}
		}
	}
	return false
}

// apply moves the persons along the chain that ends in group g.
func (p *pooler) apply(g int) {
	for {
		st := p.parent[g]
		p.add(g, st.kom, 1)
		if st.from < 0 {
			return
		}
		p.add(st.from, st.kom, -1)
		g = st.from
	}
}

// drop tries to share out group g's persons among other groups; it
// undoes the moves when that fails.
func (p *pooler) drop(g int) bool {
	gr := &p.groups[g]
	if gr.dead {
		return false
	}
	at := p.mark()
	parts := slices.Clone(gr.parts)
	for _, pt := range parts {
		for range pt.persons {
			p.add(g, pt.kom, -1)
			if !p.augment(pt.kom, g) {
				p.rollback(at)
				return false
			}
		}
	}
	p.commit(at)
	p.groups[g].dead = true
	return true
}

// open tries to form a new group anchored within the radius of Kommune k
// that takes k's unplaced persons: from unplaced persons within the radius
// of the anchor, and from groups that can spare persons above the minimum.
func (p *pooler) open(k int) bool {
	for _, n := range p.nb[k] {
		m := int(n.j)
		p.budget -= len(p.nb[m])
		// What the anchor could gather.
		own := p.left[m]
		for _, g := range p.in[m] {
			own += min(p.movable(g, m), p.groups[g].size-p.lo)
		}
		if own <= 0 {
			continue
		}
		avail := 0
		for _, o := range p.nb[m] {
			j := int(o.j)
			avail += p.left[j]
			for _, g := range p.in[j] {
				avail += min(p.movable(g, j), p.groups[g].size-p.lo)
			}
		}
		if avail < p.lo {
			continue
		}
		at := p.mark()
		g := len(p.groups)
		p.groups = append(p.groups, poolGroup{anchor: m})
		// One of the anchor's persons, then the unplaced, then spare
		// persons of other groups, nearest first.
		gain := 0
		takeOne := func(j int) bool {
			if p.left[j] > 0 {
				gain++
				p.unplace(j, -1)
				p.add(g, j, 1)
				return true
			}
			for _, h := range p.in[j] {
				if h != g && p.movable(h, j) > 0 && p.groups[h].size > p.lo {
					p.add(h, j, -1)
					p.add(g, j, 1)
					return true
				}
			}
			return false
		}
		takeOne(m)
		for _, o := range p.nb[m] {
			for p.groups[g].size < p.hi && p.left[o.j] > 0 {
				takeOne(int(o.j))
			}
		}
		for _, o := range p.nb[m] {
			for p.groups[g].size < p.lo && takeOne(int(o.j)) {
			}
		}
		if p.groups[g].size >= p.lo && gain > 0 {
			p.commit(at)
			return true
		}
		p.rollback(at)
		p.groups = p.groups[:g]
	}
	return false
}

// poolUndo is one change in the undo log: d persons of Kommune k added
// to group g, or to the unplaced persons when g is -1.
type poolUndo struct{ g, k, d int }

// mark starts recording changes and returns the log position to roll back
// to.
func (p *pooler) mark() int {
	p.logging++
	return len(p.log)
}

// commit stops recording (the changes stay).
func (p *pooler) commit(at int) {
	p.logging--
	if p.logging == 0 {
		p.log = p.log[:at]
	}
}

// rollback undoes the changes since mark at.
func (p *pooler) rollback(at int) {
	p.logging--
	for x := len(p.log) - 1; x >= at; x-- {
		u := p.log[x]
		if u.g < 0 {
			p.left[u.k] -= u.d
		} else {
			p.move(u.g, u.k, -u.d)
		}
	}
	p.log = p.log[:at]
}

// unplace changes the unplaced persons of Kommune k by d.
func (p *pooler) unplace(k, d int) {
	p.left[k] += d
	if p.logging > 0 {
		p.log = append(p.log, poolUndo{-1, k, d})
	}
}

// planFit is the most persons of n that groups of lo..hi can take: n
// itself when some k has k·lo ≤ n ≤ k·hi, else the largest k·hi below n.
func planFit(n, lo, hi int) int {
	k := (n + hi - 1) / hi
	if k*lo <= n {
		return n
	}
	return (n / hi) * hi
}

// pool applies rules 2 to 5 to the on-site persons and computes the bounds
// (rule 7).
func (b *planBuilder) pool() {
	ks, pr := b.ks, b.p
	r := pr.RadiusKm
	b.grid = newPlanGrid(ks, r)
	nb := make([][]planNeighbour, len(ks))
	var order []int
	for i := range ks {
		k := &ks[i]
		if k.onsite == 0 {
			continue
		}
		order = append(order, i)
		nb[i] = []planNeighbour{{int32(i), 0}}
		if !k.geoOK {
			continue
		}
		k.nb = b.grid.within(ks, i, r, nil)
		for _, n := range k.nb {
			if ks[n.j].onsite > 0 {
				nb[i] = append(nb[i], n)
			}
		}
	}
	// Orders of the greedy start: hardest first (fewest Kommunen with
	// on-site persons within the radius, then more persons), and on
	// instances of up to poolMultiStart such Kommunen a few others; the
	// best result counts (most placed, fewest groups, least travel, then
	// the first).
	hard := func(x, y int) int { return cmp.Compare(len(nb[x]), len(nb[y])) }
	many := func(x, y int) int { return cmp.Compare(ks[y].onsite, ks[x].onsite) }
	orders := []func(x, y int) int{
		func(x, y int) int { return cmp.Or(hard(x, y), many(x, y)) },
		func(x, y int) int { return cmp.Or(many(x, y), hard(x, y)) },
		func(x, y int) int { return cmp.Or(hard(x, y), -many(x, y)) },
		func(x, y int) int { return cmp.Or(-hard(x, y), many(x, y)) },
		func(x, y int) int { return 0 },
		func(x, y int) int { return cmp.Compare(y, x) },
	}
	if len(order) > poolMultiStart {
		orders = orders[:1]
	} else {
		// Shuffled orders from a fixed seed (deterministic).
		rng := rand.New(rand.NewPCG(2026, 12))
		for range poolShuffles {
			key := make([]uint64, len(ks))
			for _, i := range order {
				key[i] = rng.Uint64()
			}
			orders = append(orders, func(x, y int) int { return cmp.Compare(key[x], key[y]) })
		}
	}
	b.bound = b.poolBound(nb, order)
	total := 0
	for _, i := range order {
		total += ks[i].onsite
	}
	// goal is the score of a plan that reaches the bounds.
	goal := [2]float64{float64(total - b.bound.MaxPlaced), float64(b.bound.MinGroups)}
	work := poolWork
	if len(order) > poolMultiStart {
		work = poolWorkPerKommune * len(order)
	}
	var p *pooler
	var best [3]float64
	for v, less := range orders {
		if v > 0 && best[0] == goal[0] && best[1] == goal[1] {
			break
		}
		o := slices.Clone(order)
		slices.SortStableFunc(o, func(x, y int) int { return cmp.Or(less(x, y), cmp.Compare(x, y)) })
		q := &pooler{ks: ks, lo: pr.GroupMin, hi: pr.GroupMax, nb: nb, left: make([]int, len(ks)), in: make([][]int, len(ks)),
			budget: work, searchCap: poolSearchCap, goal: goal}
		for _, i := range order {
			q.left[i] = ks[i].onsite
		}
		q.build(o)
		score := q.score()
		if v == 0 || score[0] < best[0] || score[0] == best[0] && (score[1] < best[1] || score[1] == best[1] && score[2] < best[2]) {
			p, best = q, score
		}
	}
	p.budget = work / 4
	p.shorten()
	b.poolDrafts(p)
	b.poolUnplaced(p, order)
}

// poolBound bounds every plan of the on-site persons (rule 7): a
// Kommune's persons can be placed only if some Kommune within its radius
// has at least min persons within its own radius; the Kommunen that could
// ever share a group form independent clusters, and a cluster's groups
// take at most planFit of its placeable persons and need at least
// ceil(that / max) groups, and at least one group for each of its
// Kommunen whose possible meeting places no other of them shares.
func (b *planBuilder) poolBound(nb [][]planNeighbour, order []int) PlanBound {
	ks := b.ks
	lo, hi := b.p.GroupMin, b.p.GroupMax
	reach := make([]int, len(ks)) // persons within the radius of i
	for _, i := range order {
		for _, n := range nb[i] {
			reach[i] += ks[n.j].onsite
		}
	}
	parent := make([]int, len(ks))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	placeable := make([]int, len(ks))
	for _, i := range order {
		ok := false
		for _, n := range nb[i] {
			if reach[n.j] >= lo {
				ok = true
				if a, c := find(i), find(int(n.j)); a != c {
					parent[max(a, c)] = min(a, c)
				}
			}
		}
		if ok {
			placeable[i] = ks[i].onsite
		}
	}
	sum := make([]int, len(ks))
	for _, i := range order {
		sum[find(i)] += placeable[i]
	}
	// A packing of Kommunen with pairwise disjoint meeting places: each
	// needs groups of its own. Greedy, fewest meeting places first.
	used := make([]bool, len(ks))
	packed := make([]int, len(ks))
	for _, i := range order {
		if placeable[i] == 0 {
			continue
		}
		free := true
		for _, n := range nb[i] {
			free = free && !used[n.j]
		}
		if !free {
			continue
		}
		for _, n := range nb[i] {
			used[n.j] = true
		}
		packed[find(i)] += (placeable[i] + hi - 1) / hi
	}
	var bd PlanBound
	for _, i := range order {
		if find(i) != i {
			continue
		}
		fit := planFit(sum[i], lo, hi)
		bd.MaxPlaced += fit
		bd.MinGroups += max((fit+hi-1)/hi, min(packed[i], fit/lo))
	}
	return bd
}

// poolDrafts turns the pooler's groups into drafts. The own groups of a
// Kommune (only its persons, meeting at home) get sizes that differ by at
// most one, larger first; that changes nobody's way. Each other group
// meets at the member Kommune with the least travel among those within
// the radius of all (its anchor is one).
func (b *planBuilder) poolDrafts(p *pooler) {
	own := map[int][]int{}
	var hosts []int
	for g := range p.groups {
		gr := &p.groups[g]
		if gr.dead || gr.size == 0 {
			continue
		}
		if len(gr.parts) == 1 {
			if _, ok := own[gr.anchor]; !ok {
				hosts = append(hosts, gr.anchor)
			}
			own[gr.anchor] = append(own[gr.anchor], gr.size)
			continue
		}
		parts := slices.Clone(gr.parts)
		d := planDraft{kind: GroupPooled, host: -1, seq: g, parts: parts}
		d.meet, d.maxDist, _ = b.meeting(parts)
		d.key = d.meet
		b.drafts = append(b.drafts, d)
	}
	for _, m := range hosts {
		sizes := own[m]
		total := 0
		for _, n := range sizes {
			total += n
		}
		c := len(sizes)
		for x := range c {
			n := total / c
			if x < total%c {
				n++
			}
			b.drafts = append(b.drafts, planDraft{kind: GroupOwn, host: m, key: m, seq: x, meet: m, parts: []planPart{{m, n}}})
		}
	}
	b.poolReasons(p)
}

// poolReasons writes each on-site group's reason.
func (b *planBuilder) poolReasons(p *pooler) {
	ks := b.ks
	ownSizes := map[int][]int{}
	pooledPersons := map[int]int{}
	for _, d := range b.drafts {
		if d.kind == GroupOwn {
			ownSizes[d.host] = append(ownSizes[d.host], d.parts[0].persons)
		} else {
			for _, pt := range d.parts {
				pooledPersons[pt.kom] += pt.persons
			}
		}
	}
	for x := range b.drafts {
		d := &b.drafts[x]
		if d.kind == GroupOwn {
			k := &ks[d.host]
			d.reason = "eigene Gruppe: " + planPersons(k.onsite) + " in " + k.name
			if s := ownSizes[d.host]; len(s) > 1 || pooledPersons[d.host] > 0 || p.left[d.host] > 0 {
				d.reason += " → " + planJoinSizes(s)
			}
			if n := pooledPersons[d.host]; n > 0 {
				d.reason += fmt.Sprintf(", %d in gepoolten Gruppen", n)
			}
			if n := p.left[d.host]; n > 0 {
				d.reason += fmt.Sprintf(", %d ohne Gruppe", n)
			}
			continue
		}
		var mp planPart
		for _, pt := range d.parts {
			if pt.kom == d.meet {
				mp = pt
			}
		}
		d.reason = fmt.Sprintf("gepoolt: %s (%d) mit %s, %s", ks[d.meet].name, mp.persons, b.partsText(d.parts, d.meet), planDistanceText(len(d.parts)-1, d.maxDist))
	}
}

// poolUnplaced reports the on-site persons in no group, each with its
// reason, and notes Kommunen with few neighbours.
func (b *planBuilder) poolUnplaced(p *pooler, order []int) {
	ks, pr := b.ks, b.p
	r := planNum(pr.RadiusKm)
	inPooled := make([]bool, len(ks))
	for _, d := range b.drafts {
		if d.kind == GroupPooled {
			for _, pt := range d.parts {
				inPooled[pt.kom] = true
			}
		}
	}
	for _, i := range order {
		k := &ks[i]
		if k.geoOK && (inPooled[i] || p.left[i] > 0) {
			if c := len(k.nb); c > 0 && c <= planFewNeighbours {
				b.notes = append(b.notes, b.fewNeighboursNote(i))
			}
		}
	}
	slices.Sort(order)
	for _, i := range order {
		n := p.left[i]
		if n == 0 {
			continue
		}
		k := &ks[i]
		near := 0
		for _, o := range p.nb[i] {
			near += ks[o.j].onsite
		}
		var why string
		switch {
		case !k.geoOK:
			why = fmt.Sprintf("keine gültigen Koordinaten, und allein passen %s nicht in Gruppen von %d bis %d", planPersons(k.onsite), pr.GroupMin, pr.GroupMax)
		case len(k.nb) == 0:
			why = "keine Nachbarkommune im Umkreis von " + r + " km"
			if k.onsite >= pr.GroupMin {
				why += fmt.Sprintf(", und allein passen %s nicht in Gruppen von %d bis %d", planPersons(k.onsite), pr.GroupMin, pr.GroupMax)
			}
		case len(p.nb[i]) == 1:
			why = fmt.Sprintf("im Umkreis von %s km (%s) niemand sonst vor Ort, und allein passen %s nicht in Gruppen von %d bis %d", r, b.neighbourList(i, 3), planPersons(k.onsite), pr.GroupMin, pr.GroupMax)
		case near < pr.GroupMin:
			why = fmt.Sprintf("im Umkreis von %s km (%s) zusammen nur %s vor Ort (Mindestgröße %d)", r, b.neighbourList(i, 3), planPersons(near), pr.GroupMin)
		default:
			why = fmt.Sprintf("im Umkreis von %s km (%s) sind die Gruppen voll, und für eine weitere Gruppe fehlen Personen", r, b.neighbourList(i, 3))
		}
		who := planPersons(n)
		if n < k.onsite {
			who += fmt.Sprintf(" (von %d vor Ort)", k.onsite)
		}
		b.unplaced = append(b.unplaced, UnplacedPersons{AGS: k.in.AGS, Name: k.name, Persons: n,
			Reason: k.name + ": " + who + ", " + why + " — nicht gruppiert"})
	}
}
