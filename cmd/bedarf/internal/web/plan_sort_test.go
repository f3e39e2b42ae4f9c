package web

import (
	"slices"
	"testing"

	"bedarf/analysis"
)

// TestPlanStaffOrderUndefinedRatio: a Kommune without filled FTE (its
// ratio undefined, shown as "–") sorts above every ratio, so it comes last
// ascending and first descending; ties keep the AGS order. The seeded
// rounds of the end-to-end test always have FTE, so the case is here.
func TestPlanStaffOrderUndefinedRatio(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	rows := []analysis.StaffingRow{
		{AGS: "04", PeoplePerFTE: f(50), PeoplePerFTEExpected: nil},
		{AGS: "01", PeoplePerFTE: nil, PeoplePerFTEExpected: f(10)},
		{AGS: "03", PeoplePerFTE: f(20), PeoplePerFTEExpected: f(10)},
		{AGS: "02", PeoplePerFTE: nil, PeoplePerFTEExpected: nil},
	}
	for _, tc := range []struct {
		col  string
		desc bool
		want []string
	}{
		{"pro-vzae", false, []string{"03", "04", "01", "02"}},
		{"pro-vzae", true, []string{"02", "01", "04", "03"}},
		{"pro-vzae-12", false, []string{"01", "03", "02", "04"}},
		{"pro-vzae-12", true, []string{"04", "02", "03", "01"}},
	} {
		got := slices.Clone(rows)
		sortRows(got, listSort{Column: tc.col, Desc: tc.desc}, planStaffOrder, func(r analysis.StaffingRow) string { return r.AGS })
		var ags []string
		for _, r := range got {
			ags = append(ags, r.AGS)
		}
		if !slices.Equal(ags, tc.want) {
			t.Errorf("%s desc=%v: %v, want %v", tc.col, tc.desc, ags, tc.want)
		}
	}
}
