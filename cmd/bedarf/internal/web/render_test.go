package web

import (
	"fmt"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/i18n"
)

// TestRendererKeepsShownPagesOnly: the start checks every page, but only
// pages that are shown stay parsed, once per locale and questionnaire
// language, and questionnaire languages beyond maxQuestionnaireLangs fall
// back to German.
func TestRendererKeepsShownPagesOnly(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.pages); n != 0 {
		t.Fatalf("after the start %d pages are kept parsed, want 0", n)
	}
	for range 3 {
		for _, l := range i18n.Langs {
			if _, err := r.page(l, r.qlang(questionnaireLang), "home"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(r.pages); n != len(i18n.Langs) {
		t.Fatalf("home shown 3 times in %d locales: %d pages kept, want %d", len(i18n.Langs), n, len(i18n.Langs))
	}
	a, _ := r.page(i18n.DE, questionnaireLang, "home")
	b, _ := r.page(i18n.DE, questionnaireLang, "home")
	if a != b {
		t.Fatal("the same page was parsed twice")
	}
	if _, err := r.page(i18n.DE, questionnaireLang, "no-such-page"); err == nil || !strings.Contains(err.Error(), "unknown page") {
		t.Fatalf("unknown page: err = %v", err)
	}

	for i := range maxQuestionnaireLangs + 3 {
		q := fmt.Sprintf("x%d", i)
		got := r.qlang(q)
		want := q
		if i >= maxQuestionnaireLangs-1 { // "de" holds the first place
			want = questionnaireLang
		}
		if got != want {
			t.Errorf("questionnaire language %d (%s): pages mark %q, want %q", i, q, got, want)
		}
	}
}
