package survey

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Kommune is a municipality that answers the survey.
//
// Every Kommune has exactly one key, kept in AGS, which the whole product
// uses (links, pages, plans, maps, exports): the official municipality key
// (Amtlicher Gemeindeschlüssel, 8 digits) or, for an association of
// municipalities without an AGS of its own (a Samtgemeinde, Verbandsgemeinde
// or Amt), its regional key (Amtlicher Regionalschlüssel, 12 digits). ARS
// additionally holds the regional key where one is known, so boundary files
// keyed by ARS can be matched.
type Kommune struct {
	ID int64
	// AGS is the key: 8 digits (AGS) or, for associations without an AGS of
	// their own, 12 digits (their ARS). Unique.
	AGS string
	// ARS is the regional key (12 digits); empty when not known. Unique
	// when set.
	ARS  string
	Name string
	Kind string // Stadt, Gemeinde, Samtgemeinde, …
	Lat  float64
	Lon  float64
	// Population and the year it refers to; 0 when unknown.
	Population     int
	PopulationYear int
}

// ImportError lists every problem found in an import file, each with the
// line (or object) it concerns. Nothing of the file is used while it has
// any problem.
type ImportError struct {
	// Problems are complete German sentences such as
	// "Zeile 4: AGS 03241001 kommt doppelt vor (auch Zeile 2)".
	Problems []string
	// Messages are the same problems as keyed messages where they have
	// one: Messages[i] is Problems[i]; a nil or missing entry means the
	// German sentence only.
	Messages []*Message
}

// NewImportError returns an *ImportError with the keyed problems.
func NewImportError(problems ...*Message) *ImportError {
	e := &ImportError{}
	for _, m := range problems {
		e.add(m)
	}
	return e
}

func (e *ImportError) Error() string { return strings.Join(e.Problems, "\n") }

// add appends a keyed problem.
func (e *ImportError) add(m *Message) {
	for len(e.Messages) < len(e.Problems) {
		e.Messages = append(e.Messages, nil)
	}
	e.Problems = append(e.Problems, m.String())
	e.Messages = append(e.Messages, m)
}

// Message returns problem i as a keyed message, or nil.
func (e *ImportError) Message(i int) *Message {
	if i < len(e.Messages) {
		return e.Messages[i]
	}
	return nil
}

// Bounds of what ParseKommunenCSV accepts.
const (
	maxKommuneName = 200
	maxKommuneKind = 100
)

// ParseKommunenCSV reads Kommunen in the columns of the reference file
// (ags, name, kind, lat, lon, population, population_year) plus an optional
// ars column, as German Excel writes them: separated by ';', ',' or TAB;
// UTF-8 with or without byte order mark, UTF-16 with byte order mark, or
// Windows-1252; coordinates with a decimal comma or point; population with
// or without thousands dots. Column names ignore case; kind, ars,
// population and population_year may be missing.
//
// An AGS that lost its leading zero in a spreadsheet (7 digits) gets it back,
// likewise an ARS of 11 digits. A row needs an AGS (8 digits) or, for an
// association of municipalities without an AGS of its own, an ARS (12
// digits), which then becomes its key (see Kommune). Where both are given
// they must agree. Keys and ARS are unique, names non-empty, coordinates in
// range. Every bad line is reported with its number in an *ImportError;
// nothing is returned when any line is bad. Rows whose cells are all empty
// (as spreadsheets write below a table) are skipped.
func ParseKommunenCSV(src []byte) ([]Kommune, error) {
	text, bad := decodeText(src)
	if bad != nil {
		return nil, NewImportError(bad)
	}
	firstLine, _, _ := strings.Cut(text, "\n")
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = guessSeparator(firstLine)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, NewImportError(NewMessage("upload.line", 1, NewMessage("upload.kommunen.header_bad", err.Error())))
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup && h != "" {
			col[h] = i
		}
	}
	var missing []string
	for _, need := range []string{"name", "lat", "lon"} {
		if _, ok := col[need]; !ok {
			missing = append(missing, need)
		}
	}
	_, hasAGS := col["ags"]
	_, hasARS := col["ars"]
	if !hasAGS && !hasARS {
		missing = append([]string{"ags"}, missing...)
	}
	if len(missing) > 0 {
		what := NewMessage("upload.kommunen.column_missing", missing[0])
		if len(missing) > 1 {
			what = NewMessage("upload.kommunen.columns_missing", strings.Join(missing, ", "))
		}
		return nil, NewImportError(NewMessage("upload.line", 1, NewMessage("upload.kommunen.header", what, strings.Join(header, ";"))))
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(strings.ReplaceAll(rec[i], "\u00a0", " "))
	}
	var out []Kommune
	ie := &ImportError{}
	keys := map[string]int{}
	arsLines := map[string]int{}
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			ie.add(NewMessage("upload.line", line, NewMessage("upload.kommunen.unreadable", err.Error())))
			continue
		}
		line, _ := r.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		// Refused as soon as the row past the limit is read, not after
		// reading a million.
		if rows++; rows > MaxKommunenRows {
			ie.add(NewMessage("upload.kommunen.too_many", line, MaxKommunenRows))
			return nil, ie
		}
		k, bad := parseKommuneRow(get, rec)
		if k.AGS != "" {
			if prev, dup := keys[k.AGS]; dup {
				bad = append(bad, NewMessage("upload.kommunen.twice", keyLabel(k.AGS), k.AGS, prev))
			} else {
				keys[k.AGS] = line
			}
		}
		if k.ARS != "" && k.ARS != k.AGS {
			if prev, dup := arsLines[k.ARS]; dup {
				bad = append(bad, NewMessage("upload.kommunen.twice", "ARS", k.ARS, prev))
			} else {
				arsLines[k.ARS] = line
			}
		}
		if len(bad) > 0 {
			ie.add(NewMessage("upload.line", line, bad))
			continue
		}
		out = append(out, k)
	}
	// A key that is another row's ARS would make one Kommune two.
	for _, k := range out {
		if line, ok := arsLines[k.AGS]; ok && keys[k.AGS] != line {
			ie.add(NewMessage("upload.line", keys[k.AGS], NewMessage("upload.kommunen.key_is_ars", k.AGS, line)))
		}
	}
	if len(ie.Problems) > 0 {
		return nil, ie
	}
	if len(out) == 0 {
		return nil, NewImportError(NewMessage("upload.kommunen.none"))
	}
	return out, nil
}

// parseKommuneRow reads one data row; it returns the problems of the row
// (without its line number).
func parseKommuneRow(get func([]string, string) string, rec []string) (Kommune, Parts) {
	var bad Parts
	k := Kommune{Name: get(rec, "name"), Kind: get(rec, "kind")}
	ags, ars := get(rec, "ags"), get(rec, "ars")
	var agsOK, arsOK bool
	if ags != "" {
		if k.AGS, agsOK = NormalizeAGS(ags); !agsOK {
			bad = append(bad, digitsProblem("AGS", ags, 8))
		}
	}
	if ars != "" {
		if k.ARS, arsOK = NormalizeARS(ars); !arsOK {
			bad = append(bad, digitsProblem("ARS", ars, 12))
		}
	}
	switch {
	case ags == "" && ars == "":
		bad = append(bad, NewMessage("upload.kommunen.no_key"))
	case ags == "" && arsOK && !inLand(k.ARS):
		bad = append(bad, NewMessage("upload.kommunen.no_land", "ARS", k.ARS))
	case ags == "" && arsOK:
		k.AGS = k.ARS // an association without an AGS of its own is keyed by its ARS
	case !agsOK:
		k.AGS = "" // reported above; no key to check for duplicates
	case !inLand(k.AGS):
		bad = append(bad, NewMessage("upload.kommunen.no_land", keyLabel(k.AGS), k.AGS))
		k.AGS = ""
	case arsOK && !ARSMatchesAGS(k.ARS, k.AGS):
		bad = append(bad, NewMessage("upload.kommunen.ars_mismatch", k.ARS, k.AGS))
	}
	switch n := utf8.RuneCountInString(k.Name); {
	case n == 0:
		bad = append(bad, NewMessage("upload.kommunen.no_name"))
	case n > maxKommuneName:
		bad = append(bad, NewMessage("upload.kommunen.name_long", maxKommuneName))
	}
	if utf8.RuneCountInString(k.Kind) > maxKommuneKind {
		bad = append(bad, NewMessage("upload.kommunen.kind_long", maxKommuneKind))
	}
	var ok bool
	if k.Lat, ok = parseCoordinate(get(rec, "lat"), 90); !ok {
		bad = append(bad, coordinateProblem(NewMessage("upload.kommunen.lat"), get(rec, "lat"), 90))
	}
	if k.Lon, ok = parseCoordinate(get(rec, "lon"), 180); !ok {
		bad = append(bad, coordinateProblem(NewMessage("upload.kommunen.lon"), get(rec, "lon"), 180))
	}
	if s := get(rec, "population"); s != "" {
		v, err := ParseNumber(s)
		if err != nil || v < 0 || v != math.Trunc(v) || v > 1e9 {
			bad = append(bad, NewMessage("upload.kommunen.population", s))
		} else {
			k.Population = int(v)
		}
	}
	if s := get(rec, "population_year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1800 || y > 2200 {
			bad = append(bad, NewMessage("upload.kommunen.population_year", s))
		} else {
			k.PopulationYear = y
		}
	}
	return k, bad
}

// NormalizeAGS returns the official municipality key in its 8 digits,
// restoring a leading zero lost in a spreadsheet, and whether s is one.
func NormalizeAGS(s string) (string, bool) { return normalizeDigits(s, 8) }

// NormalizeARS returns the regional key in its 12 digits, restoring a
// leading zero lost in a spreadsheet, and whether s is one.
func NormalizeARS(s string) (string, bool) { return normalizeDigits(s, 12) }

func normalizeDigits(s string, n int) (string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	for _, r := range s {
		if r < '0' || r > '9' {
			return s, false
		}
	}
	if len(s) == n-1 {
		s = "0" + s
	}
	return s, len(s) == n
}

// ARSMatchesAGS reports whether a 12-digit regional key belongs to an
// 8-digit municipality key: the ARS is the AGS with the 4-digit key of the
// association inserted after the district (Land, Regierungsbezirk, Kreis:
// 5 digits; association: 4; Gemeinde: 3).
func ARSMatchesAGS(ars, ags string) bool {
	return len(ars) == 12 && len(ags) == 8 && ars[:5] == ags[:5] && ars[9:] == ags[5:]
}

// inLand reports whether an AGS or ARS starts with the code of a Land (01
// Schleswig-Holstein to 16 Thüringen) and is not all zeros below it.
func inLand(key string) bool {
	if len(key) < 2 || strings.Trim(key[2:], "0") == "" {
		return false
	}
	land, err := strconv.Atoi(key[:2])
	return err == nil && land >= 1 && land <= 16
}

func keyLabel(key string) string {
	if len(key) == 12 {
		return "ARS"
	}
	return "AGS"
}

// digitsProblem says that the key s (labelled AGS or ARS) does not have n
// digits, with the usual cause of a mangled key where it shows.
func digitsProblem(label, s string, n int) *Message {
	if strings.ContainsAny(s, "eE,.") {
		return NewMessage("upload.kommunen.digits_sheet", label, s, n)
	}
	return NewMessage("upload.kommunen.digits", label, s, n)
}

// parseCoordinate reads a coordinate in degrees with a decimal comma or
// point (no thousands separators: "52.380" is 52.38) within ±limit.
func parseCoordinate(s string, limit float64) (float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		return 0, false
	}
	return v, true
}

func coordinateProblem(what *Message, s string, limit int) *Message {
	if s == "" {
		return NewMessage("upload.kommunen.coordinate_missing", what)
	}
	return NewMessage("upload.kommunen.coordinate", what, s, limit, limit)
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decodeText returns src as UTF-8 text without byte order mark: UTF-8 as is,
// UTF-16 by its byte order mark, anything else that is not valid UTF-8 as
// Windows-1252 (what German Excel writes as "CSV (Trennzeichen-getrennt)").
func decodeText(src []byte) (string, *Message) {
	switch {
	case bytes.HasPrefix(src, []byte{0xef, 0xbb, 0xbf}):
		src = src[3:]
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}), bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, src)
		if err != nil {
			return "", NewMessage("upload.text.utf16", err.Error())
		}
		return strings.TrimPrefix(string(out), "\ufeff"), nil
	}
	if utf8.Valid(src) {
		return string(src), nil
	}
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), src)
	if err != nil {
		return "", NewMessage("upload.text.encoding", err.Error())
	}
	return string(out), nil
}

// guessSeparator picks the separator that occurs most often in the header:
// ';', ',' or TAB (';' wins ties: German Excel's default).
func guessSeparator(header string) rune {
	best, n := ';', strings.Count(header, ";")
	for _, r := range []rune{',', '\t'} {
		if c := strings.Count(header, string(r)); c > n {
			best, n = r, c
		}
	}
	return best
}

// BoundaryMatch is a boundary file matched to the Kommunen.
type BoundaryMatch struct {
	// GeoJSON is a FeatureCollection of the matched features only, each
	// with the properties "ags" (the Kommune's key, see Kommune) and
	// "name" and its geometry unchanged.
	GeoJSON []byte
	// Features is the number of matched features (a Kommune may have
	// several, e.g. islands).
	Features int
	// Unmatched describes each feature that fits no Kommune, e.g.
	// "Objekt 3 (AGS 03241099, Musterstadt): keine Kommune mit diesem
	// Schlüssel".
	Unmatched []*Message
	// Missing are the Kommunen without any feature.
	Missing []Kommune
}

// MatchBoundaries matches the features of a GeoJSON FeatureCollection (or a
// single Feature) to the Kommunen: by the property "ags" or "AGS" (as in
// BKG's VG250; 7 digits get their leading zero back), else by "ars" or
// "ARS" against a Kommune's ARS or ARS key. Features that fit no Kommune
// are reported in Unmatched and left out; Kommunen without a feature in
// Missing. It fails when the file is no GeoJSON or no feature fits. The
// geometry is not checked here (see analysis.ParseRegionGeoJSON).
func MatchBoundaries(src []byte, ks []Kommune) (BoundaryMatch, error) {
	var root struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(src, &root); err != nil {
		return BoundaryMatch{}, NewImportError(NewMessage("upload.bounds.not_geojson", err.Error()))
	}
	raws := root.Features
	switch root.Type {
	case "FeatureCollection":
	case "Feature":
		raws = []json.RawMessage{src}
	default:
		return BoundaryMatch{}, NewImportError(NewMessage("upload.bounds.not_collection", root.Type))
	}
	byKey, byARS := map[string]Kommune{}, map[string]Kommune{}
	for _, k := range ks {
		byKey[k.AGS] = k
		if k.ARS != "" {
			byARS[k.ARS] = k
		}
	}
	type feature struct {
		Type       string          `json:"type"`
		Properties map[string]any  `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	}
	var m BoundaryMatch
	var out []feature
	found := map[string]bool{}
	for i, raw := range raws {
		var f struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Geometry   json.RawMessage            `json:"geometry"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			m.Unmatched = append(m.Unmatched, NewMessage("upload.bounds.unreadable", NewMessage("upload.bounds.feature", i+1), err.Error()))
			continue
		}
		ags := GeoProperty(f.Properties, "ags", "AGS")
		ars := GeoProperty(f.Properties, "ars", "ARS")
		name := GeoProperty(f.Properties, "name", "GEN", "NAME")
		label := describeFeature(i, ags, ars, name)
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			m.Unmatched = append(m.Unmatched, NewMessage("upload.bounds.no_area", label))
			continue
		}
		k, ok := matchFeature(byKey, byARS, ags, ars)
		if !ok {
			reason := "upload.bounds.no_match"
			if ags == "" && ars == "" {
				reason = "upload.bounds.no_key"
			}
			m.Unmatched = append(m.Unmatched, NewMessage(reason, label))
			continue
		}
		found[k.AGS] = true
		out = append(out, feature{Type: "Feature", Properties: map[string]any{"ags": k.AGS, "name": k.Name}, Geometry: f.Geometry})
	}
	if len(out) == 0 {
		problems := []*Message{NewMessage("upload.bounds.none_fits")}
		if len(m.Unmatched) > 10 {
			problems = append(problems, m.Unmatched[:10]...)
			problems = append(problems, NewMessage("upload.bounds.more", len(m.Unmatched)-10))
		} else {
			problems = append(problems, m.Unmatched...)
		}
		return BoundaryMatch{}, NewImportError(problems...)
	}
	for _, k := range ks {
		if !found[k.AGS] {
			m.Missing = append(m.Missing, k)
		}
	}
	data, err := json.Marshal(struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{"FeatureCollection", out})
	if err != nil {
		return BoundaryMatch{}, fmt.Errorf("write GeoJSON: %w", err)
	}
	m.GeoJSON, m.Features = data, len(out)
	return m, nil
}

func matchFeature(byKey, byARS map[string]Kommune, ags, ars string) (Kommune, bool) {
	if a, ok := NormalizeAGS(ags); ok {
		if k, ok := byKey[a]; ok {
			return k, true
		}
	}
	if a, ok := NormalizeARS(ars); ok {
		if k, ok := byARS[a]; ok {
			return k, true
		}
		if k, ok := byKey[a]; ok {
			return k, true
		}
	}
	return Kommune{}, false
}

func describeFeature(i int, ags, ars, name string) *Message {
	var parts []string
	if ags != "" {
		parts = append(parts, "AGS "+ags)
	}
	if ars != "" {
		parts = append(parts, "ARS "+ars)
	}
	if name != "" {
		parts = append(parts, name)
	}
	if len(parts) == 0 {
		return NewMessage("upload.bounds.feature", i+1)
	}
	return NewMessage("upload.bounds.feature_of", i+1, strings.Join(parts, ", "))
}

// GeoProperty returns the first of the given GeoJSON feature properties
// that is a non-empty string (trimmed) or a number, as text; "" when none
// is. Keys written as numbers lose leading zeros; the Normalize functions
// restore them. It is the one reader of GeoJSON properties.
func GeoProperty(props map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := props[k]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			if s = strings.TrimSpace(s); s != "" {
				return s
			}
			continue
		}
		var n json.Number
		if err := json.Unmarshal(raw, &n); err == nil {
			return n.String()
		}
	}
	return ""
}
