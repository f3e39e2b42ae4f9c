package survey

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Kommune is a municipality that answers the survey.
type Kommune struct {
	ID   int64
	AGS  string // official municipality key, 8 digits
	Name string
	Kind string // Stadt, Gemeinde, …
	Lat  float64
	Lon  float64
	// Population and the year it refers to; 0 when unknown.
	Population     int
	PopulationYear int
}

var agsPattern = regexp.MustCompile(`^[0-9]{8}$`)

// ParseKommunenCSV reads Kommunen in the columns of the reference file
// (ags, name, kind, lat, lon, population, population_year), comma or
// semicolon separated, with or without a UTF-8 byte order mark. Every bad
// line is reported; nothing is returned when any line is bad.
func ParseKommunenCSV(src []byte) ([]Kommune, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	firstLine, _, _ := bytes.Cut(src, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(src))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("Kopfzeile nicht lesbar: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"ags", "name", "kind", "lat", "lon"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("Spalte %q fehlt in der Kopfzeile", need)
		}
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var out []Kommune
	var errs []string
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			errs = append(errs, fmt.Sprintf("Zeile %d: %v", line, err))
			continue
		}
		k := Kommune{AGS: get(rec, "ags"), Name: get(rec, "name"), Kind: get(rec, "kind")}
		if len(k.AGS) == 7 {
			k.AGS = "0" + k.AGS // lost its leading zero in a spreadsheet
		}
		var problems []string
		if !agsPattern.MatchString(k.AGS) {
			problems = append(problems, fmt.Sprintf("AGS %q hat nicht 8 Ziffern", k.AGS))
		} else if prev, dup := seen[k.AGS]; dup {
			problems = append(problems, fmt.Sprintf("AGS %s kommt doppelt vor (auch Zeile %d)", k.AGS, prev))
		}
		seen[k.AGS] = line
		if k.Name == "" {
			problems = append(problems, "Name fehlt")
		}
		var perr error
		if k.Lat, perr = ParseNumber(get(rec, "lat")); perr != nil || k.Lat < -90 || k.Lat > 90 {
			problems = append(problems, fmt.Sprintf("Breitengrad %q ungültig", get(rec, "lat")))
		}
		if k.Lon, perr = ParseNumber(get(rec, "lon")); perr != nil || k.Lon < -180 || k.Lon > 180 {
			problems = append(problems, fmt.Sprintf("Längengrad %q ungültig", get(rec, "lon")))
		}
		if s := get(rec, "population"); s != "" {
			if k.Population, perr = strconv.Atoi(strings.ReplaceAll(s, ".", "")); perr != nil || k.Population < 0 {
				problems = append(problems, fmt.Sprintf("Einwohnerzahl %q ungültig", s))
			}
		}
		if s := get(rec, "population_year"); s != "" {
			k.PopulationYear, _ = strconv.Atoi(s)
		}
		if len(problems) > 0 {
			errs = append(errs, fmt.Sprintf("Zeile %d: %s", line, strings.Join(problems, "; ")))
			continue
		}
		out = append(out, k)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("die Datei enthält keine Kommunen")
	}
	return out, nil
}
