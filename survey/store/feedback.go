package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"bedarf/survey"
)

// Anonymous feedback on training dates (migration 0023). What is stored
// and why it cannot name a participant is argued in docs/ARCHITECTURE.md,
// "Anonymous feedback": the codes are stored only as hashes with their
// date, answers under a random id with their day, and no audit entry is
// written per answer.

// FeedbackTarget is the date a valid, unused code is for.
type FeedbackTarget struct {
	DateID   int64
	Title    string // the offer's title
	ModuleID string
	Start    time.Time
}

// feedbackHash is the stored form of a normalised code.
func feedbackHash(code string) []byte {
	h := sha256.Sum256([]byte("bedarf-feedback:" + code))
	return h[:]
}

// IssueFeedbackCodes issues the single-use feedback codes of a training
// date of the round that has ended: one per participant booked on it or
// marked attended. It stores only their hashes and returns the codes
// themselves, sorted (so their order says nothing of the participants');
// they are never stored and cannot be shown again. A date gets its codes
// once (a second call is EConflict). One audit entry "feedback.issue" says
// how many; none names a participant.
func (s *Store) IssueFeedbackCodes(ctx context.Context, roundID, dateID int64, a survey.Actor) ([]string, error) {
	var codes []string
	err := s.write(ctx, func(tx *sql.Tx) error {
		var title, kind, status, ends string
		err := tx.QueryRowContext(ctx, `SELECT o.title, o.kind, d.status, d.ends_at FROM offer_dates d JOIN offers o ON o.id = d.offer_id
			WHERE d.id = ? AND o.round_id = ?`, dateID, roundID).Scan(&title, &kind, &status, &ends)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
		}
		if err != nil {
			return fmt.Errorf("feedback codes, date %d: %w", dateID, err)
		}
		if kind != string(survey.OfferTraining) || status != "scheduled" {
			return survey.NewError(survey.EInvalid, "msg.feedback.not_training")
		}
		if !offerTime(ends).Before(s.now()) {
			return survey.NewError(survey.EInvalid, "msg.feedback.not_over")
		}
		var issued int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM feedback_dates WHERE date_id = ?", dateID).Scan(&issued); err != nil {
			return fmt.Errorf("feedback codes, date %d: %w", dateID, err)
		}
		if issued > 0 {
			return survey.NewError(survey.EConflict, "msg.feedback.issued")
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM bookings WHERE date_id = ? AND status IN ('booked', 'attended')", dateID).Scan(&n); err != nil {
			return fmt.Errorf("feedback codes, date %d: participants: %w", dateID, err)
		}
		if n == 0 {
			return survey.NewError(survey.EInvalid, "msg.feedback.no_participants")
		}
		n = min(n, survey.MaxFeedbackCodes)
		codes = make([]string, 0, n)
		for len(codes) < n {
			code := survey.NewFeedbackCode()
			norm, _ := survey.NormalizeFeedbackCode(code)
			res, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO feedback_tokens (hash, date_id) VALUES (?, ?)", feedbackHash(norm), dateID)
			if err != nil {
				return fmt.Errorf("feedback codes, date %d: %w", dateID, err)
			}
			if k, _ := res.RowsAffected(); k == 1 { // a repeated code (2^-60) is drawn again
				codes = append(codes, code)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO feedback_dates (date_id, issued_on, codes) VALUES (?, ?, ?)", dateID, s.today(), n); err != nil {
			return fmt.Errorf("feedback codes, date %d: %w", dateID, err)
		}
		return s.audit(ctx, tx, a, "feedback.issue", roundID, 0, fmt.Sprintf("Feedback-Codes für „%s“ am %s ausgegeben: %d",
			title, offerTime(ends).In(survey.Berlin()).Format("02.01.2006"), n))
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(codes)
	return codes, nil
}

// FeedbackRecipients returns the name and address of everyone who should
// get a training date's feedback code by mail: the participants marked
// attended, or, while no attendance is marked, those booked; without the
// ones whose address retention has emptied. Ordered by name; the caller
// pairs them with codes at random.
func (s *Store) FeedbackRecipients(ctx context.Context, roundID, dateID int64) ([]survey.Participant, error) {
	rows, err := s.r.QueryContext(ctx, `WITH b AS (
			SELECT b.status, p.name, p.email FROM bookings b
			JOIN offers o ON o.id = b.offer_id AND o.round_id = ?
			JOIN participants p ON p.id = b.participant_id
			WHERE b.date_id = ? AND b.status IN ('booked', 'attended'))
		SELECT name, email FROM b
		WHERE email != '' AND status = CASE WHEN EXISTS (SELECT 1 FROM b WHERE status = 'attended') THEN 'attended' ELSE 'booked' END
		ORDER BY name, email`, roundID, dateID)
	if err != nil {
		return nil, fmt.Errorf("feedback recipients, date %d: %w", dateID, err)
	}
	defer rows.Close()
	var out []survey.Participant
	for rows.Next() {
		var p survey.Participant
		if err := rows.Scan(&p.Name, &p.Email); err != nil {
			return nil, fmt.Errorf("feedback recipients, date %d: %w", dateID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// offerTime reads a date's start or end (RFC 3339, UTC).
func offerTime(v string) time.Time {
	t, _ := time.Parse(time.RFC3339, v)
	return t
}

// today is the store clock's day in Europe/Berlin, the finest time the
// feedback keeps.
func (s *Store) today() string {
	return s.now().In(survey.Berlin()).Format(time.DateOnly)
}

// FeedbackCode checks a code as typed: for a valid unused code it returns
// the date it is for; a code that is malformed or was never issued is
// ENotFound ("msg.feedback.unknown"), a used one EConflict
// ("msg.feedback.used").
func (s *Store) FeedbackCode(ctx context.Context, code string) (FeedbackTarget, error) {
	norm, ok := survey.NormalizeFeedbackCode(code)
	if !ok {
		return FeedbackTarget{}, survey.NewError(survey.ENotFound, "msg.feedback.unknown")
	}
	var t FeedbackTarget
	var used bool
	var start string
	err := s.r.QueryRowContext(ctx, `SELECT t.used, d.id, o.title, o.module_id, d.starts_at FROM feedback_tokens t
		JOIN offer_dates d ON d.id = t.date_id JOIN offers o ON o.id = d.offer_id WHERE t.hash = ?`, feedbackHash(norm)).
		Scan(&used, &t.DateID, &t.Title, &t.ModuleID, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return FeedbackTarget{}, survey.NewError(survey.ENotFound, "msg.feedback.unknown")
	}
	if err != nil {
		return FeedbackTarget{}, fmt.Errorf("feedback code: %w", err)
	}
	if used {
		return FeedbackTarget{}, survey.NewError(survey.EConflict, "msg.feedback.used")
	}
	t.Start = offerTime(start)
	return t, nil
}

// SubmitFeedback stores one feedback under a valid unused code and uses the
// code up, in one transaction: of any number of submissions with the same
// code exactly one is stored. The feedback gets a random id and the day;
// values are the answers by question id (empty ones left out). No audit
// entry is written. A used code is EConflict ("msg.feedback.used"), an
// unknown or malformed one ENotFound ("msg.feedback.unknown"); neither
// stores anything.
func (s *Store) SubmitFeedback(ctx context.Context, code string, values map[string]string) error {
	norm, ok := survey.NormalizeFeedbackCode(code)
	if !ok {
		return survey.NewError(survey.ENotFound, "msg.feedback.unknown")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var dateID int64
		err := tx.QueryRowContext(ctx, "UPDATE feedback_tokens SET used = 1 WHERE hash = ? AND used = 0 RETURNING date_id", feedbackHash(norm)).Scan(&dateID)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM feedback_tokens WHERE hash = ?", feedbackHash(norm)).Scan(&n); err != nil {
				return fmt.Errorf("feedback: %w", err)
			}
			if n > 0 {
				return survey.NewError(survey.EConflict, "msg.feedback.used")
			}
			return survey.NewError(survey.ENotFound, "msg.feedback.unknown")
		}
		if err != nil {
			return fmt.Errorf("feedback: use code: %w", err)
		}
		id := rand.Text()
		if _, err := tx.ExecContext(ctx, "INSERT INTO feedback_responses (id, date_id, given_on) VALUES (?, ?, ?)", id, dateID, s.today()); err != nil {
			return fmt.Errorf("feedback: %w", err)
		}
		for q, v := range values {
			if v == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO feedback_values (response_id, question_id, value) VALUES (?, ?, ?)", id, q, v); err != nil {
				return fmt.Errorf("feedback: answer %s: %w", q, err)
			}
		}
		return nil
	})
}

// Feedback returns the round's training dates with the number of codes
// issued for each, and every feedback given on them, ordered by date and
// then by the feedbacks' random ids (so not by arrival).
func (s *Store) Feedback(ctx context.Context, roundID int64) ([]survey.FeedbackDate, []survey.FeedbackAnswer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, o.module_id, o.title, d.starts_at, coalesce(f.codes, 0)
		FROM offer_dates d JOIN offers o ON o.id = d.offer_id LEFT JOIN feedback_dates f ON f.date_id = d.id
		WHERE o.round_id = ? AND o.kind = 'training' ORDER BY d.starts_at, d.id`, roundID)
	if err != nil {
		return nil, nil, fmt.Errorf("feedback dates: %w", err)
	}
	defer rows.Close()
	var dates []survey.FeedbackDate
	for rows.Next() {
		var d survey.FeedbackDate
		var start string
		if err := rows.Scan(&d.ID, &d.ModuleID, &d.Title, &start, &d.Codes); err != nil {
			return nil, nil, fmt.Errorf("feedback dates: %w", err)
		}
		d.Day = offerTime(start).In(survey.Berlin()).Format(time.DateOnly)
		dates = append(dates, d)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("feedback dates: %w", err)
	}
	rows.Close()
	vrows, err := s.r.QueryContext(ctx, `SELECT r.id, r.date_id, o.module_id, v.question_id, v.value
		FROM feedback_responses r JOIN offer_dates d ON d.id = r.date_id JOIN offers o ON o.id = d.offer_id
		LEFT JOIN feedback_values v ON v.response_id = r.id
		WHERE o.round_id = ? ORDER BY r.date_id, r.id`, roundID)
	if err != nil {
		return nil, nil, fmt.Errorf("feedback answers: %w", err)
	}
	defer vrows.Close()
	var answers []survey.FeedbackAnswer
	last := ""
	for vrows.Next() {
		var id string
		var dateID int64
		var module string
		var q, v sql.NullString
		if err := vrows.Scan(&id, &dateID, &module, &q, &v); err != nil {
			return nil, nil, fmt.Errorf("feedback answers: %w", err)
		}
		if id != last {
			answers = append(answers, survey.FeedbackAnswer{DateID: dateID, ModuleID: module, Values: map[string]string{}})
			last = id
		}
		if q.Valid {
			answers[len(answers)-1].Values[q.String] = v.String
		}
	}
	if err := vrows.Err(); err != nil {
		return nil, nil, fmt.Errorf("feedback answers: %w", err)
	}
	return dates, answers, nil
}
