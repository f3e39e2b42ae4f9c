package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// paramField is one planning parameter on the scenario form, as
// analysis.ParamSpecs describes it (Label, Unit and Help are catalogue
// keys; Unit and Help may be empty).
type paramField struct{ analysis.ParamSpec }

// FormValue returns the parameter's value in p as the form shows it.
//
// Exported for package main's end-to-end tests.
func (f paramField) FormValue(p analysis.Params) string {
	v := f.Get(p)
	switch f.Kind {
	case analysis.ParamBool:
		return strconv.FormatBool(v != 0)
	case analysis.ParamInt:
		return strconv.Itoa(int(v))
	}
	return survey.FormatInputDE(v)
}

// set reads the form's raw value into p; false: not a number (of the
// right kind).
func (f paramField) set(p *analysis.Params, raw string) bool {
	if f.Kind == analysis.ParamBool {
		v := 0.0
		if raw != "" {
			v = 1
		}
		f.Set(p, v)
		return true
	}
	v, err := survey.ParseNumber(raw)
	if err != nil || (f.Kind == analysis.ParamInt && v != float64(int(v))) {
		return false
	}
	f.Set(p, v)
	return true
}

// ParamFields lists the planning parameters in the order of the form.
//
// Exported for package main's end-to-end tests.
func ParamFields() []paramField {
	specs := analysis.ParamSpecs()
	out := make([]paramField, len(specs))
	for i, spec := range specs {
		out[i] = paramField{spec}
	}
	return out
}

// planPage shows a round's plan with its scenarios.
type planPage struct {
	Round     survey.Round
	Scenarios []scenarioView
	Selected  scenarioView
	Fields    []fieldView
	Submitted int // responses the plan is based on
	FormName  string
	NameError string // a refused scenario name
	Groups    int    // the selected scenario's groups, all of them
	// NoBoundaries is set when no boundaries are stored: a notice stands
	// where the map would be.
	NoBoundaries bool
	// List is set when the plan's Kommunen are shown page by page (more
	// than ListPageSize, or asked for in the address); the Kommune parts
	// of Selected.Plan then hold the page's Kommunen only.
	List *planList
	// ShareColumns are the headers of the Kommunen's shares, sortable
	// (planShareColumns); the page's Kommunen follow that order.
	ShareColumns []sortColumn
	// StaffColumns are the headers of the staffing table, sortable on
	// their own (planStaffColumns, parameters "personal-sortierung" and
	// "personal-richtung"): the staffing rows (of the page's Kommunen)
	// follow that order, StaffSort, which every other link of the page
	// keeps, as the staffing headers keep the shares' sort.
	StaffColumns []sortColumn
	StaffSort    listSort
	keep         listPage // page, search, size and the shares' sort
}

// staffSortPrefix prefixes the staffing table's sort parameters.
const staffSortPrefix = "personal-"

// planStaffColumns are the sortable columns of the plan's staffing table,
// by AGS by default (no column of its own); planStaffOrder compares the
// rows by each. An undefined ratio (no FTE) sorts above every number.
var planStaffColumns = []sortableColumn{
	{Value: "ags"}, {Value: "name", Key: "common.kommune"}, {Value: "betreut", Key: "plan.supported"},
	{Value: "vzae", Key: "plan.fte"}, {Value: "pro-vzae", Key: "plan.per_fte"}, {Value: "pro-vzae-12", Key: "plan.per_fte_12"},
	{Value: "bedarf", Key: "plan.need"}, {Value: "luecke", Key: "plan.gap"}, {Value: "kosten", Key: "plan.gap_cost"},
}

var planStaffOrder = map[string]func(a, b analysis.StaffingRow) int{
	"name":     func(a, b analysis.StaffingRow) int { return byName(a.Name, b.Name) },
	"betreut":  func(a, b analysis.StaffingRow) int { return cmp.Compare(a.PeopleSupported, b.PeopleSupported) },
	"vzae":     func(a, b analysis.StaffingRow) int { return cmp.Compare(a.FTE, b.FTE) },
	"pro-vzae": func(a, b analysis.StaffingRow) int { return compareRatio(a.PeoplePerFTE, b.PeoplePerFTE) },
	"pro-vzae-12": func(a, b analysis.StaffingRow) int {
		return compareRatio(a.PeoplePerFTEExpected, b.PeoplePerFTEExpected)
	},
	"bedarf": func(a, b analysis.StaffingRow) int { return cmp.Compare(a.NeedFTE, b.NeedFTE) },
	"luecke": func(a, b analysis.StaffingRow) int { return cmp.Compare(a.GapFTE, b.GapFTE) },
	"kosten": func(a, b analysis.StaffingRow) int { return cmp.Compare(a.GapCost, b.GapCost) },
}

// compareRatio compares two ratios, nil (undefined: no FTE) above all.
func compareRatio(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

// planShareColumns are the sortable columns of the plan's shares table,
// by AGS by default (no column of its own); planShareOrder compares the
// Kommunen by each.
var planShareColumns = []sortableColumn{
	{Value: "ags"}, {Value: "name", Key: "common.kommune"}, {Value: "personen", Key: "plan.persons"},
	{Value: "eigene", Key: "plan.in_own"}, {Value: "gemeinsam", Key: "plan.shared"}, {Value: "online", Key: "plan.online"},
	{Value: "ohne", Key: "plan.no_group"}, {Key: "plan.groups_col"}, {Value: "anteil", Key: "plan.share_gross"},
}

var planShareOrder = map[string]func(a, b analysis.KommunePlan) int{
	"name":      func(a, b analysis.KommunePlan) int { return byName(a.Name, b.Name) },
	"personen":  func(a, b analysis.KommunePlan) int { return cmp.Compare(a.Persons, b.Persons) },
	"eigene":    func(a, b analysis.KommunePlan) int { return cmp.Compare(a.InOwnGroups, b.InOwnGroups) },
	"gemeinsam": func(a, b analysis.KommunePlan) int { return cmp.Compare(a.InPooledGroups, b.InPooledGroups) },
	"online":    func(a, b analysis.KommunePlan) int { return cmp.Compare(a.InOnlineGroups, b.InOnlineGroups) },
	"ohne":      func(a, b analysis.KommunePlan) int { return cmp.Compare(a.Unplaced, b.Unplaced) },
	"anteil":    func(a, b analysis.KommunePlan) int { return cmp.Compare(a.GrossShare, b.GrossShare) },
}

// Action returns the address of a scenario form (path after ".../plan"):
// it keeps the Kommunen's page, search and page size, so that the page
// the form returns to shows the same Kommunen.
func (p planPage) Action(path string) string {
	u := fmt.Sprintf("/verwaltung/runden/%d/plan%s", p.Round.ID, path)
	if v := p.query(); len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// query returns the Kommunen's page, search, page size and both tables'
// sorts as query parameters, leaving out defaults.
func (p planPage) query() url.Values {
	page := 1
	if p.List != nil {
		page = p.List.Page
	}
	v := p.keep.values(page)
	p.StaffSort.setAs(v, staffSortPrefix)
	return v
}

// ScenarioHref links a scenario's column, keeping the Kommunen's page and
// the tables' sorts.
func (p planPage) ScenarioHref(id int64) string {
	v := p.query()
	v.Set("szenario", strconv.FormatInt(id, 10))
	return "?" + v.Encode() + "#parameter"
}

// scenarioView is a scenario with its plan, as the staff pages show it.
type scenarioView struct {
	store.Scenario
	Plan analysis.Plan
}

type fieldView struct {
	paramField
	Value string
	Error string
}

// roundPlans returns the plans of a round's scenarios (the decisive one
// first; only that one unless all) from the analysis service, which
// computes each once per data version, as views, with the service's result.
func (s *Server) roundPlans(c *gin.Context, round survey.Round, all bool) ([]scenarioView, analysis.RoundPlans, error) {
	rp, err := s.An.RoundPlans(c.Request.Context(), round, all)
	if err != nil {
		return nil, rp, err
	}
	views := make([]scenarioView, len(rp.Scenarios))
	for i, sp := range rp.Scenarios {
		views[i] = scenarioView{Scenario: sp.Scenario, Plan: sp.Plan}
	}
	return views, rp, nil
}

func (s *Server) planPage(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.renderPlan(c, round, http.StatusOK, nil, nil)
}

// renderPlan shows the plan page; form and errs carry a refused parameter
// form for the selected scenario, errs by field in the page's language.
func (s *Server) renderPlan(c *gin.Context, round survey.Round, status int, form map[string]string, errs map[string]string) {
	views, rp, err := s.roundPlans(c, round, true)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	qv := c.Request.URL.Query()
	lp, perr := parseListPage(qv)
	if perr == nil {
		lp.Sort, perr = parseListSort(qv, planShareColumns)
	}
	var staff listSort
	if perr == nil {
		staff, perr = parseListSortAs(qv, planStaffColumns, staffSortPrefix)
	}
	if perr != nil {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, perr.Key, perr.Args...))
		return
	}
	_, hasBounds, err := s.St.BoundariesStored(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := planPage{Round: round, Scenarios: views, Selected: views[0], Submitted: rp.Submitted, NoBoundaries: !hasBounds,
		keep: lp, StaffSort: staff}
	want, _ := strconv.ParseInt(c.Query("szenario"), 10, 64)
	if id, err := strconv.ParseInt(c.Param("scenario"), 10, 64); err == nil {
		want = id
	}
	for _, v := range views {
		if v.ID == want {
			p.Selected = v
		}
	}
	p.Groups = len(p.Selected.Plan.Groups)
	p.Selected.Plan.Kommunen = slices.Clone(p.Selected.Plan.Kommunen)
	sortRows(p.Selected.Plan.Kommunen, lp.Sort, planShareOrder, func(k analysis.KommunePlan) string { return k.AGS })
	scenario := int64(0)
	if p.Selected.ID != views[0].ID {
		scenario = p.Selected.ID
	}
	p.ShareColumns = sortHeaders(lp.Sort, planShareColumns, func(to listSort) string {
		o := lp
		o.Sort = to
		return strings.TrimSuffix((&planList{Scenario: scenario, keep: o, staff: staff}).url(round.ID, 1), "#auswahl") + "#anteile"
	})
	page := 1
	if len(p.Selected.Plan.Kommunen) > ListPageSize || slices.ContainsFunc(pageParams, qv.Has) {
		p.List, p.Selected.Plan = newPlanList(round.ID, scenario, lp, staff, p.Selected.Plan)
		page = p.List.Page
	}
	// The staffing rows are those of the page's Kommunen, sorted on their
	// own; a new sort stays on the page.
	p.Selected.Plan.Staffing = slices.Clone(p.Selected.Plan.Staffing)
	sortRows(p.Selected.Plan.Staffing, staff, planStaffOrder, func(r analysis.StaffingRow) string { return r.AGS })
	p.StaffColumns = sortHeaders(staff, planStaffColumns, func(to listSort) string {
		return strings.TrimSuffix((&planList{Scenario: scenario, keep: lp, staff: to}).url(round.ID, page), "#auswahl") + "#personal"
	})
	p.FormName = p.Selected.Name
	p.NameError = errs["name"]
	if form != nil {
		p.FormName = form["name"]
	}
	for _, f := range ParamFields() {
		fv := fieldView{paramField: f, Value: f.FormValue(p.Selected.Plan.Params), Error: errs[f.Name]}
		if form != nil {
			fv.Value = form[f.Name]
		}
		p.Fields = append(p.Fields, fv)
	}
	s.Render(c, status, "plan", PageData{Title: tr(c, "plan.title", round.Title), Page: p})
}

// actor returns the signed-in staff member as an audit actor.
func staffActor(c *gin.Context) survey.Actor {
	u := session(c).User
	return survey.Actor{Kind: "staff", ID: u.ID, Label: u.Name}
}

// scenarioID reads the scenario of the URL. Before a change, the round's
// default scenario is stored if it only existed implicitly (id 0). When it
// returns false it has answered: 404 for a bad id, else as errorFor does
// (503 with the posted values when the storage failed).
func (s *Server) scenarioID(c *gin.Context, round survey.Round) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("scenario"), 10, 64)
	if err != nil || id < 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.scenario.not_found"))
		return 0, false
	}
	decisive, err := s.St.EnsureScenarios(c.Request.Context(), round.ID, analysis.MarshalParams(analysis.DefaultParams()))
	if err != nil {
		s.errorFor(c, err)
		return 0, false
	}
	if id == 0 {
		id = decisive
	}
	return id, true
}

// updateScenario saves a scenario's parameters after validating them; the
// plan is recomputed on the page it redirects to.
func (s *Server) updateScenario(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	id, ok := s.scenarioID(c, round)
	if !ok {
		return
	}
	scs, err := s.An.Scenarios(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	i := slices.IndexFunc(scs, func(sp analysis.ScenarioPlan) bool { return sp.Scenario.ID == id })
	if i < 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.scenario.not_found"))
		return
	}
	params := scs[i].Params
	form := map[string]string{"name": c.Request.PostForm.Get("name")}
	errs := map[string]string{}
	for _, f := range ParamFields() {
		raw := strings.TrimSpace(c.Request.PostForm.Get(f.Name))
		form[f.Name] = raw
		if f.Bool {
			form[f.Name] = strconv.FormatBool(raw != "")
		}
		if !f.set(&params, raw) {
			errs[f.Name] = tr(c, "msg.answer.number")
			if f.Int {
				errs[f.Name] = tr(c, "msg.answer.integer")
			}
		}
	}
	for _, fe := range params.Validate() {
		if errs[fe.Field] == "" {
			errs[fe.Field] = trm(c, fe.Text)
		}
	}
	if len(errs) == 0 {
		err = s.St.UpdateScenario(c.Request.Context(), round.ID, id, form["name"], analysis.MarshalParams(params), staffActor(c))
		if err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/verwaltung/runden/%d/plan?%s#parameter", round.ID, keepPlanList(c, id)))
			return
		}
		if s.unsaved(c, err) {
			// The parameters come back as typed, the reason at the name.
			errs["name"] = tr(c, "storage.notice")
			s.renderPlan(c, round, http.StatusServiceUnavailable, form, errs)
			return
		}
		if survey.ErrorCode(err) == "" {
			s.errorFor(c, err)
			return
		}
		errs["name"] = emsg(c, err)
	}
	s.renderPlan(c, round, http.StatusUnprocessableEntity, form, errs)
}

func (s *Server) createScenario(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	if _, err := s.St.EnsureScenarios(c.Request.Context(), round.ID, analysis.MarshalParams(analysis.DefaultParams())); err != nil {
		s.errorFor(c, err)
		return
	}
	scs, err := s.An.Scenarios(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	from := scs[0].Scenario
	if id, err := strconv.ParseInt(c.Request.PostForm.Get("von"), 10, 64); err == nil {
		for _, v := range scs {
			if v.Scenario.ID == id {
				from = v.Scenario
			}
		}
	}
	id, err := s.St.CreateScenario(c.Request.Context(), round.ID, c.Request.PostForm.Get("name"), from.Params, staffActor(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/verwaltung/runden/%d/plan?%s#parameter", round.ID, keepPlanList(c, id)))
}

func (s *Server) markDecisive(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	id, ok := s.scenarioID(c, round)
	if !ok {
		return
	}
	if err := s.St.MarkDecisive(c.Request.Context(), round.ID, id, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/verwaltung/runden/%d/plan?%s", round.ID, keepPlanList(c, id)))
}

func (s *Server) deleteScenario(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	id, ok := s.scenarioID(c, round)
	if !ok {
		return
	}
	if err := s.St.DeleteScenario(c.Request.Context(), round.ID, id, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	u := fmt.Sprintf("/verwaltung/runden/%d/plan", round.ID)
	if keep := keepPlanList(c, 0); keep != "" {
		u += "?" + keep
	}
	c.Redirect(http.StatusSeeOther, u)
}

// planMap serves the map of the selected scenario's groups as SVG, drawn
// once per data version (see mapCache).
func (s *Server) planMap(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	want, _ := strconv.ParseInt(c.Query("szenario"), 10, 64)
	ctx := c.Request.Context()
	e, err := s.maps.chart(ctx, s.St, mapKey{"plan", round.ID, want}, func() (*analysis.Chart, error) {
		views, _, err := s.roundPlans(c, round, true)
		if err != nil {
			return nil, err
		}
		sel := views[0]
		for _, v := range views {
			if v.ID == want {
				sel = v
			}
		}
		ks, err := s.St.Kommunen(ctx)
		if err != nil {
			return nil, err
		}
		bounds, err := s.St.Boundaries(ctx)
		if err != nil {
			return nil, err
		}
		return groupMap(sel.Plan, ks, bounds)
	})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	svg, err := e.SVG()
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/svg+xml", svg)
}

// groupMap draws the Kommunen coloured by persons wanting group supervision,
// with a marker at each on-site group's meeting place, on the stored
// boundaries (nil: none stored, the map says so).
func groupMap(pl analysis.Plan, ks []survey.Kommune, boundaries []byte) (*analysis.Chart, error) {
	where := map[string]survey.Kommune{}
	for _, k := range ks {
		where[k.AGS] = k
	}
	values := map[string]float64{}
	names := map[string]string{}
	for _, k := range pl.Kommunen {
		values[k.AGS] = float64(k.Persons)
		names[k.AGS] = k.Name
	}
	var markers []analysis.MapMarker
	for _, g := range pl.Groups {
		if k, ok := where[g.MeetingAGS]; ok && !g.Online() {
			markers = append(markers, analysis.MapMarker{Label: g.ID, Lat: k.Lat, Lon: k.Lon})
		}
	}
	return analysis.NewMap(analysis.MapSpec{
		Title:       "Supervisionsgruppen und Treffpunkte",
		ValueLabel:  "Personen mit Wunsch nach Gruppensupervision",
		Values:      values,
		Names:       names,
		Markers:     markers,
		MarkerLabel: "Treffpunkt einer Gruppe",
		GeoJSON:     boundaries,
	})
}

// planList is the plan page's Kommunen page by page, with a search by
// name or AGS. A nation-wide plan has thousands of Kommunen, each with a
// row in the shares and the staffing table, its demand in every training
// module and often a note; the groups are about a third as many. All of
// them follow the page: the notes, groups (those with a member on the
// page), shares, training demand and staffing of the page's Kommunen,
// while the comparison of scenarios, the map and every total cover all.
type planList struct {
	*listView
	Scenario int64    // the scenario chosen in the address (0: the first)
	keep     listPage // page size and search, for the scenario forms
	staff    listSort // the staffing table's sort, kept by the pages' links
}

// newPlanList picks the page of the plan's Kommunen that lp asks for (a
// page past the end shows the last) and returns the plan cut to them.
func newPlanList(roundID, scenario int64, lp listPage, staff listSort, pl analysis.Plan) (*planList, analysis.Plan) {
	l := &planList{Scenario: scenario, keep: lp, staff: staff}
	var shown []analysis.KommunePlan
	l.listView, shown = pageOf(lp, pl.Kommunen, func(k analysis.KommunePlan) (string, string) { return k.AGS, k.Name },
		fmt.Sprintf("/verwaltung/runden/%d/plan#auswahl", roundID), "plan.list.pages", func(n int) string { return l.url(roundID, n) })
	on := make(map[string]bool, len(shown))
	for _, k := range shown {
		on[k.AGS] = true
	}
	return l, planOf(pl, on)
}

// url returns the address of page n, keeping search, page size, the
// tables' sorts and scenario and leaving out defaults.
func (l *planList) url(roundID int64, n int) string {
	v := l.keep.values(n)
	l.staff.setAs(v, staffSortPrefix)
	if l.Scenario != 0 {
		v.Set("szenario", strconv.FormatInt(l.Scenario, 10))
	}
	u := fmt.Sprintf("/verwaltung/runden/%d/plan", roundID)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u + "#auswahl"
}

// planOf returns the plan's parts about the Kommunen in on: their notes
// (and those about no Kommune), the groups with one of them as a member,
// their shares, training demand and staffing. Params and Totals stay
// those of the whole plan.
func planOf(pl analysis.Plan, on map[string]bool) analysis.Plan {
	out := pl
	out.Issues = slices.DeleteFunc(slices.Clone(pl.Issues), func(i analysis.PlanIssue) bool { return i.AGS != "" && !on[i.AGS] })
	out.Groups = slices.DeleteFunc(slices.Clone(pl.Groups), func(g analysis.SupervisionGroup) bool {
		return !slices.ContainsFunc(g.Members, func(m analysis.GroupMember) bool { return on[m.AGS] })
	})
	out.Kommunen = slices.DeleteFunc(slices.Clone(pl.Kommunen), func(k analysis.KommunePlan) bool { return !on[k.AGS] })
	out.Staffing = slices.DeleteFunc(slices.Clone(pl.Staffing), func(r analysis.StaffingRow) bool { return !on[r.AGS] })
	out.Training = slices.Clone(pl.Training)
	for i := range out.Training {
		out.Training[i].ByKommune = slices.DeleteFunc(slices.Clone(pl.Training[i].ByKommune), func(k analysis.KommuneCount) bool { return !on[k.AGS] })
	}
	return out
}

// keepPlanList returns the query of the plan page a scenario form returns
// to: the scenario (id > 0) and the Kommunen's page, search and page size
// the form's address carries (dropped if they make no sense).
func keepPlanList(c *gin.Context, id int64) string {
	v := url.Values{}
	if lp, err := parseListPage(c.Request.URL.Query()); err == nil {
		lp.Sort, _ = parseListSort(c.Request.URL.Query(), planShareColumns)
		v = lp.values(lp.Page)
	}
	if staff, err := parseListSortAs(c.Request.URL.Query(), planStaffColumns, staffSortPrefix); err == nil {
		staff.setAs(v, staffSortPrefix)
	}
	if id > 0 {
		v.Set("szenario", strconv.FormatInt(id, 10))
	}
	return v.Encode()
}
