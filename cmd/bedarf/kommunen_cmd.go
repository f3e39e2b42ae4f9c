package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey"
	"bedarf/survey/store"
)

const kommunenUsage = `bedarf kommunen – die Kommunen einer Region laden

  bedarf kommunen import DATEI.csv [--db DATEI]
      speichert die Kommunen aus einer CSV-Datei mit den Spalten
      ags;ars;name;kind;lat;lon;population;population_year (ars, kind,
      population und population_year dürfen fehlen; ; oder , getrennt,
      UTF-8 oder Windows-1252, wie Excel sie schreibt). Jede fehlerhafte
      Zeile wird mit ihrer Nummer gemeldet; dann wird nichts gespeichert.
      Vorhandene Kommunen (gleicher Schlüssel) werden aktualisiert.
  bedarf kommunen boundaries DATEI.geojson [--db DATEI]
      speichert die Grenzen der Kommunen für die Karten (GeoJSON, Flächen
      mit der Eigenschaft ags oder AGS, für Gemeindeverbände ars/ARS).
      Flächen ohne passende Kommune werden gemeldet und nicht gespeichert.
  bedarf kommunen boundaries --remove [--db DATEI]
      löscht die gespeicherten Grenzen.
  bedarf kommunen list [--db DATEI]
      zeigt die gespeicherten Kommunen (Schlüssel, ARS, Name, Art,
      Einwohner).

Datenbank: --db, sonst BEDARF_DB, sonst bedarf.db.
`

// cliActor is who the audit log names for changes from the command line.
var cliActor = survey.Actor{Kind: "system", Label: "Kommandozeile"}

// runKommunen handles "bedarf kommunen import|boundaries|list".
func runKommunen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, kommunenUsage)
		return flag.ErrHelp
	}
	fs := cli.NewFlagSet("kommunen "+args[0], "", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), kommunenUsage)
		cli.PrintFlags(fs.Output(), fs)
	}
	db := fs.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	remove := false
	if args[0] == "boundaries" {
		fs.BoolVar(&remove, "remove", false, "löscht die gespeicherten Grenzen (die Karten zeigen wieder die Region Hannover)")
	}
	switch args[0] {
	case "import", "boundaries", "list":
	case "help", "-h", "--help":
		fmt.Fprint(stdout, kommunenUsage)
		return nil
	default:
		fmt.Fprint(stderr, kommunenUsage)
		return fmt.Errorf("unbekannter Befehl kommunen %q", args[0])
	}
	files, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	wantFiles := 1
	if args[0] == "list" || remove {
		wantFiles = 0
	}
	if len(files) != wantFiles {
		fs.Usage()
		if wantFiles == 0 {
			return fmt.Errorf("bedarf kommunen %s: keine DATEI angeben", args[0])
		}
		return fmt.Errorf("bedarf kommunen %s: genau eine DATEI angeben", args[0])
	}
	var src []byte
	if wantFiles == 1 {
		// Read and check the file before the database is touched.
		limit := survey.MaxKommunenBytes
		if args[0] == "boundaries" {
			limit = survey.MaxBoundariesBytes
		}
		if src, err = readUpload(files[0], limit); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case args[0] == "list":
		return listKommunen(ctx, st, stdout)
	case remove:
		if err := st.DeleteBoundaries(ctx, cliActor); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Grenzen gelöscht: die Karten zeigen bis zum nächsten Laden nur ihre Tabellen.")
		return nil
	case args[0] == "import":
		res, err := st.ImportKommunenCSV(ctx, src, cliActor)
		if err != nil {
			return reportImportError(stderr, files[0], err)
		}
		printKommunenImport(stdout, res)
		return nil
	default:
		m, err := analysis.ImportBoundaries(ctx, st, src, cliActor)
		if err != nil {
			return reportImportError(stderr, files[0], err)
		}
		printBoundaries(stdout, m)
		return nil
	}
}

// readUpload reads an import file of at most limit bytes (the limit of
// its kind in survey, the same as on the pages).
func readUpload(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(src) > limit {
		return nil, errors.New(survey.TooBig(path, limit).String())
	}
	return src, nil
}

// reportImportError prints every problem of a refused file on its own line
// and returns a short error.
func reportImportError(stderr io.Writer, name string, err error) error {
	var ie *survey.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	for _, p := range ie.Problems {
		fmt.Fprintf(stderr, "%s: %s\n", name, p)
	}
	return fmt.Errorf("%s: %d Fehler, nichts gespeichert", name, len(ie.Problems))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func printKommunenImport(w io.Writer, res store.KommunenImport) {
	n := res.Added + res.Updated + res.Unchanged
	fmt.Fprintf(w, "Kommunen gespeichert: %d (%d neu, %d geändert, %d unverändert)\n", n, res.Added, res.Updated, res.Unchanged)
	if len(res.Kept) > 0 {
		fmt.Fprintf(w, "Nicht in der Datei, bleiben gespeichert: %d\n", len(res.Kept))
		for _, k := range res.Kept {
			fmt.Fprintf(w, "  %s\t%s\n", k.AGS, k.Name)
		}
	}
}

func printBoundaries(w io.Writer, m analysis.BoundaryImport) {
	fmt.Fprintf(w, "Grenzen gespeichert: %d %s\n", m.Features, plural(m.Features, "Fläche", "Flächen"))
	fmt.Fprintf(w, "Für die Karten vereinfacht: %s → %s Punkte\n", analysis.FormatNumberDE(float64(m.Detail.Before)), analysis.FormatNumberDE(float64(m.Detail.After)))
	if len(m.Unmatched) > 0 {
		fmt.Fprintf(w, "Ohne passende Kommune, nicht gespeichert: %d\n", len(m.Unmatched))
		for _, u := range m.Unmatched {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	if len(m.Missing) > 0 {
		fmt.Fprintf(w, "Kommunen ohne Fläche (fehlen auf den Karten): %d\n", len(m.Missing))
		for _, k := range m.Missing {
			fmt.Fprintf(w, "  %s\t%s\n", k.AGS, k.Name)
		}
	}
}

func listKommunen(ctx context.Context, st *store.Store, w io.Writer) error {
	ks, err := st.KommunenWithARS(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Schlüssel\tARS\tName\tArt\tBreite\tLänge\tEinwohner")
	for _, k := range ks {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k.AGS, k.ARS, k.Name, k.Kind,
			survey.FormatInputDE(k.Lat), survey.FormatInputDE(k.Lon), k.Population)
	}
	info, ok, err := st.BoundariesStored(ctx)
	if err != nil {
		return err
	}
	if ok {
		fmt.Fprintf(w, "Grenzen: %d Flächen, gespeichert %s\n", info.Features, info.UploadedAt.In(survey.Berlin()).Format("02.01.2006 15:04"))
	} else {
		fmt.Fprintln(w, "Grenzen: keine gespeichert (die Karten zeigen Region Hannover)")
	}
	return nil
}
