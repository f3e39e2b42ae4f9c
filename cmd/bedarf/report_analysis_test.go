package main

// The Kommunen's reports (analysis.KommuneReport, issue 22) on the demo:
// every figure against a count by hand from the stored answers, and the
// identification scan over every Kommune's report.

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// rhFigures are a Kommune's figure values worked out from its answers
// with the question ids of the default questionnaire (not through the
// analysis code): figure id → value, missing when not answered.
func rhFigures(a survey.Answers) map[string]float64 {
	num := func(q, item string) (float64, bool) {
		v, ok := a[survey.Key{Question: q, Item: item}]
		if !ok || v.Err != nil || !v.HasNum {
			return 0, false
		}
		return v.Num, true
	}
	out := map[string]float64{}
	gu, okGU := num("betreute_gu", "")
	pr, okPR := num("betreute_privat", "")
	if fte, ok := num("fachkraefte_vzae", ""); ok && fte > 0 && (okGU || okPR) {
		out[analysis.FigurePeoplePerFTE] = (gu + pr) / fte
	}
	if v, ok := a[survey.Key{Question: "belastung_gesamt"}]; ok && v.Err == nil {
		if n, err := strconv.Atoi(v.Text); err == nil {
			out[analysis.FigureBurden] = float64(n)
		}
	}
	wish, okW := num("supervision_gruppe_personen", "")
	if staff, ok := num("fachkraefte_personen", ""); ok && okW && staff > 0 {
		out[analysis.FigureGroupWish] = wish / staff
	}
	if v, ok := num("offene_stellen_vzae", ""); ok {
		out[analysis.FigureVacancies] = v
	}
	for _, m := range []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"} {
		if v, ok := num("fortbildung_teilnehmende", m); ok {
			out[analysis.FigureTrainingPrefix+m] = v
		}
	}
	return out
}

// rhRound is a round's submitted figure values by AGS, and every invited
// Kommune.
type rhRound struct {
	values   map[string]map[string]float64 // AGS → figure → value (submitted only)
	kommunen []survey.Kommune
}

func rhRead(t *testing.T, st *store.Store, roundID int64) rhRound {
	t.Helper()
	r := rhRound{values: map[string]map[string]float64{}}
	err := st.EachAnswers(context.Background(), roundID, func(resp survey.Response, a survey.Answers) error {
		r.kommunen = append(r.kommunen, resp.Kommune)
		if resp.Status == survey.StatusSubmitted {
			r.values[resp.Kommune.AGS] = rhFigures(a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rhQuartile is QUARTILE.INC as a spreadsheet defines it: the value at the
// 1-based position 1 + (n−1)·p, between two values linearly.
func rhQuartile(sorted []float64, p float64) float64 {
	pos := 1 + float64(len(sorted)-1)*p
	k := int(pos)
	d := pos - float64(k)
	if k >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[k-1] + d*(sorted[k]-sorted[k-1])
}

// rhDemo seeds the demo (fixed seed and time) into a fresh database.
func rhDemo(t *testing.T) (*store.Store, survey.Round) {
	t.Helper()
	st, _, _ := demoPlanInputs(t)
	round, err := st.LatestRound(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st, round
}

// TestKommuneReportHandCount: on the demo, three Kommunen's reports (a
// large and a small one that submitted, one with a draft only) give for
// every figure the own value, the other submitted Kommunen's quartiles
// and the position that a count by hand from the stored answers gives.
func TestKommuneReportHandCount(t *testing.T) {
	st, round := rhDemo(t)
	raw := rhRead(t, st, round.ID)
	if len(raw.values) != 8 {
		t.Fatalf("the demo has %d submitted responses, the test expects 8", len(raw.values))
	}
	byName := map[string]survey.Kommune{}
	for _, k := range raw.kommunen {
		byName[k.Name] = k
	}
	svc := analysis.NewService(st)
	figures := []string{analysis.FigurePeoplePerFTE, analysis.FigureBurden, analysis.FigureGroupWish, analysis.FigureVacancies,
		analysis.FigureTrainingPrefix + "asylrecht", analysis.FigureTrainingPrefix + "ausbildung_arbeit",
		analysis.FigureTrainingPrefix + "gesundheit", analysis.FigureTrainingPrefix + "trauma"}
	var picked []survey.Kommune
	for _, k := range raw.kommunen { // the first and last submitted, the first draft
		if _, ok := raw.values[k.AGS]; ok && len(picked) == 0 {
			picked = append(picked, k)
		}
	}
	for i := len(raw.kommunen) - 1; i >= 0; i-- {
		if _, ok := raw.values[raw.kommunen[i].AGS]; ok {
			picked = append(picked, raw.kommunen[i])
			break
		}
	}
	resps, err := st.Responses(context.Background(), round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resps {
		if r.Status == survey.StatusDraft {
			picked = append(picked, r.Kommune)
			break
		}
	}
	if len(picked) != 3 {
		t.Fatalf("picked %d Kommunen", len(picked))
	}
	for _, k := range picked {
		t.Run(k.Name, func(t *testing.T) {
			rep, err := svc.KommuneReport(context.Background(), round, k.AGS, analysis.ReportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			own, submitted := raw.values[k.AGS]
			if rep.Submitted != submitted || rep.Answering != len(raw.values) || rep.Kommune.Name != k.Name {
				t.Errorf("submitted %v answering %d name %q", rep.Submitted, rep.Answering, rep.Kommune.Name)
			}
			if len(rep.Figures) != len(figures) {
				t.Errorf("%d figures, want %d", len(rep.Figures), len(figures))
			}
			for _, id := range figures {
				fig, ok := rep.Figure(id)
				if !ok {
					t.Errorf("%s: missing", id)
					continue
				}
				var others []float64
				for ags, vs := range raw.values {
					if v, ok := vs[id]; ok && ags != k.AGS {
						others = append(others, v)
					}
				}
				sort.Float64s(others)
				ownV, ownOK := own[id]
				if fig.OwnAnswered != ownOK || (ownOK && math.Abs(fig.Own-ownV) > 1e-9) {
					t.Errorf("%s: own %v (%v), by hand %v (%v)", id, fig.Own, fig.OwnAnswered, ownV, ownOK)
				}
				if fig.N != len(others) {
					t.Errorf("%s: N %d, by hand %d", id, fig.N, len(others))
				}
				if len(others) < analysis.DefaultMinGroup {
					if fig.Compared {
						t.Errorf("%s: compared over %d others", id, len(others))
					}
					continue
				}
				q1, med, q3 := rhQuartile(others, 0.25), rhQuartile(others, 0.5), rhQuartile(others, 0.75)
				if !fig.Compared || math.Abs(fig.Q1-q1) > 1e-9 || math.Abs(fig.Median-med) > 1e-9 || math.Abs(fig.Q3-q3) > 1e-9 {
					t.Errorf("%s: quartiles %v %v %v (compared %v), by hand %v %v %v over %v", id, fig.Q1, fig.Median, fig.Q3, fig.Compared, q1, med, q3, others)
				}
				pos := analysis.PositionNone
				switch {
				case !ownOK:
				case ownV < q1:
					pos = analysis.PositionBelow
				case ownV > q3:
					pos = analysis.PositionAbove
				default:
					pos = analysis.PositionWithin
				}
				if fig.Position != pos {
					t.Errorf("%s: position %q, by hand %q", id, fig.Position, pos)
				}
			}
		})
	}
}

// rhAllRound adds a round of the demo's questionnaire in which the
// Kommunen for which submit says so submit complete demo answers (a fixed
// seed) with the vacancies answered, and returns it.
func rhAllRound(t *testing.T, st *store.Store, title string, submit func(i int) bool) survey.Round {
	t.Helper()
	ctx := context.Background()
	latest, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, latest.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	sys := survey.Actor{Kind: "system", Label: "Test"}
	day := time.Date(2027, 11, 25, 0, 0, 0, 0, time.UTC)
	rid, err := st.CreateRound(ctx, store.NewRound{QuestionnaireID: latest.QuestionnaireID, Title: title, OpensOn: day,
		Deadline: day.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, sys)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := st.Responses(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2027, 1))
	for i, r := range resps {
		if !submit(i) {
			continue
		}
		form := demoAnswers(rng, r.Kommune, true)
		// The demo leaves the vacancies open; here they are answered, so
		// that the scan sees that figure too.
		form["q.offene_stellen_vzae"] = []string{survey.FormatInputDE(float64(rng.IntN(9)) / 4)}
		res := qn.Check(form, survey.Submit)
		if !res.OK() {
			t.Fatalf("answers of %s: %v", r.Kommune.Name, res.Errors)
		}
		if _, err := st.SaveResponse(ctx, store.Save{ResponseID: r.ID, Answers: res.Answers, Submit: true, Questionnaire: qn, Actor: sys}); err != nil {
			t.Fatal(err)
		}
	}
	round, err := st.Round(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return round
}

// rhNumber finds numbers as German text writes them ("1.234,5", "0,33",
// "12") and as a spreadsheet stores them ("1234.5").
var rhNumber = regexp.MustCompile(`\d+(?:[.,]\d+)*`)

// rhParse reads a number found by rhNumber: German when it has a comma or
// a dot followed by three digits (a thousands dot), else plain.
func rhParse(s string) (float64, bool) {
	german := strings.Contains(s, ",") || regexp.MustCompile(`\.\d{3}(?:\D|$)`).MatchString(s)
	if german {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.ReplaceAll(s, ",", ".")
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// rhRendered is everything a report shows, as text: its messages in
// German and English, its names and labels, its charts as SVG (German and
// English words) and its workbook's cells.
func rhRendered(t *testing.T, rep analysis.KommuneReport) (texts []string, numbers []float64) {
	t.Helper()
	en := func(m *survey.Message) string {
		return m.In(func(key string) string { s, _ := i18n.Raw(i18n.EN, key); return s }, func(s string) string { return s })
	}
	msgs := func(ms ...*survey.Message) {
		for _, m := range ms {
			if m != nil {
				texts = append(texts, m.String(), en(m))
			}
		}
	}
	msgs(rep.Notes...)
	for _, f := range rep.Figures {
		msgs(f.Label, f.Unit, f.Definition, f.Position.Message())
		msgs(f.Notes...)
		numbers = append(numbers, f.Own, f.Q1, f.Median, f.Q3, float64(f.N))
		if !f.Compared {
			if _, err := f.Chart(analysis.GermanReportChartText(f)); err == nil {
				t.Errorf("%s: a chart without comparison", f.ID)
			}
			continue
		}
		de := analysis.GermanReportChartText(f)
		english := analysis.ReportChartText{Title: en(f.Label), ValueLabel: en(f.Unit), Own: "Your municipality", Median: "Median",
			Kind: "Box plot", Others: "other municipalities", Q1: "lower quartile", Q3: "upper quartile",
			Position: en(f.Position.Message()), NotAnswered: "not given"}
		for _, txt := range []analysis.ReportChartText{de, english} {
			c, err := f.Chart(txt)
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(svg))
			for _, row := range c.Rows() {
				texts = append(texts, strings.Join(row, "\t"))
			}
		}
	}
	pl := rep.Plan
	msgs(pl.Notes...)
	msgs(pl.CostRules...)
	texts = append(texts, pl.Scenario)
	for _, g := range pl.Groups {
		msgs(g.Place)
		texts = append(texts, g.ID, strings.Join(g.OtherNames, "\n"))
		numbers = append(numbers, float64(g.Seats), float64(g.Size), float64(g.OtherMembers), g.NetShare, g.GrossShare)
	}
	for _, tr := range pl.Training {
		texts = append(texts, tr.Label)
		numbers = append(numbers, float64(tr.Seats), tr.CostShare)
	}
	for _, c := range rep.Changes {
		msgs(c.Label, c.Unit, c.Note)
		numbers = append(numbers, c.Prev, c.Cur)
		if d, ok := c.Diff(); ok {
			numbers = append(numbers, d)
		}
	}
	var buf bytes.Buffer
	if err := analysis.WriteKommuneReportWorkbook(&buf, rep); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, sh := range wb.GetSheetList() {
		for _, opt := range []excelize.Options{{}, {RawCellValue: true}} {
			rows, err := wb.GetRows(sh, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				texts = append(texts, strings.Join(r, "\t"))
			}
		}
	}
	return texts, numbers
}

// rhScan fails on any other Kommune's name or AGS in the report (apart
// from allowed names), and on any number in it that is a value only one
// other Kommune has for some figure, unless the same number is also one
// the report gives on purpose: an own value, an aggregate, a count or a
// figure of the Kommune's plan part, or a number of the fixed texts, the
// round's title or the date it was made.
func rhScan(t *testing.T, rep analysis.KommuneReport, raw rhRound, allowedNames []string) {
	t.Helper()
	texts, numbers := rhRendered(t, rep)
	all := strings.Join(texts, "\n")
	for _, k := range raw.kommunen {
		if k.AGS == rep.Kommune.AGS || slices.Contains(allowedNames, k.Name) {
			continue
		}
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(k.Name) + `\b`).MatchString(all) {
			t.Errorf("%s's report names %s", rep.Kommune.Name, k.Name)
		}
		if strings.Contains(all, k.AGS) {
			t.Errorf("%s's report has the AGS of %s", rep.Kommune.Name, k.Name)
		}
	}
	for _, name := range allowedNames {
		if !strings.Contains(all, name) {
			t.Errorf("%s's report lacks its group member %s", rep.Kommune.Name, name)
		}
	}
	// Numbers the report gives on purpose.
	fixed := []string{rep.Round.Title, rep.Generated.In(survey.Berlin()).Format("02.01.2006 15:04")}
	allowed := append([]float64{float64(rep.Answering), float64(rep.MinGroup), float64(rep.Plan.Persons), float64(rep.Plan.Unplaced),
		rep.Plan.SupervisionNet, rep.Plan.SupervisionGross, rep.Plan.TrainingCost}, numbers...)
	for _, g := range rep.Plan.Groups {
		allowed = append(allowed, float64(g.Sessions), g.SupervisorHours)
		// The plan's group id ("G07", for asking staff about it) counts
		// groups, not anyone's answer.
		fixed = append(fixed, g.ID)
	}
	for _, m := range rep.Plan.CostRules {
		fixed = append(fixed, m.String())
	}
	for _, f := range rep.Figures {
		fixed = append(fixed, f.Label.String(), f.Unit.String(), f.Definition.String())
	}
	for _, s := range fixed {
		for _, tok := range rhNumber.FindAllString(s, -1) {
			if v, ok := rhParse(tok); ok {
				allowed = append(allowed, v)
			}
		}
	}
	for _, v := range slices.Clone(allowed) { // the scan reads numbers without their sign
		allowed = append(allowed, math.Abs(v))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.005+1e-9*math.Abs(b) }
	isAllowed := func(v float64) bool { return slices.ContainsFunc(allowed, func(a float64) bool { return near(a, v) }) }
	// Values only one other Kommune has.
	type unique struct {
		figure, kommune string
		v               float64
	}
	var uniques []unique
	figs := map[string]bool{}
	for _, vs := range raw.values {
		for id := range vs {
			figs[id] = true
		}
	}
	for id := range figs {
		count := map[float64][]string{}
		for ags, vs := range raw.values {
			if v, ok := vs[id]; ok {
				r := math.Round(v*100) / 100
				count[r] = append(count[r], ags)
			}
		}
		for v, who := range count {
			if len(who) == 1 && who[0] != rep.Kommune.AGS && !isAllowed(v) {
				uniques = append(uniques, unique{id, who[0], v})
			}
		}
	}
	if len(uniques) == 0 {
		return
	}
	found := map[float64]bool{}
	where := map[float64]string{}
	for _, s := range texts {
		// SVG attributes (coordinates, sizes) are not shown text.
		s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
		for _, tok := range rhNumber.FindAllString(s, -1) {
			if v, ok := rhParse(tok); ok {
				found[math.Round(v*100)/100] = true
				where[math.Round(v*100)/100] = s
			}
		}
	}
	for _, u := range uniques {
		if found[u.v] {
			t.Errorf("%s's report shows %s, the %s only Kommune %s has", rep.Kommune.Name, analysis.FormatNumberDE(u.v), u.figure, u.kommune)
			t.Logf("in: %.600s", where[u.v])
		}
	}
}

// rhDerive works out from a Kommune's report and the scenario's
// parameters (which staff may publish) what a reader can derive about the
// other members of its supervision groups, and fails when a derived
// figure equals the other members' persons together or one member's
// persons while the group has fewer than MinGroup other members:
//
//   - a group's size from its cost share: the cost of the group (from the
//     parameters: sessions × (hours × fee + travel on site), with VAT for
//     the gross share) × the Kommune's seats ÷ its share, and from the
//     supervision total when the Kommune is in one group only;
//   - the group's size where the report gives it.
//
// Size − own seats is then the other members' persons. A derivation that
// gives the same whatever the others have says nothing about them: under
// a guide rule (a seat in a full group) it gives GroupMax for every group,
// which matches the truth only in a full group, where the reader cannot
// tell it from any other group. So a full group is not counted as a find
// for the derivation from the shares (it is for a size the report gives).
// It returns the number of groups in which a find was possible (fewer
// than MinGroup others, not full), so the caller can check that the scan
// would see a leak.
func rhDerive(t *testing.T, rep analysis.KommuneReport, sp analysis.ScenarioPlan) (checked int) {
	t.Helper()
	p := sp.Plan.Params
	pl := rep.Plan
	for _, rg := range pl.Groups {
		i := slices.IndexFunc(sp.Plan.Groups, func(g analysis.SupervisionGroup) bool { return g.ID == rg.ID })
		if i < 0 {
			t.Fatalf("%s: group %s not in the plan", rep.Kommune.Name, rg.ID)
		}
		g := sp.Plan.Groups[i]
		var others []int
		sum := 0
		for _, m := range g.Members {
			if m.AGS != rep.Kommune.AGS {
				others = append(others, m.Persons)
				sum += m.Persons
			}
		}
		if len(others) == 0 || len(others) >= rep.MinGroup {
			continue
		}
		isOthers := func(derived float64) bool {
			if math.Abs(derived-float64(sum)) < 0.01 {
				return true
			}
			return slices.ContainsFunc(others, func(n int) bool { return math.Abs(derived-float64(n)) < 0.01 })
		}
		if rg.Size > 0 && isOthers(float64(rg.Size-rg.Seats)) {
			t.Errorf("%s's report gives the size %d of group %s: its %d other members' persons are %d", rep.Kommune.Name, rg.Size, rg.ID, len(others), rg.Size-rg.Seats)
		}
		if g.Size == p.GroupMax {
			continue
		}
		checked++
		perSession := p.HoursPerSession * p.FeePerHour
		if rg.Kind != analysis.GroupOnline {
			perSession += p.TravelPerSession
		}
		net := float64(p.SessionsPerYear) * perSession
		gross := net * (1 + p.VATPercent/100)
		shares := []struct {
			what        string
			cost, share float64
		}{{"net share", net, rg.NetShare}, {"gross share", gross, rg.GrossShare}}
		if len(pl.Groups) == 1 {
			shares = append(shares, struct {
				what        string
				cost, share float64
			}{"supervision total", net, pl.SupervisionNet})
		}
		for _, sh := range shares {
			if sh.share <= 0 {
				continue
			}
			if derived := sh.cost*float64(rg.Seats)/sh.share - float64(rg.Seats); isOthers(derived) {
				t.Errorf("%s's report: from its %s of group %s (%s) and the parameters, its %d other members' persons are %s",
					rep.Kommune.Name, sh.what, rg.ID, analysis.FormatNumberDE(sh.share), len(others), analysis.FormatNumberDE(derived))
			}
		}
	}
	return checked
}

// TestKommuneReportIdentificationScan renders every Kommune's report
// (texts in both languages, charts, workbook) in three rounds of the demo
// — the demo round (8 submitted), a round all 21 answered, a round only 4
// answered — and scans each for any other Kommune's name, AGS or single
// value, and derives from each what can be derived about the other
// members of its supervision groups (rhDerive). With the group members
// allowed, exactly the names of the Kommune's own group members appear.
func TestKommuneReportIdentificationScan(t *testing.T) {
	st, demoRound := rhDemo(t)
	all := rhAllRound(t, st, "Alle antworten", func(int) bool { return true })
	few := rhAllRound(t, st, "Wenige antworten", func(i int) bool { return i%5 == 0 && i < 20 })
	svc := analysis.NewService(st)
	for _, tc := range []struct {
		name      string
		round     survey.Round
		submitted int
	}{
		{"demo round", demoRound, 8},
		{"all 21 answered", all, 21},
		{"4 answered", few, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := rhRead(t, st, tc.round.ID)
			if len(raw.values) != tc.submitted || len(raw.kommunen) != 21 {
				t.Fatalf("%d submitted of %d", len(raw.values), len(raw.kommunen))
			}
			rp, err := svc.RoundPlans(context.Background(), tc.round, false)
			if err != nil {
				t.Fatal(err)
			}
			compared, members, derivable := 0, 0, 0
			for _, k := range raw.kommunen {
				for _, show := range []bool{false, true} {
					rep, err := svc.KommuneReport(context.Background(), tc.round, k.AGS, analysis.ReportOptions{ShowGroupMembers: show})
					if err != nil {
						t.Fatal(err)
					}
					var allowed []string
					if show { // the other members of its groups, from the plan
						for _, g := range rp.Decisive().Plan.Groups {
							if slices.ContainsFunc(g.Members, func(m analysis.GroupMember) bool { return m.AGS == k.AGS }) {
								for _, m := range g.Members {
									if m.AGS != k.AGS && !slices.Contains(allowed, m.Name) {
										allowed = append(allowed, m.Name)
									}
								}
							}
						}
						members += len(allowed)
					}
					rhScan(t, rep, raw, allowed)
					derivable += rhDerive(t, rep, rp.Decisive())
					for _, f := range rep.Figures {
						if f.Compared {
							compared++
						}
					}
				}
			}
			if tc.submitted < analysis.DefaultMinGroup && compared != 0 {
				t.Errorf("%d comparisons with %d answering", compared, tc.submitted)
			}
			if tc.submitted > analysis.DefaultMinGroup && (compared == 0 || members == 0) {
				t.Errorf("the scan saw %d comparisons and %d group members: it would not see a leak", compared, members)
			}
			if tc.submitted > analysis.DefaultMinGroup && derivable == 0 {
				t.Errorf("no report with a group of fewer than %d others that is not full: the derivation would not see a leak", analysis.DefaultMinGroup)
			}
			t.Logf("%d comparisons, %d allowed member names, %d groups open to derivation", compared, members, derivable)
		})
	}
}
