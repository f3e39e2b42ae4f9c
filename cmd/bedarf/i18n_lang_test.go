package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"

	xhtml "golang.org/x/net/html"
)

// questionnaireTexts returns the texts of the default questionnaire that a
// staff page may show (its title, section titles, question labels, options,
// scale levels, matrix rows and items), each with a pattern that finds it
// as a whole phrase. Texts that could be English or a word of the
// interface are left out: shorter than five letters ("Name", "hoch"), or a
// word or phrase of an English catalogue text ("Supervision", "online").
func questionnaireTexts(t *testing.T) map[string]*regexp.Regexp {
	t.Helper()
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{qn.Title}
	for _, sec := range qn.Sections {
		texts = append(texts, sec.Title)
		for _, q := range sec.Questions {
			texts = append(texts, q.Label)
			for _, c := range slices.Concat(q.Choices, q.Items) {
				texts = append(texts, c.Label)
			}
		}
	}
	var english strings.Builder
	for _, k := range i18n.Keys() {
		en, _ := i18n.Raw(i18n.EN, k)
		english.WriteString(en + "\n")
	}
	out := map[string]*regexp.Regexp{}
	for _, s := range texts {
		if utf8.RuneCountInString(s) < 5 {
			continue
		}
		if regexp.MustCompile(`(?i)` + phraseRE(s).String()).MatchString(english.String()) {
			continue
		}
		out[s] = phraseRE(s)
	}
	if len(out) < 40 {
		t.Fatalf("only %d texts of the default questionnaire to look for: has the filter stopped working?", len(out))
	}
	return out
}

// phraseRE matches s as a whole phrase: not inside a longer word, nor a
// part of a compound ("Demo-Ansprechperson" is no section title).
func phraseRE(s string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\p{L}\p{N}-])` + regexp.QuoteMeta(s) + `(?:$|[^\p{L}\p{N}-])`)
}

// langOf returns the language of a node: the lang attribute of the node
// itself (an element) or of its nearest ancestor that has one.
func langOf(n *xhtml.Node) string {
	for ; n != nil; n = n.Parent {
		if n.Type != xhtml.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if a.Key == "lang" {
				return a.Val
			}
		}
	}
	return ""
}

// unmarkedTexts parses a page and returns, for each text of texts found in
// the page's body (a text node, or an alt, aria-label, title or
// placeholder attribute) whose language is not de, where it stands. found
// counts every occurrence, marked or not. The <head> is left out: the
// <title> element cannot mark a part of itself.
func unmarkedTexts(t *testing.T, page string, texts map[string]*regexp.Regexp) (bad []string, found int) {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	look := func(n *xhtml.Node, where, s string) {
		for text, re := range texts {
			if !re.MatchString(s) {
				continue
			}
			found++
			if l := langOf(n); l != "de" {
				bad = append(bad, fmt.Sprintf("%q in %s has lang %q: %.160s", text, where, l, strings.Join(strings.Fields(s), " ")))
			}
		}
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.ElementNode:
			switch n.Data {
			case "head", "script", "style":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "alt", "aria-label", "title", "placeholder":
					look(n, "<"+n.Data+" "+a.Key+">", a.Val)
				}
			}
		case xhtml.TextNode:
			if n.Parent != nil {
				look(n, "<"+n.Parent.Data+">", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	slices.Sort(bad)
	return bad, found
}

// TestQuestionnaireTextsMarked: on the English staff pages the
// questionnaire's own texts, which stay German, sit in an element marked
// lang="de" (WCAG 3.1.2, Language of Parts), while the page is lang="en":
// every staff page of the English check, every question's result page, the
// page of a submitted and of a draft Kommune, the entry on a Kommune's
// behalf, and the comparison of two rounds. The pages that show the
// questionnaire's texts must show some, so that the test cannot pass on
// pages that lost them.
func TestQuestionnaireTextsMarked(t *testing.T) {
	r := startRig(t)
	texts := questionnaireTexts(t)
	admin := r.signIn(t, r.email, r.password)
	switchLang(t, admin, r.base, "en", "/verwaltung")
	ctx := context.Background()
	first, err := r.st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := r.st.Questionnaire(ctx, first.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	// Pages that show the questionnaire's texts; the others are checked for
	// what they show.
	round := fmt.Sprintf("/verwaltung/runden/%d", first.ID)
	showing := []string{
		round + "/fragen", round + "/plan", round + "/fragebogen-leer",
		round + "/kommunen/03241001", round + "/kommunen/03241008/erfassen",
	}
	for _, q := range qn.Questions() {
		showing = append(showing, round+"/fragen/"+q.ID)
	}
	pages := slices.Concat(englishStaffPages, showing)
	slices.Sort(pages)
	pages = slices.Compact(pages)

	// A second round on a changed version, so that the comparison compares
	// and names what it cannot compare.
	second, _ := resSecondRound(t, r.st, map[string]map[string][]string{
		"Hannover": {"q.betreute_gu": {"2500"}, "q.supervision_format": {"hybrid"}, "q.supervision_zeiten": {"vormittag"},
			"q.belastung_faktoren.trauma": {"4"}, "q.fortbildung_teilnehmende.asylrecht": {"30"}},
		"Garbsen": {"q.betreute_gu": {"300"}, "q.supervision_format": {"online"}},
	})
	compare := fmt.Sprintf("/verwaltung/vergleich?a=%d&b=%d", first.ID, second.ID)
	showing = append(showing, compare, compare+"&frage=fortbildung_teilnehmende%3Aasylrecht")
	pages = append(pages, showing[len(showing)-2:]...)

	for _, p := range pages {
		code, page := getWith(t, admin, r.base+p, "")
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", p, code)
			continue
		}
		if l := pageLang(page); l != "en" {
			t.Errorf("%s: <html lang=%q>, want en", p, l)
		}
		bad, found := unmarkedTexts(t, page, texts)
		for _, b := range bad {
			t.Errorf("%s: %s", p, b)
		}
		if found == 0 && slices.Contains(showing, p) {
			t.Errorf("%s shows none of the questionnaire's texts", p)
		}
	}
}
