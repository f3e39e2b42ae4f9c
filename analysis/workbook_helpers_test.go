package analysis

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"path"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Helpers to read workbooks back in tests.

func wbBytes(t testing.TB, ds Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func wbOpen(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// wbRaw returns the raw value of a cell.
func wbRaw(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wbNum returns the number in a cell.
func wbNum(t testing.TB, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	v := wbRaw(t, f, sheet, cell)
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, want a number", sheet, cell, v)
	}
	return x
}

// wbClose reports whether a cached value (15 significant digits) stands
// for the Go value.
func wbClose(got, want float64) bool {
	return math.Abs(got-want) <= 1e-14*math.Max(1, math.Abs(want))
}

// wbZip returns the files of a workbook by path.
func wbZip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name] = b
	}
	return out
}

// wbSheetXML returns the raw XML of a sheet, found through the workbook's
// relationships.
func wbSheetXML(t testing.TB, data []byte, sheet string) string {
	t.Helper()
	files := wbZip(t, data)
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(files["xl/workbook.xml"], &wb); err != nil {
		t.Fatal(err)
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				p := path.Join("xl", r.Target)
				if b, ok := files[p]; ok {
					return string(b)
				}
				t.Fatalf("sheet %s: %s not in the file", sheet, p)
			}
		}
	}
	t.Fatalf("sheet %s not found", sheet)
	return ""
}

// wbRowOf returns the 1-based row of the Kommune in a sheet whose column B
// holds Kommune names.
func wbRowOf(t testing.TB, f *excelize.File, sheet, name string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 1 && r[1] == name {
			return i + 1
		}
	}
	t.Fatalf("%s: no row for %s", sheet, name)
	return 0
}

// excelizeRaw asks excelize for raw cell values.
func excelizeRaw() excelize.Options { return excelize.Options{RawCellValue: true} }
