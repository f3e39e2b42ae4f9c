package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// AutosavePath is where the questionnaire page's script sends
// "Zwischenspeichern" in the background (static/js/form.js). It takes the
// same form as POST /fragebogen, behind the same cross-origin protection
// and session, and answers with autosaveReply instead of the page.
const AutosavePath = "/fragebogen/zwischenspeichern"

// autosaveReply is the answer to a background draft save: what the open
// page must change so that it shows the stored state without loading it
// again. Every text is in the page's language.
type autosaveReply struct {
	Revision    int    `json:"revision"`    // the new base revision of the form
	Status      string `json:"status"`      // the response's status code (draft, returned)
	StatusLabel string `json:"statusLabel"` // and its label
	// SavedLabel and SavedHTML are the "last saved" line of the page's
	// head (SavedHTML escaped by the server, with the editor's name
	// isolated as on the page).
	SavedLabel string `json:"savedLabel"`
	SavedHTML  string `json:"savedHTML"`
	Notice     string `json:"notice"` // as the page after a save shows it
	// Valid is false when some answers are kept but not valid yet; then
	// ErrorsTitle and Errors are the error summary and Questions the
	// messages at the fields.
	Valid       bool               `json:"valid"`
	ErrorsTitle string             `json:"errorsTitle,omitempty"`
	Errors      []autosaveError    `json:"errors"`
	Questions   []autosaveQuestion `json:"questions"`
	// Merged are the fields whose stored values the merge took from a
	// colleague (store.Saved.Theirs), with every value of the field: the
	// page writes them into its fields, or its next save would undo them.
	Merged map[string][]string `json:"merged"`
}

// autosaveError is one line of the error summary.
type autosaveError struct {
	Target  string `json:"target"` // the input's id
	Label   string `json:"label"`
	Message string `json:"message"`
}

// autosaveQuestion is a question with a message at the question or at
// some of its rows or items.
type autosaveQuestion struct {
	ID    string         `json:"id"`
	Error string         `json:"error,omitempty"`
	Items []autosaveItem `json:"items,omitempty"`
}

// autosaveItem is a row's or item's message.
type autosaveItem struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// autosaveFailure is the answer to a background save that did not land
// (or landed on something the page cannot show by itself): the page then
// sends the form again in full, and the server's page keeps what was
// typed (the conflict view, the 401 page of a lost session, the 503 page
// of a full disk, the form of a closed round).
type autosaveFailure struct {
	Error    string `json:"error"`
	Fallback bool   `json:"fallback"` // always true: send the form in full
}

// autosave is the background save of the questionnaire page.
func (s *Server) autosave(c *gin.Context) { s.kommuneSave(c, true) }

// requireKommuneJSON lets only link holders through, answering others 401
// in JSON (the page then sends the form in full and gets the 401 page that
// keeps what was typed).
func (s *Server) requireKommuneJSON(c *gin.Context) {
	if sess := session(c); sess == nil || sess.Kind != "kommune" {
		s.autosaveRefused(c, http.StatusUnauthorized, "error.need_link.text")
		c.Abort()
		return
	}
	c.Next()
}

// autosaveRefused answers a background save that stored nothing.
func (s *Server) autosaveRefused(c *gin.Context, status int, key string) {
	c.JSON(status, autosaveFailure{Error: tr(c, key), Fallback: true})
}

// parseFormJSON is parseForm for the background save: a refusal in JSON.
func (s *Server) parseFormJSON(c *gin.Context) bool {
	status, _, text := formRefusal(c)
	if status == 0 {
		return true
	}
	s.autosaveRefused(c, status, text)
	return false
}

// loadKommuneStateJSON is loadKommuneState answering failures in JSON.
func (s *Server) loadKommuneStateJSON(c *gin.Context, base int) (store.FormState, *survey.Questionnaire, bool) {
	ref := session(c).Token
	fs, err := s.St.KommuneForm(c.Request.Context(), ref.RoundID, ref.ResponseID, base)
	var qn *survey.Questionnaire
	if err == nil {
		qn, err = s.St.Questionnaire(c.Request.Context(), fs.Round.QuestionnaireID)
	}
	if err != nil {
		s.autosaveError(c, err)
		return fs, nil, false
	}
	return fs, qn, true
}

// autosaveError answers an error of a background save in JSON, with the
// status errorFor gives it.
func (s *Server) autosaveError(c *gin.Context, err error) {
	if s.unsaved(c, err) {
		s.autosaveRefused(c, http.StatusServiceUnavailable, "storage.notice")
		return
	}
	var e *survey.Error
	if errors.As(err, &e) {
		status := map[string]int{survey.ENotFound: http.StatusNotFound, survey.EConflict: http.StatusConflict,
			survey.EClosed: http.StatusConflict, survey.EForbidden: http.StatusForbidden}[e.Code]
		if status == 0 {
			status = http.StatusBadRequest
		}
		c.JSON(status, autosaveFailure{Error: emsg(c, e), Fallback: true})
		return
	}
	s.Log.Error("internal error", "route", c.FullPath(), "err", err)
	s.autosaveRefused(c, http.StatusInternalServerError, "error.internal.text")
}

// autosaveAnswer answers a background save with what saveAnswers did.
func (s *Server) autosaveAnswer(c *gin.Context, round survey.Round, qn *survey.Questionnaire, out saveResult, err error) {
	switch {
	case err != nil:
		s.autosaveError(c, err)
		return
	case out.closed:
		s.autosaveRefused(c, http.StatusConflict, "form.notice.not_saved")
		return
	case out.conflicts != nil:
		s.autosaveRefused(c, http.StatusConflict, "form.notice.conflict")
		return
	}
	// The page model only for its messages: without any, there is none to
	// build.
	var page formPage
	if !out.res.OK() {
		page = s.FormPage(c, round, qn, out.resp, out.form, out.res)
	}
	l := lang(c)
	rep := autosaveReply{
		Revision: out.resp.Revision, Status: string(out.resp.Status), StatusLabel: EnumLabel(l, out.resp.Status),
		SavedLabel: l.T("form.meta.last_saved"),
		SavedHTML:  string(withIsolatedTexts(l, "form.meta.saved_by_on", out.resp.UpdatedBy, l.DateTime(out.resp.UpdatedAt, survey.Berlin()))),
		Notice:     s.savedNotice(c, out), Valid: len(page.ErrorList) == 0,
		Errors: []autosaveError{}, Questions: []autosaveQuestion{}, Merged: map[string][]string{},
	}
	if !rep.Valid {
		rep.ErrorsTitle = l.N("form.errors.title", len(page.ErrorList))
	}
	for _, e := range page.ErrorList {
		rep.Errors = append(rep.Errors, autosaveError(e))
	}
	for _, sec := range page.Sections {
		for _, qv := range sec.Questions {
			aq := autosaveQuestion{ID: qv.Q.ID, Error: qv.Error}
			for _, it := range qv.Items {
				if it.Error != "" {
					aq.Items = append(aq.Items, autosaveItem{Code: it.Code, Error: it.Error})
				}
			}
			if aq.Error != "" || aq.Items != nil {
				rep.Questions = append(rep.Questions, aq)
			}
		}
	}
	for _, k := range out.theirs {
		field := k.Field()
		if q := qn.Question(k.Question); q != nil && q.Type == survey.MultipleChoice {
			field = survey.Key{Question: k.Question}.Field()
		}
		if strings.HasPrefix(field, "q.") {
			rep.Merged[field] = append([]string{}, out.form[field]...)
		}
	}
	c.JSON(http.StatusOK, rep)
}
