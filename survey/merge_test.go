package survey

import (
	"reflect"
	"strings"
	"testing"
)

// TestMerge: the three-way merge of a save, table-driven, on a
// questionnaire with a multiple-choice question, a matrix and a number.
func TestMerge(t *testing.T) {
	q, err := ParseYAML("m.yaml", []byte(`id: m
title: M
sections:
  - id: s
    title: S
    questions:
      - {id: n, type: integer, label: Zahl}
      - id: mc
        type: multiple_choice
        label: Zeiten
        choices:
          - {value: vormittag, label: vormittags}
          - {value: nachmittag, label: nachmittags}
          - {value: abend, label: abends}
      - id: mx
        type: matrix
        label: Matrix
        choices: [{value: "1", label: eins}, {value: "2", label: zwei}]
        rows: [{value: r1, label: R1}, {value: r2, label: R2}]
`))
	if err != nil {
		t.Fatal(err)
	}
	ans := func(kv ...string) Answers {
		a := Answers{}
		for i := 0; i < len(kv); i += 2 {
			q, item, _ := strings.Cut(kv[i], ".")
			a[Key{q, item}] = Value{Raw: kv[i+1]}
		}
		return a
	}
	changed := func(by string, keys ...string) map[Key]Change {
		m := map[Key]Change{}
		for i, k := range keys {
			q, item, _ := strings.Cut(k, ".")
			m[Key{q, item}] = Change{Revision: 2 + i, By: by}
		}
		return m
	}
	mc := func(codes ...string) []string { return codes }
	for _, tc := range []struct {
		name      string
		in        MergeInput
		changes   []Key
		conflicts []Conflict
	}{
		{"the issue's case: two selections from the same base conflict as a whole",
			MergeInput{Base: ans("mc.abend", "abend", "mc.nachmittag", "nachmittag", "mc.vormittag", "vormittag"),
				Current: ans("mc.abend", "abend", "mc.nachmittag", "nachmittag"), // B dropped vormittag
				Mine:    ans("mc.abend", "abend", "mc.vormittag", "vormittag"),   // A drops nachmittag
				Changed: changed("Ben", "mc.vormittag")},
			nil, []Conflict{{Key: Key{"mc", ""}, Mine: mc("vormittag", "abend"), Their: mc("nachmittag", "abend"), By: "Ben"}}},
		{"the same selection on both sides is no conflict",
			MergeInput{Base: ans(), Current: ans("mc.abend", "abend"), Mine: ans("mc.abend", "abend"), Changed: changed("Ben", "mc.abend")},
			nil, nil},
		{"a selection nobody else touched is written whole",
			MergeInput{Base: ans("mc.abend", "abend", "n", "1"), Current: ans("mc.abend", "abend", "n", "2"),
				Mine: ans("mc.vormittag", "vormittag", "n", "1"), Changed: changed("Ben", "n")},
			[]Key{{"mc", "abend"}, {"mc", "vormittag"}}, nil},
		{"matrix rows are separate: different rows merge",
			MergeInput{Base: ans(), Current: ans("mx.r1", "1"), Mine: ans("mx.r2", "2"), Changed: changed("Ben", "mx.r1")},
			[]Key{{"mx", "r2"}}, nil},
		{"matrix rows are separate: the same row conflicts alone",
			MergeInput{Base: ans(), Current: ans("mx.r1", "1"), Mine: ans("mx.r1", "2", "mx.r2", "2"), Changed: changed("Ben", "mx.r1")},
			[]Key{{"mx", "r2"}}, []Conflict{{Key: Key{"mx", "r1"}, Mine: mc("2"), Their: mc("1"), By: "Ben"}}},
		{"Force overwrites a conflicting answer, here clearing it",
			MergeInput{Base: ans("n", "1"), Current: ans("n", "2"), Mine: ans(), Changed: changed("Ben", "n"), Force: []Key{{"n", ""}}},
			[]Key{{"n", ""}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Merge(q, tc.in)
			if !reflect.DeepEqual(got.Conflicts, tc.conflicts) {
				t.Errorf("conflicts\n got  %+v\n want %+v", got.Conflicts, tc.conflicts)
			}
			if len(tc.conflicts) == 0 && !reflect.DeepEqual(got.Changes, tc.changes) {
				t.Errorf("changes\n got  %v\n want %v", got.Changes, tc.changes)
			}
			if len(tc.conflicts) > 0 {
				// Merged: current with all of mine on top, nothing of either lost.
				for k, v := range tc.in.Mine {
					if got.Merged[k].Raw != v.Raw {
						t.Errorf("merged %v = %q, want mine %q", k, got.Merged[k].Raw, v.Raw)
					}
				}
				for _, c := range got.Conflicts {
					if u := q.UnitRaws(got.Merged, c.Key); !reflect.DeepEqual(u, c.Mine) {
						t.Errorf("merged %v = %q, want exactly mine %q", c.Key, u, c.Mine)
					}
				}
			}
		})
	}
}
