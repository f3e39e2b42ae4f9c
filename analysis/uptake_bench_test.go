package analysis

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"bedarf/survey"
)

// uptakeBenchData makes the offers of the plan p as staff would make them
// (DiffPlan on no offers), with ids, a provider each, and bookings: every
// group member names one participant per seat (half of them attended the
// first session), every training date is booked to its capacity by the
// module's Kommunen in turn and two more wait.
func uptakeBenchData(p Plan, now time.Time) survey.UptakeData {
	ch, _ := DiffPlan(p, nil, 0).Changes(nil, nil, Schedule{FirstDay: now.AddDate(0, 0, -7)})
	d := survey.UptakeData{Names: map[string]string{},
		Providers: []survey.Provider{{ID: 1, Kind: survey.ProviderSupervisor, FeeCents: 12000, FeeUnit: survey.FeePerHour, VATBasisPoints: 1900},
			{ID: 2, Kind: survey.ProviderTrainer, FeeCents: 120000, FeeUnit: survey.FeePerDay, VATExempt: true}}}
	need := map[string][]string{} // module → AGS with need
	for _, t := range p.Training {
		for _, k := range t.ByKommune {
			need[t.ModuleID] = append(need[t.ModuleID], k.AGS)
		}
	}
	var dateID, participant int64
	for i, o := range ch.Create {
		o.ID = int64(i + 1)
		o.Status = survey.OfferPublished
		o.ProviderID = 1
		if o.Kind == survey.OfferTraining {
			o.ProviderID = 2
		}
		for j := range o.Dates {
			dateID++
			o.Dates[j].ID, o.Dates[j].OfferID = dateID, o.ID
		}
		if o.Kind == survey.OfferGroup {
			for _, m := range o.Members {
				d.Counts = append(d.Counts, survey.BookingCount{OfferID: o.ID, AGS: m.AGS, Status: survey.BookingBooked, N: m.Seats})
				for s := range m.Seats {
					participant++
					d.Presence = append(d.Presence, survey.Presence{OfferID: o.ID, ParticipantID: participant, AGS: m.AGS, Sessions: s % 2})
				}
			}
		} else if ks := need[o.ModuleID]; len(ks) > 0 {
			for j, dt := range o.Dates {
				for n := range dt.Capacity + 2 {
					st := survey.BookingBooked
					if n >= dt.Capacity {
						st = survey.BookingWaiting
					}
					d.Counts = append(d.Counts, survey.BookingCount{OfferID: o.ID, DateID: dt.ID, AGS: ks[(j*dt.Capacity+n)%len(ks)], Status: st, N: 1})
				}
			}
		}
		d.Offers = append(d.Offers, o)
	}
	return d
}

// BenchmarkUptake computes the uptake (UptakeOf: the need per Kommune and
// module, offers, bookings, continuity and costs against the plan) for
// 1,080 and 10,800 Kommunen with the plan's offers and their bookings;
// the Umsetzung sheet written alone (WriteUptakeWorkbook) and Compare,
// which the costs use, also alone. Both must grow about linearly
// with the Kommunen (the time per Kommune about the same at both sizes):
// matching plan items with offers pair by pair was quadratic.
//
//	go test -run '^$' -bench BenchmarkUptake ./analysis/
func BenchmarkUptake(b *testing.B) {
	now := time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{1080, 10800} {
		p := Compute(planGermanyInput(n, 7), planModules, DefaultParams())
		d := uptakeBenchData(p, now)
		b.Run(fmt.Sprintf("UptakeOf/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u := UptakeOf(p, d, now)
				if len(u.Rows) == 0 {
					b.Fatal("no rows")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/kommune")
		})
		u := UptakeOf(p, d, now)
		b.Run(fmt.Sprintf("sheet/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteUptakeWorkbook(io.Discard, "Runde", &u); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Compare/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compare(p, d.Offers, d.Providers)
			}
		})
	}
}

// TestUptakeBenchData: the benchmark's offers match the plan one to one
// (Compare pairs every plan item with its offer), so that the benchmark
// measures the matching it is meant to.
func TestUptakeBenchData(t *testing.T) {
	now := time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC)
	p := Compute(planGermanyInput(540, 7), planModules, DefaultParams())
	d := uptakeBenchData(p, now)
	c := Compare(p, d.Offers, d.Providers)
	if len(c.Rows) != len(d.Offers) || len(d.Offers) == 0 {
		t.Fatalf("%d comparison rows for %d offers", len(c.Rows), len(d.Offers))
	}
	for _, r := range c.Rows {
		if r.PlanID == "" || r.OfferID == 0 {
			t.Errorf("row %+v not paired", r)
		}
	}
}

// matchScan is match as it was before its indexes: every item against
// every snapshot. TestMatchIndexed holds match to it.
func matchScan(items []PlanItem, offers []survey.Offer) []int {
	_, snaps := match(nil, offers)
	var pairs []matchPair
	for i, it := range items {
		for j, snap := range snaps {
			if snap.Kind != it.Kind {
				continue
			}
			if it.Kind == survey.OfferTraining {
				if snap.PlanID == it.PlanID {
					pairs = append(pairs, matchPair{i, j, 1 << 30})
				}
				continue
			}
			if snap.Online != it.Online {
				continue
			}
			if score := sharedSeats(it.Seats, snap.Seats); score > 0 {
				pairs = append(pairs, matchPair{i, j, score})
			}
		}
	}
	return assignPairs(pairs, len(items), offers)
}

// TestMatchIndexed: the indexed match pairs exactly as the full scan on
// random plans and offers: overlapping groups, a Kommune twice in one
// group, online and on-site, trainings, offers without a plan key.
func TestMatchIndexed(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 20))
	item := func() PlanItem {
		if r.IntN(4) == 0 {
			return PlanItem{Kind: survey.OfferTraining, PlanID: fmt.Sprintf("m%d", r.IntN(4))}
		}
		it := PlanItem{Kind: survey.OfferGroup, PlanID: fmt.Sprintf("G%02d", r.IntN(30)), Online: r.IntN(3) == 0}
		for range 1 + r.IntN(5) {
			it.Seats = append(it.Seats, PlanSeat{AGS: fmt.Sprintf("%02d", r.IntN(12)), Seats: r.IntN(4)})
		}
		return it
	}
	paired := 0
	for round := range 300 {
		var items []PlanItem
		for range r.IntN(15) {
			items = append(items, item())
		}
		var offers []survey.Offer
		for j := range r.IntN(15) {
			it := item()
			o := survey.Offer{ID: int64(100 - j), Kind: it.Kind, PlanSnapshot: it.Snapshot()}
			if r.IntN(8) > 0 {
				o.PlanKey = it.Key()
			}
			offers = append(offers, o)
		}
		got, _ := match(items, offers)
		if want := matchScan(items, offers); !slices.Equal(got, want) {
			t.Fatalf("round %d: match %v, full scan %v", round, got, want)
		}
		for _, j := range got {
			if j >= 0 {
				paired++
			}
		}
	}
	if paired < 500 {
		t.Errorf("only %d items paired in 300 rounds: the test says little", paired)
	}
}
