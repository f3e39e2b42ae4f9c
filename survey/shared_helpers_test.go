package survey

import (
	"encoding/json"
	"testing"
)

// TestGermanNumbers: the one German digit grouping, and the formatters
// built on it, write thousands dots and a decimal comma, keep the sign and
// never write "-0".
func TestGermanNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},
		{"1000", "1.000"},
		{"-1234.5", "-1.234,5"},
		{"1234567.125", "1.234.567,125"},
		{"0.25", "0,25"},
		{"-100000", "-100.000"},
	} {
		if got := GermanDigits(tc.in); got != tc.want {
			t.Errorf("GermanDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{1200, "1.200"}, {1.5, "1,5"}, {-2500.25, "-2.500,25"}, {negZero(), "0"},
	} {
		if got := FormatNumberDE(tc.f); got != tc.want {
			t.Errorf("FormatNumberDE(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	for _, tc := range []struct {
		f    float64
		d    int
		want string
	}{
		{2700, 2, "2.700,00"}, {-0.001, 2, "0,00"}, {-1234.56, 1, "-1.234,6"}, {1e6, 0, "1.000.000"},
	} {
		if got := FormatFixedDE(tc.f, tc.d); got != tc.want {
			t.Errorf("FormatFixedDE(%v, %d) = %q, want %q", tc.f, tc.d, got, tc.want)
		}
	}
}

func negZero() float64 {
	z := 0.0
	return -z
}

// TestGeoProperty: the one GeoJSON property reader takes the first key that
// holds a non-empty string (trimmed) or a number, and skips empty strings,
// null, booleans and missing keys.
func TestGeoProperty(t *testing.T) {
	var props map[string]json.RawMessage
	src := `{"empty":"  ","null":null,"bool":true,"num":3241001,"str":" Garbsen ","ags":"03241001"}`
	if err := json.Unmarshal([]byte(src), &props); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"ags"}, "03241001"},
		{[]string{"empty", "str"}, "Garbsen"},
		{[]string{"null", "bool", "num"}, "3241001"},
		{[]string{"missing", "empty"}, ""},
		{nil, ""},
	} {
		if got := GeoProperty(props, tc.keys...); got != tc.want {
			t.Errorf("GeoProperty(%v) = %q, want %q", tc.keys, got, tc.want)
		}
	}
}
