package analysis

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// Test data for the workbook, CSV and export tests: the default
// questionnaire with synthetic answers from a seeded random generator.

// wbHostile are text answers that a spreadsheet would run as formulas if
// they were written carelessly.
func wbHostile() []string {
	return []string{`=HYPERLINK("http://x","y")`, "+1+1", "-2", "@SUM(A1)", "\tTabulator vorne", "\rWagenrücklauf vorne",
		"=1+1", `=cmd|' /C calc'!A0`}
}

// wbQuestionnaire parses the default questionnaire.
func wbQuestionnaire(t testing.TB) *survey.Questionnaire {
	t.Helper()
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	return qn
}

// wbForm makes plausible form values for one Kommune: numbers in ranges
// that suit their planning role, random choices, and now and then hostile
// text.
func wbForm(qn *survey.Questionnaire, r *rand.Rand) map[string][]string {
	form := map[string][]string{}
	set := func(q *survey.Question, item, v string) {
		k := survey.Key{Question: q.ID, Item: item}.Field()
		form[k] = append(form[k], v)
	}
	people := 50 + r.IntN(1500)
	for _, q := range qn.Questions() {
		switch q.Type {
		case survey.Integer:
			set(q, "", strconv.Itoa(wbInt(q, r, people)))
		case survey.Decimal:
			set(q, "", wbDecimal(q, r))
		case survey.SingleChoice, survey.Likert:
			set(q, "", q.Choices[r.IntN(len(q.Choices))].Value)
		case survey.MultipleChoice:
			for _, c := range q.Choices {
				if r.IntN(5) < 2 {
					set(q, "", c.Value)
				}
			}
		case survey.YesNo:
			set(q, "", []string{"ja", "nein"}[r.IntN(2)])
		case survey.Date:
			set(q, "", time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		case survey.Matrix:
			for _, it := range q.Items {
				set(q, it.Value, q.Choices[r.IntN(len(q.Choices))].Value)
			}
		case survey.ItemNumbers:
			for _, it := range q.Items {
				if n := r.IntN(8) - 1; n >= 0 {
					set(q, it.Value, strconv.Itoa(n))
				}
			}
		case survey.Text, survey.LongText:
			set(q, "", wbText(q, r))
		}
	}
	return form
}

func wbInt(q *survey.Question, r *rand.Rand, people int) int {
	switch q.Planning {
	case RolePeopleMunic:
		return people * (30 + r.IntN(50)) / 100
	case RolePeoplePrivate:
		return people * (20 + r.IntN(30)) / 100
	case RolePeopleExpect:
		return people * (80 + r.IntN(50)) / 100
	case RoleGroupPersons:
		if r.IntN(4) == 0 {
			return r.IntN(22)
		}
		return r.IntN(7)
	}
	return r.IntN(40)
}

func wbDecimal(q *survey.Question, r *rand.Rand) string {
	if q.Unit == "EUR" {
		return strconv.Itoa(5000*r.IntN(40)) + ",50"
	}
	return strconv.Itoa(r.IntN(20)) + []string{"", ",5", ",25"}[r.IntN(3)]
}

func wbText(q *survey.Question, r *rand.Rand) string {
	if q.Personal {
		return []string{"Erika Mustermann", "Max Müller", "Jörg Weiß", "erika@example.org", "0511 12345"}[r.IntN(5)]
	}
	if r.IntN(3) == 0 {
		h := wbHostile()
		return h[r.IntN(len(h))]
	}
	return []string{"Mehr Zeit für Fallbesprechungen", "Traumasensible Arbeit; Umgang mit Konflikten",
		"Überlastung durch Verwaltungsaufgaben", "Austausch mit Nachbarkommunen wäre hilfreich"}[r.IntN(4)]
}

// wbAnswers returns checked answers (Draft mode: everything valid is kept).
func wbAnswers(qn *survey.Questionnaire, r *rand.Rand) survey.Answers {
	return qn.Check(wbForm(qn, r), survey.Draft).Answers
}

// wbRound is the round of the test data.
func wbRound(id int64, title string) survey.Round {
	return survey.Round{ID: id, Title: title, Status: survey.RoundOpen,
		OpensOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)}
}

// wbMemoryDataset makes a Dataset whose Each serves the given answers.
func wbMemoryDataset(qn *survey.Questionnaire, round survey.Round, resps []survey.Response, answers []survey.Answers) Dataset {
	return Dataset{
		Round: round, Questionnaire: qn, Responses: resps, Params: DefaultParams(),
		Generated: time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC),
		Each: func(fn func(survey.Response, survey.Answers) error) error {
			for i, r := range resps {
				if err := fn(r, answers[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// wbDemoDataset is a round of the 21 Kommunen of Region Hannover like the
// demo: 15 submitted, 3 drafts, 1 returned, 2 not started; answers from
// seed. Garbsen (03241005) always has the hostile texts.
func wbDemoDataset(t testing.TB, seed uint64) Dataset {
	t.Helper()
	qn := wbQuestionnaire(t)
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 5))
	statuses := []survey.ResponseStatus{survey.StatusSubmitted, survey.StatusSubmitted, survey.StatusSubmitted,
		survey.StatusSubmitted, survey.StatusSubmitted, survey.StatusDraft, survey.StatusSubmitted}
	var resps []survey.Response
	var answers []survey.Answers
	for i, k := range ks {
		st := statuses[i%len(statuses)]
		switch i {
		case 3, 17:
			st = survey.StatusNew
		case 11:
			st = survey.StatusReturned
		}
		resp := survey.Response{ID: int64(i + 1), RoundID: 2, Kommune: k, Status: st, Revision: 1 + r.IntN(5)}
		a := survey.Answers{}
		if st != survey.StatusNew {
			resp.UpdatedAt = time.Date(2026, 3, 10+i%10, 8+i%9, 15, 0, 0, time.UTC)
			resp.UpdatedBy = "Kommune " + k.Name
			a = wbAnswers(qn, r)
		}
		if st == survey.StatusSubmitted {
			resp.SubmittedAt = resp.UpdatedAt.Add(2 * time.Hour)
		}
		if k.AGS == "03241005" {
			wbSetHostile(qn, a)
		}
		resps = append(resps, resp)
		answers = append(answers, a)
	}
	return wbMemoryDataset(qn, wbRound(2, "Bedarfsabfrage 2026"), resps, answers)
}

// wbSetHostile puts hostile text into every text answer, and a negative
// and a decimal number where numbers go, of a.
func wbSetHostile(qn *survey.Questionnaire, a survey.Answers) {
	h := wbHostile()
	i := 0
	for _, q := range qn.Questions() {
		if q.Type == survey.Text || q.Type == survey.LongText {
			s := h[i%len(h)]
			a[survey.Key{Question: q.ID}] = survey.Value{Raw: s, Text: s}
			i++
		}
	}
}

// wbPreviousDataset is an earlier round for the comparison: a questionnaire
// with a dropped question, a changed type and a changed option.
func wbPreviousDataset(t testing.TB, seed uint64) *Dataset {
	t.Helper()
	ds := wbDemoDataset(t, seed)
	src := string(survey.DefaultQuestionnaireYAML())
	src = wbReplace(t, src, "      - id: vernetzung_interesse\n        type: yes_no\n", "      - id: vernetzung_interesse\n        type: text\n")
	src = wbReplace(t, src, `{value: abend, label: "abends"}`, `{value: wochenende, label: "am Wochenende"}`)
	src = wbReplace(t, src, "      - id: unterkuenfte\n", "      - id: unterkuenfte_alt\n")
	qn, err := survey.ParseYAML("vorjahr.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 9))
	answers := make([]survey.Answers, len(ds.Responses))
	for i, resp := range ds.Responses {
		answers[i] = survey.Answers{}
		ds.Responses[i].Status = survey.StatusSubmitted
		if resp.Status != survey.StatusNew {
			answers[i] = wbAnswers(qn, r)
		}
	}
	prev := wbMemoryDataset(qn, wbRound(1, "Bedarfsabfrage 2025"), ds.Responses, answers)
	return &prev
}

func wbReplace(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in the questionnaire", old)
	}
	return strings.Replace(s, old, new, 1)
}

// wbScaleDataset is a nation-wide-like round of n Kommunen spread over
// Germany's bounding box, nine in ten submitted. Each generates every
// Kommune's answers on the fly from its own seed, as a database would hand
// them out row by row: the same answers on every pass, without holding all
// of them in memory.
func wbScaleDataset(t testing.TB, n int, seed uint64) Dataset {
	t.Helper()
	qn := wbQuestionnaire(t)
	r := rand.New(rand.NewPCG(seed, 1))
	resps := make([]survey.Response, n)
	for i := range resps {
		k := survey.Kommune{ID: int64(i + 1), AGS: fmt.Sprintf("%08d", 1000000+i*7), Name: fmt.Sprintf("Gemeinde %d", i+1),
			Kind: "Gemeinde", Lat: 47.3 + r.Float64()*(55-47.3), Lon: 5.9 + r.Float64()*(15-5.9), Population: 1000 + r.IntN(50000)}
		st := survey.StatusSubmitted
		if i%10 == 9 {
			st = survey.StatusDraft
		}
		at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		resps[i] = survey.Response{ID: int64(i + 1), RoundID: 7, Kommune: k, Status: st, Revision: 1 + i%4,
			UpdatedAt: at, UpdatedBy: "Kommune " + k.Name}
		if st == survey.StatusSubmitted {
			resps[i].SubmittedAt = at.Add(time.Hour)
		}
	}
	ds := wbMemoryDataset(qn, wbRound(7, "Bundesweite Bedarfsabfrage 2026"), resps, nil)
	ds.Each = func(fn func(survey.Response, survey.Answers) error) error {
		for i, resp := range resps {
			if err := fn(resp, wbAnswers(qn, rand.New(rand.NewPCG(seed, uint64(i)+2)))); err != nil {
				return err
			}
		}
		return nil
	}
	return ds
}
