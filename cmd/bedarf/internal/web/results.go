package web

// Result pages for staff and readers: the questions of a round with their
// charts, tables and free-text answers, the comparison of two rounds, and
// the charts behind them (SVG for the page, PNG for download). The
// aggregates come from SQL (store.Basis and friends); nothing here loads a
// round's answers.

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"html/template"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// textPageSize is the number of free-text answers shown per page.
const textPageSize = 100

// statusFilter is one choice of the response status filter.
type statusFilter struct {
	Value    string // query value
	Label    string // catalogue key of the option text
	Words    string // catalogue key of the plural noun phrase for "Grundlage: 7 …"
	Statuses []survey.ResponseStatus
}

// statusFilters lists the status filter's choices; the first is the default.
var statusFilters = []statusFilter{
	{"eingereicht", "results.filter.submitted", "results.filter.submitted.words", []survey.ResponseStatus{survey.StatusSubmitted}},
	{"alle", "results.filter.all", "results.filter.all.words",
		[]survey.ResponseStatus{survey.StatusSubmitted, survey.StatusDraft, survey.StatusReturned}},
	{"in-bearbeitung", "results.filter.draft", "results.filter.draft.words", []survey.ResponseStatus{survey.StatusDraft}},
	{"zurueckgegeben", "results.filter.returned", "results.filter.returned.words", []survey.ResponseStatus{survey.StatusReturned}},
}

// resultFilter is the filter of the result pages, from the query
// parameters "art" (Kommune kind) and "status".
type resultFilter struct {
	Kind   string
	Status statusFilter
	Kinds  []string // the kinds to choose from
}

// parseFilter reads the filter; unknown values answer 400.
func (s *Server) parseFilter(c *gin.Context) (resultFilter, bool) {
	kinds, err := s.St.KommuneKinds(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return resultFilter{}, false
	}
	f := resultFilter{Kind: c.Query("art"), Status: statusFilters[0], Kinds: kinds}
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		s.errorPage(c, http.StatusBadRequest, tr(c, "results.filter.unknown"), tr(c, "results.filter.bad_kind"))
		return f, false
	}
	if v := c.Query("status"); v != "" {
		i := slices.IndexFunc(statusFilters, func(sf statusFilter) bool { return sf.Value == v })
		if i < 0 {
			s.errorPage(c, http.StatusBadRequest, tr(c, "results.filter.unknown"), tr(c, "results.filter.bad_status"))
			return f, false
		}
		f.Status = statusFilters[i]
	}
	return f, true
}

// basis returns the responses of round the filter selects.
func (f resultFilter) basis(roundID int64) store.Basis {
	return store.Basis{RoundID: roundID, Statuses: f.Status.Statuses, Kind: f.Kind}
}

// query returns the filter as a query string ("?art=Stadt"), without the
// defaults; extra pairs are appended.
func (f resultFilter) query(extra ...string) string {
	v := url.Values{}
	if f.Kind != "" {
		v.Set("art", f.Kind)
	}
	if f.Status.Value != statusFilters[0].Value {
		v.Set("status", f.Status.Value)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// basisText says which responses a result counts ("Grundlage: 7
// eingereichte Antworten"), in the locale.
func (f resultFilter) basisText(l i18n.Lang, n int) string {
	s := l.T("results.basis", analysis.FormatDecimalDE(float64(n), 0), l.T(f.Status.Words))
	if f.Kind != "" {
		s += l.T("results.basis_kind", f.Kind)
	}
	return s
}

// filterView is what the filter form shows.
type filterView struct {
	Kind     string
	Status   string
	Kinds    []string
	Statuses []statusFilter
	Text     string // the basis in words
	Default  bool   // no filter set
}

func (f resultFilter) view(l i18n.Lang, n int) filterView {
	return filterView{Kind: f.Kind, Status: f.Status.Value, Kinds: f.Kinds, Statuses: statusFilters, Text: f.basisText(l, n),
		Default: f.Kind == "" && f.Status.Value == statusFilters[0].Value}
}

// roundNav is the navigation between a round's pages.
type roundNav struct {
	RoundID int64
	Current string // "uebersicht", "fragen", "vergleich"
}

// chartView is a chart on a page: the image, its text alternative and its
// data as a table.
type chartView struct {
	SVG, PNG    string
	SVGDownload string
	Alt         string
	Table       analysis.ChartTable
	Width       int
	Height      int
	// NoBoundaries is set when no boundaries are stored: the page shows a
	// notice and the table instead of the picture.
	NoBoundaries bool
}

func newChartView(ch *analysis.Chart, base string) *chartView {
	path, query, _ := strings.Cut(base, "?")
	v, _ := url.ParseQuery(query)
	with := func(ext string, v url.Values) string {
		if len(v) == 0 {
			return path + ext
		}
		return path + ext + "?" + v.Encode()
	}
	cv := &chartView{SVG: with(".svg", v), PNG: with(".png", v), Alt: ch.Description(), Table: ch.Table(),
		Width: ch.Width(), Height: ch.Height()}
	v.Set("download", "1")
	cv.SVGDownload = with(".svg", v)
	return cv
}

// chartRenderer renders a chart: an *analysis.Chart, or a cached map.
type chartRenderer interface {
	SVG() ([]byte, error)
	PNG() ([]byte, error)
}

// sendChart answers with the chart as SVG or, on the .png route, as a PNG
// download named name.png.
func (s *Server) sendChart(c *gin.Context, ch chartRenderer, name string) {
	s.sendChartAs(c, ch, name, strings.HasSuffix(c.FullPath(), ".png"))
}

// sendChartAs answers with the chart as SVG or, with png, as a PNG download
// named name.png.
func (s *Server) sendChartAs(c *gin.Context, ch chartRenderer, name string, png bool) {
	c.Header("Cache-Control", "no-store")
	if png {
		png, err := ch.PNG()
		if err != nil {
			s.errorFor(c, err)
			return
		}
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".png"}))
		c.Data(http.StatusOK, "image/png", png)
		return
	}
	svg, err := ch.SVG()
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if c.Query("download") != "" {
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".svg"}))
	}
	c.Data(http.StatusOK, "image/svg+xml", svg)
}

// ---------------------------------------------------------------------------
// Question list

type questionsPage struct {
	Round    survey.Round
	Nav      roundNav
	Filter   filterView
	Basis    int
	Sections []questionSection
}

type questionSection struct {
	Title string
	// Caption names the section's table, its title marked as German.
	Caption   template.HTML
	Questions []questionRow
}

type questionRow struct {
	ID, Label, Type string
	URL             string
	N, Missing      int
}

// questionsList shows a round's questions with the number of answers.
func (s *Server) questionsList(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	f, ok := s.parseFilter(c)
	if !ok {
		return
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	b := f.basis(round.ID)
	size, err := s.St.BasisSize(c.Request.Context(), b)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	counts, err := s.St.AnsweredCounts(c.Request.Context(), b)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	n := map[string]int{}
	for _, qc := range counts {
		n[qc.QuestionID] = qc.N
	}
	p := questionsPage{Round: round, Nav: roundNav{round.ID, "fragen"}, Filter: f.view(lang(c), size), Basis: size}
	for _, sec := range qn.Sections {
		qs := questionSection{Title: sec.Title, Caption: withTextsIn(lang(c), qn.Lang, "questions.caption", qtext(sec.Title))}
		for _, q := range sec.Questions {
			if q.Type == survey.Note {
				continue
			}
			qs.Questions = append(qs.Questions, questionRow{ID: q.ID, Label: q.Label, Type: EnumLabel(lang(c), q.Type),
				URL: fmt.Sprintf("/verwaltung/runden/%d/fragen/%s%s", round.ID, q.ID, f.query()), N: n[q.ID], Missing: size - n[q.ID]})
		}
		if len(qs.Questions) > 0 {
			p.Sections = append(p.Sections, qs)
		}
	}
	s.Render(c, http.StatusOK, "questions", PageData{Title: tr(c, "questions.title", round.Title), Page: p, QLang: qn.Lang})
}

// ---------------------------------------------------------------------------
// One question

// questionResult is everything a question's page and chart show.
type questionResult struct {
	Q       *survey.Question
	Basis   int
	N       int
	Missing int
	// Stats are the number statistics: one row for an integer or decimal
	// question, one per item for per-item numbers.
	Stats []statRow
	// Rows are the answered/missing counts per matrix row.
	Rows  []statRow
	Chart *analysis.Chart
}

// statRow is one line of the statistics table, formatted.
type statRow struct {
	Label                       string
	N, Missing                  int
	Sum, Mean, Median, Min, Max string
	HasNumbers                  bool
}

// questionResult aggregates one question over the basis in SQL and builds
// its chart; the chart notes carry the basis so that a downloaded chart
// says what it counts.
func (s *Server) questionResult(ctx context.Context, b store.Basis, f resultFilter, q *survey.Question) (*questionResult, error) {
	size, err := s.St.BasisSize(ctx, b)
	if err != nil {
		return nil, err
	}
	r := &questionResult{Q: q, Basis: size}
	counts, err := s.St.AnsweredCounts(ctx, b, q.ID)
	if err != nil {
		return nil, err
	}
	if len(counts) > 0 {
		r.N = counts[0].N
	}
	r.Missing = size - r.N
	// The chart is a German file, like the workbook (see cmd/bedarf/internal/i18n).
	note := f.basisText(i18n.DE, size) + "; beantwortet: " + analysis.FormatDecimalDE(float64(r.N), 0) +
		", ohne Antwort: " + analysis.FormatDecimalDE(float64(r.Missing), 0) + "."
	switch q.Type {
	case survey.SingleChoice, survey.MultipleChoice, survey.Likert, survey.YesNo:
		cc, err := s.St.ChoiceCounts(ctx, b, q.ID)
		if err != nil {
			return nil, err
		}
		m := map[string]int{}
		for _, x := range cc {
			m[x.Value] += x.N
		}
		r.Chart, err = analysis.ChoiceChart(q, analysis.Distribution(q, m), r.N, note)
		return r, err
	case survey.Matrix:
		cc, err := s.St.ChoiceCounts(ctx, b, q.ID)
		if err != nil {
			return nil, err
		}
		byRow := map[string]map[string]int{}
		for _, x := range cc {
			if byRow[x.Item] == nil {
				byRow[x.Item] = map[string]int{}
			}
			byRow[x.Item][x.Value] += x.N
		}
		var rows []analysis.MatrixRow
		for _, it := range itemsWithExtra(q, byRow) {
			mr := analysis.MatrixRow{Code: it.Value, Label: it.Label, Levels: analysis.Distribution(q, byRow[it.Value])}
			for _, l := range mr.Levels {
				mr.N += l.N
			}
			rows = append(rows, mr)
			r.Rows = append(r.Rows, statRow{Label: it.Label, N: mr.N, Missing: size - mr.N})
		}
		r.Chart, err = analysis.MatrixChart(q, rows, note, analysis.TypeNote(q.Type).String())
		return r, err
	case survey.Integer, survey.Decimal, survey.ItemNumbers:
		stats, err := s.St.NumberStats(ctx, b, q.ID)
		if err != nil {
			return nil, err
		}
		byItem := map[string]store.NumberStat{}
		for _, st := range stats {
			byItem[st.Item] = st
		}
		if q.Type != survey.ItemNumbers {
			r.Stats = []statRow{numberRow(q.Label, byItem[""], size)}
			var values []analysis.LabeledValue
			err := s.St.NumberValues(ctx, b, q.ID, "", func(v store.KommuneValue) error {
				values = append(values, analysis.LabeledValue{Label: v.Name, Value: v.Num})
				return nil
			})
			if err != nil {
				return nil, err
			}
			r.Chart, err = analysis.NumberChart(q, values, note)
			return r, err
		}
		var sums []analysis.ItemSum
		present := map[string]map[string]int{}
		for item := range byItem {
			present[item] = nil
		}
		for _, it := range itemsWithExtra(q, present) {
			st := byItem[it.Value]
			r.Stats = append(r.Stats, numberRow(it.Label, st, size))
			sums = append(sums, analysis.ItemSum{Code: it.Value, Label: it.Label, Sum: st.Sum})
		}
		r.Chart, err = analysis.ItemSumChart(q, sums, note, analysis.TypeNote(q.Type).String())
		return r, err
	}
	return r, nil
}

// itemsWithExtra returns the question's items followed by item codes that
// occur in the answers but not in the question, sorted.
func itemsWithExtra[V any](q *survey.Question, seen map[string]V) []survey.Choice {
	items := slices.Clone(q.Items)
	var extra []string
	for code := range seen {
		if !slices.ContainsFunc(q.Items, func(c survey.Choice) bool { return c.Value == code }) {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		items = append(items, survey.Choice{Value: code, Label: code})
	}
	return items
}

func numberRow(label string, st store.NumberStat, size int) statRow {
	r := statRow{Label: label, N: st.N, Missing: size - st.N, HasNumbers: st.N > 0}
	if st.N > 0 {
		r.Sum, r.Mean, r.Median = analysis.FormatNumberDE(st.Sum), analysis.FormatNumberDE(st.Mean), analysis.FormatNumberDE(st.Median)
		r.Min, r.Max = analysis.FormatNumberDE(st.Min), analysis.FormatNumberDE(st.Max)
	}
	return r
}

type questionPage struct {
	Round   survey.Round
	Nav     roundNav
	Filter  filterView
	Section string
	Result  *questionResult
	Numeric bool
	Chart   *chartView
	// Free text: one page of answers.
	Texts      []store.KommuneValue
	TextFrom   int
	TextTo     int
	PrevPage   string
	NextPage   string
	Prev, Next *questionLink
	// FilterQuery keeps the filter on links to other questions.
	FilterQuery string
	// Note says how the question type is counted.
	Note string
	// InUnit names the unit of the numbers ("in VZÄ"), marked as German.
	InUnit template.HTML
}

type questionLink struct {
	Label, URL string
}

// questionPage shows one question: chart and tables, or the
// free-text answers with the Kommune's name.
func (s *Server) questionPage(c *gin.Context) {
	round, q, qn, ok := s.roundQuestion(c)
	if !ok {
		return
	}
	f, ok := s.parseFilter(c)
	if !ok {
		return
	}
	b := f.basis(round.ID)
	res, err := s.questionResult(c.Request.Context(), b, f, q)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	base := fmt.Sprintf("/verwaltung/runden/%d/fragen/%s", round.ID, q.ID)
	p := questionPage{Round: round, Nav: roundNav{round.ID, "fragen"}, Filter: f.view(lang(c), res.Basis), Result: res,
		Numeric: q.Type.Numeric(), FilterQuery: f.query(), Note: msgIn(lang(c), analysis.TypeNote(q.Type))}
	if q.Unit != "" {
		p.InUnit = withTextsIn(lang(c), qn.Lang, "question.in_unit", qtext(q.Unit))
	}
	for _, sec := range qn.Sections {
		if sec.ID == q.Section {
			p.Section = sec.Title
		}
	}
	if res.Chart != nil {
		p.Chart = newChartView(res.Chart, base+"/diagramm"+f.query())
	}
	if !analysis.Chartable(q.Type) {
		page, _ := strconv.Atoi(c.Query("seite"))
		page = max(page, 1)
		p.Texts, err = s.St.TextAnswers(c.Request.Context(), b, q.ID, textPageSize, (page-1)*textPageSize)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		if q.Type == survey.Date {
			for i, t := range p.Texts {
				if d, err := survey.ParseDate(t.Text); err == nil {
					p.Texts[i].Text = lang(c).Date(d)
				}
			}
		}
		if len(p.Texts) > 0 {
			p.TextFrom, p.TextTo = (page-1)*textPageSize+1, (page-1)*textPageSize+len(p.Texts)
		}
		if page > 1 {
			p.PrevPage = base + f.query("seite", strconv.Itoa(page-1))
		}
		if p.TextTo < res.N {
			p.NextPage = base + f.query("seite", strconv.Itoa(page+1))
		}
	}
	var list []*survey.Question
	for _, qq := range qn.Questions() {
		if qq.Type != survey.Note {
			list = append(list, qq)
		}
	}
	if i := slices.Index(list, q); i >= 0 {
		link := func(qq *survey.Question) *questionLink {
			return &questionLink{Label: qq.Label, URL: fmt.Sprintf("/verwaltung/runden/%d/fragen/%s%s", round.ID, qq.ID, f.query())}
		}
		if i > 0 {
			p.Prev = link(list[i-1])
		}
		if i+1 < len(list) {
			p.Next = link(list[i+1])
		}
	}
	s.Render(c, http.StatusOK, "question", PageData{Title: q.Label + " – " + round.Title, Page: p, QLang: qn.Lang})
}

// roundQuestion resolves the round and the question named in the URL.
func (s *Server) roundQuestion(c *gin.Context) (survey.Round, *survey.Question, *survey.Questionnaire, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, nil, nil, false
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return round, nil, nil, false
	}
	q := qn.Question(c.Param("qid"))
	if q == nil || q.Type == survey.Note {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "question.not_found"))
		return round, nil, nil, false
	}
	return round, q, qn, true
}

// questionChart serves a question's chart as SVG or PNG.
func (s *Server) questionChart(c *gin.Context) {
	round, q, _, ok := s.roundQuestion(c)
	if !ok {
		return
	}
	f, ok := s.parseFilter(c)
	if !ok {
		return
	}
	res, err := s.questionResult(c.Request.Context(), f.basis(round.ID), f, q)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if res.Chart == nil {
		s.errorPage(c, http.StatusNotFound, tr(c, "question.no_chart.title"), tr(c, "question.no_chart.text"))
		return
	}
	s.sendChart(c, res.Chart, fmt.Sprintf("Runde%d_%s", round.ID, q.ID))
}

// ---------------------------------------------------------------------------
// dashboard: key figures and map

// keyFigures are the round's key figures from the decisive scenario.
type keyFigures struct {
	Scenario             string
	Basis                int
	Persons              int
	Groups               int
	OwnGroups            int
	PooledGroups         int
	OnlineGroups         int
	Unplaced             int
	TrainingDays         int
	TrainingParticipants int
	GapFTE               float64
	SupervisionGross     float64
	TrainingCost         float64
	GapCost              float64
	TotalCost            float64
	// TotalEuros is TotalCost rounded to whole euros, for the headline figure.
	TotalEuros string
}

func newKeyFigures(kf analysis.KeyFigures) *keyFigures {
	t := kf.Totals
	return &keyFigures{Scenario: kf.Scenario, Basis: kf.Basis, Persons: t.Persons, Groups: t.Groups, OwnGroups: t.OwnGroups,
		PooledGroups: t.PooledGroups, OnlineGroups: t.OnlineGroups, Unplaced: t.Unplaced,
		TrainingDays: t.TrainingDays, TrainingParticipants: t.TrainingParticipants, GapFTE: t.GapFTE,
		SupervisionGross: t.SupervisionGross, TrainingCost: t.TrainingCost, GapCost: t.GapCost,
		TotalCost:  t.TotalCost(),
		TotalEuros: analysis.FormatDecimalDE(math.Round(t.TotalCost()), 0) + "\u00a0€"}
}

// roundMap serves the demand map of a round as SVG or PNG, drawn once per
// data version (see mapCache).
func (s *Server) roundMap(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	ch, err := s.maps.chart(c.Request.Context(), s.St, mapKey{"overview", round.ID, 0}, func() (*analysis.Chart, error) {
		views, rp, err := s.roundPlans(c, round, false)
		if err != nil {
			return nil, err
		}
		bounds, err := s.St.Boundaries(c.Request.Context())
		if err != nil {
			return nil, err
		}
		return analysis.DemandMap(views[0].Plan, rp.Submitted, bounds, nil)
	})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.sendChart(c, ch, fmt.Sprintf("Runde%d_Karte_Gruppensupervision", round.ID))
}

// ---------------------------------------------------------------------------
// Comparison of two rounds

type comparePage struct {
	Nav     roundNav
	Rounds  []survey.Round
	A, B    survey.Round
	Ready   bool   // two different rounds chosen: the comparison is shown
	Message string // why there is nothing to compare
	// All compares every submitted answer of each round (?alle=1);
	// by default only the Kommunen that submitted in both.
	All bool
	// BasisA and BasisB are the compared answers, Both the Kommunen that
	// submitted in both rounds; OnlyA and OnlyB name the others.
	BasisA, BasisB, Both int
	OnlyA, OnlyB         string
	Numbers              []numberCompare
	Choices              []choiceCompare
	// NotComparable names the questions that cannot be compared, and why.
	NotComparable []notComparable
	// Notes name options, items and rows that only one version has.
	Notes []template.HTML
	// Per Kommune: the numeric questions to choose from and the selected one.
	Options  []selectOption
	Selected string
	Kommunen *kommuneCompare
	// Charts show the number questions' sums of both rounds (one chart per
	// unit), charts the same for compareChart.
	Charts []*chartView
	charts []*analysis.Chart
	// Beside sets round A's uptake of its offers beside round B's need
	// per module (uptake.go; nil when A has no offers).
	Beside []analysis.ModuleBeside
}

// addCharts draws the compared key figures in the locale l and links them
// under /verwaltung/vergleich/diagramme/ with the page's query.
func (p *comparePage) addCharts(l i18n.Lang, figs []analysis.CompareFigure) error {
	if len(figs) == 0 {
		return nil
	}
	basis := l.N("compare.basis.both", p.Both, p.A.Title, p.B.Title)
	if p.All {
		basis = l.T("compare.basis", p.A.Title, p.BasisA, p.B.Title, p.BasisB)
	}
	charts, err := analysis.NewCompareCharts(figs, analysis.CompareChartText{
		Title: l.T("compare.chart.title"), Prev: l.T("compare.chart.round", "A", p.A.Title), Cur: l.T("compare.chart.round", "B", p.B.Title),
		ValueLabel: l.T("compare.chart.value"), CategoryLabel: l.T("compare.chart.figure"), Kind: l.T("compare.chart.kind"),
		NoAnswer: l.T("compare.chart.no_answer"), Notes: []string{basis},
	})
	if err != nil {
		return fmt.Errorf("Vergleichsdiagramme: %w", err)
	}
	q := url.Values{"a": {strconv.FormatInt(p.A.ID, 10)}, "b": {strconv.FormatInt(p.B.ID, 10)}}
	if p.All {
		q.Set("alle", "1")
	}
	p.charts = charts
	for i, ch := range charts {
		cv := newChartView(ch, fmt.Sprintf("/verwaltung/vergleich/diagramme/%d?%s", i+1, q.Encode()))
		// The description mixes the page's words with the questionnaire's
		// (German) labels, which an alt attribute cannot mark: the alt
		// says what the chart shows, the table beside gives the figures
		// (marked), the SVG's own <desc> all of it.
		cv.Alt = l.T("compare.chart.alt", i+1, len(charts))
		p.Charts = append(p.Charts, cv)
	}
	return nil
}

type numberCompare struct {
	Label, Unit            string
	NA, NB                 int
	SumA, SumB, SumDiff    string
	MeanA, MeanB, MeanDiff string
	URL                    string // per-Kommune comparison
}

type choiceCompare struct {
	Label   string
	NA, NB  int
	Options []optionCompare
}

type optionCompare struct {
	Label          string
	CountA, CountB string
	ShareA, ShareB string
	Diff           string
}

type notComparable struct {
	ID, Label string
	Reason    *survey.Message
}

type selectOption struct {
	Value, Label string
}

type kommuneCompare struct {
	Unit string
	// Heading and Caption name the compared question, marked as German.
	Heading, Caption template.HTML
	Rows             []kommunePair
	Columns          []sortColumn // the table's headers, sortable (compareColumns)
	Sort             listSort     // kept by the question form
}

type kommunePair struct {
	Name, A, B, Diff string
	ags              string
	a, b             *float64 // nil: no answer in that round
}

// compareColumns are the per-Kommune comparison's sortable columns, by
// name by default; compareOrder compares the rows by each. A Kommune
// without an answer in a round comes before every number in its column
// (ascending), and without a change before every change.
var compareColumns = []sortableColumn{
	{Value: "kommune", Key: "common.kommune"}, {Value: "a", Key: "compare.col.a", Class: "n"},
	{Value: "b", Key: "compare.col.b", Class: "n"}, {Value: "aenderung", Key: "compare.change", Class: "n"},
}

var compareOrder = map[string]func(x, y kommunePair) int{
	"":  func(x, y kommunePair) int { return byName(x.Name, y.Name) },
	"a": func(x, y kommunePair) int { return CompareOptional(x.a, y.a) },
	"b": func(x, y kommunePair) int { return CompareOptional(x.b, y.b) },
	"aenderung": func(x, y kommunePair) int {
		return CompareOptional(change(x), change(y))
	},
}

// change is a row's change from A to B, nil without both answers.
func change(p kommunePair) *float64 {
	if p.a == nil || p.b == nil {
		return nil
	}
	d := *p.b - *p.a
	return &d
}

// CompareOptional orders missing values before numbers.
//
// Exported for package main's end-to-end tests.
func CompareOptional(x, y *float64) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return -1
	case y == nil:
		return 1
	}
	return cmp.Compare(*x, *y)
}

// compareRounds compares two rounds question by question, wherever the
// question ids of their questionnaire versions match.
func (s *Server) compareRounds(c *gin.Context) {
	p, ok := s.comparison(c)
	if !ok {
		return
	}
	if p.Ready {
		var err error
		if p.Beside, err = s.uptakeBeside(c, p.A, p.B); err != nil {
			s.errorFor(c, err)
			return
		}
	}
	s.Render(c, http.StatusOK, "compare", PageData{Title: tr(c, "results.nav.compare"), Page: p})
}

// compareChart sends one chart of the comparison page's key figures:
// /vergleich/diagramme/N.svg (or .png) with the page's query (a, b, alle).
func (s *Server) compareChart(c *gin.Context) {
	name, ext, _ := strings.Cut(c.Param("file"), ".")
	n, err := strconv.Atoi(name)
	if err != nil || n < 1 || ext != "svg" && ext != "png" {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "downloads.no_chart"))
		return
	}
	p, ok := s.comparison(c)
	if !ok {
		return
	}
	if n > len(p.charts) {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "downloads.no_chart"))
		return
	}
	s.sendChartAs(c, p.charts[n-1], fmt.Sprintf("Vergleich_%d_%d_%d", p.A.ID, p.B.ID, n), ext == "png")
}

// comparison builds the comparison page the query asks for (rounds a and
// b, alle, frage); false when it answered with an error page.
func (s *Server) comparison(c *gin.Context) (comparePage, bool) {
	rounds, err := s.St.Rounds(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return comparePage{}, false
	}
	p := comparePage{Rounds: rounds}
	// pick reads a round id from the query; without one it takes def.
	pick := func(param string, def func() survey.Round) (survey.Round, bool) {
		v := c.Query(param)
		if v == "" {
			return def(), true
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.errorPage(c, http.StatusBadRequest, tr(c, "compare.bad.title"), tr(c, "compare.bad.text"))
			return survey.Round{}, false
		}
		r, err := s.St.Round(c.Request.Context(), id)
		if err != nil {
			s.errorFor(c, err)
			return r, false
		}
		return r, true
	}
	var ok bool
	// B defaults to the newest round, A to the round before B (or the
	// newest other one when B is the oldest).
	if p.B, ok = pick("b", func() survey.Round {
		if len(rounds) == 0 {
			return survey.Round{}
		}
		return rounds[0]
	}); !ok {
		return p, false
	}
	if p.A, ok = pick("a", func() survey.Round {
		var other survey.Round
		for i, r := range rounds {
			if r.ID == p.B.ID && i+1 < len(rounds) {
				return rounds[i+1]
			}
			if r.ID != p.B.ID && other.ID == 0 {
				other = r
			}
		}
		return other
	}); !ok {
		return p, false
	}
	p.Nav = roundNav{p.B.ID, "vergleich"}
	ls, serr := parseListSort(c.Request.URL.Query(), compareColumns)
	if serr != nil {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, serr.Key, serr.Args...))
		return p, false
	}
	switch {
	case len(rounds) < 2:
		p.Message = tr(c, "compare.one_round")
	case p.A.ID == p.B.ID:
		p.Message = tr(c, "compare.same_round")
	default:
		p.All = c.Query("alle") == "1"
		if err := s.fillComparison(c.Request.Context(), lang(c), &p, c.Query("frage"), ls); err != nil {
			s.errorFor(c, err)
			return p, false
		}
		p.Ready = true
	}
	return p, true
}

// fillComparison computes the comparison of p.A and p.B over their
// submitted answers, its notes in the locale l; frage selects the numeric
// question ("id" or "id:item") compared per Kommune, ls the order of
// that table.
func (s *Server) fillComparison(ctx context.Context, l i18n.Lang, p *comparePage, frage string, ls listSort) error {
	qa, err := s.St.Questionnaire(ctx, p.A.QuestionnaireID)
	if err != nil {
		return err
	}
	qb, err := s.St.Questionnaire(ctx, p.B.QuestionnaireID)
	if err != nil {
		return err
	}
	ba := store.Basis{RoundID: p.A.ID}
	cmp, err := s.An.CompareRounds(ctx, p.A, p.B, p.All)
	if err != nil {
		return err
	}
	p.BasisA, p.BasisB, p.Both = cmp.CountedPrev, cmp.CountedCur, len(cmp.Both)
	p.OnlyA, p.OnlyB = strings.Join(cmp.OnlyPrev, ", "), strings.Join(cmp.OnlyCur, ", ")
	type pair struct{ a, b *survey.Question }
	var numeric, choice []pair
	for _, q := range qb.Questions() {
		if q.Type == survey.Note {
			continue
		}
		old := qa.Question(q.ID)
		if ok, why := analysis.Comparable(old, q); !ok {
			p.NotComparable = append(p.NotComparable, notComparable{ID: q.ID, Label: q.Label, Reason: why})
			continue
		}
		if q.Type.Numeric() {
			numeric = append(numeric, pair{old, q})
		} else {
			choice = append(choice, pair{old, q})
		}
	}
	for _, q := range qa.Questions() {
		if q.Type != survey.Note && qb.Question(q.ID) == nil {
			_, why := analysis.Comparable(q, nil)
			p.NotComparable = append(p.NotComparable, notComparable{ID: q.ID, Label: q.Label, Reason: why})
		}
	}

	link := func(value string) string {
		return fmt.Sprintf("/verwaltung/vergleich?a=%d&b=%d&frage=%s#kommunen", p.A.ID, p.B.ID, url.QueryEscape(value))
	}
	var figs []analysis.CompareFigure
	addNumber := func(label, unit string, k survey.Key) {
		nA, sumA := cmp.Number(analysis.Prev, k.Question, k.Item)
		nB, sumB := cmp.Number(analysis.Cur, k.Question, k.Item)
		nc := numberCompare{Label: label, Unit: unit, NA: nA, NB: nB, SumA: "–", SumB: "–", SumDiff: "–", MeanA: "–", MeanB: "–", MeanDiff: "–"}
		meanA, meanB := sumA/float64(max(nA, 1)), sumB/float64(max(nB, 1))
		if nA > 0 {
			nc.SumA, nc.MeanA = analysis.FormatNumberDE(sumA), analysis.FormatNumberDE(meanA)
		}
		if nB > 0 {
			nc.SumB, nc.MeanB = analysis.FormatNumberDE(sumB), analysis.FormatNumberDE(meanB)
		}
		if nA > 0 && nB > 0 {
			nc.SumDiff, nc.MeanDiff = analysis.FormatChangeDE(sumB-sumA), analysis.FormatChangeDE(meanB-meanA)
		}
		value := k.Question
		if k.Item != "" {
			value += ":" + k.Item
		}
		nc.URL = link(value)
		p.Numbers = append(p.Numbers, nc)
		figs = append(figs, analysis.CompareFigure{Label: label, Unit: unit, NPrev: nA, NCur: nB, SumPrev: sumA, SumCur: sumB})
		p.Options = append(p.Options, selectOption{Value: value, Label: label})
	}
	for _, x := range numeric {
		if x.b.Type != survey.ItemNumbers {
			addNumber(x.b.Label, x.b.Unit, survey.Key{Question: x.b.ID})
			continue
		}
		both, onlyA, onlyB := analysis.SharedCodes(x.a.Items, x.b.Items)
		for _, it := range both {
			addNumber(x.b.Label+": "+it.Label, x.b.Unit, survey.Key{Question: x.b.ID, Item: it.Value})
		}
		p.Notes = append(p.Notes, onlyNotes(l, x.b.Label, "compare.note.only_item", onlyA, onlyB)...)
	}

	if err := p.addCharts(l, figs); err != nil {
		return err
	}

	counts := func(r analysis.Round, q, row string, opts []survey.Choice) map[string]int {
		m := map[string]int{}
		for _, o := range opts {
			m[o.Value] = cmp.Chosen(r, q, row, o.Value)
		}
		return m
	}
	for _, x := range choice {
		both, onlyA, onlyB := analysis.SharedCodes(analysis.Options(x.a), analysis.Options(x.b))
		p.Notes = append(p.Notes, onlyNotes(l, x.b.Label, "compare.note.only_option", onlyA, onlyB)...)
		q := x.b.ID
		if x.b.Type != survey.Matrix {
			p.Choices = append(p.Choices, compareOptions(x.b.Label, both, counts(analysis.Prev, q, "", both), counts(analysis.Cur, q, "", both),
				cmp.Answered(analysis.Prev, q, ""), cmp.Answered(analysis.Cur, q, "")))
			continue
		}
		rows, rowsA, rowsB := analysis.SharedCodes(x.a.Items, x.b.Items)
		p.Notes = append(p.Notes, onlyNotes(l, x.b.Label, "compare.note.only_row", rowsA, rowsB)...)
		for _, row := range rows {
			p.Choices = append(p.Choices, compareOptions(x.b.Label+": "+row.Label, both, counts(analysis.Prev, q, row.Value, both), counts(analysis.Cur, q, row.Value, both),
				cmp.Answered(analysis.Prev, q, row.Value), cmp.Answered(analysis.Cur, q, row.Value)))
		}
	}

	if len(p.Options) == 0 {
		return nil
	}
	p.Selected = p.Options[0].Value
	if slices.ContainsFunc(p.Options, func(o selectOption) bool { return o.Value == frage }) {
		p.Selected = frage
	}
	qid, item, _ := strings.Cut(p.Selected, ":")
	pairs, err := s.St.CompareNumbers(ctx, ba, p.B.ID, qid, item)
	if err != nil {
		return err
	}
	kc := &kommuneCompare{Unit: qb.Question(qid).Unit}
	var label qtext
	for _, o := range p.Options {
		if o.Value == p.Selected {
			label = qtext(o.Label)
		}
	}
	kc.Heading = withQuestionnaireTexts(l, "compare.per_kommune", label)
	kc.Caption = withQuestionnaireTexts(l, "compare.per_kommune.caption", label)
	for _, pr := range pairs {
		row := kommunePair{Name: pr.Name, A: "–", B: "–", Diff: "–", ags: pr.AGS, a: pr.A, b: pr.B}
		if pr.A != nil {
			row.A = analysis.FormatNumberDE(*pr.A)
		}
		if pr.B != nil {
			row.B = analysis.FormatNumberDE(*pr.B)
		}
		if pr.A != nil && pr.B != nil {
			row.Diff = analysis.FormatChangeDE(*pr.B - *pr.A)
		}
		kc.Rows = append(kc.Rows, row)
	}
	sortRows(kc.Rows, ls, compareOrder, func(r kommunePair) string { return r.ags })
	kc.Sort = ls
	kc.Columns = sortHeaders(ls, compareColumns, func(to listSort) string {
		v := url.Values{"a": {strconv.FormatInt(p.A.ID, 10)}, "b": {strconv.FormatInt(p.B.ID, 10)}, "frage": {p.Selected}}
		if p.All {
			v.Set("alle", "1")
		}
		to.set(v)
		return "/verwaltung/vergleich?" + v.Encode() + "#kommunen"
	})
	p.Kommunen = kc
	return nil
}

// compareOptions puts the counts and shares of the shared options of a
// question (or matrix row) in rounds A and B side by side.
func compareOptions(label string, opts []survey.Choice, a, b map[string]int, nA, nB int) choiceCompare {
	cc := choiceCompare{Label: label, NA: nA, NB: nB}
	for _, o := range opts {
		sa, sb := analysis.Share(a[o.Value], nA), analysis.Share(b[o.Value], nB)
		oc := optionCompare{Label: o.Label, CountA: strconv.Itoa(a[o.Value]), CountB: strconv.Itoa(b[o.Value]),
			ShareA: "–", ShareB: "–", Diff: "–"}
		if nA > 0 {
			oc.ShareA = analysis.FormatPercentDE(sa)
		}
		if nB > 0 {
			oc.ShareB = analysis.FormatPercentDE(sb)
		}
		if nA > 0 && nB > 0 {
			oc.Diff = analysis.FormatPointsDE(sa, sb)
		}
		cc.Options = append(cc.Options, oc)
	}
	return cc
}

// qtext is a text of the questionnaire among the arguments of
// withQuestionnaireTexts: one that it marks with its language.
type qtext string

// withQuestionnaireTexts formats the catalogue message key in the locale
// like tr and returns it as HTML in which each argument that is a text of
// the questionnaire (qtext) is marked with the questionnaire's language
// where the page has another (WCAG 3.1.2): "Per municipality: <span
// lang="de">…</span>". The catalogue's text and the arguments are escaped.
func withQuestionnaireTexts(l i18n.Lang, key string, args ...any) template.HTML {
	return withTextsIn(l, questionnaireLang, key, args...)
}

// withTextsIn is withQuestionnaireTexts for a questionnaire in qlang.
func withTextsIn(l i18n.Lang, qlang, key string, args ...any) template.HTML {
	mark := func(t qtext) string {
		return `<span lang="` + html.EscapeString(qlang) + `">` + html.EscapeString(string(t)) + `</span>`
	}
	if l.Code() == qlang {
		mark = func(t qtext) string { return html.EscapeString(string(t)) }
	}
	return formatWithMarkup(l, key, args, func(a any) (string, bool) {
		t, ok := a.(qtext)
		if !ok {
			return "", false
		}
		return mark(t), true
	})
}

// onlyNotes names the options, items or rows (the catalogue message key
// says which) that only one version has, in the locale l.
func onlyNotes(l i18n.Lang, question, key string, onlyA, onlyB []survey.Choice) []template.HTML {
	var out []template.HTML
	for _, x := range []struct {
		cs    []survey.Choice
		round string
	}{{onlyA, "A"}, {onlyB, "B"}} {
		for _, c := range x.cs {
			out = append(out, withQuestionnaireTexts(l, key, qtext(question), qtext(c.Label), x.round))
		}
	}
	return out
}
