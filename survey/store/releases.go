package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bedarf/survey"
)

// The release of a round's results to the Kommunen (issue 22) and the
// record of which Kommunen opened their results. Nothing here is read by a
// plan or an evaluation, so no write bumps the data version.

// ReleaseResults releases the results of a round with the options, or
// changes the options of a release; in the audit log either way. A planned
// round, which has no answers yet, cannot be released.
func (s *Store) ReleaseResults(ctx context.Context, roundID int64, minGroup int, showMembers bool, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.releaseTx(ctx, tx, roundID, minGroup, showMembers, a) })
}

// releaseTx is ReleaseResults within tx.
func (s *Store) releaseTx(ctx context.Context, tx *sql.Tx, roundID int64, minGroup int, showMembers bool, a survey.Actor) error {
	if err := survey.CheckMinGroup(minGroup); err != nil {
		return err
	}
	var status survey.RoundStatus
	err := tx.QueryRowContext(ctx, "SELECT status FROM rounds WHERE id = ?", roundID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.NewError(survey.ENotFound, "msg.round.not_found")
	}
	if err != nil {
		return fmt.Errorf("round %d: %w", roundID, err)
	}
	if status == survey.RoundPlanned {
		return survey.NewError(survey.EConflict, "msg.release.planned")
	}
	var before int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM result_releases WHERE round_id = ?", roundID).Scan(&before); err != nil {
		return fmt.Errorf("release of round %d: %w", roundID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO result_releases (round_id, min_group, show_members, released_at, released_by)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id) DO UPDATE SET min_group = excluded.min_group,
		show_members = excluded.show_members, released_at = excluded.released_at, released_by = excluded.released_by`,
		roundID, minGroup, showMembers, s.stamp(), a.Label); err != nil {
		return fmt.Errorf("release round %d: %w", roundID, err)
	}
	members := "nein"
	if showMembers {
		members = "ja"
	}
	detail := fmt.Sprintf("Mindestgruppe %d Kommunen, Namen der Gruppenmitglieder sichtbar: %s", minGroup, members)
	if before > 0 {
		detail = "geänderte Freigabe: " + detail
	}
	return s.audit(ctx, tx, a, "results.release", roundID, 0, detail)
}

// WithdrawRelease withdraws the release of a round's results: the
// Kommunen see "not released" again, and results mails not yet sent are
// cancelled when their turn comes.
func (s *Store) WithdrawRelease(ctx context.Context, roundID int64, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM result_releases WHERE round_id = ?", roundID)
		if err != nil {
			return fmt.Errorf("withdraw release of round %d: %w", roundID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return survey.NewError(survey.EConflict, "msg.release.not_released")
		}
		return s.audit(ctx, tx, a, "results.withdraw", roundID, 0, "Freigabe der Ergebnisse zurückgenommen")
	})
}

// Release returns the release of a round's results; false when they are
// not released.
func (s *Store) Release(ctx context.Context, roundID int64) (survey.ResultRelease, bool, error) {
	return release(ctx, s.r, roundID)
}

func release(ctx context.Context, q rowQuerier, roundID int64) (survey.ResultRelease, bool, error) {
	r := survey.ResultRelease{RoundID: roundID}
	var at sql.NullString
	err := q.QueryRowContext(ctx, "SELECT min_group, show_members, released_at, released_by FROM result_releases WHERE round_id = ?", roundID).
		Scan(&r.MinGroup, &r.ShowGroupMembers, &at, &r.By)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.ResultRelease{}, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("release of round %d: %w", roundID, err)
	}
	r.At = parseTime(at)
	return r, true, nil
}

// ReportView is what a Kommune opened of its results: the page, the print
// view or the workbook.
type ReportView string

// What a Kommune may open of its results.
const (
	ReportPage     ReportView = "Seite"
	ReportPrint    ReportView = "Druckansicht"
	ReportWorkbook ReportView = "Arbeitsmappe"
)

// RecordReportOpen writes "results.open" into the audit log when a
// Kommune opens its results (view). Reloads do not flood the log: one entry
// per Kommune, round, view and day in Berlin. It reports whether an entry
// was written.
func (s *Store) RecordReportOpen(ctx context.Context, roundID, kommuneID int64, view ReportView, a survey.Actor) (bool, error) {
	wrote := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		y, m, d := s.now().In(survey.Berlin()).Date()
		dayStart := time.Date(y, m, d, 0, 0, 0, 0, survey.Berlin()).UTC().Format(timeLayout)
		var seen bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE round_id = ? AND kommune_id = ?
			AND action = 'results.open' AND detail = ? AND at >= ?)`, roundID, kommuneID, string(view), dayStart).Scan(&seen); err != nil {
			return fmt.Errorf("results opened today: %w", err)
		}
		if seen {
			return nil
		}
		wrote = true
		return s.audit(ctx, tx, a, "results.open", roundID, kommuneID, string(view))
	})
	return wrote, err
}

// ReportOpen is a Kommune that opened its results of a round.
type ReportOpen struct {
	Kommune survey.Kommune
	First   time.Time
	Last    time.Time
	Days    int // entries in the audit log: days and views
}

// ReportOpens returns the Kommunen of a round that opened their results
// (from the audit log), by AGS.
func (s *Store) ReportOpens(ctx context.Context, roundID int64) ([]ReportOpen, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+kommuneCols+`, min(a.at), max(a.at), count(*) FROM audit_log a
		JOIN kommunen k ON k.id = a.kommune_id WHERE a.round_id = ? AND a.action = 'results.open'
		GROUP BY k.id ORDER BY k.ags`, roundID)
	if err != nil {
		return nil, fmt.Errorf("results opened in round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []ReportOpen
	for rows.Next() {
		var o ReportOpen
		var first, last sql.NullString
		if err := scanKommune(rows, &o.Kommune, &first, &last, &o.Days); err != nil {
			return nil, err
		}
		o.First, o.Last = parseTime(first), parseTime(last)
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReportOpenCount returns how many Kommunen of a round opened their
// results, for the round's dashboard.
func (s *Store) ReportOpenCount(ctx context.Context, roundID int64) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT kommune_id) FROM audit_log
		WHERE round_id = ? AND action = 'results.open' AND kommune_id IS NOT NULL`, roundID).Scan(&n); err != nil {
		return 0, fmt.Errorf("results opened in round %d: %w", roundID, err)
	}
	return n, nil
}
