package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statements are the store's prepared statements for the requests every
// Kommune makes: the session, the questionnaire page's and the save's
// reads (on the read pool) and the save's writes (on the writer). Each is
// prepared once when the store opens and closed with it; database/sql
// prepares it again on another connection of the pool the first time it
// runs there and keeps it. Without them the driver parsed and planned the
// same SQL anew for every query (about half of a page's loads).
type statements struct {
	// read pool
	session *sql.Stmt // a session with its user or link
	form    *sql.Stmt // a response with its Kommune and round
	reads   saveReads // a save's reads on the read pool
	// writer
	writerReads  saveReads // a save's reads within a write transaction (the demo's, the last retry)
	casResponse  *sql.Stmt // the save's compare-and-set of revision and status
	upsertAnswer *sql.Stmt
	deleteAnswer *sql.Stmt
	change       *sql.Stmt
	revision     *sql.Stmt
	audit        *sql.Stmt
	bumpVersion  *sql.Stmt
}

const (
	sessionSQL = `SELECT s.kind, s.created_at, s.last_seen_at, s.expires_at,
		u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled_at IS NOT NULL,
		t.id, r.id, r.round_id, r.kommune_id
		FROM sessions s
		LEFT JOIN users u ON s.kind = 'staff' AND u.id = s.user_id
		LEFT JOIN tokens t ON s.kind = 'kommune' AND t.id = s.token_id AND t.revoked_at IS NULL
		LEFT JOIN responses r ON r.id = t.response_id
		WHERE s.id_hash = ?`
	formSQL = "SELECT " + responseCols + `, r.deadline_override, o.id, o.questionnaire_id, o.title, o.opens_on, o.deadline, o.status, o.created_at
		FROM responses r JOIN kommunen k ON k.id = r.kommune_id JOIN rounds o ON o.id = r.round_id
		WHERE r.id = ? AND r.round_id = ?`
	saveHeadSQL = "SELECT status, revision, round_id, kommune_id FROM responses WHERE id = ?"
	changesSQL  = `SELECT c.question_id, c.item, c.old_raw, c.revision, v.saved_by FROM answer_changes c
		JOIN revisions v ON v.response_id = c.response_id AND v.revision = c.revision
		WHERE c.response_id = ? AND c.revision > ? ORDER BY c.revision DESC`
	// casResponseSQL moves a response from the revision and status a save
	// read to the new ones; with its 9th argument 1 only while its round
	// accepts answers: open and the later of the round's and the
	// Kommune's deadline not before today (the 10th argument, Berlin's
	// date), as survey.Round.AcceptsAnswers says.
	casResponseSQL = `UPDATE responses SET status = ?, revision = ?, updated_at = ?, updated_by = ?,
		submitted_at = coalesce(?, submitted_at) WHERE id = ? AND revision = ? AND status = ?
		AND (? = 0 OR EXISTS (SELECT 1 FROM rounds o WHERE o.id = responses.round_id AND o.status = 'open'
			AND max(o.deadline, coalesce(responses.deadline_override, '')) >= ?))`
	revisionSQL = "INSERT INTO revisions (response_id, revision, saved_at, saved_by, actor_kind) VALUES (?, ?, ?, ?, ?)"
	auditSQL    = `INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, action, round_id, kommune_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	bumpVersionSQL = "UPDATE data_version SET version = version + 1 WHERE id = 1"
)

// saveReads are the statements of a save's reads: the response's status
// and revision, its answers, the changes since a revision (newest first).
type saveReads struct {
	saveHead, answers, changes *sql.Stmt
}

// prepare prepares the store's statements.
func (s *Store) prepare(ctx context.Context) error {
	var err error
	prep := func(db *sql.DB, p **sql.Stmt, query string) {
		if err != nil {
			return
		}
		if *p, err = db.PrepareContext(ctx, query); err != nil {
			err = fmt.Errorf("prepare %.40q: %w", query, err)
		}
	}
	ps := &s.ps
	prep(s.r, &ps.session, sessionSQL)
	prep(s.r, &ps.form, formSQL)
	for _, rs := range []struct {
		db  *sql.DB
		set *saveReads
	}{{s.r, &ps.reads}, {s.w, &ps.writerReads}} {
		prep(rs.db, &rs.set.saveHead, saveHeadSQL)
		prep(rs.db, &rs.set.answers, answersSQL)
		prep(rs.db, &rs.set.changes, changesSQL)
	}
	prep(s.w, &ps.casResponse, casResponseSQL)
	prep(s.w, &ps.upsertAnswer, upsertAnswerSQL)
	prep(s.w, &ps.deleteAnswer, deleteAnswerSQL)
	prep(s.w, &ps.change, changeSQL)
	prep(s.w, &ps.revision, revisionSQL)
	prep(s.w, &ps.audit, auditSQL)
	prep(s.w, &ps.bumpVersion, bumpVersionSQL)
	return err
}

// close closes the prepared statements.
func (ps *statements) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{ps.session, ps.form, ps.reads.saveHead, ps.reads.answers, ps.reads.changes,
		ps.writerReads.saveHead, ps.writerReads.answers, ps.writerReads.changes,
		ps.casResponse, ps.upsertAnswer, ps.deleteAnswer, ps.change, ps.revision, ps.audit, ps.bumpVersion} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
