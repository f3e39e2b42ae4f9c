package analysis

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"bedarf/analysis/rawbook"
	"bedarf/survey"
)

// BenchmarkWorkbook builds the evaluation workbook of a nation-wide round
// (5,400 and 10,800 Kommunen × the default questionnaire, plan included)
// and, in the same run, a baseline (package rawbook) that writes the same
// cells raw with StreamWriter and no logic: the answers as stored in Antworten, and in
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
				d, peak, _ := wbMeasure(b, func(w io.Writer) error { return rawbook.Write(w, shape, BaselineAnswers(ds.Questionnaire, ds.Each)) })
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
	var cw rawbook.CountWriter
	d, peak, err := rawbook.Measure(func() error { return write(&cw) })
	if err != nil {
		b.Fatal(err)
	}
	return d, float64(peak), float64(cw.N)
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
