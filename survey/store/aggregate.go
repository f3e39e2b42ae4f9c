package store

// Aggregates over the answers of a round, computed in SQL so that a
// nation-wide round (10,800 Kommunen × ~100 answers) is never loaded into
// memory. Every query starts from the round's responses (the
// UNIQUE (round_id, kommune_id) index) and reaches the answers by their
// primary key (response_id, question_id, item): "responses CROSS JOIN
// answers" fixes that order in SQLite, so the cost follows the Kommunen of
// one round, not the answers of every round that the answers_question
// index would walk. No further index is needed (the plans are checked in
// aggregate_test.go). Results are one row per question, item or option, or
// are streamed. Only valid answers (valid = 1) count. The SQL is plain and
// portable (window functions, CASE, COUNT(DISTINCT), a CROSS JOIN with the
// join condition in WHERE), so a PostgreSQL store can offer the same.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"bedarf/survey"
)

// Basis selects the responses an aggregate counts: those of one round with
// one of Statuses (none given: submitted only), optionally only those of
// Kommunen of one kind (Stadt, Gemeinde, …).
type Basis struct {
	RoundID  int64
	Statuses []survey.ResponseStatus
	Kind     string
}

// statuses returns the statuses of the basis, submitted when none is given.
func (b Basis) statuses() []survey.ResponseStatus {
	if len(b.Statuses) == 0 {
		return []survey.ResponseStatus{survey.StatusSubmitted}
	}
	return b.Statuses
}

// where returns the conditions on r (responses) and k (kommunen) that
// select the basis, with their arguments.
func (b Basis) where() (string, []any) {
	sts := b.statuses()
	conds := []string{"r.round_id = ?", "r.status IN (?" + strings.Repeat(", ?", len(sts)-1) + ")"}
	args := []any{b.RoundID}
	for _, s := range sts {
		args = append(args, string(s))
	}
	if b.Kind != "" {
		conds = append(conds, "k.kind = ?")
		args = append(args, b.Kind)
	}
	return strings.Join(conds, " AND "), args
}

// from returns the FROM clause of an aggregate over the basis: the
// responses, joined to their Kommunen only when the kind filter needs them.
func (b Basis) from() string {
	if b.Kind == "" {
		return "responses r"
	}
	return "responses r JOIN kommunen k ON k.id = r.kommune_id"
}

// questionFilter returns "AND a.question_id IN (…)" for the given ids, or
// nothing when there are none (all questions).
func questionFilter(qids []string) (string, []any) {
	if len(qids) == 0 {
		return "", nil
	}
	args := make([]any, len(qids))
	for i, q := range qids {
		args[i] = q
	}
	return " AND a.question_id IN (?" + strings.Repeat(", ?", len(qids)-1) + ")", args
}

// KommuneKinds returns the kinds of Kommunen (Stadt, Gemeinde, …) that
// occur, sorted, for the filter of the result pages.
func (s *Store) KommuneKinds(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT DISTINCT kind FROM kommunen WHERE kind <> '' ORDER BY kind")
	if err != nil {
		return nil, fmt.Errorf("Kommune kinds: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// StatusCount is the number of a round's responses with one status.
type StatusCount struct {
	Status survey.ResponseStatus
	N      int
}

const statusCountsSQL = `SELECT r.status, COUNT(*) FROM responses r WHERE r.round_id = ? GROUP BY r.status ORDER BY r.status`

// StatusCounts counts a round's responses by status; statuses without a
// response are left out.
func (s *Store) StatusCounts(ctx context.Context, roundID int64) ([]StatusCount, error) {
	rows, err := s.r.QueryContext(ctx, statusCountsSQL, roundID)
	if err != nil {
		return nil, fmt.Errorf("status counts of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []StatusCount
	for rows.Next() {
		var c StatusCount
		if err := rows.Scan(&c.Status, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func basisSizeSQL(b Basis) (string, []any) {
	where, args := b.where()
	return `SELECT COUNT(*) FROM ` + b.from() + ` WHERE ` + where, args
}

// BasisSize counts the responses in the basis: the denominator of every
// share and of "missing".
func (s *Store) BasisSize(ctx context.Context, b Basis) (int, error) {
	q, args := basisSizeSQL(b)
	var n int
	if err := s.r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("basis size: %w", err)
	}
	return n, nil
}

// QuestionCount is the number of responses in a basis with at least one
// valid answer to a question.
type QuestionCount struct {
	QuestionID string
	N          int
}

func answeredCountsSQL(b Basis, qids []string) (string, []any) {
	where, args := b.where()
	qf, qargs := questionFilter(qids)
	return `SELECT a.question_id, COUNT(DISTINCT a.response_id)
		FROM ` + b.from() + `
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND ` + where + ` AND a.valid = 1` + qf + `
		GROUP BY a.question_id ORDER BY a.question_id`, append(args, qargs...)
}

// AnsweredCounts counts, per question, the responses in the basis with at
// least one valid answer (for multiple choice, matrix and per-item numbers:
// to any option or item). With no question ids it counts every question.
// Questions nobody answered are left out.
func (s *Store) AnsweredCounts(ctx context.Context, b Basis, qids ...string) ([]QuestionCount, error) {
	q, args := answeredCountsSQL(b, qids)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("answered counts: %w", err)
	}
	defer rows.Close()
	var out []QuestionCount
	for rows.Next() {
		var c QuestionCount
		if err := rows.Scan(&c.QuestionID, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ChoiceCount is how often a value was given to a question (and item) in a
// basis: for single choice, Likert and yes/no Item is empty and Value the
// chosen code ("ja"/"nein"); for multiple choice Item and Value are the
// selected code; for a matrix Item is the row and Value the level.
type ChoiceCount struct {
	QuestionID string
	Item       string
	Value      string
	N          int
}

func choiceCountsSQL(b Basis, qids []string) (string, []any) {
	where, args := b.where()
	qf, qargs := questionFilter(qids)
	return `SELECT a.question_id, a.item, a.text, COUNT(*)
		FROM ` + b.from() + `
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND ` + where + ` AND a.valid = 1 AND a.text IS NOT NULL` + qf + `
		GROUP BY a.question_id, a.item, a.text ORDER BY a.question_id, a.item, a.text`, append(args, qargs...)
}

// ChoiceCounts counts the valid answers of the given questions in the
// basis by question, item and value. Meant for choice, yes/no, Likert and
// matrix questions; for other types it counts distinct texts.
func (s *Store) ChoiceCounts(ctx context.Context, b Basis, qids ...string) ([]ChoiceCount, error) {
	q, args := choiceCountsSQL(b, qids)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("choice counts: %w", err)
	}
	defer rows.Close()
	var out []ChoiceCount
	for rows.Next() {
		var c ChoiceCount
		if err := rows.Scan(&c.QuestionID, &c.Item, &c.Value, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// NumberStat summarises the valid numeric answers to a question (and item,
// for per-item numbers) in a basis. Median is the middle value, or the mean
// of the two middle values when N is even.
type NumberStat struct {
	QuestionID string
	Item       string
	N          int
	Sum        float64
	Mean       float64
	Median     float64
	Min, Max   float64
}

// numberStatsSQL numbers each (question, item)'s values in ascending order
// with a window; the median averages the row(s) at positions
// ⌊(n+1)/2⌋ and ⌊(n+2)/2⌋ (one row when n is odd, the two middle rows when
// n is even). SQLite sorts inside the query; Go only sees one row per item.
func numberStatsSQL(b Basis, qids []string) (string, []any) {
	where, args := b.where()
	qf, qargs := questionFilter(qids)
	return `WITH v AS (
		SELECT a.question_id AS qid, a.item AS item, a.num AS num,
			ROW_NUMBER() OVER (PARTITION BY a.question_id, a.item ORDER BY a.num) AS pos,
			COUNT(*) OVER (PARTITION BY a.question_id, a.item) AS cnt
		FROM ` + b.from() + `
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND ` + where + ` AND a.valid = 1 AND a.num IS NOT NULL` + qf + `
	)
	SELECT qid, item, COUNT(*), SUM(num), AVG(num),
		AVG(CASE WHEN pos = (cnt + 1) / 2 OR pos = (cnt + 2) / 2 THEN num END),
		MIN(num), MAX(num)
	FROM v GROUP BY qid, item ORDER BY qid, item`, append(args, qargs...)
}

// NumberStats returns n, sum, mean, median, minimum and maximum of the
// valid numeric answers of the given questions in the basis, one row per
// question and item. (Yes/no and multiple choice answers carry numbers
// too: pass only numeric questions.)
func (s *Store) NumberStats(ctx context.Context, b Basis, qids ...string) ([]NumberStat, error) {
	q, args := numberStatsSQL(b, qids)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("number stats: %w", err)
	}
	defer rows.Close()
	var out []NumberStat
	for rows.Next() {
		var st NumberStat
		if err := rows.Scan(&st.QuestionID, &st.Item, &st.N, &st.Sum, &st.Mean, &st.Median, &st.Min, &st.Max); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// KommuneValue is one Kommune's answer to a question: its number, or its
// text (free text, dates).
type KommuneValue struct {
	AGS, Name string
	Item      string
	Num       float64
	Text      string
}

func numberValuesSQL(b Basis, qid, item string) (string, []any) {
	where, args := b.where()
	return `SELECT k.ags, k.name, a.item, a.num
		FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND a.question_id = ? AND a.item = ? AND ` + where + ` AND a.valid = 1 AND a.num IS NOT NULL
		ORDER BY k.ags`, append([]any{qid, item}, args...)
}

// NumberValues streams the valid numeric answers to one question and item
// in the basis to fn, one Kommune at a time in AGS order (for a chart of
// the distribution). An error from fn stops the stream and is returned.
func (s *Store) NumberValues(ctx context.Context, b Basis, qid, item string, fn func(KommuneValue) error) error {
	q, args := numberValuesSQL(b, qid, item)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("number values of %s: %w", qid, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v KommuneValue
		if err := rows.Scan(&v.AGS, &v.Name, &v.Item, &v.Num); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

func textAnswersSQL(b Basis, qid string, limit, offset int) (string, []any) {
	where, args := b.where()
	return `SELECT k.ags, k.name, a.item, a.text
		FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND a.question_id = ? AND ` + where + ` AND a.valid = 1 AND a.text IS NOT NULL AND a.text <> ''
		ORDER BY k.ags, a.item LIMIT ? OFFSET ?`, append(append([]any{qid}, args...), limit, offset)
}

// TextAnswers returns one page of the valid text answers to a question in
// the basis with the Kommune's name, in AGS order: at most limit answers,
// after skipping offset.
func (s *Store) TextAnswers(ctx context.Context, b Basis, qid string, limit, offset int) ([]KommuneValue, error) {
	q, args := textAnswersSQL(b, qid, limit, offset)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("text answers of %s: %w", qid, err)
	}
	defer rows.Close()
	var out []KommuneValue
	for rows.Next() {
		var v KommuneValue
		if err := rows.Scan(&v.AGS, &v.Name, &v.Item, &v.Text); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// NumberPair is one Kommune's answers to a numeric question in two rounds;
// a nil value means no valid answer in that round's basis.
type NumberPair struct {
	AGS, Name string
	A, B      *float64
}

// compareNumbersSQL reads both rounds' answers in one pass and puts each
// Kommune's two values side by side with conditional aggregates (a
// portable FULL JOIN).
func compareNumbersSQL(a Basis, roundB int64, qid, item string) (string, []any) {
	b := a
	b.RoundID = roundB
	wa, aa := a.where()
	wb, ba := b.where()
	args := []any{a.RoundID, roundB, qid, item}
	args = append(append(args, aa...), ba...)
	return `SELECT k.ags, k.name,
			MAX(CASE WHEN r.round_id = ? THEN a.num END),
			MAX(CASE WHEN r.round_id = ? THEN a.num END)
		FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		CROSS JOIN answers a
		WHERE a.response_id = r.id AND a.question_id = ? AND a.item = ? AND ((` + wa + `) OR (` + wb + `)) AND a.valid = 1 AND a.num IS NOT NULL
		GROUP BY k.id, k.ags, k.name ORDER BY k.ags`, args
}

// CompareNumbers returns, per Kommune, the valid numeric answer to one
// question and item in round a (basis a) and in round roundB (same
// statuses and kind), in AGS order; Kommunen that answered in neither are
// left out.
func (s *Store) CompareNumbers(ctx context.Context, a Basis, roundB int64, qid, item string) ([]NumberPair, error) {
	q, args := compareNumbersSQL(a, roundB, qid, item)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compare %s: %w", qid, err)
	}
	defer rows.Close()
	var out []NumberPair
	for rows.Next() {
		var p NumberPair
		var va, vb sql.NullFloat64
		if err := rows.Scan(&p.AGS, &p.Name, &va, &vb); err != nil {
			return nil, err
		}
		if va.Valid {
			p.A = &va.Float64
		}
		if vb.Valid {
			p.B = &vb.Float64
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
