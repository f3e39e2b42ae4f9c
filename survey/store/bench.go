package store

// Writers for bedarf bench, which measures the product against the same
// work done raw: RawDraftWriter writes the rows of a draft save with
// nothing around them, Bulk seeds synthetic answers fast. Neither is used
// for real data.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"bedarf/survey"
)

// RawDraftWriter writes, per transaction, exactly the rows SaveResponse
// writes for a draft save: the answers (upsert), their changes, the
// response's revision and time, a revision row and an audit entry. It has
// one connection with the store writer's settings, and reads nothing.
type RawDraftWriter struct {
	db *sql.DB
}

// OpenRawDraftWriter opens the database at path (a copy of a seeded one:
// it is written to) for raw draft saves.
func OpenRawDraftWriter(path string) (*RawDraftWriter, error) {
	db, err := sql.Open("sqlite", dsn(path, "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	return &RawDraftWriter{db: db}, nil
}

// Close closes the database.
func (w *RawDraftWriter) Close() error { return w.db.Close() }

// Revision returns a response's stored revision.
func (w *RawDraftWriter) Revision(ctx context.Context, responseID int64) (int, error) {
	var rev int
	if err := w.db.QueryRowContext(ctx, "SELECT revision FROM responses WHERE id = ?", responseID).Scan(&rev); err != nil {
		return 0, fmt.Errorf("revision of response %d: %w", responseID, err)
	}
	return rev, nil
}

// RawAnswer is one changed single answer of a RawDraft.
type RawAnswer struct {
	Question string
	Num      float64
	Raw, Old string // Old "" is stored as no earlier value
}

// RawDraft is the content of one raw draft save.
type RawDraft struct {
	Response, Round, Kommune int64
	Revision                 int    // the new revision
	At                       string // the stored time stamp
	By                       string // the actor's label
	Answers                  []RawAnswer
}

// Save writes d in one transaction.
func (w *RawDraftWriter) Save(ctx context.Context, d RawDraft) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, a := range d.Answers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (response_id, question_id, item) DO UPDATE SET num = excluded.num, text = excluded.text,
				raw = excluded.raw, valid = excluded.valid, revision = excluded.revision`,
			d.Response, a.Question, "", a.Num, survey.FormatNumber(a.Num), a.Raw, true, d.Revision); err != nil {
			return err
		}
		var oldRaw any
		if a.Old != "" {
			oldRaw = a.Old
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO answer_changes (response_id, revision, question_id, item, old_raw, new_raw) VALUES (?, ?, ?, ?, ?, ?)",
			d.Response, d.Revision, a.Question, "", oldRaw, a.Raw); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET status = ?, revision = ?, updated_at = ?, updated_by = ?,
			submitted_at = coalesce(?, submitted_at) WHERE id = ?`, survey.StatusDraft, d.Revision, d.At, d.By, nil, d.Response); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO revisions (response_id, revision, saved_at, saved_by, actor_kind) VALUES (?, ?, ?, ?, ?)",
		d.Response, d.Revision, d.At, d.By, "kommune"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, action, round_id, kommune_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.At, "kommune", nil, d.By, "response.save", d.Round, d.Kommune,
		fmt.Sprintf("Revision %d, %d Angaben geändert", d.Revision, len(d.Answers))); err != nil {
		return err
	}
	return tx.Commit()
}

// Bulk seeds synthetic rows many at a time on a handle of its own with
// synchronous(OFF) (seeding is not measured and a crash only loses a
// bench's scratch data).
type Bulk struct {
	db *sql.DB
}

// OpenBulk opens the database at path, which the store has created and
// migrated, for seeding.
func OpenBulk(path string) (*Bulk, error) {
	db, err := sql.Open("sqlite", fileDSN(path, "_pragma", "journal_mode(WAL)", "_pragma", "synchronous(OFF)", "_pragma", "foreign_keys(1)",
		"_pragma", "busy_timeout(10000)", "_pragma", "cache_size(-200000)"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return &Bulk{db: db}, nil
}

// Close closes the database.
func (b *Bulk) Close() error { return b.db.Close() }

// Checkpoint copies the WAL into the database file and truncates it. No
// ANALYZE: the store never runs it, so the planner sees what it sees in
// production.
func (b *Bulk) Checkpoint(ctx context.Context) error {
	_, err := b.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// BulkTx is one seeding transaction: rows are collected and inserted many
// at a time when it commits.
type BulkTx struct {
	tx                                         *sql.Tx
	answers, changes, revisions, audit, tokens *bulkInsert
}

// Begin starts a seeding transaction.
func (b *Bulk) Begin(ctx context.Context) (*BulkTx, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &BulkTx{tx: tx,
		answers:   newBulkInsert(tx, "answers", "response_id, question_id, item, num, text, raw, valid, revision"),
		changes:   newBulkInsert(tx, "answer_changes", "response_id, revision, question_id, item, old_raw, new_raw"),
		revisions: newBulkInsert(tx, "revisions", "response_id, revision, saved_at, saved_by, actor_kind"),
		audit:     newBulkInsert(tx, "audit_log", "at, actor_kind, actor_label, action, round_id, kommune_id, detail"),
		tokens:    newBulkInsert(tx, "tokens", "response_id, token_hash, token_enc, created_at"),
	}, nil
}

// Answer adds an answer row and its change from no earlier value, both of
// revision 1; num and text are nil for an invalid answer.
func (t *BulkTx) Answer(response int64, question, item string, num, text any, raw string, valid bool) {
	t.answers.add(response, question, item, num, text, raw, valid, 1)
	t.changes.add(response, 1, question, item, nil, raw)
}

// Revision adds revision 1 of a response saved by a Kommune.
func (t *BulkTx) Revision(response int64, at, by string) {
	t.revisions.add(response, 1, at, by, "kommune")
}

// Audit adds an audit entry of a Kommune's action.
func (t *BulkTx) Audit(at, by, action string, round, kommune int64, detail string) {
	t.audit.add(at, "kommune", by, action, round, kommune, detail)
}

// Token adds a personal link's token (its hash and sealed form).
func (t *BulkTx) Token(response int64, hash, sealed []byte, created string) {
	t.tokens.add(response, hash, sealed, created)
}

// SetResponse sets a response to revision 1 with its status; submitted is
// the submission's time stamp, nil for none.
func (t *BulkTx) SetResponse(ctx context.Context, id int64, status survey.ResponseStatus, at, by string, submitted any) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE responses SET status = ?, revision = 1, updated_at = ?, updated_by = ?, submitted_at = ? WHERE id = ?`,
		status, at, by, submitted, id)
	return err
}

// Commit inserts the collected rows and commits; on an error nothing is
// written.
func (t *BulkTx) Commit(ctx context.Context) error {
	for _, b := range []*bulkInsert{t.answers, t.changes, t.revisions, t.audit, t.tokens} {
		if err := b.flush(ctx); err != nil {
			t.tx.Rollback()
			return fmt.Errorf("%s: %w", b.table, err)
		}
	}
	return t.tx.Commit()
}

// Rollback ends the transaction without writing.
func (t *BulkTx) Rollback() { t.tx.Rollback() }

// bulkInsert collects rows and inserts them many at a time.
type bulkInsert struct {
	tx    *sql.Tx
	table string
	cols  string
	ncols int
	args  []any
	stmt  *sql.Stmt // for a full chunk
}

const bulkRows = 200

func newBulkInsert(tx *sql.Tx, table, cols string) *bulkInsert {
	return &bulkInsert{tx: tx, table: table, cols: cols, ncols: strings.Count(cols, ",") + 1}
}

func (b *bulkInsert) sql(rows int) string {
	one := "(?" + strings.Repeat(", ?", b.ncols-1) + ")"
	return "INSERT INTO " + b.table + " (" + b.cols + ") VALUES " + one + strings.Repeat(", "+one, rows-1)
}

func (b *bulkInsert) add(vals ...any) {
	b.args = append(b.args, vals...)
}

func (b *bulkInsert) flush(ctx context.Context) error {
	chunk := bulkRows * b.ncols
	for len(b.args) >= chunk {
		if b.stmt == nil {
			var err error
			if b.stmt, err = b.tx.PrepareContext(ctx, b.sql(bulkRows)); err != nil {
				return err
			}
		}
		if _, err := b.stmt.ExecContext(ctx, b.args[:chunk]...); err != nil {
			return err
		}
		b.args = b.args[chunk:]
	}
	if b.stmt != nil {
		b.stmt.Close()
	}
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.sql(len(b.args)/b.ncols), b.args...)
	b.args = nil
	return err
}

// BenchBook books every request in one write transaction, each through
// the same checks and writes as Book (places, seats, waiting list, the
// participant named, the mail queued, the audit entry), and returns the
// results in order. bedarf bench seeds the bookings of its uptake section
// with it: tens of thousands of bookings in seconds instead of one commit
// each. A refused request fails the whole transaction.
func (s *Store) BenchBook(ctx context.Context, reqs []BookRequest, a survey.Actor) ([]BookResult, error) {
	out := make([]BookResult, 0, len(reqs))
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for _, req := range reqs {
			p := req.Participant
			if err := p.Normalize(); err != nil {
				return err
			}
			r, err := s.bookTx(ctx, tx, req, p, a)
			if err != nil {
				return fmt.Errorf("booking %d of %d: %w", len(out)+1, len(reqs), err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
