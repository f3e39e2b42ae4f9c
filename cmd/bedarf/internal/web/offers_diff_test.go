package web

import (
	"bytes"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
)

// TestOfferDiffOnlineInWords: a changed online flag in the plan's changes
// reads as words in both languages ("vor Ort → online"), never as
// "false → true".
func TestOfferDiffOnlineInWords(t *testing.T) {
	p := offersPage{Round: survey.Round{ID: 1, Title: "Runde"}, Admin: true, Diff: analysis.OfferDiff{Items: []analysis.DiffItem{{
		ID: "change:7", Kind: analysis.DiffChanged, OfferID: 7, OfferTitle: "Supervisionsgruppe G01",
		Changes: []analysis.FieldChange{{Field: "online", Old: "false", New: "true"}, {Field: "online", Old: "true", New: "false"}},
	}}}}
	for _, tc := range []struct {
		lang     i18n.Lang
		to, back string
	}{
		{i18n.DE, "Form: vor Ort → online", "Form: online → vor Ort"},
		{i18n.EN, "Format: on site → online", "Format: online → on site"},
	} {
		tp, err := parsePage(tc.lang, "de", "offers")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := tp.Execute(&buf, PageData{Title: "Angebote", Page: p, Lang: tc.lang}); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		if !strings.Contains(page, tc.to) || !strings.Contains(page, tc.back) || strings.Contains(page, "false") || strings.Contains(page, "true →") {
			t.Errorf("%s: the online change is not in words:\n%s", tc.lang, page[strings.Index(page, "<tbody>"):min(len(page), strings.Index(page, "<tbody>")+600)])
		}
	}
}
