package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// versionsPage lists the stored questionnaire versions with the upload form.
type versionsPage struct {
	Versions []store.VersionInfo
	NewID    int64 // the version just stored
	FileName string
	Errors   []survey.DefError
	Notes    []*survey.Message // of the version just stored
	Message  string            // a refusal that is not about a place in the file
}

func (s *Server) versionsList(c *gin.Context) {
	p := versionsPage{}
	p.NewID, _ = strconv.ParseInt(c.Query("neu"), 10, 64)
	if p.NewID > 0 {
		// What the import changed or left out, shown with the new version.
		if qn, err := s.St.Questionnaire(c.Request.Context(), p.NewID); err == nil {
			p.Notes = qn.Notes
		}
	}
	s.renderVersions(c, http.StatusOK, p)
}

func (s *Server) renderVersions(c *gin.Context, status int, p versionsPage) {
	vs, err := s.St.QuestionnaireVersions(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Versions = vs
	s.Render(c, status, "versions", PageData{Title: tr(c, "layout.nav.versions"), Page: p})
}

// uploadQuestionnaire stores an uploaded YAML or XLSForm file as a new
// version after validating it; every problem is listed with its place on a
// 422 page, and nothing is stored.
func (s *Server) uploadQuestionnaire(c *gin.Context) {
	var id int64
	name, src, refused := uploadedFile(c)
	if refused != nil {
		s.renderVersions(c, refused.Status, versionsPage{Message: refused.message(c)})
		return
	}
	if len(src) == 0 {
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Message: tr(c, "versions.empty")})
		return
	}
	format, err := survey.FileFormat(name, src)
	if err == nil {
		var v store.QuestionnaireVersion
		v, err = s.St.AddQuestionnaireFile(c.Request.Context(), name, format, src, staffActor(c))
		id = v.ID
	}
	var defErrs survey.DefErrors
	switch {
	case errors.As(err, &defErrs):
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Errors: defErrs})
		return
	case survey.ErrorCode(err) == survey.EInvalid:
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Message: emsg(c, err)})
		return
	case err != nil:
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?neu=%d", QuestionnaireUploadPath, id))
}
