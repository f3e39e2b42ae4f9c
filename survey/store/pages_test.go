package store

import (
	"context"
	"strings"
	"testing"

	"bedarf/survey"
)

func TestLegalTexts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, ok, err := f.st.LegalText(ctx, PagePrivacy, "de"); err != nil || ok {
		t.Fatalf("a new database has a saved text: %v, %v", ok, err)
	}
	staff := survey.Actor{Kind: "staff", ID: 1, Label: "Anna Admin"}
	if err := f.st.SaveLegalText(ctx, PagePrivacy, "de", "Verantwortlich:\r\nRegion\r\n", staff); err != nil {
		t.Fatal(err)
	}
	got, ok, err := f.st.LegalText(ctx, PagePrivacy, "de")
	if err != nil || !ok || got.Body != "Verantwortlich:\nRegion" || got.UpdatedBy != "Anna Admin" || got.UpdatedAt.IsZero() {
		t.Fatalf("saved text: %+v, %v, %v", got, ok, err)
	}
	if _, ok, _ := f.st.LegalText(ctx, PagePrivacy, "en"); ok {
		t.Error("the German text was saved for English too")
	}
	if err := f.st.SaveLegalText(ctx, PagePrivacy, "de", "Neu", staff); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := f.st.LegalText(ctx, PagePrivacy, "de"); got.Body != "Neu" {
		t.Errorf("second save: %q", got.Body)
	}
	// An empty text goes back to the default.
	if err := f.st.SaveLegalText(ctx, PagePrivacy, "de", "  \n", staff); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.st.LegalText(ctx, PagePrivacy, "de"); ok {
		t.Error("an empty text did not reset the page")
	}
	for _, c := range []struct {
		page, lang, body, code string
	}{
		{"agb", "de", "x", survey.ENotFound},
		{PageImprint, "fr", "x", survey.EInvalid},
		{PageImprint, "de", "a\x00b", survey.EInvalid},
		{PageImprint, "de", "a\xffb", survey.EInvalid},
		{PageImprint, "de", strings.Repeat("ä", MaxLegalText+1), survey.EInvalid},
	} {
		if err := f.st.SaveLegalText(ctx, c.page, c.lang, c.body, staff); survey.ErrorCode(err) != c.code {
			t.Errorf("save %s/%s: %v, want %s", c.page, c.lang, err, c.code)
		}
	}
	rows, _, err := f.st.AuditSearch(ctx, AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range rows {
		if strings.HasPrefix(r.Action, "legal.") {
			actions = append(actions, r.Action+" "+r.Detail)
		}
	}
	if strings.Join(actions, "|") != "legal.reset datenschutz (de)|legal.save datenschutz (de)|legal.save datenschutz (de)" {
		t.Errorf("audit log: %q", actions)
	}
}
