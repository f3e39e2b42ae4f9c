package analysis

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planOptimumInstance is an instance of testdata/optimum (see solve.py
// there, which computed the optimal values in optima.json with CBC).
type planOptimumInstance struct {
	Name   string `json:"name"`
	Params struct {
		GroupMin   int     `json:"groupMin"`
		GroupMax   int     `json:"groupMax"`
		RadiusKm   float64 `json:"radiusKm"`
		PoolOnline bool    `json:"poolOnline"`
	} `json:"params"`
	Kommunen []struct {
		AGS     string  `json:"ags"`
		Name    string  `json:"name"`
		Lat     float64 `json:"lat"`
		Lon     float64 `json:"lon"`
		Persons int     `json:"persons"`
		Format  int     `json:"format"`
	} `json:"kommunen"`
}

type planOptimum struct {
	Persons      int `json:"persons"`
	Placed       int `json:"placed"`
	Unplaced     int `json:"unplaced"`
	Groups       int `json:"groups"`
	OnSiteGroups int `json:"onSiteGroups"`
	OnlineGroups int `json:"onlineGroups"`
}

// planOptimumFixtures reads every instance with its stored optimum.
func planOptimumFixtures(t *testing.T) (names []string, inputs map[string][]KommuneInput, params map[string]Params, optima map[string]planOptimum) {
	t.Helper()
	dir := filepath.Join("testdata", "optimum")
	raw, err := os.ReadFile(filepath.Join(dir, "optima.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Instances map[string]planOptimum `json:"instances"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	inputs, params = map[string][]KommuneInput{}, map[string]Params{}
	for _, f := range files {
		if strings.HasSuffix(f, "optima.json") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var inst planOptimumInstance
		if err := json.Unmarshal(raw, &inst); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p := DefaultParams()
		p.GroupMin, p.GroupMax, p.RadiusKm, p.PoolOnline = inst.Params.GroupMin, inst.Params.GroupMax, inst.Params.RadiusKm, inst.Params.PoolOnline
		var in []KommuneInput
		for _, k := range inst.Kommunen {
			in = append(in, KommuneInput{AGS: k.AGS, Name: k.Name, Lat: k.Lat, Lon: k.Lon, GroupPersons: k.Persons, Format: Format(k.Format)})
		}
		if _, ok := doc.Instances[inst.Name]; !ok {
			t.Errorf("%s: no optimum in optima.json (run solve.py)", inst.Name)
			continue
		}
		names = append(names, inst.Name)
		inputs[inst.Name], params[inst.Name] = in, p
	}
	if len(names) < 22 {
		t.Fatalf("%d instances in %s, want the demo, hannover21 and the generated regions", len(names), dir)
	}
	return names, inputs, params, doc.Instances
}

// TestPlanEqualsOptimum compares the plan of every fixture with the
// optimum an exact solver (CBC) found: the plan must place as many persons
// and, placing them, need as few groups, on every fixture. Its bounds must
// hold for the optimum, and the plan must keep every rule.
func TestPlanEqualsOptimum(t *testing.T) {
	names, inputs, params, optima := planOptimumFixtures(t)
	var groups, optGroups int
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			in, p, opt := inputs[name], params[name], optima[name]
			pl := Compute(in, nil, p)
			for _, msg := range planCheckPlan(in, p, pl) {
				t.Errorf("invariant: %s", msg)
			}
			if pl.Totals.Persons != opt.Persons {
				t.Fatalf("%d persons, the fixture has %d", pl.Totals.Persons, opt.Persons)
			}
			groups += pl.Totals.Groups
			optGroups += opt.Groups
			switch {
			case pl.Totals.Placed != opt.Placed:
				t.Errorf("places %d persons, the optimum %d (groups %d, optimum %d)", pl.Totals.Placed, opt.Placed, pl.Totals.Groups, opt.Groups)
			case pl.Totals.Groups != opt.Groups:
				t.Errorf("needs %d groups, the optimum %d (%d on site, %d online; optimum %d and %d)", pl.Totals.Groups, opt.Groups,
					pl.Totals.OwnGroups+pl.Totals.PooledGroups, pl.Totals.OnlineGroups, opt.OnSiteGroups, opt.OnlineGroups)
			}
			if pl.Bound.MaxPlaced < opt.Placed || pl.Bound.MinGroups > opt.Groups && pl.Bound.MaxPlaced == opt.Placed {
				t.Errorf("bounds %+v exclude the optimum (placed %d, groups %d)", pl.Bound, opt.Placed, opt.Groups)
			}
			t.Logf("placed %d/%d, groups %d (optimum %d), bound: at most %d placed, at least %d groups, proven %v",
				pl.Totals.Placed, opt.Placed, pl.Totals.Groups, opt.Groups, pl.Bound.MaxPlaced, pl.Bound.MinGroups, pl.Bound.Proven)
		})
	}
	t.Logf("all instances: %d groups, optimum %d", groups, optGroups)
}

// TestPlanBoundGuarantee: what the plan says it guarantees, in German and
// English, for each kind of bound: proven, a gap in persons, a gap in
// groups (with the counts the reader needs).
func TestPlanBoundGuarantee(t *testing.T) {
	for _, tc := range []struct {
		b      PlanBound
		de, en []string
	}{
		{PlanBound{MaxPlaced: 20, MinGroups: 3, Proven: true},
			[]string{"Kein Plan nach diesen Regeln gruppiert mehr Personen oder braucht weniger Gruppen (bewiesen)."},
			[]string{"No plan under these rules places more people or needs fewer groups (proven)."}},
		{PlanBound{MaxPlaced: 42, MinGroups: 6, PersonsGap: 1},
			[]string{"Nicht bewiesen", "bis zu 1 Person mehr", "obere Schranke: 42"},
			[]string{"Not proven", "up to 1 person more", "upper bound: 42"}},
		{PlanBound{MaxPlaced: 42, MinGroups: 6, PersonsGap: 3},
			[]string{"bis zu 3 Personen mehr"},
			[]string{"up to 3 people more"}},
		{PlanBound{MaxPlaced: 799, MinGroups: 103, GroupsGap: 1},
			[]string{"gruppiert mehr Personen (bewiesen)", "nicht bewiesen: höchstens 1 Gruppe weniger", "untere Schranke: 103 Gruppen"},
			[]string{"places more people (proven)", "not proven: at most 1 group fewer", "lower bound: 103 groups"}},
		{PlanBound{MaxPlaced: 799, MinGroups: 100, GroupsGap: 4},
			[]string{"höchstens 4 Gruppen weniger"},
			[]string{"at most 4 groups fewer"}},
	} {
		de, en := tc.b.Guarantee(), tc.b.GuaranteeEnglish()
		for _, w := range tc.de {
			if !strings.Contains(de, w) {
				t.Errorf("%+v: %q lacks %q", tc.b, de, w)
			}
		}
		for _, w := range tc.en {
			if !strings.Contains(en, w) {
				t.Errorf("%+v: %q lacks %q", tc.b, en, w)
			}
		}
	}
}
