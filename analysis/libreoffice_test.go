//go:build libreoffice

package analysis

// LibreOffice as the spreadsheet that must agree with Go (recipe in
// shared/TESTING.md): it recalculates the workbook headless, and every
// formula cell must come out as the value the Go code cached. Run with
//
//	go test -tags libreoffice ./analysis/
//
// The tests fail, not skip, when soffice is missing.

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// loProfile is the registry of a fresh LibreOffice profile that forces
// recalculation on load (by default LibreOffice trusts cached values).
const loProfile = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
</oor:items>
`

// loConvert has LibreOffice open each file and save it again as xlsx, with
// every formula recalculated; it returns the saved files by name. All files
// go through one soffice call (a cold start takes seconds).
func loConvert(t *testing.T, files map[string][]byte, filter []string) map[string][]byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("LibreOffice (soffice) is not installed: %v; install libreoffice-calc-nogui", err)
	}
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(loProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--headless", "--norestore", "--nolockcheck", "-env:UserInstallation=file://" + profile}
	args = append(args, filter...)
	args = append(args, "--outdir", out)
	for name, data := range files {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "HOME="+dir)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	got := map[string][]byte{}
	for name := range files {
		base := strings.TrimSuffix(name, filepath.Ext(name)) + ".xlsx"
		data, err := os.ReadFile(filepath.Join(out, base))
		if err != nil {
			// soffice exits 0 even when it could not load a file.
			t.Fatalf("LibreOffice wrote no %s: %v\n%s", base, err, msg)
		}
		got[name] = data
	}
	return got
}

// loRecalc is loConvert for xlsx files.
func loRecalc(t *testing.T, files map[string][]byte) map[string][]byte {
	t.Helper()
	return loConvert(t, files, []string{"--convert-to", "xlsx:Calc MS Excel 2007 XML"})
}

// formulaCell is a formula of a workbook and its cached value.
type loFormula struct {
	sheet, cell, formula, value string
}

// loFormulas returns every formula cell of a workbook with its cached value.
func loFormulas(t *testing.T, data []byte) []loFormula {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []loFormula
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		for r := range rows {
			for c := range width + 1 {
				cell := cellName(c+1, r+1)
				fo, err := f.GetCellFormula(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if fo == "" {
					continue
				}
				v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, loFormula{sheet, cell, fo, v})
			}
		}
	}
	return out
}

// loValues returns the raw values of the given cells.
func loValues(t *testing.T, data []byte, cells []loFormula) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make([]string, len(cells))
	for i, c := range cells {
		v, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

// loSame compares two cell values: numbers with a relative tolerance of
// 1e-9 (LibreOffice sums with compensation and writes 15 digits), text
// exactly.
func loSame(want, got string) bool {
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	if err1 != nil || err2 != nil {
		return want == got
	}
	return math.Abs(w-g) <= 1e-9*math.Max(1, math.Abs(w))
}

// loCompare checks that LibreOffice computed every formula as cached in
// want; it returns the number of formulas compared.
func loCompare(t *testing.T, label string, want []loFormula, recalculated []byte) int {
	t.Helper()
	got := loValues(t, recalculated, want)
	bad := 0
	for i, c := range want {
		if !loSame(c.value, got[i]) {
			bad++
			if bad <= 20 {
				t.Errorf("%s: %s!%s = %s: Go %q, LibreOffice %q", label, c.sheet, c.cell, c.formula, c.value, got[i])
			}
		}
	}
	if bad > 20 {
		t.Errorf("%s: %d cells differ in all", label, bad)
	}
	if again := loFormulas(t, recalculated); len(again) != len(want) {
		t.Errorf("%s: LibreOffice kept %d of %d formulas", label, len(again), len(want))
	}
	return len(want)
}

// loBite replaces the cached value of the first formula of a sheet's XML
// with wrong, so the test can prove that LibreOffice recalculates.
func loBite(t *testing.T, data []byte, sheetXML, wrong string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	re := regexp.MustCompile(`(<f>[^<]+</f><v>)([^<]+)(</v>)`)
	bitten := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == sheetXML {
			loc := re.FindSubmatchIndex(content)
			if loc == nil {
				t.Fatalf("no formula with a value in %s", sheetXML)
			}
			content = append(append(append([]byte{}, content[:loc[4]]...), wrong...), content[loc[5]:]...)
			bitten = true
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bitten {
		t.Fatalf("%s not in the workbook", sheetXML)
	}
	return buf.Bytes()
}

// loSetParams changes the live parameters of a workbook through their
// defined names, as staff would in Excel.
func loSetParams(t *testing.T, data []byte, p Params) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	live, _ := paramDefs(p)
	refs := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		refs[dn.Name] = dn.RefersTo
	}
	for _, d := range live {
		ref, ok := refs[d.name]
		if !ok {
			t.Fatalf("defined name %s missing", d.name)
		}
		sheet, cell, _ := strings.Cut(ref, "!")
		if err := f.SetCellValue(sheet, strings.ReplaceAll(cell, "$", ""), d.value); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func loWorkbook(t *testing.T, ds Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLibreOfficeAgrees recalculates the demo-like workbook (with a
// previous round) and a workbook of a larger region in LibreOffice and
// compares every formula with the Go value; it proves that LibreOffice
// really recalculates by planting wrong cached values; and it changes every
// live parameter in the file and compares with the Go plan computed with
// the changed parameters.
func TestLibreOfficeAgrees(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.Previous = wbPreviousDataset(t, 2)
	base := loWorkbook(t, ds)

	big := wbScaleDataset(t, 400, 11)
	bigBook := loWorkbook(t, big)
	empty := wbDemoDataset(t, 1)
	for i := range empty.Responses {
		empty.Responses[i].Status = survey.StatusNew
	}
	emptyBook := loWorkbook(t, empty)

	changed := DefaultParams()
	changed.SessionsPerYear = 12
	changed.HoursPerSession = 1.5
	changed.FeePerHour = 97.35
	changed.TravelPerSession = 17.15
	changed.VATPercent = 7
	changed.TrainingMaxPerDay = 15
	changed.TrainingDayCost = 1333.33
	changed.TargetCaseload = 95
	changed.CostPerFTE = 81234.56
	dsChanged := ds
	dsChanged.Params = changed
	wantChanged := loFormulas(t, loWorkbook(t, dsChanged))

	// Sheet 3 is Supervision, sheet 1 Übersicht (cross-sheet formulas).
	bitten := loBite(t, loBite(t, base, "xl/worksheets/sheet3.xml", "12345.678"), "xl/worksheets/sheet1.xml", "-999")

	got := loRecalc(t, map[string][]byte{
		"base.xlsx":    base,
		"big.xlsx":     bigBook,
		"empty.xlsx":   emptyBook,
		"bitten.xlsx":  bitten,
		"changed.xlsx": loSetParams(t, base, changed),
	})

	want := loFormulas(t, base)
	n := loCompare(t, "demo", want, got["base.xlsx"])
	n += loCompare(t, "400 Kommunen", loFormulas(t, bigBook), got["big.xlsx"])
	n += loCompare(t, "empty round", loFormulas(t, emptyBook), got["empty.xlsx"])
	t.Logf("%d formula cells agree", n)
	if n < 500 {
		t.Errorf("only %d formula cells compared", n)
	}

	// The planted values are in the file LibreOffice read, and gone after
	// recalculation.
	planted := loFormulas(t, bitten)
	found := 0
	for _, c := range planted {
		if c.value == "12345.678" || c.value == "-999" {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("planted %d wrong values, want 2", found)
	}
	loCompare(t, "bitten", want, got["bitten.xlsx"])

	// Every plan figure follows the changed parameters as the Go plan does.
	if len(wantChanged) != len(want) {
		t.Fatalf("changed parameters changed the layout: %d vs %d formulas", len(wantChanged), len(want))
	}
	differs := 0
	for i := range want {
		if !loSame(want[i].value, wantChanged[i].value) {
			differs++
		}
	}
	if differs < 100 {
		t.Errorf("only %d figures change with the parameters", differs)
	}
	loCompare(t, "changed parameters", wantChanged, got["changed.xlsx"])
}

// TestLibreOfficeOpensCSV opens the CSV as a German spreadsheet does
// (";" separated, UTF-8, German locale): numbers with a decimal comma
// become numbers, umlauts survive, and hostile text stays text.
func TestLibreOfficeOpensCSV(t *testing.T) {
	ds := wbInjectionDataset(t)
	var csvData bytes.Buffer
	if err := WriteCSV(&csvData, ds); err != nil {
		t.Fatal(err)
	}
	demo := wbDemoDataset(t, 1)
	var demoData bytes.Buffer
	if err := WriteCSV(&demoData, demo); err != nil {
		t.Fatal(err)
	}
	got := loConvert(t, map[string][]byte{"hostile.csv": csvData.Bytes(), "demo.csv": demoData.Bytes()},
		[]string{"--infilter=CSV:59,34,76,1,,1031", "--convert-to", "xlsx:Calc MS Excel 2007 XML"})
	for name, data := range got {
		if raw := wbSheetXML(t, data, wbOpen(t, data).GetSheetList()[0]); strings.Contains(raw, "<f>") || strings.Contains(raw, "<f ") {
			t.Errorf("%s: LibreOffice made a formula of the CSV", name)
		}
	}
	f := wbOpen(t, got["hostile.csv"])
	sheet := f.GetSheetList()[0]
	for i, h := range wbHostile() {
		row := i + 2
		if v := wbRaw(t, f, sheet, cellName(4, row)); !strings.HasSuffix(v, strings.TrimLeft(h, "\t\r")) {
			t.Errorf("%q came in as %q", h, v)
		}
		if v := wbRaw(t, f, sheet, cellName(5, row)); v != "-2" {
			t.Errorf("number -2 came in as %q", v)
		}
		if v := wbRaw(t, f, sheet, cellName(6, row)); v != "-1.5" {
			t.Errorf("number -1,5 came in as %q", v)
		}
	}
	d := wbOpen(t, got["demo.csv"])
	sheet = d.GetSheetList()[0]
	col := wbHeaderCol(t, d, sheet, 1, "Betreute Geflüchtete in kommunalen Unterkünften")
	fte := wbHeaderCol(t, d, sheet, 1, "Besetzte Stellen")
	numbers, decimals := 0, 0
	for row := 2; row <= 1+len(demo.Responses); row++ {
		for _, c := range []int{col, fte} {
			v := wbRaw(t, d, sheet, cellName(c, row))
			if v == "" {
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Errorf("row %d: %q is not a number", row, v)
			}
			numbers++
			if x != math.Trunc(x) {
				decimals++
			}
		}
	}
	if numbers == 0 || decimals == 0 {
		t.Errorf("%d numbers, %d with decimals read", numbers, decimals)
	}
}

// wbHeaderCol returns the column number of a header in row hr.
func wbHeaderCol(t testing.TB, f *excelize.File, sheet string, hr int, header string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range rows[hr-1] {
		if h == header {
			return i + 1
		}
	}
	t.Fatalf("%s: no column %q", sheet, header)
	return 0
}
