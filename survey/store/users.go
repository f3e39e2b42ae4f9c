package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// Role is a staff member's role.
type Role string

// Roles: admins change things, viewers only read.
const (
	RoleAdmin  Role = "admin"
	RoleViewer Role = "viewer"
)

// User is a staff account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
}

// CreateUser adds a staff account with an argon2id hash of password.
func (s *Store) CreateUser(ctx context.Context, email, name string, role Role, password string, a survey.Actor) (User, error) {
	email, name = strings.TrimSpace(email), strings.TrimSpace(name)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return User{}, survey.NewError(survey.EInvalid, "msg.user.bad_email", email).At("email")
	}
	if name == "" {
		return User{}, survey.NewError(survey.EInvalid, "msg.user.no_name").At("name")
	}
	if role != RoleAdmin && role != RoleViewer {
		return User{}, survey.NewError(survey.EInvalid, "msg.user.role").At("rolle")
	}
	if len(password) < 12 {
		return User{}, survey.NewError(survey.EInvalid, "msg.user.password").At("passwort")
	}
	u := User{Email: email, Name: name, Role: role, PasswordHash: auth.HashPassword(password), CreatedAt: s.now()}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ?", email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return survey.NewError(survey.EConflict, "msg.user.exists", email)
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			u.Email, u.Name, u.Role, u.PasswordHash, s.stamp())
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		u.ID, _ = res.LastInsertId()
		return s.audit(ctx, tx, a, "user.add", 0, 0, fmt.Sprintf("%s (%s)", email, role))
	})
	return u, err
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, userID int64, password string, a survey.Actor) error {
	if len(password) < 12 {
		return survey.NewError(survey.EInvalid, "msg.user.password").At("passwort")
	}
	hash := auth.HashPassword(password)
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return survey.NewError(survey.ENotFound, "msg.user.not_found")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "user.password", 0, 0, fmt.Sprintf("Konto %d", userID))
	})
}

const userCols = "id, email, name, role, password_hash, created_at, disabled_at IS NOT NULL"

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var created sql.NullString
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &u.Disabled)
	u.CreatedAt = parseTime(created)
	return u, err
}

// UserByEmail returns the account with the e-mail address (any case).
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE email = ?", strings.TrimSpace(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, survey.NewError(survey.ENotFound, "msg.user.not_found")
	}
	return u, err
}

// Users returns all accounts ordered by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+userCols+" FROM users ORDER BY name, email")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Session lifetimes.
const (
	StaffIdle       = 2 * time.Hour
	StaffAbsolute   = 12 * time.Hour
	KommuneIdle     = 7 * 24 * time.Hour
	KommuneAbsolute = 30 * 24 * time.Hour
)

// Session is a signed-in browser: a staff member or a Kommune link holder.
type Session struct {
	Kind     string // "staff" or "kommune"
	User     User   // for staff
	Token    TokenRef
	Created  time.Time
	LastSeen time.Time
}

// CreateStaffSession starts a session for a user and returns its cookie
// value. Earlier session ids are not reused (rotation at login).
func (s *Store) CreateStaffSession(ctx context.Context, u User) (string, error) {
	id := auth.NewToken()
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, kind, user_id, created_at, last_seen_at, expires_at)
			VALUES (?, 'staff', ?, ?, ?, ?)`, auth.Hash(id), u.ID, s.stamp(), s.stamp(), now.Add(StaffAbsolute).UTC().Format(timeLayout)); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return s.audit(ctx, tx, survey.Actor{Kind: "staff", ID: u.ID, Label: u.Email}, "login", 0, 0, "")
	})
	return id, err
}

// CreateKommuneSession starts a session for a link holder.
func (s *Store) CreateKommuneSession(ctx context.Context, t TokenRef) (string, error) {
	id := auth.NewToken()
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, kind, token_id, created_at, last_seen_at, expires_at)
			VALUES (?, 'kommune', ?, ?, ?, ?)`, auth.Hash(id), t.TokenID, s.stamp(), s.stamp(), now.Add(KommuneAbsolute).UTC().Format(timeLayout))
		return err
	})
	return id, err
}

// ErrSessionNotTouched is part of SessionByID's error when the session was
// found but its last use could not be recorded.
var ErrSessionNotTouched = errors.New("session found, its use not recorded")

// SessionByID returns the live session with the cookie value id. Expired
// sessions (idle or absolute), sessions of disabled users and of revoked
// links are not found. The last-seen time is refreshed at most once a
// minute to keep reads cheap; when that write fails, the session is
// returned complete with an error that wraps ErrSessionNotTouched and the
// cause, so the caller may go on with it.
func (s *Store) SessionByID(ctx context.Context, id string) (Session, error) {
	var sess Session
	var created, lastSeen, expires sql.NullString
	var uID sql.NullInt64
	var uEmail, uName, uRole, uHash, uCreated sql.NullString
	var uDisabled sql.NullBool
	var tID, rID, roundID, kommuneID sql.NullInt64
	hash := auth.Hash(id)
	if err := s.injectedFault(ctx, OpReadSession); err != nil {
		return sess, fmt.Errorf("session: %w", err)
	}
	// The session and its user or link are one query (one consistent
	// state: a user disabled or a link revoked in between cannot be half
	// seen), prepared once. Deleting an expired session and recording the
	// last use are separate small writes after it: a page view stays a
	// read, and the single writer is taken at most once a minute per
	// session rather than on every request.
	err := s.ps.session.QueryRowContext(ctx, hash).Scan(&sess.Kind, &created, &lastSeen, &expires,
		&uID, &uEmail, &uName, &uRole, &uHash, &uCreated, &uDisabled, &tID, &rID, &roundID, &kommuneID)
	notFound := survey.NewError(survey.ENotFound, "msg.session.expired")
	if errors.Is(err, sql.ErrNoRows) {
		return sess, notFound
	}
	if err != nil {
		return sess, fmt.Errorf("session: %w", err)
	}
	if err := s.injectedFault(ctx, OpReadSessionOwner); err != nil {
		return sess, fmt.Errorf("session: %w", err)
	}
	now := s.now()
	sess.Created, sess.LastSeen = parseTime(created), parseTime(lastSeen)
	idle := StaffIdle
	if sess.Kind == "kommune" {
		idle = KommuneIdle
	}
	if now.After(parseTime(expires)) || now.Sub(sess.LastSeen) > idle {
		_ = s.DeleteSession(ctx, id)
		return sess, notFound
	}
	switch sess.Kind {
	case "staff":
		if !uID.Valid || uDisabled.Bool {
			return sess, notFound
		}
		sess.User = User{ID: uID.Int64, Email: uEmail.String, Name: uName.String, Role: Role(uRole.String),
			PasswordHash: uHash.String, CreatedAt: parseTime(uCreated)}
	case "kommune":
		if !tID.Valid || !rID.Valid {
			return sess, notFound
		}
		sess.Token = TokenRef{TokenID: tID.Int64, ResponseID: rID.Int64, RoundID: roundID.Int64, KommuneID: kommuneID.Int64}
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		if _, err := s.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", s.stamp(), hash); err != nil {
			return sess, fmt.Errorf("%w: %w", ErrSessionNotTouched, err)
		}
	}
	return sess, nil
}

// DeleteSession ends a session on the server.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", auth.Hash(id))
	return err
}
