package analysis

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// planGermanyInput makes n Kommunen with random centres across Germany's
// bounding box (lat 47.3–55, lon 5.9–15) and random demand.
func planGermanyInput(n int, seed uint64) []KommuneInput {
	r := rand.New(rand.NewPCG(seed, 1))
	in := make([]KommuneInput, n)
	for i := range in {
		persons := r.IntN(7)
		if r.IntN(4) == 0 {
			persons = r.IntN(25)
		}
		in[i] = KommuneInput{
			AGS: fmt.Sprintf("%08d", i*7+1), Name: fmt.Sprintf("Kommune %d", i),
			Lat: 47.3 + r.Float64()*(55-47.3), Lon: 5.9 + r.Float64()*(15-5.9),
			GroupPersons: persons, Format: Format(r.IntN(4)),
			Training:        map[string]int{"recht": r.IntN(6), "arbeit": r.IntN(4), "gesundheit": r.IntN(3), "trauma": r.IntN(6)},
			PeopleSupported: float64(r.IntN(2000)), PeopleExpected: float64(r.IntN(2000)), FTE: float64(r.IntN(20)) / 2,
		}
	}
	return in
}

// BenchmarkCompute plans 1,080 and 10,800 Kommunen (about a tenth of and
// all of Germany's): with a bounded number of Kommunen per radius the time
// per Kommune stays about the same.
func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1080, 10800} {
		in := planGermanyInput(n, 7)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compute(in, planModules, DefaultParams())
			}
		})
	}
}

// TestComputeGermanyScale checks the invariants on a nation-wide input.
func TestComputeGermanyScale(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	in := planGermanyInput(10800, 3)
	pl := Compute(in, planModules, DefaultParams())
	for _, msg := range planCheckPlan(in, DefaultParams(), pl) {
		t.Error(msg)
	}
}
