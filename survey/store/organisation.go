package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bedarf/survey"
)

// Organisation returns the stored organisation; ok is false while none was
// entered.
func (s *Store) Organisation(ctx context.Context) (org survey.Organisation, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, "SELECT office, body, address, signature, contact FROM organisation WHERE id = 1").
		Scan(&org.Office, &org.Body, &org.Address, &org.Signature, &org.Contact)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Organisation{}, false, nil
	}
	if err != nil {
		return survey.Organisation{}, false, fmt.Errorf("organisation: %w", err)
	}
	return org, true, nil
}

// OrganisationOrPlaceholder returns the stored organisation, or
// survey.PlaceholderOrganisation while none is entered.
func (s *Store) OrganisationOrPlaceholder(ctx context.Context) (survey.Organisation, error) {
	org, ok, err := s.Organisation(ctx)
	if err != nil || !ok {
		return survey.PlaceholderOrganisation(), err
	}
	return org, nil
}

// SaveOrganisation stores the organisation (normalized and validated),
// replacing the earlier one.
func (s *Store) SaveOrganisation(ctx context.Context, org survey.Organisation, a survey.Actor) error {
	org = org.Normalize()
	if err := org.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error { return s.saveOrganisationTx(ctx, tx, org, a) })
}

func (s *Store) saveOrganisationTx(ctx context.Context, tx *sql.Tx, org survey.Organisation, a survey.Actor) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO organisation (id, office, body, address, signature, contact, updated_at, updated_by)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET office = excluded.office, body = excluded.body, address = excluded.address,
			signature = excluded.signature, contact = excluded.contact, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		org.Office, org.Body, org.Address, org.Signature, org.Contact, s.stamp(), a.Label); err != nil {
		return fmt.Errorf("save organisation: %w", err)
	}
	return s.audit(ctx, tx, a, "organisation.save", 0, 0, org.Name())
}
