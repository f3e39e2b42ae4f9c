package analysis

// Uptake against need (issue 20, item 7): per Kommune and module the need
// from the survey (the plan's own figures: a Kommune's persons for group
// supervision, its interested staff per training module), the seats
// offered, booked, attended and waiting; per supervision group the
// continuity; and the cost of the offers against the plan. Pure: the
// counts come from the store (survey.UptakeData), the need from the
// decisive plan. The definitions are in docs/evaluation.md, "Uptake".

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"bedarf/survey"
)

// SupervisionModule is the module id of group supervision in the uptake's
// rows (training modules use their own ids).
const SupervisionModule = "supervision"

// UptakeFigures are the counts of one Kommune and module, or their sum.
type UptakeFigures struct {
	// Need is the plan's figure: persons for group supervision, interested
	// staff for a training module.
	Need int
	// Offered: group seats of the Kommune in offers not cancelled; for
	// training the seats reserved for it on scheduled dates (a module's
	// total is the places of its scheduled dates instead).
	Offered int
	// Booked counts bookings that take a place (booked or attended);
	// Attended those attended (training) or the group participants present
	// at one session at least; Waiting those on a waiting list.
	Booked, Attended, Waiting int
}

func (f *UptakeFigures) add(g UptakeFigures) {
	f.Need += g.Need
	f.Offered += g.Offered
	f.Booked += g.Booked
	f.Attended += g.Attended
	f.Waiting += g.Waiting
}

// UptakeRow is one Kommune's figures for one module.
type UptakeRow struct {
	AGS, Name string
	// Module is SupervisionModule or a training module's id; Label its
	// name.
	Module, Label string
	UptakeFigures
}

// ModuleUptake sums a module's rows (Offered: see UptakeFigures).
type ModuleUptake struct {
	Module, Label string
	UptakeFigures
}

// GroupUptake is the continuity of one supervision group (offer).
type GroupUptake struct {
	OfferID int64
	Title   string
	// Participants are the booked members; Held the scheduled sessions
	// that ended by the evaluation's time; Attended the sessions attended,
	// summed over the participants.
	Participants, Held, Attended int
}

// Continuity returns Attended / (Participants × Held), the mean share of
// the sessions held that a participant attended, and false while nothing
// was held or nobody booked.
func (g GroupUptake) Continuity() (float64, bool) {
	if g.Participants == 0 || g.Held == 0 {
		return 0, false
	}
	return float64(g.Attended) / float64(g.Participants*g.Held), true
}

// UptakeCost sets an offer (or a plan item without one) against the plan:
// PlannedCents is the plan's cost, OfferCents the offer's gross cost with
// its provider (undated sessions at the offer's length), HeldCents the
// gross cost of its dates held so far.
type UptakeCost struct {
	Kind                                survey.OfferKind
	Label                               string
	PlannedCents, OfferCents, HeldCents int64
	NoProvider                          bool
}

// Uptake is a round's uptake against its need.
type Uptake struct {
	// Rows are by Kommune (AGS) and module (supervision first, then the
	// training modules in plan order); a row for every Kommune and module
	// with a need or any count.
	Rows    []UptakeRow
	Modules []ModuleUptake
	Groups  []GroupUptake
	Costs   []UptakeCost
	// Total sums the modules; CostTotal the costs.
	Total     UptakeFigures
	CostTotal UptakeCost
	// At is the time "held" refers to.
	At time.Time
	// Offers counts the round's offers (cancelled ones too).
	Offers int
}

// UptakeOf computes the uptake of the round whose decisive plan is p from
// the store's counts d; dates that ended by now count as held.
func UptakeOf(p Plan, d survey.UptakeData, now time.Time) Uptake {
	u := Uptake{At: now, Offers: len(d.Offers)}
	names := map[string]string{}
	for ags, n := range d.Names {
		names[ags] = n
	}
	labels := map[string]string{SupervisionModule: "Gruppensupervision"}
	order := []string{SupervisionModule}
	rank := map[string]int{SupervisionModule: 0}
	module := func(id, label string) {
		if _, ok := labels[id]; !ok {
			labels[id] = cmp.Or(label, id)
			rank[id] = len(order)
			order = append(order, id)
		}
	}
	// A Kommune's figures by module rank: one lookup by AGS per count, and
	// the rows come out in order (AGS, then module) without a sort of
	// every row (24,000 at 10,800 Kommunen).
	rows := map[string][]*UptakeFigures{}
	row := func(ags, mod string) *UptakeFigures {
		module(mod, "")
		r := rank[mod]
		fs := rows[ags]
		if len(fs) <= r {
			fs = append(fs, make([]*UptakeFigures, r+1-len(fs))...)
			rows[ags] = fs
		}
		if fs[r] == nil {
			fs[r] = &UptakeFigures{}
		}
		return fs[r]
	}
	for _, k := range p.Kommunen {
		names[k.AGS] = k.Name
		if k.Persons > 0 {
			row(k.AGS, SupervisionModule).Need += k.Persons
		}
	}
	for _, t := range p.Training {
		module(t.ModuleID, t.Label)
		for _, k := range t.ByKommune {
			names[k.AGS] = cmp.Or(names[k.AGS], k.Name)
			row(k.AGS, t.ModuleID).Need += k.Count
		}
	}
	offers := map[int64]survey.Offer{}
	dates := map[int64]survey.OfferDate{}
	capacity := map[string]int{}
	for _, o := range d.Offers {
		if o.Status == survey.OfferCancelled {
			continue
		}
		offers[o.ID] = o
		mod := SupervisionModule
		if o.Kind == survey.OfferTraining {
			mod = o.ModuleID
			module(mod, o.Title)
		}
		for _, m := range o.Members {
			names[m.AGS] = cmp.Or(names[m.AGS], m.Name)
			row(m.AGS, mod).Offered += m.Seats
		}
		for _, dt := range o.ScheduledDates() {
			dates[dt.ID] = dt
			if o.Kind == survey.OfferTraining {
				capacity[mod] += dt.Capacity
			}
		}
	}
	moduleOf := func(offerID int64) (string, bool) {
		o, ok := offers[offerID]
		if !ok {
			return "", false
		}
		if o.Kind == survey.OfferTraining {
			return o.ModuleID, true
		}
		return SupervisionModule, true
	}
	dateOffer := map[int64]int64{}
	for _, o := range offers {
		for _, dt := range o.ScheduledDates() {
			dateOffer[dt.ID] = o.ID
		}
	}
	for _, r := range d.Reservations {
		if mod, ok := moduleOf(dateOffer[r.DateID]); ok {
			row(r.AGS, mod).Offered += r.Seats
		}
	}
	for _, c := range d.Counts {
		mod, ok := moduleOf(c.OfferID)
		if !ok {
			continue
		}
		if _, dated := dates[c.DateID]; c.DateID != 0 && !dated {
			continue // a cancelled date
		}
		f := row(c.AGS, mod)
		switch c.Status {
		case survey.BookingBooked:
			f.Booked += c.N
		case survey.BookingAttended:
			f.Booked += c.N
			if mod != SupervisionModule {
				f.Attended += c.N
			}
		case survey.BookingWaiting:
			f.Waiting += c.N
		}
	}
	groups := map[int64]*GroupUptake{}
	for _, o := range d.Offers {
		if o.Status == survey.OfferCancelled || o.Kind != survey.OfferGroup {
			continue
		}
		g := &GroupUptake{OfferID: o.ID, Title: o.Title}
		for _, dt := range o.ScheduledDates() {
			if !dt.End.After(now) {
				g.Held++
			}
		}
		groups[o.ID] = g
	}
	for _, pr := range d.Presence {
		g := groups[pr.OfferID]
		if g == nil {
			continue
		}
		g.Participants++
		g.Attended += pr.Sessions
		if pr.Sessions > 0 {
			row(pr.AGS, SupervisionModule).Attended++
		}
	}
	for _, o := range d.Offers {
		if g := groups[o.ID]; g != nil {
			u.Groups = append(u.Groups, *g)
		}
	}
	agsList := make([]string, 0, len(rows))
	for ags := range rows {
		agsList = append(agsList, ags)
	}
	slices.Sort(agsList)
	sums := make([]*UptakeFigures, len(order))
	for _, ags := range agsList {
		for r, f := range rows[ags] {
			if f == nil {
				continue
			}
			m := order[r]
			u.Rows = append(u.Rows, UptakeRow{AGS: ags, Name: cmp.Or(names[ags], ags), Module: m, Label: labels[m], UptakeFigures: *f})
			if sums[r] == nil {
				sums[r] = &UptakeFigures{}
			}
			sums[r].add(*f)
		}
	}
	for r, m := range order {
		s := sums[r]
		if s == nil {
			continue
		}
		if m != SupervisionModule {
			s.Offered = capacity[m]
		}
		u.Modules = append(u.Modules, ModuleUptake{Module: m, Label: labels[m], UptakeFigures: *s})
		u.Total.add(*s)
	}
	u.Costs, u.CostTotal = uptakeCosts(p, d, now)
	return u
}

// uptakeCosts sets the offers' costs against the plan (Compare's rows) and
// adds the cost of the dates held by now.
func uptakeCosts(p Plan, d survey.UptakeData, now time.Time) ([]UptakeCost, UptakeCost) {
	cmpn := Compare(p, d.Offers, d.Providers)
	prov := map[int64]*survey.Provider{}
	for i := range d.Providers {
		prov[d.Providers[i].ID] = &d.Providers[i]
	}
	byID := map[int64]survey.Offer{}
	for _, o := range d.Offers {
		byID[o.ID] = o
	}
	var out []UptakeCost
	var total UptakeCost
	for _, r := range cmpn.Rows {
		c := UptakeCost{Kind: r.Kind, Label: cmp.Or(r.OfferTitle, r.Label), PlannedCents: r.PlannedCost, OfferCents: r.Cost.Gross, NoProvider: r.OfferID != 0 && !r.Cancelled && r.Cost.NoProvider}
		if o, ok := byID[r.OfferID]; ok && !r.Cancelled {
			held := o
			held.Dates = nil
			for _, dt := range o.ScheduledDates() {
				if !dt.End.After(now) {
					held.Dates = append(held.Dates, dt)
				}
			}
			held.Sessions = len(held.Dates)
			c.HeldCents = CostOf(held, prov[o.ProviderID]).Gross
		}
		out = append(out, c)
		total.PlannedCents += c.PlannedCents
		total.OfferCents += c.OfferCents
		total.HeldCents += c.HeldCents
	}
	total.Label = "Summe"
	return out, total
}

// UptakeSource is what the uptake reads from storage besides the plan;
// *store.Store satisfies it. A Service whose Source is also an
// UptakeSource computes uptake (Service.Uptake) and gives the workbook of
// a round with offers its Umsetzung sheet.
type UptakeSource interface {
	// UptakeData returns the round's offers, providers and the counts of
	// its bookings, reservations and attendance (survey.UptakeData).
	UptakeData(ctx context.Context, roundID int64) (survey.UptakeData, error)
}

// ErrNoOffers is Service.Uptake's error when its Source keeps no offers.
var ErrNoOffers = errors.New("Umsetzung: die Datenquelle führt keine Angebote")

// Uptake computes the round's uptake against the need of its decisive
// plan (cached by the data version), with the counts read now.
func (s *Service) Uptake(ctx context.Context, round survey.Round, now time.Time) (Uptake, error) {
	u, _, err := s.uptake(ctx, round, now)
	return u, err
}

// uptake is Uptake, also telling whether the round has offers.
func (s *Service) uptake(ctx context.Context, round survey.Round, now time.Time) (Uptake, bool, error) {
	src, ok := s.src.(UptakeSource)
	if !ok {
		return Uptake{}, false, ErrNoOffers
	}
	rp, err := s.RoundPlans(ctx, round, false)
	if err != nil {
		return Uptake{}, false, fmt.Errorf("uptake of round %d: %w", round.ID, err)
	}
	d, err := src.UptakeData(ctx, round.ID)
	if err != nil {
		return Uptake{}, false, fmt.Errorf("uptake of round %d: %w", round.ID, err)
	}
	u := UptakeOf(rp.Decisive().Plan, d, now)
	return u, u.Offers > 0, nil
}

// uptakeOfRound returns the round's uptake when it has offers (nil when it
// has none or the source keeps none).
func (s *Service) uptakeOfRound(ctx context.Context, round survey.Round, now time.Time) (*Uptake, error) {
	u, any, err := s.uptake(ctx, round, now)
	if errors.Is(err, ErrNoOffers) || err == nil && !any {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// NeedByModule returns the plan's need per module of the uptake, in the
// uptake's order: group supervision (the persons), then each training
// module (its interested staff).
func NeedByModule(p Plan) []ModuleUptake {
	out := []ModuleUptake{{Module: SupervisionModule, Label: "Gruppensupervision"}}
	for _, k := range p.Kommunen {
		out[0].Need += k.Persons
	}
	for _, t := range p.Training {
		out = append(out, ModuleUptake{Module: t.ModuleID, Label: t.Label, UptakeFigures: UptakeFigures{Need: t.Participants}})
	}
	return out
}

// ModuleBeside is a module's uptake in the previous round beside its need
// in this one.
type ModuleBeside struct {
	Module, Label string
	Previous      UptakeFigures
	Need          int
}

// UptakeBeside sets the previous round's uptake per module beside this
// round's need per module (NeedByModule): the previous round's modules in
// its order, then modules new in this round with a need.
func UptakeBeside(prev *Uptake, need []ModuleUptake) []ModuleBeside {
	var out []ModuleBeside
	now := map[string]int{}
	for _, n := range need {
		now[n.Module] = n.Need
	}
	seen := map[string]bool{}
	for _, m := range prev.Modules {
		seen[m.Module] = true
		out = append(out, ModuleBeside{Module: m.Module, Label: m.Label, Previous: m.UptakeFigures, Need: now[m.Module]})
	}
	for _, n := range need {
		if !seen[n.Module] && n.Need > 0 {
			out = append(out, ModuleBeside{Module: n.Module, Label: n.Label, Need: n.Need})
		}
	}
	return out
}
