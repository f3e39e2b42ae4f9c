package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbookHasTheMap: with boundaries the Übersicht carries the demand
// map as a picture; without them the picture is the notice that no
// boundaries are stored (never another region's map).
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
		if err != nil || len(cells) != 1 {
			f.Close()
			t.Fatalf("with boundaries %v: pictures at %v, %v", withMap, cells, err)
		}
		pics, err := f.GetPictures(SheetOverview, cells[0])
		f.Close()
		if err != nil || len(pics) != 1 {
			t.Fatalf("picture at %s: %v", cells[0], err)
		}
		alt := pics[0].Format.AltText
		if got := strings.Contains(alt, MapAttributionBKG); got != withMap {
			t.Errorf("with boundaries %v: alt text %q", withMap, alt)
		}
		if got := strings.Contains(alt, NoBoundariesText); got == withMap {
			t.Errorf("with boundaries %v: alt text %q", withMap, alt)
		}
	}
}
