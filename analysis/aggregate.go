package analysis

// Helpers for the result pages: the counts and statistics come from SQL
// (survey/store/aggregate.go); this file puts them in the questionnaire's
// order, turns them into charts, and decides which questions two
// questionnaire versions share so that rounds can be compared.

import (
	"math"
	"slices"

	"bedarf/survey"
)

// OptionCount is how often one option of a question (a choice, a scale
// level, ja/nein) was given.
type OptionCount struct {
	Code, Label string
	N           int
	// Known is false for a code the question does not list (given under an
	// earlier version of the questionnaire).
	Known bool
}

// Options returns the answer options of a choice-like question in
// questionnaire order: the choices of single and multiple choice, the
// levels of Likert and matrix scales, "ja" and "nein" for yes/no; nil for
// other types.
func Options(q *survey.Question) []survey.Choice {
	switch q.Type {
	case survey.YesNo:
		return []survey.Choice{{Value: "ja", Label: "Ja"}, {Value: "nein", Label: "Nein"}}
	case survey.SingleChoice, survey.MultipleChoice, survey.Likert, survey.Matrix:
		return q.Choices
	}
	return nil
}

// Distribution puts counts (code → number of answers) in the order of the
// question's options, with 0 for options nobody chose, followed by codes
// the question does not know, sorted.
func Distribution(q *survey.Question, counts map[string]int) []OptionCount {
	opts := Options(q)
	out := make([]OptionCount, 0, len(opts)+len(counts))
	known := map[string]bool{}
	for _, o := range opts {
		known[o.Value] = true
		out = append(out, OptionCount{Code: o.Value, Label: o.Label, N: counts[o.Value], Known: true})
	}
	var extra []string
	for code := range counts {
		if !known[code] {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		out = append(out, OptionCount{Code: code, Label: code, N: counts[code]})
	}
	return out
}

// Chartable reports whether a question of type t gets a chart: choices,
// scales, yes/no, matrices and numbers do; free text, dates and notes do
// not.
func Chartable(t survey.Type) bool {
	switch t {
	case survey.Text, survey.LongText, survey.Date, survey.Note:
		return false
	}
	return true
}

// ChoiceChart draws the distribution of a single or multiple choice,
// Likert or yes/no question as bars, with shares of answered (the
// responses with an answer). Notes say what the shares refer to.
func ChoiceChart(q *survey.Question, dist []OptionCount, answered int, notes ...string) (*Chart, error) {
	bars := make([]Bar, len(dist))
	for i, d := range dist {
		bars[i] = Bar{Label: d.Label, Value: float64(d.N)}
	}
	if q.Type == survey.MultipleChoice {
		notes = append([]string{"Mehrfachnennungen möglich."}, notes...)
	}
	return NewBarChart(BarSpec{Title: q.Label, ValueLabel: "Anzahl Kommunen", Bars: bars, Base: answered, Notes: notes})
}

// MatrixRow is the distribution of one row of a matrix question.
type MatrixRow struct {
	Code, Label string
	// Levels are the counts per scale level, in the order of Options.
	Levels []OptionCount
	// N is the number of responses that answered the row.
	N int
}

// MatrixChart draws a matrix question as one stacked bar per row, split
// by the scale levels (light for the lowest level, dark for the highest).
func MatrixChart(q *survey.Question, rows []MatrixRow, notes ...string) (*Chart, error) {
	spec := StackedBarSpec{Title: q.Label, ValueLabel: "Anzahl Kommunen", CategoryLabel: "Bereich", Ordinal: true, Notes: notes}
	if len(rows) == 0 {
		return NewStackedBarChart(spec)
	}
	for _, r := range rows {
		spec.Categories = append(spec.Categories, r.Label)
	}
	for i, lv := range rows[0].Levels {
		s := ChartSeries{Name: lv.Label}
		for _, r := range rows {
			n := 0
			if i < len(r.Levels) {
				n = r.Levels[i].N
			}
			s.Values = append(s.Values, float64(n))
		}
		spec.Series = append(spec.Series, s)
	}
	return NewStackedBarChart(spec)
}

// NumberChart draws the distribution of the answers to an integer or
// decimal question, one value per Kommune.
func NumberChart(q *survey.Question, values []LabeledValue, notes ...string) (*Chart, error) {
	return NewDistributionChart(DistributionSpec{Title: q.Label, ValueLabel: valueLabel(q), Values: values, Notes: notes})
}

// ItemSum is the sum of the answers to one item of a per-item question.
type ItemSum struct {
	Code, Label string
	Sum         float64
}

// ItemSumChart draws a per-item question (e.g. participants per training
// module) as one bar per item with the sum over the Kommunen.
func ItemSumChart(q *survey.Question, sums []ItemSum, notes ...string) (*Chart, error) {
	bars := make([]Bar, len(sums))
	for i, s := range sums {
		bars[i] = Bar{Label: s.Label, Value: s.Sum}
	}
	return NewBarChart(BarSpec{Title: q.Label, ValueLabel: "Summe " + valueLabel(q), Bars: bars, Notes: notes})
}

func valueLabel(q *survey.Question) string {
	if q.Unit != "" {
		return q.Unit
	}
	return "Wert"
}

// Comparable reports whether the answers to a question in two versions of
// a questionnaire can be compared, and if not, why (a keyed message: the
// page writes it in its language, the workbook in German).
// A question must exist in both versions with the same type (integer and
// decimal count as the same), the same unit, and must not be free text,
// a date, a note or personal data. Options or items that only one version
// has are compared where they exist; the page names them.
func Comparable(a, b *survey.Question) (bool, *survey.Message) {
	switch {
	case a == nil && b == nil:
		return false, survey.NewMessage("msg.compare.in_neither")
	case a == nil:
		return false, survey.NewMessage("msg.compare.only_b")
	case b == nil:
		return false, survey.NewMessage("msg.compare.only_a")
	}
	numeric := func(t survey.Type) bool { return t == survey.Integer || t == survey.Decimal }
	if a.Type != b.Type && !(numeric(a.Type) && numeric(b.Type)) {
		return false, survey.NewMessage("msg.compare.type", a.Type.Text(), b.Type.Text())
	}
	switch {
	case a.Type == survey.Note:
		return false, survey.NewMessage("msg.compare.note")
	case a.Personal || b.Personal:
		return false, survey.NewMessage("msg.compare.personal")
	case a.Type == survey.Text || a.Type == survey.LongText:
		return false, survey.NewMessage("msg.compare.text")
	case a.Type == survey.Date:
		return false, survey.NewMessage("msg.compare.date")
	case a.Unit != b.Unit:
		return false, survey.NewMessage("msg.compare.unit", unitOrNone(a.Unit), unitOrNone(b.Unit))
	}
	return true, nil
}

// unitOrNone is a unit (data) or, for none, the word for it.
func unitOrNone(s string) any {
	if s == "" {
		return survey.NewMessage("msg.compare.no_unit")
	}
	return s
}

// SharedCodes splits the codes of two option or item lists into those in
// both (in b's order, then a's), those only in a and those only in b.
func SharedCodes(a, b []survey.Choice) (both, onlyA, onlyB []survey.Choice) {
	inA := map[string]bool{}
	for _, c := range a {
		inA[c.Value] = true
	}
	inB := map[string]bool{}
	for _, c := range b {
		inB[c.Value] = true
		if inA[c.Value] {
			both = append(both, c)
		} else {
			onlyB = append(onlyB, c)
		}
	}
	for _, c := range a {
		if !inB[c.Value] {
			onlyA = append(onlyA, c)
		}
	}
	return both, onlyA, onlyB
}

// Share returns n/base, or 0 when base is 0.
func Share(n, base int) float64 {
	if base <= 0 {
		return 0
	}
	return float64(n) / float64(base)
}

// FormatChangeDE writes a difference with its sign the German way: "+3",
// "−2,5" (with a true minus sign), "±0".
func FormatChangeDE(d float64) string {
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return "–"
	}
	abs := math.Round(math.Abs(d)*100) / 100 // FormatNumberDE shows at most two decimals
	s := FormatNumberDE(abs)
	switch {
	case abs == 0:
		return "±0"
	case d > 0:
		return "+" + s
	}
	return "−" + s
}

// FormatPointsDE writes the difference of two shares (0.25 − 0.20) in
// percentage points: "+5,0 Pp.", "−12,5 Pp.", "±0,0 Pp.".
func FormatPointsDE(a, b float64) string {
	d := (b - a) * 100
	s := FormatDecimalDE(math.Abs(d), 1)
	switch {
	case s == "0,0":
		return "±0,0\u00a0Pp."
	case d > 0:
		return "+" + s + "\u00a0Pp."
	}
	return "−" + s + "\u00a0Pp."
}

// TypeNote returns a short note on how a question of type t is counted,
// for the page and (in German) the chart notes; nil when nothing needs
// saying.
func TypeNote(t survey.Type) *survey.Message {
	switch t {
	case survey.MultipleChoice:
		return survey.NewMessage("msg.results.note_multi")
	case survey.Matrix:
		return survey.NewMessage("msg.results.note_matrix")
	case survey.ItemNumbers:
		return survey.NewMessage("msg.results.note_items")
	}
	return nil
}
