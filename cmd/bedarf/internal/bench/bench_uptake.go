package bench

// The uptake page and the Umsetzung sheet for the nation-wide round
// (issue 20: "within 2× of their bare queries"). The open round's decisive
// plan becomes offers as staff would make them (analysis.DiffPlan →
// store.ApplyOfferPlan), published, with a provider each and every group
// dated (one session two weeks ago, two ahead); then every group member
// names a participant per seat, every training date is booked to its
// capacity and two more wait (store.BenchBook: the same checks and writes
// as a booking over the page, in one transaction), and each group's past
// session gets its attendance (store.MarkAttendance, every second
// participant present). All through store APIs: the bench runs no SQL.
//
// Measured, alternating with their baselines: the page over HTTP warm (the
// plan from the analysis service's cache; bookings do not change the data
// version) against store.UptakeData, the uptake's bare queries; the page
// cold (the first view after a save, which computes the plan again)
// against UptakeData plus the plan's inputs (PlanningAnswers); and the
// Umsetzung sheet (Service.Uptake and analysis.WriteUptakeWorkbook, the
// sheet alone as the workbook writes it) against UptakeData.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"bedarf/analysis"
	"bedarf/analysis/rawbook"
	"bedarf/survey"
	"bedarf/survey/store"
)

// uptakeReport is the uptake section's figures.
type uptakeReport struct {
	Groups, Trainings, Dates  int
	Bookings, Waiting         int
	Present                   int
	Rows                      int // rows per Kommune and module
	Seed                      time.Duration
	Counts, Presence          int // rows UptakeData returns
	Warm, Cold, Sheet         staffCompare
	Data, Compute, Plan, Page stats // parts timed in process
	SheetBytes                int64
}

func (b *bencher) phaseUptake(ctx context.Context) error {
	round := b.data.Current
	bench := survey.Actor{Kind: "system", Label: "bench"}
	t0 := time.Now()
	rp, err := analysis.NewService(b.st).RoundPlans(ctx, round, false)
	if err != nil {
		return err
	}
	plan := rp.Decisive().Plan
	sup, err := b.st.SaveProvider(ctx, survey.Provider{Kind: survey.ProviderSupervisor, Name: "Bench Supervision", Qualification: "DGSv",
		FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900}, bench)
	if err != nil {
		return err
	}
	trainer, err := b.st.SaveProvider(ctx, survey.Provider{Kind: survey.ProviderTrainer, Name: "Bench Fortbildung",
		FeeCents: 120000, FeeUnit: survey.FeePerDay, VATExempt: true}, bench)
	if err != nil {
		return err
	}
	set, err := b.st.Offers(ctx, round.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	ch, _ := analysis.DiffPlan(plan, set.Offers, set.Revision).Changes(set.Offers, nil, analysis.Schedule{FirstDay: today.AddDate(0, 0, 14)})
	berlin := survey.Berlin()
	for i := range ch.Create {
		o := &ch.Create[i]
		o.Status = survey.OfferPublished
		if o.Kind == survey.OfferTraining {
			o.ProviderID = trainer
			continue
		}
		o.ProviderID = sup
		for _, days := range []int{-14, 14, 42} {
			day := today.AddDate(0, 0, days)
			start := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, berlin)
			o.Dates = append(o.Dates, survey.OfferDate{Start: start, End: start.Add(time.Duration(o.SessionMinutes) * time.Minute),
				Place: o.Place, Capacity: o.Seats(), Status: survey.DateScheduled})
		}
	}
	if len(ch.Create) == 0 {
		return fmt.Errorf("uptake: the plan makes no offers")
	}
	if _, err := b.st.ApplyOfferPlan(ctx, round.ID, set.Revision, ch, bench); err != nil {
		return fmt.Errorf("uptake: offers from the plan: %w", err)
	}
	if set, err = b.st.Offers(ctx, round.ID); err != nil {
		return err
	}
	rep := &uptakeReport{}
	// The Kommunen by AGS, from the groups' members and the responses.
	ids := map[string]int64{}
	for _, r := range append(append([]benchResp(nil), b.data.Drafts...), b.data.New...) {
		ids[r.Kommune.AGS] = r.Kommune.ID
	}
	for _, o := range set.Offers {
		for _, m := range o.Members {
			ids[m.AGS] = m.KommuneID
		}
	}
	need := map[string][]int64{} // module → Kommunen with need, in the plan's order
	for _, t := range plan.Training {
		for _, k := range t.ByKommune {
			if id := ids[k.AGS]; id != 0 {
				need[t.ModuleID] = append(need[t.ModuleID], id)
			}
		}
	}
	var reqs []store.BookRequest
	person := 0
	add := func(offer, date, kommune int64) {
		person++
		reqs = append(reqs, store.BookRequest{RoundID: round.ID, KommuneID: kommune, OfferID: offer, DateID: date,
			Participant: survey.Participant{Name: fmt.Sprintf("Bench Person %d", person), Function: "Sozialamt", Email: fmt.Sprintf("p%d@bench.example", person)}})
	}
	var pastSessions []int64
	for _, o := range set.Offers {
		if o.PlanKey == "" || o.Status != survey.OfferPublished {
			continue // the booking section's offer
		}
		if o.Kind == survey.OfferGroup {
			rep.Groups++
			for _, m := range o.Members {
				for range m.Seats {
					add(o.ID, 0, m.KommuneID)
				}
			}
			for _, d := range o.ScheduledDates() {
				if d.Start.Before(now) {
					pastSessions = append(pastSessions, d.ID)
				}
			}
			continue
		}
		rep.Trainings++
		ks := need[o.ModuleID]
		if len(ks) == 0 {
			continue
		}
		for j, d := range o.ScheduledDates() {
			rep.Dates++
			for n := range d.Capacity + 2 {
				add(o.ID, d.ID, ks[(j*d.Capacity+n)%len(ks)])
			}
		}
	}
	res, err := b.st.BenchBook(ctx, reqs, bench)
	if err != nil {
		return fmt.Errorf("uptake: bookings: %w", err)
	}
	rep.Bookings = len(res)
	for _, r := range res {
		if r.Status == survey.BookingWaiting {
			rep.Waiting++
		}
	}
	for _, date := range pastSessions {
		roster, err := b.st.DateRoster(ctx, round.ID, date)
		if err != nil {
			return err
		}
		var present []int64
		for i, e := range roster.Entries {
			if i%2 == 0 {
				present = append(present, e.ParticipantID)
			}
		}
		n, err := b.st.MarkAttendance(ctx, round.ID, date, present, now, bench)
		if err != nil {
			return fmt.Errorf("uptake: attendance of date %d: %w", date, err)
		}
		rep.Present += n
	}
	rep.Seed = time.Since(t0)
	b.logf("uptake: %d groups, %d training dates, %d bookings (%d waiting), %d present, seeded in %s",
		rep.Groups, rep.Dates, rep.Bookings, rep.Waiting, rep.Present, rep.Seed.Round(time.Millisecond))

	n := max(b.o.Iterations, 3)
	rid := strconv.FormatInt(round.ID, 10)
	path := "/verwaltung/runden/" + rid + "/umsetzung"
	data := func() error {
		d, err := b.st.UptakeData(ctx, round.ID)
		rep.Counts, rep.Presence = len(d.Counts), len(d.Presence)
		return err
	}
	page := func(size *int64) func() error {
		return func() error {
			_, n, _, err := b.staff.do(ctx, http.MethodGet, path, nil, http.StatusOK, false)
			*size = n
			return err
		}
	}
	rep.Warm = staffCompare{Name: "uptake page, warm (repeated view)", Path: path, Baseline: "store.UptakeData (offers, providers, booking counts, reservations, attendance)", Target: 2}
	rep.Warm.Product, rep.Warm.Base = alternate(n, page(&rep.Warm.Bytes), data)
	rep.Cold = staffCompare{Name: "uptake page, cold (first view after a save)", Path: path,
		Baseline: "store.UptakeData and the plan's inputs (PlanningAnswers)", Target: 2}
	rep.Cold.Product, rep.Cold.Base = alternateCold(n, func() error { return b.coldSave(ctx, round) }, page(&rep.Cold.Bytes),
		func() error {
			if err := data(); err != nil {
				return err
			}
			return planInputScan(ctx, b.st, round, false)
		})
	an := analysis.NewService(b.st) // warmed by the first run, as the server's
	sheet := func() error {
		u, err := an.Uptake(ctx, round, time.Now())
		if err != nil {
			return err
		}
		rep.Rows = len(u.Rows)
		var cw rawbook.CountWriter
		err = analysis.WriteUptakeWorkbook(&cw, round.Title, &u)
		rep.SheetBytes = cw.N
		return err
	}
	rep.Sheet = staffCompare{Name: "Umsetzung sheet (Service.Uptake, the sheet written alone)", Baseline: "store.UptakeData", Target: 2}
	rep.Sheet.Product, rep.Sheet.Base = alternate(n, sheet, data)

	// The page's parts in process: the queries, the plan from the cache,
	// UptakeOf, and the page through Handler without the network.
	sid, err := b.staffSession()
	if err != nil {
		return err
	}
	dataS, planS, computeS, pageS := &samples{}, &samples{}, &samples{}, &samples{}
	for range n {
		t := time.Now()
		d, err := b.st.UptakeData(ctx, round.ID)
		dataS.add(time.Since(t), err)
		t = time.Now()
		rp, err := an.RoundPlans(ctx, round, false)
		planS.add(time.Since(t), err)
		if err != nil {
			return err
		}
		t = time.Now()
		analysis.UptakeOf(rp.Decisive().Plan, d, time.Now())
		computeS.add(time.Since(t), nil)
		t = time.Now()
		w := b.serveInProcess(ctx, http.MethodGet, path, sid, nil)
		pageS.add(time.Since(t), nil)
		if w.Code != http.StatusOK {
			return fmt.Errorf("uptake page through Handler in process: status %d", w.Code)
		}
	}
	rep.Data, rep.Plan, rep.Compute, rep.Page = dataS.stats(), planS.stats(), computeS.stats(), pageS.stats()
	b.rep.Uptake = rep
	return nil
}

// uptakeTargets adds the uptake targets: page (warm and cold) and sheet
// within 2× of their bare queries.
func (r *benchReport) uptakeTargets() {
	u := r.Uptake
	if u == nil {
		return
	}
	why := fmt.Sprintf("%d rows per Kommune and module, from %d booking counts and %d group participants' attendance. "+
		"Timed in process: UptakeData %s, RoundPlans from the cache %s, UptakeOf %s; the page through Handler (200 rows of HTML, %d kB) %s.",
		u.Rows, u.Counts, u.Presence, ms(u.Data.P50), ms(u.Plan.P50), ms(u.Compute.P50), u.Warm.Bytes>>10, ms(u.Page.P50))
	for _, c := range []struct {
		s    staffCompare
		name string
		why  string
	}{
		{u.Warm, fmt.Sprintf("uptake page for %d Kommunen, warm (GET %s) vs its bare queries (p50)", r.Opts.Kommunen, u.Warm.Path), why},
		{u.Cold, fmt.Sprintf("uptake page for %d Kommunen, cold (after a save: the plan computed) vs its bare queries and the plan's inputs (p50)", r.Opts.Kommunen),
			"A save changes the data version, so the first view computes the decisive plan again (as the overview and the plan page do); the baseline reads the plan's inputs besides the uptake's queries."},
		{u.Sheet, fmt.Sprintf("Umsetzung sheet for %d Kommunen vs its bare queries (p50)", r.Opts.Kommunen),
			fmt.Sprintf("The sheet (%d kB) is written with excelize's StreamWriter like every sheet of the workbook; %d rows per Kommune and module and the sums, groups and costs. ", u.SheetBytes>>10, u.Rows) + why},
	} {
		s := c.s
		x := float64(s.Product.P50) / float64(max(1, s.Base.P50))
		t := benchTarget{Name: c.name, Product: ms(s.Product.P50), Baseline: ms(s.Base.P50) + " (" + s.Baseline + ")",
			Ratio: ratio(x) + "×", Want: "≤ 2×", Met: x <= s.Target, Why: c.why}
		if !t.Met {
			t.Miss = fmt.Sprintf("%.2f× instead of ≤ 2× (%s beyond 2× the baseline)", x, ms(s.Product.P50-2*s.Base.P50))
		}
		r.Targets = append(r.Targets, t)
	}
}

// writeUptake writes the report's section on uptake.
func (r *benchReport) writeUptake(w io.Writer) {
	u := r.Uptake
	if u == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("The open round's decisive plan becomes offers as staff would make them (`analysis.DiffPlan` → `store.ApplyOfferPlan`): %d supervision groups (each with a session two weeks ago and two ahead) ", u.Groups)
	p("and %d training offers with %d dates, all published with a provider. Every group member names a participant per seat, every training date is booked to its capacity and two more wait ", u.Trainings, u.Dates)
	p("(`store.BenchBook`: each booking through the same checks and writes as on the booking page, all in one transaction), and every group's past session gets its attendance (`store.MarkAttendance`, every second participant present): ")
	p("%d bookings, %d of them waiting, %d present; seeded in %s, through store APIs only. ", u.Bookings, u.Waiting, u.Present, u.Seed.Round(time.Millisecond))
	p("Each measurement alternates with its baseline (%d runs each after a warm-up).\n\n", max(r.Opts.Iterations, 3))
	p("| run | size | p50 | p95 | max | baseline | baseline p50 | ratio (p50) |\n|---|---:|---:|---:|---:|---|---:|---:|\n")
	for _, s := range []staffCompare{u.Warm, u.Cold, u.Sheet} {
		size := "–"
		if s.Bytes > 0 {
			size = fmt.Sprintf("%d kB", s.Bytes>>10)
		}
		name := s.Name
		if s.Path != "" {
			name += " `" + s.Path + "`"
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s× |\n", name, size, ms(s.Product.P50), ms(s.Product.P95), ms(s.Product.Max), s.Baseline, ms(s.Base.P50),
			ratio(float64(s.Product.P50)/float64(max(1, s.Base.P50))))
	}
	p("\nIn process (p50 of %d): `store.UptakeData` %s, `RoundPlans` from the cache %s, `analysis.UptakeOf` %s, the page through Handler without the network %s. ",
		u.Data.N, ms(u.Data.P50), ms(u.Plan.P50), ms(u.Compute.P50), ms(u.Page.P50))
	p("The sheet: %d rows per Kommune and module, %d kB as a workbook of its own.\n\n", u.Rows, u.SheetBytes>>10)
	var errs []string
	for _, s := range []staffCompare{u.Warm, u.Cold, u.Sheet} {
		if s.Product.Errors+s.Base.Errors > 0 {
			errs = append(errs, fmt.Sprintf("%s: %d (first: %s)", s.Name, s.Product.Errors+s.Base.Errors, s.Product.FirstError+s.Base.FirstError))
		}
	}
	if len(errs) > 0 {
		p("Errors: %s\n\n", strings.Join(errs, "; "))
	}
}
