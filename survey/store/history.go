package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"bedarf/survey"
)

// Revision is one save of a response as its history shows it: who saved
// it, when, and the answers as they were before and after it.
type Revision struct {
	Number    int
	SavedAt   time.Time
	SavedBy   string // the actor's label: the editor's name or the staff user
	ActorKind string // "kommune", "staff" or "system"
	// Changed are the keys the save changed, in key order.
	Changed []survey.Key
	// Before and After are the whole answers before and after the save,
	// reconstructed from the current answers by undoing later changes
	// (only raw values are set).
	Before, After survey.Answers
	// Erased are changed keys whose old and new values the retention
	// command removed (personal data): Before and After do not know them.
	Erased map[survey.Key]bool
}

// ResponseHistory returns the saves of a response, newest first, each with
// the answers before and after it: old values are not kept apart, so they
// are derived from the current answers and the change log (old → new per
// key and revision).
func (s *Store) ResponseHistory(ctx context.Context, responseID int64) ([]Revision, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("history of %d: %w", responseID, err)
	}
	defer tx.Rollback()
	current, err := s.answers(ctx, tx, responseID)
	if err != nil {
		return nil, err
	}
	var revs []Revision
	byNumber := map[int]int{}
	rows, err := tx.QueryContext(ctx, `SELECT revision, saved_at, saved_by, actor_kind FROM revisions
		WHERE response_id = ? ORDER BY revision DESC`, responseID)
	if err != nil {
		return nil, fmt.Errorf("revisions of %d: %w", responseID, err)
	}
	for rows.Next() {
		var r Revision
		var at sql.NullString
		if err := rows.Scan(&r.Number, &at, &r.SavedBy, &r.ActorKind); err != nil {
			rows.Close()
			return nil, fmt.Errorf("revisions of %d: %w", responseID, err)
		}
		r.SavedAt = parseTime(at)
		byNumber[r.Number] = len(revs)
		revs = append(revs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions of %d: %w", responseID, err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT revision, question_id, item, old_raw, new_raw FROM answer_changes
		WHERE response_id = ? ORDER BY revision DESC, question_id, item`, responseID)
	if err != nil {
		return nil, fmt.Errorf("changes of %d: %w", responseID, err)
	}
	defer rows.Close()
	type change struct {
		rev      int
		k        survey.Key
		old, new sql.NullString
	}
	var changes []change
	for rows.Next() {
		var ch change
		if err := rows.Scan(&ch.rev, &ch.k.Question, &ch.k.Item, &ch.old, &ch.new); err != nil {
			return nil, fmt.Errorf("changes of %d: %w", responseID, err)
		}
		changes = append(changes, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes of %d: %w", responseID, err)
	}
	// Walk back from the current answers: the state after revision n is
	// the state before revision n+1.
	state := survey.Answers{}
	for k, v := range current {
		state[k] = survey.Value{Raw: v.Raw}
	}
	for i := 0; i < len(changes); {
		rev := changes[i].rev
		j, ok := byNumber[rev]
		if !ok { // a change without its revision row: keep it under its number
			byNumber[rev] = len(revs)
			revs = append(revs, Revision{Number: rev})
			j = len(revs) - 1
		}
		r := &revs[j]
		r.After = maps.Clone(state)
		for ; i < len(changes) && changes[i].rev == rev; i++ {
			ch := changes[i]
			r.Changed = append(r.Changed, ch.k)
			if !ch.old.Valid && !ch.new.Valid {
				if r.Erased == nil {
					r.Erased = map[survey.Key]bool{}
				}
				r.Erased[ch.k] = true
			}
			if ch.old.Valid {
				state[ch.k] = survey.Value{Raw: ch.old.String}
			} else {
				delete(state, ch.k)
			}
		}
		r.Before = maps.Clone(state)
	}
	slices.SortFunc(revs, func(a, b Revision) int { return cmp.Compare(b.Number, a.Number) })
	return revs, nil
}
