package analysis

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// BenchmarkWorkbook builds the evaluation workbook of a nation-wide round
// (5,400 and 10,800 Kommunen × the default questionnaire, plan included)
// and, in the same run, a baseline that writes the same cells raw with
// StreamWriter and no logic: the answers as stored in Antworten, and in
// every other sheet as many numbers and texts (of the same average length
// per column) as the workbook has there, without styles, formulas, plan,
// comparison or charts. Both read the answers through the same Each, which
// generates every Kommune's answers on the fly from its own seed, as a
// database cursor hands out rows; reading alone is measured too.
//
// Reported per size: the fastest time of the runs and the highest peak heap (bytes of heap objects above the
// level before the run, sampled every millisecond) of workbook and
// baseline, their ratios (target ≤ 1.3), the time ratio without the reading
// (time-ratio-net), the file size, and for 10,800 how peak heap and file
// grew against 5,400 (memory should grow no faster than the file).
//
//	go test -run '^$' -bench BenchmarkWorkbook -benchtime 2x ./analysis/
func BenchmarkWorkbook(b *testing.B) {
	type result struct{ peak, file float64 }
	results := map[int]result{}
	for _, n := range []int{5400, 10800} {
		b.Run(fmt.Sprintf("kommunen=%d", n), func(b *testing.B) {
			ds := wbScaleDataset(b, n, 42)
			shape := wbShape(b, ds)
			// The fastest of the runs counts: on a shared machine the
			// others measure the neighbours.
			wbTime, baseTime, readTime := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			var wbPeak, basePeak, fileSize float64
			for b.Loop() {
				d, _, _ := wbMeasure(b, func(io.Writer) error {
					return ds.Each(func(survey.Response, survey.Answers) error { return nil })
				})
				readTime = min(readTime, d)
				d, peak, _ := wbMeasure(b, func(w io.Writer) error { return wbBaseline(w, ds, shape) })
				baseTime = min(baseTime, d)
				basePeak = max(basePeak, peak)
				d, peak, size := wbMeasure(b, func(w io.Writer) error { return WriteWorkbook(w, ds) })
				wbTime = min(wbTime, d)
				wbPeak = max(wbPeak, peak)
				fileSize = size
			}
			mb := float64(1 << 20)
			b.ReportMetric(wbTime.Seconds(), "workbook-s")
			b.ReportMetric(baseTime.Seconds(), "baseline-s")
			b.ReportMetric(readTime.Seconds(), "reading-s")
			b.ReportMetric(float64(wbTime)/float64(baseTime), "time-ratio")
			b.ReportMetric(float64(wbTime-readTime)/float64(baseTime-readTime), "time-ratio-net")
			b.ReportMetric(wbPeak/mb, "workbook-peak-MB")
			b.ReportMetric(basePeak/mb, "baseline-peak-MB")
			b.ReportMetric(wbPeak/basePeak, "mem-ratio")
			b.ReportMetric(fileSize/mb, "file-MB")
			results[n] = result{wbPeak, fileSize}
			if half, ok := results[n/2]; ok {
				b.ReportMetric(wbPeak/half.peak, "mem-growth")
				b.ReportMetric(fileSize/half.file, "file-growth")
			}
		})
	}
}

// wbMeasure runs write into a counting writer and returns its time, the
// peak of heap memory above the level before it, and the bytes written.
func wbMeasure(b *testing.B, write func(io.Writer) error) (time.Duration, float64, float64) {
	b.Helper()
	runtime.GC()
	start := wbHeap()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				h := wbHeap()
				mu.Lock()
				peak = max(peak, h)
				mu.Unlock()
			}
		}
	}()
	var cw wbCounter
	t0 := time.Now()
	err := write(&cw)
	d := time.Since(t0)
	close(stop)
	<-done
	if err != nil {
		b.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return d, float64(max(peak, start) - start), float64(cw.n)
}

// wbHeap returns the bytes of heap memory occupied by objects, live or not
// yet swept.
func wbHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type wbCounter struct{ n int64 }

func (c *wbCounter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// wbSheetShape is what one sheet holds: its rows and, per column, how
// many cells, how many of them numbers, and the text length of the others.
type wbSheetShape struct {
	name string
	rows int
	cols []wbColShape
}

type wbColShape struct {
	cells, numbers, textBytes int
}

// wbShape builds the workbook once and profiles its sheets.
func wbShape(b *testing.B, ds Dataset) []wbSheetShape {
	b.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, ds); err != nil {
		b.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var shape []wbSheetShape
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		s := wbSheetShape{name: sheet}
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			s.rows++
			for len(s.cols) < len(cols) {
				s.cols = append(s.cols, wbColShape{})
			}
			for i, c := range cols {
				if c == "" {
					continue
				}
				s.cols[i].cells++
				if _, err := strconv.ParseFloat(c, 64); err == nil {
					s.cols[i].numbers++
				} else {
					s.cols[i].textBytes += len(c)
				}
			}
		}
		rows.Close()
		shape = append(shape, s)
	}
	return shape
}

// wbBaseline writes the same cells raw: Antworten with the stored answers
// (number, or text, or 1 for a chosen option), every other sheet as plain
// numbers in as many rows and cells as the workbook has there.
func wbBaseline(w io.Writer, ds Dataset, shape []wbSheetShape) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range shape {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
	}
	for _, s := range shape {
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		if s.name == SheetAnswers {
			err = wbBaselineAnswers(sw, ds)
		} else {
			err = wbBaselineCells(sw, s)
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

func wbBaselineAnswers(sw *excelize.StreamWriter, ds Dataset) error {
	cols := AnswerColumns(ds.Questionnaire)
	header := []any{"AGS", "Kommune", "Status"}
	for _, c := range cols {
		header = append(header, c.Header)
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	return ds.Each(func(r survey.Response, a survey.Answers) error {
		row++
		cells := make([]any, 3+len(cols))
		cells[0], cells[1], cells[2] = r.Kommune.AGS, r.Kommune.Name, string(r.Status)
		for i, c := range cols {
			v, ok := a[survey.Key{Question: c.Q.ID, Item: c.Item}]
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

// wbBaselineCells writes as many cells per column as the workbook has:
// numbers first, then text of the column's average length.
func wbBaselineCells(sw *excelize.StreamWriter, s wbSheetShape) error {
	fill := make([]string, len(s.cols))
	for i, c := range s.cols {
		if text := c.cells - c.numbers; text > 0 {
			fill[i] = strings.Repeat("x", max(1, c.textBytes/text))
		}
	}
	for r := 1; r <= s.rows; r++ {
		cells := make([]any, len(s.cols))
		for i, c := range s.cols {
			switch {
			case r <= c.numbers:
				cells[i] = float64(r*i) + 0.5
			case r <= c.cells:
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
