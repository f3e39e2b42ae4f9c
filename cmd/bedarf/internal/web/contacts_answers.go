package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Contact addresses from the answers: staff take each Kommune's e-mail
// address from its answer to a round into its contact addresses, after a
// preview that shows per Kommune the answered address, the current
// addresses and what will change. The question is the questionnaire's
// contact e-mail question (format email; with several, the first personal
// one, and staff can choose another). Admin only: the page leads to a
// change of the contact addresses.

func answerContactsURL(roundID int64) string {
	return fmt.Sprintf("/verwaltung/runden/%d/kontakte-aus-antworten", roundID)
}

// answerContactsData is the preview page.
type answerContactsData struct {
	Round     survey.Round
	Questions []*survey.Question // the e-mail questions, the default first
	Question  *survey.Question   // the one shown; nil when there is none
	Rows      []store.AnswerContact
	Copyable  int // rows whose copy would change something
	Unchanged int
	Invalid   int
	Drafts    int           // copyable rows from responses not submitted
	Done      *contactsDone // the outcome of the last apply, from the query
}

// contactsDone is the outcome of an apply as the redirect carries it.
type contactsDone struct{ Added, Replaced, Unchanged, Stale int }

// answerContactsQuestion returns the round's questionnaire, its e-mail
// questions and the one chosen by id: "" chooses the default (nil when
// there is none); an id that is no e-mail question of the round is
// answered with a 404 page and ok false.
func (s *Server) answerContactsQuestion(c *gin.Context, round survey.Round, id string) (*survey.Questionnaire, []*survey.Question, *survey.Question, bool) {
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return nil, nil, nil, false
	}
	qs := qn.ContactEmailQuestions()
	for _, q := range qs {
		if q.ID == id {
			return qn, qs, q, true
		}
	}
	if id != "" || c.Request.Method == http.MethodPost {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "contacts.answers.no_question", id))
		return nil, nil, nil, false
	}
	if len(qs) == 0 {
		return qn, nil, nil, true
	}
	return qn, qs, qs[0], true
}

// answerContactsPage shows the preview.
func (s *Server) answerContactsPage(c *gin.Context) {
	if !s.requireAdminPage(c, "contacts.answers.admin_only") {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	p := answerContactsData{Round: round}
	qn, qs, q, ok := s.answerContactsQuestion(c, round, c.Query("frage"))
	if !ok {
		return
	}
	p.Questions, p.Question = qs, q
	if p.Question != nil {
		rows, err := s.St.AnswerContacts(c.Request.Context(), round.ID, p.Question.ID)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		p.Rows = rows
		for _, r := range rows {
			switch {
			case r.Problem != nil:
				p.Invalid++
			case r.Change == store.ContactUnchanged:
				p.Unchanged++
			default:
				p.Copyable++
				if r.Status != survey.StatusSubmitted {
					p.Drafts++
				}
			}
		}
	}
	if q := c.Request.URL.Query(); q.Has("neu") {
		n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
		p.Done = &contactsDone{Added: n("neu"), Replaced: n("ersetzt"), Unchanged: n("gleich"), Stale: n("veraltet")}
	}
	s.Render(c, http.StatusOK, "contacts_answers", PageData{Title: tr(c, "contacts.answers.title", round.Title), Page: p, QLang: qn.Lang})
}

// copyAnswerContacts copies the chosen addresses and goes back to the
// preview with the outcome (PRG). Each choice carries the address seen in
// the preview; one whose answer changed since is not copied.
func (s *Server) copyAnswerContacts(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	qid := c.PostForm("frage")
	if _, _, _, ok := s.answerContactsQuestion(c, round, qid); !ok {
		return
	}
	var picks []store.ContactCopy
	for _, ags := range c.PostFormArray("kommune") {
		picks = append(picks, store.ContactCopy{AGS: ags, Email: c.PostForm("adresse_" + ags)})
	}
	res, err := s.St.CopyAnswerContacts(c.Request.Context(), round.ID, qid, picks, staffActor(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	q := url.Values{"frage": {qid}, "neu": {strconv.Itoa(res.Added)}, "ersetzt": {strconv.Itoa(res.Replaced)},
		"gleich": {strconv.Itoa(res.Unchanged)}, "veraltet": {strconv.Itoa(len(res.Stale))}}
	c.Redirect(http.StatusSeeOther, answerContactsURL(round.ID)+"?"+q.Encode()+"#ergebnis")
}
