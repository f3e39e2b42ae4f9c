package web

// The anonymous feedback on training dates (issue 20, item 6): the public
// page a participant answers with the code from their slip, and the staff
// pages that issue a date's codes (admins, once per date, shown once) and
// show the results from five answers up (analysis.EvaluateFeedback). No
// handler here logs, audits or keeps a code; see docs/ARCHITECTURE.md,
// "Anonymous feedback".

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// FeedbackPath is the public address of the feedback page, printed on the
// slips.
const FeedbackPath = "/feedback"

var feedbackPageNames = []string{"feedback", "feedback_admin", "feedback_codes"}

// feedbackResumePages are the feedback's entries of ResumePages.
var feedbackResumePages = map[string]string{
	"/verwaltung/runden/:round/feedback/:date": "/verwaltung/runden/:round/feedback/:date",
}

func (s *Server) feedbackRoutes(r *gin.Engine, staff *gin.RouterGroup) {
	r.GET(FeedbackPath, s.feedbackStart)
	r.POST(FeedbackPath, s.feedbackPost)
	staff.GET("/runden/:round/feedback", s.feedbackOverview)
	staff.GET("/runden/:round/feedback/:date", s.feedbackConfirm)
	staff.POST("/runden/:round/feedback/:date", s.feedbackIssue)
}

// feedbackPage is the public page: the code field, then the form.
type feedbackPage struct {
	Code   string
	Target store.FeedbackTarget
	Form   *survey.Questionnaire // nil: ask for the code
	Values map[string]string     // by field name, as typed
	Errors map[string]string     // by question id
	Error  string                // in front of the form
	Done   bool
}

// feedbackForm returns the feedback form in the page's language.
func (s *Server) feedbackForm(c *gin.Context) (*survey.Questionnaire, error) {
	return survey.FeedbackForm(lang(c).Code())
}

func (s *Server) renderFeedback(c *gin.Context, status int, p feedbackPage) {
	// The form is in the page's language (feedback.de.yaml, feedback.en.yaml).
	s.Render(c, status, "feedback", PageData{Title: tr(c, "feedback.title"), Page: p})
}

func (s *Server) feedbackStart(c *gin.Context) {
	s.renderFeedback(c, http.StatusOK, feedbackPage{})
}

// feedbackPost takes the code (step one) or the answers with the code.
func (s *Server) feedbackPost(c *gin.Context) {
	if s.linkLimited(c) {
		return
	}
	status, _, text := formRefusal(c)
	form := c.Request.PostForm
	// Whatever was typed is shown again as typed (bytes that are not UTF-8
	// replaced), with the refusal in front of the form.
	values := map[string]string{}
	for k, vs := range form {
		if len(vs) > 0 && utf8.ValidString(k) {
			values[k] = strings.ToValidUTF8(vs[0], "\uFFFD")
		}
	}
	code := values["code"]
	p := feedbackPage{Code: code, Values: values, Errors: map[string]string{}}
	if status != 0 {
		p.Error = tr(c, text)
		if status == http.StatusRequestEntityTooLarge {
			p.Code, p.Values = "", nil
		}
		if t, err := s.St.FeedbackCode(c.Request.Context(), code); err == nil {
			p.Target = t
			p.Form, _ = s.feedbackForm(c)
		}
		s.renderFeedback(c, status, p)
		return
	}
	t, err := s.St.FeedbackCode(c.Request.Context(), code)
	if err != nil {
		if survey.ErrorCode(err) == survey.ENotFound {
			s.Limits.links.Failed(c.ClientIP())
		}
		if _, ok := err.(*survey.Error); !ok {
			s.errorFor(c, err)
			return
		}
		p.Error = emsg(c, err)
		s.renderFeedback(c, map[string]int{survey.ENotFound: http.StatusNotFound, survey.EConflict: http.StatusConflict}[survey.ErrorCode(err)], p)
		return
	}
	p.Target = t
	qn, err := s.feedbackForm(c)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Form = qn
	if form.Get("senden") == "" {
		s.renderFeedback(c, http.StatusOK, p)
		return
	}
	res := qn.Check(form, survey.Submit)
	if !res.OK() {
		for k, m := range res.Errors {
			p.Errors[k.Question] = trm(c, m)
		}
		p.Error = tr(c, "feedback.fix")
		s.renderFeedback(c, http.StatusUnprocessableEntity, p)
		return
	}
	answers := map[string]string{}
	for k, v := range res.Answers {
		answers[k.Question] = v.Text
	}
	if err := s.St.SubmitFeedback(c.Request.Context(), code, answers); err != nil {
		if _, ok := err.(*survey.Error); !ok {
			s.errorFor(c, err)
			return
		}
		p.Error = emsg(c, err)
		s.renderFeedback(c, http.StatusConflict, p)
		return
	}
	s.renderFeedback(c, http.StatusOK, feedbackPage{Done: true})
}

// feedbackAdminPage is the staff overview of a round's feedback.
type feedbackAdminPage struct {
	Round  survey.Round
	Admin  bool
	Dates  []feedbackDateRow
	Report analysis.FeedbackReport
	Titles map[string]string // module id → an offer title
	Min    int
}

// feedbackDateRow is a training date in the overview.
type feedbackDateRow struct {
	survey.FeedbackDate
	Over bool
	Href string
}

func feedbackAdminPath(roundID int64) string {
	return fmt.Sprintf("/verwaltung/runden/%d/feedback", roundID)
}

func (s *Server) feedbackOverview(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	dates, answers, err := s.St.Feedback(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	qn, err := s.feedbackForm(c)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	set, err := s.St.Offers(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := feedbackAdminPage{Round: round, Admin: isAdmin(c), Report: analysis.EvaluateFeedback(qn, dates, answers), Titles: map[string]string{}, Min: survey.FeedbackMinAnswers}
	now := s.Now()
	for _, d := range dates {
		row := feedbackDateRow{FeedbackDate: d, Href: fmt.Sprintf("%s/%d", feedbackAdminPath(round.ID), d.ID)}
		for _, o := range set.Offers {
			for _, od := range o.Dates {
				if od.ID == d.ID {
					row.Over = od.End.Before(now) && od.Status == survey.DateScheduled
				}
			}
		}
		p.Dates = append(p.Dates, row)
		if p.Titles[d.ModuleID] == "" {
			p.Titles[d.ModuleID] = d.Title
		}
	}
	s.Render(c, http.StatusOK, "feedback_admin", PageData{Title: tr(c, "feedback.admin.title"), Page: p})
}

// feedbackCodesPage confirms issuing a date's codes, then shows them once.
type feedbackCodesPage struct {
	Round survey.Round
	Date  survey.FeedbackDate
	Codes []string // the codes to print: all, or after mailing those that reached nobody
	URL   string
	Back  string
	// Mail: whether codes can go by mail (a mail server is set up), to how
	// many addresses; after mailing, how many were sent and how many may
	// have been (the server's answer was lost).
	MailReady     bool
	Recipients    int
	Mailed        bool
	Sent, Unclear int
	Error         string
}

// feedbackDate finds the training date of the :date parameter.
func (s *Server) feedbackDate(c *gin.Context) (survey.Round, survey.FeedbackDate, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, survey.FeedbackDate{}, false
	}
	id, _ := strconv.ParseInt(c.Param("date"), 10, 64)
	dates, _, err := s.St.Feedback(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return round, survey.FeedbackDate{}, false
	}
	for _, d := range dates {
		if d.ID == id {
			return round, d, true
		}
	}
	s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.offer.date_not_found"))
	return round, survey.FeedbackDate{}, false
}

func (s *Server) feedbackConfirm(c *gin.Context) {
	if !s.requireAdminPage(c, "feedback.admin.only") {
		return
	}
	round, d, ok := s.feedbackDate(c)
	if !ok {
		return
	}
	p := feedbackCodesPage{Round: round, Date: d, Back: feedbackAdminPath(round.ID), MailReady: s.mail.Configured()}
	rcpt, err := s.St.FeedbackRecipients(c.Request.Context(), round.ID, d.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Recipients = len(rcpt)
	s.Render(c, http.StatusOK, "feedback_codes", PageData{Title: tr(c, "feedback.codes.title"), Page: p})
}

// feedbackIssue issues the date's codes and shows them, once: only their
// hashes are stored, and nothing logs them.
func (s *Server) feedbackIssue(c *gin.Context) {
	if !s.requireAdminPage(c, "feedback.admin.only") || !s.parseForm(c) {
		return
	}
	round, d, ok := s.feedbackDate(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := feedbackCodesPage{Round: round, Date: d, URL: s.BaseURL + FeedbackPath, Back: feedbackAdminPath(round.ID), MailReady: s.mail.Configured()}
	byMail := c.PostForm("aktion") == "mail"
	var rcpt []survey.Participant
	if byMail {
		var err error
		if rcpt, err = s.St.FeedbackRecipients(ctx, round.ID, d.ID); err != nil {
			s.errorFor(c, err)
			return
		}
		p.Recipients = len(rcpt)
		refuse := ""
		switch {
		case !p.MailReady:
			refuse = "feedback.codes.mail.off"
		case len(rcpt) == 0:
			refuse = "feedback.codes.mail.none"
		}
		if refuse != "" {
			p.Error = tr(c, refuse)
			s.Render(c, http.StatusConflict, "feedback_codes", PageData{Title: tr(c, "feedback.codes.title"), Page: p})
			return
		}
	}
	codes, err := s.St.IssueFeedbackCodes(ctx, round.ID, d.ID, actorOf(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if byMail {
		codes = s.mailFeedbackCodes(c, round, d, rcpt, codes, &p)
	}
	p.Codes = codes
	s.Render(c, http.StatusOK, "feedback_codes", PageData{Title: tr(c, "feedback.codes.title"), Page: p})
}

// mailFeedbackCodes sends each recipient one of the codes, drawn at random,
// at once and outside the mail queue: no stored row, log line or audit
// entry pairs a code with an address (the audit entry counts). It returns
// the codes that reached nobody (more codes than addresses, or the mail
// server refused), sorted, to be printed as slips; a code whose mail may
// have been accepted (the answer was lost) is not shown again.
func (s *Server) mailFeedbackCodes(c *gin.Context, round survey.Round, d survey.FeedbackDate, rcpt []survey.Participant, codes []string, p *feedbackCodesPage) []string {
	rand.Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
	de := i18n.DE
	day := de.Date(d.Date())
	n := min(len(rcpt), len(codes))
	mails := make([]survey.DirectMail, n)
	for i := range n {
		mails[i] = survey.DirectMail{ToName: rcpt[i].Name, To: rcpt[i].Email,
			Subject: de.T("feedback.mail.subject", d.Title, day),
			Text:    de.T("feedback.mail.body", rcpt[i].Name, d.Title, day, s.BaseURL+FeedbackPath, codes[i])}
	}
	var rest []string
	for i, st := range s.mail.SendDirect(context.WithoutCancel(c.Request.Context()), mails) {
		switch st {
		case store.MailSent:
			p.Sent++
		case store.MailUnclear:
			p.Unclear++
		default:
			rest = append(rest, codes[i])
		}
	}
	rest = append(rest, codes[n:]...)
	slices.Sort(rest)
	p.Mailed = true
	if err := s.St.Audit(context.WithoutCancel(c.Request.Context()), actorOf(c), "feedback.mail", round.ID, 0,
		fmt.Sprintf("Feedback-Codes für „%s“ am %s per Mail: %d gesendet, %d unklar, %d nicht", d.Title, day, p.Sent, p.Unclear, len(mails)-p.Sent-p.Unclear)); err != nil {
		s.Log.Error("audit feedback mail", "err", err)
	}
	return rest
}
