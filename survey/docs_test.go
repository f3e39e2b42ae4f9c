package survey

import (
	"os"
	"strings"
	"testing"
)

// TestDocumentedExamplesParse keeps docs/questionnaire.md honest: the
// example of every question type there must load.
func TestDocumentedExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../docs/questionnaire.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## Question types, one example each\n\n```yaml\n")
	if !ok {
		t.Fatal("section with the type examples not found")
	}
	block, _, _ := strings.Cut(rest, "```")
	src := `title: Beispiele
lists:
  belastung:
    - {value: "1", label: "Entspannt, ohne Probleme"}
    - {value: "5", label: "Überlastet, im Notfallmodus"}
sections:
  - id: beispiele
    title: Beispiele
    questions:
` + block
	qn, err := ParseYAML("questionnaire.md", []byte(src))
	if err != nil {
		t.Fatalf("documented examples do not load: %v", err)
	}
	seen := map[Type]bool{}
	for _, q := range qn.Questions() {
		seen[q.Type] = true
	}
	for _, typ := range knownTypes {
		if !seen[typ] {
			t.Errorf("docs/questionnaire.md has no example of type %s", typ)
		}
	}
}
