package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey/store"
)

// runBackup writes a checked copy of the database while the server may go
// on taking saves: bedarf backup --db FILE --out FILE.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set := cli.NewFlagSet("backup", "--out DATEI [--db DATEI]", stderr)
	var c config
	set.StringVar(&c.DB, "db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	set.StringVar(&c.KeyFile, "key-file", envOr("BEDARF_KEY_FILE", ""), "`DATEI` Schlüsseldatei der Links, an die erinnert wird (BEDARF_KEY_FILE; sonst der Name der Datenbank mit .key)")
	out := set.String("out", "", "`DATEI` anzulegende Sicherung; darf noch nicht bestehen")
	if err := set.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: --out FILE is required")
	}
	if err := mustExist(c.DB); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// What a killed backup left: copies of the database with personal data.
	for _, dir := range uniqueDirs(*out, c.DB) {
		removed, err := store.RemoveLeftovers(dir)
		if len(removed) > 0 {
			fmt.Fprintf(stdout, "Reste abgebrochener Sicherungen entfernt in %s: %s\n", dir, strings.Join(removed, ", "))
		}
		if err != nil {
			fmt.Fprintf(stderr, "Warnung: %v\n", err)
		}
	}
	st, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *out); err != nil {
		if !errors.Is(err, store.ErrBackupNotRecorded) {
			return err
		}
		fmt.Fprintf(stderr, "Warnung: Sicherung vollständig, aber nicht im Protokoll vermerkt: %v\n", err)
	}
	fmt.Fprintf(stdout, "Sicherung geschrieben und geprüft: %s\n", *out)
	fmt.Fprintf(stdout, "Der Schlüssel der Links liegt nicht in der Datenbank: sichern Sie %s getrennt davon.\n", c.keyFile())
	return nil
}

// runRestore puts a backup in place of the database; the server must be
// stopped: bedarf restore --from FILE --db FILE [--force].
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set := cli.NewFlagSet("restore", "--from DATEI [--db DATEI] [--force]", stderr)
	db := set.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` wiederherzustellende SQLite-Datenbank (BEDARF_DB)")
	from := set.String("from", "", "`DATEI` Sicherung, geschrieben von bedarf backup")
	force := set.Bool("force", false, "eine bestehende Datenbank ersetzen (nur, wenn kein Server sie geöffnet hat)")
	if err := set.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("restore: --from FILE is required")
	}
	if err := store.Restore(ctx, *from, *db, *force); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wiederhergestellt: %s aus %s\n", *db, *from)
	return nil
}

// mustExist refuses a database path that does not exist, so that a typo
// does not create and back up an empty database.
func mustExist(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("database %s not found", path)
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("database %s is not a file", path)
	}
	return nil
}

// uniqueDirs returns the directories of the paths, each once.
func uniqueDirs(paths ...string) []string {
	var dirs []string
	for _, p := range paths {
		if d := filepath.Dir(p); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}
