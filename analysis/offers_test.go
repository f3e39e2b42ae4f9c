package analysis

import (
	"slices"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

var offerMods = []Module{{"recht", "Aufenthalts- und Asylrecht"}, {"trauma", "Traumatisierungen"}}

// offerInputs: Garbsen with 13 (own groups 7 + 6), Hannover 8 (one own
// group), two far Kommunen online, and training demand.
func offerInputs(t *testing.T) []KommuneInput {
	in := []KommuneInput{
		planK(t, "Garbsen", 13, FormatOnSite),
		planK(t, "Hannover", 8, FormatOnSite),
		planFar(1, 3, FormatOnline),
		planFar(2, 3, FormatOnline),
	}
	in[0].Training = map[string]int{"recht": 15, "trauma": 4}
	in[1].Training = map[string]int{"recht": 10}
	return in
}

var offerSchedule = Schedule{FirstDay: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}

// applyToOffers does to offers what the store's ApplyOfferPlan does (the
// store's own tests check that it does): new offers get the next ids.
func applyToOffers(t *testing.T, offers []survey.Offer, ch survey.OfferPlanChanges) []survey.Offer {
	t.Helper()
	out := slices.Clone(offers)
	next := int64(len(out) + 1)
	for _, o := range ch.Create {
		for _, x := range out {
			if x.PlanKey == o.PlanKey {
				t.Fatalf("plan key %s made twice", o.PlanKey)
			}
		}
		o.ID = next
		next++
		out = append(out, o)
	}
	for _, u := range ch.Update {
		i := slices.IndexFunc(out, func(o survey.Offer) bool { return o.ID == u.ID })
		o := &out[i]
		o.PlanSnapshot, o.Sessions, o.SessionMinutes, o.Capacity, o.Online, o.MeetingAGS = u.PlanSnapshot, u.Sessions, u.SessionMinutes, u.Capacity, u.Online, u.MeetingAGS
		if o.Kind == survey.OfferGroup {
			o.Members = u.Members
		}
		o.Dates = append(slices.Clone(o.Dates), u.AddDates...)
	}
	for _, id := range ch.Cancel {
		i := slices.IndexFunc(out, func(o survey.Offer) bool { return o.ID == id })
		out[i].Status = survey.OfferCancelled
	}
	return out
}

func diffIDs(d OfferDiff) string {
	var ids []string
	for _, it := range d.Items {
		ids = append(ids, it.ID)
	}
	return strings.Join(ids, " ")
}

func TestPlanToOffersFirstRun(t *testing.T) {
	pl := Compute(offerInputs(t), offerMods, DefaultParams())
	d := DiffPlan(pl, nil, 0)
	// Groups: Garbsen 7 + 6, Hannover 8, online 6; training: recht (25 → 2 days), trauma (4 → 1 day).
	if want := "add:group:G01 add:group:G02 add:group:G03 add:group:G04 add:module:recht add:module:trauma"; diffIDs(d) != want {
		t.Fatalf("first diff %q, want %q", diffIDs(d), want)
	}
	ch, ok := d.Changes(nil, nil, offerSchedule)
	if !ok || len(ch.Create) != 6 || len(ch.Update)+len(ch.Cancel) != 0 {
		t.Fatalf("changes: %+v, %v", ch, ok)
	}
	for _, o := range ch.Create {
		switch o.Kind {
		case survey.OfferGroup:
			var plan SupervisionGroup
			for _, g := range pl.Groups {
				if "group:"+g.ID == o.PlanKey {
					plan = g
				}
			}
			if o.Seats() != plan.Size || o.Sessions != 10 || o.SessionMinutes != 120 || o.Online != plan.Online() || len(o.Dates) != 0 || o.Status != survey.OfferDraft {
				t.Errorf("group offer %+v from %+v", o, plan)
			}
		case survey.OfferTraining:
			days := map[string]int{"recht": 2, "trauma": 1}[o.ModuleID]
			if len(o.Dates) != days || o.Sessions != days || o.Capacity != 20 || o.Dates[0].Capacity != 20 || o.Dates[0].Minutes() != TrainingDayMinutes {
				t.Errorf("training offer %+v, want %d days of 20 places", o, days)
			}
			if days == 2 && o.Dates[1].Start.Sub(o.Dates[0].Start) != 7*24*time.Hour {
				t.Errorf("training days not a week apart: %v", o.Dates)
			}
			if h := o.Dates[0].Start.In(survey.Berlin()).Hour(); h != 9 {
				t.Errorf("first day starts at %d h Berlin", h)
			}
		}
	}
	// Applied, the plan again yields nothing: no duplicates.
	offers := applyToOffers(t, nil, ch)
	again := DiffPlan(pl, offers, 1)
	if len(again.Items) != 0 || again.Unchanged != 6 {
		t.Fatalf("second run: %q, %d unchanged", diffIDs(again), again.Unchanged)
	}
	if ch, _ := again.Changes(offers, nil, offerSchedule); !ch.Empty() {
		t.Errorf("second run changes %+v", ch)
	}
	// Staff edits of the offers (seats moved, a group split off) are no plan change.
	offers[0].Members[0].Seats--
	offers = append(offers, survey.Offer{ID: 99, Kind: survey.OfferGroup, Title: "von Hand", Members: []survey.OfferMember{{AGS: "03241005", Seats: 1}}})
	if d := DiffPlan(pl, offers, 2); len(d.Items) != 0 {
		t.Errorf("staff edits show as plan changes: %q", diffIDs(d))
	}
}

func TestPlanToOffersChangedPlan(t *testing.T) {
	in := offerInputs(t)
	pl := Compute(in, offerMods, DefaultParams())
	ch, _ := DiffPlan(pl, nil, 0).Changes(nil, nil, offerSchedule)
	offers := applyToOffers(t, nil, ch)
	// Hannover 8 → 7 persons; recht 25 → 45 (3 days); one online Kommune
	// gone (the online group falls under the minimum: removed); trauma
	// unchanged; a new far Kommune with its own group.
	in[1].GroupPersons = 7
	in[1].Training["recht"] = 30
	in = slices.Delete(in, 3, 4)
	in = append(in, planFar(5, 6, FormatOnSite))
	pl2 := Compute(in, offerMods, DefaultParams())
	d := DiffPlan(pl2, offers, 1)
	hannover := slices.IndexFunc(offers, func(o survey.Offer) bool { return o.Kind == survey.OfferGroup && o.Members[0].AGS == "03241001" })
	recht := slices.IndexFunc(offers, func(o survey.Offer) bool { return o.ModuleID == "recht" })
	online := slices.IndexFunc(offers, func(o survey.Offer) bool { return o.Online })
	var newGroup string
	for _, g := range pl2.Groups {
		if g.Host == "09000005" {
			newGroup = g.ID
		}
	}
	want := []string{"add:group:" + newGroup, "change:" + itoa(int(offers[hannover].ID)), "change:" + itoa(int(offers[recht].ID)), "remove:" + itoa(int(offers[online].ID))}
	if diffIDs(d) != strings.Join(want, " ") {
		t.Fatalf("diff %q, want %q", diffIDs(d), strings.Join(want, " "))
	}
	if d.Unchanged != 3 {
		t.Errorf("unchanged %d, want 3 (two Garbsen groups, trauma)", d.Unchanged)
	}
	hc := d.Items[1].Changes
	if len(hc) != 1 || hc[0].Field != "seats" || hc[0].AGS != "03241001" || hc[0].Old != "8" || hc[0].New != "7" {
		t.Errorf("Hannover's change: %+v", hc)
	}
	rc := d.Items[2].Changes
	if len(rc) != 2 || rc[0].Field != "seats" || rc[0].Old != "10" || rc[0].New != "30" || rc[1].Field != "sessions" || rc[1].Old != "2" || rc[1].New != "3" {
		t.Errorf("recht's change: %+v", rc)
	}
	// Selectively: only recht. It gets one more day, a week after its last.
	ch, ok := d.Changes(offers, []string{d.Items[2].ID}, offerSchedule)
	if !ok || len(ch.Update) != 1 || len(ch.Create)+len(ch.Cancel) != 0 || len(ch.Update[0].AddDates) != 1 {
		t.Fatalf("selective changes: %+v", ch)
	}
	last := offers[recht].Dates[1]
	if got := ch.Update[0].AddDates[0]; !got.Start.Equal(last.Start.AddDate(0, 0, 7)) || got.Minutes() != last.Minutes() {
		t.Errorf("added day %v, last was %v", got.Start, last.Start)
	}
	if _, ok := d.Changes(offers, []string{"change:4711"}, offerSchedule); ok {
		t.Error("an unknown item was accepted")
	}
	offers = applyToOffers(t, offers, ch)
	d = DiffPlan(pl2, offers, 2)
	if !strings.Contains(diffIDs(d), "change:"+itoa(int(offers[hannover].ID))) || strings.Contains(diffIDs(d), "change:"+itoa(int(offers[recht].ID))) || len(d.Items) != 3 {
		t.Fatalf("after applying recht only: %q", diffIDs(d))
	}
	// The rest wholly; then nothing is left, and the removed group's offer is cancelled.
	ch, _ = d.Changes(offers, nil, offerSchedule)
	offers = applyToOffers(t, offers, ch)
	if d := DiffPlan(pl2, offers, 3); len(d.Items) != 0 {
		t.Fatalf("after applying all: %q", diffIDs(d))
	}
	if offers[online].Status != survey.OfferCancelled || offers[hannover].Seats() != 7 {
		t.Errorf("after applying: online %s, Hannover %d seats", offers[online].Status, offers[hannover].Seats())
	}
	// A plan key already held gets a suffix rather than a duplicate.
	ch, _ = DiffPlan(pl2, nil, 0).Changes([]survey.Offer{{ID: 1, PlanKey: "group:G01"}}, nil, offerSchedule)
	if ch.Create[0].PlanKey != "group:G01-2" {
		t.Errorf("key of a new offer whose key is taken: %s", ch.Create[0].PlanKey)
	}
}

func TestOfferCost(t *testing.T) {
	berlin := survey.Berlin()
	date := func(day, minutes int, st survey.DateStatus) survey.OfferDate {
		s := time.Date(2027, 3, day, 9, 0, 0, 0, berlin)
		return survey.OfferDate{Start: s, End: s.Add(time.Duration(minutes) * time.Minute), Status: st}
	}
	sup := survey.Provider{FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900}
	tests := []struct {
		name  string
		o     survey.Offer
		p     *survey.Provider
		want  OfferCost
		gross int64
	}{
		{
			// 2 dated × (120 € × 90/60 + 30 €) = 420 €; cancelled date free;
			// 8 undated × (120 € × 2 + 30 €) = 2,160 €; net 2,580 €;
			// VAT 19 % = 490.20 €; gross 3,070.20 €.
			name: "group, partly dated",
			o: survey.Offer{Kind: survey.OfferGroup, Sessions: 10, SessionMinutes: 120,
				Dates: []survey.OfferDate{date(1, 90, survey.DateScheduled), date(8, 90, survey.DateScheduled), date(15, 90, survey.DateCancelled)}},
			p:    &sup,
			want: OfferCost{Dated: 42000, Undated: 216000, UndatedSessions: 8, Net: 258000, VAT: 49020, Gross: 307020},
		},
		{
			// Online: no travel. 33.33 €/h × 50 min = 27.775 € → 27.78 €
			// (half away from zero); VAT 7 % of 27.78 € = 1.9446 € → 1.94 €.
			name: "online, rounding",
			o:    survey.Offer{Kind: survey.OfferGroup, Online: true, Sessions: 1, Dates: []survey.OfferDate{date(1, 50, survey.DateScheduled)}},
			p:    &survey.Provider{FeeCents: 3333, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 700},
			want: OfferCost{Dated: 2778, Net: 2778, VAT: 194, Gross: 2972},
		},
		{
			// 3 days × 1,200 € per day (any length), exempt: no VAT.
			name: "training per day, exempt",
			o: survey.Offer{Kind: survey.OfferTraining, Sessions: 2,
				Dates: []survey.OfferDate{date(1, 420, survey.DateScheduled), date(8, 300, survey.DateScheduled), date(15, 420, survey.DateScheduled)}},
			p:    &survey.Provider{FeeCents: 120000, FeeUnit: survey.FeePerDay, VATExempt: true},
			want: OfferCost{Dated: 360000, Net: 360000, Gross: 360000},
		},
		{
			name: "no provider",
			o:    survey.Offer{Kind: survey.OfferTraining, Sessions: 2},
			want: OfferCost{NoProvider: true},
		},
		{
			name: "cancelled offer",
			o:    survey.Offer{Kind: survey.OfferGroup, Sessions: 10, SessionMinutes: 120, Status: survey.OfferCancelled},
			p:    &sup,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CostOf(tt.o, tt.p); got != tt.want {
				t.Errorf("CostOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCompareOffers(t *testing.T) {
	pl := Compute(offerInputs(t), offerMods, DefaultParams())
	ch, _ := DiffPlan(pl, nil, 0).Changes(nil, nil, offerSchedule)
	offers := applyToOffers(t, nil, ch)
	providers := []survey.Provider{{ID: 7, FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900}}
	offers[0].ProviderID = 7 // Hannover's group (G01)
	// Staff move one seat of Garbsen's first group (G02) into a hand-made group.
	offers[1].Members[0].Seats--
	offers = append(offers, survey.Offer{ID: 50, Kind: survey.OfferGroup, Title: "Zusatzgruppe", Sessions: 4, SessionMinutes: 120,
		Members: []survey.OfferMember{{AGS: "03241005", Seats: 1}}})
	c := Compare(pl, offers, providers)
	if len(c.Rows) != 7 {
		t.Fatalf("rows %d, want 6 plan items and 1 hand-made offer", len(c.Rows))
	}
	g2 := c.Rows[1]
	if g2.PlanID != "G02" || g2.PlannedSeats != 7 || g2.OfferedSeats != 6 || g2.OfferID != offers[1].ID {
		t.Errorf("G02 row %+v", g2)
	}
	h := c.Rows[0]
	// Plan: 10 × (2 h × 120 € + 30 €) × 1.19 = 3,213 €; the offer with the
	// same provider and no dates costs the same.
	if h.PlannedCost != 321300 || h.Cost.Gross != 321300 || h.Cost.UndatedSessions != 10 {
		t.Errorf("Hannover's row %+v", h)
	}
	extra := c.Rows[4]
	if extra.PlanID != "" || extra.OfferID != 50 || extra.PlannedSeats != 0 || extra.OfferedSeats != 1 || extra.Kind != survey.OfferGroup {
		t.Errorf("hand-made row %+v (rows %+v)", extra, c.Rows)
	}
	recht := c.Rows[5]
	if recht.PlanID != "recht" || recht.PlannedSeats != 25 || recht.OfferedSeats != 40 || recht.PlannedSessions != 2 || recht.Dated != 2 {
		t.Errorf("recht row %+v", recht)
	}
	if c.Totals.PlannedSeats != 8+7+6+6+25+4 || c.Totals.OfferedSeats != 8+6+6+6+1+40+20 || c.MissingProvider != 6 {
		t.Errorf("totals %+v, %d without provider", c.Totals, c.MissingProvider)
	}
}
