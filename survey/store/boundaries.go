package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bedarf/survey"
)

// BoundariesInfo describes the stored boundaries.
type BoundariesInfo struct {
	// Features is the number of features (areas) stored.
	Features int
	// Size is the size of the GeoJSON in bytes.
	Size int
	// UploadedAt and UploadedBy say when and by whom they were uploaded.
	UploadedAt time.Time
	UploadedBy string
}

// SaveBoundaries stores the Kommunen's boundaries for the maps (a GeoJSON
// FeatureCollection as survey.MatchBoundaries returns it, with features
// features), replacing earlier ones.
func (s *Store) SaveBoundaries(ctx context.Context, geojson []byte, features int, a survey.Actor) error {
	return s.writeData(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM boundaries"); err != nil {
			return fmt.Errorf("replace boundaries: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO boundaries (geojson, features, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?)",
			geojson, features, s.stamp(), a.Label); err != nil {
			return fmt.Errorf("store boundaries: %w", err)
		}
		return s.audit(ctx, tx, a, "boundaries.upload", 0, 0, fmt.Sprintf("%d Flächen, %d Bytes", features, len(geojson)))
	})
}

// DeleteBoundaries removes the stored boundaries: the maps then show their
// tables and a notice instead of shapes.
func (s *Store) DeleteBoundaries(ctx context.Context, a survey.Actor) error {
	return s.writeData(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM boundaries"); err != nil {
			return fmt.Errorf("delete boundaries: %w", err)
		}
		return s.audit(ctx, tx, a, "boundaries.delete", 0, 0, "")
	})
}

// Boundaries returns the stored boundaries as GeoJSON, or nil when none
// were uploaded (the maps then draw no shapes, see
// analysis.MapSpec.GeoJSON).
func (s *Store) Boundaries(ctx context.Context) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, "SELECT geojson FROM boundaries ORDER BY id DESC LIMIT 1").Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	return data, nil
}

// BoundariesStored describes the stored boundaries; ok is false when none
// were uploaded.
func (s *Store) BoundariesStored(ctx context.Context) (info BoundariesInfo, ok bool, err error) {
	var at sql.NullString
	err = s.r.QueryRowContext(ctx, "SELECT features, length(geojson), uploaded_at, uploaded_by FROM boundaries ORDER BY id DESC LIMIT 1").
		Scan(&info.Features, &info.Size, &at, &info.UploadedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return BoundariesInfo{}, false, nil
	}
	if err != nil {
		return BoundariesInfo{}, false, fmt.Errorf("boundaries: %w", err)
	}
	info.UploadedAt = parseTime(at)
	return info, true, nil
}
