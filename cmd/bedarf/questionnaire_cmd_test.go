package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bedarf/survey/store"
)

const (
	defaultYAML = "../../survey/defaults/fragebogen.yaml"
	xlsformDir  = "../../survey/testdata/xlsform"
)

func runQ(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = runQuestionnaire(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestQuestionnaireCheck(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "kaputt.yml")
	if err := os.WriteFile(bad, []byte("title: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: zahl, label: A}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		ok      bool
		out     []string // lines expected in stdout
		errOut  []string // lines expected in stderr
		errText string   // in the returned error
	}{
		{
			name: "default YAML",
			args: []string{"check", defaultYAML},
			ok:   true,
			out: []string{
				"Bedarfsabfrage Supervision und Qualifizierung in der Flüchtlingssozialarbeit (bedarf-supervision-qualifizierung)",
				"ansprechperson: Ansprechperson",
				"  kontakt_name ",
			},
		},
		{
			name: "XLSForm",
			args: []string{"check", filepath.Join(xlsformDir, "text_and_integer.xlsx")},
			ok:   true,
			out:  []string{"Fragebogen", "Abschnitte: 1, Fragen: 2", "abschnitt_1: Fragebogen", "  your_name  text", "  your_age   integer"},
		},
		{
			name:    "XLSForm with a loop",
			args:    []string{"check", filepath.Join(xlsformDir, "loop.xlsx")},
			errOut:  []string{`loop.xlsx: survey, Zeile 2: Typ "select all that apply from toilet_type or specify other" wird nicht unterstützt`, `loop.xlsx: survey, Zeile 3: Typ "begin loop over toilet_type" wird nicht unterstützt (Wiederholungsgruppen)`},
			errText: "Fragebogen ungültig (2 Fehler)",
		},
		{
			name:    "YAML with an unknown type",
			args:    []string{"check", bad},
			errOut:  []string{`kaputt.yml:6: Frage "a": unbekannter Typ "zahl"`},
			errText: "Fragebogen ungültig (1 Fehler)",
		},
		{
			name:    "unknown extension",
			args:    []string{"check", "fragebogen.csv"},
			errText: "unbekanntes Dateiformat",
		},
		{
			name:    "missing file",
			args:    []string{"check", filepath.Join(t.TempDir(), "nichts.xlsx")},
			errText: "no such file",
		},
		{
			name:    "no file",
			args:    []string{"check"},
			errText: "genau eine DATEI",
		},
		{
			name:    "unknown subcommand",
			args:    []string{"publish", defaultYAML},
			errText: "unbekannter Befehl",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runQ(t, tt.args...)
			if tt.ok != (err == nil) {
				t.Fatalf("error %v; stderr:\n%s", err, errOut)
			}
			if err != nil && !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("error %q; want it to contain %q", err, tt.errText)
			}
			for _, want := range tt.out {
				if !containsLine(out, want) {
					t.Errorf("stdout lacks a line starting %q:\n%s", want, out)
				}
			}
			for _, want := range tt.errOut {
				if !containsLine(errOut, want) {
					t.Errorf("stderr lacks a line starting %q:\n%s", want, errOut)
				}
			}
		})
	}
}

func containsLine(text, prefix string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}

func TestQuestionnaireImport(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "bedarf.db")
	steps := []struct {
		args    []string
		env     string // BEDARF_DB
		want    string
		errText string
	}{
		{args: []string{"import", defaultYAML, "--db", db}, want: "Fragebogen importiert: bedarf-supervision-qualifizierung Version 1 (id 1)"},
		{args: []string{"import", "--db", db, filepath.Join(xlsformDir, "yes_or_no_question.xlsx")}, want: "Fragebogen importiert: yes_or_no_question Version 1 (id 2)"}, // no form_id: the file's name
		{args: []string{"import", filepath.Join(xlsformDir, "field-list.xlsx")}, env: db, want: "Fragebogen importiert: field-list Version 1 (id 3)"},
		// The same file again is the version already stored.
		{args: []string{"import", filepath.Join(xlsformDir, "field-list.xlsx"), "--db", db}, want: "Fragebogen importiert: field-list Version 1 (id 3)"},
		{args: []string{"import", filepath.Join(xlsformDir, "group.xlsx"), "--db", db}, errText: "Fragebogen ungültig (1 Fehler)"},
		{args: []string{"import", filepath.Join(xlsformDir, "group.xlsx"), "--nodb"}, errText: "flag provided but not defined"},
	}
	for _, st := range steps {
		t.Setenv("BEDARF_DB", st.env)
		out, errOut, err := runQ(t, st.args...)
		if st.errText != "" {
			if err == nil || !strings.Contains(err.Error(), st.errText) {
				t.Errorf("%v: error %v; want %q", st.args, err, st.errText)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v\n%s", st.args, err, errOut)
		}
		if strings.TrimSpace(out) != st.want {
			t.Errorf("%v: stdout %q; want %q", st.args, out, st.want)
		}
	}
	// The stored XLSForm versions parse again from the database.
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	qn, err := s.Questionnaire(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if q := qn.Question("table_list_question"); q == nil || len(q.Choices) != 2 || qn.Sections[0].ID != "name" {
		t.Errorf("stored questionnaire 3: %+v", qn.Sections)
	}
	if _, err := s.Questionnaire(ctx, 4); err == nil {
		t.Error("the refused group.xlsx was stored")
	}
}
