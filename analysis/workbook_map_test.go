package analysis

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbookHasTheMap: with boundaries the Übersicht carries the demand
// map as a picture; without them there is none.
func TestWorkbookHasTheMap(t *testing.T) {
	for _, withMap := range []bool{true, false} {
		ds := wbDemoDataset(t, 1)
		ds.GeoJSON = nil
		if withMap {
			ds.GeoJSON = DefaultRegionGeoJSON()
		}
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, ds); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		cells, err := f.GetPictureCells(SheetOverview)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := len(cells) == 1; got != withMap {
			t.Errorf("with boundaries %v: pictures at %v", withMap, cells)
		}
	}
}
