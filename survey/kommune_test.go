package survey

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// TestParseKommunenCSVEncodings reads the same two Kommunen as German Excel
// and other tools write them: every variant must give the same result.
func TestParseKommunenCSVEncodings(t *testing.T) {
	want := []Kommune{
		{AGS: "03241012", Name: "Neustadt am Rübenberge", Kind: "Stadt", Lat: 52.5553, Lon: 9.4652, Population: 44386, PopulationYear: 2019},
		{AGS: "03241020", Name: "Wennigsen (Deister)", Kind: "Gemeinde", Lat: 52.2606, Lon: 9.5781, Population: 14017, PopulationYear: 2019},
	}
	semi := "AGS;Name;Kind;Lat;Lon;Population;Population_Year\r\n" +
		"3241012;Neustadt am Rübenberge;Stadt;52,5553;9,4652;44.386;2019\r\n" +
		"3241020;Wennigsen (Deister);Gemeinde;52,2606;9,5781;14017;2019\r\n" +
		";;;;;;\r\n"
	comma := "ags,name,kind,lat,lon,population,population_year\n" +
		"03241012,Neustadt am Rübenberge,Stadt,52.5553,9.4652,44386,2019\n" +
		"03241020,\"Wennigsen (Deister)\",Gemeinde,\"52,2606\",\"9,5781\",14017,2019\n"
	win1252, err := charmap.Windows1252.NewEncoder().String(semi)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(semi, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, src string }{
		{"semicolon UTF-8", semi},
		{"semicolon UTF-8 with BOM", "\xef\xbb\xbf" + semi},
		{"semicolon Windows-1252", win1252},
		{"comma UTF-8", comma},
		{"tab UTF-16 (Unicode-Text)", utf16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKommunenCSV([]byte(tc.src))
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
	if win1252 == semi || !strings.Contains(win1252, "\xfc") {
		t.Fatal("the Windows-1252 variant is not encoded as Windows-1252")
	}
}

// TestParseKommunenCSVAssociations: a Samtgemeinde without an AGS of its own
// is keyed by its ARS; members may carry their ARS beside the AGS.
func TestParseKommunenCSVAssociations(t *testing.T) {
	src := "ags;ars;name;kind;lat;lon\n" +
		";33525401000;Samtgemeinde Amelinghausen;Samtgemeinde;53,12;10,21\n" +
		"3355001;033555401001;Amelinghausen;Gemeinde;53,12;10,21\n" +
		"03355009;;Bleckede;Stadt;53,29;10,73\n"
	got, err := ParseKommunenCSV([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{got[0].AGS, got[1].AGS, got[2].AGS}
	if !slices.Equal(keys, []string{"033525401000", "03355001", "03355009"}) {
		t.Errorf("keys %v", keys)
	}
	if got[0].ARS != "033525401000" || got[1].ARS != "033555401001" || got[2].ARS != "" {
		t.Errorf("ARS %q %q %q", got[0].ARS, got[1].ARS, got[2].ARS)
	}
	if !ARSMatchesAGS("033555401001", "03355001") || ARSMatchesAGS("033555401001", "03355002") {
		t.Error("ARSMatchesAGS")
	}
}

// TestParseKommunenCSVRefusals: every bad line is named with its number and
// reason, and nothing is returned.
func TestParseKommunenCSVRefusals(t *testing.T) {
	src := "ags;ars;name;kind;lat;lon;population;population_year\n" + // 1
		"03241001;;Hannover;Stadt;52,38;9,77;536925;2019\n" + // 2: good
		"123;;Kurz;Stadt;52;9;;\n" + // 3
		"3,24E+06;;Excel;Stadt;52;9;;\n" + // 4
		";;Ohne Schlüssel;Gemeinde;52;9;;\n" + // 5
		"03241002;;;Stadt;52;9;;\n" + // 6
		"03241003;;Nord;Stadt;95;9;;\n" + // 7
		"03241004;;Ost;Stadt;52;181;;\n" + // 8
		"03241005;;Fehlt;Stadt;;9;;\n" + // 9
		"03241001;;Doppelt;Stadt;52;9;;\n" + // 10
		"03241006;033519999007;Falsche ARS;Stadt;52;9;;\n" + // 11
		";12345;Kurze ARS;Samtgemeinde;52;9;;\n" + // 12
		"03241007;;Einwohner;Stadt;52;9;1,5;2019\n" + // 13
		"03241008;;Jahr;Stadt;52;9;100;neunzehn\n" + // 14
		"03241009;;Punkt;Stadt;52.380.1;9;;\n" // 15
	_, err := ParseKommunenCSV([]byte(src))
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %v", err)
	}
	want := []string{
		`Zeile 3: AGS "123" hat nicht 8 Ziffern`,
		`Zeile 4: AGS "3,24E+06" hat nicht 8 Ziffern (die Tabellenkalkulation`,
		"Zeile 5: AGS fehlt",
		"Zeile 6: Name fehlt",
		`Zeile 7: Breitengrad (lat) "95"`,
		`Zeile 8: Längengrad (lon) "181"`,
		"Zeile 9: Breitengrad (lat) fehlt",
		"Zeile 10: AGS 03241001 kommt doppelt vor (auch Zeile 2)",
		"Zeile 11: ARS 033519999007 passt nicht zum AGS 03241006",
		`Zeile 12: ARS "12345" hat nicht 12 Ziffern`,
		`Zeile 13: Einwohnerzahl "1,5"`,
		`Zeile 14: Jahr der Einwohnerzahl "neunzehn"`,
		`Zeile 15: Breitengrad (lat) "52.380.1"`,
	}
	if len(ie.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(ie.Problems), len(want), err)
	}
	for i, w := range want {
		if i >= len(ie.Problems) || !strings.HasPrefix(ie.Problems[i], w) {
			t.Errorf("problem %d: want prefix %q in\n%s", i, w, err)
		}
		// Every problem is keyed, its German text the sentence.
		if m := ie.Message(i); m == nil || m.String() != ie.Problems[i] {
			t.Errorf("problem %d %q: keyed as %v", i, ie.Problems[i], m)
		}
	}

	for _, tc := range []struct{ name, src, want string }{
		{"no key column", "name;lat;lon\nA;52;9\n", "Zeile 1: Spalte ags fehlt in der Kopfzeile"},
		{"no coordinates", "ags;name\n03241001;A\n", "Spalten lat, lon fehlen"},
		{"empty", "ags;name;lat;lon\n", "keine Kommunen"},
		{"ARS key is another row's ARS", "ags;ars;name;lat;lon\n03355001;033555401001;A;52;9\n;033555401001;B;52;9\n", "Zeile 3: Schlüssel 033555401001 ist auch die ARS der Zeile 2"},
		{"ARS twice", "ags;ars;name;lat;lon\n03355001;033555401001;A;52;9\n03355001;033555401001;B;52;9\n", "ARS 033555401001 kommt doppelt vor (auch Zeile 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ks, err := ParseKommunenCSV([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, %v; want error with %q", ks, err, tc.want)
			}
			var ie *ImportError
			if errors.As(err, &ie) && (len(ie.Messages) != len(ie.Problems) || slices.Contains(ie.Messages, nil)) {
				t.Errorf("problems %q are not all keyed: %v", ie.Problems, ie.Messages)
			}
		})
	}
}

// TestParseKommunenCSVDefault: the demo's own file reads unchanged.
func TestParseKommunenCSVDefault(t *testing.T) {
	ks, err := ParseKommunenCSV(DefaultKommunenCSV())
	if err != nil || len(ks) != 21 {
		t.Fatalf("%d Kommunen, %v", len(ks), err)
	}
	if k := ks[11]; k.AGS != "03241012" || k.Name != "Neustadt am Rübenberge" || k.Lat != 52.5553 || k.Population != 44386 || k.ARS != "" {
		t.Errorf("Neustadt: %+v", k)
	}
}

func TestMatchBoundaries(t *testing.T) {
	ks := []Kommune{
		{AGS: "03241001", Name: "Hannover"},
		{AGS: "03241002", Name: "Barsinghausen", ARS: "032410002002"},
		{AGS: "033525401000", ARS: "033525401000", Name: "Samtgemeinde Amelinghausen"},
		{AGS: "03241003", Name: "Burgdorf"},
	}
	poly := `{"type":"Polygon","coordinates":[[[9,52],[9.1,52],[9.1,52.1],[9,52]]]}`
	src := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"AGS":"03241001","GEN":"Hannover"},"geometry":` + poly + `},
		{"type":"Feature","properties":{"ags":3241001},"geometry":` + poly + `},
		{"type":"Feature","properties":{"ARS":"032410002002","GEN":"Barsinghausen"},"geometry":` + poly + `},
		{"type":"Feature","properties":{"ARS":"033525401000","GEN":"Amelinghausen"},"geometry":` + poly + `},
		{"type":"Feature","properties":{"AGS":"03241099","GEN":"Nirgendwo"},"geometry":` + poly + `},
		{"type":"Feature","properties":{"GEN":"Ohne"},"geometry":` + poly + `},
		{"type":"Feature","properties":{"AGS":"03241003"},"geometry":null}
	]}`
	m, err := MatchBoundaries([]byte(src), ks)
	if err != nil {
		t.Fatal(err)
	}
	if m.Features != 4 {
		t.Errorf("%d features matched, want 4", m.Features)
	}
	wantUnmatched := []string{
		"Objekt 5 (AGS 03241099, Nirgendwo): keine Kommune mit diesem Schlüssel",
		`Objekt 6 (Ohne): ohne Schlüssel (Eigenschaft "ags" oder "ars")`,
		"Objekt 7 (AGS 03241003): ohne Fläche",
	}
	var unmatched []string
	for _, u := range m.Unmatched {
		unmatched = append(unmatched, u.String())
	}
	if !slices.Equal(unmatched, wantUnmatched) {
		t.Errorf("unmatched %q", unmatched)
	}
	if len(m.Missing) != 1 || m.Missing[0].Name != "Burgdorf" {
		t.Errorf("missing %+v", m.Missing)
	}
	var fc struct {
		Features []struct {
			Properties map[string]string `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(m.GeoJSON, &fc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range fc.Features {
		keys = append(keys, f.Properties["ags"]+" "+f.Properties["name"])
	}
	want := []string{"03241001 Hannover", "03241001 Hannover", "03241002 Barsinghausen", "033525401000 Samtgemeinde Amelinghausen"}
	if !slices.Equal(keys, want) {
		t.Errorf("stored features %q, want %q", keys, want)
	}

	for _, bad := range []string{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"AGS":"09999999"},"geometry":` + poly + `}]}`, `[1,2]`, `{"type":"Point"}`} {
		if _, err := MatchBoundaries([]byte(bad), ks); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// kommunenCSV writes a Kommunen CSV of n rows with distinct keys in the
// Länder 01 to 16; rows from bad on (counted from 0) carry a broken
// latitude, so reading them would be reported.
func kommunenCSV(n, bad int) []byte {
	var b strings.Builder
	b.WriteString("ags;name;lat;lon\n")
	for i := range n {
		lat := "52,1"
		if i >= bad {
			lat = "x"
		}
		fmt.Fprintf(&b, "%02d%06d;K%d;%s;9,7\n", 1+i%16, 1+i/16, i, lat)
	}
	return []byte(b.String())
}

// TestParseKommunenCSVRowLimit: up to MaxKommunenRows Kommunen are read;
// the row after that is refused with its line, and the rest of the file is
// not read at all (the file: 1,000,000 rows in 15 MB, whose rows
// past the limit are broken here, so reading them would report them).
func TestParseKommunenCSVRowLimit(t *testing.T) {
	ks, err := ParseKommunenCSV(kommunenCSV(MaxKommunenRows, MaxKommunenRows))
	if err != nil || len(ks) != MaxKommunenRows {
		t.Fatalf("%d rows: %d Kommunen, %v", MaxKommunenRows, len(ks), err)
	}
	src := kommunenCSV(1_000_000, MaxKommunenRows)
	if len(src) < 15<<20 {
		t.Fatalf("the file has %d bytes; the issue's had 15 MB", len(src))
	}
	_, err = ParseKommunenCSV(src)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v; want an ImportError", err)
	}
	want := NewMessage("upload.kommunen.too_many", MaxKommunenRows+2, MaxKommunenRows)
	if len(ie.Problems) != 1 || ie.Problems[0] != want.String() || !reflect.DeepEqual(ie.Message(0), want) {
		t.Errorf("problems %d, first %q; want only %q", len(ie.Problems), ie.Problems[0], want)
	}
}

// TestParseKommunenCSVLand: a key must name a Land (01 to 16) and more than
// the Land; 00000000, a Land 17 or 99 and a Land alone are refused.
func TestParseKommunenCSVLand(t *testing.T) {
	tests := []struct {
		ags, ars string
		want     *Message // nil: accepted
	}{
		{"01001000", "", nil},
		{"16077052", "", nil},
		{"", "032415403000", nil},
		{"00000000", "", NewMessage("upload.kommunen.no_land", "AGS", "00000000")},
		{"17000001", "", NewMessage("upload.kommunen.no_land", "AGS", "17000001")},
		{"99123456", "", NewMessage("upload.kommunen.no_land", "AGS", "99123456")},
		{"03000000", "", NewMessage("upload.kommunen.no_land", "AGS", "03000000")},
		{"", "000000000000", NewMessage("upload.kommunen.no_land", "ARS", "000000000000")},
		{"", "170000000001", NewMessage("upload.kommunen.no_land", "ARS", "170000000001")},
	}
	for _, tt := range tests {
		t.Run(tt.ags+tt.ars, func(t *testing.T) {
			src := "ags;ars;name;lat;lon\n" + tt.ags + ";" + tt.ars + ";Irgendwo;52;9\n"
			ks, err := ParseKommunenCSV([]byte(src))
			if tt.want == nil {
				if err != nil || len(ks) != 1 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("accepted %+v; want refused", ks)
			}
			line := NewMessage("upload.line", 2, Parts{tt.want})
			if len(ie.Problems) != 1 || ie.Problems[0] != line.String() || !reflect.DeepEqual(ie.Message(0), line) {
				t.Errorf("problems %q; want %q", ie.Problems, line)
			}
		})
	}
}
