package store

import (
	"context"
	"database/sql"
	"fmt"
)

// DataVersion returns the data version: a number that changes with every
// committed write that changes what a plan reads (answers, submit, return
// and reopen, Kommunen, boundaries, scenarios), from this process or
// another one (the CLI). Results computed from that data (drawn maps,
// plans) can be cached under it: while it is the same, they are.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.r.QueryRowContext(ctx, "SELECT version FROM data_version WHERE id = 1").Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// writeData is write for the writes that change what a plan reads: it
// bumps the data version in the same transaction, so a cache keyed on it
// never serves a result of data that has changed.
func (s *Store) writeData(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, s.ps.bumpVersion).ExecContext(ctx); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
		return nil
	})
}

// bumpDataVersion increases the data version within tx.
func bumpDataVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "UPDATE data_version SET version = version + 1 WHERE id = 1"); err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return nil
}
