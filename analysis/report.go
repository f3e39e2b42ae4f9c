package analysis

// Results back to the Kommunen: one Kommune's report of a round. It sets
// the Kommune's own figures against the region, gives its part of the
// maßgeblich plan and its change since its previous round, without
// letting it learn anything about any single other Kommune:
//
//   - figures of others appear only as aggregates (lower quartile, median,
//     upper quartile) over at least ReportOptions.MinGroup other
//     Kommunen; below that the comparison is left out with a note;
//   - no minimum, maximum, rank or single value of another Kommune, no
//     free text of others (the report reads numbers and choice codes
//     only);
//   - the plan part names other Kommunen (members and meeting place of a
//     supervision group) only when staff allow it
//     (ReportOptions.ShowGroupMembers); otherwise it gives their count;
//   - the plan part's cost shares are guide values from the Kommune's own
//     seats and the scenario's parameters (a seat in a full group, a seat
//     on a full training day), never the plan's split by the group's size,
//     from which the other members' persons would follow; the group's size
//     is given only over at least MinGroup other members.
//
// Texts are keyed messages (survey.Message, "msg.report.*"): German here,
// both languages in the web's catalogue.

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"bedarf/survey"
)

// DefaultMinGroup is the default of ReportOptions.MinGroup: the fewest
// other Kommunen an aggregate of others is shown over.
const DefaultMinGroup = 5

// ReportOptions are the staff's choices for the Kommunen's reports.
type ReportOptions struct {
	// MinGroup is the fewest other Kommunen whose values an aggregate
	// (quartiles, median) may be computed over; fewer, and the comparison
	// is left out with a note. 0 means DefaultMinGroup; values below 3
	// count as 3 (quartiles of two values are the values themselves).
	MinGroup int
	// ShowGroupMembers allows naming the other members (and the meeting
	// place) of the Kommune's supervision groups; without it the report
	// gives only their number.
	ShowGroupMembers bool
}

// minGroup is the effective threshold.
func (o ReportOptions) minGroup() int {
	switch {
	case o.MinGroup == 0:
		return DefaultMinGroup
	case o.MinGroup < 3:
		return 3
	}
	return o.MinGroup
}

// Report figure ids (ReportFigure.ID); a training figure's id is
// FigureTrainingPrefix followed by the module id.
const (
	FigurePeoplePerFTE   = "people_per_fte"
	FigureBurden         = "burden"
	FigureGroupWish      = "group_wish_per_staff"
	FigureVacancies      = "vacancies"
	FigureTrainingPrefix = "training:"
)

// Report roles: the questions a report figure reads are found by these
// planning roles, and where a questionnaire carries none, by the default
// questionnaire's question id (reportFallbackID), so the figures work on
// rounds made before the roles existed.
const (
	RoleBurden       = "burden_overall" // likert with numeric codes: overall burden
	RoleStaffPersons = "staff_persons"  // integer: social workers (persons)
	RoleVacancies    = "fte_vacant"     // decimal: unfilled positions (FTE)
)

// reportFallbackID maps a report role to the question id of the default
// questionnaire that answers it.
var reportFallbackID = map[string]string{
	RoleBurden:       "belastung_gesamt",
	RoleStaffPersons: "fachkraefte_personen",
	RoleVacancies:    "offene_stellen_vzae",
}

// Position says where a Kommune's value lies against the others'
// quartiles.
type Position string

// The positions. No rank is given: a rank among few Kommunen would tell
// a neighbour's value.
const (
	// PositionNone: no comparison (own value not answered, or too few
	// others).
	PositionNone Position = ""
	// PositionBelow: below the lower quartile of the others.
	PositionBelow Position = "below"
	// PositionWithin: between the lower and the upper quartile
	// (inclusive): in the middle half of the others.
	PositionWithin Position = "within"
	// PositionAbove: above the upper quartile of the others.
	PositionAbove Position = "above"
)

// Message returns the position in words (nil for PositionNone).
func (p Position) Message() *survey.Message {
	switch p {
	case PositionBelow:
		return survey.NewMessage("msg.report.pos.below")
	case PositionWithin:
		return survey.NewMessage("msg.report.pos.within")
	case PositionAbove:
		return survey.NewMessage("msg.report.pos.above")
	}
	return nil
}

// ReportFigure is one key figure of a Kommune's report: its own value and
// the others' quartiles.
//
// The quartiles are computed over the OTHER answering Kommunen, the
// Kommune itself left out: (1) the threshold MinGroup then counts only
// others — an aggregate that included the Kommune's own value over five
// values would, once the Kommune subtracts what it knows, be one over four
// others; (2) the comparison answers "how do the others stand", which one's
// own value would otherwise pull towards itself (one of twenty values
// moves a quartile visibly). So each Kommune's comparison group is the
// region without it.
//
// Quartiles are linear interpolations between order statistics (the
// method of Excel's QUARTILE.INC and R's default, type 7): for sorted
// values x[0..n-1], the p-quantile is x[h] interpolated at h = (n−1)·p.
type ReportFigure struct {
	// ID identifies the figure (FigurePeoplePerFTE, …, or
	// FigureTrainingPrefix + module id).
	ID string
	// Label names the figure (keyed; a training figure's label inserts
	// the module's label from the questionnaire).
	Label *survey.Message
	// Unit is the unit of the values (keyed), for axis and table.
	Unit *survey.Message
	// Definition says how the value is computed from the answers (keyed).
	Definition *survey.Message
	// Own is the Kommune's value when OwnAnswered.
	Own         float64
	OwnAnswered bool
	// N is the number of other Kommunen with a value (those the quartiles
	// are over).
	N int
	// Compared is set when the comparison is shown: N ≥ MinGroup. Q1,
	// Median and Q3 are then the others' lower quartile, median and upper
	// quartile; otherwise they are 0 and Note says why.
	Compared       bool
	Q1, Median, Q3 float64
	// Position is where Own lies against Q1 and Q3 (PositionNone without
	// own value or comparison).
	Position Position
	// Integer is set when the own values are whole numbers (counts and
	// levels); the quartiles may still have decimals.
	Integer bool
	// Notes say why something is missing (not answered, too few others,
	// not asked in the round's questionnaire).
	Notes []*survey.Message
}

// ReportKommune names the Kommune a report is for.
type ReportKommune struct {
	AGS, Name string
}

// ReportGroup is one supervision group the Kommune has persons in.
type ReportGroup struct {
	// ID is the plan's group id ("G03").
	ID string
	// Kind is own, pooled or online.
	Kind GroupKind
	// Place says where the group meets (keyed): online, in the Kommune
	// itself, in a neighbouring Kommune (named only with ShowGroupMembers).
	Place *survey.Message
	// Sessions per year and the supervisor's hours over them.
	Sessions        int
	SupervisorHours float64
	// Seats are the Kommune's persons in the group.
	Seats int
	// OtherMembers is the number of other Kommunen in the group.
	OtherMembers int
	// OtherNames are their names, only with ShowGroupMembers (else nil).
	OtherNames []string
	// Size is the group's number of persons, only with ShowGroupMembers
	// and at least MinGroup other members (else 0): Size − Seats is the
	// other members' persons together, an aggregate that the threshold
	// holds like every other (with one other member it would be that
	// member's number).
	Size int
	// NetShare and GrossShare are the Kommune's guide share of the group's
	// cost: the cost of a group of its kind (GroupCost: online or on site,
	// from the parameters alone) × Seats / GroupMax, the cost of its seats
	// in a full group. It depends on the Kommune's own seats and the
	// parameters only: the plan's split (cost × Seats / Size, see
	// KommunePlan.NetShare) would let a Kommune that knows the group's
	// cost work out Size, and so the other members' persons.
	NetShare, GrossShare float64
}

// ReportTraining is the Kommune's part of one training module.
type ReportTraining struct {
	ModuleID, Label string
	// Seats are the Kommune's participants in the module.
	Seats int
	// CostShare = Seats × TrainingDayCost / TrainingMaxPerDay: the cost of
	// one seat on a full training day (a guide value that depends on the
	// Kommune's own seats only).
	CostShare float64
}

// ReportPlan is the Kommune's part of the maßgeblich plan.
type ReportPlan struct {
	// Available is false when the plan part is left out (Notes say why).
	Available bool
	// Scenario names the decisive scenario.
	Scenario string
	// Persons is the Kommune's number of persons wanting group
	// supervision; Unplaced of them are in no group.
	Persons, Unplaced int
	// Format is the Kommune's preferred format.
	Format Format
	// Groups are the supervision groups with the Kommune's persons.
	Groups []ReportGroup
	// SupervisionNet and SupervisionGross sum the groups' guide shares
	// (ReportGroup.NetShare, GrossShare), not the plan's
	// KommunePlan.NetShare.
	SupervisionNet, SupervisionGross float64
	// Training has one entry per module of the plan (with 0 seats where the
	// Kommune has none).
	Training []ReportTraining
	// TrainingCost sums Training[].CostShare.
	TrainingCost float64
	// CostRules say how the shares are computed (keyed).
	CostRules []*survey.Message
	// Notes are about the Kommune's part (unplaced persons, no wish, …).
	Notes []*survey.Message
}

// ReportChange is one figure's own value in the previous round and now.
type ReportChange struct {
	ID    string
	Label *survey.Message
	Unit  *survey.Message
	// Prev and Cur are the own values when PrevAnswered and CurAnswered.
	Prev, Cur                 float64
	PrevAnswered, CurAnswered bool
	// Note says why a value is missing or not comparable (nil: none).
	Note *survey.Message
}

// Diff returns Cur − Prev and whether both are there.
func (c ReportChange) Diff() (float64, bool) {
	if !c.PrevAnswered || !c.CurAnswered || c.Note != nil {
		return 0, false
	}
	return c.Cur - c.Prev, true
}

// KommuneReport is what one Kommune gets back from a round.
type KommuneReport struct {
	Round   survey.Round
	Kommune ReportKommune
	// Submitted is set when the Kommune's answers were submitted (only
	// submitted answers count, as in the plan).
	Submitted bool
	// Answering is the number of Kommunen with submitted answers,
	// the Kommune itself included.
	Answering int
	// MinGroup is the threshold applied (ReportOptions.MinGroup).
	MinGroup int
	// ShowGroupMembers is the option the report was made with.
	ShowGroupMembers bool
	// Figures are the key figures, in a fixed order: people per FTE,
	// burden, group supervision wish per social worker, vacancies, then
	// one per training module in questionnaire order.
	Figures []ReportFigure
	// Plan is the Kommune's part of the maßgeblich plan.
	Plan ReportPlan
	// Previous is the Kommune's previous round: the newest earlier round
	// in which it submitted answers (nil: none; Notes say so).
	Previous *survey.Round
	// Changes has one entry per figure of Figures when Previous is set.
	Changes []ReportChange
	// Notes are about the report as a whole.
	Notes []*survey.Message
	// Generated is when the report was made.
	Generated time.Time
}

// Figure returns the figure with the id, or false.
func (r KommuneReport) Figure(id string) (ReportFigure, bool) {
	for _, f := range r.Figures {
		if f.ID == id {
			return f, true
		}
	}
	return ReportFigure{}, false
}

// KommuneReport returns the report of the Kommune with the AGS for the
// round: its figures against the others' quartiles (over the round's
// submitted answers), its part of the round's maßgeblich plan (from the
// cache, RoundPlans) and its change since its previous round. A Kommune
// not invited to the round is an ENotFound error.
func (s *Service) KommuneReport(ctx context.Context, round survey.Round, ags string, opt ReportOptions) (KommuneReport, error) {
	rep := KommuneReport{Round: round, MinGroup: opt.minGroup(), ShowGroupMembers: opt.ShowGroupMembers, Generated: time.Now()}
	cur, err := s.reportValues(ctx, round)
	if err != nil {
		return rep, err
	}
	k, ok := cur.kommunen[ags]
	if !ok {
		return rep, survey.NewError(survey.ENotFound, "msg.report.not_invited", ags)
	}
	rep.Kommune = ReportKommune{AGS: k.AGS, Name: k.Name}
	rep.Submitted = cur.submitted[ags]
	rep.Answering = len(cur.order)
	if !rep.Submitted {
		rep.Notes = append(rep.Notes, survey.NewMessage("msg.report.not_submitted"))
	}
	for _, def := range cur.defs {
		rep.Figures = append(rep.Figures, reportFigure(def, cur, ags, rep.MinGroup))
	}

	rp, err := s.RoundPlans(ctx, round, false)
	if err != nil {
		return rep, err
	}
	rep.Plan = reportPlan(rp.Decisive(), ags, opt.ShowGroupMembers, rep.MinGroup)

	if err := s.reportChanges(ctx, &rep, cur); err != nil {
		return rep, err
	}
	return rep, nil
}

// reportDef is a figure's definition resolved in one questionnaire.
type reportDef struct {
	id         string
	label      *survey.Message
	unit       *survey.Message
	definition *survey.Message
	integer    bool
	// questions are the questions the value reads (nil entries: the
	// questionnaire lacks one; the figure is then never answered).
	questions []*survey.Question
	// value computes the figure from a Kommune's answers.
	value func(a survey.Answers) (float64, bool)
	// missing is set when the questionnaire lacks a question.
	missing bool
}

// reportQuestion finds the question with the role, or for a report role
// the default questionnaire's question with its fallback id.
func reportQuestion(qn *survey.Questionnaire, role string) *survey.Question {
	if q := qn.ByPlanning(role); q != nil {
		return q
	}
	if id, ok := reportFallbackID[role]; ok {
		return qn.Question(id)
	}
	return nil
}

// reportNum is the valid number answer to a question (item "" for a
// plain question).
func reportNum(a survey.Answers, q *survey.Question, item string) (float64, bool) {
	if q == nil {
		return 0, false
	}
	v, ok := a[survey.Key{Question: q.ID, Item: item}]
	if !ok || !v.Valid() || !v.HasNum || math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
		return 0, false
	}
	return v.Num, true
}

// reportLevel is the level of a scale answer whose codes are numbers
// ("1" … "5").
func reportLevel(a survey.Answers, q *survey.Question) (float64, bool) {
	if q == nil {
		return 0, false
	}
	v, ok := a[survey.Key{Question: q.ID}]
	if !ok || !v.Valid() {
		return 0, false
	}
	n, err := strconv.ParseFloat(v.Text, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

// reportDefs returns the figures of a questionnaire, in report order.
//
//   - people per FTE = (people in municipal accommodation + in private
//     housing) / filled FTE; answered when the FTE are answered and above
//     0 and at least one of the two head counts is answered (a missing
//     one counts 0, as in the plan's staffing);
//   - burden = the level (1 to 5) of the overall burden;
//   - group supervision wish per social worker = persons wanting group
//     supervision / social workers (persons); answered when both are and
//     the social workers are above 0;
//   - vacancies = unfilled positions (FTE) as answered;
//   - per training module: the interested staff as answered.
func reportDefs(qn *survey.Questionnaire) []reportDef {
	munic, private, fte := reportQuestion(qn, RolePeopleMunic), reportQuestion(qn, RolePeoplePrivate), reportQuestion(qn, RoleFTE)
	burden := reportQuestion(qn, RoleBurden)
	wish, staff := reportQuestion(qn, RoleGroupPersons), reportQuestion(qn, RoleStaffPersons)
	vac := reportQuestion(qn, RoleVacancies)
	defs := []reportDef{
		{
			id: FigurePeoplePerFTE, label: survey.NewMessage("msg.report.fig.people_per_fte"),
			unit: survey.NewMessage("msg.report.unit.people_per_fte"), definition: survey.NewMessage("msg.report.def.people_per_fte"),
			questions: []*survey.Question{fte, munic, private}, missing: fte == nil || (munic == nil && private == nil),
			value: func(a survey.Answers) (float64, bool) {
				f, ok := reportNum(a, fte, "")
				if !ok || f <= 0 {
					return 0, false
				}
				m, okM := reportNum(a, munic, "")
				p, okP := reportNum(a, private, "")
				if !okM && !okP {
					return 0, false
				}
				return (m + p) / f, true
			},
		},
		{
			id: FigureBurden, label: survey.NewMessage("msg.report.fig.burden"),
			unit: survey.NewMessage("msg.report.unit.level"), definition: survey.NewMessage("msg.report.def.burden"),
			integer: true, questions: []*survey.Question{burden}, missing: burden == nil,
			value: func(a survey.Answers) (float64, bool) { return reportLevel(a, burden) },
		},
		{
			id: FigureGroupWish, label: survey.NewMessage("msg.report.fig.group_wish"),
			unit: survey.NewMessage("msg.report.unit.per_staff"), definition: survey.NewMessage("msg.report.def.group_wish"),
			questions: []*survey.Question{wish, staff}, missing: wish == nil || staff == nil,
			value: func(a survey.Answers) (float64, bool) {
				w, ok := reportNum(a, wish, "")
				n, okN := reportNum(a, staff, "")
				if !ok || !okN || n <= 0 {
					return 0, false
				}
				return w / n, true
			},
		},
		{
			id: FigureVacancies, label: survey.NewMessage("msg.report.fig.vacancies"),
			unit: survey.NewMessage("msg.report.unit.fte"), definition: survey.NewMessage("msg.report.def.vacancies"),
			questions: []*survey.Question{vac}, missing: vac == nil,
			value: func(a survey.Answers) (float64, bool) { return reportNum(a, vac, "") },
		},
	}
	if tq := qn.ByPlanning(RoleTraining); tq != nil {
		for _, it := range tq.Items {
			defs = append(defs, reportDef{
				id: FigureTrainingPrefix + it.Value, label: survey.NewMessage("msg.report.fig.training", survey.SafeText(it.Label)),
				unit: survey.NewMessage("msg.report.unit.persons"), definition: survey.NewMessage("msg.report.def.training"),
				integer: true, questions: []*survey.Question{tq},
				value: func(a survey.Answers) (float64, bool) { return reportNum(a, tq, it.Value) },
			})
		}
	}
	return defs
}

// roundValues are the figure values of a round's submitted answers.
type roundValues struct {
	qn   *survey.Questionnaire
	defs []reportDef
	// kommunen are the invited Kommunen by AGS, submitted says which
	// submitted, order lists the submitted ones by AGS.
	kommunen  map[string]survey.Kommune
	submitted map[string]bool
	order     []string
	// values[figure][AGS] is the value of a submitted Kommune that
	// answered the figure.
	values []map[string]float64
}

// reportInputs are a round's figure values, read once per data version
// (the cache entry of Service.reports).
type reportInputs struct {
	once sync.Once
	rv   *roundValues
	err  error
}

// reportValues returns a round's figure values, from the cache while the
// data version stays the same (every report of a round reads the same
// answers). The values are shared: callers must not change them.
func (s *Service) reportValues(ctx context.Context, round survey.Round) (*roundValues, error) {
	v, err := s.src.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	e := entry(s, v, func() map[int64]*reportInputs { return s.reports }, round.ID)
	e.once.Do(func() { e.rv, e.err = s.readReportValues(ctx, round) })
	if e.err != nil {
		s.forget(v, round.ID)
		return nil, e.err
	}
	return e.rv, nil
}

// readReportValues reads a round's submitted answers into figure values.
func (s *Service) readReportValues(ctx context.Context, round survey.Round) (*roundValues, error) {
	qn, err := s.src.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	rv := &roundValues{qn: qn, defs: reportDefs(qn), kommunen: map[string]survey.Kommune{}, submitted: map[string]bool{}}
	rv.values = make([]map[string]float64, len(rv.defs))
	for i := range rv.values {
		rv.values[i] = map[string]float64{}
	}
	err = s.src.EachAnswers(ctx, round.ID, func(resp survey.Response, a survey.Answers) error {
		ags := resp.Kommune.AGS
		rv.kommunen[ags] = resp.Kommune
		if resp.Status != survey.StatusSubmitted {
			return nil
		}
		rv.submitted[ags] = true
		rv.order = append(rv.order, ags)
		for i, d := range rv.defs {
			if v, ok := d.value(a); ok {
				rv.values[i][ags] = v
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("Runde %d: %w", round.ID, err)
	}
	slices.Sort(rv.order)
	return rv, nil
}

// Quartiles returns the lower quartile, the median and the upper quartile
// of the values (type 7, see ReportFigure); the values need not be sorted
// and are not changed. It panics on an empty slice.
func Quartiles(values []float64) (q1, median, q3 float64) {
	xs := slices.Clone(values)
	slices.Sort(xs)
	q := func(p float64) float64 {
		h := float64(len(xs)-1) * p
		lo := int(math.Floor(h))
		if lo+1 >= len(xs) {
			return xs[lo]
		}
		return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
	}
	return q(0.25), q(0.5), q(0.75)
}

// reportFigure builds one figure of the Kommune with the AGS.
func reportFigure(d reportDef, rv *roundValues, ags string, minGroup int) ReportFigure {
	i := slices.IndexFunc(rv.defs, func(x reportDef) bool { return x.id == d.id })
	f := ReportFigure{ID: d.id, Label: d.label, Unit: d.unit, Definition: d.definition, Integer: d.integer}
	if d.missing {
		f.Notes = append(f.Notes, survey.NewMessage("msg.report.not_asked"))
		return f
	}
	f.Own, f.OwnAnswered = rv.values[i][ags]
	if !f.OwnAnswered {
		f.Notes = append(f.Notes, survey.NewMessage("msg.report.own_not_answered"))
	}
	var others []float64
	for _, a := range rv.order {
		if v, ok := rv.values[i][a]; ok && a != ags {
			others = append(others, v)
		}
	}
	f.N = len(others)
	if f.N < minGroup {
		f.Notes = append(f.Notes, survey.NewMessage("msg.report.too_few", f.N, minGroup))
		return f
	}
	f.Compared = true
	f.Q1, f.Median, f.Q3 = Quartiles(others)
	if f.OwnAnswered {
		switch {
		case f.Own < f.Q1:
			f.Position = PositionBelow
		case f.Own > f.Q3:
			f.Position = PositionAbove
		default:
			f.Position = PositionWithin
		}
	}
	return f
}

// reportPlan takes the Kommune's part out of the decisive plan. Every
// figure in it is the Kommune's own (persons, seats, unplaced), from the
// parameters alone (sessions, hours, the guide shares) or a count of
// Kommunen; the group's size only over at least minGroup others.
func reportPlan(sp ScenarioPlan, ags string, showMembers bool, minGroup int) ReportPlan {
	pl := sp.Plan
	out := ReportPlan{Scenario: sp.Scenario.Name}
	if len(pl.ParamErrors) > 0 {
		out.Notes = append(out.Notes, survey.NewMessage("msg.report.plan_invalid"))
		return out
	}
	out.Available = true
	p := pl.Params
	out.CostRules = []*survey.Message{
		survey.NewMessage("msg.report.rule.supervision", p.GroupMax),
		survey.NewMessage("msg.report.rule.training", FormatNumberDE(p.TrainingDayCost), p.TrainingMaxPerDay),
	}
	if i := slices.IndexFunc(pl.Kommunen, func(k KommunePlan) bool { return k.AGS == ags }); i >= 0 {
		kp := pl.Kommunen[i]
		out.Persons, out.Unplaced, out.Format = kp.Persons, kp.Unplaced, kp.Format
	}
	for _, g := range pl.Groups {
		mi := slices.IndexFunc(g.Members, func(m GroupMember) bool { return m.AGS == ags })
		if mi < 0 {
			continue
		}
		rg := ReportGroup{ID: g.ID, Kind: g.Kind, Sessions: g.Sessions, SupervisorHours: g.SupervisorHours,
			Seats: g.Members[mi].Persons, OtherMembers: len(g.Members) - 1}
		if p.GroupMax > 0 {
			net, gross := GroupCost(p, g.Online())
			rg.NetShare = net * float64(rg.Seats) / float64(p.GroupMax)
			rg.GrossShare = gross * float64(rg.Seats) / float64(p.GroupMax)
		}
		out.SupervisionNet += rg.NetShare
		out.SupervisionGross += rg.GrossShare
		switch {
		case g.Online():
			rg.Place = survey.NewMessage("msg.report.place.online")
		case g.MeetingAGS == ags:
			rg.Place = survey.NewMessage("msg.report.place.own")
		case showMembers:
			rg.Place = survey.NewMessage("msg.report.place.named", survey.SafeText(g.MeetingName))
		default:
			rg.Place = survey.NewMessage("msg.report.place.neighbour")
		}
		if showMembers {
			if rg.OtherMembers >= minGroup {
				rg.Size = g.Size
			}
			for _, m := range g.Members {
				if m.AGS != ags {
					rg.OtherNames = append(rg.OtherNames, survey.SafeText(m.Name))
				}
			}
		}
		out.Groups = append(out.Groups, rg)
	}
	switch {
	case out.Persons == 0:
		out.Notes = append(out.Notes, survey.NewMessage("msg.report.no_group_wish"))
	case out.Unplaced > 0:
		out.Notes = append(out.Notes, survey.NewMessage("msg.report.unplaced", out.Unplaced))
	}
	for _, t := range pl.Training {
		rt := ReportTraining{ModuleID: t.ModuleID, Label: survey.SafeText(t.Label)}
		if j := slices.IndexFunc(t.ByKommune, func(c KommuneCount) bool { return c.AGS == ags }); j >= 0 {
			rt.Seats = t.ByKommune[j].Count
		}
		if p.TrainingMaxPerDay > 0 {
			rt.CostShare = float64(rt.Seats) * p.TrainingDayCost / float64(p.TrainingMaxPerDay)
		}
		out.TrainingCost += rt.CostShare
		out.Training = append(out.Training, rt)
	}
	return out
}

// reportChanges finds the Kommune's previous round (the newest earlier
// one in which it submitted) and sets its own values then and now.
func (s *Service) reportChanges(ctx context.Context, rep *KommuneReport, cur *roundValues) error {
	rounds, err := s.src.Rounds(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(rounds, func(a, b survey.Round) int { return cmp.Compare(b.ID, a.ID) })
	for _, r := range rounds {
		if r.ID >= rep.Round.ID {
			continue
		}
		prev, err := s.reportValues(ctx, r)
		if err != nil {
			return fmt.Errorf("Vorrunde %d: %w", r.ID, err)
		}
		if !prev.submitted[rep.Kommune.AGS] {
			continue
		}
		rep.Previous = &r
		for i, d := range cur.defs {
			c := ReportChange{ID: d.id, Label: d.label, Unit: d.unit}
			c.Cur, c.CurAnswered = cur.values[i][rep.Kommune.AGS]
			j := slices.IndexFunc(prev.defs, func(x reportDef) bool { return x.id == d.id })
			switch {
			case j < 0 || prev.defs[j].missing:
				c.Note = survey.NewMessage("msg.report.prev_not_asked")
			default:
				if ok, why := reportComparable(prev.defs[j], d); !ok {
					c.Note = survey.NewMessage("msg.report.prev_changed", why)
				} else {
					c.Prev, c.PrevAnswered = prev.values[j][rep.Kommune.AGS]
				}
			}
			rep.Changes = append(rep.Changes, c)
		}
		return nil
	}
	rep.Notes = append(rep.Notes, survey.NewMessage("msg.report.no_previous"))
	return nil
}

// reportComparable checks that the questions of a figure in two rounds
// can be compared (Comparable, pairwise).
func reportComparable(a, b reportDef) (bool, *survey.Message) {
	if len(a.questions) != len(b.questions) {
		return false, survey.NewMessage("msg.compare.in_neither")
	}
	for i := range a.questions {
		if a.questions[i] == nil && b.questions[i] == nil {
			continue
		}
		if ok, why := Comparable(a.questions[i], b.questions[i]); !ok {
			return false, why
		}
	}
	return true, nil
}
