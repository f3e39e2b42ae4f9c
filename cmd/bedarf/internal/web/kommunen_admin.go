package web

import (
	"cmp"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// KommunenPath is the Kommunen page; its upload routes are in uploads.go.
//
// Exported for package main's end-to-end tests.
const KommunenPath = "/verwaltung/kommunen"

// kommunenPage lists the stored Kommunen and their boundaries, with the
// upload forms and the outcome of the last upload.
type kommunenPage struct {
	Rows       []kommuneRow // the Kommunen shown: all, or List's page
	All        int          // Kommunen stored
	List       *listView    // set when the Kommunen are shown page by page
	Columns    []sortColumn // the table's headers, sortable (kommunenColumns)
	Boundaries store.BoundariesInfo
	HasBounds  bool

	FileName string   // the file just uploaded
	Problems []string // why it was refused (nothing stored), in the page's language
	Count    int      // problems in all (Problems shows the first maxShownProblems)
	Message  string   // a refusal not about a line of the file

	Imported *store.KommunenImport    // outcome of a Kommunen import
	Matched  *analysis.BoundaryImport // outcome of a boundaries upload
	Deleted  bool                     // boundaries were deleted
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

// kommunenColumns are the Kommunen table's sortable columns, by key (AGS)
// by default; kommunenOrder compares Kommunen by each other column.
var kommunenColumns = []sortableColumn{
	{Value: "schluessel", Key: "kommunen.key"}, {Value: "ars", Key: "kommunen.ars"}, {Value: "name", Key: "users.name"},
	{Value: "art", Key: "kommunen.kind"}, {Value: "einwohner", Key: "kommunen.population", Class: "num"},
	{Value: "breite", Key: "kommunen.lat", Class: "num"}, {Value: "laenge", Key: "kommunen.lon", Class: "num"},
}

var kommunenOrder = map[string]func(a, b survey.Kommune) int{
	"ars":       func(a, b survey.Kommune) int { return strings.Compare(a.ARS, b.ARS) },
	"name":      func(a, b survey.Kommune) int { return byName(a.Name, b.Name) },
	"art":       func(a, b survey.Kommune) int { return byName(a.Kind, b.Kind) },
	"einwohner": func(a, b survey.Kommune) int { return cmp.Compare(a.Population, b.Population) },
	"breite":    func(a, b survey.Kommune) int { return cmp.Compare(a.Lat, b.Lat) },
	"laenge":    func(a, b survey.Kommune) int { return cmp.Compare(a.Lon, b.Lon) },
}

func (s *Server) kommunenList(c *gin.Context) {
	s.renderKommunen(c, http.StatusOK, kommunenPage{Deleted: c.Query("geloescht") == "1"})
}

func (s *Server) renderKommunen(c *gin.Context, status int, p kommunenPage) {
	ks, err := s.St.KommunenWithARS(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.All = len(ks)
	var ok bool
	if p.List, ks, p.Columns, ok = s.sortedKommunen(c, ks, KommunenPath, "kommunen", "kommunen.pages", kommunenColumns, kommunenOrder); !ok {
		return
	}
	for _, k := range ks {
		p.Rows = append(p.Rows, newKommuneRow(k))
	}
	if p.Boundaries, p.HasBounds, err = s.St.BoundariesStored(c.Request.Context()); err != nil {
		s.errorFor(c, err)
		return
	}
	s.Render(c, status, "kommunen", PageData{Title: tr(c, "layout.nav.kommunen"), Page: p})
}

// kommunenUpload reads the uploaded file; on failure it renders the page
// with the reason and returns false.
func (s *Server) kommunenUpload(c *gin.Context) (string, []byte, bool) {
	name, src, refused := uploadedFile(c)
	if refused != nil {
		s.renderKommunen(c, refused.Status, kommunenPage{Message: refused.message(c) + " " + tr(c, "versions.nothing_saved")})
		return "", nil, false
	}
	return name, src, true
}

// importKommunen stores the Kommunen of an uploaded CSV file; a file with
// any bad line is refused with every line listed (422).
func (s *Server) importKommunen(c *gin.Context) {
	name, src, ok := s.kommunenUpload(c)
	if !ok {
		return
	}
	res, err := s.St.ImportKommunenCSV(c.Request.Context(), src, staffActor(c))
	if s.uploadRefused(c, name, err) {
		return
	}
	s.renderKommunen(c, http.StatusOK, kommunenPage{FileName: name, Imported: &res})
}

// uploadBoundaries stores the boundaries of an uploaded GeoJSON file.
func (s *Server) uploadBoundaries(c *gin.Context) {
	name, src, ok := s.kommunenUpload(c)
	if !ok {
		return
	}
	m, err := analysis.ImportBoundaries(c.Request.Context(), s.St, src, staffActor(c))
	if s.uploadRefused(c, name, err) {
		return
	}
	m.GeoJSON = nil // not needed on the page
	s.renderKommunen(c, http.StatusOK, kommunenPage{FileName: name, Matched: &m})
}

// deleteBoundaries removes the stored boundaries (PRG).
func (s *Server) deleteBoundaries(c *gin.Context) {
	if err := s.St.DeleteBoundaries(c.Request.Context(), staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, KommunenPath+"?geloescht=1")
}

// uploadRefused renders the page with the problems of a refused file (422)
// and reports whether err refused it.
func (s *Server) uploadRefused(c *gin.Context, name string, err error) bool {
	if err == nil {
		return false
	}
	var ie *survey.ImportError
	if errors.As(err, &ie) {
		s.renderKommunen(c, http.StatusUnprocessableEntity, kommunenPage{FileName: name, Problems: importProblems(c, ie), Count: len(ie.Problems)})
		return true
	}
	s.errorFor(c, err)
	return true
}
