package main

import (
	"fmt"
	"net/http"
	"strconv"

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
	Counts    []statusCount
	Total     int
	Submitted int
	Percent   string // share submitted
	DaysLeft  int
	Key       *keyFigures
	Map       *chartView
}

type statusCount struct {
	Status  survey.ResponseStatus
	N       int
	Percent string
}

// staffRound resolves the round named in the URL, or the newest one.
func (s *server) staffRound(c *gin.Context) (survey.Round, bool) {
	var r survey.Round
	var err error
	if p := c.Param("round"); p != "" {
		id, perr := strconv.ParseInt(p, 10, 64)
		if perr != nil || id <= 0 {
			s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "domain.round.not_found"))
			return r, false
		}
		r, err = s.st.Round(c.Request.Context(), id)
	} else {
		r, err = s.st.LatestRound(c.Request.Context())
	}
	if err != nil {
		s.errorFor(c, err)
		return r, false
	}
	return r, true
}

func (s *server) dashboard(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	rounds, err := s.st.Rounds(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	resps, err := s.st.Responses(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	counts, err := s.st.StatusCounts(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	views, basis, err := s.roundPlans(c, round)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	ch, err := demandMap(views[0], basis)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := dashboardPage{Round: round, Rounds: rounds, Nav: roundNav{round.ID, "uebersicht"}, DaysLeft: round.DaysLeft(s.now()),
		Key: newKeyFigures(views[0], basis), Map: newChartView(ch, fmt.Sprintf("/verwaltung/runden/%d/karte", round.ID))}
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
	s.render(c, http.StatusOK, "dashboard", pageData{Title: tr(c, "dash.title", round.Title), Page: p})
}

// kommunePageData shows one Kommune's answers to staff with the actions on
// them, its link, its planned groups and its history in this round.
type kommunePageData struct {
	Round       survey.Round
	Own         survey.Round // the round as it applies to the Kommune (its own deadline)
	Response    survey.Response
	Sections    []sectionView
	Audit       []auditView
	Invitation  store.Invitation // link status only, never the token
	OwnDeadline string           // for the date input
	Accepts     bool             // the Kommune can change its answers now
	Plan        kommunePlanView
	Notice      string
	Mail        kommuneMailView // contact addresses and send log (mail_pages.go)
}

func (s *server) kommunePage(c *gin.Context) {
	round, qn, resp, ans, ok := s.staffResponse(c)
	if !ok {
		return
	}
	inv, err := s.st.Invitation(c.Request.Context(), round.ID, resp.Kommune.AGS, nil) // no token: viewers see this page
	if err != nil {
		s.errorFor(c, err)
		return
	}
	own, err := s.st.KommuneRound(c.Request.Context(), round.ID, resp.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	audit, _, err := s.st.AuditSearch(c.Request.Context(), store.AuditFilter{RoundID: round.ID, KommuneID: resp.Kommune.ID, Limit: 100})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	plan, err := s.kommunePlan(c, round, resp.Kommune.AGS)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	fp := s.formPage(c, round, qn, resp, qn.FormValues(ans), qn.ReCheck(ans, survey.Draft))
	s.render(c, http.StatusOK, "kommune", pageData{
		Title: tr(c, "kommune.title", resp.Kommune.Name),
		Page: kommunePageData{Round: round, Own: own, Response: resp, Sections: fp.Sections, Audit: auditViews(lang(c), audit),
			Invitation: inv, OwnDeadline: dateValue(inv.Deadline), Accepts: own.AcceptsAnswers(s.now()) && resp.Status.Editable(),
			Plan: plan, Notice: notice(c), Mail: s.kommuneMail(c, round, resp.Kommune)},
	})
}

// returnResponse hands a submission back to the Kommune with a question.
func (s *server) returnResponse(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	resp, _, err := s.st.ResponseByKommune(c.Request.Context(), round.ID, c.Param("ags"))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	u := session(c).User
	if err := s.st.ReturnResponse(c.Request.Context(), resp.ID, c.Request.PostForm.Get("nachricht"), survey.Actor{Kind: "staff", ID: u.ID, Label: u.Name}); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/verwaltung/runden/%d/kommunen/%s", round.ID, resp.Kommune.AGS))
}
