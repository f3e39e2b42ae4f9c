package rawbook

import (
	"bytes"
	"reflect"
	"testing"

	"bedarf/survey"
)

// TestWriteKeepsShape: a baseline written from a shape has that shape, and
// its answers sheet holds the answers raw, numbers as numbers.
func TestWriteKeepsShape(t *testing.T) {
	shape := []SheetShape{
		{Name: "Übersicht", Rows: 3, Cols: []ColShape{{Cells: 3, Numbers: 1, TextBytes: 20}, {Cells: 2, Numbers: 2}}},
		{Name: "Antworten"},
		{Name: "Personal", Rows: 5, Cols: []ColShape{{Cells: 5, TextBytes: 40}, {}, {Cells: 4, Numbers: 4}}},
	}
	ans := Answers{Sheet: "Antworten", Header: []any{"AGS", "Kommune", "Status", "Zahl", "Text"},
		Keys: []survey.Key{{Question: "zahl"}, {Question: "text"}},
		Each: func(fn func(survey.Response, survey.Answers) error) error {
			for i, ags := range []string{"03241001", "03241002"} {
				r := survey.Response{Kommune: survey.Kommune{AGS: ags, Name: "K" + ags}, Status: survey.StatusSubmitted}
				a := survey.Answers{{Question: "zahl"}: {Num: float64(i) + 0.5, HasNum: true}}
				if i == 1 {
					a[survey.Key{Question: "text"}] = survey.Value{Text: "=1+1"}
				}
				if err := fn(r, a); err != nil {
					return err
				}
			}
			return nil
		}}
	var buf bytes.Buffer
	if err := Write(&buf, shape, ans); err != nil {
		t.Fatal(err)
	}
	got, err := Shape(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := append([]SheetShape(nil), shape...)
	want[1] = SheetShape{Name: "Antworten", Rows: 3, Cols: []ColShape{
		{Cells: 3, Numbers: 2, TextBytes: 3}, {Cells: 3, TextBytes: 7 + 18}, {Cells: 3, TextBytes: 6 + 2*len("submitted")},
		{Cells: 3, Numbers: 2, TextBytes: 4}, {Cells: 2, TextBytes: 4 + 4}}}
	// AGS read back are numbers to Shape, as in the product's workbook.
	// Text cells of the other sheets are filled with the column's average
	// length: 20/2 bytes in Übersicht, 40/5 in Personal.
	if !reflect.DeepEqual(got, want) {
		t.Errorf("shape\n got %+v\nwant %+v", got, want)
	}
}

// TestMeasure: the peak covers memory fn holds while it runs.
func TestMeasure(t *testing.T) {
	var keep []byte
	_, peak, err := Measure(func() error {
		keep = make([]byte, 64<<20)
		for i := range keep {
			keep[i] = 1
		}
		return nil
	})
	// Other objects may be freed meanwhile: a little less is fine.
	if err != nil || peak < 60<<20 {
		t.Errorf("peak %d, %v; want about 64 MiB", peak, err)
	}
	_ = keep
}
