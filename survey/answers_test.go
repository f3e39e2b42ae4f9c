package survey

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true},
		{"1,5", 1.5, true},
		{"1.5", 1.5, true},
		{"1.200", 1200, true},
		{"1.200,5", 1200.5, true},
		{"1.234.567", 1234567, true},
		{"1 200", 1200, true},
		{"1\u00a0200", 1200, true},
		{"-3", -3, true},
		{"+4", 4, true},
		{"0.250", 0.25, true},
		{" 7 ", 7, true},
		{",5", 0, false},
		{"5,", 0, false},
		{"1,2,3", 0, false},
		{"1.20,5", 0, false},
		{"12.34.5", 0, false},
		{"abc", 0, false},
		{"1e5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"", 0, false},
		{"--1", 0, false},
		{"=1+1", 0, false},
		{strings.Repeat("9", 50), 0, false},
	} {
		got, err := ParseNumber(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestFormatNumberDE(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1.5: "1,5", 1200: "1.200", -1234567.25: "-1.234.567,25", 999: "999"} {
		if got := FormatNumberDE(in); got != want {
			t.Errorf("FormatNumberDE(%v) = %q, want %q", in, got, want)
		}
	}
}

const testYAML = `
id: t
title: Test
lists:
  yn: [{value: a, label: A}, {value: b, label: B}]
sections:
  - id: s1
    title: Eins
    questions:
      - {id: n, type: integer, label: Zahl, min: 0, max: 100, required: true}
      - {id: d, type: decimal, label: Dezimal, unit: VZÄ}
      - {id: c, type: single_choice, label: Wahl, choices: yn}
      - {id: m, type: multiple_choice, label: Mehrere, choices: yn, max: 1}
      - {id: y, type: yes_no, label: JaNein}
      - {id: cond, type: text, label: Nur bei ja, relevant: "${y} = 'ja'", required: true}
      - {id: dt, type: date, label: Datum}
      - {id: l, type: long_text, label: Lang, max_length: 10}
      - {id: k, type: integer, label: Kleiner als n, constraint: ". < ${n}", constraint_message: Muss kleiner als n sein.}
      - id: mx
        type: matrix
        label: Matrix
        scale: yn
        required: true
        rows: [{value: r1, label: R1}, {value: r2, label: R2}]
      - id: it
        type: item_numbers
        label: Je Modul
        items: [{value: x, label: X}, {value: z, label: Z}]
`

func TestCheck(t *testing.T) {
	qn, err := ParseYAML("t.yaml", []byte(testYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		form   map[string][]string
		mode   Mode
		errs   map[string]string // field → message fragment
		values map[Key]Value
		hidden []string
	}{
		{
			name: "draft with invalid values keeps them",
			form: map[string][]string{"q.n": {"abc"}, "q.d": {"1,5"}, "q.c": {"zz"}, "q.dt": {"31.12.2026"}},
			mode: Draft,
			errs: map[string]string{"q.n": "Bitte eine ganze Zahl eingeben, z. B. 12.", "q.c": "Auswahl gibt es nicht"},
			values: map[Key]Value{
				{"n", ""}:  {Raw: "abc", Err: NewMessage("msg.answer.whole_number")},
				{"d", ""}:  {Raw: "1,5", Num: 1.5, HasNum: true, Text: "1.5"},
				{"dt", ""}: {Raw: "31.12.2026", Text: "2026-12-31"},
			},
			hidden: []string{"cond"},
		},
		{
			name: "submit requires required visible questions",
			form: map[string][]string{"q.y": {"ja"}, "q.mx.r1": {"a"}},
			mode: Submit,
			errs: map[string]string{"q.n": "beantworten", "q.cond": "beantworten", "q.mx.r2": "jede Zeile"},
		},
		{
			name:   "hidden question is neither stored nor validated",
			form:   map[string][]string{"q.n": {"5"}, "q.y": {"nein"}, "q.cond": {strings.Repeat("x", 600)}, "q.mx.r1": {"a"}, "q.mx.r2": {"b"}},
			mode:   Submit,
			errs:   map[string]string{},
			hidden: []string{"cond"},
		},
		{
			name: "bounds, integer, length, constraint, selection count",
			form: map[string][]string{"q.n": {"101"}, "q.k": {"1,5"}, "q.l": {"elf Zeichen"}, "q.m": {"a", "b"}, "q.it.x": {"-1"}},
			mode: Draft,
			errs: map[string]string{"q.n": "bis 100", "q.k": "ganze Zahl", "q.l": "höchstens 10", "q.m": "höchstens 1"},
		},
		{
			name: "constraint fails with its message",
			form: map[string][]string{"q.n": {"5"}, "q.k": {"7"}},
			mode: Draft,
			errs: map[string]string{"q.k": "Muss kleiner als n sein."},
		},
		{
			name:   "multiple choice and per-item numbers",
			form:   map[string][]string{"q.m": {"b"}, "q.it.x": {"3"}, "q.it.z": {"1.200"}},
			mode:   Draft,
			errs:   map[string]string{},
			values: map[Key]Value{{"m", "b"}: {Raw: "b", Text: "b", Num: 1, HasNum: true}, {"it", "z"}: {Raw: "1.200", Num: 1200, HasNum: true, Text: "1200"}},
		},
		{
			name: "invalid UTF-8 is refused",
			form: map[string][]string{"q.l": {"a\xffb"}},
			mode: Draft,
			errs: map[string]string{"q.l": "ungültige Zeichen"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := qn.Check(tc.form, tc.mode)
			got := map[string]string{}
			for k, msg := range res.Errors {
				got[k.Field()] = msg.String()
			}
			for f, frag := range tc.errs {
				if !strings.Contains(got[f], frag) {
					t.Errorf("error for %s = %q, want it to contain %q", f, got[f], frag)
				}
			}
			if tc.errs != nil && len(got) != len(tc.errs) {
				t.Errorf("errors = %v, want exactly %d", got, len(tc.errs))
			}
			for k, want := range tc.values {
				if g := res.Answers[k]; g.Raw != want.Raw || g.Num != want.Num || g.HasNum != want.HasNum || g.Text != want.Text || g.Err.String() != want.Err.String() {
					t.Errorf("answer %v = %+v, want %+v", k, g, want)
				}
			}
			for _, id := range tc.hidden {
				if !res.Hidden[id] {
					t.Errorf("%s should be hidden", id)
				}
				for k := range res.Answers {
					if k.Question == id {
						t.Errorf("hidden %s has an answer", id)
					}
				}
			}
		})
	}
}

func TestParseYAMLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown type", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: slider, label: A}\n", `t.yaml:5: Frage "a": unbekannter Typ "slider"`},
		{"duplicate id", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A}\n  - {id: a, type: text, label: B}\n", `t.yaml:6: Frage-ID "a" kommt doppelt vor (zuerst t.yaml:5)`},
		{"condition on later question", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A, relevant: \"${b} = 'x'\"}\n  - {id: b, type: text, label: B}\n", `t.yaml:5: Frage "a": relevant verweist auf ${b}, die es davor nicht gibt`},
		{"condition on unknown question", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A, relevant: \"${zz} > 1\"}\n", `verweist auf ${zz}`},
		{"empty choices", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: single_choice, label: A, choices: []}\n", `t.yaml:5: Frage "a" (single_choice) braucht eine nicht leere Auswahlliste`},
		{"unknown list", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: single_choice, label: A, choices: nope}\n", `Liste "nope" ist nicht unter lists definiert`},
		{"unknown key", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A, requird: true}\n", `unbekannter Schlüssel "requird"`},
		{"bad expression", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A}\n  - {id: b, type: text, label: B, relevant: \"${a} = \"}\n", `t.yaml:6: Frage "b": relevant`},
		{"min above max", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: integer, label: A, min: 5, max: 1}\n", `min (5) ist größer als max (1)`},
		{"no title", "sections:\n- title: S\n  questions:\n  - {id: a, type: text, label: A}\n", `keinen Titel`},
		{"bad id", "title: T\nsections:\n- title: S\n  questions:\n  - {id: 1a, type: text, label: A}\n", `Frage-ID "1a" ist ungültig`},
		{"not yaml", "title: [", "YAML nicht lesbar"},
		{"max_length above the form limit", "title: T\nsections:\n- title: S\n  questions:\n  - {id: a, type: long_text, label: A, max_length: 50000}\n", `max_length 50000 ist zu groß`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseYAML("t.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestDefaultQuestionnaire(t *testing.T) {
	qn, err := ParseYAML("fragebogen.yaml", DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	if len(qn.Sections) != 8 {
		t.Errorf("%d sections, want 8", len(qn.Sections))
	}
	for _, role := range []string{"supervision_group_persons", "supervision_format", "training_participants", "people_municipal", "people_private", "people_expected", "fte_filled"} {
		if qn.ByPlanning(role) == nil {
			t.Errorf("no question with planning role %s", role)
		}
	}
	if got := len(qn.Question("belastung_gesamt").Choices); got != 5 {
		t.Errorf("burden scale has %d levels, want 5", got)
	}
}

func TestParseKommunenCSV(t *testing.T) {
	ks, err := ParseKommunenCSV(DefaultKommunenCSV())
	if err != nil || len(ks) != 21 || ks[0].Name != "Hannover" || ks[0].AGS != "03241001" {
		t.Fatalf("default CSV: %d Kommunen, %v", len(ks), err)
	}
	semi := "\xef\xbb\xbfags;name;kind;lat;lon;population\n3241001;Hannover;Stadt;52,3796;9,7697;536.925\n"
	ks, err = ParseKommunenCSV([]byte(semi))
	if err != nil || ks[0].AGS != "03241001" || ks[0].Lat != 52.3796 || ks[0].Population != 536925 {
		t.Errorf("German CSV: %+v, %v", ks, err)
	}
	bad := "ags,name,kind,lat,lon\n123,,Stadt,95,9\n03241001,A,Stadt,52,9\n03241001,B,Stadt,52,9\n"
	_, err = ParseKommunenCSV([]byte(bad))
	for _, want := range []string{"Zeile 2: AGS \"123\"", "Name fehlt", "Breitengrad", "Zeile 4: AGS 03241001 kommt doppelt vor"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad CSV error %v lacks %q", err, want)
		}
	}
}

func BenchmarkParseNumber(b *testing.B) {
	for b.Loop() {
		for _, s := range []string{"1.200", "1,5", "12", "1 200"} {
			if _, err := ParseNumber(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestFormatFixedDE(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		dec  int
		want string
	}{{2700, 2, "2.700,00"}, {-0.001, 2, "0,00"}, {-1234.5, 1, "-1.234,5"}, {0.26, 1, "0,3"}, {999999.999, 2, "1.000.000,00"}} {
		if got := FormatFixedDE(tc.in, tc.dec); got != tc.want {
			t.Errorf("FormatFixedDE(%v, %d) = %q, want %q", tc.in, tc.dec, got, tc.want)
		}
	}
}
