package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// WriteRoundWorkbook builds the evaluation workbook of a round, with the
// plan from the analysis service (the web download and the CLI export).
func WriteRoundWorkbook(ctx context.Context, an *analysis.Service, r survey.Round, w io.Writer) error {
	ds, err := an.LoadDataset(ctx, r)
	if err != nil {
		return err
	}
	return analysis.WriteWorkbook(w, ds)
}

// sendFile answers with a download built into memory first, so an error
// becomes an error page rather than half a file, and audits the export.
func (s *Server) sendFile(c *gin.Context, action string, roundID, kommuneID int64, name, contentType string, build func(io.Writer) error) {
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		s.errorFor(c, err)
		return
	}
	if err := s.St.Audit(c.Request.Context(), actorOf(c), action, roundID, kommuneID, name); err != nil {
		s.Log.Error("audit export", "action", action, "err", err)
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

// actorOf returns whoever is signed in, for the audit log.
func actorOf(c *gin.Context) survey.Actor {
	sess := session(c)
	switch {
	case sess == nil:
		return survey.Actor{Kind: "anonymous", Label: "unbekannt"}
	case sess.Kind == "staff":
		return survey.Actor{Kind: "staff", ID: sess.User.ID, Label: sess.User.Email}
	}
	return survey.Actor{Kind: "kommune", Label: "Kommune"}
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// downloadWorkbook sends the evaluation workbook of a round.
func (s *Server) downloadWorkbook(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.sendFile(c, "export.workbook", round.ID, 0, analysis.WorkbookName(round), xlsxType, func(w io.Writer) error {
		return WriteRoundWorkbook(c.Request.Context(), s.An, round, w)
	})
}

// downloadCSV sends the raw answers of a round as CSV for German Excel.
func (s *Server) downloadCSV(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.sendFile(c, "export.csv", round.ID, 0, analysis.CSVName(round), "text/csv; charset=utf-8", func(w io.Writer) error {
		ds, err := s.An.LoadDataset(c.Request.Context(), round)
		if err != nil {
			return err
		}
		return analysis.WriteCSV(w, ds)
	})
}

// downloadMissing sends the Kommunen of a round that have not submitted
// yet (not begun, in progress, returned), by AGS, as CSV for German Excel:
// UTF-8 with byte order mark, ";" between fields, CRLF line ends; text a
// spreadsheet would run as a formula is neutralised (analysis.NeutralizeCSV).
func (s *Server) downloadMissing(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	name := fmt.Sprintf("Ausstehend_%d.csv", round.ID)
	s.sendFile(c, "export.missing", round.ID, 0, name, "text/csv; charset=utf-8", func(w io.Writer) error {
		missing := overviewFilters[1]
		p, err := s.St.OverviewPage(c.Request.Context(), store.OverviewFilter{RoundID: round.ID, Statuses: missing.Statuses}, 1, 0)
		if err != nil {
			return err
		}
		cw := analysis.NewCSVWriter(w)
		cw.Write([]string{"AGS", "Kommune", "Art", "Status", "Letzte Aktivität", "von"})
		for _, r := range p.Responses {
			last := ""
			if !r.UpdatedAt.IsZero() {
				last = r.UpdatedAt.In(survey.Berlin()).Format("02.01.2006 15:04")
			}
			cw.Write([]string{analysis.NeutralizeCSV(r.Kommune.AGS), analysis.NeutralizeCSV(r.Kommune.Name), analysis.NeutralizeCSV(r.Kommune.Kind),
				r.Status.Label(), last, analysis.NeutralizeCSV(r.UpdatedBy)})
		}
		return cw.Flush()
	})
}

// downloadChart sends one of the workbook's charts as SVG or PNG:
// /diagramme/NAME.svg or NAME.png.
func (s *Server) downloadChart(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	file := c.Param("file")
	name, ext, _ := strings.Cut(file, ".")
	if ext != "svg" && ext != "png" {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "downloads.no_chart"))
		return
	}
	ds, err := s.An.LoadDataset(c.Request.Context(), round)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	charts, err := analysis.ChartsFor(ds)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	for _, nc := range charts {
		if nc.Name != name {
			continue
		}
		contentType := "image/svg+xml"
		render := nc.Chart.SVG
		if ext == "png" {
			contentType, render = "image/png", nc.Chart.PNG
		}
		s.sendFile(c, "export.chart", round.ID, 0, nc.FileName(round, ext), contentType, func(w io.Writer) error {
			b, err := render()
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		})
		return
	}
	s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "downloads.no_chart"))
}

// downloadKommuneWorkbook sends one Kommune's own answers: to the Kommune
// (its session decides which) or to staff (the AGS in the URL).
func (s *Server) downloadKommuneWorkbook(c *gin.Context) {
	var round survey.Round
	var resp survey.Response
	var ans survey.Answers
	var err error
	if sess := session(c); sess != nil && sess.Kind == "kommune" {
		if round, err = s.St.Round(c.Request.Context(), sess.Token.RoundID); err == nil {
			resp, ans, err = s.St.Response(c.Request.Context(), sess.Token.ResponseID)
		}
	} else {
		var ok bool
		if round, ok = s.staffRound(c); !ok {
			return
		}
		resp, ans, err = s.St.ResponseByKommune(c.Request.Context(), round.ID, c.Param("ags"))
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.sendFile(c, "export.kommune", round.ID, resp.Kommune.ID, analysis.KommuneWorkbookName(round, resp.Kommune), xlsxType, func(w io.Writer) error {
		return analysis.WriteKommuneWorkbook(w, analysis.KommuneAnswers{Round: round, Questionnaire: qn, Response: resp, Answers: ans, Generated: time.Now()})
	})
}
