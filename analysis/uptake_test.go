package analysis

import (
	"testing"
	"time"

	"bedarf/survey"
)

// uptakeRound is a small round counted by hand: Kommunen A (5 persons for
// supervision, 3 for Asylrecht) and B (2; 4 for Asylrecht, 1 for
// Kinderschutz); group G1 with 4 + 2 seats, 3 of its 4 sessions dated, 2
// of them held; Asylrecht on two days of 3 places, one held, 2 reserved
// for A on the first; Kinderschutz's offer cancelled.
func uptakeRound() (Plan, survey.UptakeData, time.Time) {
	b := survey.Berlin()
	day := func(d, from, to int) (time.Time, time.Time) {
		return time.Date(2027, 3, d, from, 0, 0, 0, b), time.Date(2027, 3, d, to, 0, 0, 0, b)
	}
	now := time.Date(2027, 3, 12, 12, 0, 0, 0, b)
	p := Plan{Params: DefaultParams(),
		Kommunen: []KommunePlan{{AGS: "A", Name: "Aheim", Persons: 5}, {AGS: "B", Name: "Bdorf", Persons: 2}},
		Groups: []SupervisionGroup{{ID: "G1", Kind: GroupPooled, MeetingAGS: "A", MeetingName: "Aheim", Sessions: 4, GrossCost: 1300,
			Members: []GroupMember{{AGS: "A", Name: "Aheim", Persons: 5}, {AGS: "B", Name: "Bdorf", Persons: 2}}}},
		Training: []TrainingPlan{
			{ModuleID: "asyl", Label: "Asylrecht", Participants: 7, Days: 2, Cost: 2400, ByKommune: []KommuneCount{{"A", "Aheim", 3}, {"B", "Bdorf", 4}}},
			{ModuleID: "kinder", Label: "Kinderschutz", Participants: 1, Days: 1, Cost: 1200, ByKommune: []KommuneCount{{"B", "Bdorf", 1}}},
		},
	}
	items := PlanItems(p)
	s1, e1 := day(1, 14, 16)
	s2, e2 := day(8, 14, 16)
	s3, e3 := day(15, 14, 16)
	t1, u1 := day(3, 9, 16)
	t2, u2 := day(17, 9, 16)
	k1, l1 := day(20, 9, 16)
	d := survey.UptakeData{
		Providers: []survey.Provider{
			{ID: 1, Kind: survey.ProviderSupervisor, FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900},
			{ID: 2, Kind: survey.ProviderTrainer, FeeCents: 120000, FeeUnit: survey.FeePerDay, VATExempt: true},
		},
		Offers: []survey.Offer{
			{ID: 1, Kind: survey.OfferGroup, Title: "Gruppe G1", PlanKey: items[0].Key(), PlanSnapshot: items[0].Snapshot(), Sessions: 4, SessionMinutes: 120,
				ProviderID: 1, Status: survey.OfferPublished, Members: []survey.OfferMember{{AGS: "A", Name: "Aheim", Seats: 4}, {AGS: "B", Name: "Bdorf", Seats: 2}},
				Dates: []survey.OfferDate{{ID: 11, Start: s1, End: e1, Status: survey.DateScheduled}, {ID: 12, Start: s2, End: e2, Status: survey.DateScheduled},
					{ID: 13, Start: s3, End: e3, Status: survey.DateScheduled}, {ID: 14, Start: s3, End: e3, Status: survey.DateCancelled}}},
			{ID: 2, Kind: survey.OfferTraining, Title: "Asylrecht", ModuleID: "asyl", PlanKey: items[1].Key(), PlanSnapshot: items[1].Snapshot(), Sessions: 2,
				SessionMinutes: 420, ProviderID: 2, Status: survey.OfferPublished,
				Dates: []survey.OfferDate{{ID: 21, Start: t1, End: u1, Capacity: 3, Status: survey.DateScheduled}, {ID: 22, Start: t2, End: u2, Capacity: 3, Status: survey.DateScheduled}}},
			{ID: 3, Kind: survey.OfferTraining, Title: "Kinderschutz", ModuleID: "kinder", PlanKey: items[2].Key(), PlanSnapshot: items[2].Snapshot(), Sessions: 1,
				SessionMinutes: 420, ProviderID: 2, Status: survey.OfferCancelled,
				Dates: []survey.OfferDate{{ID: 31, Start: k1, End: l1, Capacity: 3, Status: survey.DateCancelled}}},
		},
		Reservations: []survey.Reservation{{DateID: 21, AGS: "A", Seats: 2}},
		Counts: []survey.BookingCount{
			{OfferID: 1, AGS: "A", Status: survey.BookingBooked, N: 3}, {OfferID: 1, AGS: "B", Status: survey.BookingBooked, N: 2},
			{OfferID: 2, DateID: 21, AGS: "A", Status: survey.BookingAttended, N: 2}, {OfferID: 2, DateID: 21, AGS: "A", Status: survey.BookingWaiting, N: 1},
			{OfferID: 2, DateID: 21, AGS: "B", Status: survey.BookingBooked, N: 1},
			{OfferID: 2, DateID: 22, AGS: "B", Status: survey.BookingBooked, N: 2}, {OfferID: 2, DateID: 22, AGS: "B", Status: survey.BookingWaiting, N: 1},
			{OfferID: 3, DateID: 31, AGS: "B", Status: survey.BookingBooked, N: 1},
		},
		Presence: []survey.Presence{
			{OfferID: 1, ParticipantID: 1, AGS: "A", Sessions: 2}, {OfferID: 1, ParticipantID: 2, AGS: "A", Sessions: 1}, {OfferID: 1, ParticipantID: 3, AGS: "A"},
			{OfferID: 1, ParticipantID: 4, AGS: "B", Sessions: 2}, {OfferID: 1, ParticipantID: 5, AGS: "B"},
		},
	}
	return p, d, now
}

func TestUptakeHandCount(t *testing.T) {
	p, d, now := uptakeRound()
	u := UptakeOf(p, d, now)
	f := func(need, offered, booked, attended, waiting int) UptakeFigures {
		return UptakeFigures{Need: need, Offered: offered, Booked: booked, Attended: attended, Waiting: waiting}
	}
	// By hand (see uptakeRound): attended bookings count as booked; group
	// attendance counts participants present at one session at least.
	wantRows := []UptakeRow{
		{"A", "Aheim", SupervisionModule, "Gruppensupervision", f(5, 4, 3, 2, 0)},
		{"A", "Aheim", "asyl", "Asylrecht", f(3, 2, 2, 2, 1)},
		{"B", "Bdorf", SupervisionModule, "Gruppensupervision", f(2, 2, 2, 1, 0)},
		{"B", "Bdorf", "asyl", "Asylrecht", f(4, 0, 3, 0, 1)},
		{"B", "Bdorf", "kinder", "Kinderschutz", f(1, 0, 0, 0, 0)},
	}
	if len(u.Rows) != len(wantRows) {
		t.Fatalf("rows %+v", u.Rows)
	}
	for i, w := range wantRows {
		if u.Rows[i] != w {
			t.Errorf("row %d = %+v, want %+v", i, u.Rows[i], w)
		}
	}
	wantModules := []ModuleUptake{
		{SupervisionModule, "Gruppensupervision", f(7, 6, 5, 3, 0)},
		{"asyl", "Asylrecht", f(7, 6, 5, 2, 2)}, // offered: the places of both days
		{"kinder", "Kinderschutz", f(1, 0, 0, 0, 0)},
	}
	for i, w := range wantModules {
		if i >= len(u.Modules) || u.Modules[i] != w {
			t.Errorf("module %d = %+v, want %+v", i, u.Modules, w)
		}
	}
	if u.Total != f(15, 12, 10, 5, 2) {
		t.Errorf("total %+v", u.Total)
	}
	// G1: 5 participants, 2 sessions held (the third lies ahead, the fourth
	// is cancelled), 2+1+0+2+0 = 5 attended: 5 / (5 × 2) = 0.5.
	if len(u.Groups) != 1 || u.Groups[0] != (GroupUptake{OfferID: 1, Title: "Gruppe G1", Participants: 5, Held: 2, Attended: 5}) {
		t.Fatalf("groups %+v", u.Groups)
	}
	if c, ok := u.Groups[0].Continuity(); !ok || c != 0.5 {
		t.Errorf("continuity %v %v", c, ok)
	}
	// Costs: G1 a session 120 € × 2 h + 30 € travel = 270 €, 4 sessions
	// (one undated) 1080 € + 19 % = 1285.20 €, held 2: 540 € + 102.60 € =
	// 642.60 €, plan 1300 €. Asylrecht 2 days × 1200 € exempt = 2400 €,
	// held 1200 €, plan 2400 €. Kinderschutz cancelled: plan 1200 €, 0.
	want := []UptakeCost{
		{Kind: survey.OfferGroup, Label: "Gruppe G1", PlannedCents: 130000, OfferCents: 128520, HeldCents: 64260},
		{Kind: survey.OfferTraining, Label: "Asylrecht", PlannedCents: 240000, OfferCents: 240000, HeldCents: 120000},
		{Kind: survey.OfferTraining, Label: "Kinderschutz", PlannedCents: 120000},
	}
	if len(u.Costs) != len(want) {
		t.Fatalf("costs %+v", u.Costs)
	}
	for i, w := range want {
		if u.Costs[i] != w {
			t.Errorf("cost %d = %+v, want %+v", i, u.Costs[i], w)
		}
	}
	if u.CostTotal.PlannedCents != 490000 || u.CostTotal.OfferCents != 368520 || u.CostTotal.HeldCents != 184260 {
		t.Errorf("cost total %+v", u.CostTotal)
	}
}

func TestUptakeContinuityUndefined(t *testing.T) {
	for _, g := range []GroupUptake{{Participants: 3}, {Held: 2}} {
		if _, ok := g.Continuity(); ok {
			t.Errorf("%+v: continuity defined", g)
		}
	}
}
