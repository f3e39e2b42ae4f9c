package bench

// Baselines of "bedarf bench": the same work without the product around
// it. Raw SQLite transactions writing the rows a draft save writes, an
// empty gin handler over HTTP, the store queries a page makes timed alone,
// and the workbook's cells written raw with excelize's StreamWriter.

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/analysis/rawbook"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// rawWriter writes, per transaction, exactly the rows SaveResponse writes
// for a draft save that changes the five benchSaveFields (see
// store.RawDraftWriter). It runs on a copy of the seeded database with one
// connection, as the store's writer does.
type rawWriter struct {
	w    *store.RawDraftWriter
	mu   sync.Mutex
	revs map[int64]int
	last map[int64][]string // raw values stored now per response
	ids  map[int64]int64    // response → round
	kid  map[int64]int64    // response → Kommune
}

func openRawWriter(ctx context.Context, path string, resps []benchResp, round int64) (*rawWriter, error) {
	rw, err := store.OpenRawDraftWriter(path)
	if err != nil {
		return nil, err
	}
	w := &rawWriter{w: rw, revs: map[int64]int{}, last: map[int64][]string{}, ids: map[int64]int64{}, kid: map[int64]int64{}}
	for _, r := range resps {
		rev, err := rw.Revision(ctx, r.ID)
		if err != nil {
			rw.Close()
			return nil, err
		}
		w.revs[r.ID], w.ids[r.ID], w.kid[r.ID] = rev, round, r.Kommune.ID
		old := make([]string, len(benchSaveFields))
		for j, f := range benchSaveFields {
			if vs := r.Form[f]; len(vs) > 0 {
				old[j] = vs[0]
			}
		}
		w.last[r.ID] = old
	}
	return w, nil
}

func (w *rawWriter) Close() error { return w.w.Close() }

// save writes the i-th change of response id in one transaction.
func (w *rawWriter) save(ctx context.Context, id int64, i int) error {
	w.mu.Lock()
	w.revs[id]++
	rev, old := w.revs[id], w.last[id]
	vals := benchSaveValues(i)
	w.last[id] = vals
	w.mu.Unlock()
	d := store.RawDraft{Response: id, Round: w.ids[id], Kommune: w.kid[id], Revision: rev, At: benchStamp(time.Now()), By: "Bench"}
	for j, f := range benchSaveFields {
		n, _ := strconv.ParseFloat(vals[j], 64)
		d.Answers = append(d.Answers, store.RawAnswer{Question: strings.TrimPrefix(f, "q."), Num: n, Raw: vals[j], Old: old[j]})
	}
	return w.w.Save(ctx, d)
}

// emptyServer serves one empty gin handler on loopback, with the same
// http.Server settings as serve.
func emptyServer() (base string, stop func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/leer", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return serveHandler(r)
}

// serveHandler serves h on loopback, with the same http.Server settings
// as serve.
func serveHandler(h http.Handler) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelWarn)}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// overviewScan runs the store queries of the round overview's default
// view (staffRound, Rounds, StatusCounts, then the first page of the
// Kommunen with OverviewPage, or every response with Responses up to
// overviewPageSize, and, for the plan, Questionnaire, Scenarios,
// PlanningAnswers), without anything done with their results.
func overviewScan(ctx context.Context, st *store.Store, roundID int64) error {
	r, err := st.Round(ctx, roundID)
	if err != nil {
		return err
	}
	if _, err := st.Rounds(ctx); err != nil {
		return err
	}
	counts, err := st.StatusCounts(ctx, roundID)
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.N
	}
	if total > web.ListPageSize {
		_, err = st.OverviewPage(ctx, store.OverviewFilter{RoundID: roundID}, 1, web.ListPageSize)
	} else {
		_, err = st.Responses(ctx, roundID)
	}
	if err != nil {
		return err
	}
	return planInputScan(ctx, st, r, true)
}

// planInputScan reads the plan's inputs from SQLite: the planning answers
// of the submitted responses (and, with scenarios, the round's scenarios).
func planInputScan(ctx context.Context, st *store.Store, r survey.Round, scenarios bool) error {
	qn, err := st.Questionnaire(ctx, r.QuestionnaireID)
	if err != nil {
		return err
	}
	if scenarios {
		if _, err := st.Scenarios(ctx, r.ID, benchDefaultParams()); err != nil {
			return err
		}
	}
	return st.PlanningAnswers(ctx, r.ID, analysis.PlanningQuestionIDs(qn), func(survey.Kommune, survey.Answers) error { return nil })
}

// questionScan runs the store queries of a question page (the filter's
// Kommune kinds, the round, the basis size, the answered count and the
// question's aggregate) without building chart or page.
func questionScan(ctx context.Context, st *store.Store, roundID int64, q *survey.Question) error {
	if _, err := st.KommuneKinds(ctx); err != nil {
		return err
	}
	if _, err := st.Round(ctx, roundID); err != nil {
		return err
	}
	b := store.Basis{RoundID: roundID, Statuses: []survey.ResponseStatus{survey.StatusSubmitted}}
	if _, err := st.BasisSize(ctx, b); err != nil {
		return err
	}
	if _, err := st.AnsweredCounts(ctx, b, q.ID); err != nil {
		return err
	}
	switch q.Type {
	case survey.Integer, survey.Decimal:
		if _, err := st.NumberStats(ctx, b, q.ID); err != nil {
			return err
		}
		return st.NumberValues(ctx, b, q.ID, "", func(store.KommuneValue) error { return nil })
	case survey.ItemNumbers:
		_, err := st.NumberStats(ctx, b, q.ID)
		return err
	default:
		_, err := st.ChoiceCounts(ctx, b, q.ID)
		return err
	}
}

// rawWorkbook is the workbook baseline (package rawbook, as analysis'
// BenchmarkWorkbook does it): the same answers read from SQLite, this
// round's and the previous one's (which the Vergleich sheet needs; read
// first, as the product reads it alongside this round), the cells written
// raw with StreamWriter.
func rawWorkbook(ctx context.Context, w io.Writer, st *store.Store, qn *survey.Questionnaire, round, previous int64, shape []rawbook.SheetShape) error {
	if previous > 0 {
		if err := st.EachAnswers(ctx, previous, func(survey.Response, survey.Answers) error { return nil }); err != nil {
			return err
		}
	}
	each := func(fn func(survey.Response, survey.Answers) error) error { return st.EachAnswers(ctx, round, fn) }
	return rawbook.Write(w, shape, analysis.BaselineAnswers(qn, each))
}
