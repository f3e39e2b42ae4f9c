package main

// Baselines of "bedarf bench": the same work without the product around
// it. Raw SQLite transactions writing the rows a draft save writes, an
// empty gin handler over HTTP, the store queries a page makes timed alone,
// and the workbook's cells written raw with excelize's StreamWriter.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/analysis/rawbook"
	"bedarf/survey"
	"bedarf/survey/store"
)

// rawDSN is the store's writer DSN (store.Open): the same pragmas on every
// connection, immediate transactions.
func rawDSN(path string) string {
	v := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		v.Add("_pragma", p)
	}
	v.Add("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

// rawWriter writes, per transaction, exactly the rows SaveResponse writes
// for a draft save that changes the five benchSaveFields: five answers
// (upsert), five answer changes, the response's revision and time, a
// revision row and an audit entry. It runs on a copy of the seeded
// database with one connection, as the store's writer does.
type rawWriter struct {
	db   *sql.DB
	mu   sync.Mutex
	revs map[int64]int
	last map[int64][]string // raw values stored now per response
	ids  map[int64]int64    // response → round
	kid  map[int64]int64    // response → Kommune
}

func openRawWriter(ctx context.Context, path string, resps []benchResp, round int64) (*rawWriter, error) {
	db, err := sql.Open("sqlite", rawDSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	w := &rawWriter{db: db, revs: map[int64]int{}, last: map[int64][]string{}, ids: map[int64]int64{}, kid: map[int64]int64{}}
	for _, r := range resps {
		var rev int
		if err := db.QueryRowContext(ctx, "SELECT revision FROM responses WHERE id = ?", r.ID).Scan(&rev); err != nil {
			db.Close()
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

func (w *rawWriter) Close() error { return w.db.Close() }

// save writes the i-th change of response id in one transaction.
func (w *rawWriter) save(ctx context.Context, id int64, i int) error {
	w.mu.Lock()
	w.revs[id]++
	rev, old := w.revs[id], w.last[id]
	vals := benchSaveValues(i)
	w.last[id] = vals
	w.mu.Unlock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for j, f := range benchSaveFields {
		qid := strings.TrimPrefix(f, "q.")
		n, _ := strconv.ParseFloat(vals[j], 64)
		if _, err := tx.ExecContext(ctx, `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (response_id, question_id, item) DO UPDATE SET num = excluded.num, text = excluded.text,
				raw = excluded.raw, valid = excluded.valid, revision = excluded.revision`,
			id, qid, "", n, survey.FormatNumber(n), vals[j], true, rev); err != nil {
			return err
		}
		var oldRaw any
		if old[j] != "" {
			oldRaw = old[j]
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO answer_changes (response_id, revision, question_id, item, old_raw, new_raw) VALUES (?, ?, ?, ?, ?, ?)",
			id, rev, qid, "", oldRaw, vals[j]); err != nil {
			return err
		}
	}
	stamp := benchStamp(time.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET status = ?, revision = ?, updated_at = ?, updated_by = ?,
			submitted_at = coalesce(?, submitted_at) WHERE id = ?`, survey.StatusDraft, rev, stamp, "Bench", nil, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO revisions (response_id, revision, saved_at, saved_by, actor_kind) VALUES (?, ?, ?, ?, ?)",
		id, rev, stamp, "Bench", "kommune"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, action, round_id, kommune_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, stamp, "kommune", nil, "Bench", "response.save", w.ids[id], w.kid[id],
		fmt.Sprintf("Revision %d, %d Angaben geändert", rev, len(benchSaveFields))); err != nil {
		return err
	}
	return tx.Commit()
}

// emptyServer serves one empty gin handler on loopback, with the same
// http.Server settings as serve.
func emptyServer() (base string, stop func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/leer", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
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
	if total > overviewPageSize {
		_, err = st.OverviewPage(ctx, store.OverviewFilter{RoundID: roundID}, 1, overviewPageSize)
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
