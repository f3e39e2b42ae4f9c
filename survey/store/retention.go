package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"bedarf/survey"
)

// PurgedRound is what retention removed (or would remove) from one round.
type PurgedRound struct {
	Round     survey.Round
	Questions []string // ids of the personal questions
	Answers   int      // answers removed
	Changes   int      // change-log entries whose old and new values were blanked
}

// PurgePersonal removes the answers to personal questions (those marked
// Personal in the questionnaire: the contact person's name, e-mail, phone)
// from the responses of closed rounds whose deadline ended more than
// olderThan ago, and blanks the old and new values of those questions in
// the change log, keeping the fact that a change was made. Everything else
// stays, so dashboards, plans and workbooks keep working. With dryRun it
// only counts. It runs in one transaction and records each round it
// changed in the audit log, with counts only. Running it again finds
// nothing more to remove.
func (s *Store) PurgePersonal(ctx context.Context, olderThan time.Duration, dryRun bool, a survey.Actor) ([]PurgedRound, error) {
	if olderThan < 0 {
		return nil, survey.Errorf(survey.EInvalid, "Die Aufbewahrungsfrist darf nicht negativ sein.")
	}
	cutoff := s.now().Add(-olderThan)
	rounds, err := s.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var due []PurgedRound
	for _, r := range rounds {
		if r.Status != survey.RoundClosed || !r.DeadlineEnd().Before(cutoff) {
			continue
		}
		qn, err := s.Questionnaire(ctx, r.QuestionnaireID)
		if err != nil {
			return nil, fmt.Errorf("retention, round %d: %w", r.ID, err)
		}
		p := PurgedRound{Round: r}
		for _, q := range qn.Questions() {
			if q.Personal {
				p.Questions = append(p.Questions, q.ID)
			}
		}
		if len(p.Questions) > 0 {
			due = append(due, p)
		}
	}
	if len(due) == 0 {
		return nil, nil
	}
	if dryRun {
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("retention: begin read: %w", err)
		}
		defer tx.Rollback()
		for i := range due {
			if err := countPersonal(ctx, tx, &due[i]); err != nil {
				return nil, err
			}
		}
		return due, nil
	}
	err = s.secureWrite(ctx, func(tx *sql.Tx) error {
		for i := range due {
			p := &due[i]
			if err := countPersonal(ctx, tx, p); err != nil {
				return err
			}
			if p.Answers == 0 && p.Changes == 0 {
				continue
			}
			where, args := personalWhere(p)
			if _, err := tx.ExecContext(ctx, "DELETE FROM answers WHERE "+where, args...); err != nil {
				return fmt.Errorf("retention, round %d: delete answers: %w", p.Round.ID, err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE answer_changes SET old_raw = NULL, new_raw = NULL WHERE "+where+
				" AND (old_raw IS NOT NULL OR new_raw IS NOT NULL)", args...); err != nil {
				return fmt.Errorf("retention, round %d: blank change log: %w", p.Round.ID, err)
			}
			detail := fmt.Sprintf("Personenbezogene Angaben gelöscht: %d Antworten, %d Einträge im Änderungsprotokoll (Fragen: %s)",
				p.Answers, p.Changes, strings.Join(p.Questions, ", "))
			if err := s.audit(ctx, tx, a, "retention.purge", p.Round.ID, 0, detail); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return due, nil
}

// personalWhere selects the rows of a round's responses that belong to its
// personal questions, in answers or answer_changes.
func personalWhere(p *PurgedRound) (string, []any) {
	args := []any{p.Round.ID}
	for _, id := range p.Questions {
		args = append(args, id)
	}
	return "response_id IN (SELECT id FROM responses WHERE round_id = ?) AND question_id IN (?" +
		strings.Repeat(", ?", len(p.Questions)-1) + ")", args
}

// countPersonal counts what is left to remove in a round.
func countPersonal(ctx context.Context, tx *sql.Tx, p *PurgedRound) error {
	where, args := personalWhere(p)
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM answers WHERE "+where, args...).Scan(&p.Answers); err != nil {
		return fmt.Errorf("retention, round %d: count answers: %w", p.Round.ID, err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM answer_changes WHERE "+where+
		" AND (old_raw IS NOT NULL OR new_raw IS NOT NULL)", args...).Scan(&p.Changes); err != nil {
		return fmt.Errorf("retention, round %d: count change log: %w", p.Round.ID, err)
	}
	return nil
}

// secureWrite runs fn in a write transaction with secure_delete on, so that
// deleted and overwritten values are zeroed in the database file rather
// than left in free space, and then checkpoints the log so that the old
// pages leave it too. Where readers hold the checkpoint up, the old pages
// leave the log with later checkpoints; the deletion is committed either
// way.
func (s *Store) secureWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return fmt.Errorf("secure_delete: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA secure_delete = OFF")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	var busy, logged, moved int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
