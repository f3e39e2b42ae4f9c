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

// TestYAMLErrorsInWords: the decoder's errors reach people in words of
// the format with the file's name and line, never Go's types ("cannot
// unmarshal !!seq into survey.Choice").
func TestYAMLErrorsInWords(t *testing.T) {
	q := "title: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - "
	tests := []struct {
		name, src string
		want      []DefError // place and keyed message
	}{
		{"a list for a choice", q + "{id: q, type: single_choice, label: L, choices: [[a, b]]}\n", []DefError{
			{Place: "f.yaml:6", MsgText: NewMessage("upload.yaml.type", NewMessage("upload.yaml.want.choice"), NewMessage("upload.yaml.kind.list"))}}},
		{"texts for choices", q + "{id: q, type: matrix, label: L, choices: [{value: a, label: b}], rows: [x]}\n", []DefError{
			{Place: "f.yaml:6", MsgText: NewMessage("upload.yaml.type_value", NewMessage("upload.yaml.want.choice"), NewMessage("upload.yaml.kind.text"), "x")}}},
		{"a list for the title", "title: [T]\nsections: {}\n", []DefError{
			{Place: "f.yaml:1", MsgText: NewMessage("upload.yaml.type", NewMessage("upload.yaml.kind.text"), NewMessage("upload.yaml.kind.list"))},
			{Place: "f.yaml:2", MsgText: NewMessage("upload.yaml.type", NewMessage("upload.yaml.want.sections"), NewMessage("upload.yaml.kind.map"))}}},
		{"unknown key", "title: T\nfoo: 1\nsections: []\n", []DefError{{Place: "f.yaml:2", MsgText: NewMessage("upload.yaml.unknown_key", "foo")}}},
		{"text for a number", q + "{id: q, type: integer, label: L, min: abc}\n", []DefError{
			{Place: "f.yaml:6", MsgText: NewMessage("upload.yaml.type_value", NewMessage("upload.yaml.kind.number"), NewMessage("upload.yaml.kind.text"), "abc")}}},
		{"indentation", "title: T\n  bad: x\n", []DefError{{Place: "f.yaml:2", MsgText: NewMessage("upload.yaml.syntax.mapping")}}},
		{"tab", "title: T\nsections:\n\t- id: a\n", []DefError{{Place: "f.yaml:3", MsgText: NewMessage("upload.yaml.syntax.token")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYAML("f.yaml", []byte(tt.src))
			de, _ := err.(DefErrors)
			if len(de) < len(tt.want) {
				t.Fatalf("errors %v; want %d", err, len(tt.want))
			}
			for i, w := range tt.want {
				if de[i].Place != w.Place || !reflect.DeepEqual(de[i].MsgText, w.MsgText) || de[i].Msg != w.MsgText.String() {
					t.Errorf("error %d: %q %q (%v); want %q %q", i, de[i].Place, de[i].Msg, de[i].MsgText, w.Place, w.MsgText)
				}
			}
			for _, e := range de {
				if strings.Contains(e.Msg, "survey.") || strings.Contains(e.Msg, "!!") || strings.Contains(e.Msg, "unmarshal") {
					t.Errorf("Go internals leak: %q", e.Msg)
				}
			}
		})
	}
}
