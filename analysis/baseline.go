package analysis

import (
	"bedarf/analysis/rawbook"
	"bedarf/survey"
)

// BaselineAnswers returns the answers sheet of the benchmark baseline
// (package rawbook) for a round: the columns of Antworten with the stored
// values as they are, read through each.
func BaselineAnswers(qn *survey.Questionnaire, each func(func(survey.Response, survey.Answers) error) error) rawbook.Answers {
	cols := AnswerColumns(qn)
	ans := rawbook.Answers{Sheet: SheetAnswers, Header: []any{"AGS", "Kommune", "Status"}, Keys: make([]survey.Key, len(cols)), Each: each}
	for i, c := range cols {
		ans.Header = append(ans.Header, c.Header)
		ans.Keys[i] = survey.Key{Question: c.Q.ID, Item: c.Item}
	}
	return ans
}
