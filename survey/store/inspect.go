package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Inspection is a database opened read-only for bedarf doctor: it never
// writes and never migrates, so it reads a database of an older or newer
// version as it is.
type Inspection struct {
	db *sql.DB
}

// OpenInspection opens the database at path read-only.
func OpenInspection(path string) (*Inspection, error) {
	db, err := sql.Open("sqlite", fileDSN(path, "mode", "ro", "_pragma", "busy_timeout(5000)"))
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	return &Inspection{db: db}, nil
}

// Close closes the database.
func (in *Inspection) Close() error { return in.db.Close() }

// QuickCheck runs SQLite's quick_check and returns its first line ("ok"
// for an intact database).
func (in *Inspection) QuickCheck(ctx context.Context) (string, error) {
	var check string
	if err := in.db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&check); err != nil {
		return "", fmt.Errorf("quick_check: %w", err)
	}
	return check, nil
}

// AppliedMigrations returns the names of the migrations the database
// records (as KnownMigrations names them).
func (in *Inspection) AppliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := in.db.QueryContext(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("applied migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("applied migrations: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Kommunen counts the stored Kommunen.
func (in *Inspection) Kommunen(ctx context.Context) (int, error) {
	var n int
	if err := in.db.QueryRowContext(ctx, "SELECT count(*) FROM kommunen").Scan(&n); err != nil {
		return 0, fmt.Errorf("count Kommunen: %w", err)
	}
	return n, nil
}

// ActiveAdmins counts the accounts with the admin role that are not
// disabled.
func (in *Inspection) ActiveAdmins(ctx context.Context) (int, error) {
	var n int
	if err := in.db.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

// SetupState reads the SetupState; tables a newer version adds count as
// empty.
func (in *Inspection) SetupState(ctx context.Context) (SetupState, error) {
	return readSetupState(ctx, in.db)
}

// LinkedSQLiteVersion asks the SQLite library linked into the binary for
// its version.
func LinkedSQLiteVersion(ctx context.Context) (string, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "", fmt.Errorf("open in-memory database: %w", err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite version: %w", err)
	}
	return v, nil
}
