package main

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/bench"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// formBenchFixture is the Kommune's questionnaire page of the default
// questionnaire with a complete draft typed the way people type it (the
// bench's answers), rendered in process without store or HTTP.
type formBenchFixture struct {
	srv   *web.Server
	round survey.Round
	qn    *survey.Questionnaire
	resp  survey.Response
	form  map[string][]string
	res   survey.Result
}

func newFormBenchFixture(tb testing.TB) *formBenchFixture {
	tb.Helper()
	gin.SetMode(gin.ReleaseMode) // as the server runs; no debug line per context
	pages, err := web.NewRenderer()
	if err != nil {
		tb.Fatal(err)
	}
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	k := survey.Kommune{AGS: "03241001", Name: "Hannover", Kind: "Stadt", Population: 545000, PopulationYear: 2024}
	form := bench.BenchForm(rand.New(rand.NewPCG(1, 2)), k, 0)
	ans := qn.Check(form, survey.Draft).Answers
	return &formBenchFixture{
		srv: &web.Server{Pages: pages, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Org: web.OrgCache{Loaded: true, Set: true, Org: survey.DemoOrganisation()}},
		round: survey.Round{ID: 1, QuestionnaireID: 1, Title: "Bedarfsabfrage 2026", Deadline: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), Status: survey.RoundOpen},
		qn:    qn,
		resp: survey.Response{ID: 7, RoundID: 1, Kommune: k, Status: survey.StatusDraft, Revision: 4,
			UpdatedAt: now.Add(-time.Hour), UpdatedBy: "Anna Schmidt"},
		form: qn.FormValues(ans),
		res:  qn.ReCheck(ans, survey.Draft),
	}
}

func (f *formBenchFixture) context() (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/fragebogen", nil)
	return c, w
}

// BenchmarkFormRender renders the questionnaire page: "template" writes
// the page alone on a prepared page model through Render (from its
// skeleton since issue 21; what `bedarf bench` calls the rendering), "page"
// also builds the page model (formPage), as the form's GET and a draft
// save do after their SQLite work. BenchmarkFormSkeleton in web sets the
// skeleton against the template.
func BenchmarkFormRender(b *testing.B) {
	f := newFormBenchFixture(b)
	b.Run("template", func(b *testing.B) {
		c, _ := f.context()
		data := web.PageData{Title: f.qn.Title, Page: f.srv.FormPage(c, f.round, f.qn, f.resp, f.form, f.res)}
		var size int
		b.ReportAllocs()
		for b.Loop() {
			c, w := f.context()
			f.srv.Render(c, http.StatusOK, "form", data)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			size = w.Body.Len()
		}
		b.ReportMetric(float64(size), "bytes/page")
	})
	b.Run("page", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, w := f.context()
			page := f.srv.FormPage(c, f.round, f.qn, f.resp, f.form, f.res)
			f.srv.Render(c, http.StatusOK, "form", web.PageData{Title: f.qn.Title, Page: page})
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}
