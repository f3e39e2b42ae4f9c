package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

func testDate(day, fromH, toH int) survey.OfferDate {
	b := survey.Berlin()
	return survey.OfferDate{
		Start:    time.Date(2027, 3, day, fromH, 0, 0, 0, b),
		End:      time.Date(2027, 3, day, toH, 0, 0, 0, b),
		Place:    "Raum 1",
		Capacity: 20,
	}
}

// offerFixture is a store with two providers and one offer of each kind
// made through ApplyOfferPlan.
func offerFixture(t *testing.T) (*fixture, int64, int64, int64, int64) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	sup, err := f.st.SaveProvider(ctx, survey.Provider{Kind: survey.ProviderSupervisor, Name: " Anna Berg ", Qualification: "DGSv",
		FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900}, system)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := f.st.SaveProvider(ctx, survey.Provider{Kind: survey.ProviderTrainer, Name: "Bildungswerk", FeeCents: 120000,
		FeeUnit: survey.FeePerDay, VATExempt: true, VATBasisPoints: 1900}, system)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := f.st.ApplyOfferPlan(ctx, f.round, 0, survey.OfferPlanChanges{Create: []survey.Offer{
		{Kind: survey.OfferGroup, Title: "Gruppe G01", PlanKey: "group:G01", PlanSnapshot: []byte(`{"k":1}`), Sessions: 10, SessionMinutes: 120,
			ProviderID: sup, Members: []survey.OfferMember{{AGS: "03241001", Seats: 4}, {AGS: "03241002", Seats: 3}}},
		{Kind: survey.OfferTraining, Title: "Asylrecht", ModuleID: "asyl", PlanKey: "module:asyl", Sessions: 2, SessionMinutes: 420, Capacity: 20,
			ProviderID: tr, Dates: []survey.OfferDate{testDate(3, 9, 16), testDate(10, 9, 16)}},
	}}, system)
	if err != nil || len(ids) != 2 {
		t.Fatalf("apply: %v, %v", ids, err)
	}
	return f, sup, tr, ids[0], ids[1]
}

func TestOffersMadeAndRead(t *testing.T) {
	f, sup, _, group, training := offerFixture(t)
	ctx := context.Background()
	set, err := f.st.Offers(ctx, f.round)
	if err != nil || len(set.Offers) != 2 || set.Revision != 1 {
		t.Fatalf("offers: %+v, %v", set, err)
	}
	g, _ := set.Find(group)
	if g.Kind != survey.OfferGroup || g.Status != survey.OfferDraft || g.ProviderID != sup || g.Seats() != 7 || len(g.Members) != 2 ||
		g.Members[0].AGS != "03241001" || g.Members[0].Name == "" || string(g.PlanSnapshot) != `{"k":1}` {
		t.Errorf("group: %+v", g)
	}
	tr, _ := set.Find(training)
	if len(tr.Dates) != 2 || tr.Dates[0].Minutes() != 420 || tr.Dates[0].UID == "" || tr.Dates[0].UID == tr.Dates[1].UID ||
		!tr.Dates[0].Start.Equal(testDate(3, 9, 16).Start) || tr.Dates[0].Status != survey.DateScheduled {
		t.Errorf("training dates: %+v", tr.Dates)
	}
	p, err := f.st.Provider(ctx, sup)
	if err != nil || p.Name != "Anna Berg" || p.VATBasisPoints != 1900 || p.FeeUnit != survey.FeePerHour {
		t.Errorf("provider: %+v, %v", p, err)
	}
	ps, _ := f.st.Providers(ctx)
	if len(ps) != 2 || ps[1].VATBasisPoints != 0 || !ps[1].VATExempt {
		t.Errorf("providers (an exempt one has 0 VAT): %+v", ps)
	}
	// Another round sees none of them; an id of this round is not found there.
	if _, err := f.st.Offer(ctx, f.round+1, group); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("offer of another round: %v", err)
	}
}

func TestApplyOfferPlanNeverDuplicates(t *testing.T) {
	f, _, _, group, _ := offerFixture(t)
	ctx := context.Background()
	// A stale revision changes nothing.
	_, err := f.st.ApplyOfferPlan(ctx, f.round, 0, survey.OfferPlanChanges{Create: []survey.Offer{{Kind: survey.OfferGroup, Title: "X", PlanKey: "group:G02"}}}, system)
	if survey.ErrorCode(err) != survey.EConflict {
		t.Fatalf("stale revision: %v", err)
	}
	// The same plan item twice is refused, and nothing of the batch stays.
	_, err = f.st.ApplyOfferPlan(ctx, f.round, 1, survey.OfferPlanChanges{Create: []survey.Offer{
		{Kind: survey.OfferGroup, Title: "neu", PlanKey: "group:G02"},
		{Kind: survey.OfferGroup, Title: "doppelt", PlanKey: "group:G01"},
	}}, system)
	if survey.ErrorCode(err) != survey.EConflict {
		t.Fatalf("duplicate plan key: %v", err)
	}
	set, _ := f.st.Offers(ctx, f.round)
	if len(set.Offers) != 2 || set.Revision != 1 {
		t.Fatalf("a refused batch left %d offers, revision %d", len(set.Offers), set.Revision)
	}
	// Update and cancel in one go.
	_, err = f.st.ApplyOfferPlan(ctx, f.round, 1, survey.OfferPlanChanges{
		Update: []survey.OfferUpdate{{ID: group, PlanSnapshot: []byte(`{"k":2}`), Sessions: 12, SessionMinutes: 90,
			Members: []survey.OfferMember{{AGS: "03241001", Seats: 6}}}},
	}, system)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := f.st.Offer(ctx, f.round, group)
	if g.Sessions != 12 || g.Seats() != 6 || len(g.Members) != 1 || string(g.PlanSnapshot) != `{"k":2}` || g.PlanKey != "group:G01" || g.Title != "Gruppe G01" {
		t.Errorf("updated from the plan: %+v", g)
	}
	if _, err := f.st.ApplyOfferPlan(ctx, f.round, 2, survey.OfferPlanChanges{Cancel: []int64{group}}, system); err != nil {
		t.Fatal(err)
	}
	g, _ = f.st.Offer(ctx, f.round, group)
	if g.Status != survey.OfferCancelled {
		t.Errorf("cancelled: %+v", g)
	}
	if _, err := f.st.ApplyOfferPlan(ctx, f.round, 3, survey.OfferPlanChanges{}, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("empty changes: %v", err)
	}
}

func TestOfferEdits(t *testing.T) {
	f, sup, tr, group, training := offerFixture(t)
	ctx := context.Background()
	id2, err := f.st.SplitOffer(ctx, f.round, group, []string{"03241002"}, system)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := f.st.Offers(ctx, f.round)
	g, _ := set.Find(group)
	n, _ := set.Find(id2)
	if g.Seats() != 4 || n.Seats() != 3 || n.PlanKey != "" || n.ProviderID != sup || n.Kind != survey.OfferGroup {
		t.Errorf("split: %+v / %+v", g, n)
	}
	if err := f.st.MoveSeats(ctx, f.round, group, id2, "03241001", 1, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MoveSeats(ctx, f.round, group, id2, "03241001", 9, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("more seats than there are: %v", err)
	}
	if err := f.st.MergeOffers(ctx, f.round, group, id2, system); err != nil {
		t.Fatal(err)
	}
	set, _ = f.st.Offers(ctx, f.round)
	g, _ = set.Find(group)
	n, _ = set.Find(id2)
	if g.Seats() != 7 || len(g.Members) != 2 || n.Status != survey.OfferCancelled || n.Seats() != 0 {
		t.Errorf("merged: %+v / %+v", g, n)
	}
	if err := f.st.MoveSeats(ctx, f.round, group, id2, "03241001", 1, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("move into a cancelled group: %v", err)
	}
	// A trainer cannot supervise a group; a bad title changes nothing.
	g.ProviderID = tr
	if err := f.st.UpdateOffer(ctx, f.round, g, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("trainer for a group: %v", err)
	}
	g.ProviderID, g.Title, g.Place = sup, "Supervision Nord", "Rathaus, Raum 2"
	if err := f.st.UpdateOffer(ctx, f.round, g, system); err != nil {
		t.Fatal(err)
	}
	g.Title = strings.Repeat("x", survey.MaxOfferText+1)
	if err := f.st.UpdateOffer(ctx, f.round, g, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("long title: %v", err)
	}
	got, _ := f.st.Offer(ctx, f.round, group)
	if got.Title != "Supervision Nord" || got.Place != "Rathaus, Raum 2" {
		t.Errorf("after edits: %+v", got)
	}
	// Dates: add, change (sequence counts), cancel.
	did, err := f.st.AddDate(ctx, f.round, training, testDate(17, 9, 16), system)
	if err != nil {
		t.Fatal(err)
	}
	d := testDate(17, 10, 17)
	d.ID, d.Capacity = did, 25
	if err := f.st.UpdateDate(ctx, f.round, training, d, system); err != nil {
		t.Fatal(err)
	}
	d.Capacity = 24 // capacity alone does not count in the sequence
	if err := f.st.UpdateDate(ctx, f.round, training, d, system); err != nil {
		t.Fatal(err)
	}
	bad := d
	bad.End = bad.Start
	if err := f.st.UpdateDate(ctx, f.round, training, bad, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("date ending at its start: %v", err)
	}
	if err := f.st.UpdateDate(ctx, f.round, group, d, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("date of another offer: %v", err)
	}
	if err := f.st.CancelDate(ctx, f.round, training, did, "", system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.CancelDate(ctx, f.round, training, did, "", system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("cancel twice: %v", err)
	}
	o, _ := f.st.Offer(ctx, f.round, training)
	last := o.Dates[len(o.Dates)-1]
	if len(o.Dates) != 3 || last.ID != did || last.Sequence != 2 || last.Capacity != 24 || last.Status != survey.DateCancelled ||
		len(o.ScheduledDates()) != 2 {
		t.Errorf("dates: %+v", o.Dates)
	}
	// Every change is in the audit log.
	entries, _ := f.st.AuditLog(ctx, 0, 100)
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	for action, want := range map[string]int{"offer.plan": 1, "offer.split": 1, "offer.move": 1, "offer.merge": 1, "offer.update": 1,
		"offer.date.add": 1, "offer.date.update": 2, "offer.date.cancel": 1, "provider.save": 2} {
		if count[action] != want {
			t.Errorf("audit %s: %d entries, want %d", action, count[action], want)
		}
	}
}

func TestOfferWritesRefuseOtherRounds(t *testing.T) {
	f, _, _, group, training := offerFixture(t)
	ctx := context.Background()
	r, _ := f.st.Round(ctx, f.round)
	other, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: r.QuestionnaireID, Title: "Andere", OpensOn: time.Now().UTC(), Deadline: time.Now().UTC().AddDate(0, 0, 3),
		Status: survey.RoundOpen}, system)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := f.st.Offers(ctx, f.round)
	g, _ := before.Find(group)
	g.Title = "gekapert"
	for name, err := range map[string]error{
		"update": f.st.UpdateOffer(ctx, other, g, system),
		"move":   f.st.MoveSeats(ctx, other, group, group, "03241001", 1, system),
		"merge":  f.st.MergeOffers(ctx, other, group, training, system),
		"cancel": f.st.CancelDate(ctx, other, training, before.Offers[1].Dates[0].ID, "", system),
		"apply": func() error {
			_, err := f.st.ApplyOfferPlan(ctx, other, 0, survey.OfferPlanChanges{Cancel: []int64{group}}, system)
			return err
		}(),
		"split": func() error { _, err := f.st.SplitOffer(ctx, other, group, []string{"03241002"}, system); return err }(),
		"date":  func() error { _, err := f.st.AddDate(ctx, other, training, testDate(20, 9, 10), system); return err }(),
	} {
		if survey.ErrorCode(err) != survey.ENotFound {
			t.Errorf("%s with the id of another round: %v", name, err)
		}
	}
	after, _ := f.st.Offers(ctx, f.round)
	if after.Revision != before.Revision {
		t.Errorf("refused writes changed the revision %d → %d", before.Revision, after.Revision)
	}
	if o, _ := f.st.Offers(ctx, other); len(o.Offers) != 0 {
		t.Errorf("the other round got offers: %+v", o.Offers)
	}
}

func TestProviderChecks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		p     survey.Provider
		field string
	}{
		{"no name", survey.Provider{Kind: survey.ProviderTrainer, FeeUnit: survey.FeePerDay}, "name"},
		{"no kind", survey.Provider{Name: "A", FeeUnit: survey.FeePerDay}, "art"},
		{"no unit", survey.Provider{Kind: survey.ProviderTrainer, Name: "A"}, "einheit"},
		{"negative fee", survey.Provider{Kind: survey.ProviderTrainer, Name: "A", FeeUnit: survey.FeePerDay, FeeCents: -1}, "honorar"},
		{"VAT over 100 %", survey.Provider{Kind: survey.ProviderTrainer, Name: "A", FeeUnit: survey.FeePerDay, VATBasisPoints: 10001}, "ust"},
		{"two lines", survey.Provider{Kind: survey.ProviderTrainer, Name: "A\nB", FeeUnit: survey.FeePerDay}, "name"},
	} {
		_, err := f.st.SaveProvider(ctx, tc.p, system)
		var e *survey.Error
		if survey.ErrorCode(err) != survey.EInvalid || !errors.As(err, &e) || e.Field != tc.field {
			t.Errorf("%s: %v, want invalid at %s", tc.name, err, tc.field)
		}
	}
	if ps, _ := f.st.Providers(ctx); len(ps) != 0 {
		t.Errorf("refused providers stored: %+v", ps)
	}
	if _, err := f.st.SaveProvider(ctx, survey.Provider{ID: 99, Kind: survey.ProviderTrainer, Name: "A", FeeUnit: survey.FeePerDay}, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("update of a missing provider: %v", err)
	}
}

func TestParseCents(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"120", 12000, true}, {"120,50", 12050, true}, {"1.200,5", 120050, true}, {"0,01", 1, true},
		{"1,005", 0, false}, {"-3", 0, false}, {"abc", 0, false}, {"100000,01", 0, false},
	} {
		got, ok := survey.ParseCents(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseCents(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
