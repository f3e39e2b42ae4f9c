package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// planFixture is the instance format of analysis/testdata/optimum, which
// solve.py there reads to compute the optimal plans with an exact solver.
type planFixture struct {
	Name     string               `json:"name"`
	Source   string               `json:"source"`
	Params   planFixtureParams    `json:"params"`
	Kommunen []planFixtureKommune `json:"kommunen"`
}

type planFixtureParams struct {
	GroupMin   int     `json:"groupMin"`
	GroupMax   int     `json:"groupMax"`
	RadiusKm   float64 `json:"radiusKm"`
	PoolOnline bool    `json:"poolOnline"`
}

type planFixtureKommune struct {
	AGS     string  `json:"ags"`
	Name    string  `json:"name"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Persons int     `json:"persons"`
	Format  int     `json:"format"`
}

// TestDemoPlanFixtures checks that the planning instances the optimality
// tests of package analysis use for the demo are the demo's: demo.json is
// the demo round's submitted answers, hannover21.json the demo's answer
// generator (same seed) run for all 21 Kommunen, every one submitting.
// Run with -update to rewrite them (then re-run solve.py there).
func TestDemoPlanFixtures(t *testing.T) {
	ctx := context.Background()
	st, qn, demo := demoPlanInputs(t)
	ks, err := st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	var all []analysis.KommuneInput
	for _, k := range ks {
		res := qn.Check(demoAnswers(rng, k, true), survey.Submit)
		if !res.OK() {
			t.Fatalf("%s: %v", k.Name, res.Errors)
		}
		all = append(all, analysis.InputOf(qn, k, res.Answers))
	}
	if len(all) != 21 {
		t.Fatalf("%d Kommunen, want 21", len(all))
	}
	for _, c := range []struct {
		file, source string
		in           []analysis.KommuneInput
	}{
		{"demo.json", "bedarf demo: the submitted answers of the demo round (cmd/bedarf TestDemoPlanFixtures)", demo},
		{"hannover21.json", "the demo's answer generator (seed 2026, 11) for all 21 Kommunen, all submitting (cmd/bedarf TestDemoPlanFixtures)", all},
	} {
		p := analysis.DefaultParams()
		f := planFixture{Name: c.file[:len(c.file)-len(".json")], Source: c.source,
			Params: planFixtureParams{GroupMin: p.GroupMin, GroupMax: p.GroupMax, RadiusKm: p.RadiusKm, PoolOnline: p.PoolOnline}}
		for _, k := range c.in {
			f.Kommunen = append(f.Kommunen, planFixtureKommune{AGS: k.AGS, Name: k.Name, Lat: k.Lat, Lon: k.Lon, Persons: k.GroupPersons, Format: int(k.Format)})
		}
		got, err := json.MarshalIndent(f, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("..", "..", "analysis", "testdata", "optimum", c.file)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestDemoPlanFixtures -update once)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s no longer matches the demo (rewrite it with -update and re-solve it with solve.py):\n%s", path, got)
		}
	}
}
