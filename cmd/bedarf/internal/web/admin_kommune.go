package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
)

// Staff actions on one Kommune of a round: reopen a submission, give the
// Kommune its own deadline, and enter or correct answers on its behalf.
// The staff Kommune page itself is kommunePage in staff.go.

// staffResponse resolves round and Kommune from the URL; a Kommune that is
// not invited to this round is not found.
func (s *Server) staffResponse(c *gin.Context) (survey.Round, *survey.Questionnaire, survey.Response, survey.Answers, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, nil, survey.Response{}, nil, false
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return round, nil, survey.Response{}, nil, false
	}
	resp, ans, err := s.St.ResponseByKommune(c.Request.Context(), round.ID, c.Param("ags"))
	if err != nil {
		s.errorFor(c, err)
		return round, nil, survey.Response{}, nil, false
	}
	return round, qn, resp, ans, true
}

// reopenResponse makes a submitted answer editable again, without a message.
func (s *Server) reopenResponse(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, _, resp, _, ok := s.staffResponse(c)
	if !ok {
		return
	}
	if err := s.St.ReopenResponse(c.Request.Context(), resp.ID, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, kommuneURL(round.ID, resp.Kommune.AGS)+"?hinweis=wiedergeoeffnet")
}

// setKommuneDeadline gives the Kommune its own, later deadline, or removes
// it ("aktion=aufheben").
func (s *Server) setKommuneDeadline(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, qn, resp, ans, ok := s.staffResponse(c)
	if !ok {
		return
	}
	// A refused deadline re-shows the Kommune's page with the message at
	// the field, never a dead-end error page.
	raw := c.Request.PostForm.Get("frist")
	var deadline time.Time // zero removes the Kommune's own deadline
	if c.Request.PostForm.Get("aktion") != "aufheben" {
		var valid bool
		if deadline, valid = dateInput(raw); !valid {
			s.renderKommune(c, round, qn, resp, ans, raw, tr(c, "entry.deadline_date"))
			return
		}
	}
	if err := s.St.SetKommuneDeadline(c.Request.Context(), resp.ID, deadline, staffActor(c)); err != nil {
		var e *survey.Error
		if errors.As(err, &e) && e.Code == survey.EInvalid {
			s.renderKommune(c, round, qn, resp, ans, raw, emsg(c, e))
			return
		}
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, kommuneURL(round.ID, resp.Kommune.AGS)+"?hinweis=kommunefrist")
}

// entryForm shows the questionnaire for staff to enter or correct the
// Kommune's answers (a Kommune that replied on paper or by phone).
func (s *Server) entryForm(c *gin.Context) {
	if !s.requireAdminPage(c, "admin_only.entry") {
		return
	}
	round, qn, resp, ans, ok := s.staffResponse(c)
	if !ok {
		return
	}
	page := s.entryPage(c, round, qn, resp, qn.FormValues(ans), qn.ReCheck(ans, survey.Draft))
	if resp.Status == survey.StatusNew {
		page.ErrorList = nil
	}
	s.Render(c, http.StatusOK, "round_entry", PageData{Title: tr(c, "entry.title", resp.Kommune.Name), Page: page})
}

func (s *Server) entryPage(c *gin.Context, round survey.Round, qn *survey.Questionnaire, resp survey.Response, form map[string][]string, res survey.Result) formPage {
	p := s.FormPage(c, round, qn, resp, form, res)
	p.Editable, p.Closed = true, false // staff may enter answers whatever the deadline
	return p
}

// saveEntry stores answers entered by staff on the Kommune's behalf, with
// the same revision-based merge and conflict choice as the Kommune's form.
// A submitted answer stays submitted and must stay complete; otherwise
// "einreichen" submits it for the Kommune.
func (s *Server) saveEntry(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, qn, resp, current, ok := s.staffResponse(c)
	if !ok {
		return
	}
	form := c.Request.PostForm
	if form.Get("antwort") != strconv.FormatInt(resp.ID, 10) {
		s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "entry.wrong_form"))
		return
	}
	wasSubmitted := resp.Status == survey.StatusSubmitted
	submit := form.Get("aktion") == "einreichen"
	mode := survey.Draft
	if submit || wasSubmitted {
		mode = survey.Submit
	}
	title := tr(c, "entry.title", resp.Kommune.Name)
	if res := qn.Check(form, mode); wasSubmitted && !res.OK() {
		page := s.entryPage(c, round, qn, resp, form, res)
		page.Notice = tr(c, "entry.notice.submitted_invalid")
		s.Render(c, http.StatusUnprocessableEntity, "round_entry", PageData{Title: title, Page: page})
		return
	}
	out, err := s.saveAnswers(c, saveRequest{qn: qn, resp: resp, current: current, form: form, mode: mode,
		submit: submit && !wasSubmitted, actor: staffActor(c), byStaff: true, unlessSubmitted: !wasSubmitted})
	if s.unsaved(c, err) {
		page := unsavedPage(c, s.entryPage(c, round, qn, resp, form, qn.Check(form, survey.Draft)), form)
		s.Render(c, http.StatusServiceUnavailable, "round_entry", PageData{Title: title, Page: page})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if out.closed {
		// The Kommune submitted between loading and saving: the typed
		// values stay on the form, to be saved as a correction.
		page := s.entryPage(c, round, qn, out.resp, form, qn.Check(form, survey.Submit))
		page.Notice = tr(c, "entry.notice.submitted_meanwhile")
		s.Render(c, http.StatusConflict, "round_entry", PageData{Title: title, Page: page})
		return
	}
	if out.conflicts != nil {
		page := s.entryPage(c, round, qn, out.resp, out.form, out.res)
		page.Conflicts = out.conflicts
		page.Notice = tr(c, "entry.notice.conflict")
		s.Render(c, http.StatusConflict, "round_entry", PageData{Title: title, Page: page})
		return
	}
	res := out.res
	if res.OK() {
		c.Redirect(http.StatusSeeOther, kommuneURL(round.ID, resp.Kommune.AGS)+"?hinweis=erfasst")
		return
	}
	page := s.entryPage(c, round, qn, out.resp, out.form, res)
	status := http.StatusOK
	page.Notice = tr(c, "entry.notice.saved_invalid")
	if submit {
		status = http.StatusUnprocessableEntity
		page.Notice = tr(c, "entry.notice.not_submitted")
	}
	s.Render(c, status, "round_entry", PageData{Title: title, Page: page})
}

// kommunePlanView is a Kommune's part of the decisive plan.
type kommunePlanView struct {
	Scenario string
	Kommune  analysis.KommunePlan
	Groups   []analysis.SupervisionGroup
	Found    bool // the Kommune has persons in the plan
}

// kommunePlan finds the Kommune's planned groups in the decisive scenario.
func (s *Server) kommunePlan(c *gin.Context, round survey.Round, ags string) (kommunePlanView, error) {
	views, _, err := s.roundPlans(c, round, false)
	if err != nil || len(views) == 0 {
		return kommunePlanView{}, err
	}
	sel := views[0] // the decisive one
	out := kommunePlanView{Scenario: sel.Name}
	for _, kp := range sel.Plan.Kommunen {
		if kp.AGS != ags {
			continue
		}
		out.Kommune, out.Found = kp, true
		for _, g := range sel.Plan.Groups {
			if slices.Contains(kp.Groups, g.ID) {
				out.Groups = append(out.Groups, g)
			}
		}
	}
	return out, nil
}
