package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

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
	Message  string // a refusal that is not about a place in the file
}

func (s *server) versionsList(c *gin.Context) {
	p := versionsPage{}
	p.NewID, _ = strconv.ParseInt(c.Query("neu"), 10, 64)
	s.renderVersions(c, http.StatusOK, p)
}

func (s *server) renderVersions(c *gin.Context, status int, p versionsPage) {
	vs, err := s.st.QuestionnaireVersions(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Versions = vs
	s.render(c, status, "versions", pageData{Title: tr(c, "layout.nav.versions"), Page: p})
}

// uploadQuestionnaire stores an uploaded YAML or XLSForm file as a new
// version after validating it; every problem is listed with its place on a
// 422 page, and nothing is stored.
func (s *server) uploadQuestionnaire(c *gin.Context) {
	name, src, refused := uploadedFile(c)
	if refused != nil {
		s.renderVersions(c, refused.Status, versionsPage{Message: refused.message(c)})
		return
	}
	if len(src) == 0 {
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Message: tr(c, "versions.empty")})
		return
	}
	v, err := s.st.AddQuestionnaire(c.Request.Context(), questionnaireFormat(name, src), src, staffActor(c))
	var defErrs survey.DefErrors
	switch {
	case errors.As(err, &defErrs):
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Errors: defErrs})
		return
	case survey.ErrorCode(err) == survey.EInvalid:
		s.renderVersions(c, http.StatusUnprocessableEntity, versionsPage{FileName: name, Message: dmsg(c, err.Error())})
		return
	case err != nil:
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?neu=%d", questionnaireUploadPath, v.ID))
}

// questionnaireFormat tells an XLSForm workbook (a zip file) from YAML.
func questionnaireFormat(name string, src []byte) string {
	if bytes.HasPrefix(src, []byte("PK\x03\x04")) || strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return "xlsform"
	}
	return "yaml"
}
