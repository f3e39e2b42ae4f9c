package analysis

import (
	"slices"

	"bedarf/survey"
)

// FeedbackScale is the distribution of one scale question's answers.
type FeedbackScale struct {
	Question *survey.Question
	// Counts holds the number of answers per choice, in the order of the
	// question's choices.
	Counts []int
	// N counts the answers to the question; Mean is their mean over the
	// choices' numbers (1 to 5), 0 without answers.
	N    int
	Mean float64
}

// FeedbackTexts are the free-text answers to one question, sorted
// alphabetically (so not in the order they arrived).
type FeedbackTexts struct {
	Question *survey.Question
	Texts    []string
}

// FeedbackGroup is the evaluation of the feedback on one date (DateID set)
// or, pooled, on the dates of a module that each had fewer than
// survey.FeedbackMinAnswers answers (DateID 0).
type FeedbackGroup struct {
	DateID   int64
	ModuleID string
	Dates    []survey.FeedbackDate
	Answers  int
	Scales   []FeedbackScale
	Texts    []FeedbackTexts
}

// FeedbackReport is the evaluation of a round's feedback.
type FeedbackReport struct {
	// Groups are shown: each has at least survey.FeedbackMinAnswers answers.
	Groups []FeedbackGroup
	// Withheld lists the modules whose dates had feedback that is shown
	// nowhere, because even pooled it has fewer than
	// survey.FeedbackMinAnswers answers; nothing else is said of it.
	Withheld []string
}

// EvaluateFeedback evaluates the feedback of a round's training dates on
// the form qn. A date with at least survey.FeedbackMinAnswers answers is
// shown on its own; the answers of a module's other dates are pooled and
// shown together if they reach that number, else withheld. The pool never
// includes a date shown on its own, so no withheld answer can be worked
// out by subtracting one figure from another. It is pure: it reads only
// its arguments.
func EvaluateFeedback(qn *survey.Questionnaire, dates []survey.FeedbackDate, answers []survey.FeedbackAnswer) FeedbackReport {
	byDate := map[int64][]survey.FeedbackAnswer{}
	for _, a := range answers {
		byDate[a.DateID] = append(byDate[a.DateID], a)
	}
	var rep FeedbackReport
	pooled := map[string]*FeedbackGroup{}
	var modules []string
	pool := map[string][]survey.FeedbackAnswer{}
	for _, d := range dates {
		as := byDate[d.ID]
		if len(as) == 0 {
			continue
		}
		if len(as) >= survey.FeedbackMinAnswers {
			rep.Groups = append(rep.Groups, feedbackGroup(qn, d.ID, d.ModuleID, []survey.FeedbackDate{d}, as))
			continue
		}
		g, ok := pooled[d.ModuleID]
		if !ok {
			g = &FeedbackGroup{ModuleID: d.ModuleID}
			pooled[d.ModuleID] = g
			modules = append(modules, d.ModuleID)
		}
		g.Dates = append(g.Dates, d)
		pool[d.ModuleID] = append(pool[d.ModuleID], as...)
	}
	for _, m := range modules {
		as := pool[m]
		if len(as) < survey.FeedbackMinAnswers {
			rep.Withheld = append(rep.Withheld, m)
			continue
		}
		rep.Groups = append(rep.Groups, feedbackGroup(qn, 0, m, pooled[m].Dates, as))
	}
	return rep
}

// feedbackGroup counts the answers of one group.
func feedbackGroup(qn *survey.Questionnaire, dateID int64, module string, dates []survey.FeedbackDate, as []survey.FeedbackAnswer) FeedbackGroup {
	g := FeedbackGroup{DateID: dateID, ModuleID: module, Dates: dates, Answers: len(as)}
	for _, q := range qn.Questions() {
		switch {
		case len(q.Choices) > 0:
			s := FeedbackScale{Question: q, Counts: make([]int, len(q.Choices))}
			sum := 0.0
			for _, a := range as {
				i := slices.IndexFunc(q.Choices, func(c survey.Choice) bool { return c.Value == a.Values[q.ID] })
				if i < 0 {
					continue
				}
				s.Counts[i]++
				s.N++
				sum += float64(i + 1)
			}
			if s.N > 0 {
				s.Mean = sum / float64(s.N)
			}
			g.Scales = append(g.Scales, s)
		case q.Type == survey.Text || q.Type == survey.LongText:
			t := FeedbackTexts{Question: q}
			for _, a := range as {
				if v := a.Values[q.ID]; v != "" {
					t.Texts = append(t.Texts, v)
				}
			}
			slices.Sort(t.Texts)
			g.Texts = append(g.Texts, t)
		}
	}
	return g
}
