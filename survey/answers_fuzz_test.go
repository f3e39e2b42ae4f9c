package survey

import (
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzParseNumber: never panics; an accepted number is finite and survives
// a round trip through both ways of writing it.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"12", "1,5", "1.200", "1.200,5", "-3", " 7 ", "1e5", "abc", "0.250", "1 200", ",", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, n)
		}
		for _, w := range []string{FormatNumberDE(n), FormatInputDE(n)} {
			back, err := ParseNumber(w)
			if err != nil || back != n {
				t.Fatalf("%q → %v → %q → %v, %v", s, n, w, back, err)
			}
		}
	})
}

// FuzzCheck feeds arbitrary values into every field of the default
// questionnaire: never panics, stores only answers to known, visible
// questions, keeps every typed value as typed (valid UTF-8), and a valid
// numeric answer carries its number.
func FuzzCheck(f *testing.F) {
	qn, err := ParseYAML("fragebogen.yaml", DefaultQuestionnaireYAML())
	if err != nil {
		f.Fatal(err)
	}
	f.Add("12", "1,5", "ja", "vor_ort", "x")
	f.Add("abc", "1.200", "nein", "online", "=HYPERLINK(\"a\")")
	f.Add("", "-1", "vielleicht", "\xff", "\x00")
	f.Fuzz(func(t *testing.T, a, b, c, d, e string) {
		vals := []string{a, b, c, d, e}
		form := map[string][]string{}
		i := 0
		for _, q := range qn.Questions() {
			form[Key{Question: q.ID}.Field()] = []string{vals[i%5]}
			for _, it := range q.Items {
				form[Key{Question: q.ID, Item: it.Value}.Field()] = []string{vals[(i+1)%5]}
			}
			i++
		}
		for _, mode := range []Mode{Draft, Submit} {
			res := qn.Check(form, mode)
			for k, v := range res.Answers {
				q := qn.Question(k.Question)
				if q == nil || res.Hidden[k.Question] {
					t.Fatalf("answer for unknown or hidden question %v", k)
				}
				if !utf8.ValidString(v.Raw) {
					t.Fatalf("raw value of %v is not UTF-8", k)
				}
				if v.Valid() && q.Type.Numeric() && !v.HasNum {
					t.Fatalf("valid numeric answer %v without number", k)
				}
				if !v.Valid() && res.Errors[k] == nil && res.Errors[Key{Question: k.Question}] == nil {
					t.Fatalf("invalid answer %v without a message", k)
				}
			}
		}
	})
}
