package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/bench"
)

// TestBenchShort runs "bedarf bench" end to end in a small short mode and
// checks that it writes a report with every section and every target, whose
// hand-written notes a later run would keep. It checks no figures: timing
// belongs to the report, not to a test.
func TestBenchShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole bench (about 10 s)")
	}
	out := filepath.Join(t.TempDir(), "PERFORMANCE.md")
	args := []string{"bench", "--short", "--kommunen", "200", "--clients", "4", "--serial", "10", "--out", out, "--dir", t.TempDir()}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	for _, s := range bench.BenchSections {
		if !strings.Contains(report, "\n"+s+"\n") {
			t.Errorf("report lacks section %q", s)
		}
	}
	for _, want := range []string{"draft save in the background (JavaScript) vs its baseline", "draft save without JavaScript (the whole page) vs its baseline",
		"baseline: middleware over HTTP", "draft save in the background, 4 clients", "concurrent clients: errors", "questionnaire page over HTTP",
		"questionnaire page: its rendering (skeleton alone) vs the page",
		"round overview, cold", "round overview, warm", "plan page, cold (first view after a save)", "plan page, warm (repeated view)",
		"the plan for", "workbook download vs raw StreamWriter baseline: time", "workbook download vs raw StreamWriter baseline: peak heap",
		"in CPU time the workbook costs", "CPU time (p50)", "plan map after the upload vs built-in boundaries (CPU time)",
		"detailed boundaries: first (cold) plan map after the upload", "detailed boundaries: plan map SVG", "detailed boundaries: workbook"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks target %q", want)
		}
	}
	if !strings.Contains(stdout.String(), "Bericht: "+out) {
		t.Errorf("stdout does not name the report:\n%s", stdout.String())
	}

	// Notes written by hand are kept for the next run.
	edited := strings.Replace(report, bench.NotesBegin+"\n", bench.NotesBegin+"\nHand-written finding.\n", 1)
	if err := os.WriteFile(out, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := bench.KeptNotes(out); !strings.HasPrefix(got, "Hand-written finding.") {
		t.Errorf("kept notes %q", got)
	}
}
