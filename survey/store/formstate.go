package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bedarf/survey"
)

// FormState is what a Kommune's questionnaire page and its save read: the
// round as it applies to the Kommune (its own, later deadline counts), the
// response with its Kommune and its stored answers, and, for a save, the
// changes since the revision the form was made from. KommuneForm reads it
// in one read transaction, one prepared query each, so the revision always
// matches the answers.
type FormState struct {
	Round    survey.Round
	Response survey.Response
	Answers  survey.Answers

	base   int // the revision the changes were read from; -1: not read
	before survey.Answers
	theirs map[survey.Key]survey.Change
}

// KommuneForm reads the FormState of response responseID in round
// roundID. With base ≥ 0 (a save from that revision) it also reads the
// changes since base, which the save merges with (Save.From); a base the
// response never had is left to the save to refuse.
func (s *Store) KommuneForm(ctx context.Context, roundID, responseID int64, base int) (FormState, error) {
	fs := FormState{base: -1}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fs, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	var updated, submitted, own, created sql.NullString
	var opens, deadline string
	r, o := &fs.Response, &fs.Round
	err = tx.StmtContext(ctx, s.ps.form).QueryRowContext(ctx, responseID, roundID).Scan(append([]any{&r.ID, &r.RoundID, &r.Status, &r.Revision, &updated, &r.UpdatedBy, &submitted, &r.ReturnMessage},
		kommuneScanArgs(&r.Kommune, &own, &o.ID, &o.QuestionnaireID, &o.Title, &opens, &deadline, &o.Status, &created)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return fs, survey.NewError(survey.ENotFound, "msg.response.not_found")
	}
	if err != nil {
		return fs, fmt.Errorf("response %d: %w", responseID, err)
	}
	r.UpdatedAt, r.SubmittedAt = parseTime(updated), parseTime(submitted)
	o.OpensOn, o.Deadline, o.CreatedAt = parseDate(opens), parseDate(deadline), parseTime(created)
	if d := parseDate(own.String); own.Valid && d.After(o.Deadline) {
		o.Deadline = d
	}
	if fs.Answers, err = answersTx(ctx, tx, &s.ps.reads, responseID); err != nil {
		return fs, err
	}
	if base >= 0 && base <= r.Revision {
		if fs.before, fs.theirs, err = baseState(ctx, tx, &s.ps.reads, responseID, base, r.Revision, fs.Answers); err != nil {
			return fs, err
		}
		fs.base = base
	}
	return fs, nil
}

// fits reports whether fs was read for sv: the same response, with the
// changes since sv's base revision.
func (fs *FormState) fits(sv Save) bool {
	return fs != nil && fs.Response.ID == sv.ResponseID && fs.base >= 0 && fs.base == sv.BaseRevision
}

// saveState is the state a save of sv merges with, from what KommuneForm
// read (fits); it reads nothing.
func (fs *FormState) saveState(sv Save) (saveState, error) {
	st := saveState{status: fs.Response.Status, rev: fs.Response.Revision, roundID: fs.Round.ID, kommuneID: fs.Response.Kommune.ID,
		current: fs.Answers, base: fs.before, theirs: fs.theirs}
	return st, st.check(sv)
}
