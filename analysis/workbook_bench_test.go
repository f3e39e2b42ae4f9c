package analysis

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime"
	"testing"
	"time"

	"bedarf/analysis/rawbook"
	"bedarf/survey"
)

// BenchmarkWorkbook builds the evaluation workbook of a nation-wide round
// (5,400 and 10,800 Kommunen × the default questionnaire, plan included;
// and 500, the size of `bedarf bench --short`, with a previous round of as
// many Kommunen, so that the Vergleich sheet with its sums and charts is
// written too: its size does not grow with the Kommunen) and, in the same
// run, a baseline (package rawbook) that writes the same cells raw
// with StreamWriter and no logic: the answers as stored in Antworten, and
// in every other sheet as many numbers and texts (of the same average
// length per column) as the workbook has there, without styles, formulas,
// plan, comparison or charts. Both read the answers through the same Each
// (the baseline reads the previous round too, and drops it), which
// generates every Kommune's answers on the fly from its own seed, as a
// database cursor hands out rows; reading alone is measured too.
//
// Reported per size: the fastest time of the runs and the highest peak heap (bytes of heap objects above the
// level before the run, sampled every millisecond) of workbook and
// baseline, their ratios (target ≤ 1.3), the time ratio without the reading
// (time-ratio-net), the bytes allocated by workbook and baseline and their
// ratio (alloc-ratio: unlike time and peak it does not depend on the
// machine's load or the collector's timing, so it shows a change of the
// workbook's own work at once: the Vergleich sheet's charts added after
// its rows, issue 19's regression, raise it at 500 Kommunen from 1.36 to
// 1.43), the file size, and for 10,800 how peak
// heap and file grew against 5,400 (memory should grow no faster than the
// file).
//
//	go test -run '^$' -bench BenchmarkWorkbook -benchtime 2x ./analysis/
func BenchmarkWorkbook(b *testing.B) {
	type result struct{ peak, file float64 }
	results := map[int]result{}
	for _, tc := range []struct {
		n        int
		previous bool
	}{{5400, false}, {10800, false}, {500, true}} {
		name := fmt.Sprintf("kommunen=%d", tc.n)
		if tc.previous {
			name += "/previous"
		}
		b.Run(name, func(b *testing.B) {
			n := tc.n
			ds := wbScaleDataset(b, n, 42)
			readPrevious := func() error { return nil }
			if tc.previous {
				prev := wbScaleDataset(b, n, 43)
				prev.Round = wbRound(6, "Bundesweite Bedarfsabfrage 2025")
				ds.Previous = &prev
				readPrevious = func() error {
					return prev.Each(func(survey.Response, survey.Answers) error { return nil })
				}
			}
			shape := wbShape(b, ds)
			// The fastest of the runs counts: on a shared machine the
			// others measure the neighbours.
			wbTime, baseTime, readTime := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			var wbPeak, basePeak, fileSize, wbAlloc, baseAlloc float64
			for b.Loop() {
				d, _, _, _ := wbMeasure(b, func(io.Writer) error {
					if err := readPrevious(); err != nil {
						return err
					}
					return ds.Each(func(survey.Response, survey.Answers) error { return nil })
				})
				readTime = min(readTime, d)
				d, peak, _, alloc := wbMeasure(b, func(w io.Writer) error {
					if err := readPrevious(); err != nil {
						return err
					}
					return rawbook.Write(w, shape, BaselineAnswers(ds.Questionnaire, ds.Each))
				})
				baseTime = min(baseTime, d)
				basePeak = max(basePeak, peak)
				baseAlloc = alloc
				d, peak, size, alloc := wbMeasure(b, func(w io.Writer) error { return WriteWorkbook(w, ds) })
				wbTime = min(wbTime, d)
				wbPeak = max(wbPeak, peak)
				wbAlloc = alloc
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
			b.ReportMetric(wbAlloc/mb, "workbook-alloc-MB")
			b.ReportMetric(baseAlloc/mb, "baseline-alloc-MB")
			b.ReportMetric(wbAlloc/baseAlloc, "alloc-ratio")
			b.ReportMetric(fileSize/mb, "file-MB")
			if tc.previous {
				return
			}
			results[n] = result{wbPeak, fileSize}
			if half, ok := results[n/2]; ok {
				b.ReportMetric(wbPeak/half.peak, "mem-growth")
				b.ReportMetric(fileSize/half.file, "file-growth")
			}
		})
	}
}

// wbMeasure runs write into a counting writer and returns its time, the
// peak of heap memory above the level before it, the bytes written and
// the bytes allocated meanwhile.
func wbMeasure(b *testing.B, write func(io.Writer) error) (time.Duration, float64, float64, float64) {
	b.Helper()
	var cw rawbook.CountWriter
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, peak, err := rawbook.Measure(func() error { return write(&cw) })
	runtime.ReadMemStats(&after)
	if err != nil {
		b.Fatal(err)
	}
	return d, float64(peak), float64(cw.N), float64(after.TotalAlloc - before.TotalAlloc)
}

// wbShape builds the workbook once and profiles its sheets.
func wbShape(b *testing.B, ds Dataset) []rawbook.SheetShape {
	b.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, ds); err != nil {
		b.Fatal(err)
	}
	shape, err := rawbook.Shape(buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	return shape
}
