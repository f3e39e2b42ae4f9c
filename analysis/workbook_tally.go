package analysis

// The one pass over a round's answers that every export shares: it hands
// each response to the caller (who writes a row) and keeps, for the
// responses that count, what the plan, the key figures, the charts and the
// comparison need. Per Kommune that is a few numbers, so memory grows with
// the number of Kommunen, not with the number of answers.

import (
	"fmt"
	"math"

	"bedarf/survey"
)

// BurdenQuestionID is the id of the overall burden question of the default
// questionnaire ("Wie erleben Sie die Lage …", the five-level scale of the
// 2024 nation-wide survey). Question ids stay the same across versions, so
// rounds compare; see BurdenQuestion for other questionnaires.
const BurdenQuestionID = "belastung_gesamt"

// BurdenQuestion returns the question whose answers the burden chart shows:
// the Likert question with id BurdenQuestionID, or else the first Likert
// question of the questionnaire; nil when there is none.
func BurdenQuestion(qn *survey.Questionnaire) *survey.Question {
	if q := qn.Question(BurdenQuestionID); q != nil && q.Type == survey.Likert {
		return q
	}
	for _, q := range qn.Questions() {
		if q.Type == survey.Likert {
			return q
		}
	}
	return nil
}

// kommuneTally is what is kept of one counted response.
type kommuneTally struct {
	resp  survey.Response
	input KommuneInput
	// the staffing answers as given (ok: answered)
	munic, private, expected       float64
	municOK, privateOK, expectedOK bool
	fte                            float64
	fteOK                          bool
	// burden is the index of the chosen burden level, -1 for none
	burden int
}

// tally is the result of one pass over a round's answers.
type tally struct {
	qn *survey.Questionnaire
	// kommunen are the counted responses, in the order of Each.
	kommunen []kommuneTally
	// byStatus counts all responses of Dataset.Responses per status.
	byStatus map[survey.ResponseStatus]int
	invited  int
	// burdenQ is BurdenQuestion; burden counts the counted responses per
	// level (in choice order).
	burdenQ *survey.Question
	burden  []int
	// cmp, when not nil, gets the counted answers as round side of the
	// comparison with the other round.
	cmp  *Comparison
	side Round
}

// collect runs ds.Each once. visit, when not nil, gets every response with
// its answers (counted or not), in order. cmp, when not nil, gets the
// counted answers as round side of the comparison (only when there are two
// rounds).
func collect(ds Dataset, visit func(survey.Response, survey.Answers) error, cmp *Comparison, side Round) (*tally, error) {
	qn := ds.Questionnaire
	t := &tally{qn: qn, byStatus: map[survey.ResponseStatus]int{}, invited: len(ds.Responses),
		burdenQ: BurdenQuestion(qn), cmp: cmp, side: side}
	for _, r := range ds.Responses {
		t.byStatus[r.Status]++
	}
	if t.burdenQ != nil {
		t.burden = make([]int, len(t.burdenQ.Choices))
	}
	roles := newRoleQuestions(qn)
	err := ds.Each(func(r survey.Response, a survey.Answers) error {
		if visit != nil {
			if err := visit(r, a); err != nil {
				return fmt.Errorf("%s (%s): %w", r.Kommune.Name, r.Kommune.AGS, err)
			}
		}
		if ds.Counts(r) {
			t.add(r, a, roles)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("Antworten lesen: %w", err)
	}
	return t, nil
}

// roleQuestions are the questions with the staffing roles (nil when the
// questionnaire has none).
type roleQuestions struct {
	munic, private, expected, fte *survey.Question
}

func newRoleQuestions(qn *survey.Questionnaire) roleQuestions {
	return roleQuestions{
		munic: qn.ByPlanning(RolePeopleMunic), private: qn.ByPlanning(RolePeoplePrivate),
		expected: qn.ByPlanning(RolePeopleExpect), fte: qn.ByPlanning(RoleFTE),
	}
}

// roleNumber returns the valid number answered to q, as InputOf reads it.
func roleNumber(q *survey.Question, a survey.Answers) (float64, bool) {
	if q == nil {
		return 0, false
	}
	v, ok := a[survey.Key{Question: q.ID}]
	if !ok || !v.Valid() || !v.HasNum || math.IsNaN(v.Num) || math.IsInf(v.Num, 0) || v.Num < 0 {
		return 0, false
	}
	return v.Num, true
}

func (t *tally) add(r survey.Response, a survey.Answers, roles roleQuestions) {
	k := kommuneTally{resp: r, input: InputOf(t.qn, r.Kommune, a), burden: -1}
	k.munic, k.municOK = roleNumber(roles.munic, a)
	k.private, k.privateOK = roleNumber(roles.private, a)
	k.expected, k.expectedOK = roleNumber(roles.expected, a)
	k.fte, k.fteOK = roleNumber(roles.fte, a)
	if q := t.burdenQ; q != nil {
		if v, ok := a[survey.Key{Question: q.ID}]; ok && v.Valid() {
			for i, c := range q.Choices {
				if c.Value == v.Text {
					k.burden = i
					t.burden[i]++
				}
			}
		}
	}
	t.kommunen = append(t.kommunen, k)
	if t.cmp != nil {
		t.cmp.Add(t.side, r.Kommune.AGS, a)
	}
}

// inputs returns the planning inputs of the counted responses.
func (t *tally) inputs() []KommuneInput {
	in := make([]KommuneInput, len(t.kommunen))
	for i, k := range t.kommunen {
		in[i] = k.input
	}
	return in
}

// byAGS returns the counted Kommunen by AGS.
func (t *tally) byAGS() map[string]*kommuneTally {
	m := make(map[string]*kommuneTally, len(t.kommunen))
	for i := range t.kommunen {
		m[t.kommunen[i].resp.Kommune.AGS] = &t.kommunen[i]
	}
	return m
}

// statusCount returns how many responses have the status.
func (t *tally) statusCount(s survey.ResponseStatus) int { return t.byStatus[s] }
