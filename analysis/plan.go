// Package analysis turns survey answers into aggregates, a plan, workbooks and charts.
package analysis

// This file holds the planning model: parameters, inputs, the plan and the
// formulas for costs, training and staffing. The grouping of supervision
// participants lives in plan_group.go, the text rendering in plan_text.go.
//
// Money is computed the way a spreadsheet computes it, so that the workbook,
// whose plan tables are Excel formulas over the Parameter sheet, shows the
// same figures to the cent in Excel and LibreOffice:
//
//   - every money value in a Plan is the unrounded float64 result of its
//     formula, evaluated with the operation order documented at the field
//     (a spreadsheet cell holds the same IEEE double);
//   - explicit float64 conversions keep the compiler from fusing a
//     multiply and an add (FMA), which a spreadsheet never does;
//   - totals add the unrounded values in the order of the table rows, as
//     SUM over the cells does;
//   - rounding to cents happens only at the presentation edge, with
//     RoundCents, which is the spreadsheet's ROUND(x,2): the value is first
//     taken to 15 significant digits and then rounded half away from zero
//     (ROUND(1.005,2) = 1.01 and ROUND(2.675,2) = 2.68, where a naive
//     math.Round(x*100)/100 gives 1.00 and 2.67).
//
// Rounded figures do not always add up to the rounded total (a spreadsheet
// behaves the same); no figure is adjusted to hide that.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"bedarf/survey"
)

// Params are the planning parameters of a round. Staff may change them; the
// defaults and their sources are in data/planning.md. Money is in EUR.
type Params struct {
	// GroupMin and GroupMax bound the number of persons in a supervision
	// group (defaults 5 and 8).
	GroupMin, GroupMax int
	// SessionsPerYear is the number of sessions each group meets per year
	// (default 10).
	SessionsPerYear int
	// HoursPerSession is the length of a session in hours (default 2).
	HoursPerSession float64
	// FeePerHour is the supervisor's fee per hour, net of VAT (default 120).
	FeePerHour float64
	// TravelPerSession is the supervisor's travel allowance per session of
	// a group that meets on site, net of VAT (default 30); online groups
	// have none.
	TravelPerSession float64
	// RadiusKm is the pooling radius: every Kommune of a pooled group lies
	// at most this great-circle distance from the group's meeting place
	// (default 15).
	RadiusKm float64
	// PoolOnline pools the persons who chose the online format region-wide
	// into online groups (default true); when false they count as on site.
	PoolOnline bool
	// VATPercent is the VAT rate on supervision fees and travel in percent
	// (default 19; 0 for supervisors exempt from VAT).
	VATPercent float64
	// TrainingMaxPerDay is the maximum number of participants of one
	// training day (default 20).
	TrainingMaxPerDay int
	// TrainingDayCost is the cost of one training day, trainer and room
	// (default 1200).
	TrainingDayCost float64
	// TargetCaseload is the target number of refugees supported per
	// social-worker FTE (default 80).
	TargetCaseload float64
	// CostPerFTE is the employer's total cost of one social-worker FTE per
	// year (default 75000).
	CostPerFTE float64
}

// DefaultParams returns the defaults of data/planning.md (see ParamSpecs).
func DefaultParams() Params {
	var p Params
	for _, spec := range ParamSpecs() {
		spec.Set(&p, spec.Default)
	}
	return p
}

// FieldError is a problem with one parameter: Field is the name of the
// Params field (e.g. "GroupMax"), Text the message for the person who
// entered the value and Message its German sentence (for the workbook and
// the command line).
type FieldError struct {
	Field   string
	Message string
	Text    *survey.Message
}

// Error returns "Field: Message".
func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// The bounds Validate enforces.
const (
	planGroupMinLow    = 2
	planGroupSizeHigh  = 30
	planSessionsHigh   = 52
	planHoursLow       = 0.5
	planHoursHigh      = 8
	planMoneyHigh      = 1000    // fee and travel per session
	planRadiusHigh     = 500     // km
	planTrainingHigh   = 100     // participants per day
	planDayCostHigh    = 100000  // per training day
	planCaseloadHigh   = 1000    // people per FTE
	planCostPerFTEHigh = 1000000 // per FTE and year
)

// Validate checks every parameter against its ParamSpec and returns one
// FieldError per field that is out of bounds, in the order of ParamSpecs;
// nil means valid.
// Bounds: group sizes 2..30 with minimum ≤ maximum, sessions 1..52, hours
// per session 0.5..8, fee and travel 0..1,000 EUR, radius above 0 up to
// 500 km, VAT 0..100 %, training day 1..100 participants and 0..100,000
// EUR, target caseload 1..1,000, cost per FTE 0..1,000,000 EUR. NaN and
// infinities are refused.
func (p Params) Validate() []FieldError {
	var errs []FieldError
	for _, spec := range ParamSpecs() {
		msg := spec.check(p)
		if msg == nil && spec.Name == "GroupMax" && p.GroupMin >= planGroupMinLow && p.GroupMin <= planGroupSizeHigh && p.GroupMax < p.GroupMin {
			msg = survey.NewMessage("msg.plan.group_order", p.GroupMax, p.GroupMin)
		}
		if msg != nil {
			errs = append(errs, FieldError{Field: spec.Name, Message: msg.String(), Text: msg})
		}
	}
	return errs
}

// Format is the supervision format a Kommune prefers (one answer per
// Kommune). The zero value is FormatNoPreference.
type Format int

// The supervision formats. Everything but FormatOnline counts as on site;
// FormatOnline counts as on site too when Params.PoolOnline is off.
const (
	FormatNoPreference Format = iota // keine Präferenz: counts as on site
	FormatOnSite                     // vor Ort
	FormatNeighbour                  // in einer Nachbarkommune: on site
	FormatOnline                     // online
)

// String returns the German label of the format.
func (f Format) String() string {
	switch f {
	case FormatNoPreference:
		return "keine Präferenz"
	case FormatOnSite:
		return "vor Ort"
	case FormatNeighbour:
		return "in einer Nachbarkommune"
	case FormatOnline:
		return "online"
	}
	return "Format " + strconv.Itoa(int(f))
}

// KommuneInput is what the planning model needs from one Kommune's answers.
type KommuneInput struct {
	// AGS is the official key; it orders the Kommunen and breaks ties.
	AGS string
	// Name is shown in groups and messages (the AGS when empty).
	Name string
	// Lat and Lon are the Kommune's centre in WGS84 degrees. Values out of
	// range, NaN, or both exactly 0 count as missing: such a Kommune can
	// still have its own groups but cannot be pooled.
	Lat, Lon float64
	// GroupPersons is the number of persons wanting group supervision.
	GroupPersons int
	// Format is the preferred supervision format.
	Format Format
	// Training is the number of interested staff per training module id.
	Training map[string]int
	// PeopleSupported is the number of refugees supported now: in
	// municipal accommodation plus in private housing.
	PeopleSupported float64
	// PeopleExpected is the number of refugees the Kommune expects to
	// support 12 months from now, a head count like PeopleSupported (not the
	// additional arrivals: a questionnaire that asks for expected arrivals
	// passes PeopleSupported plus those arrivals).
	PeopleExpected float64
	// FTE is the filled social-worker positions in full-time equivalents
	// (vacancies do not count).
	FTE float64
}

// Module is a training module: a stable id (the key in
// KommuneInput.Training) and its label.
type Module struct{ ID, Label string }

// GroupKind says how a supervision group came about.
type GroupKind string

// The kinds of supervision group.
const (
	// GroupOwn is a group of one Kommune's persons only (Host), meeting
	// there.
	GroupOwn GroupKind = "own"
	// GroupPooled is a group of several Kommunen's persons, meeting in one
	// of them.
	GroupPooled GroupKind = "pooled"
	// GroupOnline is a region-wide online group.
	GroupOnline GroupKind = "online"
)

// Label returns the German name of the kind.
func (k GroupKind) Label() string {
	switch k {
	case GroupOwn:
		return "eigene Gruppe"
	case GroupPooled:
		return "gepoolt"
	case GroupOnline:
		return "online"
	}
	return string(k)
}

// GroupMember is one Kommune's part of a supervision group.
type GroupMember struct {
	AGS, Name string
	// Persons is the number of the Kommune's persons in the group.
	Persons int
	// DistanceKm is the great-circle distance from the Kommune's centre to
	// the meeting place (0 for the meeting place itself and online groups).
	DistanceKm float64
}

// SupervisionGroup is one planned supervision group.
type SupervisionGroup struct {
	// ID is "G01", "G02", … in plan order (more digits beyond 99 groups).
	ID   string
	Kind GroupKind
	// Host is the AGS of the Kommune whose own group this is (GroupOwn
	// only).
	Host string
	// Members are the participating Kommunen, sorted by AGS.
	Members []GroupMember
	// Size is the number of persons, the sum of Members[].Persons.
	Size int
	// MeetingAGS and MeetingName name the member Kommune where the group
	// meets: the one that minimises the members' total travel (persons ×
	// great-circle km) among those within the radius of every member; ties
	// go to the lower AGS. Empty for online groups.
	MeetingAGS, MeetingName string
	// MaxDistanceKm is the largest member distance to the meeting place.
	MaxDistanceKm float64
	// PersonKm is the members' total travel: Σ persons × DistanceKm.
	PersonKm float64
	// Sessions is Params.SessionsPerYear.
	Sessions int
	// SupervisorHours = Sessions × HoursPerSession.
	SupervisorHours float64
	// TravelPerSession is Params.TravelPerSession, or 0 for online groups.
	TravelPerSession float64
	// NetCost = Sessions × (HoursPerSession × FeePerHour + TravelPerSession),
	// evaluated in that order (spreadsheet: =S*(H*F+T)).
	NetCost float64
	// GrossCost = NetCost × (1 + VATPercent / 100).
	GrossCost float64
	// Reason says in German why the group looks like this, e.g.
	// "eigene Gruppe: 13 Personen in Garbsen → 7 + 6".
	Reason string
}

// Online reports whether the group meets online.
func (g SupervisionGroup) Online() bool { return g.Kind == GroupOnline }

// UnplacedPersons are persons of one Kommune who are in no group, because
// the rules could not all hold for them.
type UnplacedPersons struct {
	AGS, Name string
	Persons   int
	// Online is set for persons who chose the online format.
	Online bool
	// Reason is the German explanation, the same text as the issue's.
	Reason string
}

// IssueSeverity ranks a PlanIssue.
type IssueSeverity int

// The severities of plan issues.
const (
	// IssueWarning: a rule could not hold (persons left unplaced) or an
	// input was unusable.
	IssueWarning IssueSeverity = iota
	// IssueNote: worth knowing, nothing lost (e.g. few neighbours).
	IssueNote
)

// Label returns "Warnung" or "Hinweis".
func (s IssueSeverity) Label() string {
	if s == IssueWarning {
		return "Warnung"
	}
	return "Hinweis"
}

// PlanIssue is a warning or note about the plan, naming the Kommune and the
// reason in German ("Uetze: 3 Personen, keine Nachbarkommune im Umkreis von
// 15 km — nicht gruppiert").
type PlanIssue struct {
	Severity IssueSeverity
	// AGS and Name identify the Kommune; empty for region-wide issues.
	AGS, Name string
	// Persons is the number of persons left unplaced (0 for notes and data
	// problems).
	Persons int
	Message string
}

// Detail is Message without the Kommune's name in front, for pages that
// show the name apart ("3 Personen, …" rather than "Gehrden: 3 Personen, …").
func (is PlanIssue) Detail() string {
	if is.Name == "" {
		return is.Message
	}
	return strings.TrimPrefix(is.Message, is.Name+": ")
}

// KommunePlan is one Kommune's part in the supervision plan.
type KommunePlan struct {
	AGS, Name string
	Format    Format
	// Persons is GroupPersons; OnSite and Online split it by how they are
	// planned (Online is 0 when PoolOnline is off).
	Persons, OnSite, Online int
	// InOwnGroups counts the Kommune's persons in its own groups,
	// InPooledGroups those in pooled groups, InOnlineGroups those in online
	// groups; Unplaced the rest.
	InOwnGroups, InPooledGroups, InOnlineGroups, Unplaced int
	// Groups are the ids of the groups with the Kommune's persons.
	Groups []string
	// NetShare = Σ over its groups of NetCost × Persons / Size, the
	// Kommune's share of each group's cost in proportion to its persons
	// (spreadsheet: =Netto*Personen/Größe per group row, summed).
	NetShare float64
	// GrossShare is the same over GrossCost.
	GrossShare float64
}

// KommuneCount is a number per Kommune.
type KommuneCount struct {
	AGS, Name string
	Count     int
}

// TrainingPlan is the plan for one training module.
type TrainingPlan struct {
	ModuleID, Label string
	// Participants is the sum over the Kommunen.
	Participants int
	// Days = ceil(Participants / TrainingMaxPerDay).
	Days int
	// Cost = Days × TrainingDayCost (no VAT applied).
	Cost float64
	// ByKommune lists the Kommunen with participants, sorted by AGS.
	ByKommune []KommuneCount
}

// StaffingRow is one Kommune's staffing figures. Need and gap come from
// the people supported now (PeopleSupported); the *Expected fields give
// the same for PeopleExpected beside them.
type StaffingRow struct {
	AGS, Name                       string
	PeopleSupported, PeopleExpected float64
	FTE                             float64
	// PeoplePerFTE = PeopleSupported / FTE, and PeoplePerFTEExpected =
	// PeopleExpected / FTE; nil when FTE is 0 (no filled position: the
	// ratio is undefined, shown as "–").
	PeoplePerFTE, PeoplePerFTEExpected *float64
	// NeedFTE = PeopleSupported / TargetCaseload.
	NeedFTE float64
	// GapFTE = max(0, NeedFTE − FTE).
	GapFTE float64
	// GapCost = GapFTE × CostPerFTE.
	GapCost float64
	// NeedFTEExpected, GapFTEExpected and GapCostExpected are the same for
	// PeopleExpected.
	NeedFTEExpected, GapFTEExpected, GapCostExpected float64
}

// PlanTotals sums the plan. Money totals add the unrounded row values in
// row order.
type PlanTotals struct {
	// Persons wanting group supervision, split into OnSite and Online, and
	// into Placed (in a group) and Unplaced.
	Persons, OnSite, Online, Placed, Unplaced int
	// Groups counts all groups; OwnGroups, PooledGroups and OnlineGroups
	// by kind.
	Groups, OwnGroups, PooledGroups, OnlineGroups int
	// Sessions and SupervisorHours over all groups.
	Sessions        int
	SupervisorHours float64
	// SupervisionNet and SupervisionGross sum the groups' costs.
	SupervisionNet, SupervisionGross float64
	// TrainingParticipants, TrainingDays and TrainingCost sum the modules.
	TrainingParticipants, TrainingDays int
	TrainingCost                       float64
	// PeopleSupported, PeopleExpected, FTE, NeedFTE, NeedFTEExpected,
	// GapFTE, GapFTEExpected, GapCost and GapCostExpected sum the staffing
	// rows; the gaps are sums of the Kommunen's gaps (a surplus in one
	// Kommune does not fill another's gap).
	PeopleSupported, PeopleExpected, FTE float64
	NeedFTE, NeedFTEExpected             float64
	GapFTE, GapFTEExpected               float64
	GapCost, GapCostExpected             float64
	// PeoplePerFTE = PeopleSupported / FTE and PeoplePerFTEExpected =
	// PeopleExpected / FTE over the region; nil when FTE is 0.
	PeoplePerFTE, PeoplePerFTEExpected *float64
	// KommunenWithoutFTE counts Kommunen without a filled position,
	// KommunenWithGap and KommunenWithGapExpected those with a gap.
	KommunenWithoutFTE, KommunenWithGap, KommunenWithGapExpected int
}

// TotalCost is the headline figure "Gesamtkosten pro Jahr" of the dashboard
// and the workbook: supervision (gross), training and the staffing gap.
func (t PlanTotals) TotalCost() float64 {
	return t.SupervisionGross + t.TrainingCost + t.GapCost
}

// Plan is the result of Compute. Everything in it is sorted; the same
// inputs (in any order) and parameters give an identical Plan.
type Plan struct {
	// Params are the parameters the plan was computed with.
	Params Params
	// ParamErrors lists invalid parameters; when it is not empty nothing
	// else is computed.
	ParamErrors []FieldError
	// Groups are the supervision groups: on-site groups ordered by host or
	// meeting place AGS, then the online groups.
	Groups []SupervisionGroup
	// Unplaced lists persons in no group, by AGS (on site before online).
	Unplaced []UnplacedPersons
	// Issues are warnings first, then notes; each by AGS.
	Issues []PlanIssue
	// Kommunen has one entry per Kommune, by AGS.
	Kommunen []KommunePlan
	// Training has one entry per module: the given modules in their order,
	// then module ids found only in the answers, sorted.
	Training []TrainingPlan
	// Staffing has one row per Kommune, by AGS.
	Staffing []StaffingRow
	Totals   PlanTotals
	// Bound says how good the supervision groups are: bounds on what any
	// plan under the same rules and inputs can achieve.
	Bound PlanBound
}

// PlanBound bounds every plan under the pooling rules for the same inputs
// and parameters, to set the plan against: no plan places more than
// MaxPlaced persons, and no plan that places MaxPlaced persons has fewer
// than MinGroups groups (how they are computed: rule 7 at Compute).
type PlanBound struct {
	MaxPlaced, MinGroups int
	// Proven: the plan places MaxPlaced persons in MinGroups groups, so no
	// plan under these rules places more persons or needs fewer groups.
	Proven bool
	// PersonsGap = MaxPlaced − Totals.Placed: at most this many more
	// persons might be placed by another plan (0 when proven).
	PersonsGap int
	// GroupsGap = Totals.Groups − MinGroups when PersonsGap is 0: at most
	// this many fewer groups might do; 0 otherwise (a plan placing more
	// persons may need more groups).
	GroupsGap int
}

// Guarantee says in German what the plan guarantees, for the plan's text,
// the workbook and the page's German version.
func (b PlanBound) Guarantee() string {
	switch {
	case b.Proven:
		return "Kein Plan nach diesen Regeln gruppiert mehr Personen oder braucht weniger Gruppen (bewiesen)."
	case b.PersonsGap > 0:
		return fmt.Sprintf("Nicht bewiesen: ein anderer Plan könnte bis zu %s mehr gruppieren (obere Schranke: %d gruppierbare Personen).", planPersons(b.PersonsGap), b.MaxPlaced)
	}
	return fmt.Sprintf("Kein Plan nach diesen Regeln gruppiert mehr Personen (bewiesen); ob weniger Gruppen genügen, ist nicht bewiesen: höchstens %s weniger (untere Schranke: %d Gruppen).", planCount(b.GroupsGap, "Gruppe", "Gruppen"), b.MinGroups)
}

// GuaranteeEnglish is Guarantee in English (the workbook carries both).
func (b PlanBound) GuaranteeEnglish() string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	switch {
	case b.Proven:
		return "No plan under these rules places more people or needs fewer groups (proven)."
	case b.PersonsGap > 0:
		return fmt.Sprintf("Not proven: another plan might place up to %s more (upper bound: %d people who can be placed).", plural(b.PersonsGap, "person", "people"), b.MaxPlaced)
	}
	return fmt.Sprintf("No plan under these rules places more people (proven); whether fewer groups would do is not proven: at most %s fewer (lower bound: %d groups).", plural(b.GroupsGap, "group", "groups"), b.MinGroups)
}

// Compute builds the plan from the Kommunen's inputs, the training modules
// and the parameters. It is pure: no I/O, no global state; the order of in
// does not matter (inputs are sorted by AGS first) and the same inputs and
// parameters give an identical Plan. Unusable inputs (negative counts,
// NaN, duplicate AGS: the first by AGS and name is kept) are reported as
// issues and treated as 0 or skipped. Invalid parameters give a Plan with
// only Params and ParamErrors.
//
// Supervision groups follow these rules, in order:
//
//  1. Format. Persons of a Kommune that chose online are planned online
//     when PoolOnline is on; everything else (on site, in a neighbouring
//     Kommune, no preference, and online when PoolOnline is off) is on
//     site.
//
//  2. What is optimised. An on-site group meets in one of its member
//     Kommunen, which has at least one person in it, and every member lies
//     at most RadiusKm (great circle between the Kommune centres) from that
//     meeting place; it has GroupMin to GroupMax persons. A Kommune's
//     persons may be split across groups (its own and pooled ones). Among
//     all such plans the grouping seeks, in this order, the fewest persons
//     without a group, the fewest on-site groups, the least travel (Σ
//     persons × km to the meeting place). A Kommune without coordinates
//     can only meet at home.
//
//  3. Construction (plan_pool.go). The Kommunen with on-site persons are
//     taken hardest first (fewest Kommunen with on-site persons within the
//     radius, then more persons, then AGS); each forms groups at the Kommune
//     within its radius that can gather the most persons (up to max; ties:
//     itself, then the nearer, then AGS), filled with its own persons first,
//     then those of the Kommunen with the fewest options, nearest first,
//     up to max.
//
//  4. Improvement. Persons still without a group get a seat, directly or
//     by moving others along a chain of groups (a breadth-first augmenting
//     path, exact for fixed meeting places); a new group is opened where
//     unplaced persons and groups above the minimum can fill one; a group
//     is dropped when its persons fit elsewhere, smallest first; two groups
//     are merged into a new one, the rest of their persons placed elsewhere
//     (first pairs where a member of one could join the other, the new
//     group within the radius of either's meeting place; then any pair,
//     the new group at any place of a member of either, which also moves
//     a meeting place while it drops a group). On instances of up to 400
//     Kommunen with on-site persons, further starts (other orders, and
//     shuffles from a fixed seed) are tried until one reaches the bounds of
//     rule 7 or all are done; the best counts (fewest unplaced, then
//     groups, then travel). Travel is then shortened by moving a person to
//     a nearer group with room or swapping two persons between groups. The
//     work is bounded by counts (never by a clock), so the plan stays
//     deterministic.
//
//  5. Groups and unplaced persons. The groups meeting at one place get
//     sizes that differ by at most one, one of the place's persons in each;
//     a group of one Kommune's persons is an own group, others are pooled.
//     Persons left without a group are reported with their reason (no
//     coordinates; no Kommune within the radius; too few persons within
//     it; groups within it full and too few for another), never forced
//     into a group that breaks the bounds or the radius.
//
//  6. Online. All online persons of the region form balanced online groups
//     (smallest k with k·min ≤ total ≤ k·max, sizes differing by at most
//     one), filled with the Kommunen in AGS order; a Kommune's online
//     persons may be split across consecutive online groups. If the total
//     fits no k, there are floor(total/max) full groups and the rest is
//     reported unplaced, taken from the Kommunen with the highest AGS. This
//     is optimal in both counts.
//
//  7. Bounds (Plan.Bound). A Kommune's on-site persons can be placed only if
//     some Kommune within its radius has at least min persons within its
//     own radius; Kommunen that could ever share a group form independent
//     clusters; a cluster places at most the largest sum of groups (k·min
//     .. k·max for some k) not above its placeable persons, with at least
//     ceil(that / max) groups, and at least one group for each Kommune of a
//     packing whose possible meeting places no other shares. Online adds
//     its exact figures. When the plan reaches both bounds it is proven
//     optimal in the first two criteria; otherwise the plan states the gap.
//
// The meeting place of an on-site group is the member Kommune, among those
// within the radius of every member, with the least total travel Σ persons
// × km; ties go to the lower AGS.
//
// Complexity: with n Kommunen and m the largest number of Kommunen within
// the radius of one, building the grid is O(n), the neighbour lists
// O(n·m log m), the construction O(n·m²); the improvement is bounded by a
// work count (1,000,000 visited groups per start on instances of up to 400
// Kommunen with on-site persons, 30 per such Kommune above), so the plan
// stays linear in n while the density of Kommunen is bounded (Germany:
// about 20 Kommunen within 15 km).
func Compute(in []KommuneInput, modules []Module, p Params) Plan {
	pl := Plan{Params: p}
	if errs := p.Validate(); len(errs) > 0 {
		pl.ParamErrors = errs
		return pl
	}
	ks := planPrepare(in, &pl)
	planSupervision(ks, p, &pl)
	planTraining(ks, modules, p, &pl)
	planStaffing(ks, p, &pl)
	slices.SortStableFunc(pl.Issues, func(a, b PlanIssue) int {
		return cmp.Or(cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.AGS, b.AGS), cmp.Compare(a.Message, b.Message))
	})
	return pl
}

// planKommune is a sanitised input with the working state of the grouping.
type planKommune struct {
	in    KommuneInput
	name  string
	geoOK bool
	// phi, lam in radians and cos(phi), for distances.
	phi, lam, cosPhi float64
	// onsite and online persons.
	onsite, online int
	// nb lists all Kommunen with coordinates within the radius (only for
	// Kommunen with a remainder), nearest first.
	nb []planNeighbour
}

// planPrepare sorts and sanitises the inputs, reporting what it changes.
func planPrepare(in []KommuneInput, pl *Plan) []planKommune {
	sorted := slices.Clone(in)
	slices.SortFunc(sorted, planCompareInput)
	ks := make([]planKommune, 0, len(sorted))
	warn := func(k KommuneInput, name, msg string) {
		pl.Issues = append(pl.Issues, PlanIssue{Severity: IssueWarning, AGS: k.AGS, Name: name, Message: name + ": " + msg})
	}
	for i, k := range sorted {
		name := k.Name
		if name == "" {
			name = k.AGS
		}
		if i > 0 && sorted[i-1].AGS == k.AGS {
			warn(k, name, "AGS "+k.AGS+" kommt mehrfach vor — dieser Eintrag wird nicht berücksichtigt")
			continue
		}
		if k.GroupPersons < 0 {
			warn(k, name, fmt.Sprintf("negative Zahl Personen für Gruppensupervision (%d) — als 0 gezählt", k.GroupPersons))
			k.GroupPersons = 0
		}
		if k.Format < FormatNoPreference || k.Format > FormatOnline {
			warn(k, name, fmt.Sprintf("unbekanntes Supervisionsformat (%d) — als „vor Ort“ gezählt", int(k.Format)))
			k.Format = FormatNoPreference
		}
		fix := func(v *float64, what string) {
			if math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 {
				warn(k, name, fmt.Sprintf("ungültige Angabe %s (%v) — als 0 gezählt", what, *v))
				*v = 0
			}
		}
		fix(&k.PeopleSupported, "„betreute Personen“")
		fix(&k.PeopleExpected, "„erwartete Personen“")
		fix(&k.FTE, "„Vollzeitstellen“")
		if len(k.Training) > 0 {
			t := make(map[string]int, len(k.Training))
			for _, id := range planSortedKeys(k.Training) {
				n := k.Training[id]
				if n < 0 {
					warn(k, name, fmt.Sprintf("negative Teilnehmendenzahl für Modul %s (%d) — als 0 gezählt", id, n))
					n = 0
				}
				t[id] = n
			}
			k.Training = t
		}
		pk := planKommune{in: k, name: name}
		pk.geoOK = !math.IsNaN(k.Lat) && !math.IsNaN(k.Lon) && math.Abs(k.Lat) <= 90 && math.Abs(k.Lon) <= 180 && (k.Lat != 0 || k.Lon != 0)
		if pk.geoOK {
			pk.phi, pk.lam, pk.cosPhi = planRadians(k.Lat, k.Lon)
		}
		ks = append(ks, pk)
	}
	return ks
}

// planCompareInput orders inputs by AGS, then by every other field, so
// that even duplicates sort the same whatever the input order.
func planCompareInput(a, b KommuneInput) int {
	if c := cmp.Or(cmp.Compare(a.AGS, b.AGS), cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Lat, b.Lat), cmp.Compare(a.Lon, b.Lon),
		cmp.Compare(a.GroupPersons, b.GroupPersons), cmp.Compare(a.Format, b.Format),
		cmp.Compare(a.PeopleSupported, b.PeopleSupported), cmp.Compare(a.PeopleExpected, b.PeopleExpected),
		cmp.Compare(a.FTE, b.FTE)); c != 0 {
		return c
	}
	ka, kb := planSortedKeys(a.Training), planSortedKeys(b.Training)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if c := cmp.Or(cmp.Compare(ka[i], kb[i]), cmp.Compare(a.Training[ka[i]], b.Training[kb[i]])); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(ka), len(kb))
}

func planSortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// planTraining sizes the training modules:
// Days = ceil(Participants / TrainingMaxPerDay), Cost = Days × TrainingDayCost.
// The ceiling is exact integer arithmetic, as CEILING(P/M,1) is for the
// whole numbers involved.
func planTraining(ks []planKommune, modules []Module, p Params, pl *Plan) {
	known := make(map[string]bool, len(modules))
	var list []Module
	for _, m := range modules {
		if known[m.ID] {
			pl.Issues = append(pl.Issues, PlanIssue{Severity: IssueWarning, Message: "Fortbildungsmodul " + m.ID + " ist doppelt angegeben — nur einmal gezählt"})
			continue
		}
		known[m.ID] = true
		list = append(list, m)
	}
	extra := map[string]bool{}
	for _, k := range ks {
		for id, n := range k.in.Training {
			if !known[id] && n > 0 {
				extra[id] = true
			}
		}
	}
	extraIDs := make([]string, 0, len(extra))
	for id := range extra {
		extraIDs = append(extraIDs, id)
	}
	slices.Sort(extraIDs)
	for _, id := range extraIDs {
		list = append(list, Module{ID: id, Label: id})
		pl.Issues = append(pl.Issues, PlanIssue{Severity: IssueNote, Message: "Fortbildungsmodul " + id + " steht in Antworten, aber nicht in der Modulliste — mit seiner Kennung aufgeführt"})
	}
	for _, m := range list {
		tp := TrainingPlan{ModuleID: m.ID, Label: m.Label}
		for _, k := range ks {
			if n := k.in.Training[m.ID]; n > 0 {
				tp.Participants += n
				tp.ByKommune = append(tp.ByKommune, KommuneCount{AGS: k.in.AGS, Name: k.name, Count: n})
			}
		}
		tp.Days = (tp.Participants + p.TrainingMaxPerDay - 1) / p.TrainingMaxPerDay
		tp.Cost = float64(tp.Days) * p.TrainingDayCost
		pl.Training = append(pl.Training, tp)
		pl.Totals.TrainingParticipants += tp.Participants
		pl.Totals.TrainingDays += tp.Days
		pl.Totals.TrainingCost += tp.Cost
	}
}

// planStaffing computes the staffing rows and totals:
// PeoplePerFTE = People / FTE (undefined for FTE 0),
// NeedFTE = People / TargetCaseload, GapFTE = max(0, NeedFTE − FTE),
// GapCost = GapFTE × CostPerFTE; each for the people supported now (which
// drives the gap) and for the people expected in 12 months.
func planStaffing(ks []planKommune, p Params, pl *Plan) {
	t := &pl.Totals
	ratio := func(people, fte float64) *float64 {
		if fte == 0 {
			return nil
		}
		r := people / fte
		return &r
	}
	for _, k := range ks {
		r := StaffingRow{
			AGS: k.in.AGS, Name: k.name,
			PeopleSupported: k.in.PeopleSupported, PeopleExpected: k.in.PeopleExpected, FTE: k.in.FTE,
			PeoplePerFTE:         ratio(k.in.PeopleSupported, k.in.FTE),
			PeoplePerFTEExpected: ratio(k.in.PeopleExpected, k.in.FTE),
			NeedFTE:              k.in.PeopleSupported / p.TargetCaseload,
			NeedFTEExpected:      k.in.PeopleExpected / p.TargetCaseload,
		}
		r.GapFTE = max(0, r.NeedFTE-r.FTE)
		r.GapFTEExpected = max(0, r.NeedFTEExpected-r.FTE)
		r.GapCost = r.GapFTE * p.CostPerFTE
		r.GapCostExpected = r.GapFTEExpected * p.CostPerFTE
		pl.Staffing = append(pl.Staffing, r)

		t.PeopleSupported += r.PeopleSupported
		t.PeopleExpected += r.PeopleExpected
		t.FTE += r.FTE
		t.NeedFTE += r.NeedFTE
		t.NeedFTEExpected += r.NeedFTEExpected
		t.GapFTE += r.GapFTE
		t.GapFTEExpected += r.GapFTEExpected
		t.GapCost += r.GapCost
		t.GapCostExpected += r.GapCostExpected
		if r.FTE == 0 {
			t.KommunenWithoutFTE++
		}
		if r.GapFTE > 0 {
			t.KommunenWithGap++
		}
		if r.GapFTEExpected > 0 {
			t.KommunenWithGapExpected++
		}
	}
	t.PeoplePerFTE = ratio(t.PeopleSupported, t.FTE)
	t.PeoplePerFTEExpected = ratio(t.PeopleExpected, t.FTE)
}

// RoundCents rounds an amount of money to cents the way the spreadsheet
// function ROUND(x,2) does in Excel and LibreOffice: x is first taken to
// 15 significant digits (what the spreadsheet shows and computes with),
// then rounded half away from zero. Amounts of 10^15 and above, NaN and
// infinities are returned unchanged.
func RoundCents(x float64) float64 {
	c, ok := planCents(x)
	if !ok {
		return x
	}
	return float64(c) / 100
}

// planCents returns RoundCents(x) × 100 as an integer; ok is false for NaN,
// infinities and |x| ≥ 10^15.
func planCents(x float64) (cents int64, ok bool) { return planRoundScaled(x, 2) }

// planRoundScaled returns ROUND(x, decimals) × 10^decimals as an integer,
// rounding as a spreadsheet does: x taken to 15 significant digits, then
// half away from zero. ok is false for NaN, infinities, |x| ≥ 10^15 and
// results of 10^18 or more. decimals is 0..6.
func planRoundScaled(x float64, decimals int) (scaled int64, ok bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1e15 || math.Abs(x)*math.Pow10(decimals) >= 1e18 {
		return 0, false
	}
	if x == 0 {
		return 0, true
	}
	s := strconv.FormatFloat(math.Abs(x), 'e', 14, 64) // d.dddddddddddddde±XX
	digits, err1 := strconv.ParseInt(s[:1]+s[2:16], 10, 64)
	exp, err2 := strconv.Atoi(s[17:])
	if err1 != nil || err2 != nil {
		return 0, false
	}
	// |x| ≈ digits × 10^(exp−14), so the result is digits × 10^(exp−14+decimals).
	shift := 14 - decimals - exp
	switch {
	case shift <= 0: // the bound above keeps this within int64
		scaled = digits * planPow10(-shift)
	case shift > 15: // below half a unit of the last decimal
		scaled = 0
	default:
		p := planPow10(shift)
		scaled = digits / p
		if 2*(digits%p) >= p {
			scaled++
		}
	}
	if x < 0 {
		scaled = -scaled
	}
	return scaled, true
}

func planPow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// planNum formats a number the German way with as many decimals as it
// needs ("0,5", "1.000").
func planNum(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	return survey.GermanDigits(s)
}

// planFixed formats x with the given decimals (0..4) the German way
// ("4,9"), rounded as ROUND(x, decimals) does in a spreadsheet.
func planFixed(x float64, decimals int) string {
	v, ok := planRoundScaled(x, decimals)
	if !ok {
		return survey.GermanDigits(strconv.FormatFloat(x, 'f', decimals, 64))
	}
	neg := v < 0
	if neg {
		v = -v
	}
	p := planPow10(decimals)
	s := strconv.FormatInt(v/p, 10)
	if decimals > 0 {
		s += fmt.Sprintf(".%0*d", decimals, v%p)
	}
	if neg && v != 0 {
		s = "-" + s
	}
	return survey.GermanDigits(s)
}

// planEUR formats money rounded like ROUND(x,2): "2.700,00 €".
func planEUR(x float64) string { return planFixed(x, 2) + " €" }

// planPersons writes "1 Person" or "3 Personen".
func planPersons(n int) string { return planCount(n, "Person", "Personen") }

// planCount writes n with the singular or plural noun.
func planCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
