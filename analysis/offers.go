package analysis

// From plan to offers (issue 20): the plan's supervision groups and
// training modules as plan items, draft offers made from them, the diff
// between the plan and the offers made earlier (so turning the plan into
// offers again never duplicates), the comparison of plan and offers, and
// the offers' costs. Pure: no I/O; the store keeps the offers and the web
// shows them.
//
// Money of offers is integer cents. An offer's cost: per scheduled date the
// provider's fee (per hour: fee × the date's minutes / 60; per day: fee ×
// 1), rounded half away from zero to the cent, plus the travel allowance
// for dates that meet on site; planned sessions not yet dated (sessions −
// scheduled dates) count the same at the offer's session length; VAT once
// on the offer's net sum (net × rate, rounded half away from zero), as an
// invoice computes it.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"bedarf/survey"
)

// TrainingDayMinutes is the length of a training day made from the plan
// (7 hours; staff change it per offer or date).
const TrainingDayMinutes = 7 * 60

// PlanSeat is a Kommune's number of persons in a plan item.
type PlanSeat struct {
	AGS, Name string
	Seats     int
}

// PlanItem is one item of a plan that becomes one offer: a supervision
// group or a training module. An offer keeps the item it was made from as
// its snapshot (Snapshot), which the diff compares with the current plan.
type PlanItem struct {
	Kind survey.OfferKind
	// PlanID is the group's id in the plan ("G03") or the module's id.
	PlanID string
	// Label is the module's label, or the group's meeting place ("online"
	// for online groups).
	Label string
	// Seats are the group's members, or the module's participants per
	// Kommune, by AGS.
	Seats  []PlanSeat
	Online bool
	// MeetingAGS is where a group meets (empty online).
	MeetingAGS string
	// Sessions are the group's sessions per year or the module's days;
	// SessionMinutes their length.
	Sessions, SessionMinutes int
	// Capacity is the places per training day (training only).
	Capacity int
	// CostCents is the plan's cost of the item, gross (groups) or as
	// planned (training, no VAT), in cents.
	CostCents int64
}

// Total returns the sum of the item's seats.
func (it PlanItem) Total() int {
	n := 0
	for _, s := range it.Seats {
		n += s.Seats
	}
	return n
}

// Key returns the plan key an offer made from the item gets first
// ("group:G03", "module:asyl").
func (it PlanItem) Key() string {
	if it.Kind == survey.OfferTraining {
		return "module:" + it.PlanID
	}
	return "group:" + it.PlanID
}

// Snapshot returns the item as JSON for the offer's snapshot.
func (it PlanItem) Snapshot() []byte {
	b, _ := json.Marshal(it) // plain data: never fails
	return b
}

// ParseSnapshot reads an offer's snapshot (false when the offer has none or
// it is unreadable: then the offer counts as made by hand).
func ParseSnapshot(b []byte) (PlanItem, bool) {
	var it PlanItem
	if len(b) == 0 || json.Unmarshal(b, &it) != nil || it.PlanID == "" {
		return PlanItem{}, false
	}
	return it, true
}

func cents(eur float64) int64 {
	c, _ := planCents(eur)
	return c
}

// PlanItems returns the plan's groups (in plan order) and training modules
// with participants, as plan items.
func PlanItems(p Plan) []PlanItem {
	var out []PlanItem
	minutes := int(p.Params.HoursPerSession*60 + 0.5)
	for _, g := range p.Groups {
		it := PlanItem{Kind: survey.OfferGroup, PlanID: g.ID, Label: g.MeetingName, Online: g.Online(), MeetingAGS: g.MeetingAGS,
			Sessions: g.Sessions, SessionMinutes: minutes, CostCents: cents(g.GrossCost)}
		if it.Online {
			it.Label = "online"
		}
		for _, m := range g.Members {
			it.Seats = append(it.Seats, PlanSeat{AGS: m.AGS, Name: m.Name, Seats: m.Persons})
		}
		out = append(out, it)
	}
	for _, t := range p.Training {
		if t.Participants == 0 {
			continue
		}
		it := PlanItem{Kind: survey.OfferTraining, PlanID: t.ModuleID, Label: t.Label, Sessions: t.Days,
			SessionMinutes: TrainingDayMinutes, Capacity: p.Params.TrainingMaxPerDay, CostCents: cents(t.Cost)}
		for _, k := range t.ByKommune {
			it.Seats = append(it.Seats, PlanSeat{AGS: k.AGS, Name: k.Name, Seats: k.Count})
		}
		out = append(out, it)
	}
	return out
}

// Schedule says where the training days made from the plan go: the first
// on FirstDay, one a week after it, from 09:00 for TrainingDayMinutes
// (Berlin time). Staff move them afterwards.
type Schedule struct {
	FirstDay time.Time
}

// day returns the i-th training date of the schedule.
func (sc Schedule) day(i, minutes, capacity int) survey.OfferDate {
	y, m, d := sc.FirstDay.Date()
	start := time.Date(y, m, d+7*i, 9, 0, 0, 0, survey.Berlin())
	return survey.OfferDate{Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Capacity: capacity, Status: survey.DateScheduled}
}

// draftOffer makes the offer of a plan item with the given key: groups
// without dates (staff set them), training with one date per planned day;
// each with the default content text of its module or of supervision.
func draftOffer(it PlanItem, key string, sc Schedule) survey.Offer {
	o := survey.Offer{Kind: it.Kind, PlanKey: key, PlanSnapshot: it.Snapshot(), Online: it.Online, MeetingAGS: it.MeetingAGS,
		Sessions: it.Sessions, SessionMinutes: it.SessionMinutes, Capacity: it.Capacity, Status: survey.OfferDraft}
	// What the offer covers: the default of its module or of supervision
	// (staff edit it), printed on the attendance certificates.
	o.OfferContent = survey.DefaultOfferContent(it.Kind, it.PlanID)
	if it.Kind == survey.OfferGroup {
		o.Title = "Supervisionsgruppe " + it.PlanID
		if it.Label != "" {
			o.Title += " (" + it.Label + ")"
		}
		if !it.Online {
			o.Place = it.Label
		}
		for _, s := range it.Seats {
			o.Members = append(o.Members, survey.OfferMember{AGS: s.AGS, Name: s.Name, Seats: s.Seats})
		}
		return o
	}
	o.Title, o.ModuleID = it.Label, it.PlanID
	for i := range it.Sessions {
		o.Dates = append(o.Dates, sc.day(i, it.SessionMinutes, it.Capacity))
	}
	return o
}

// DiffKind says how a plan item differs from the offers.
type DiffKind string

// The kinds of difference.
const (
	// DiffAdded: the plan has an item no offer was made from.
	DiffAdded DiffKind = "added"
	// DiffChanged: the item changed since its offer was made or last
	// updated from the plan.
	DiffChanged DiffKind = "changed"
	// DiffRemoved: the plan no longer has the item an offer was made from.
	DiffRemoved DiffKind = "removed"
)

// FieldChange is one changed figure of a plan item: Field is "seats" (a
// Kommune's seats; AGS and Name set), "sessions", "minutes", "capacity",
// "online" or "meeting"; Old and New are the values as text.
type FieldChange struct {
	Field     string
	AGS, Name string
	Old, New  string
}

// DiffItem is one difference between the plan and the offers.
type DiffItem struct {
	// ID names the item in a form: "add:group:G05", "change:12",
	// "remove:12".
	ID   string
	Kind DiffKind
	// Item is the plan's current item (Added, Changed); Old the offer's
	// snapshot (Changed, Removed).
	Item, Old PlanItem
	// OfferID and OfferTitle name the offer (Changed, Removed).
	OfferID    int64
	OfferTitle string
	// Changes lists what changed (Changed).
	Changes []FieldChange
}

// OfferDiff is what turning the plan into offers would change.
type OfferDiff struct {
	Items []DiffItem
	// Unchanged counts plan items whose offers are up to date (or
	// cancelled by staff).
	Unchanged int
	// Base is the offer revision the diff was computed from.
	Base int64
}

// match pairs the plan's items with the offers made from the plan: modules
// by id; groups by the most shared seats (Σ min per Kommune) between the
// item and the offer's snapshot, online with online only, the pair with
// most shared seats first, ties to the lower offer id and plan order. It
// returns the offer index per item (-1: none) and the snapshots.
func match(items []PlanItem, offers []survey.Offer) ([]int, map[int]PlanItem) {
	snaps := map[int]PlanItem{}
	for i, o := range offers {
		if o.PlanKey == "" {
			continue
		}
		if it, ok := ParseSnapshot(o.PlanSnapshot); ok && it.Kind == o.Kind {
			snaps[i] = it
		}
	}
	var pairs []matchPair
	// Candidates come from indexes rather than from every item against
	// every snapshot (quadratic: 12 s for 10,800 Kommunen): trainings by
	// plan id, groups by the Kommunen they share (and online with online).
	// The pairs are the same as the full scan's, and their order is the
	// sort's alone.
	type seatsIn struct{ snap, seats int }
	type groupKey struct {
		online bool
		ags    string
	}
	trainings := map[string][]int{}
	bySeat := map[groupKey][]seatsIn{}
	for j, snap := range snaps {
		if snap.Kind == survey.OfferTraining {
			trainings[snap.PlanID] = append(trainings[snap.PlanID], j)
			continue
		}
		total := map[string]int{} // as sharedSeats: a snapshot's seats per Kommune
		for _, st := range snap.Seats {
			total[st.AGS] += st.Seats
		}
		for ags, n := range total {
			k := groupKey{snap.Online, ags}
			bySeat[k] = append(bySeat[k], seatsIn{j, n})
		}
	}
	score := map[int]int{}
	for i, it := range items {
		if it.Kind == survey.OfferTraining {
			for _, j := range trainings[it.PlanID] {
				pairs = append(pairs, matchPair{i, j, 1 << 30})
			}
			continue
		}
		clear(score)
		for _, st := range it.Seats {
			for _, c := range bySeat[groupKey{it.Online, st.AGS}] {
				score[c.snap] += min(st.Seats, c.seats)
			}
		}
		for j, sc := range score {
			if sc > 0 && snaps[j].Kind == it.Kind {
				pairs = append(pairs, matchPair{i, j, sc})
			}
		}
	}
	return assignPairs(pairs, len(items), offers), snaps
}

// matchPair is a candidate pairing of a plan item with an offer (by
// index) and its score: the seats they share, or 1<<30 for a module.
type matchPair struct{ item, offer, score int }

// assignPairs takes the candidates best first (the higher score, then the
// lower offer id, then plan order), each item and each offer at most once,
// and returns the offer index per item (-1: none).
func assignPairs(pairs []matchPair, items int, offers []survey.Offer) []int {
	slices.SortFunc(pairs, func(a, b matchPair) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(offers[a.offer].ID, offers[b.offer].ID), cmp.Compare(a.item, b.item))
	})
	pairOf := make([]int, items)
	for i := range pairOf {
		pairOf[i] = -1
	}
	taken := map[int]bool{}
	for _, p := range pairs {
		if pairOf[p.item] >= 0 || taken[p.offer] {
			continue
		}
		pairOf[p.item], taken[p.offer] = p.offer, true
	}
	return pairOf
}

func sharedSeats(a, b []PlanSeat) int {
	m := map[string]int{}
	for _, s := range b {
		m[s.AGS] += s.Seats
	}
	n := 0
	for _, s := range a {
		n += min(s.Seats, m[s.AGS])
	}
	return n
}

// changes lists what differs between an offer's snapshot and the item.
func changes(old, it PlanItem) []FieldChange {
	var out []FieldChange
	num := func(field string, a, b int) {
		if a != b {
			out = append(out, FieldChange{Field: field, Old: strconv.Itoa(a), New: strconv.Itoa(b)})
		}
	}
	seats := map[string]PlanSeat{}
	for _, s := range old.Seats {
		seats[s.AGS] = s
	}
	now := map[string]PlanSeat{}
	for _, s := range it.Seats {
		now[s.AGS] = s
	}
	for _, ags := range slices.Sorted(maps.Keys(mapUnion(seats, now))) {
		a, b := seats[ags], now[ags]
		if a.Seats != b.Seats {
			name := cmp.Or(b.Name, a.Name)
			out = append(out, FieldChange{Field: "seats", AGS: ags, Name: name, Old: strconv.Itoa(a.Seats), New: strconv.Itoa(b.Seats)})
		}
	}
	num("sessions", old.Sessions, it.Sessions)
	num("minutes", old.SessionMinutes, it.SessionMinutes)
	num("capacity", old.Capacity, it.Capacity)
	if old.Online != it.Online {
		out = append(out, FieldChange{Field: "online", Old: strconv.FormatBool(old.Online), New: strconv.FormatBool(it.Online)})
	}
	if old.MeetingAGS != it.MeetingAGS {
		out = append(out, FieldChange{Field: "meeting", Old: old.Label, New: it.Label})
	}
	return out
}

func mapUnion[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// DiffPlan compares the plan with the round's offers (read at revision
// base): plan items without an offer (added), items changed since their
// offer took them over (changed; not for offers staff cancelled), and
// offers whose item the plan no longer has (removed; not for cancelled
// ones). Offers made by hand take no part. On the first run every item is
// added; right after applying everything the diff is empty.
func DiffPlan(p Plan, offers []survey.Offer, base int64) OfferDiff {
	items := PlanItems(p)
	pairOf, snaps := match(items, offers)
	d := OfferDiff{Base: base}
	used := map[int]bool{}
	for i, it := range items {
		j := pairOf[i]
		if j < 0 {
			d.Items = append(d.Items, DiffItem{ID: "add:" + it.Key(), Kind: DiffAdded, Item: it})
			continue
		}
		used[j] = true
		o := offers[j]
		ch := changes(snaps[j], it)
		if len(ch) == 0 || o.Status == survey.OfferCancelled {
			d.Unchanged++
			continue
		}
		d.Items = append(d.Items, DiffItem{ID: "change:" + strconv.FormatInt(o.ID, 10), Kind: DiffChanged, Item: it, Old: snaps[j],
			OfferID: o.ID, OfferTitle: o.Title, Changes: ch})
	}
	for j, snap := range snaps {
		o := offers[j]
		if used[j] || o.Status == survey.OfferCancelled {
			continue
		}
		d.Items = append(d.Items, DiffItem{ID: "remove:" + strconv.FormatInt(o.ID, 10), Kind: DiffRemoved, Old: snap, OfferID: o.ID, OfferTitle: o.Title})
	}
	slices.SortStableFunc(d.Items, func(a, b DiffItem) int {
		return cmp.Or(cmp.Compare(kindOrder(a), kindOrder(b)), cmp.Compare(a.OfferID, b.OfferID))
	})
	return d
}

func kindOrder(it DiffItem) int {
	return map[DiffKind]int{DiffAdded: 0, DiffChanged: 1, DiffRemoved: 2}[it.Kind]
}

// Changes returns the store's changes for the diff's items with the given
// ids (all when selected is nil): new offers for added items (training
// dates by sc; a group's key gets a suffix when an offer already holds
// it), the plan's figures for changed ones (more planned training days add
// dates after the last one; fewer leave the dates for staff to cancel), and
// cancellation for removed ones. Unknown ids are refused (false).
func (d OfferDiff) Changes(offers []survey.Offer, selected []string, sc Schedule) (survey.OfferPlanChanges, bool) {
	var ch survey.OfferPlanChanges
	want := map[string]bool{}
	for _, id := range selected {
		if !slices.ContainsFunc(d.Items, func(it DiffItem) bool { return it.ID == id }) {
			return ch, false
		}
		want[id] = true
	}
	keys := map[string]bool{}
	for _, o := range offers {
		keys[o.PlanKey] = true
	}
	for _, it := range d.Items {
		if selected != nil && !want[it.ID] {
			continue
		}
		switch it.Kind {
		case DiffAdded:
			key := it.Item.Key()
			for n := 2; keys[key]; n++ {
				key = fmt.Sprintf("%s-%d", it.Item.Key(), n)
			}
			keys[key] = true
			ch.Create = append(ch.Create, draftOffer(it.Item, key, sc))
		case DiffChanged:
			u := survey.OfferUpdate{ID: it.OfferID, PlanSnapshot: it.Item.Snapshot(), Sessions: it.Item.Sessions,
				SessionMinutes: it.Item.SessionMinutes, Capacity: it.Item.Capacity, Online: it.Item.Online, MeetingAGS: it.Item.MeetingAGS}
			for _, s := range it.Item.Seats {
				u.Members = append(u.Members, survey.OfferMember{AGS: s.AGS, Name: s.Name, Seats: s.Seats})
			}
			if it.Item.Kind == survey.OfferTraining {
				i := slices.IndexFunc(offers, func(o survey.Offer) bool { return o.ID == it.OfferID })
				if i >= 0 {
					u.AddDates = moreDays(offers[i], it.Item, sc)
				}
			}
			ch.Update = append(ch.Update, u)
		case DiffRemoved:
			ch.Cancel = append(ch.Cancel, it.OfferID)
		}
	}
	return ch, true
}

// moreDays returns the dates a training offer needs for the item's days:
// weekly after its last scheduled date (or by sc when it has none).
func moreDays(o survey.Offer, it PlanItem, sc Schedule) []survey.OfferDate {
	have := o.ScheduledDates()
	var out []survey.OfferDate
	for i := len(have); i < it.Sessions; i++ {
		if len(have) == 0 {
			out = append(out, sc.day(i, it.SessionMinutes, it.Capacity))
			continue
		}
		last := have[len(have)-1]
		n := i - len(have) + 1
		out = append(out, survey.OfferDate{Start: last.Start.AddDate(0, 0, 7*n), End: last.End.AddDate(0, 0, 7*n), Place: last.Place, Capacity: it.Capacity, Status: survey.DateScheduled})
	}
	return out
}

// OfferCost is what an offer costs with its provider, in cents.
type OfferCost struct {
	// Dated is the net cost of the scheduled dates, Undated that of the
	// planned sessions not yet dated (UndatedSessions of them).
	Dated, Undated  int64
	UndatedSessions int
	// Net = Dated + Undated; VAT = Net × rate, rounded; Gross = Net + VAT.
	Net, VAT, Gross int64
	// NoProvider: the offer has no provider yet (all zero).
	NoProvider bool
}

// roundDiv returns a / b rounded half away from zero (b > 0).
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (2*a + b) / (2 * b)
}

// sessionCost returns the net cents of one session or day of the length.
func sessionCost(p survey.Provider, minutes int, onSite bool) int64 {
	c := p.FeeCents
	if p.FeeUnit == survey.FeePerHour {
		c = roundDiv(p.FeeCents*int64(minutes), 60)
	}
	if onSite {
		c += p.TravelCents
	}
	return c
}

// CostOf returns an offer's cost with its provider (nil: none yet),
// following its scheduled dates (see the head of this file).
func CostOf(o survey.Offer, p *survey.Provider) OfferCost {
	if p == nil {
		return OfferCost{NoProvider: true}
	}
	var c OfferCost
	if o.Status == survey.OfferCancelled {
		return c
	}
	dated := o.ScheduledDates()
	for _, d := range dated {
		c.Dated += sessionCost(*p, d.Minutes(), !o.Online)
	}
	c.UndatedSessions = max(0, o.Sessions-len(dated))
	c.Undated = int64(c.UndatedSessions) * sessionCost(*p, o.SessionMinutes, !o.Online)
	c.Net = c.Dated + c.Undated
	c.VAT = roundDiv(c.Net*int64(p.VATBasisPoints), 10000)
	c.Gross = c.Net + c.VAT
	return c
}

// ComparisonRow sets one plan item against its offer, or an offer made by
// hand against nothing planned.
type ComparisonRow struct {
	Kind survey.OfferKind
	// PlanID names the plan item ("" for offers made by hand); Label its
	// meeting place or module.
	PlanID, Label string
	// OfferID and OfferTitle name the offer (0: none made yet).
	OfferID    int64
	OfferTitle string
	Cancelled  bool
	// Planned and Offered seats: group members, or a module's
	// participants against the places of its scheduled dates.
	PlannedSeats, OfferedSeats int
	// PlannedSessions are the plan's sessions or days, OfferedSessions the
	// offer's, Dated its scheduled dates.
	PlannedSessions, OfferedSessions, Dated int
	// PlannedCost is the plan's cost (cents, gross for groups); Cost the
	// offer's.
	PlannedCost int64
	Cost        OfferCost
}

// OfferComparison is the plan against the offers, with totals.
type OfferComparison struct {
	Rows []ComparisonRow
	// Totals sums the rows (cancelled offers count nothing offered).
	Totals ComparisonRow
	// MissingProvider counts offers (not cancelled) without a provider.
	MissingProvider int
}

// Compare sets the plan against the round's offers: a row per plan item
// (with the offer made from it, if any), then a row per offer made by
// hand, groups before training. Offers are matched to plan items as
// DiffPlan matches them.
func Compare(p Plan, offers []survey.Offer, providers []survey.Provider) OfferComparison {
	items := PlanItems(p)
	pairOf, _ := match(items, offers)
	prov := map[int64]*survey.Provider{}
	for i := range providers {
		prov[providers[i].ID] = &providers[i]
	}
	offered := func(o survey.Offer, r *ComparisonRow) {
		r.OfferID, r.OfferTitle, r.Cancelled = o.ID, o.Title, o.Status == survey.OfferCancelled
		if r.Cancelled {
			return
		}
		r.OfferedSessions, r.Dated = o.Sessions, len(o.ScheduledDates())
		if o.Kind == survey.OfferGroup {
			r.OfferedSeats = o.Seats()
		} else {
			for _, d := range o.ScheduledDates() {
				r.OfferedSeats += d.Capacity
			}
		}
		r.Cost = CostOf(o, prov[o.ProviderID])
	}
	var c OfferComparison
	used := map[int]bool{}
	for i, it := range items {
		r := ComparisonRow{Kind: it.Kind, PlanID: it.PlanID, Label: it.Label, PlannedSeats: it.Total(), PlannedSessions: it.Sessions, PlannedCost: it.CostCents}
		if j := pairOf[i]; j >= 0 {
			used[j] = true
			offered(offers[j], &r)
		}
		c.Rows = append(c.Rows, r)
	}
	for j, o := range offers {
		if used[j] {
			continue
		}
		r := ComparisonRow{Kind: o.Kind, Label: o.Title}
		if o.Kind == survey.OfferTraining {
			r.Label = o.ModuleID
		}
		offered(o, &r)
		c.Rows = append(c.Rows, r)
	}
	slices.SortStableFunc(c.Rows, func(a, b ComparisonRow) int {
		return strings.Compare(string(a.Kind), string(b.Kind)) // "group" before "training"
	})
	t := &c.Totals
	for _, r := range c.Rows {
		t.PlannedSeats += r.PlannedSeats
		t.OfferedSeats += r.OfferedSeats
		t.PlannedSessions += r.PlannedSessions
		t.OfferedSessions += r.OfferedSessions
		t.Dated += r.Dated
		t.PlannedCost += r.PlannedCost
		t.Cost.Dated += r.Cost.Dated
		t.Cost.Undated += r.Cost.Undated
		t.Cost.UndatedSessions += r.Cost.UndatedSessions
		t.Cost.Net += r.Cost.Net
		t.Cost.VAT += r.Cost.VAT
		t.Cost.Gross += r.Cost.Gross
		if r.OfferID != 0 && !r.Cancelled && r.Cost.NoProvider {
			c.MissingProvider++
		}
	}
	return c
}
