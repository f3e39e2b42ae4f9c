package survey

import (
	"reflect"
	"strings"
	"testing"
)

// TestFeedbackFormsAgree: the German and English feedback forms have the
// same questions, types and codes, and no personal question.
func TestFeedbackFormsAgree(t *testing.T) {
	de, err := FeedbackForm("de")
	if err != nil {
		t.Fatal(err)
	}
	en, err := FeedbackForm("en")
	if err != nil {
		t.Fatal(err)
	}
	shape := func(qn *Questionnaire) []string {
		var out []string
		for _, q := range qn.Questions() {
			if q.Personal {
				t.Errorf("%s: personal question %s", qn.Title, q.ID)
			}
			s := q.ID + ":" + string(q.Type)
			for _, c := range q.Choices {
				s += "," + c.Value
			}
			out = append(out, s)
		}
		return out
	}
	if a, b := shape(de), shape(en); !reflect.DeepEqual(a, b) || len(a) != 4 {
		t.Fatalf("de %v, en %v", a, b)
	}
	if de.Questions()[0].Label == en.Questions()[0].Label {
		t.Fatal("English form has German labels")
	}
}

func TestFeedbackCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := NewFeedbackCode()
		n, ok := NormalizeFeedbackCode(c)
		if !ok || len(c) != 14 || strings.ReplaceAll(c, "-", "") != n || seen[n] {
			t.Fatalf("code %q → %q, %v", c, n, ok)
		}
		seen[n] = true
	}
	for in, want := range map[string]string{
		"7kq2 mx9d 4trb": "7KQ2MX9D4TRB", "7KQ2-MX9D-4TRO": "7KQ2MX9D4TR0", "ikq2-mx9d-4trl": "1KQ2MX9D4TR1",
		"7KQ2-MX9D": "", "7KQ2-MX9D-4TRBX": "", "7KQ2-MX9D-4TRÜ": "", "7KQ2-MX9D-4TRU": "", "": "",
	} {
		got, ok := NormalizeFeedbackCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q → %q, %v; want %q", in, got, ok, want)
		}
	}
}
