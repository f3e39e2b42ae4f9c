// Package rawbook is the baseline the evaluation workbook is measured
// against (analysis.BenchmarkWorkbook and "bedarf bench"): the same cells
// written raw with excelize's StreamWriter, without the product around
// them. Antworten holds the stored answers as they are (number, text, 1 for
// a chosen option); every other sheet holds as many numbers and texts (of
// the same average length per column) as the product's workbook has there.
// No styles, formulas, plan, charts or other logic.
package rawbook

import (
	"bytes"
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// SheetShape is what one sheet of a workbook holds: its rows and, per
// column, how many cells, how many of them numbers and the text bytes of
// the others.
type SheetShape struct {
	Name string
	Rows int
	Cols []ColShape
}

// ColShape is the profile of one column of a sheet.
type ColShape struct{ Cells, Numbers, TextBytes int }

// Shape profiles the sheets of a workbook.
func Shape(xlsx []byte) ([]SheetShape, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var shape []SheetShape
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return nil, err
		}
		s := SheetShape{Name: sheet}
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return nil, err
			}
			s.Rows++
			for len(s.Cols) < len(cols) {
				s.Cols = append(s.Cols, ColShape{})
			}
			for i, c := range cols {
				if c == "" {
					continue
				}
				s.Cols[i].Cells++
				if _, err := strconv.ParseFloat(c, 64); err == nil {
					s.Cols[i].Numbers++
				} else {
					s.Cols[i].TextBytes += len(c)
				}
			}
		}
		rows.Close()
		shape = append(shape, s)
	}
	return shape, nil
}

// Answers is the answers sheet of the baseline: the sheet's name, its
// header (AGS, Kommune, Status, then one heading per answer column), the
// answer key of each column and the answers, handed out as Dataset.Each
// does in package analysis.
type Answers struct {
	Sheet  string
	Header []any
	Keys   []survey.Key
	Each   func(func(survey.Response, survey.Answers) error) error
}

// Write writes the baseline workbook of the given shape to w: the answers
// sheet from the stored answers, every other sheet with raw cells.
func Write(w io.Writer, shape []SheetShape, ans Answers) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range shape {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
	}
	for _, s := range shape {
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		if s.Name == ans.Sheet {
			err = writeAnswers(sw, ans)
		} else {
			err = writeCells(sw, s)
		}
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func writeAnswers(sw *excelize.StreamWriter, ans Answers) error {
	if err := sw.SetRow("A1", ans.Header); err != nil {
		return err
	}
	row := 1
	return ans.Each(func(r survey.Response, a survey.Answers) error {
		row++
		cells := make([]any, 3+len(ans.Keys))
		cells[0], cells[1], cells[2] = r.Kommune.AGS, r.Kommune.Name, string(r.Status)
		for i, k := range ans.Keys {
			v, ok := a[k]
			switch {
			case !ok:
			case v.HasNum:
				cells[3+i] = v.Num
			default:
				cells[3+i] = v.Text
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells)
	})
}

// writeCells writes as many cells per column as the shape has: numbers
// first, then text of the column's average length.
func writeCells(sw *excelize.StreamWriter, s SheetShape) error {
	fill := make([]string, len(s.Cols))
	for i, c := range s.Cols {
		if text := c.Cells - c.Numbers; text > 0 {
			fill[i] = strings.Repeat("x", max(1, c.TextBytes/text))
		}
	}
	for r := 1; r <= s.Rows; r++ {
		cells := make([]any, len(s.Cols))
		for i, c := range s.Cols {
			switch {
			case r <= c.Numbers:
				cells[i] = float64(r*i) + 0.5
			case r <= c.Cells:
				cells[i] = fill[i]
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return nil
}

// Measure runs fn and returns its time and the peak of heap memory above
// the level before it: bytes of heap objects, live or not yet swept,
// sampled every millisecond.
func Measure(fn func() error) (time.Duration, uint64, error) {
	runtime.GC()
	start := heapObjects()
	peak := start
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak = max(peak, heapObjects())
			}
		}
	}()
	t := time.Now()
	err := fn()
	d := time.Since(t)
	close(stop)
	<-done
	peak = max(peak, heapObjects())
	return d, peak - start, err
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// CountWriter counts the bytes written to it and keeps none.
type CountWriter struct{ N int64 }

// Write counts p.
func (c *CountWriter) Write(p []byte) (int, error) {
	c.N += int64(len(p))
	return len(p), nil
}
