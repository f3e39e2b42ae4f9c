package analysis

import (
	"testing"

	"bedarf/survey"
)

func TestInputOf(t *testing.T) {
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	form := map[string][]string{
		"q.betreute_gu": {"1.200"}, "q.betreute_privat": {"300"}, "q.fachkraefte_vzae": {"9,5"},
		"q.supervision_gruppe_personen": {"13"}, "q.supervision_format": {"online"},
		"q.fortbildung_teilnehmende.trauma": {"5"}, "q.fortbildung_teilnehmende.asylrecht": {"abc"},
	}
	a := qn.Check(form, survey.Draft).Answers
	k := survey.Kommune{AGS: "03241005", Name: "Garbsen", Lat: 52.45, Lon: 9.57}
	in := InputOf(qn, k, a)
	if in.GroupPersons != 13 || in.Format != FormatOnline || in.PeopleSupported != 1500 || in.PeopleExpected != 1500 ||
		in.FTE != 9.5 || in.Training["trauma"] != 5 || len(in.Training) != 1 || in.Lat != 52.45 {
		t.Errorf("InputOf = %+v", in)
	}
	if ms := Modules(qn); len(ms) != 4 || ms[3].ID != "trauma" {
		t.Errorf("Modules = %v", ms)
	}
	for code, want := range map[string]Format{"vor_ort": FormatOnSite, "nachbar": FormatNeighbour, "online": FormatOnline, "egal": FormatNoPreference} {
		if got := FormatOf(code); got != want {
			t.Errorf("FormatOf(%s) = %v", code, got)
		}
	}
}
