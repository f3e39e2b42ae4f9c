package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestDemoPlanGolden pins the plan of the demo data (fixed seed) with the
// default parameters, so any change to the planning model or the demo shows
// up as a readable diff. Run with -update to accept a change.
func TestDemoPlanGolden(t *testing.T) {
	_, qn, inputs := demoPlanInputs(t)
	if len(inputs) == 0 {
		t.Fatal("the demo has no submitted answers")
	}
	pl := analysis.Compute(inputs, analysis.Modules(qn), analysis.DefaultParams())
	var got bytes.Buffer
	if err := pl.WriteText(&got); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "demo_plan.golden")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestDemoPlanGolden -update once)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("demo plan differs from %s (go test -run TestDemoPlanGolden -update to accept):\n%s", golden, got.String())
	}
}

// demoPlanInputs seeds the demo (fixed seed and time) into a fresh database
// and returns the store, its round's questionnaire and the planning inputs of its round's submitted
// answers.
func demoPlanInputs(t *testing.T) (*store.Store, *survey.Questionnaire, []analysis.KommuneInput) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, _ := auth.NewSealer(make([]byte, 32))
	if _, err := seedDemo(ctx, st, sealer, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	round, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := analysis.CollectInputs(qn, func(fn func(survey.Kommune, survey.Answers) error) error {
		return st.PlanningAnswers(ctx, round.ID, analysis.PlanningQuestionIDs(qn), fn)
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, qn, inputs
}
