package web

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
)

// Upload routes and the size limit of the kind of file each takes, defined
// once in survey for the command line, the pages and the docs. limitBody
// allows their POST bodies that much plus multipartSlack; every other body
// maxFormBytes.
const (
	// QuestionnaireUploadPath is exported for package main's end-to-end tests.
	QuestionnaireUploadPath = "/verwaltung/frageboegen"
	// KommunenImportPath is exported for package main's end-to-end tests.
	KommunenImportPath = "/verwaltung/kommunen/import"
	// BoundariesUploadPath is exported for package main's end-to-end tests and the bench's upload over HTTP.
	BoundariesUploadPath = "/verwaltung/kommunen/grenzen"
	// ContactsImportPath is exported for package main's end-to-end tests.
	ContactsImportPath = "/verwaltung/kontakte/import"
	// ContactsPath is exported for package main's end-to-end tests.
	ContactsPath = "/verwaltung/kontakte"
)

var uploadLimits = map[string]int{
	QuestionnaireUploadPath: survey.MaxQuestionnaireBytes,
	KommunenImportPath:      survey.MaxKommunenBytes,
	BoundariesUploadPath:    survey.MaxBoundariesBytes,
	ContactsImportPath:      survey.MaxContactsBytes,
	SetupKommunenPath:       survey.MaxKommunenBytes,
	SetupBoundariesPath:     survey.MaxBoundariesBytes,
	SetupQuestionnairePath:  survey.MaxQuestionnaireBytes,
}

// multipartSlack is what a multipart body may carry beside its file: the
// parts' headers and the form's other fields.
const multipartSlack = 64 << 10

// uploadMB returns the size limit in MB of a kind of file ("questionnaire",
// "kommunen", "boundaries", "contacts"), for the pages' texts.
func uploadMB(kind string) int {
	return uploadLimits[map[string]string{
		"questionnaire": QuestionnaireUploadPath,
		"kommunen":      KommunenImportPath,
		"boundaries":    BoundariesUploadPath,
		"contacts":      ContactsImportPath,
	}[kind]] >> 20
}

// uploadRefusal says why no file was taken from an upload: the status and
// the catalogue key of the message, which takes the limit in MB.
type uploadRefusal struct {
	Status int
	Key    string
}

// Keys of uploadRefusal.
const (
	uploadTooBig = "uploads.too_big"
	uploadChoose = "uploads.choose"
)

// uploadedFile reads the file of the form field "datei" posted to the
// upload route: at most its limit, which limitBody enforces on the body.
// It returns the file's base name and content.
func uploadedFile(c *gin.Context) (string, []byte, *uploadRefusal) {
	limit := uploadLimits[c.FullPath()]
	if err := c.Request.ParseMultipartForm(int64(min(limit, 32<<20))); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, &uploadRefusal{http.StatusRequestEntityTooLarge, uploadTooBig}
		}
		return "", nil, &uploadRefusal{http.StatusBadRequest, uploadChoose}
	}
	defer c.Request.MultipartForm.RemoveAll()
	file, header, err := c.Request.FormFile("datei")
	if err != nil {
		return "", nil, &uploadRefusal{http.StatusBadRequest, uploadChoose}
	}
	defer file.Close()
	src, err := io.ReadAll(io.LimitReader(file, int64(limit)+1))
	if err != nil || len(src) > limit {
		return "", nil, &uploadRefusal{http.StatusRequestEntityTooLarge, uploadTooBig}
	}
	return filepath.Base(strings.ReplaceAll(header.Filename, `\`, "/")), src, nil
}

// message returns the refusal in the request's language.
func (r *uploadRefusal) message(c *gin.Context) string {
	if r.Key == uploadTooBig {
		return tr(c, r.Key, uploadLimits[c.FullPath()]>>20)
	}
	return tr(c, r.Key)
}

// maxShownProblems bounds the problems a page lists of a refused file; a
// file of 20,000 bad lines would otherwise make a page of megabytes. The
// command line lists them all.
const maxShownProblems = 200

// importProblems returns the problems of a refused file in the request's
// language: keyed messages from the catalogue, the older German sentences
// by their German text; after maxShownProblems a line says how many more.
func importProblems(c *gin.Context, ie *survey.ImportError) []string {
	n := min(len(ie.Problems), maxShownProblems)
	out := make([]string, 0, n+1)
	for i := range n {
		if m := ie.Message(i); m != nil {
			out = append(out, trm(c, m))
		} else {
			out = append(out, ie.Problems[i]) // an internal error: no key
		}
	}
	if more := len(ie.Problems) - n; more > 0 {
		out = append(out, trn(c, "uploads.more_problems", more))
	}
	return out
}
