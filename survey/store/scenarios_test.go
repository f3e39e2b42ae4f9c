package store

import (
	"context"
	"testing"

	"bedarf/survey"
)

func TestScenarios(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	list, err := f.st.Scenarios(ctx, f.round, []byte(`{"GroupMax":8}`))
	if err != nil || len(list) != 1 || !list[0].Decisive || list[0].Name != "Standard" || list[0].ID != 0 {
		t.Fatalf("implicit default scenario: %+v, %v", list, err)
	}
	var stored int
	f.st.r.QueryRow("SELECT count(*) FROM scenarios").Scan(&stored)
	if stored != 0 {
		t.Fatal("reading the scenarios stored one")
	}
	first, err := f.st.EnsureScenarios(ctx, f.round, []byte(`{"GroupMax":8}`))
	if err != nil || first == 0 {
		t.Fatalf("ensure: %d, %v", first, err)
	}
	if again, _ := f.st.EnsureScenarios(ctx, f.round, nil); again != first {
		t.Errorf("ensure twice: %d then %d", first, again)
	}
	id, err := f.st.CreateScenario(ctx, f.round, " max 10 ", []byte(`{"GroupMax":10}`), system)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateScenario(ctx, f.round, "max 10", nil, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("duplicate name: %v", err)
	}
	if _, err := f.st.CreateScenario(ctx, f.round, "  ", nil, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("empty name: %v", err)
	}
	if err := f.st.MarkDecisive(ctx, f.round, id, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MarkDecisive(ctx, f.round+1, id, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("scenario of another round: %v", err)
	}
	list, _ = f.st.Scenarios(ctx, f.round, nil)
	if len(list) != 2 || list[0].ID != id || !list[0].Decisive || list[1].Decisive {
		t.Errorf("after marking: %+v", list)
	}
	if err := f.st.DeleteScenario(ctx, f.round, id, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("delete decisive: %v", err)
	}
	if err := f.st.UpdateScenario(ctx, f.round, id, "neu", []byte(`{"GroupMax":9}`), system); err != nil {
		t.Fatal(err)
	}
	list, _ = f.st.Scenarios(ctx, f.round, nil)
	if list[0].Name != "neu" || string(list[0].Params) != `{"GroupMax":9}` {
		t.Errorf("after update: %+v", list[0])
	}
}

func TestPlanningAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	k := survey.Actor{Kind: "kommune", Label: "K"}
	// The first Kommune submits, the second only saves a draft.
	for i, submit := range []bool{true, false} {
		a := f.answers(map[string][]string{"q.supervision_gruppe_personen": {"7"}, "q.kontakt_name": {"X"}})
		if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[i].ID, Submit: submit, Actor: k, Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := f.st.PlanningAnswers(ctx, f.round, []string{"supervision_gruppe_personen"}, func(kk survey.Kommune, a survey.Answers) error {
		got = append(got, kk.AGS)
		if len(a) != 1 || a[survey.Key{Question: "supervision_gruppe_personen"}].Num != 7 {
			t.Errorf("answers of %s: %+v", kk.AGS, a)
		}
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != f.resps[0].Kommune.AGS {
		t.Errorf("planning answers from %v, %v; want only the submitted one", got, err)
	}
}
