package analysis

import (
	"fmt"
	"reflect"
	"testing"

	"bedarf/survey"
)

func feedbackAnswers(dateID int64, module string, n int) []survey.FeedbackAnswer {
	var out []survey.FeedbackAnswer
	for i := range n {
		out = append(out, survey.FeedbackAnswer{DateID: dateID, ModuleID: module, Values: map[string]string{
			"nutzen": fmt.Sprint(i%5 + 1), "praxis": "4", "anmerkungen": fmt.Sprintf("Text %d von Termin %d", n-i, dateID)}})
	}
	return out
}

// TestEvaluateFeedback: four answers to a date are withheld, five shown;
// dates below five are pooled per module and shown only when the pool
// reaches five, never with a date that is shown on its own.
func TestEvaluateFeedback(t *testing.T) {
	qn, err := survey.FeedbackForm("de")
	if err != nil {
		t.Fatal(err)
	}
	dates := []survey.FeedbackDate{
		{ID: 1, ModuleID: "asyl"}, {ID: 2, ModuleID: "asyl"}, {ID: 3, ModuleID: "asyl"},
		{ID: 4, ModuleID: "recht"}, {ID: 5, ModuleID: "recht"},
		{ID: 6, ModuleID: "trauma"}, {ID: 7, ModuleID: "sprache"},
	}
	type group struct {
		date    int64
		module  string
		answers int
	}
	for _, tc := range []struct {
		name     string
		counts   map[int64]int
		groups   []group
		withheld []string
	}{
		{"four hidden", map[int64]int{6: 4}, nil, []string{"trauma"}},
		{"five shown", map[int64]int{6: 5}, []group{{6, "trauma", 5}}, nil},
		{"pooled per module", map[int64]int{1: 3, 2: 2, 4: 4}, []group{{0, "asyl", 5}}, []string{"recht"}},
		{"a shown date stays out of the pool", map[int64]int{1: 7, 2: 2, 3: 2}, []group{{1, "asyl", 7}}, []string{"asyl"}},
		{"both", map[int64]int{4: 6, 5: 5, 7: 1}, []group{{4, "recht", 6}, {5, "recht", 5}}, []string{"sprache"}},
		{"none", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var as []survey.FeedbackAnswer
			for _, d := range dates {
				as = append(as, feedbackAnswers(d.ID, d.ModuleID, tc.counts[d.ID])...)
			}
			rep := EvaluateFeedback(qn, dates, as)
			var got []group
			for _, g := range rep.Groups {
				got = append(got, group{g.DateID, g.ModuleID, g.Answers})
			}
			if !reflect.DeepEqual(got, tc.groups) || !reflect.DeepEqual(rep.Withheld, tc.withheld) {
				t.Fatalf("groups %v withheld %v, want %v and %v", got, rep.Withheld, tc.groups, tc.withheld)
			}
		})
	}
}

// TestEvaluateFeedbackFigures: the distribution, mean and sorted texts of a
// shown date, counted by hand.
func TestEvaluateFeedbackFigures(t *testing.T) {
	qn, err := survey.FeedbackForm("en")
	if err != nil {
		t.Fatal(err)
	}
	as := feedbackAnswers(9, "asyl", 6) // nutzen 1,2,3,4,5,1; praxis 4 each
	as[5].Values["praxis"] = "x"        // not a choice: not counted
	rep := EvaluateFeedback(qn, []survey.FeedbackDate{{ID: 9, ModuleID: "asyl"}}, as)
	if len(rep.Groups) != 1 {
		t.Fatalf("groups %+v", rep.Groups)
	}
	g := rep.Groups[0]
	if len(g.Scales) != 3 || g.Scales[0].Question.ID != "nutzen" || !reflect.DeepEqual(g.Scales[0].Counts, []int{2, 1, 1, 1, 1}) ||
		g.Scales[0].N != 6 || g.Scales[0].Mean != 16.0/6 {
		t.Fatalf("nutzen %+v", g.Scales[0])
	}
	if p := g.Scales[1]; p.N != 5 || p.Mean != 4 || !reflect.DeepEqual(p.Counts, []int{0, 0, 0, 5, 0}) {
		t.Fatalf("praxis %+v", p)
	}
	if v := g.Scales[2]; v.N != 0 || v.Mean != 0 {
		t.Fatalf("vernetzung %+v", v)
	}
	want := []string{"Text 1 von Termin 9", "Text 2 von Termin 9", "Text 3 von Termin 9", "Text 4 von Termin 9", "Text 5 von Termin 9", "Text 6 von Termin 9"}
	if len(g.Texts) != 1 || !reflect.DeepEqual(g.Texts[0].Texts, want) {
		t.Fatalf("texts %+v", g.Texts)
	}
}
