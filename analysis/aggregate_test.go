package analysis

import (
	"slices"
	"strings"
	"testing"

	"bedarf/survey"
)

func TestDistributionOrder(t *testing.T) {
	q := &survey.Question{ID: "f", Type: survey.SingleChoice, Label: "Format",
		Choices: []survey.Choice{{Value: "vor_ort", Label: "vor Ort"}, {Value: "online", Label: "online"}, {Value: "egal", Label: "egal"}}}
	got := Distribution(q, map[string]int{"online": 3, "vor_ort": 1, "zz_alt": 2, "aa_alt": 1})
	var lines []string
	for _, d := range got {
		lines = append(lines, d.Label+"="+FormatNumberDE(float64(d.N)))
		if d.Known != !strings.HasSuffix(d.Code, "_alt") {
			t.Errorf("%s: Known = %v", d.Code, d.Known)
		}
	}
	want := []string{"vor Ort=1", "online=3", "egal=0", "aa_alt=1", "zz_alt=2"}
	if !slices.Equal(lines, want) {
		t.Errorf("Distribution = %v, want %v (questionnaire order, zeros, then unknown codes sorted)", lines, want)
	}
	yn := Distribution(&survey.Question{Type: survey.YesNo}, map[string]int{"nein": 2})
	if len(yn) != 2 || yn[0].Label != "Ja" || yn[0].N != 0 || yn[1].Label != "Nein" || yn[1].N != 2 {
		t.Errorf("yes/no distribution = %+v", yn)
	}
	if Options(&survey.Question{Type: survey.Integer}) != nil {
		t.Error("an integer question has no options")
	}
}

func TestComparable(t *testing.T) {
	num := func(typ survey.Type, unit string) *survey.Question {
		return &survey.Question{ID: "x", Type: typ, Unit: unit}
	}
	for _, tc := range []struct {
		name   string
		a, b   *survey.Question
		ok     bool
		reason string
	}{
		{"same integer", num(survey.Integer, "Personen"), num(survey.Integer, "Personen"), true, ""},
		{"integer to decimal", num(survey.Integer, "VZÄ"), num(survey.Decimal, "VZÄ"), true, ""},
		{"only in B", nil, num(survey.Integer, ""), false, "nur in der Fassung der Runde B"},
		{"only in A", num(survey.Integer, ""), nil, false, "nur in der Fassung der Runde A"},
		{"type changed", num(survey.Integer, ""), num(survey.SingleChoice, ""), false, "Fragetyp geändert (Ganzzahl → Einfachauswahl)"},
		{"unit changed", num(survey.Decimal, "VZÄ"), num(survey.Decimal, "Personen"), false, "Einheit geändert (VZÄ → Personen)"},
		{"unit added", num(survey.Decimal, ""), num(survey.Decimal, "Personen"), false, "Einheit geändert (ohne → Personen)"},
		{"in neither", nil, nil, false, "in keiner der beiden Fassungen"},
		{"note", num(survey.Note, ""), num(survey.Note, ""), false, "Hinweis ohne Antwort"},
		{"date", num(survey.Date, ""), num(survey.Date, ""), false, "Datum, wird nicht verglichen"},
		{"unknown type", num(survey.Integer, ""), num("slider", ""), false, "Fragetyp geändert (Ganzzahl → slider)"},
		{"free text", num(survey.LongText, ""), num(survey.LongText, ""), false, "Freitext, wird nicht verglichen"},
		{"personal", &survey.Question{Type: survey.Text, Personal: true}, &survey.Question{Type: survey.Text, Personal: true}, false, "personenbezogene Angabe, wird nicht verglichen"},
		{"matrix", num(survey.Matrix, ""), num(survey.Matrix, ""), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, reason := Comparable(tc.a, tc.b)
			if ok != tc.ok || reason.String() != tc.reason || ok != (reason == nil) {
				t.Errorf("Comparable = %v, %q; want %v, %q", ok, reason, tc.ok, tc.reason)
			}
		})
	}
}

func TestSharedCodes(t *testing.T) {
	a := []survey.Choice{{Value: "x"}, {Value: "y"}, {Value: "alt"}}
	b := []survey.Choice{{Value: "neu"}, {Value: "y"}, {Value: "x"}}
	both, onlyA, onlyB := SharedCodes(a, b)
	codes := func(cs []survey.Choice) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Value)
		}
		return strings.Join(s, ",")
	}
	if codes(both) != "y,x" || codes(onlyA) != "alt" || codes(onlyB) != "neu" {
		t.Errorf("SharedCodes = %s | %s | %s", codes(both), codes(onlyA), codes(onlyB))
	}
}

func TestFormatChange(t *testing.T) {
	for _, tc := range []struct {
		d    float64
		want string
	}{{3, "+3"}, {-2.5, "−2,5"}, {0, "±0"}, {1234.5, "+1.234,5"}, {-0.001, "±0"}} {
		if got := FormatChangeDE(tc.d); got != tc.want {
			t.Errorf("FormatChangeDE(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b float64
		want string
	}{{0.2, 0.25, "+5,0\u00a0Pp."}, {0.5, 0.375, "−12,5\u00a0Pp."}, {0.3, 0.3, "±0,0\u00a0Pp."}} {
		if got := FormatPointsDE(tc.a, tc.b); got != tc.want {
			t.Errorf("FormatPointsDE(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
	if Share(1, 4) != 0.25 || Share(3, 0) != 0 {
		t.Error("Share")
	}
}

func TestQuestionCharts(t *testing.T) {
	scale := []survey.Choice{{Value: "1", Label: "gering"}, {Value: "2", Label: "mittel"}, {Value: "3", Label: "hoch"}}
	matrix := &survey.Question{ID: "m", Type: survey.Matrix, Label: "Belastung", Choices: scale,
		Items: []survey.Choice{{Value: "a", Label: "Fallzahl"}, {Value: "b", Label: "Verwaltung"}}}
	rows := []MatrixRow{
		{Code: "a", Label: "Fallzahl", Levels: Distribution(matrix, map[string]int{"3": 2, "2": 1}), N: 3},
		{Code: "b", Label: "Verwaltung", Levels: Distribution(matrix, map[string]int{"1": 1}), N: 1},
	}
	c, err := MatrixChart(matrix, rows, "Grundlage: 3 eingereichte Antworten")
	if err != nil {
		t.Fatal(err)
	}
	tab := c.Table()
	if want := []string{"Bereich", "gering", "mittel", "hoch", "Summe"}; !slices.Equal(tab.Header, want) {
		t.Errorf("matrix header %v, want %v", tab.Header, want)
	}
	if want := [][]string{{"Fallzahl", "0", "1", "2", "3"}, {"Verwaltung", "1", "0", "0", "1"}}; !slices.EqualFunc(tab.Rows, want, slices.Equal) {
		t.Errorf("matrix rows %v, want %v", tab.Rows, want)
	}
	if svg, err := c.SVG(); err != nil || !strings.Contains(string(svg), "Grundlage: 3 eingereichte Antworten") {
		t.Errorf("matrix SVG lacks the basis note (%v)", err)
	}

	multi := &survey.Question{ID: "z", Type: survey.MultipleChoice, Label: "Zeiten",
		Choices: []survey.Choice{{Value: "vm", Label: "vormittags"}, {Value: "ab", Label: "abends"}}}
	c, err = ChoiceChart(multi, Distribution(multi, map[string]int{"vm": 1, "ab": 2}), 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"vormittags", "1", "50,0\u00a0%"}, {"abends", "2", "100,0\u00a0%"}}; !slices.EqualFunc(c.Table().Rows, want, slices.Equal) {
		t.Errorf("choice rows %v, want %v", c.Table().Rows, want)
	}

	items := &survey.Question{ID: "f", Type: survey.ItemNumbers, Label: "Module", Unit: "Personen"}
	c, err = ItemSumChart(items, []ItemSum{{Code: "a", Label: "Asylrecht", Sum: 9}, {Code: "t", Label: "Trauma", Sum: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if h := c.Table().Header; h[1] != "Summe Personen" {
		t.Errorf("item sum header %v", h)
	}

	n := &survey.Question{ID: "n", Type: survey.Integer, Label: "Personen", Unit: "Personen"}
	c, err = NumberChart(n, []LabeledValue{{Label: "Hannover", Value: 10}, {Label: "Garbsen", Value: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if rows := c.Table().Rows; len(rows) != 2 || rows[0][0] != "Hannover" {
		t.Errorf("number chart rows %v", rows)
	}
	if Chartable(survey.LongText) || !Chartable(survey.ItemNumbers) {
		t.Error("Chartable")
	}
}
