package analysis

import (
	"context"
	"errors"

	"bedarf/survey"
)

// BoundaryStore is what ImportBoundaries needs of the store.
type BoundaryStore interface {
	KommunenWithARS(ctx context.Context) ([]survey.Kommune, error)
	SaveBoundaries(ctx context.Context, geojson []byte, features int, a survey.Actor) error
}

// BoundaryImport is the outcome of ImportBoundaries.
type BoundaryImport struct {
	survey.BoundaryMatch
	// Detail tells how far the boundaries were simplified for the maps.
	Detail BoundaryDetail
}

// ImportBoundaries matches a GeoJSON file to the stored Kommunen,
// simplifies the matched areas to what the maps can draw (official files
// hold far more detail, see SimplifyBoundaries), checks that they can be
// drawn and stores them for the maps.
func ImportBoundaries(ctx context.Context, st BoundaryStore, src []byte, a survey.Actor) (BoundaryImport, error) {
	ks, err := st.KommunenWithARS(ctx)
	if err != nil {
		return BoundaryImport{}, err
	}
	if len(ks) == 0 {
		return BoundaryImport{}, survey.NewImportError(survey.NewMessage("upload.bounds.no_kommunen"))
	}
	m, err := survey.MatchBoundaries(src, ks)
	if err != nil {
		return BoundaryImport{}, err
	}
	geo, detail, err := SimplifyBoundaries(m.GeoJSON)
	if err != nil {
		return BoundaryImport{}, importProblem(err)
	}
	if _, err := NewMap(MapSpec{Title: "Prüfung", GeoJSON: geo}); err != nil {
		return BoundaryImport{}, importProblem(err)
	}
	if err := st.SaveBoundaries(ctx, geo, m.Features, a); err != nil {
		return BoundaryImport{}, err
	}
	m.GeoJSON = geo
	return BoundaryImport{m, detail}, nil
}

// importProblem turns why a boundary file cannot be drawn into the
// problem of a refused import: its keyed message (see geoError), or the
// German sentence of another error.
func importProblem(err error) *survey.ImportError {
	var e *survey.Error
	if errors.As(err, &e) && e.Text != nil {
		return survey.NewImportError(e.Text)
	}
	return &survey.ImportError{Problems: []string{err.Error()}}
}
