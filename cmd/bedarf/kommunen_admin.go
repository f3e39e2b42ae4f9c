package main

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Upload routes of the Kommunen page; limitBody allows them maxUploadBytes.
const (
	kommunenPath         = "/verwaltung/kommunen"
	kommunenImportPath   = "/verwaltung/kommunen/import"
	boundariesUploadPath = "/verwaltung/kommunen/grenzen"
)

// kommunenPage lists the stored Kommunen and their boundaries, with the
// upload forms and the outcome of the last upload.
type kommunenPage struct {
	Rows       []kommuneRow
	Boundaries store.BoundariesInfo
	HasBounds  bool

	FileName string   // the file just uploaded
	Problems []string // why it was refused (nothing stored)
	Message  string   // a refusal not about a line of the file

	Imported *store.KommunenImport // outcome of a Kommunen import
	Matched  *boundaryImport       // outcome of a boundaries upload
	Deleted  bool                  // boundaries were deleted
}

// kommuneRow is a Kommune as the table shows it, numbers written the
// German way.
type kommuneRow struct {
	Key, ARS, Name, Kind, Population, Lat, Lon string
}

func newKommuneRow(k survey.Kommune) kommuneRow {
	r := kommuneRow{Key: k.AGS, ARS: k.ARS, Name: k.Name, Kind: k.Kind, Population: "–",
		Lat: survey.FormatInputDE(k.Lat), Lon: survey.FormatInputDE(k.Lon)}
	if r.ARS == "" {
		r.ARS = "–"
	}
	if k.Population > 0 {
		r.Population = survey.FormatNumberDE(float64(k.Population))
	}
	return r
}

func (s *server) kommunenList(c *gin.Context) {
	s.renderKommunen(c, http.StatusOK, kommunenPage{Deleted: c.Query("geloescht") == "1"})
}

func (s *server) renderKommunen(c *gin.Context, status int, p kommunenPage) {
	ks, err := s.st.KommunenWithARS(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	for _, k := range ks {
		p.Rows = append(p.Rows, newKommuneRow(k))
	}
	if p.Boundaries, p.HasBounds, err = s.st.BoundariesStored(c.Request.Context()); err != nil {
		s.errorFor(c, err)
		return
	}
	s.render(c, status, "kommunen", pageData{Title: tr(c, "layout.nav.kommunen"), Page: p})
}

// uploadedFile reads the file of the form field "datei" (at most
// maxUploadBytes, enforced by limitBody); on failure it renders the page
// with the reason and returns false.
func (s *server) uploadedFile(c *gin.Context) (string, []byte, bool) {
	// refuse shows the page with the message of a catalogue key.
	refuse := func(status int, msg string) (string, []byte, bool) {
		s.renderKommunen(c, status, kommunenPage{Message: tr(c, msg)})
		return "", nil, false
	}
	if err := c.Request.ParseMultipartForm(maxUploadBytes); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse(http.StatusRequestEntityTooLarge, "kommunen.too_big")
		}
		return refuse(http.StatusBadRequest, "kommunen.choose")
	}
	defer c.Request.MultipartForm.RemoveAll()
	file, header, err := c.Request.FormFile("datei")
	if err != nil {
		return refuse(http.StatusBadRequest, "kommunen.choose")
	}
	defer file.Close()
	src, err := io.ReadAll(io.LimitReader(file, maxUploadBytes+1))
	if err != nil || len(src) > maxUploadBytes {
		return refuse(http.StatusRequestEntityTooLarge, "kommunen.too_big")
	}
	return filepath.Base(header.Filename), src, true
}

// importKommunen stores the Kommunen of an uploaded CSV file; a file with
// any bad line is refused with every line listed (422).
func (s *server) importKommunen(c *gin.Context) {
	name, src, ok := s.uploadedFile(c)
	if !ok {
		return
	}
	res, err := importKommunenCSV(c.Request.Context(), s.st, src, staffActor(c))
	if s.uploadRefused(c, name, err) {
		return
	}
	s.renderKommunen(c, http.StatusOK, kommunenPage{FileName: name, Imported: &res})
}

// uploadBoundaries stores the boundaries of an uploaded GeoJSON file.
func (s *server) uploadBoundaries(c *gin.Context) {
	name, src, ok := s.uploadedFile(c)
	if !ok {
		return
	}
	m, err := importBoundaries(c.Request.Context(), s.st, src, staffActor(c))
	if s.uploadRefused(c, name, err) {
		return
	}
	m.GeoJSON = nil // not needed on the page
	s.renderKommunen(c, http.StatusOK, kommunenPage{FileName: name, Matched: &m})
}

// deleteBoundaries removes the stored boundaries (PRG).
func (s *server) deleteBoundaries(c *gin.Context) {
	if err := s.st.DeleteBoundaries(c.Request.Context(), staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, kommunenPath+"?geloescht=1")
}

// uploadRefused renders the page with the problems of a refused file (422)
// and reports whether err refused it.
func (s *server) uploadRefused(c *gin.Context, name string, err error) bool {
	if err == nil {
		return false
	}
	var ie *survey.ImportError
	if errors.As(err, &ie) {
		s.renderKommunen(c, http.StatusUnprocessableEntity, kommunenPage{FileName: name, Problems: ie.Problems})
		return true
	}
	s.errorFor(c, err)
	return true
}
