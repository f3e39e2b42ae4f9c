package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/survey"
)

// keyedPrefixes are the catalogue's areas that hold only keyed messages of
// the domain (survey.Message): uploads' diagnostics and domain errors.
var keyedPrefixes = []string{"upload.", "msg."}

// TestKeyedMessages checks that every keyed message of the domain
// (survey.Message, survey.Error) is in the catalogue with the domain's
// German text (TestCatalogueComplete checks that its English text takes
// the same verbs), and that the catalogue's keyed areas hold only the
// domain's keys.
func TestKeyedMessages(t *testing.T) {
	german := survey.GermanTexts()
	if len(german) < 100 {
		t.Fatalf("the domain has only %d keyed messages", len(german))
	}
	for key, de := range german {
		e, ok := entries[key]
		switch {
		case !ok:
			t.Errorf("%s: not in the catalogue (German: %q)", key, de)
		case e.de != de:
			t.Errorf("%s: catalogue German %q, domain %q", key, e.de, de)
		case !slices.ContainsFunc(keyedPrefixes, func(p string) bool { return strings.HasPrefix(key, p) }):
			t.Errorf("%s: a domain key outside the keyed areas %v", key, keyedPrefixes)
		}
	}
	for key := range entries {
		keyed := slices.ContainsFunc(keyedPrefixes, func(p string) bool { return strings.HasPrefix(key, p) })
		if _, ok := german[key]; keyed && !ok {
			t.Errorf("%s: in the catalogue, but the domain has no such message", key)
		}
	}
}

// TestKeyedMessageCalls reads the sources of the domain packages and the
// web and checks every survey.NewMessage and survey.NewError call with a
// literal key (and the questionnaire builder's errf and checkText): the
// domain has a German text for the key, and the call passes as many
// arguments as the text takes. Together with
// TestKeyedMessages no page can show a key or a %!d(MISSING).
func TestKeyedMessageCalls(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..")
	german := survey.GermanTexts()
	var files []string
	for _, pat := range []string{"survey/*.go", "survey/store/*.go", "analysis/*.go", "cmd/bedarf/*.go", "cmd/bedarf/internal/web/*.go", "cmd/bedarf/internal/mailer/*.go", "cmd/bedarf/internal/bench/*.go", "cmd/bedarf/internal/cli/*.go"} {
		m, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		inSurvey := filepath.Base(filepath.Dir(f)) == "survey"
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || call.Ellipsis.IsValid() {
				return true
			}
			name, skip, noArgs := callName(call.Fun), 0, false
			switch {
			case name == "survey.NewMessage" || (inSurvey && name == "NewMessage"):
			case name == "survey.NewError" || (inSurvey && name == "NewError"):
				skip = 1
			case inSurvey && isSelector(call.Fun, "errf"): // b.errf(place, key, args…)
				skip = 1
			case inSurvey && isSelector(call.Fun, "checkText"): // f.checkText(place, key, text): the key names the text
				skip, noArgs = 1, true
			default:
				return true
			}
			if len(call.Args) <= skip {
				return true
			}
			lit, ok := call.Args[skip].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			where := fset.Position(lit.Pos()).String()
			found++
			de, ok := german[key]
			if !ok {
				t.Errorf("%s: the domain has no German text for %q", where, key)
				return true
			}
			got := len(call.Args) - skip - 1
			if noArgs {
				got = 0
			}
			if want := argCount(de); want != got {
				t.Errorf("%s: %s takes %d arguments (%q), the call passes %d", where, key, want, de, got)
			}
			return true
		})
	}
	if found < 150 {
		t.Errorf("only %d keyed calls found: has the scan stopped working?", found)
	}
}

// TestErrorMessages: a keyed domain error reads in German as the command
// line shows it and in English on the pages; data (a name) stays as it is,
// a status inserted into the message is written in the page's language.
func TestErrorMessages(t *testing.T) {
	in := func(l Lang, m *survey.Message) string {
		return m.In(func(key string) string { f, _ := Raw(l, key); return f }, plain)
	}
	for _, tt := range []struct {
		err    *survey.Error
		de, en string
	}{
		{survey.NewError(survey.EConflict, "msg.round.already", survey.RoundClosed.Text()),
			"Die Runde ist bereits geschlossen.", "The round is already closed."},
		{survey.NewError(survey.EConflict, "msg.round.already", survey.RoundOpen.Text()),
			"Die Runde ist bereits offen.", "The round is already open."},
		{survey.NewError(survey.EConflict, "msg.scenario.exists", "Sparsam"),
			`Ein Szenario "Sparsam" gibt es in dieser Runde schon.`, `A scenario "Sparsam" already exists in this round.`},
		{survey.NewError(survey.EConflict, "msg.scenario.exists", "geschlossen"),
			`Ein Szenario "geschlossen" gibt es in dieser Runde schon.`, `A scenario "geschlossen" already exists in this round.`},
		{survey.NewError(survey.EInvalid, "msg.legal.too_long", 30001, 30000),
			"Der Text ist zu lang (30001 Zeichen, höchstens 30000).", "The text is too long (30001 characters, at most 30000)."},
		{survey.NewError(survey.ENotFound, "msg.response.not_found"),
			"Diese Antwort gibt es nicht.", "This answer does not exist."},
		// Answers: the questionnaire's own constraint message is data.
		{survey.NewError(survey.EInvalid, "msg.answer.constraint_text", "Muss kleiner als n sein."),
			"Muss kleiner als n sein.", "Muss kleiner als n sein."},
		{survey.NewError(survey.EInvalid, "msg.answer.constraint"),
			"Die Angabe erfüllt die Bedingung nicht.", "The answer does not meet the condition."},
		{survey.NewError(survey.EInvalid, "msg.answer.max_length", 200, 250),
			"Bitte höchstens 200 Zeichen eingeben (jetzt 250).", "Please enter at most 200 characters (now 250)."},
		{survey.NewError(survey.EInvalid, "msg.answer.min", "1,5"),
			"Bitte eine Zahl ab 1,5 eingeben.", "Please enter a number of at least 1,5."},
	} {
		if tt.err.Error() != tt.de || in(DE, tt.err.Text) != tt.de {
			t.Errorf("%s: German %q, page %q, want %q", tt.err.Text.Key, tt.err.Error(), in(DE, tt.err.Text), tt.de)
		}
		if got := in(EN, tt.err.Text); got != tt.en {
			t.Errorf("%s: English %q, want %q", tt.err.Text.Key, got, tt.en)
		}
	}
}

// argCount returns how many arguments a format takes: the highest argument
// its verbs name ("%[2]s" names argument 2).
func argCount(format string) int {
	n := 0
	for _, v := range verbs(format) {
		i, _ := strconv.Atoi(strings.TrimRight(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		n = max(n, i)
	}
	return n
}

// callName returns the name of a called function: "f" or "pkg.f".
func callName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}
