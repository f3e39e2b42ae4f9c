package web

import (
	"bytes"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// "Ihre Ergebnisse": a Kommune's results of a round on its personal link
// (issue 22), its print view, its charts and its workbook, and the staff's
// preview of exactly the same page. The figures come from
// analysis.(*Service).KommuneReport with the options of the round's release
// (store.Release); without a release the Kommune sees "noch nicht
// freigegeben" and no figures. The page works without JavaScript: every
// chart is an <img> with a text alternative and a table beside it.

// Addresses of the Kommune's results (behind requireKommune).
const kommuneResultsPath = "/ergebnisse"

// reportPage is the page model of "Ihre Ergebnisse".
type reportPage struct {
	Round   survey.Round
	Kommune survey.Kommune
	// Released is false before the release (and after a withdraw): the
	// page says so and shows no figures.
	Released bool
	// Preview frames the page as the staff's preview; Print is the print
	// view.
	Preview, Print bool
	// Base is where the page's own addresses start: /ergebnisse for the
	// Kommune, the preview's address for staff.
	Base string
	// ReleaseURL leads staff back to the release page (preview only).
	ReleaseURL string
	// PreviewOptions describes the options of a preview before the
	// release (the defaults).
	PreviewDefaults bool

	MinGroup  int
	Answering int
	Submitted bool
	Figures   []reportFigureView
	Plan      analysis.ReportPlan
	Formats   string // the Kommune's preferred format, in words
	Previous  *survey.Round
	Changes   []reportChangeView
	Notes     []string
	PlanNotes []string
	CostRules []string
}

// reportFigureView is one key figure: its table row, chart and notes.
type reportFigureView struct {
	ID, Anchor        string
	Label, Unit, Def  string
	Own               string // "–" when not answered
	Compared          bool
	Q1, Median, Q3    string
	N                 int
	Position          string
	Notes             []string
	Chart             string // the chart's address ("" without comparison)
	ChartAlt          string
	ChartW, ChartH    int
	ChartNote         string
	OwnAnswered       bool
	PositionIsMissing bool
}

// reportChangeView is one figure's own value in the previous round and now.
type reportChangeView struct {
	Label, Unit, Prev, Cur, Diff, Note string
}

// reportOptions are the options a page is made with: the release's, or
// the defaults for a preview before the release.
func reportOptions(rel survey.ResultRelease, released bool) analysis.ReportOptions {
	if !released {
		return analysis.ReportOptions{MinGroup: analysis.DefaultMinGroup}
	}
	return analysis.ReportOptions{MinGroup: rel.MinGroup, ShowGroupMembers: rel.ShowGroupMembers}
}

// kommuneReport computes the report of the Kommune with the AGS, with the
// options of the release; released false (and no report) when the results
// are not released and preview is false.
func (s *Server) kommuneReport(c *gin.Context, round survey.Round, ags string, preview bool) (analysis.KommuneReport, bool, error) {
	rel, released, err := s.St.Release(c.Request.Context(), round.ID)
	if err != nil || (!released && !preview) {
		return analysis.KommuneReport{}, released, err
	}
	rep, err := s.An.KommuneReport(c.Request.Context(), round, ags, reportOptions(rel, released))
	return rep, released, err
}

// reportChartText is the words of a report chart in the page's language.
func reportChartText(l i18n.Lang, f analysis.ReportFigure) analysis.ReportChartText {
	return analysis.ReportChartText{
		Title: msgIn(l, f.Label), ValueLabel: msgIn(l, f.Unit), Own: l.T("report.chart.own"), Median: l.T("report.median"),
		Kind: l.T("report.chart.kind"), Others: l.T("report.chart.others"), Q1: l.T("report.q1"), Q3: l.T("report.q3"),
		Position: msgIn(l, f.Position.Message()), NotAnswered: l.T("report.not_answered"),
		// What box, line and diamond mean is the figure's caption, as text.
		Lang: l.Code(),
	}
}

// formatKey is the catalogue key of a supervision format.
func formatKey(f analysis.Format) string {
	switch f {
	case analysis.FormatOnSite:
		return "report.format.on_site"
	case analysis.FormatNeighbour:
		return "report.format.neighbour"
	case analysis.FormatOnline:
		return "report.format.online"
	}
	return "report.format.none"
}

// shown rounds a value to two decimals, as the page, its charts and their
// text alternatives show it (a ratio like 87,333… reads as 87,33).
func shown(f float64) float64 { return math.Round(f*100) / 100 }

// numShown writes a value as the page shows it.
func numShown(f float64) string { return survey.FormatNumberDE(shown(f)) }

// shownFigure is the figure with its values as the page shows them, for
// its chart; the position was worked out from the exact values.
func shownFigure(f analysis.ReportFigure) analysis.ReportFigure {
	f.Own, f.Q1, f.Median, f.Q3 = shown(f.Own), shown(f.Q1), shown(f.Median), shown(f.Q3)
	return f
}

// newReportPage maps a report to the page in the language l.
func newReportPage(l i18n.Lang, rep analysis.KommuneReport, base string) reportPage {
	p := reportPage{Round: rep.Round, Released: true, Base: base, MinGroup: rep.MinGroup, Answering: rep.Answering,
		Submitted: rep.Submitted, Plan: rep.Plan, Previous: rep.Previous,
		Notes: msgsIn(l, rep.Notes), PlanNotes: msgsIn(l, rep.Plan.Notes), CostRules: msgsIn(l, rep.Plan.CostRules)}
	p.Formats = l.T(formatKey(rep.Plan.Format))
	for i, f := range rep.Figures {
		v := reportFigureView{ID: f.ID, Anchor: "kennzahl-" + strconv.Itoa(i+1), Label: msgIn(l, f.Label), Unit: msgIn(l, f.Unit),
			Def: msgIn(l, f.Definition), Own: "–", Compared: f.Compared, N: f.N, Position: msgIn(l, f.Position.Message()),
			Notes: msgsIn(l, f.Notes), OwnAnswered: f.OwnAnswered}
		if f.OwnAnswered {
			v.Own = numShown(f.Own)
		}
		if f.Compared {
			v.Q1, v.Median, v.Q3 = numShown(f.Q1), numShown(f.Median), numShown(f.Q3)
			if ch, err := shownFigure(f).Chart(reportChartText(l, f)); err == nil {
				v.Chart = fmt.Sprintf("%s/diagramme/%d.svg", base, i+1)
				v.ChartAlt, v.ChartW, v.ChartH = ch.Description(), ch.Width(), ch.Height()
				v.ChartNote = l.T("report.chart.note", f.N)
			}
		}
		if v.Position == "" {
			v.Position = "–"
		}
		p.Figures = append(p.Figures, v)
	}
	for _, ch := range rep.Changes {
		v := reportChangeView{Label: msgIn(l, ch.Label), Unit: msgIn(l, ch.Unit), Prev: "–", Cur: "–", Diff: "–", Note: msgIn(l, ch.Note)}
		if ch.PrevAnswered {
			v.Prev = numShown(ch.Prev)
		}
		if ch.CurAnswered {
			v.Cur = numShown(ch.Cur)
		}
		if d, ok := ch.Diff(); ok {
			v.Diff = numShown(d)
			if d > 0 {
				v.Diff = "+" + v.Diff
			}
		}
		p.Changes = append(p.Changes, v)
	}
	return p
}

// renderReport renders the page (or the print view), or "not released".
func (s *Server) renderReport(c *gin.Context, p reportPage) {
	title := tr(c, "report.title")
	if p.Preview {
		title = tr(c, "report.preview.title", p.Kommune.Name)
	}
	s.Render(c, http.StatusOK, "report", PageData{Title: title, Page: p})
}

// kommuneOfSession returns the round and response of the Kommune's session.
func (s *Server) kommuneOfSession(c *gin.Context) (survey.Round, survey.Response, bool) {
	ref := session(c).Token
	round, err := s.St.Round(c.Request.Context(), ref.RoundID)
	if err != nil {
		s.errorFor(c, err)
		return round, survey.Response{}, false
	}
	resp, _, err := s.St.Response(c.Request.Context(), ref.ResponseID)
	if err != nil {
		s.errorFor(c, err)
		return round, resp, false
	}
	return round, resp, true
}

// notReleased answers a print view, chart or workbook asked for before
// the release.
func (s *Server) notReleased(c *gin.Context) {
	s.errorPage(c, http.StatusNotFound, tr(c, "report.not_released.title"), tr(c, "report.not_released.text"))
}

// kommuneResultsPage is "Ihre Ergebnisse" (print false) or its print view.
func (s *Server) kommuneResultsPage(print bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		round, resp, ok := s.kommuneOfSession(c)
		if !ok {
			return
		}
		rep, released, err := s.kommuneReport(c, round, resp.Kommune.AGS, false)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		if !released {
			if print {
				s.notReleased(c)
				return
			}
			s.renderReport(c, reportPage{Round: round, Kommune: resp.Kommune})
			return
		}
		view := store.ReportPage
		if print {
			view = store.ReportPrint
		}
		s.recordOpen(c, round, resp.Kommune, view)
		p := newReportPage(lang(c), rep, kommuneResultsPath)
		p.Kommune, p.Print = resp.Kommune, print
		s.renderReport(c, p)
	}
}

// recordOpen writes the open into the audit log (once a day and view); a
// failure is logged, the Kommune still sees its results.
func (s *Server) recordOpen(c *gin.Context, round survey.Round, k survey.Kommune, view store.ReportView) {
	a := survey.Actor{Kind: "kommune", Label: "Kommune " + k.Name}
	if _, err := s.St.RecordReportOpen(c.Request.Context(), round.ID, k.ID, view, a); err != nil {
		s.Log.Error("record results opened", "round", round.ID, "kommune", k.AGS, "err", err)
	}
}

// reportChart sends one figure's chart (file "3.svg": the third figure).
func (s *Server) reportChart(c *gin.Context, rep analysis.KommuneReport) {
	n, err := strconv.Atoi(strings.TrimSuffix(c.Param("file"), ".svg"))
	if err != nil || !strings.HasSuffix(c.Param("file"), ".svg") || n < 1 || n > len(rep.Figures) {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "error.not_found.text"))
		return
	}
	f := rep.Figures[n-1]
	ch, err := shownFigure(f).Chart(reportChartText(lang(c), f))
	if err != nil {
		// No comparison (too few others): no chart, as the page says.
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), msgIn(lang(c), survey.NewMessage("msg.report.too_few", f.N, rep.MinGroup)))
		return
	}
	s.sendChartAs(c, ch, "kennzahl-"+strconv.Itoa(n), false)
}

// kommuneResultsChart is a chart of the Kommune's page.
func (s *Server) kommuneResultsChart(c *gin.Context) {
	round, resp, ok := s.kommuneOfSession(c)
	if !ok {
		return
	}
	rep, released, err := s.kommuneReport(c, round, resp.Kommune.AGS, false)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if !released {
		s.notReleased(c)
		return
	}
	s.reportChart(c, rep)
}

// kommuneResultsWorkbook is the Kommune's results as a workbook.
func (s *Server) kommuneResultsWorkbook(c *gin.Context) {
	round, resp, ok := s.kommuneOfSession(c)
	if !ok {
		return
	}
	rep, released, err := s.kommuneReport(c, round, resp.Kommune.AGS, false)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if !released {
		s.notReleased(c)
		return
	}
	s.recordOpen(c, round, resp.Kommune, store.ReportWorkbook)
	s.sendReportWorkbook(c, rep)
}

// sendReportWorkbook answers with the report as a workbook download
// (the open is in the audit log already: RecordReportOpen or, for staff,
// nothing to record).
func (s *Server) sendReportWorkbook(c *gin.Context, rep analysis.KommuneReport) {
	var buf bytes.Buffer
	if err := analysis.WriteKommuneReportWorkbook(&buf, rep); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": analysis.KommuneReportWorkbookName(rep)}))
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(http.StatusOK, xlsxType, buf.Bytes())
}

// --- the staff's preview ---

// previewKommune resolves the round and the Kommune of a preview address.
func (s *Server) previewKommune(c *gin.Context) (survey.Round, survey.Kommune, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, survey.Kommune{}, false
	}
	resp, _, err := s.St.ResponseByKommune(c.Request.Context(), round.ID, c.Param("ags"))
	if err != nil {
		s.errorFor(c, err)
		return round, survey.Kommune{}, false
	}
	return round, resp.Kommune, true
}

func previewURL(roundID int64, ags string) string {
	return releaseURL(roundID) + "/vorschau/" + url.PathEscape(ags)
}

// previewChoose leads the release page's choice (?kommune=) to the
// preview's own address.
func (s *Server) previewChoose(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	ags := c.Query("kommune")
	if ags == "" || len(ags) > 12 {
		c.Redirect(http.StatusSeeOther, releaseURL(round.ID))
		return
	}
	c.Redirect(http.StatusSeeOther, previewURL(round.ID, ags))
}

// previewPage is the staff's preview of a Kommune's page or print view:
// the same rendering, framed as a preview. Before the release it shows
// what the Kommune would see with the default options.
func (s *Server) previewPage(print bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		round, k, ok := s.previewKommune(c)
		if !ok {
			return
		}
		rep, released, err := s.kommuneReport(c, round, k.AGS, true)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		p := newReportPage(lang(c), rep, previewURL(round.ID, k.AGS))
		p.Kommune, p.Print, p.Preview, p.ReleaseURL = k, print, true, releaseURL(round.ID)
		p.PreviewDefaults = !released
		s.renderReport(c, p)
	}
}

// previewChart is a chart of the preview.
func (s *Server) previewChart(c *gin.Context) {
	round, k, ok := s.previewKommune(c)
	if !ok {
		return
	}
	rep, _, err := s.kommuneReport(c, round, k.AGS, true)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.reportChart(c, rep)
}

// previewWorkbook is the workbook of the preview.
func (s *Server) previewWorkbook(c *gin.Context) {
	round, k, ok := s.previewKommune(c)
	if !ok {
		return
	}
	rep, _, err := s.kommuneReport(c, round, k.AGS, true)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.sendReportWorkbook(c, rep)
}

// resultsReleased reports whether a round's results are released, for the
// link on the Kommune's pages; a failure is logged and shows no link.
func (s *Server) resultsReleased(c *gin.Context, roundID int64) bool {
	_, ok, err := s.St.Release(c.Request.Context(), roundID)
	if err != nil {
		s.Log.Error("release of the results", "round", roundID, "err", err)
	}
	return ok
}
