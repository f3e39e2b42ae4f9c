package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey"
	"bedarf/survey/store"
)

const questionnaireUsage = `bedarf questionnaire – Fragebögen prüfen und importieren

  bedarf questionnaire check DATEI
      prüft einen Fragebogen (YAML: .yaml/.yml, XLSForm: .xlsx), ohne ihn zu
      speichern, und zeigt seine Abschnitte und Fragen oder jeden Fehler mit
      seiner Stelle.
  bedarf questionnaire import DATEI [--db DATEI]
      speichert den Fragebogen als neue Version (Datenbank: --db, sonst
      BEDARF_DB, sonst bedarf.db).
`

// runQuestionnaire handles "bedarf questionnaire check FILE" and "bedarf questionnaire import FILE --db PATH".
func runQuestionnaire(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, questionnaireUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "check":
		return runQuestionnaireCheck(args[1:], stdout, stderr)
	case "import":
		return runQuestionnaireImport(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, questionnaireUsage)
		return nil
	}
	fmt.Fprint(stderr, questionnaireUsage)
	return fmt.Errorf("unbekannter Befehl questionnaire %q", args[0])
}

func runQuestionnaireCheck(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("questionnaire check", "", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), questionnaireUsage)
		cli.PrintFlags(fs.Output(), fs)
	}
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return errors.New("bedarf questionnaire check: genau eine DATEI angeben")
	}
	_, _, qn, err := loadQuestionnaireFile(files[0], stderr)
	if err != nil {
		return err
	}
	printQuestionnaire(stdout, qn)
	return nil
}

func runQuestionnaireImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("questionnaire import", "", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), questionnaireUsage)
		cli.PrintFlags(fs.Output(), fs)
	}
	db := fs.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return errors.New("bedarf questionnaire import: genau eine DATEI angeben")
	}
	// Check first, so every error is shown with its place and a broken
	// file never touches the database.
	format, src, qn, err := loadQuestionnaireFile(files[0], stderr)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.AddQuestionnaireFile(ctx, filepath.Base(files[0]), format, src, survey.Actor{Kind: "system", Label: "Kommandozeile"})
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	fmt.Fprintf(stdout, "Fragebogen importiert: %s Version %d (id %d)\n", v.Slug, v.Version, v.ID)
	for _, n := range qn.Notes {
		fmt.Fprintf(stdout, "Hinweis: %s\n", n)
	}
	return nil
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("import FILE --db PATH") and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// loadQuestionnaireFile reads and validates a questionnaire file. The
// format follows the extension: .yaml/.yml is YAML, .xlsx is XLSForm. On
// errors in the definition each is written to stderr with its place.
func loadQuestionnaireFile(path string, stderr io.Writer) (format string, src []byte, qn *survey.Questionnaire, err error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".xlsx", ".xls", ".ods":
	default:
		return "", nil, nil, fmt.Errorf("%s: unbekanntes Dateiformat (erwartet .yaml, .yml oder .xlsx)", path)
	}
	if src, err = readUpload(path, survey.MaxQuestionnaireBytes); err != nil {
		return "", nil, nil, err
	}
	name := filepath.Base(path)
	if format, err = survey.FileFormat(name, src); err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if format == "yaml" {
		qn, err = survey.ParseYAML(name, src)
	} else {
		qn, err = survey.ParseXLSForm(name, bytes.NewReader(src))
	}
	if err != nil {
		var de survey.DefErrors
		if !errors.As(err, &de) {
			return "", nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, e := range de {
			// Every line names the file: places of a workbook are sheet
			// and row only.
			if e.Place == name || strings.HasPrefix(e.Place, name+":") {
				fmt.Fprintln(stderr, e.Error())
			} else {
				fmt.Fprintf(stderr, "%s: %s\n", name, e.Error())
			}
		}
		return "", nil, nil, fmt.Errorf("%s: Fragebogen ungültig (%d Fehler)", path, len(de))
	}
	return format, src, qn, nil
}

// printQuestionnaire lists the title, the sections and their questions.
func printQuestionnaire(w io.Writer, qn *survey.Questionnaire) {
	if qn.ID != "" {
		fmt.Fprintf(w, "%s (%s)\n", qn.Title, qn.ID)
	} else {
		fmt.Fprintln(w, qn.Title)
	}
	fmt.Fprintf(w, "Abschnitte: %d, Fragen: %d\n", len(qn.Sections), len(qn.Questions()))
	for _, n := range qn.Notes {
		fmt.Fprintf(w, "Hinweis: %s\n", n)
	}
	for _, s := range qn.Sections {
		fmt.Fprintf(w, "\n%s: %s\n", s.ID, s.Title)
		width := 0
		for _, q := range s.Questions {
			width = max(width, len(q.ID))
		}
		for _, q := range s.Questions {
			fmt.Fprintf(w, "  %-*s  %s\n", width, q.ID, q.Type)
		}
	}
}
