package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// This file holds what staff need to run rounds: status and deadline
// changes, per-Kommune deadlines, invitations, reopening a submission, user
// management, the audit log search and the list of questionnaire versions.
// Every change writes its audit row in the same transaction.

func dateDE(t time.Time) string { return t.Format("02.01.2006") }

// OpenRound opens a planned or closed round for answers.
func (s *Store) OpenRound(ctx context.Context, roundID int64, a survey.Actor) error {
	return s.setRoundStatus(ctx, roundID, survey.RoundOpen, a)
}

// CloseRound closes an open round: Kommunen can no longer change answers.
func (s *Store) CloseRound(ctx context.Context, roundID int64, a survey.Actor) error {
	return s.setRoundStatus(ctx, roundID, survey.RoundClosed, a)
}

func (s *Store) setRoundStatus(ctx context.Context, roundID int64, to survey.RoundStatus, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var from survey.RoundStatus
		err := tx.QueryRowContext(ctx, "SELECT status FROM rounds WHERE id = ?", roundID).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.round.not_found")
		}
		if err != nil {
			return fmt.Errorf("round %d: %w", roundID, err)
		}
		switch {
		case from == to:
			return survey.NewError(survey.EConflict, "msg.round.already", to.Text())
		case to == survey.RoundClosed && from != survey.RoundOpen:
			return survey.NewError(survey.EConflict, "msg.round.close_open_only")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET status = ? WHERE id = ?", to, roundID); err != nil {
			return fmt.Errorf("round status: %w", err)
		}
		action := "round.open"
		if to == survey.RoundClosed {
			action = "round.close"
		}
		return s.audit(ctx, tx, a, action, roundID, 0, fmt.Sprintf("%s → %s", from.Label(), to.Label()))
	})
}

// SetRoundDeadline changes the deadline of a whole round (a date; the day
// counts until its end in Berlin). It may not lie before the opening date.
func (s *Store) SetRoundDeadline(ctx context.Context, roundID int64, deadline time.Time, a survey.Actor) error {
	if deadline.IsZero() {
		return survey.NewError(survey.EInvalid, "msg.round.need_deadline")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var opens, old string
		err := tx.QueryRowContext(ctx, "SELECT opens_on, deadline FROM rounds WHERE id = ?", roundID).Scan(&opens, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.round.not_found")
		}
		if err != nil {
			return fmt.Errorf("round %d: %w", roundID, err)
		}
		if deadline.Before(parseDate(opens)) {
			return survey.NewError(survey.EInvalid, "msg.round.deadline_before", dateDE(parseDate(opens)))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET deadline = ? WHERE id = ?", deadline.Format(time.DateOnly), roundID); err != nil {
			return fmt.Errorf("round deadline: %w", err)
		}
		return s.audit(ctx, tx, a, "round.deadline", roundID, 0, fmt.Sprintf("Frist %s → %s", dateDE(parseDate(old)), dateDE(deadline)))
	})
}

// SetKommuneDeadline gives one Kommune a later deadline than the round's;
// a zero deadline removes it, so the round's deadline applies again.
func (s *Store) SetKommuneDeadline(ctx context.Context, responseID int64, deadline time.Time, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var roundID, kommuneID int64
		var roundDeadline string
		var old sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT r.round_id, r.kommune_id, ro.deadline, r.deadline_override FROM responses r
			JOIN rounds ro ON ro.id = r.round_id WHERE r.id = ?`, responseID).Scan(&roundID, &kommuneID, &roundDeadline, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.response.not_found")
		}
		if err != nil {
			return fmt.Errorf("response %d: %w", responseID, err)
		}
		var value any
		detail := "eigene Frist aufgehoben"
		if !deadline.IsZero() {
			if !deadline.After(parseDate(roundDeadline)) {
				return survey.NewError(survey.EInvalid, "msg.round.kommune_deadline", dateDE(parseDate(roundDeadline)))
			}
			value = deadline.Format(time.DateOnly)
			detail = "eigene Frist bis " + dateDE(deadline)
		} else if !old.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE responses SET deadline_override = ? WHERE id = ?", value, responseID); err != nil {
			return fmt.Errorf("Kommune deadline: %w", err)
		}
		return s.audit(ctx, tx, a, "response.deadline", roundID, kommuneID, detail)
	})
}

// KommuneRound returns the round as it applies to one of its responses:
// where the Kommune has its own, later deadline, Deadline is that one, so
// AcceptsAnswers, DeadlineEnd and DaysLeft hold for this Kommune.
func (s *Store) KommuneRound(ctx context.Context, roundID, responseID int64) (survey.Round, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return r, err
	}
	var own sql.NullString
	err = s.r.QueryRowContext(ctx, "SELECT deadline_override FROM responses WHERE id = ? AND round_id = ?", responseID, roundID).Scan(&own)
	if errors.Is(err, sql.ErrNoRows) {
		return r, survey.NewError(survey.ENotFound, "msg.response.not_found")
	}
	if err != nil {
		return r, fmt.Errorf("deadline of response %d: %w", responseID, err)
	}
	if d := parseDate(own.String); own.Valid && d.After(r.Deadline) {
		r.Deadline = d
	}
	return r, nil
}

// Invitation is an invited Kommune of a round with its status, its own
// deadline and its link.
type Invitation struct {
	ResponseID  int64
	Kommune     survey.Kommune
	Status      survey.ResponseStatus
	UpdatedAt   time.Time
	SubmittedAt time.Time
	Deadline    time.Time // the Kommune's own deadline; zero when the round's applies
	HasLink     bool
	LinkCreated time.Time
	Token       string // only from Invitation and InvitationLinks, decrypted; never from Invitations
}

const invitationQuery = `SELECT r.id, ` + kommuneCols + `, r.status, r.updated_at, r.submitted_at, r.deadline_override,
	t.id IS NOT NULL, t.created_at, t.token_enc
	FROM responses r JOIN kommunen k ON k.id = r.kommune_id
	LEFT JOIN tokens t ON t.response_id = r.id AND t.revoked_at IS NULL `

func scanInvitation(sc interface{ Scan(...any) error }) (Invitation, []byte, error) {
	var inv Invitation
	var updated, submitted, own, created sql.NullString
	var enc []byte
	err := sc.Scan(kommuneScanArgs(&inv.Kommune, &inv.Status, &updated, &submitted, &own, &inv.HasLink, &created, &enc)...)
	inv.UpdatedAt, inv.SubmittedAt, inv.LinkCreated = parseTime(updated), parseTime(submitted), parseTime(created)
	if own.Valid {
		inv.Deadline = parseDate(own.String)
	}
	return inv, enc, err
}

// Invitations lists the invited Kommunen of a round by AGS, telling whether
// each has an active link without decrypting any.
func (s *Store) Invitations(ctx context.Context, roundID int64) ([]Invitation, error) {
	return s.invitations(ctx, roundID, nil)
}

// InvitationLinks lists the invited Kommunen of a round by AGS with their
// current links decrypted (Token is empty for a Kommune without one), for
// the letters and link lists of the whole round. It makes no link.
func (s *Store) InvitationLinks(ctx context.Context, roundID int64, sealer *auth.Sealer) ([]Invitation, error) {
	if sealer == nil {
		return nil, fmt.Errorf("links of round %d: no sealer", roundID)
	}
	return s.invitations(ctx, roundID, sealer)
}

func (s *Store) invitations(ctx context.Context, roundID int64, sealer *auth.Sealer) ([]Invitation, error) {
	rows, err := s.r.QueryContext(ctx, invitationQuery+"WHERE r.round_id = ? ORDER BY k.ags", roundID)
	if err != nil {
		return nil, fmt.Errorf("invitations of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		var id int64
		inv, enc, err := scanInvitation(scanPrefix{rows, &id})
		if err != nil {
			return nil, err
		}
		inv.ResponseID = id
		if enc != nil && sealer != nil {
			if inv.Token, err = sealer.Open(enc); err != nil {
				return nil, fmt.Errorf("link of %s: %w", inv.Kommune.AGS, err)
			}
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Invitation returns the invitation of one Kommune (by AGS) in a round with
// its current link decrypted (Token is empty when it has none, or when
// sealer is nil: then nothing is decrypted). A Kommune not invited to the
// round is not found.
func (s *Store) Invitation(ctx context.Context, roundID int64, ags string, sealer *auth.Sealer) (Invitation, error) {
	var id int64
	inv, enc, err := scanInvitation(scanPrefix{s.r.QueryRowContext(ctx, invitationQuery+"WHERE r.round_id = ? AND k.ags = ?", roundID, ags), &id})
	if errors.Is(err, sql.ErrNoRows) {
		return inv, survey.NewError(survey.ENotFound, "msg.response.not_invited")
	}
	if err != nil {
		return inv, fmt.Errorf("invitation of %s: %w", ags, err)
	}
	inv.ResponseID = id
	if enc != nil && sealer != nil {
		if inv.Token, err = sealer.Open(enc); err != nil {
			return inv, fmt.Errorf("link of %s: %w", ags, err)
		}
	}
	return inv, nil
}

// scanPrefix scans one leading column before the rest.
type scanPrefix struct {
	sc    interface{ Scan(...any) error }
	first any
}

func (p scanPrefix) Scan(dest ...any) error { return p.sc.Scan(append([]any{p.first}, dest...)...) }

// ReopenResponse makes a submitted response editable again for its Kommune
// (status "in Bearbeitung"), without a message.
func (s *Store) ReopenResponse(ctx context.Context, responseID int64, a survey.Actor) error {
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
			return survey.NewError(survey.EConflict, "msg.response.reopen_only")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE responses SET status = 'draft', return_message = '', updated_at = ?, updated_by = ? WHERE id = ?",
			s.stamp(), a.Label, responseID); err != nil {
			return fmt.Errorf("reopen response: %w", err)
		}
		return s.audit(ctx, tx, a, "response.reopen", roundID, kommuneID, "eingereicht → in Bearbeitung")
	})
}

// RoundCounts are a round's invited and submitted responses.
type RoundCounts struct {
	Invited, Submitted int
}

// RoundCounts returns the counts of every round by round id, from one
// aggregate query.
func (s *Store) RoundCounts(ctx context.Context) (map[int64]RoundCounts, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT round_id, count(*), coalesce(sum(status = 'submitted'), 0) FROM responses GROUP BY round_id")
	if err != nil {
		return nil, fmt.Errorf("round counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]RoundCounts{}
	for rows.Next() {
		var id int64
		var c RoundCounts
		if err := rows.Scan(&id, &c.Invited, &c.Submitted); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

// VersionInfo is a stored questionnaire version with the rounds that use it.
type VersionInfo struct {
	QuestionnaireVersion
	Rounds []survey.Round
}

// QuestionnaireVersions lists the stored questionnaire versions, newest
// first, each with the rounds that use it.
func (s *Store) QuestionnaireVersions(ctx context.Context) ([]VersionInfo, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, slug, version, title, format, created_at FROM questionnaires ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("questionnaire versions: %w", err)
	}
	defer rows.Close()
	var out []VersionInfo
	idx := map[int64]int{}
	for rows.Next() {
		var v VersionInfo
		var created sql.NullString
		if err := rows.Scan(&v.ID, &v.Slug, &v.Version, &v.Title, &v.Format, &created); err != nil {
			return nil, err
		}
		v.CreatedAt = parseTime(created)
		idx[v.ID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rounds, err := s.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if i, ok := idx[r.QuestionnaireID]; ok {
			out[i].Rounds = append(out[i].Rounds, r)
		}
	}
	return out, nil
}

// UserByID returns the account with the id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, survey.NewError(survey.ENotFound, "msg.user.not_found")
	}
	return u, err
}

// keepOneAdmin refuses a change that would leave no active admin: it is
// called when user id is about to stop being an active admin.
func keepOneAdmin(ctx context.Context, tx *sql.Tx, id int64) error {
	var role Role
	var disabled bool
	if err := tx.QueryRowContext(ctx, "SELECT role, disabled_at IS NOT NULL FROM users WHERE id = ?", id).Scan(&role, &disabled); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.user.not_found")
		}
		return err
	}
	if role != RoleAdmin || disabled {
		return nil
	}
	var others int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id != ?", id).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return survey.NewError(survey.EConflict, "msg.user.last_admin")
	}
	return nil
}

// SetUserDisabled disables an account, which ends its sessions at once, or
// enables it again. The last active admin cannot be disabled.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var email string
		var was bool
		err := tx.QueryRowContext(ctx, "SELECT email, disabled_at IS NOT NULL FROM users WHERE id = ?", userID).Scan(&email, &was)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.user.not_found")
		}
		if err != nil {
			return err
		}
		if was == disabled {
			return nil
		}
		action := "user.enable"
		if disabled {
			if err := keepOneAdmin(ctx, tx, userID); err != nil {
				return err
			}
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled_at = ? WHERE id = ?", s.stamp(), userID); err != nil {
				return fmt.Errorf("disable user: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled_at = NULL WHERE id = ?", userID); err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		return s.audit(ctx, tx, a, action, 0, 0, email)
	})
}

// SetUserRole changes an account's role. The last active admin cannot be
// made a viewer.
func (s *Store) SetUserRole(ctx context.Context, userID int64, role Role, a survey.Actor) error {
	if role != RoleAdmin && role != RoleViewer {
		return survey.NewError(survey.EInvalid, "msg.user.role")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var email string
		var old Role
		err := tx.QueryRowContext(ctx, "SELECT email, role FROM users WHERE id = ?", userID).Scan(&email, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.user.not_found")
		}
		if err != nil {
			return err
		}
		if old == role {
			return nil
		}
		if role != RoleAdmin {
			if err := keepOneAdmin(ctx, tx, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET role = ? WHERE id = ?", role, userID); err != nil {
			return fmt.Errorf("set role: %w", err)
		}
		return s.audit(ctx, tx, a, "user.role", 0, 0, fmt.Sprintf("%s: %s → %s", email, old, role))
	})
}

// AuditFilter selects audit log entries; zero fields do not filter.
type AuditFilter struct {
	Actor     string    // part of the actor's name or e-mail (any case)
	Action    string    // an action ("link.issue") or a prefix ending in "." ("link.")
	From, To  time.Time // dates in Berlin, both days included
	RoundID   int64
	KommuneID int64
	Before    int64 // only entries older than this id (the next page)
	Limit     int   // at most this many (default 50)
}

// AuditRow is one audit log entry with the names it refers to.
type AuditRow struct {
	ID          int64
	At          time.Time
	ActorKind   string
	ActorLabel  string
	Action      string
	RoundID     int64
	RoundTitle  string
	KommuneID   int64
	KommuneName string
	KommuneAGS  string
	Detail      string
}

// AuditSearch returns the entries matching f, newest first, and whether
// older ones follow (page on with Before set to the last ID).
func (s *Store) AuditSearch(ctx context.Context, f AuditFilter) ([]AuditRow, bool, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var where []string
	var args []any
	if f.Actor != "" {
		where = append(where, `a.actor_label LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(f.Actor)+"%")
	}
	if p, ok := strings.CutSuffix(f.Action, "."); ok && p != "" {
		where = append(where, `a.action LIKE ? ESCAPE '\'`)
		args = append(args, likeEscape(p)+".%")
	} else if f.Action != "" {
		where = append(where, "a.action = ?")
		args = append(args, f.Action)
	}
	berlinDay := func(d time.Time) string {
		y, m, day := d.Date()
		return time.Date(y, m, day, 0, 0, 0, 0, survey.Berlin()).UTC().Format(timeLayout)
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= ?")
		args = append(args, berlinDay(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < ?")
		args = append(args, berlinDay(f.To.AddDate(0, 0, 1)))
	}
	if f.RoundID > 0 {
		where = append(where, "a.round_id = ?")
		args = append(args, f.RoundID)
	}
	if f.KommuneID > 0 {
		where = append(where, "a.kommune_id = ?")
		args = append(args, f.KommuneID)
	}
	if f.Before > 0 {
		where = append(where, "a.id < ?")
		args = append(args, f.Before)
	}
	q := `SELECT a.id, a.at, a.actor_kind, a.actor_label, a.action, coalesce(a.round_id, 0), coalesce(ro.title, ''),
		coalesce(a.kommune_id, 0), coalesce(k.name, ''), coalesce(k.ags, ''), a.detail
		FROM audit_log a LEFT JOIN rounds ro ON ro.id = a.round_id LEFT JOIN kommunen k ON k.id = a.kommune_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.id DESC LIMIT ?"
	rows, err := s.r.QueryContext(ctx, q, append(args, f.Limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("audit search: %w", err)
	}
	defer rows.Close()
	var out []AuditRow
	for rows.Next() {
		var e AuditRow
		var at sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.ActorKind, &e.ActorLabel, &e.Action, &e.RoundID, &e.RoundTitle,
			&e.KommuneID, &e.KommuneName, &e.KommuneAGS, &e.Detail); err != nil {
			return nil, false, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
