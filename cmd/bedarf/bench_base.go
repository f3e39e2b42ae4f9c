package main

// Baselines of "bedarf bench": the same work without the product around
// it. Raw SQLite transactions writing the rows a draft save writes, an
// empty gin handler over HTTP, the store queries a page makes timed alone,
// and the workbook's cells written raw with excelize's StreamWriter.

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"bedarf/analysis"
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

// overviewScan runs the store queries the round overview makes (staffRound,
// Rounds, Responses, StatusCounts and, for the plan, Questionnaire,
// Scenarios, PlanningAnswers), without anything done with their results.
func overviewScan(ctx context.Context, st *store.Store, roundID int64) error {
	r, err := st.Round(ctx, roundID)
	if err != nil {
		return err
	}
	if _, err := st.Rounds(ctx); err != nil {
		return err
	}
	if _, err := st.Responses(ctx, roundID); err != nil {
		return err
	}
	if _, err := st.StatusCounts(ctx, roundID); err != nil {
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

// memRun runs fn and returns its time and the peak of heap memory (bytes
// of heap objects, sampled every millisecond) above the level before it.
func memRun(fn func() error) (time.Duration, uint64, error) {
	runtime.GC()
	start := heapObjects()
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak = max(peak, heapObjects())
			}
		}
	}()
	t := time.Now()
	err := fn()
	d := time.Since(t)
	close(stop)
	<-done
	peak = max(peak, heapObjects())
	return d, peak - min(start, peak), err
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// countWriter counts what is written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// sheetShape is what one sheet of the workbook holds: rows and, per column,
// how many cells, how many of them numbers, and the text bytes of the rest.
type sheetShape struct {
	name string
	rows int
	cols []colShape
}

type colShape struct{ cells, numbers, textBytes int }

// workbookShape profiles a workbook's sheets.
func workbookShape(xlsx []byte) ([]sheetShape, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var shape []sheetShape
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return nil, err
		}
		s := sheetShape{name: sheet}
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return nil, err
			}
			s.rows++
			for len(s.cols) < len(cols) {
				s.cols = append(s.cols, colShape{})
			}
			for i, c := range cols {
				if c == "" {
					continue
				}
				s.cols[i].cells++
				if _, err := strconv.ParseFloat(c, 64); err == nil {
					s.cols[i].numbers++
				} else {
					s.cols[i].textBytes += len(c)
				}
			}
		}
		rows.Close()
		shape = append(shape, s)
	}
	return shape, nil
}

// rawWorkbook is the workbook baseline (as analysis' BenchmarkWorkbook):
// the same answers read from SQLite (this round's and the previous one's,
// which the Vergleich sheet needs), Antworten written with the stored
// values, every other sheet with as many numbers and texts (of the same
// average length per column) as the workbook has there; no styles,
// formulas, plan, charts or logic.
func rawWorkbook(ctx context.Context, w io.Writer, st *store.Store, qn *survey.Questionnaire, round, previous int64, shape []sheetShape) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range shape {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
	}
	for _, s := range shape {
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		if s.name == analysis.SheetAnswers {
			err = rawAnswers(ctx, sw, st, qn, round)
		} else {
			err = rawCells(sw, s)
		}
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if previous > 0 {
		if err := st.EachAnswers(ctx, previous, func(survey.Response, survey.Answers) error { return nil }); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func rawAnswers(ctx context.Context, sw *excelize.StreamWriter, st *store.Store, qn *survey.Questionnaire, round int64) error {
	cols := analysis.AnswerColumns(qn)
	header := []any{"AGS", "Kommune", "Status"}
	for _, c := range cols {
		header = append(header, c.Header)
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	return st.EachAnswers(ctx, round, func(r survey.Response, a survey.Answers) error {
		row++
		cells := make([]any, 3+len(cols))
		cells[0], cells[1], cells[2] = r.Kommune.AGS, r.Kommune.Name, string(r.Status)
		for i, c := range cols {
			v, ok := a[survey.Key{Question: c.Q.ID, Item: c.Item}]
			switch {
			case !ok:
			case v.HasNum:
				cells[3+i] = v.Num
			default:
				cells[3+i] = v.Text
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells)
	})
}

func rawCells(sw *excelize.StreamWriter, s sheetShape) error {
	fill := make([]string, len(s.cols))
	for i, c := range s.cols {
		if text := c.cells - c.numbers; text > 0 {
			fill[i] = strings.Repeat("x", max(1, c.textBytes/text))
		}
	}
	for r := 1; r <= s.rows; r++ {
		cells := make([]any, len(s.cols))
		for i, c := range s.cols {
			switch {
			case r <= c.numbers:
				cells[i] = float64(r*i) + 0.5
			case r <= c.cells:
				cells[i] = fill[i]
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return nil
}
