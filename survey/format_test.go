package survey

import (
	"strings"
	"testing"
)

// TestTextFormat: a text question's format checks e-mail addresses and
// phone numbers, and the questionnaire refuses unknown formats and formats
// on other types.
func TestTextFormat(t *testing.T) {
	for _, tc := range []struct {
		format, raw string
		ok          bool
	}{
		{"email", "anna.muster@garbsen.de", true},
		{"email", "anna.muster", false},
		{"email", "anna @garbsen.de", false},
		{"email", "a@b", false},
		{"tel", "0511 123456", true},
		{"tel", "+49 (511) 616-22", true},
		{"tel", "ruf mich an", false},
		{"tel", "1234", false},
		{"name", "Anna Muster", true},
		{"", "irgendwas", true},
		{"email", "", true}, // empty is a matter of required, not format
	} {
		q := Question{ID: "x", Type: Text, MaxLength: 254, Format: tc.format}
		v := q.parseOne(tc.raw)
		if (v.Err == nil) != tc.ok {
			t.Errorf("format %q, %q: error %q, want ok=%v", tc.format, tc.raw, v.Err, tc.ok)
		}
	}
	for _, tc := range []struct{ yaml, want string }{
		{"type: text\n        format: fax", `format "fax" gibt es nicht`},
		{"type: integer\n        format: email", "format gilt nur für Fragen vom Typ text"},
	} {
		src := "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        label: Q\n        " + tc.yaml + "\n"
		if _, err := ParseYAML("t.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
	qn, err := ParseYAML("t.yaml", []byte("id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        label: Q\n        type: text\n        format: tel\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := qn.Sections[0].Questions[0].Format; got != "tel" {
		t.Errorf("format read as %q", got)
	}
}
