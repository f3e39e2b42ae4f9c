package store

import (
	"context"
	"database/sql"
	"fmt"

	"bedarf/survey"
)

// KommunenImport is what ImportKommunen did.
type KommunenImport struct {
	// Added, Updated and Unchanged count the Kommunen of the file.
	Added, Updated, Unchanged int
	// Kept are stored Kommunen the file does not name. They stay: they
	// may have been invited to rounds and have answers.
	Kept []survey.Kommune
}

// ImportKommunenCSV reads Kommunen from a CSV file (survey.ParseKommunenCSV)
// and imports them as ImportKommunen does.
func (s *Store) ImportKommunenCSV(ctx context.Context, src []byte, a survey.Actor) (KommunenImport, error) {
	ks, err := survey.ParseKommunenCSV(src)
	if err != nil {
		return KommunenImport{}, err
	}
	return s.ImportKommunen(ctx, ks, a)
}

// ImportKommunen stores Kommunen read by survey.ParseKommunenCSV in one
// transaction: a Kommune whose key (AGS, see survey.Kommune) is stored
// already is updated, others are added. An ARS that belongs to another
// stored Kommune refuses the whole import with an *survey.ImportError.
func (s *Store) ImportKommunen(ctx context.Context, ks []survey.Kommune, a survey.Actor) (KommunenImport, error) {
	var res KommunenImport
	err := s.writeData(ctx, func(tx *sql.Tx) error {
		res = KommunenImport{}
		return s.importKommunenTx(ctx, tx, ks, a, &res)
	})
	if err != nil {
		return KommunenImport{}, err
	}
	return res, nil
}

// importKommunenTx is ImportKommunen within tx; it fills *out.
func (s *Store) importKommunenTx(ctx context.Context, tx *sql.Tx, ks []survey.Kommune, a survey.Actor, out *KommunenImport) error {
	stored, err := kommunenWithARS(ctx, tx)
	if err != nil {
		return err
	}
	byKey, byARS := map[string]survey.Kommune{}, map[string]survey.Kommune{}
	for _, k := range stored {
		byKey[k.AGS] = k
		if k.ARS != "" {
			byARS[k.ARS] = k
		}
	}
	var problems []*survey.Message
	inFile := map[string]bool{}
	for _, k := range ks {
		inFile[k.AGS] = true
		if other, ok := byARS[k.ARS]; ok && k.ARS != "" && other.AGS != k.AGS {
			problems = append(problems, survey.NewMessage("upload.kommunen.ars_taken", k.ARS, k.Name, other.Name, other.AGS))
		}
	}
	if len(problems) > 0 {
		return survey.NewImportError(problems...)
	}
	for _, k := range ks {
		old, exists := byKey[k.AGS]
		switch {
		case !exists:
			_, err = tx.ExecContext(ctx, `INSERT INTO kommunen (ags, ars, name, kind, lat, lon, population, population_year)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.AGS, k.ARS, k.Name, k.Kind, k.Lat, k.Lon, k.Population, k.PopulationYear)
			out.Added++
		case sameKommune(old, k):
			out.Unchanged++
		default:
			_, err = tx.ExecContext(ctx, `UPDATE kommunen SET ars = ?, name = ?, kind = ?, lat = ?, lon = ?, population = ?, population_year = ?
				WHERE id = ?`, k.ARS, k.Name, k.Kind, k.Lat, k.Lon, k.Population, k.PopulationYear, old.ID)
			out.Updated++
		}
		if err != nil {
			return fmt.Errorf("store Kommune %s: %w", k.AGS, err)
		}
	}
	for _, k := range stored {
		if !inFile[k.AGS] {
			out.Kept = append(out.Kept, k)
		}
	}
	return s.audit(ctx, tx, a, "kommunen.import", 0, 0, fmt.Sprintf("%d Kommunen: %d neu, %d geändert, %d unverändert, %d nicht in der Datei",
		len(ks), out.Added, out.Updated, out.Unchanged, len(out.Kept)))
}

func sameKommune(a, b survey.Kommune) bool {
	a.ID, b.ID = 0, 0
	return a == b
}

// KommunenWithARS returns all Kommunen ordered by key, with their ARS
// (which Kommunen leaves out).
func (s *Store) KommunenWithARS(ctx context.Context) ([]survey.Kommune, error) {
	return kommunenWithARS(ctx, s.r)
}

func kommunenWithARS(ctx context.Context, q querier) ([]survey.Kommune, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+kommuneCols+", k.ars FROM kommunen k ORDER BY k.ags")
	if err != nil {
		return nil, fmt.Errorf("list Kommunen: %w", err)
	}
	defer rows.Close()
	var out []survey.Kommune
	for rows.Next() {
		var k survey.Kommune
		if err := scanKommune(rows, &k, &k.ARS); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
