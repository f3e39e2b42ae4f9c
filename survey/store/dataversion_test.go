package store

import (
	"context"
	"testing"

	"bedarf/survey"
)

// TestDataVersionBumps: every write that changes what a plan reads bumps
// the data version in its transaction (also when another process, the CLI,
// writes: a second Store on the same file sees it); reads, writes that
// change nothing a plan reads and refused writes leave it.
func TestDataVersionBumps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	k := survey.Actor{Kind: "kommune", Label: "K"}
	id := f.resps[0].ID
	other, err := Open(ctx, f.path) // as the CLI opens it
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ks, err := f.st.KommunenWithARS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	revision := func() int {
		r, _, err := f.st.Response(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.Revision
	}
	var scenario int64
	for _, tc := range []struct {
		name  string
		write func() error
		bumps bool
	}{
		{"read the plan's inputs", func() error {
			_, err := f.st.Responses(ctx, f.round)
			return err
		}, false},
		{"save answers", func() error {
			_, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: revision(), Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})})
			return err
		}, true},
		{"refused save (stale revision)", func() error {
			_, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: revision() + 7, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"9"}})})
			if err == nil {
				t.Error("a save on a future revision was accepted")
			}
			return nil
		}, false},
		{"submit", func() error {
			_, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: revision(), Submit: true, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})})
			return err
		}, true},
		{"return", func() error { return f.st.ReturnResponse(ctx, id, "Bitte prüfen", system) }, true},
		{"reopen", func() error {
			if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: revision(), Submit: true, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})}); err != nil {
				return err
			}
			before, _ := f.st.DataVersion(ctx)
			if err := f.st.ReopenResponse(ctx, id, system); err != nil {
				return err
			}
			if after, _ := f.st.DataVersion(ctx); after == before {
				t.Error("reopen did not bump the data version")
			}
			return nil
		}, true},
		{"Kommunen (upsert)", func() error { return f.st.UpsertKommunen(ctx, ks[:1]) }, true},
		{"Kommunen (import)", func() error {
			_, err := f.st.ImportKommunen(ctx, ks, system)
			return err
		}, true},
		{"boundaries", func() error {
			return f.st.SaveBoundaries(ctx, []byte(`{"type":"FeatureCollection","features":[]}`), 0, system)
		}, true},
		{"boundaries deleted", func() error { return f.st.DeleteBoundaries(ctx, system) }, true},
		{"scenarios stored", func() error {
			_, err := f.st.EnsureScenarios(ctx, f.round, []byte(`{}`))
			return err
		}, true},
		{"scenarios already stored", func() error {
			_, err := f.st.EnsureScenarios(ctx, f.round, []byte(`{}`))
			return err
		}, false},
		{"scenario created", func() error {
			var err error
			scenario, err = f.st.CreateScenario(ctx, f.round, "Variante", []byte(`{"GroupMax":10}`), system)
			return err
		}, true},
		{"scenario changed", func() error {
			return f.st.UpdateScenario(ctx, f.round, scenario, "Variante", []byte(`{"GroupMax":9}`), system)
		}, true},
		{"scenario decisive", func() error { return f.st.MarkDecisive(ctx, f.round, scenario, system) }, true},
		{"scenario deleted", func() error {
			first, err := f.st.EnsureScenarios(ctx, f.round, nil)
			if err != nil {
				return err
			}
			other, err := f.st.CreateScenario(ctx, f.round, "Weg damit", []byte(`{}`), system)
			if err != nil || first == other {
				return err
			}
			before, _ := f.st.DataVersion(ctx)
			if err := f.st.DeleteScenario(ctx, f.round, other, system); err != nil {
				return err
			}
			if after, _ := f.st.DataVersion(ctx); after == before {
				t.Error("deleting a scenario did not bump the data version")
			}
			return nil
		}, true},
		{"another process saves answers", func() error {
			_, err := other.SaveResponse(ctx, Save{ResponseID: f.resps[1].ID, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"3"}})})
			return err
		}, true},
		{"a user is added (not plan data)", func() error {
			_, err := f.st.CreateUser(ctx, "neu@bedarf.example", "Neu", RoleViewer, "lang-genug-lang-genug", system)
			return err
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := f.st.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.write(); err != nil {
				t.Fatal(err)
			}
			after, err := f.st.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := after != before; got != tc.bumps {
				t.Errorf("data version %d → %d, want bumped: %v", before, after, tc.bumps)
			}
		})
	}
}
