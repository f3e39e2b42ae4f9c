package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// dashboardPage is the round overview: progress by status, the deadline,
// who is missing with their last activity, key figures from the decisive
// scenario and the demand map.
type dashboardPage struct {
	Round     survey.Round
	Rounds    []survey.Round
	Nav       roundNav
	Missing   []survey.Response // not submitted: not begun, in progress, returned
	Done      []survey.Response // submitted
	MissingN  int               // not submitted in all (or of the filter's)
	DoneN     int               // submitted in all (or of the filter's)
	Counts    []statusCount
	Total     int
	Submitted int
	Percent   string // share submitted
	DaysLeft  int
	Key       *keyFigures
	Map       *chartView
	// List is the list of Kommunen page by page with filter and search;
	// Missing and Done hold the page's rows.
	List *kommuneList
	// MapTop is set when the map's table shows only the Kommunen with the
	// highest values (a round of more than overviewPageSize Kommunen).
	MapTop *mapTop
	// Results is the release of the round's results and how many
	// Kommunen opened theirs (report_release.go).
	Results resultsCount
	// Uptake is the uptake of the round's offers against its need (nil:
	// the round has no offers).
	Uptake *uptakeView
}

type statusCount struct {
	Status  survey.ResponseStatus
	N       int
	Percent string
}

// staffRound resolves the round named in the URL, or the newest one.
func (s *Server) staffRound(c *gin.Context) (survey.Round, bool) {
	var r survey.Round
	var err error
	if p := c.Param("round"); p != "" {
		id, perr := strconv.ParseInt(p, 10, 64)
		if perr != nil || id <= 0 {
			s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.round.not_found"))
			return r, false
		}
		r, err = s.St.Round(c.Request.Context(), id)
	} else {
		r, err = s.St.LatestRound(c.Request.Context())
		if survey.ErrorCode(err) == survey.ENotFound {
			// A fresh installation: the setup page leads to the first round.
			c.Redirect(http.StatusSeeOther, SetupPath)
			return r, false
		}
	}
	if err != nil {
		s.errorFor(c, err)
		return r, false
	}
	return r, true
}

// dashboard is the round overview: key figures, the map and the list of Kommunen.
func (s *Server) dashboard(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	rounds, err := s.St.Rounds(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	counts, err := s.St.StatusCounts(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	total := 0
	for _, sc := range counts {
		total += sc.N
	}
	q, ok := s.parseKommuneQuery(c)
	if !ok {
		return
	}
	page, err := s.St.OverviewPage(c.Request.Context(), q.filter(round.ID), q.Page, q.PerPage)
	resps := page.Responses
	if err != nil {
		s.errorFor(c, err)
		return
	}
	views, rp, err := s.roundPlans(c, round, false)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	bounds, err := s.St.Boundaries(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	// Without boundaries the map's table lists the round's Kommunen (a
	// round of more than overviewPageSize lists only the largest values,
	// see topOfMapTable, and needs none).
	var ks []survey.Kommune
	if bounds == nil && total <= overviewPageSize {
		all, err := s.St.Responses(c.Request.Context(), round.ID)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		for _, r := range all {
			ks = append(ks, r.Kommune)
		}
	}
	ch, err := analysis.DemandMap(views[0].Plan, rp.Submitted, bounds, ks)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := dashboardPage{Round: round, Rounds: rounds, Nav: roundNav{round.ID, "uebersicht"}, DaysLeft: round.DaysLeft(s.Now()),
		Key: newKeyFigures(rp.KeyFigures()), Map: newChartView(ch, fmt.Sprintf("/verwaltung/runden/%d/karte", round.ID))}
	p.Map.NoBoundaries = bounds == nil
	n := map[survey.ResponseStatus]int{}
	for _, sc := range counts {
		n[sc.Status] = sc.N
		p.Total += sc.N
	}
	p.Submitted = n[survey.StatusSubmitted]
	p.Percent = analysis.FormatPercentDE(analysis.Share(p.Submitted, p.Total))
	for _, st := range []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusReturned, survey.StatusSubmitted} {
		p.Counts = append(p.Counts, statusCount{Status: st, N: n[st], Percent: analysis.FormatPercentDE(analysis.Share(n[st], p.Total))})
	}
	for _, r := range resps {
		if r.Status == survey.StatusSubmitted {
			p.Done = append(p.Done, r)
		} else {
			p.Missing = append(p.Missing, r)
		}
	}
	p.List = q.view(round.ID, page, p.Total-p.Submitted)
	p.MissingN, p.DoneN = page.Missing, page.Done
	if p.Results, err = s.resultsCount(c, round.ID); err != nil {
		s.errorFor(c, err)
		return
	}
	if p.Uptake, err = s.roundUptake(c, round); err != nil {
		s.errorFor(c, err)
		return
	}
	if p.Total > overviewPageSize {
		p.MapTop = topOfMapTable(p.Map, views[0].Plan, fmt.Sprintf("/verwaltung/runden/%d/plan#auswahl", round.ID))
	}
	s.Render(c, http.StatusOK, "dashboard", PageData{Title: tr(c, "dash.title", round.Title), Page: p})
}

// The overview lists up to overviewPageSize Kommunen on a page (Region
// Hannover has 21: one page). A larger round (nation-wide: 10,800) is
// listed page by page (pager.go). At every size the list has a filter by
// status and a search by name or AGS; the counts and key figures above the
// list still cover every Kommune, and the Kommunen not submitted yet are
// also offered as CSV.
const overviewPageSize = ListPageSize

// overviewFilter is a choice of the list's status filter ("status").
type overviewFilter struct {
	Value    string
	Key      string // catalogue key of its label
	Statuses []survey.ResponseStatus
}

// overviewFilters lists the status filter's choices; the first is the
// default. The values are those of the result pages' filter where both
// have the same choice.
var overviewFilters = []overviewFilter{
	{"alle", "dash.list.status.all", nil},
	{"ausstehend", "dash.list.status.missing", []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusReturned}},
	{"nicht-begonnen", "enum.response_status.new", []survey.ResponseStatus{survey.StatusNew}},
	{"in-bearbeitung", "enum.response_status.draft", []survey.ResponseStatus{survey.StatusDraft}},
	{"zurueckgegeben", "enum.response_status.returned", []survey.ResponseStatus{survey.StatusReturned}},
	{"eingereicht", "enum.response_status.submitted", []survey.ResponseStatus{survey.StatusSubmitted}},
}

// kommuneQuery is what the address asks of the overview's list: "seite",
// "suche", "pro_seite" and the sort by a column of overviewColumns
// (listPage) and "status".
type kommuneQuery struct {
	listPage
	Filter overviewFilter
}

// overviewColumns are the list's sortable columns, AGS first (the default).
var overviewColumns = []sortableColumn{
	{Value: "ags", Key: "common.ags"}, {Value: "name", Key: "common.kommune", ID: "spalte-kommune"},
	{Value: "status", Key: "common.status"}, {Value: "aktivitaet", Key: "dash.last_activity"},
}

// overviewSorts maps the list's "sortierung" values to the store's orders.
var overviewSorts = map[string]string{
	"ags":        store.SortAGS,
	"name":       store.SortName,
	"status":     store.SortStatus,
	"aktivitaet": store.SortActivity,
}

// parseKommuneQuery reads the list's parameters. The filter, the search
// and the CSV of outstanding Kommunen are offered at every round size (a
// round of up to overviewPageSize Kommunen fits one page by default). A
// parameter that makes no sense answers 400 with a message saying what is
// wrong.
func (s *Server) parseKommuneQuery(c *gin.Context) (*kommuneQuery, bool) {
	qv := c.Request.URL.Query()
	bad := func(key string, args ...any) (*kommuneQuery, bool) {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, key, args...))
		return nil, false
	}
	q := &kommuneQuery{Filter: overviewFilters[0]}
	lp, perr := parseListPage(qv)
	if perr != nil && perr.Key == "dash.list.bad_page" {
		return bad(perr.Key, perr.Args...)
	}
	if v := qv.Get("status"); v != "" {
		i := slices.IndexFunc(overviewFilters, func(f overviewFilter) bool { return f.Value == v })
		if i < 0 {
			return bad("dash.list.bad_status")
		}
		q.Filter = overviewFilters[i]
	}
	ls, serr := parseListSort(qv, overviewColumns)
	if serr != nil {
		return bad(serr.Key)
	}
	lp.Sort = ls
	if perr != nil {
		return bad(perr.Key, perr.Args...)
	}
	q.listPage = lp
	return q, true
}

func (q *kommuneQuery) filter(roundID int64) store.OverviewFilter {
	return store.OverviewFilter{RoundID: roundID, Statuses: q.Filter.Statuses, Search: q.Search, Sort: overviewSorts[q.Sort.Column], Desc: q.Sort.Desc}
}

// url returns the list's address for page, keeping filter, search and
// page size and leaving out defaults.
func (q *kommuneQuery) url(roundID int64, page int) string {
	v := q.values(page)
	if q.Filter.Value != overviewFilters[0].Value {
		v.Set("status", q.Filter.Value)
	}
	u := fmt.Sprintf("/verwaltung/runden/%d", roundID)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u + "#kommunen"
}

// kommuneList is the overview's list of Kommunen page by page.
type kommuneList struct {
	Action     string // the filter form's address
	Filter     string // the status filter's value
	Filters    []overviewFilter
	Search     string
	PerPage    int
	PerPages   []int
	Default    bool // no filter, no search, default page size
	Page       int
	Pages      int
	From, To   int // the rows shown, counted from 1
	Found      int // Kommunen the filter selects
	Missing    int // of them not submitted yet
	Done       int // of them submitted
	Pager      pager
	MissingURL string       // the list of every Kommune not submitted yet
	CSV        string       // the same as CSV
	AllMissing int          // Kommunen of the round not submitted yet
	Sort       listSort     // kept by the filter form
	Columns    []sortColumn // AGS, Kommune, status, last activity
}

// sortColumns returns the list's sortable headers: each links page 1
// sorted by its column, keeping filter, search and page size.
func (q *kommuneQuery) sortColumns(roundID int64) []sortColumn {
	return sortHeaders(q.Sort, overviewColumns, func(ls listSort) string {
		o := *q
		o.Sort = ls
		return o.url(roundID, 1)
	})
}

func (q *kommuneQuery) view(roundID int64, p store.OverviewPage, allMissing int) *kommuneList {
	l := &kommuneList{Action: fmt.Sprintf("/verwaltung/runden/%d#kommunen", roundID), Filter: q.Filter.Value, Filters: overviewFilters,
		Search: q.Search, PerPage: q.PerPage, PerPages: listPageSizes,
		Default: q.Filter.Value == overviewFilters[0].Value && q.Search == "" && q.PerPage == overviewPageSize,
		Page:    p.Page, Pages: p.Pages, Found: p.Total(), Missing: p.Missing, Done: p.Done, AllMissing: allMissing,
		MissingURL: (&kommuneQuery{Filter: overviewFilters[1], listPage: listPage{PerPage: q.PerPage}}).url(roundID, 1),
		CSV:        fmt.Sprintf("/verwaltung/runden/%d/ausstehend.csv", roundID),
		Sort:       q.Sort, Columns: q.sortColumns(roundID),
		Pager: newPager("dash.list.pages", p.Page, p.Pages, func(n int) string { return q.url(roundID, n) })}
	if n := len(p.Responses); n > 0 {
		l.From = (p.Page-1)*q.PerPage + 1
		l.To = l.From + n - 1
	}
	return l
}

// mapTopN is how many Kommunen the map's table lists for a round of more
// than overviewPageSize Kommunen.
const mapTopN = 20

// mapTop is the overview's map table cut to the Kommunen with the highest
// values. The table is the map's text alternative; with thousands of
// Kommunen it would be most of the page, so it names the largest values
// and links to every value: the plan's Kommunen page by page (the map
// shows the decisive scenario's persons wishing for group supervision,
// the plan's "Personen").
type mapTop struct {
	N    int    // rows shown
	Of   int    // Kommunen with a value
	Plan string // the plan's Kommunen page by page
}

// topOfMapTable cuts the map's table to the mapTopN Kommunen with the
// most persons (then by AGS); Kommunen off the map get their name from
// the plan.
func topOfMapTable(cv *chartView, pl analysis.Plan, planURL string) *mapTop {
	kp := make(map[string]analysis.KommunePlan, len(pl.Kommunen))
	for _, k := range pl.Kommunen {
		kp[k.AGS] = k
	}
	var rows [][]string
	for _, r := range cv.Table.Rows {
		if k, ok := kp[r[0]]; ok && len(r) > 2 && r[2] != analysis.NoAnswerText {
			if r[1] == "" {
				r[1] = k.Name
			}
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b []string) int {
		return cmp.Or(cmp.Compare(kp[b[0]].Persons, kp[a[0]].Persons), strings.Compare(a[0], b[0]))
	})
	cv.Table.Rows = rows[:min(len(rows), mapTopN)]
	return &mapTop{N: len(cv.Table.Rows), Of: len(rows), Plan: planURL}
}

// kommunePageData shows one Kommune's answers to staff with the actions on
// them, its link, its planned groups and its history in this round.
type kommunePageData struct {
	Round    survey.Round
	Own      survey.Round // the round as it applies to the Kommune (its own deadline)
	Response survey.Response
	Sections []sectionView
	Audit    []auditView
	// Changes are the saves of the answers, newest first, in words;
	// ChangesMore counts older saves not shown.
	Changes     []historyView
	ChangesMore int
	Invitation  store.Invitation // link status only, never the token
	OwnDeadline string           // for the date input
	Accepts     bool             // the Kommune can change its answers now
	Plan        kommunePlanView
	Notice      string
	Mail        kommuneMailView // contact addresses and send log (mail_pages.go)
	// DeadlineError is a refused own deadline's message, shown at its field.
	DeadlineError string
}

func (s *Server) kommunePage(c *gin.Context) {
	round, qn, resp, ans, ok := s.staffResponse(c)
	if !ok {
		return
	}
	s.renderKommune(c, round, qn, resp, ans, "", "")
}

// renderKommune shows the Kommune's page; with deadlineErr it answers a
// refused deadline (422) with the message at the field and the typed value.
func (s *Server) renderKommune(c *gin.Context, round survey.Round, qn *survey.Questionnaire, resp survey.Response, ans survey.Answers, deadline, deadlineErr string) {
	inv, err := s.St.Invitation(c.Request.Context(), round.ID, resp.Kommune.AGS, nil) // no token: viewers see this page
	if err != nil {
		s.errorFor(c, err)
		return
	}
	own, err := s.St.KommuneRound(c.Request.Context(), round.ID, resp.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	audit, _, err := s.St.AuditSearch(c.Request.Context(), store.AuditFilter{RoundID: round.ID, KommuneID: resp.Kommune.ID, Limit: 100})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	revs, err := s.St.ResponseHistory(c.Request.Context(), resp.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	plan, err := s.kommunePlan(c, round, resp.Kommune.AGS)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	fp := s.FormPage(c, round, qn, resp, qn.FormValues(ans), qn.ReCheck(ans, survey.Draft))
	p := kommunePageData{Round: round, Own: own, Response: resp, Sections: fp.Sections, Audit: auditViews(lang(c), audit),
		Invitation: inv, OwnDeadline: DateValue(inv.Deadline), Accepts: own.AcceptsAnswers(s.Now()) && resp.Status.Editable(),
		Plan: plan, Notice: notice(c), Mail: s.kommuneMail(c, round, resp.Kommune), DeadlineError: deadlineErr}
	p.Changes, p.ChangesMore = HistoryViews(lang(c), qn, revs)
	status := http.StatusOK
	if deadlineErr != "" {
		p.OwnDeadline, p.Notice, status = deadline, "", http.StatusUnprocessableEntity
	}
	s.Render(c, status, "kommune", PageData{Title: tr(c, "kommune.title", resp.Kommune.Name), Page: p})
}

// returnResponse hands a submission back to the Kommune with a question.
func (s *Server) returnResponse(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	resp, _, err := s.St.ResponseByKommune(c.Request.Context(), round.ID, c.Param("ags"))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	u := session(c).User
	if err := s.St.ReturnResponse(c.Request.Context(), resp.ID, c.Request.PostForm.Get("nachricht"), survey.Actor{Kind: "staff", ID: u.ID, Label: u.Name}); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/verwaltung/runden/%d/kommunen/%s", round.ID, resp.Kommune.AGS))
}
