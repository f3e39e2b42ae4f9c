package survey

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestQuestionnaireLimits: a questionnaire with more than MaxQuestions
// questions, or whose form page FormBytes puts above MaxFormBytes, is
// refused with a keyed message; one at the limits is not.
func TestQuestionnaireLimits(t *testing.T) {
	questions := func(n int) string {
		var b strings.Builder
		b.WriteString("title: Viele\nsections:\n  - id: s\n    title: S\n    questions:\n")
		for i := range n {
			fmt.Fprintf(&b, "      - {id: q%d, type: integer, label: Frage %d}\n", i, i)
		}
		return b.String()
	}
	// A matrix whose rows each repeat a scale of 60 levels.
	matrix := func(rows int) string {
		var b strings.Builder
		b.WriteString("title: Breit\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: m\n        type: matrix\n        label: M\n        choices:\n")
		for i := range 60 {
			fmt.Fprintf(&b, "          - {value: \"%d\", label: \"Stufe %d\"}\n", i, i)
		}
		b.WriteString("        rows:\n")
		for i := range rows {
			fmt.Fprintf(&b, "          - {value: r%d, label: \"Zeile %d\"}\n", i, i)
		}
		return b.String()
	}
	tests := []struct {
		name string
		src  string
		want *Message // nil: accepted
	}{
		{"MaxQuestions", questions(MaxQuestions), nil},
		{"MaxQuestions + 1", questions(MaxQuestions + 1), NewMessage("upload.def.too_many_questions", MaxQuestions+1, MaxQuestions)},
		{"matrix of 100 rows × 60 levels", matrix(100), nil},
		{"matrix of 400 rows × 60 levels", matrix(400), NewMessage("upload.def.form_too_big", 7, MaxFormBytes>>20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := ParseYAML("f.yaml", []byte(tt.src))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if qn != nil {
				t.Fatalf("accepted %d questions, form of %d bytes", len(qn.Questions()), qn.FormBytes())
			}
			de, _ := err.(DefErrors)
			if len(de) != 1 || !reflect.DeepEqual(de[0].MsgText, tt.want) || de[0].Msg != tt.want.String() {
				t.Errorf("errors %v; want %q", err, tt.want)
			}
		})
	}
}
