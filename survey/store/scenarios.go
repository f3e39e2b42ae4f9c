package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"bedarf/survey"
)

// Scenario is a named set of planning parameters of a round (see
// survey.Scenario; the analysis reads it through its Source).
type Scenario = survey.Scenario

// Scenarios returns the scenarios of a round, the decisive one first. A
// round without stored scenarios has one: "Standard" with defaultParams,
// decisive, returned with ID 0 and not stored (reading changes nothing);
// EnsureScenarios stores it before the first change.
func (s *Store) Scenarios(ctx context.Context, roundID int64, defaultParams []byte) ([]Scenario, error) {
	list, err := s.scenarios(ctx, roundID)
	if err != nil || len(list) > 0 {
		return list, err
	}
	return []Scenario{{RoundID: roundID, Name: defaultScenarioName, Params: defaultParams, Decisive: true}}, nil
}

const defaultScenarioName = "Standard"

// EnsureScenarios stores the default scenario of a round that has none yet
// and returns the id of the decisive scenario. When the round has one, it
// only reads: a change to a scenario does not first wait for the writer.
func (s *Store) EnsureScenarios(ctx context.Context, roundID int64, defaultParams []byte) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, "SELECT id FROM scenarios WHERE round_id = ? AND decisive = 1", roundID).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("decisive scenario: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT id FROM scenarios WHERE round_id = ? AND decisive = 1", roundID).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO scenarios (round_id, name, params, decisive, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?)`, roundID, defaultScenarioName, string(defaultParams), s.stamp(), s.stamp())
		if err != nil {
			return fmt.Errorf("default scenario: %w", err)
		}
		id, _ = res.LastInsertId()
		return bumpDataVersion(ctx, tx) // only when stored: reading a plan calls this too
	})
	return id, err
}

func (s *Store) scenarios(ctx context.Context, roundID int64) ([]Scenario, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, round_id, name, params, decisive, updated_at FROM scenarios
		WHERE round_id = ? ORDER BY decisive DESC, id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("scenarios of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []Scenario
	for rows.Next() {
		var sc Scenario
		var params string
		var updated sql.NullString
		if err := rows.Scan(&sc.ID, &sc.RoundID, &sc.Name, &params, &sc.Decisive, &updated); err != nil {
			return nil, err
		}
		sc.Params, sc.UpdatedAt = []byte(params), parseTime(updated)
		out = append(out, sc)
	}
	return out, rows.Err()
}

func checkScenarioName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", survey.NewError(survey.EInvalid, "msg.scenario.no_name").At("name")
	case utf8.RuneCountInString(name) > 80:
		return "", survey.NewError(survey.EInvalid, "msg.scenario.name_long").At("name")
	}
	return name, nil
}

// CreateScenario adds a scenario to a round.
func (s *Store) CreateScenario(ctx context.Context, roundID int64, name string, params []byte, a survey.Actor) (int64, error) {
	name, err := checkScenarioName(name)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.writeData(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM scenarios WHERE round_id = ? AND name = ?", roundID, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return survey.NewError(survey.EConflict, "msg.scenario.exists", name).At("name")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO scenarios (round_id, name, params, decisive, created_at, updated_at)
			VALUES (?, ?, ?, 0, ?, ?)`, roundID, name, string(params), s.stamp(), s.stamp())
		if err != nil {
			return fmt.Errorf("insert scenario: %w", err)
		}
		id, _ = res.LastInsertId()
		return s.audit(ctx, tx, a, "scenario.create", roundID, 0, name)
	})
	return id, err
}

// UpdateScenario replaces a scenario's name and parameters.
func (s *Store) UpdateScenario(ctx context.Context, roundID, id int64, name string, params []byte, a survey.Actor) error {
	name, err := checkScenarioName(name)
	if err != nil {
		return err
	}
	return s.writeData(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM scenarios WHERE round_id = ? AND name = ? AND id != ?", roundID, name, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return survey.NewError(survey.EConflict, "msg.scenario.exists", name).At("name")
		}
		res, err := tx.ExecContext(ctx, "UPDATE scenarios SET name = ?, params = ?, updated_at = ? WHERE id = ? AND round_id = ?",
			name, string(params), s.stamp(), id, roundID)
		if err != nil {
			return fmt.Errorf("update scenario: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return survey.NewError(survey.ENotFound, "msg.scenario.not_found")
		}
		return s.audit(ctx, tx, a, "scenario.update", roundID, 0, name+": "+string(params))
	})
}

// MarkDecisive makes a scenario the decisive one of its round.
func (s *Store) MarkDecisive(ctx context.Context, roundID, id int64, a survey.Actor) error {
	return s.writeData(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, "SELECT name FROM scenarios WHERE id = ? AND round_id = ?", id, roundID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.scenario.not_found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE scenarios SET decisive = 0 WHERE round_id = ? AND decisive = 1", roundID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE scenarios SET decisive = 1 WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "scenario.decisive", roundID, 0, name)
	})
}

// DeleteScenario removes a scenario that is not the decisive one.
func (s *Store) DeleteScenario(ctx context.Context, roundID, id int64, a survey.Actor) error {
	return s.writeData(ctx, func(tx *sql.Tx) error {
		var name string
		var decisive bool
		err := tx.QueryRowContext(ctx, "SELECT name, decisive FROM scenarios WHERE id = ? AND round_id = ?", id, roundID).Scan(&name, &decisive)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.scenario.not_found")
		}
		if err != nil {
			return err
		}
		if decisive {
			return survey.NewError(survey.EConflict, "msg.scenario.decisive")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM scenarios WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "scenario.delete", roundID, 0, name)
	})
}

// PlanningAnswers calls fn for every submitted response of a round with its
// answers to the given questions only, in AGS order. It reads just what the
// planning model needs in two queries in one read transaction: the
// submitted responses with their Kommunen in AGS order, and their answers
// to those questions by primary key in whatever order the responses come
// (no sort). The answers are held until fn has seen them all: a few per
// Kommune, about 13 MB for a nation-wide round.
func (s *Store) PlanningAnswers(ctx context.Context, roundID int64, questionIDs []string, fn func(survey.Kommune, survey.Answers) error) error {
	if len(questionIDs) == 0 {
		questionIDs = []string{""}
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	type submitted struct {
		id int64
		k  survey.Kommune
	}
	var list []submitted
	rows, err := tx.QueryContext(ctx, `SELECT r.id, `+kommuneCols+` FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE r.round_id = ? AND r.status = 'submitted' ORDER BY k.ags, r.id`, roundID)
	if err != nil {
		return fmt.Errorf("planning responses: %w", err)
	}
	for rows.Next() {
		var r submitted
		if err := rows.Scan(append([]any{&r.id}, kommuneScanArgs(&r.k)...)...); err != nil {
			rows.Close()
			return err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	args := make([]any, 0, len(questionIDs)+1)
	args = append(args, roundID)
	for _, q := range questionIDs {
		args = append(args, q)
	}
	rows, err = tx.QueryContext(ctx, `SELECT a.response_id, a.question_id, a.item, a.num, a.text, a.raw, a.valid
		FROM responses r CROSS JOIN answers a
		WHERE a.response_id = r.id AND r.round_id = ? AND r.status = 'submitted'
			AND a.question_id IN (?`+strings.Repeat(",?", len(questionIDs)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("planning answers: %w", err)
	}
	defer rows.Close()
	answers := make(map[int64]survey.Answers, len(list))
	for rows.Next() {
		var id int64
		var k survey.Key
		var num sql.NullFloat64
		var text sql.NullString
		var v survey.Value
		var valid bool
		if err := rows.Scan(&id, &k.Question, &k.Item, &num, &text, &v.Raw, &valid); err != nil {
			return err
		}
		v.Num, v.HasNum, v.Text = num.Float64, num.Valid, text.String
		if !valid {
			v.Err = survey.NewMessage("msg.answer.stored_invalid")
		}
		a := answers[id]
		if a == nil {
			a = survey.Answers{}
			answers[id] = a
		}
		a[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range list {
		a := answers[r.id]
		if a == nil {
			a = survey.Answers{}
		}
		if err := fn(r.k, a); err != nil {
			return err
		}
	}
	return nil
}
