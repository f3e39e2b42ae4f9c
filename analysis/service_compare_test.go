package analysis

import (
	"context"
	"maps"
	"testing"

	"bedarf/survey"
	"bedarf/survey/store"
)

// rfReusing is the store as a Source whose EachAnswers hands every
// response's answers in one reused map, as a cursor reusing its buffer
// may, and empties it at the end: whoever keeps the answers beyond the
// call sees none.
type rfReusing struct{ *store.Store }

func (c rfReusing) EachAnswers(ctx context.Context, roundID int64, fn func(survey.Response, survey.Answers) error) error {
	buf := survey.Answers{}
	err := c.Store.EachAnswers(ctx, roundID, func(r survey.Response, a survey.Answers) error {
		clear(buf)
		maps.Copy(buf, a)
		return fn(r, buf)
	})
	clear(buf)
	return err
}

// TestServiceCompareRoundsStreams: Service.CompareRounds counts each
// answer while the source hands it out and keeps no round's answers (as
// the workbook's Vergleich sheet does), so its figures are the same from a
// source that reuses its buffer. Collecting both rounds first, it would
// count empty answers.
func TestServiceCompareRoundsStreams(t *testing.T) {
	first, second := map[int]rfAnswers{}, map[int]rfAnswers{}
	for i := range 6 {
		first[i] = rfPlain(1+i%4, 1+i)
		second[i+2] = rfPlain(2+i%3, 2+i)
	}
	f, a := newRFStore(t, first)
	b := f.round(t, "Runde 2", second)
	ctx := context.Background()
	for _, all := range []bool{false, true} {
		want, err := NewService(f.st).CompareRounds(ctx, a, b, all)
		if err != nil {
			t.Fatal(err)
		}
		got, err := NewService(rfReusing{f.st}).CompareRounds(ctx, a, b, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			name      string
			got, want *roundStats
		}{{"earlier round", got.prev, want.prev}, {"later round", got.cur, want.cur}} {
			if v, _ := r.want.value("belastung_gesamt", "", statSum); v == 0 {
				t.Fatalf("all=%v, %s: test data: no burden counted", all, r.name)
			}
			if !maps.Equal(r.got.v, r.want.v) {
				t.Errorf("all=%v, %s: figures from a reusing source differ:\n got %v\nwant %v", all, r.name, r.got.v, r.want.v)
			}
		}
	}
}
