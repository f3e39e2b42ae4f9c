package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"bedarf/survey"
)

// UpsertKommunen inserts Kommunen or updates them by AGS.
func (s *Store) UpsertKommunen(ctx context.Context, ks []survey.Kommune) error {
	return s.writeData(ctx, func(tx *sql.Tx) error {
		for _, k := range ks {
			_, err := tx.ExecContext(ctx, `INSERT INTO kommunen (ags, name, kind, lat, lon, population, population_year)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (ags) DO UPDATE SET name = excluded.name, kind = excluded.kind, lat = excluded.lat,
					lon = excluded.lon, population = excluded.population, population_year = excluded.population_year`,
				k.AGS, k.Name, k.Kind, k.Lat, k.Lon, k.Population, k.PopulationYear)
			if err != nil {
				return fmt.Errorf("upsert Kommune %s: %w", k.AGS, err)
			}
		}
		return nil
	})
}

const kommuneCols = "k.id, k.ags, k.name, k.kind, k.lat, k.lon, k.population, k.population_year"

func scanKommune(sc interface{ Scan(...any) error }, k *survey.Kommune, extra ...any) error {
	return sc.Scan(append([]any{&k.ID, &k.AGS, &k.Name, &k.Kind, &k.Lat, &k.Lon, &k.Population, &k.PopulationYear}, extra...)...)
}

// Kommunen returns all Kommunen ordered by AGS.
func (s *Store) Kommunen(ctx context.Context) ([]survey.Kommune, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+kommuneCols+" FROM kommunen k ORDER BY k.ags")
	if err != nil {
		return nil, fmt.Errorf("list Kommunen: %w", err)
	}
	defer rows.Close()
	var out []survey.Kommune
	for rows.Next() {
		var k survey.Kommune
		if err := scanKommune(rows, &k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// QuestionnaireVersion is a stored questionnaire version.
type QuestionnaireVersion struct {
	ID        int64
	Slug      string
	Version   int
	Title     string
	Format    string
	CreatedAt time.Time
}

// AddQuestionnaire stores a validated questionnaire source as a new
// version. The same source stored twice yields the existing version.
func (s *Store) AddQuestionnaire(ctx context.Context, format string, src []byte, a survey.Actor) (QuestionnaireVersion, error) {
	return s.AddQuestionnaireFile(ctx, "", format, src, a)
}

// AddQuestionnaireFile is AddQuestionnaire for a file of the given name
// (its base name, as uploaded): errors name it, and an XLSForm without a
// form_id gets its id from it.
func (s *Store) AddQuestionnaireFile(ctx context.Context, name, format string, src []byte, a survey.Actor) (QuestionnaireVersion, error) {
	qn, err := parseSource(format, name, src)
	if err != nil {
		return QuestionnaireVersion{}, err
	}
	var v QuestionnaireVersion
	err = s.write(ctx, func(tx *sql.Tx) error {
		v, err = s.addQuestionnaireTx(ctx, tx, qn, format, src, a)
		return err
	})
	return v, err
}

// addQuestionnaireTx is AddQuestionnaire within tx, for the parsed source.
func (s *Store) addQuestionnaireTx(ctx context.Context, tx *sql.Tx, qn *survey.Questionnaire, format string, src []byte, a survey.Actor) (QuestionnaireVersion, error) {
	sum := sha256.Sum256(src)
	hash := hex.EncodeToString(sum[:])
	var v QuestionnaireVersion
	var created sql.NullString
	err := tx.QueryRowContext(ctx, "SELECT id, slug, version, title, format, created_at FROM questionnaires WHERE sha256 = ?", hash).
		Scan(&v.ID, &v.Slug, &v.Version, &v.Title, &v.Format, &created)
	if err == nil {
		v.CreatedAt = parseTime(created)
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return v, err
	}
	v = QuestionnaireVersion{Slug: qn.ID, Title: qn.Title, Format: format, CreatedAt: s.now()}
	if v.Slug == "" {
		v.Slug = "fragebogen"
	}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) + 1 FROM questionnaires WHERE slug = ?", v.Slug).Scan(&v.Version); err != nil {
		return v, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO questionnaires (slug, version, title, format, source, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, v.Slug, v.Version, v.Title, format, src, hash, s.stamp())
	if err != nil {
		return v, fmt.Errorf("insert questionnaire: %w", err)
	}
	v.ID, _ = res.LastInsertId()
	return v, s.audit(ctx, tx, a, "questionnaire.add", 0, 0, fmt.Sprintf("%s v%d", v.Slug, v.Version))
}

// parseSource parses a stored or new questionnaire; name is the file's
// name, "" for the default one of the format.
func parseSource(format, name string, src []byte) (*survey.Questionnaire, error) {
	switch format {
	case "yaml":
		return survey.ParseYAML(cmp.Or(name, "fragebogen.yaml"), src)
	case "xlsform":
		return survey.ParseXLSForm(cmp.Or(name, "fragebogen.xlsx"), bytes.NewReader(src))
	}
	return nil, survey.NewError(survey.EInvalid, "msg.questionnaire.format", format)
}

// Questionnaire returns the parsed questionnaire version id. Versions never
// change, so parsed versions are cached.
func (s *Store) Questionnaire(ctx context.Context, id int64) (*survey.Questionnaire, error) {
	s.mu.Lock()
	qn := s.qcache[id]
	s.mu.Unlock()
	if qn != nil {
		return qn, nil
	}
	var format string
	var src []byte
	err := s.r.QueryRowContext(ctx, "SELECT format, source FROM questionnaires WHERE id = ?", id).Scan(&format, &src)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.NewError(survey.ENotFound, "msg.questionnaire.not_found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load questionnaire %d: %w", id, err)
	}
	qn, err = parseSource(format, "", src)
	if err != nil {
		return nil, fmt.Errorf("stored questionnaire %d no longer parses: %w", id, err)
	}
	s.mu.Lock()
	s.qcache[id] = qn
	s.mu.Unlock()
	return qn, nil
}

// NewRound describes a round to create.
type NewRound struct {
	QuestionnaireID int64
	Title           string
	OpensOn         time.Time
	Deadline        time.Time
	Status          survey.RoundStatus
	KommuneIDs      []int64 // invited Kommunen
}

// CreateRound creates a round and a response (status new) per invited
// Kommune. Links are issued separately with IssueToken.
func (s *Store) CreateRound(ctx context.Context, nr NewRound, a survey.Actor) (int64, error) {
	if nr.Title == "" {
		return 0, survey.NewError(survey.EInvalid, "msg.round.need_title")
	}
	if nr.Deadline.Before(nr.OpensOn) {
		return 0, survey.NewError(survey.EInvalid, "msg.round.deadline_start")
	}
	if nr.Status == "" {
		nr.Status = survey.RoundPlanned
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.createRoundTx(ctx, tx, nr, a)
		return err
	})
	return id, err
}

// createRoundTx is CreateRound within tx, for a checked NewRound.
func (s *Store) createRoundTx(ctx context.Context, tx *sql.Tx, nr NewRound, a survey.Actor) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO rounds (questionnaire_id, title, opens_on, deadline, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, nr.QuestionnaireID, nr.Title, nr.OpensOn.Format(time.DateOnly),
		nr.Deadline.Format(time.DateOnly), nr.Status, s.stamp())
	if err != nil {
		return 0, fmt.Errorf("insert round: %w", err)
	}
	id, _ := res.LastInsertId()
	for _, kid := range nr.KommuneIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO responses (round_id, kommune_id, status) VALUES (?, ?, 'new')", id, kid); err != nil {
			return 0, fmt.Errorf("invite Kommune %d: %w", kid, err)
		}
	}
	return id, s.audit(ctx, tx, a, "round.create", id, 0, nr.Title)
}

const roundCols = "id, questionnaire_id, title, opens_on, deadline, status, created_at"

func scanRound(sc interface{ Scan(...any) error }) (survey.Round, error) {
	var r survey.Round
	var opens, deadline string
	var created sql.NullString
	err := sc.Scan(&r.ID, &r.QuestionnaireID, &r.Title, &opens, &deadline, &r.Status, &created)
	r.OpensOn, r.Deadline, r.CreatedAt = parseDate(opens), parseDate(deadline), parseTime(created)
	return r, err
}

// Round returns round id.
func (s *Store) Round(ctx context.Context, id int64) (survey.Round, error) {
	r, err := scanRound(s.r.QueryRowContext(ctx, "SELECT "+roundCols+" FROM rounds WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, survey.NewError(survey.ENotFound, "msg.round.not_found")
	}
	if err != nil {
		return r, fmt.Errorf("load round %d: %w", id, err)
	}
	return r, nil
}

// Rounds returns all rounds, newest first.
func (s *Store) Rounds(ctx context.Context) ([]survey.Round, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+roundCols+" FROM rounds ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	defer rows.Close()
	var out []survey.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LatestRound returns the newest round.
func (s *Store) LatestRound(ctx context.Context) (survey.Round, error) {
	r, err := scanRound(s.r.QueryRowContext(ctx, "SELECT "+roundCols+" FROM rounds ORDER BY id DESC LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return r, survey.NewError(survey.ENotFound, "msg.round.none")
	}
	if err != nil {
		return r, fmt.Errorf("latest round: %w", err)
	}
	return r, nil
}
