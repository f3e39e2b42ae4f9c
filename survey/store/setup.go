package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bedarf/survey"
)

// SetupState is what an installation has of what its first round needs:
// the setup page, bedarf serve and bedarf doctor judge its steps from it.
type SetupState struct {
	// Organisation is the entered organisation, nil while none is.
	Organisation *survey.Organisation
	// Kommunen, Questionnaires and Rounds count what is stored.
	Kommunen, Questionnaires, Rounds int
	// Boundaries tells whether boundaries for the maps are stored.
	Boundaries bool
	// LegalTexts are the legal pages' texts staff saved, by page and
	// language ("impressum.de").
	LegalTexts map[string]string
}

// SetupState reads the SetupState.
func (s *Store) SetupState(ctx context.Context) (SetupState, error) {
	return readSetupState(ctx, s.r)
}

// readSetupState reads the SetupState through the handle db (bedarf
// doctor reads a database read-only, without migrating it: tables a newer
// version adds count as empty).
func readSetupState(ctx context.Context, db *sql.DB) (SetupState, error) {
	st := SetupState{LegalTexts: map[string]string{}}
	tables := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return st, fmt.Errorf("setup state: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return st, err
		}
		tables[n] = true
	}
	rows.Close()
	for _, c := range []struct {
		table string
		n     *int
	}{{"kommunen", &st.Kommunen}, {"questionnaires", &st.Questionnaires}, {"rounds", &st.Rounds}} {
		if !tables[c.table] {
			continue
		}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.n); err != nil {
			return st, fmt.Errorf("setup state %s: %w", c.table, err)
		}
	}
	if tables["boundaries"] {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM boundaries").Scan(&n); err != nil {
			return st, fmt.Errorf("setup state boundaries: %w", err)
		}
		st.Boundaries = n > 0
	}
	if tables["organisation"] {
		var org survey.Organisation
		err := db.QueryRowContext(ctx, "SELECT office, body, address, signature, contact FROM organisation WHERE id = 1").
			Scan(&org.Office, &org.Body, &org.Address, &org.Signature, &org.Contact)
		switch {
		case err == nil:
			st.Organisation = &org
		case !errors.Is(err, sql.ErrNoRows):
			return st, fmt.Errorf("setup state organisation: %w", err)
		}
	}
	if tables["legal_pages"] {
		rows, err := db.QueryContext(ctx, "SELECT page, lang, body FROM legal_pages")
		if err != nil {
			return st, fmt.Errorf("setup state legal pages: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var page, lang, body string
			if err := rows.Scan(&page, &lang, &body); err != nil {
				return st, err
			}
			st.LegalTexts[page+"."+lang] = body
		}
		return st, rows.Err()
	}
	return st, nil
}
