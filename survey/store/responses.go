package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// IssueToken makes a new personal link for a response, revoking any earlier
// one, and returns the token. The token is stored hashed for look-up and
// sealed so that staff can show the same link again.
func (s *Store) IssueToken(ctx context.Context, responseID int64, sealer *auth.Sealer, a survey.Actor) (string, error) {
	token := auth.NewToken()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var roundID, kommuneID int64
		err := tx.QueryRowContext(ctx, "SELECT round_id, kommune_id FROM responses WHERE id = ?", responseID).Scan(&roundID, &kommuneID)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.response.not_found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tokens SET revoked_at = ? WHERE response_id = ? AND revoked_at IS NULL", s.stamp(), responseID); err != nil {
			return fmt.Errorf("revoke old token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO tokens (response_id, token_hash, token_enc, created_at) VALUES (?, ?, ?, ?)",
			responseID, auth.Hash(token), sealer.Seal(token), s.stamp()); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return s.audit(ctx, tx, a, "link.issue", roundID, kommuneID, "")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeToken ends the current link of a response; its sessions end too.
func (s *Store) RevokeToken(ctx context.Context, responseID int64, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var roundID, kommuneID int64
		if err := tx.QueryRowContext(ctx, "SELECT round_id, kommune_id FROM responses WHERE id = ?", responseID).Scan(&roundID, &kommuneID); err != nil {
			return survey.NewError(survey.ENotFound, "msg.response.not_found")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_id IN
			(SELECT id FROM tokens WHERE response_id = ? AND revoked_at IS NULL)`, responseID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tokens SET revoked_at = ? WHERE response_id = ? AND revoked_at IS NULL", s.stamp(), responseID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "link.revoke", roundID, kommuneID, "")
	})
}

// TokenRef is what a valid link leads to.
type TokenRef struct {
	TokenID    int64
	ResponseID int64
	RoundID    int64
	KommuneID  int64
}

// ResolveToken finds the active link with the given token. A wrong or
// revoked token gives an ENotFound error.
func (s *Store) ResolveToken(ctx context.Context, token string) (TokenRef, error) {
	var t TokenRef
	err := s.r.QueryRowContext(ctx, `SELECT t.id, r.id, r.round_id, r.kommune_id FROM tokens t JOIN responses r ON r.id = t.response_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, auth.Hash(token)).Scan(&t.TokenID, &t.ResponseID, &t.RoundID, &t.KommuneID)
	if errors.Is(err, sql.ErrNoRows) {
		return t, survey.NewError(survey.ENotFound, "msg.link.invalid")
	}
	if err != nil {
		return t, fmt.Errorf("resolve token: %w", err)
	}
	return t, nil
}

// Link is a Kommune's current personal link in a round.
type Link struct {
	ResponseID int64
	Kommune    survey.Kommune
	Token      string // empty when no active link exists
}

// Links returns the current link of every invited Kommune of a round,
// decrypted with sealer, ordered by AGS.
func (s *Store) Links(ctx context.Context, roundID int64, sealer *auth.Sealer) ([]Link, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.id, `+kommuneCols+`, t.token_enc FROM responses r
		JOIN kommunen k ON k.id = r.kommune_id
		LEFT JOIN tokens t ON t.response_id = r.id AND t.revoked_at IS NULL
		WHERE r.round_id = ? ORDER BY k.ags`, roundID)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		var enc []byte
		if err := rows.Scan(append([]any{&l.ResponseID}, kommuneScanArgs(&l.Kommune, &enc)...)...); err != nil {
			return nil, err
		}
		if enc != nil {
			if l.Token, err = sealer.Open(enc); err != nil {
				return nil, fmt.Errorf("link of %s: %w", l.Kommune.AGS, err)
			}
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func kommuneScanArgs(k *survey.Kommune, extra ...any) []any {
	return append([]any{&k.ID, &k.AGS, &k.Name, &k.Kind, &k.Lat, &k.Lon, &k.Population, &k.PopulationYear}, extra...)
}

const responseCols = "r.id, r.round_id, r.status, r.revision, r.updated_at, r.updated_by, r.submitted_at, r.return_message, " + kommuneCols

func scanResponse(sc interface{ Scan(...any) error }) (survey.Response, error) {
	var r survey.Response
	var updated, submitted sql.NullString
	err := sc.Scan(append([]any{&r.ID, &r.RoundID, &r.Status, &r.Revision, &updated, &r.UpdatedBy, &submitted, &r.ReturnMessage},
		kommuneScanArgs(&r.Kommune)...)...)
	r.UpdatedAt, r.SubmittedAt = parseTime(updated), parseTime(submitted)
	return r, err
}

// Responses returns the responses of a round ordered by AGS.
func (s *Store) Responses(ctx context.Context, roundID int64) ([]survey.Response, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+responseCols+` FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE r.round_id = ? ORDER BY k.ags`, roundID)
	if err != nil {
		return nil, fmt.Errorf("responses of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []survey.Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Response returns one response with its stored answers.
// Response and answers are read in one transaction, so the revision always
// matches the answers (a form built from them merges correctly).
func (s *Store) Response(ctx context.Context, responseID int64) (survey.Response, survey.Answers, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return survey.Response{}, nil, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	r, err := scanResponse(tx.QueryRowContext(ctx, "SELECT "+responseCols+` FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE r.id = ?`, responseID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil, survey.NewError(survey.ENotFound, "msg.response.not_found")
	}
	if err != nil {
		return r, nil, fmt.Errorf("response %d: %w", responseID, err)
	}
	ans, err := s.answers(ctx, tx, responseID)
	return r, ans, err
}

// ResponseByKommune returns the response of a Kommune (by AGS) in a round.
func (s *Store) ResponseByKommune(ctx context.Context, roundID int64, ags string) (survey.Response, survey.Answers, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT r.id FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE r.round_id = ? AND k.ags = ?`, roundID, ags).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Response{}, nil, survey.NewError(survey.ENotFound, "msg.response.not_invited")
	}
	if err != nil {
		return survey.Response{}, nil, fmt.Errorf("response of %s: %w", ags, err)
	}
	return s.Response(ctx, id)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const answersSQL = "SELECT question_id, item, num, text, raw, valid FROM answers WHERE response_id = ?"

func (s *Store) answers(ctx context.Context, q querier, responseID int64) (survey.Answers, error) {
	rows, err := q.QueryContext(ctx, answersSQL, responseID)
	if err != nil {
		return nil, fmt.Errorf("answers of %d: %w", responseID, err)
	}
	return scanAnswers(rows)
}

// scanAnswers reads the rows of answersSQL and closes them.
func scanAnswers(rows *sql.Rows) (survey.Answers, error) {
	defer rows.Close()
	ans := survey.Answers{}
	for rows.Next() {
		var k survey.Key
		var num sql.NullFloat64
		var text sql.NullString
		var v survey.Value
		var valid bool
		if err := rows.Scan(&k.Question, &k.Item, &num, &text, &v.Raw, &valid); err != nil {
			return nil, err
		}
		v.Num, v.HasNum, v.Text = num.Float64, num.Valid, text.String
		if !valid {
			v.Err = survey.NewMessage("msg.answer.stored_invalid") // the caller re-checks against the questionnaire for the message
		}
		ans[k] = v
	}
	return ans, rows.Err()
}

// Conflict is a question (for most types a field; a multiple-choice
// question as a whole) that a colleague changed since the editor's base
// revision and the editor changed too, to something else.
type Conflict = survey.Conflict

// ConflictError is returned when a save overlaps a colleague's; nothing of
// the save is stored.
type ConflictError struct {
	Revision  int // the current revision, to use as the next base
	Conflicts []Conflict
	// Merged is what the editor should see next: the stored answers with
	// the editor's changes on top, the conflicting fields with the editor's
	// values. Saved from Revision with the conflicts decided, nothing of
	// either side is lost.
	Merged survey.Answers
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d Angaben wurden inzwischen von anderer Seite geändert.", len(e.Conflicts))
}

// Save describes one save of a response.
type Save struct {
	ResponseID   int64
	BaseRevision int            // the revision the editor's form started from
	Answers      survey.Answers // every non-empty answer of the visible form, valid or not
	Submit       bool           // submit (answers must be valid and complete)
	Force        []survey.Key   // conflicting units the editor confirmed to overwrite
	// Questionnaire the answers belong to: it says which keys are merged
	// as one (a multiple-choice question is; see survey.Questionnaire.Unit).
	// Every save that merges must set it; nil merges every key alone.
	Questionnaire *survey.Questionnaire
	Actor         survey.Actor
	ByStaff       bool // staff enter answers on the Kommune's behalf
	// UnlessSubmitted refuses a staff save (EClosed) when the response is
	// submitted: staff who saved a draft must not change, unchecked, an
	// answer the Kommune submitted a moment earlier.
	UnlessSubmitted bool
	// RoundMustAccept refuses the save (EClosed, msg.round.not_accepting)
	// unless, when it is written, the round accepts answers: open and
	// before the end of its deadline day (the Kommune's own deadline when
	// later). It is checked in the write transaction, so a round closed a
	// moment earlier is never written to.
	RoundMustAccept bool
	// From is the state the handler read for this save (KommuneForm with
	// base BaseRevision): the save merges with it instead of reading again.
	// When the response changed since, the compare-and-set fails and the
	// save reads and merges again, as it does without From.
	From *FormState
}

// Saved reports the outcome of a save.
type Saved struct {
	Revision int
	Status   survey.ResponseStatus
	Changed  int // number of answers changed
	// Answers are the stored answers at Revision: the editor's changes
	// merged with what colleagues saved meanwhile. A page shown after the
	// save must show these, or saving it again would undo the colleagues'
	// changes.
	Answers survey.Answers
	// Theirs are the keys whose stored value at Revision differs from the
	// editor's (Save.Answers), sorted: the values the merge took from
	// colleagues. A page that stays open after the save must write them
	// into its fields, or its next save would undo them.
	Theirs []survey.Key
}

// SaveResponse stores a save in one transaction. Only the fields the editor
// changed relative to BaseRevision are written, so colleagues who changed
// other fields in between keep their changes (merge). Where a colleague
// changed the same field to another value, nothing is stored and a
// *ConflictError lists the fields, unless the editor confirmed them in
// Force (the merge is survey.Merge). A submit whose merged answers are not
// complete is stored as a draft (Saved.Status says so). A submitted
// response cannot be changed by the Kommune, nor by staff's
// UnlessSubmitted saves.
func (s *Store) SaveResponse(ctx context.Context, sv Save) (Saved, error) {
	// The reads (the response, its answers, the changes since the base
	// revision) are one read snapshot before the write transaction and the
	// merge runs outside it; the write transaction only checks that the
	// response is still at the read revision and status (compare-and-set)
	// and writes. When a colleague saved in between, the save is read and
	// merged again, so their change is never overwritten.
	for attempt := 1; ; attempt++ {
		var st saveState
		var err error
		if attempt == 1 && sv.From.fits(sv) {
			st, err = sv.From.saveState(sv)
		} else {
			st, err = s.readSaveState(ctx, sv)
		}
		if err != nil {
			return Saved{}, err
		}
		plan, out, err := planSave(st, sv)
		if err != nil || plan == nil {
			return out, err
		}
		err = s.writeData(ctx, func(tx *sql.Tx) error { return s.applySave(ctx, tx, sv, st, plan, &out) })
		if errors.Is(err, errSaveRaced) && attempt < maxSaveAttempts {
			continue
		}
		if errors.Is(err, errSaveRaced) {
			// Under heavy contention, read, merge and write in one write
			// transaction: it cannot lose the race, so the save always lands.
			out = Saved{}
			err = s.writeData(ctx, func(tx *sql.Tx) error { return s.saveResponseTx(ctx, tx, sv, &out) })
		}
		return out, err
	}
}

// maxSaveAttempts bounds how often SaveResponse reads and merges again
// when colleagues keep saving the same response in between; after that it
// does all in one write transaction.
const maxSaveAttempts = 8

// errSaveRaced reports that the response changed between the read and the
// write of a save.
var errSaveRaced = errors.New("response changed since it was read")

// saveState is what a save reads before it writes.
type saveState struct {
	status             survey.ResponseStatus
	rev                int
	roundID, kommuneID int64
	current, base      survey.Answers
	theirs             map[survey.Key]survey.Change
}

// savePlan is what a save writes: the merged result and the keys changed.
type savePlan struct {
	submit    bool
	newStatus survey.ResponseStatus
	changes   []survey.Key
	result    survey.Answers
}

// readSaveState reads the state a save merges with in one read transaction.
func (s *Store) readSaveState(ctx context.Context, sv Save) (saveState, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return saveState{}, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return s.readSaveStateTx(ctx, tx, &s.ps.reads, sv)
}

// readSaveStateTx reads the state a save merges with within tx: the
// response's head, its answers and the changes since the base revision,
// one prepared query each.
func (s *Store) readSaveStateTx(ctx context.Context, tx *sql.Tx, rs *saveReads, sv Save) (saveState, error) {
	var st saveState
	err := tx.StmtContext(ctx, rs.saveHead).QueryRowContext(ctx, sv.ResponseID).
		Scan(&st.status, &st.rev, &st.roundID, &st.kommuneID)
	if errors.Is(err, sql.ErrNoRows) {
		return st, survey.NewError(survey.ENotFound, "msg.response.not_found")
	}
	if err != nil {
		return st, fmt.Errorf("response %d: %w", sv.ResponseID, err)
	}
	if err := st.check(sv); err != nil {
		return st, err
	}
	if st.current, err = answersTx(ctx, tx, rs, sv.ResponseID); err != nil {
		return st, err
	}
	st.base, st.theirs, err = baseState(ctx, tx, rs, sv.ResponseID, sv.BaseRevision, st.rev, st.current)
	return st, err
}

// check refuses a save the state read does not take: a submitted
// response (unless staff change it on purpose) or a base revision the
// response never had.
func (st saveState) check(sv Save) error {
	if st.status == survey.StatusSubmitted && (!sv.ByStaff || sv.UnlessSubmitted) {
		return survey.NewError(survey.EClosed, "msg.response.submitted")
	}
	if sv.BaseRevision > st.rev || sv.BaseRevision < 0 {
		return survey.NewError(survey.EInvalid, "msg.answer.bad_revision")
	}
	return nil
}

// answersTx reads the stored answers of a response within tx with the
// prepared statement.
func answersTx(ctx context.Context, tx *sql.Tx, rs *saveReads, responseID int64) (survey.Answers, error) {
	rows, err := tx.StmtContext(ctx, rs.answers).QueryContext(ctx, responseID)
	if err != nil {
		return nil, fmt.Errorf("answers of %d: %w", responseID, err)
	}
	return scanAnswers(rows)
}

// planSave merges the save into the state read (no I/O). A nil plan with a
// nil error means there is nothing to write; out is then the result.
func planSave(st saveState, sv Save) (*savePlan, Saved, error) {
	m := survey.Merge(sv.Questionnaire, survey.MergeInput{Base: st.base, Current: st.current, Mine: sv.Answers, Changed: st.theirs, Force: sv.Force})
	if len(m.Conflicts) > 0 {
		return nil, Saved{}, &ConflictError{Revision: st.rev, Conflicts: m.Conflicts, Merged: m.Merged}
	}
	// Colleagues' changes merged in can leave a submitted answer
	// incomplete (a required answer one of them cleared): such a submit
	// is kept as a draft, and the page shows what is missing. Without
	// colleagues' changes the result is the editor's checked answers.
	submit := sv.Submit
	if submit && sv.Questionnaire != nil && len(st.theirs) > 0 {
		submit = sv.Questionnaire.ReCheck(m.Result, survey.Submit).OK()
	}
	newStatus := st.status
	switch {
	case submit:
		newStatus = survey.StatusSubmitted
	case st.status == survey.StatusNew:
		newStatus = survey.StatusDraft
	}
	if len(m.Changes) == 0 && newStatus == st.status {
		return nil, Saved{Revision: st.rev, Status: st.status, Answers: m.Result, Theirs: differing(m.Result, sv.Answers)}, nil
	}
	return &savePlan{submit: submit, newStatus: newStatus, changes: m.Changes, result: m.Result}, Saved{}, nil
}

// differing returns the keys whose raw value differs between a and b,
// sorted.
func differing(a, b survey.Answers) []survey.Key {
	var out []survey.Key
	for k, v := range a {
		if b[k].Raw != v.Raw {
			out = append(out, k)
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok && v.Raw != "" {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, survey.CompareKeys)
	return out
}

// saveResponseTx is SaveResponse within tx (reads, merge and write in one
// transaction, for the demo data); it sets *out.
func (s *Store) saveResponseTx(ctx context.Context, tx *sql.Tx, sv Save, out *Saved) error {
	st, err := s.readSaveStateTx(ctx, tx, &s.ps.writerReads, sv)
	if err != nil {
		return err
	}
	plan, saved, err := planSave(st, sv)
	if err != nil || plan == nil {
		*out = saved
		return err
	}
	return s.applySave(ctx, tx, sv, st, plan, out)
}

// applySave writes a planned save within tx. It first moves the response
// from the revision and status read to the new ones; when the response is
// no longer at them (a colleague saved, staff reopened), it writes nothing
// and returns errSaveRaced.
func (s *Store) applySave(ctx context.Context, tx *sql.Tx, sv Save, st saveState, plan *savePlan, out *Saved) error {
	rev := st.rev + 1
	stamp := s.stamp()
	var submitted any
	if plan.submit {
		submitted = stamp
	}
	mustAccept := 0
	if sv.RoundMustAccept {
		mustAccept = 1
	}
	res, err := tx.StmtContext(ctx, s.ps.casResponse).ExecContext(ctx, plan.newStatus, rev, stamp, sv.Actor.Label, submitted,
		sv.ResponseID, st.rev, st.status, mustAccept, s.now().In(survey.Berlin()).Format(time.DateOnly))
	if err != nil {
		return fmt.Errorf("update response: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update response: %w", err)
	} else if n == 0 {
		if sv.RoundMustAccept {
			// Not written: the round stopped accepting, or a colleague
			// saved; only this rare case reads to tell which.
			if err := s.roundAccepts(ctx, tx, st.roundID, sv.ResponseID); err != nil {
				return err
			}
		}
		return errSaveRaced
	}
	aw := &answerWriter{tx: tx, ps: &s.ps}
	for _, k := range plan.changes {
		if err := aw.write(ctx, sv.ResponseID, rev, k, st.current[k], sv.Answers[k]); err != nil {
			return err
		}
	}
	if _, err := tx.StmtContext(ctx, s.ps.revision).ExecContext(ctx, sv.ResponseID, rev, stamp, sv.Actor.Label, sv.Actor.Kind); err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	action := "response.save"
	if plan.submit {
		action = "response.submit"
	}
	detail := saveDetail(rev, len(plan.changes))
	if sv.ByStaff {
		detail += ", im Auftrag der Kommune erfasst"
	}
	if err := s.audit(ctx, tx, sv.Actor, action, st.roundID, st.kommuneID, detail); err != nil {
		return err
	}
	*out = Saved{Revision: rev, Status: plan.newStatus, Changed: len(plan.changes), Answers: plan.result, Theirs: differing(plan.result, sv.Answers)}
	return nil
}

// roundAccepts returns EClosed (msg.round.not_accepting) unless the round
// of the response accepts answers now, read within tx.
func (s *Store) roundAccepts(ctx context.Context, tx *sql.Tx, roundID, responseID int64) error {
	r, err := scanRound(tx.QueryRowContext(ctx, "SELECT "+roundCols+" FROM rounds WHERE id = ?", roundID))
	if err != nil {
		return fmt.Errorf("round %d: %w", roundID, err)
	}
	var own sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT deadline_override FROM responses WHERE id = ?", responseID).Scan(&own); err != nil {
		return fmt.Errorf("deadline of response %d: %w", responseID, err)
	}
	if d := parseDate(own.String); own.Valid && d.After(r.Deadline) {
		r.Deadline = d
	}
	if !r.AcceptsAnswers(s.now()) {
		return survey.NewError(survey.EClosed, "msg.round.not_accepting")
	}
	return nil
}

// baseState reconstructs the answers as they were at revision base by
// undoing the later changes, and reports who changed which key since.
// At the current revision rev nothing changed: no query.
func baseState(ctx context.Context, tx *sql.Tx, rs *saveReads, responseID int64, base, rev int, current survey.Answers) (survey.Answers, map[survey.Key]survey.Change, error) {
	if base >= rev {
		return current, map[survey.Key]survey.Change{}, nil
	}
	rows, err := tx.StmtContext(ctx, rs.changes).QueryContext(ctx, responseID, base)
	if err != nil {
		return nil, nil, fmt.Errorf("changes since %d: %w", base, err)
	}
	defer rows.Close()
	state := survey.Answers{}
	for k, v := range current {
		state[k] = v
	}
	theirs := map[survey.Key]survey.Change{}
	for rows.Next() {
		var k survey.Key
		var old sql.NullString
		var ch survey.Change
		if err := rows.Scan(&k.Question, &k.Item, &old, &ch.Revision, &ch.By); err != nil {
			return nil, nil, err
		}
		if _, seen := theirs[k]; !seen {
			theirs[k] = ch // the newest change comes first
		}
		if old.Valid {
			state[k] = survey.Value{Raw: old.String}
		} else {
			delete(state, k)
		}
	}
	return state, theirs, rows.Err()
}

// answerWriter writes changed answers and their changes within one
// transaction with the store's prepared statements (the driver would
// otherwise parse and plan the SQL again for every statement executed: a
// third of a save's CPU time).
type answerWriter struct {
	tx *sql.Tx
	ps *statements
}

const (
	upsertAnswerSQL = `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (response_id, question_id, item) DO UPDATE SET num = excluded.num, text = excluded.text,
				raw = excluded.raw, valid = excluded.valid, revision = excluded.revision`
	deleteAnswerSQL = "DELETE FROM answers WHERE response_id = ? AND question_id = ? AND item = ?"
	changeSQL       = "INSERT INTO answer_changes (response_id, revision, question_id, item, old_raw, new_raw) VALUES (?, ?, ?, ?, ?, ?)"
)

// write stores the new value of key k (deleting it when v is empty) and
// records the change old → new with revision rev.
func (w *answerWriter) write(ctx context.Context, responseID int64, rev int, k survey.Key, old, v survey.Value) error {
	var oldRaw, newRaw any
	if old.Raw != "" {
		oldRaw = old.Raw
	}
	if v.Raw == "" {
		if _, err := w.tx.StmtContext(ctx, w.ps.deleteAnswer).ExecContext(ctx, responseID, k.Question, k.Item); err != nil {
			return fmt.Errorf("delete answer %s: %w", k.Field(), err)
		}
	} else {
		newRaw = v.Raw
		var num, text any
		if v.Valid() {
			if v.HasNum {
				num = v.Num
			}
			text = v.Text
		}
		if _, err := w.tx.StmtContext(ctx, w.ps.upsertAnswer).ExecContext(ctx, responseID, k.Question, k.Item, num, text, v.Raw, v.Valid(), rev); err != nil {
			return fmt.Errorf("write answer %s: %w", k.Field(), err)
		}
	}
	if _, err := w.tx.StmtContext(ctx, w.ps.change).ExecContext(ctx, responseID, rev, k.Question, k.Item, oldRaw, newRaw); err != nil {
		return fmt.Errorf("record change %s: %w", k.Field(), err)
	}
	return nil
}

// EachAnswers calls fn for every response of a round in AGS order with its
// stored answers, reading one response at a time inside one read
// transaction, so that a consistent snapshot is streamed without holding a
// whole round in memory.
func (s *Store) EachAnswers(ctx context.Context, roundID int64, fn func(survey.Response, survey.Answers) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+responseCols+` FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE r.round_id = ? ORDER BY k.ags`, roundID)
	if err != nil {
		return fmt.Errorf("responses of round %d: %w", roundID, err)
	}
	var resps []survey.Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			rows.Close()
			return err
		}
		resps = append(resps, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// One statement for every response, prepared once: the driver would
	// otherwise parse and plan the query again for each Kommune.
	stmt, err := tx.PrepareContext(ctx, answersSQL)
	if err != nil {
		return fmt.Errorf("prepare answers: %w", err)
	}
	for _, r := range resps {
		rows, err := stmt.QueryContext(ctx, r.ID)
		if err != nil {
			return fmt.Errorf("answers of %d: %w", r.ID, err)
		}
		a, err := scanAnswers(rows)
		if err != nil {
			return err
		}
		if err := fn(r, a); err != nil {
			return err
		}
	}
	return nil
}

// ReturnResponse hands a submitted response back to its Kommune with a
// message (Rückfrage); the Kommune can edit and submit again.
func (s *Store) ReturnResponse(ctx context.Context, responseID int64, message string, a survey.Actor) error {
	message = strings.TrimSpace(message)
	if message == "" {
		return survey.NewError(survey.EInvalid, "msg.response.need_message").At("nachricht")
	}
	if len([]rune(message)) > 4000 {
		return survey.NewError(survey.EInvalid, "msg.response.message_long").At("nachricht")
	}
	return s.writeData(ctx, func(tx *sql.Tx) error {
		var status survey.ResponseStatus
		var roundID, kommuneID int64
		err := tx.QueryRowContext(ctx, "SELECT status, round_id, kommune_id FROM responses WHERE id = ?", responseID).Scan(&status, &roundID, &kommuneID)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.response.not_found")
		}
		if err != nil {
			return err
		}
		if status != survey.StatusSubmitted {
			return survey.NewError(survey.EConflict, "msg.response.return_only")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE responses SET status = 'returned', return_message = ?, updated_at = ?, updated_by = ? WHERE id = ?",
			message, s.stamp(), a.Label, responseID); err != nil {
			return fmt.Errorf("return response: %w", err)
		}
		return s.audit(ctx, tx, a, "response.return", roundID, kommuneID, message)
	})
}

// saveDetail is the audit log's detail of a save in words: which save of
// the answer it is and how many answers it changed ("2. Speicherung, 1
// Angabe geändert").
func saveDetail(rev, changed int) string {
	word := "Angaben"
	if changed == 1 {
		word = "Angabe"
	}
	return fmt.Sprintf("%d. Speicherung, %d %s geändert", rev, changed, word)
}
