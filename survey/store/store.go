// Package store keeps bedarf's data in SQLite (modernc.org/sqlite, no cgo,
// no server). It opens one writer connection (immediate transactions, so
// writers queue instead of failing with SQLITE_BUSY) and a read-only pool,
// applies the embedded migrations at start and offers one transaction per
// exported method.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"bedarf/survey"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// MinSQLiteVersion is the oldest SQLite accepted: earlier versions have a
// WAL-reset bug that can corrupt a database.
const MinSQLiteVersion = "3.51.3"

// Store is the SQLite store.
type Store struct {
	w   *sql.DB // the single writer
	r   *sql.DB // read-only pool
	ps  statements
	now func() time.Time

	mu     sync.Mutex
	qcache map[int64]*survey.Questionnaire

	upgrade Upgrade // what Open did to the schema

	path   string      // the database file, for Readiness's free space
	health writeHealth // outcome of the last writes (storage.go)
}

// Upgrade describes what Open did to bring an existing database's schema up
// to date.
type Upgrade struct {
	// From is the last migration the database had before ("" for a new
	// database).
	From string
	// Applied are the migrations Open applied.
	Applied []string
	// Backup is the copy of the database taken before the first of them
	// ("" when none was needed: a new database or nothing to apply).
	Backup string
}

// Upgrade returns what Open did to the schema, for the log.
func (s *Store) Upgrade() Upgrade { return s.upgrade }

// Open opens (creating if needed) the database at path and migrates it.
// When that fails on a full file system, the error says so.
func Open(ctx context.Context, path string) (*Store, error) {
	st, err := open(ctx, path)
	if err != nil {
		return nil, explainOpen(path, err)
	}
	return st, nil
}

// dsn is the data source name of the store's handles on path: the same
// pragmas on every connection, then the extra key/value pairs.
func dsn(path string, extra ...string) string {
	params := []string{"_pragma", "journal_mode(WAL)", "_pragma", "synchronous(FULL)", "_pragma", "foreign_keys(1)", "_pragma", "busy_timeout(10000)"}
	return fileDSN(path, append(params, extra...)...)
}

func open(ctx context.Context, path string) (*Store, error) {
	w, err := sql.Open("sqlite", dsn(path, "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, now: time.Now, qcache: map[int64]*survey.Questionnaire{}, path: path}
	if err := s.checkVersion(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.migrate(ctx, path); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, "_pragma", "query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open read pool %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s.r = r
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the prepared statements and both handles.
func (s *Store) Close() error {
	return errors.Join(s.ps.close(), s.r.Close(), s.w.Close())
}

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

func (s *Store) checkVersion(ctx context.Context) error {
	var v string
	if err := s.w.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return fmt.Errorf("sqlite version: %w", err)
	}
	if versionLess(v, MinSQLiteVersion) {
		return fmt.Errorf("SQLite %s is too old: %s or later is required (WAL-reset corruption bug)", v, MinSQLiteVersion)
	}
	return nil
}

// versionLess compares dotted version numbers.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			fmt.Sscanf(pa[i], "%d", &x)
		}
		if i < len(pb) {
			fmt.Sscanf(pb[i], "%d", &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// KnownMigrations returns the names of the migrations embedded in this
// program, in the order they apply (as recorded in schema_migrations).
func KnownMigrations() []string {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	slices.Sort(names)
	return names
}

// migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction with its record. A small
// recorded-migrations table serves here: the schema is plain SQL, moves only
// forward, and needs no down migrations or extra dependency. Before the
// first migration is applied to a database that has data, a copy is taken
// beside it (see backupBeforeMigrating), so an upgrade can be undone.
func (s *Store) migrate(ctx context.Context, path string) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := s.w.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY name")
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		applied[name] = true
		s.upgrade.From = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	known := KnownMigrations()
	for name := range applied {
		if !slices.Contains(known, name) {
			return fmt.Errorf("the database was migrated by a newer version of bedarf (%s is unknown to this one): run that version, or restore the backup taken before the update", name)
		}
	}
	for _, name := range known {
		if applied[name] {
			continue
		}
		if len(applied) > 0 && s.upgrade.Backup == "" {
			if s.upgrade.Backup, err = s.backupBeforeMigrating(ctx, path, s.upgrade.From); err != nil {
				return fmt.Errorf("backup before migration %s (nothing was changed): %w", name, err)
			}
		}
		if err := s.applyMigration(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		s.upgrade.Applied = append(s.upgrade.Applied, name)
	}
	return nil
}

// backupBeforeMigrating writes a copy of the database at path beside it,
// named after the schema version it has (its last migration, e.g.
// bedarf.db.schema-0003.20261125-150312.bak), and returns its name. Like
// Backup it writes a consistent snapshot with VACUUM INTO to a temporary
// file, checks it (CheckFile), syncs it and only then gives it its name.
func (s *Store) backupBeforeMigrating(ctx context.Context, path, from string) (string, error) {
	version, _, _ := strings.Cut(strings.TrimPrefix(from, "migrations/"), "_")
	name := fmt.Sprintf("%s.schema-%s.%s.bak", path, version, s.now().UTC().Format("20060102-150405"))
	tmp, release, err := tempBeside(name)
	if err != nil {
		return "", err
	}
	defer release()
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return "", fmt.Errorf("vacuum into %s: %w", tmp, err)
	}
	if err := CheckFile(ctx, tmp); err != nil {
		return "", err
	}
	if err := syncFile(tmp); err != nil {
		return "", err
	}
	if err := linkNoReplace(tmp, name); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if err := syncDir(filepath.Dir(name)); err != nil {
		return "", err
	}
	return name, nil
}

func (s *Store) applyMigration(ctx context.Context, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	src, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(src)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", name, s.stamp()); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations returns the names of the applied migrations.
func (s *Store) Migrations(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

const timeLayout = "2006-01-02T15:04:05.000Z"

func (s *Store) stamp() string { return s.now().UTC().Format(timeLayout) }

func parseTime(v sql.NullString) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(timeLayout, v.String)
	return t
}

func parseDate(v string) time.Time {
	t, _ := time.Parse(time.DateOnly, v)
	return t
}

// write runs fn in an immediate write transaction. A failure of the
// storage (see Unavailable) is remembered for Readiness.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.noteWrite(s.writeTx(ctx, fn))
}

func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.injectedFault(ctx, OpWrite); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
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
	return nil
}

// audit records an entry in the audit log within tx.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, a survey.Actor, action string, roundID, kommuneID int64, detail string) error {
	var actorID, rid, kid any
	if a.ID != 0 {
		actorID = a.ID
	}
	if roundID != 0 {
		rid = roundID
	}
	if kommuneID != 0 {
		kid = kommuneID
	}
	_, err := tx.StmtContext(ctx, s.ps.audit).ExecContext(ctx, s.stamp(), a.Kind, actorID, a.Label, action, rid, kid, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit records an entry in the audit log on its own.
func (s *Store) Audit(ctx context.Context, a survey.Actor, action string, roundID, kommuneID int64, detail string) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, a, action, roundID, kommuneID, detail) })
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At         time.Time
	ActorKind  string
	ActorLabel string
	Action     string
	RoundID    int64
	KommuneID  int64
	Detail     string
}

// AuditLog returns the newest entries first, at most limit, optionally for
// one Kommune (kommuneID > 0).
func (s *Store) AuditLog(ctx context.Context, kommuneID int64, limit int) ([]AuditEntry, error) {
	where, args := "", []any{}
	if kommuneID > 0 {
		where, args = "WHERE kommune_id = ?", append(args, kommuneID)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT at, actor_kind, actor_label, action, coalesce(round_id, 0), coalesce(kommune_id, 0), detail
		FROM audit_log `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at sql.NullString
		if err := rows.Scan(&at, &e.ActorKind, &e.ActorLabel, &e.Action, &e.RoundID, &e.KommuneID, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
