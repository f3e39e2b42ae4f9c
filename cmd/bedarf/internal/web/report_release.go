package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// The staff's side of the results released to the Kommunen (issue 22):
// the release page with its options and who opened their results, the
// confirmation pages of release and withdraw, and the preview of one
// Kommune's page (report.go renders it). Viewers see all of it but change
// nothing (requireStaff refuses their POSTs).

func releaseURL(roundID int64) string {
	return fmt.Sprintf("/verwaltung/runden/%d/ergebnisse", roundID)
}

// releasePage is the release page of a round.
type releasePage struct {
	Round    survey.Round
	Release  *survey.ResultRelease // nil: not released
	Form     releaseForm
	Opens    []store.ReportOpen
	Invited  []survey.Kommune // for the preview's choice
	Notice   string
	MinLow   int
	MinHigh  int
	Planned  bool // a planned round cannot be released
	Confirm  bool // the confirmation step of a release
	Withdraw bool // the confirmation step of a withdraw
}

// releaseForm holds the options as typed.
type releaseForm struct {
	MinGroup    string
	ShowMembers bool
	Error       string // of the minimum group size
}

// releaseNotices are the notices of the release page after a redirect.
var releaseNotices = map[string]string{
	"freigegeben":     "release.notice.released",
	"zurueckgenommen": "release.notice.withdrawn",
}

func (s *Server) loadReleasePage(c *gin.Context) (releasePage, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return releasePage{}, false
	}
	ctx := c.Request.Context()
	p := releasePage{Round: round, MinLow: survey.MinGroupLowest, MinHigh: survey.MinGroupHighest,
		Planned: round.Status == survey.RoundPlanned,
		Form:    releaseForm{MinGroup: strconv.Itoa(survey.DefaultMinGroup)}}
	rel, released, err := s.St.Release(ctx, round.ID)
	if err != nil {
		s.errorFor(c, err)
		return p, false
	}
	if released {
		p.Release = &rel
		p.Form = releaseForm{MinGroup: strconv.Itoa(rel.MinGroup), ShowMembers: rel.ShowGroupMembers}
	}
	if p.Opens, err = s.St.ReportOpens(ctx, round.ID); err != nil {
		s.errorFor(c, err)
		return p, false
	}
	resps, err := s.St.Responses(ctx, round.ID)
	if err != nil {
		s.errorFor(c, err)
		return p, false
	}
	for _, r := range resps {
		p.Invited = append(p.Invited, r.Kommune)
	}
	if key, ok := releaseNotices[c.Query("hinweis")]; ok {
		p.Notice = tr(c, key)
	}
	return p, true
}

func (s *Server) renderRelease(c *gin.Context, status int, p releasePage) {
	title := tr(c, "release.title", p.Round.Title)
	switch {
	case p.Confirm:
		title = tr(c, "release.confirm.title", p.Round.Title)
	case p.Withdraw:
		title = tr(c, "release.withdraw.title", p.Round.Title)
	}
	s.Render(c, status, "report_release", PageData{Title: title, Page: p})
}

// releaseOverview shows the release page.
func (s *Server) releaseOverview(c *gin.Context) {
	p, ok := s.loadReleasePage(c)
	if !ok {
		return
	}
	s.renderRelease(c, http.StatusOK, p)
}

// parseReleaseForm reads the options; on a problem it fills f.Error.
func parseReleaseForm(c *gin.Context, get func(string) string) (releaseForm, int, bool) {
	f := releaseForm{MinGroup: strings.TrimSpace(get("mindestgruppe")), ShowMembers: get("namen") == "ja"}
	n, err := strconv.Atoi(f.MinGroup)
	if err != nil {
		n = -1 // not a whole number: the same message as out of bounds
	}
	if err := survey.CheckMinGroup(n); err != nil {
		f.Error = emsg(c, err)
		return f, 0, false
	}
	return f, n, true
}

// confirmRelease is the confirmation step of a release (GET: it changes
// nothing): the options as they will apply, and the button.
func (s *Server) confirmRelease(c *gin.Context) {
	if !s.requireAdminPage(c, "release.admin_only") {
		return
	}
	p, ok := s.loadReleasePage(c)
	if !ok {
		return
	}
	f, _, valid := parseReleaseForm(c, c.Query)
	p.Form = f
	if !valid || p.Planned {
		s.renderRelease(c, http.StatusUnprocessableEntity, p)
		return
	}
	p.Confirm = true
	s.renderRelease(c, http.StatusOK, p)
}

// releaseResults releases the results with the confirmed options.
func (s *Server) releaseResults(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	p, ok := s.loadReleasePage(c)
	if !ok {
		return
	}
	f, n, valid := parseReleaseForm(c, c.Request.PostForm.Get)
	if !valid {
		p.Form = f
		s.renderRelease(c, http.StatusUnprocessableEntity, p)
		return
	}
	if err := s.St.ReleaseResults(c.Request.Context(), p.Round.ID, n, f.ShowMembers, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, releaseURL(p.Round.ID)+"?hinweis=freigegeben")
}

// confirmWithdraw is the confirmation step of a withdraw.
func (s *Server) confirmWithdraw(c *gin.Context) {
	if !s.requireAdminPage(c, "release.admin_only") {
		return
	}
	p, ok := s.loadReleasePage(c)
	if !ok {
		return
	}
	if p.Release == nil {
		s.errorFor(c, survey.NewError(survey.EConflict, "msg.release.not_released"))
		return
	}
	p.Withdraw = true
	s.renderRelease(c, http.StatusOK, p)
}

// withdrawRelease withdraws the release.
func (s *Server) withdrawRelease(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	if err := s.St.WithdrawRelease(c.Request.Context(), round.ID, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, releaseURL(round.ID)+"?hinweis=zurueckgenommen")
}

// resultsCount is the release of a round's results as the dashboard
// shows it: "Ergebnisse geöffnet: 7 von 21".
type resultsCount struct {
	Released bool
	Opened   int
}

func (s *Server) resultsCount(c *gin.Context, roundID int64) (resultsCount, error) {
	_, released, err := s.St.Release(c.Request.Context(), roundID)
	if err != nil {
		return resultsCount{}, err
	}
	n, err := s.St.ReportOpenCount(c.Request.Context(), roundID)
	return resultsCount{Released: released, Opened: n}, err
}
