package survey

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseYAML feeds damaged definitions to ParseYAML: it must never panic
// and always answer with a questionnaire or DefErrors.
func FuzzParseYAML(f *testing.F) {
	src, err := os.ReadFile(filepath.Join("defaults", "fragebogen.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	for _, s := range []string{
		"",
		"id: x\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: integer, label: A, min: 0, max: 5}\n",
		"title: T\nlists:\n  l: [{value: a, label: A}]\nsections:\n  - title: S\n    questions:\n      - {id: a, type: single_choice, label: A, choices: l}\n      - {id: b, type: text, label: B, relevant: \"${a} = 'a'\", constraint: \". != ''\"}\n",
		"title: T\nsections:\n  - title: S\n    questions:\n      - {id: m, type: matrix, label: M, scale: [{value: '1', label: eins}], rows: [{value: r, label: R}]}\n      - {id: i, type: item_numbers, label: I, items: [{value: x, label: X}]}\n",
		"sections: [[]]\n",
		"title: &a [*a]\n",
		"- a\n- b\n",
		"title: T\nsections:\n  - title: S\n    questions:\n      - {id: a, type: likert, label: A, choices: nope, unknown: 1}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		qn, err := ParseYAML("fuzz.yaml", src)
		checkParseResult(t, qn, err)
	})
}
