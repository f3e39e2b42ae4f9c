package i18n

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// keyedImportSources are the sources of diagnostics that are all keyed
// (survey.Message): the Kommunen CSV and boundary files (every format of
// theirs counts) and the problems the store adds to them and to the
// contacts CSV. TestImportSentencesCovered finds no sentence in them.
var keyedImportSources = map[string]bool{
	"survey/kommune.go": true, "analysis/boundaries_import.go": true, "analysis/map.go": false,
	"survey/store/kommunen.go": false, "survey/store/mail.go": false,
	"cmd/bedarf/kommunen_cmd.go": false, // the problems the import command adds
}

// keyedSources are the sources of questionnaire diagnostics: every message
// they write is keyed (survey.Message), none is a German sentence.
var keyedSources = []string{"survey/questionnaire.go", "survey/xlsform.go"}

// notSentences are formats in those sources that never reach a page on
// their own: ids and an internal error.
var notSentences = []string{"abschnitt_%d", "write GeoJSON: %w"}

// importSentence is a format found in a source with its arguments.
type importSentence struct {
	where  string
	format string
	args   []ast.Expr
}

// formatOf turns a string literal or a concatenation of literals and other
// expressions into a format whose %s stand for the other expressions.
func formatOf(e ast.Expr) (string, []ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", nil, false
		}
		s, err := strconv.Unquote(x.Value)
		return s, nil, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", nil, false
		}
		l, la, lok := formatOf(x.X)
		r, ra, rok := formatOf(x.Y)
		if !lok && !rok {
			return "", nil, false
		}
		if !lok {
			l, la = "%s", []ast.Expr{x.X}
		}
		if !rok {
			r, ra = "%s", []ast.Expr{x.Y}
		}
		return l + r, append(la, ra...), true
	}
	return "", nil, false
}

// scanImportSentences returns the sentences of a source that can reach an
// upload page: messages of DefError and ImportError literals, problems
// appended to the lists of problems, and with all set every format of
// errf, fail, fmt.Sprintf and fmt.Errorf.
func scanImportSentences(t *testing.T, fset *token.FileSet, path string, all bool) []importSentence {
	t.Helper()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []importSentence
	add := func(e ast.Expr, args []ast.Expr) {
		if call, ok := e.(*ast.CallExpr); ok && callName(call.Fun) == "Sentence" && len(call.Args) == 1 {
			e = call.Args[0] // a sentence inserted into a keyed message
		}
		if call, ok := e.(*ast.CallExpr); ok && callName(call.Fun) == "fmt.Sprintf" && len(call.Args) > 0 {
			e, args = call.Args[0], call.Args[1:]
		}
		format, inner, ok := formatOf(e)
		if !ok {
			return
		}
		if len(inner) > 0 {
			args = inner
		}
		out = append(out, importSentence{where: fset.Position(e.Pos()).String(), format: format, args: args})
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := callName(x.Fun)
			switch {
			case !all:
				if name == "append" && len(x.Args) > 1 && slices.Contains([]string{"problems", "ie.Problems"}, types.ExprString(x.Args[0])) {
					for _, a := range x.Args[1:] {
						add(a, nil)
					}
				}
			case name == "fmt.Sprintf" || name == "fmt.Errorf" || name == "fail":
				if len(x.Args) > 0 {
					add(x.Args[0], x.Args[1:])
				}
			case isSelector(x.Fun, "errf"):
				if len(x.Args) > 1 {
					add(x.Args[1], x.Args[2:])
				}
			case name == "append" && len(x.Args) > 1:
				if list := types.ExprString(x.Args[0]); slices.Contains([]string{"bad", "problems", "ie.Problems", "lp", "m.Unmatched"}, list) {
					for _, a := range x.Args[1:] {
						add(a, nil)
					}
				}
			}
		case *ast.CompositeLit:
			switch types.ExprString(x.Type) {
			case "DefError", "survey.DefError", "ImportError", "survey.ImportError":
				for _, el := range x.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch types.ExprString(kv.Key) {
					case "Msg":
						add(kv.Value, nil)
					case "Problems":
						if list, ok := kv.Value.(*ast.CompositeLit); ok {
							for _, p := range list.Elts {
								add(p, nil)
							}
						}
					}
				}
			}
		}
		return true
	})
	return out
}

// countUploadKeys counts the keyed messages of uploads a source makes:
// calls of NewMessage or survey.NewMessage, NewError or survey.NewError
// with a literal "upload." key.
func countUploadKeys(t *testing.T, fset *token.FileSet, path string) int {
	t.Helper()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		key := 0
		switch callName(call.Fun) {
		case "NewMessage", "survey.NewMessage":
		case "NewError", "survey.NewError":
			key = 1
		default:
			return true
		}
		if len(call.Args) <= key {
			return true
		}
		if lit, ok := call.Args[key].(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, `"upload.`) {
			n++
		}
		return true
	})
	return n
}

func isSelector(e ast.Expr, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == name
}

// scanXLSPieces returns the pieces xlsform.go inserts into its messages:
// the message keys of the reasons for refused columns and types, and any
// literal text assigned to what and kind.
func scanXLSPieces(t *testing.T, fset *token.FileSet, path string) []importSentence {
	t.Helper()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []importSentence
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, _ := strconv.Unquote(lit.Value)
			out = append(out, importSentence{where: fset.Position(e.Pos()).String(), format: s})
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ValueSpec: // var xlsRefusedCols = map…{…}, const xlsOrOther = "…"
			for i, name := range x.Names {
				if !strings.HasPrefix(name.Name, "xls") || i >= len(x.Values) {
					continue
				}
				if m, ok := x.Values[i].(*ast.CompositeLit); ok && strings.HasPrefix(types.ExprString(m.Type), "map[string]string") {
					for _, el := range m.Elts {
						add(el.(*ast.KeyValueExpr).Value)
					}
				} else if name.Name != "xlsMetaTypes" {
					add(x.Values[i])
				}
			}
		case *ast.KeyValueExpr: // xlsType{…, reason: "…"}
			if types.ExprString(x.Key) == "reason" {
				add(x.Value)
			}
		case *ast.AssignStmt: // what := "…", kind = "…"
			for i, l := range x.Lhs {
				if name := types.ExprString(l); (name == "what" || name == "kind") && i < len(x.Rhs) {
					add(x.Rhs[i])
				}
			}
		}
		return true
	})
	return out
}

var letterRE = regexp.MustCompile(`\pL`)

// TestImportSentencesCovered is TestDomainSentencesCovered for the
// diagnostics of uploaded files: every sentence the sources can put on an
// upload page matches a catalogue entry, so that the English pages show
// them in English. The diagnostics of Kommunen, boundary and contacts files
// write no sentences (keyedImportSources), nor do the questionnaire
// diagnostics: what
// their errf, fail, DefError literals and fmt calls write is a message key,
// and so is every piece xlsform.go inserts (TestKeyedMessages checks that
// the catalogue has each key in both languages).
func TestImportSentencesCovered(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..")
	fset := token.NewFileSet()
	german := survey.GermanTexts()
	pieces, keys := 0, 0
	for _, src := range keyedSources {
		for _, s := range scanImportSentences(t, fset, filepath.Join(root, filepath.FromSlash(src)), true) {
			if _, ok := german[s.format]; ok {
				keys++
				continue
			}
			if slices.Contains(notSentences, s.format) || !letterRE.MatchString(verbRE.ReplaceAllString(s.format, "")) {
				continue
			}
			t.Errorf("%s: %q is a sentence, not a message key", s.where, s.format)
		}
	}
	uploadKeys := 0
	for src, all := range keyedImportSources {
		path := filepath.Join(root, filepath.FromSlash(src))
		for _, s := range scanImportSentences(t, fset, path, all) {
			if !slices.Contains(notSentences, s.format) && letterRE.MatchString(verbRE.ReplaceAllString(s.format, "")) {
				t.Errorf("%s: the sentence %q is not a keyed message (survey.NewMessage)", s.where, s.format)
			}
		}
		uploadKeys += countUploadKeys(t, fset, path)
	}
	for _, s := range scanXLSPieces(t, fset, filepath.Join(root, "survey", "xlsform.go")) {
		pieces++
		if _, ok := german[s.format]; !ok {
			t.Errorf("%s: the piece %q is no message key", s.where, s.format)
		}
	}
	if pieces < 25 || keys < 60 || uploadKeys < 50 {
		t.Errorf("only %d keys, %d pieces and %d keyed upload messages found: has the scan stopped working?", keys, pieces, uploadKeys)
	}
}

// englishExprWord finds English left in a German expression error, and
// germanExprWord German in its translation.
var (
	englishExprWord = regexp.MustCompile(`(?i)\b(expected|unexpected|found|arguments?|column|write|empty|unknown)\b`)
	germanExprWord  = regexp.MustCompile(`(?i)\b(erwartet|Spalte|unbekannte?|Zeichen|Ausdrucks?|bitte|gefunden)\b`)
	// exprDataRE finds what expression errors quote: the source, ids,
	// names, characters.
	exprDataRE = regexp.MustCompile(`'[^']*'`)
)

// messageKeys adds the key of m and of every message nested in it to keys.
func messageKeys(m *survey.Message, keys map[string]bool) {
	if m == nil {
		return
	}
	keys[m.Key] = true
	for _, a := range m.Args {
		switch x := a.(type) {
		case *survey.Message:
			messageKeys(x, keys)
		case survey.Lines:
			for _, l := range x {
				messageKeys(l, keys)
			}
		case survey.Parts:
			for _, p := range x {
				if pm, ok := p.(*survey.Message); ok {
					messageKeys(pm, keys)
				}
			}
		}
	}
}

// hasMessage reports whether m is want or nests a message equal to it.
func hasMessage(m, want *survey.Message) bool {
	if m == nil {
		return false
	}
	if reflect.DeepEqual(m, want) {
		return true
	}
	for _, a := range m.Args {
		if x, ok := a.(*survey.Message); ok && hasMessage(x, want) {
			return true
		}
	}
	return false
}

// requireExprMessage checks a keyed message with an expression error: in
// German as the domain writes it and without English, in English without
// German outside the quoted data.
func requireExprMessage(t *testing.T, m *survey.Message) {
	t.Helper()
	de, en := inLang(DE, m), inLang(EN, m)
	if de != m.String() {
		t.Errorf("%s: page German %q, domain %q", m.Key, de, m.String())
	}
	if w := englishExprWord.FindString(de); w != "" {
		t.Errorf("English %q in %q", w, de)
	}
	rest := exprDataRE.ReplaceAllString(dataRE.ReplaceAllString(en, ""), "")
	if en == de || germanExprWord.MatchString(rest) || germanImportWord.MatchString(rest) || strings.Contains(en, "%!") {
		t.Errorf("%q → %q", de, en)
	}
}

// TestExprErrorsReal runs broken conditions, at least one for each message
// of the parser (survey/expr.go, the "msg.expr." keys), through
// survey.ParseExpr and through a questionnaire, and checks the messages in
// both languages; what the parser found is written in the page's language
// wherever it stands.
func TestExprErrorsReal(t *testing.T) {
	cases := []struct {
		src  string
		yaml bool // the condition can stand in a YAML questionnaire
	}{
		{"", false},
		{"${a} = \xff", false},
		{strings.Repeat(" ", 4096) + "1", false}, // a questionnaire trims it
		{"${a} = '" + strings.Repeat("x", 4096) + "'", true},
		{"${a} = 1 2", true},
		{"${a} = 1 ${b} = 2", true},
		{"${a} = 1 AND ${b} = 2", true},
		{"${a} = 1)", true},
		{"${a} = 1 <", true},
		{"$a = 1", true},
		{"${a = 1", true},
		{"${} = 1", true},
		{"${1a} = 1", true},
		{"${a} = 'x", true},
		{"${a} == 1", true},
		{"${a} ! 1", true},
		{"${a} = 1 && ${b} = 2", true},
		{"${a} = 1 || ${b} = 2", true},
		{"${a} = ü", true},
		{"${a} # 1", true},
		{"${a} = - 1", true},
		{"${a} = .", true},
		{"${a} = 1" + strings.Repeat("0", 400), true},
		{"${a} =", true},
		{"1 < ${a} < 3", true},
		{"()", true},
		{"${a} = 1 and", true},
		{"${a} = 1 and )", true},
		{"and ${a} = 1", true},
		{"${a} = 1 or or ${b} = 1", true},
		{"NOT(${a} = 1)", true},
		{"string-length(${a}) > 2", true},
		{"${a} = 1 and foo", true},
		{"x-y = 1", true},
		{"not()", true},
		{"not(${a}, ${b})", true},
		{"selected(${a}, ${b})", true},
		{"selected(${a}, 'x', 'y')", true},
		{"count-selected(${a}, 'x') > 1", true},
		{strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101), true},
		{"(${a} = 1", true},
		{`(${a} = 1 "it's"`, true},
		{"(${a} = 1 'x'", true},
		{"(${a} = 1 2.5", true},
		{"not ${a}", true},
		{"true", true},
		{"selected(${a})", true},
		{"selected('a', 'b')", true},
		{"count-selected()", true},
	}
	var questions strings.Builder
	want, errs := map[string]string{}, map[string]*survey.ExprError{}
	used := map[string]bool{}
	for i, c := range cases {
		_, err := survey.ParseExpr(c.src)
		var pe *survey.ExprError
		if !errors.As(err, &pe) {
			t.Fatalf("ParseExpr(%q) = %v, want an *ExprError", c.src, err)
		}
		m := pe.Message()
		if m.Key != "msg.expr.column" || len(m.Args) != 2 || m.Args[0] != pe.Pos || m.Args[1] != pe.Text || err.Error() != m.String() {
			t.Errorf("ParseExpr(%q): message %s %v for the error %q", c.src, m.Key, m.Args, err)
		}
		requireExprMessage(t, m)
		messageKeys(m, used)
		if c.yaml {
			id := "q" + strconv.Itoa(i)
			quoted, _ := json.Marshal(c.src) // a JSON string is a YAML string
			fmt.Fprintf(&questions, "      - {id: %s, type: text, label: Frage, relevant: %s}\n", id, quoted)
			want[id] = fmt.Sprintf("Frage %q: relevant %q: %v", id, c.src, err)
			errs[id] = pe
		}
	}
	// Every message of the parser is among them.
	for key := range survey.GermanTexts() {
		if strings.HasPrefix(key, "msg.expr.") && !used[key] {
			t.Errorf("no broken condition here produces %s", key)
		}
	}
	_, err := survey.ParseYAML("fragebogen.yaml", []byte("id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n"+
		"      - {id: a, type: integer, label: A}\n      - {id: b, type: integer, label: B}\n"+questions.String()))
	var defs survey.DefErrors
	if !errors.As(err, &defs) {
		t.Fatalf("ParseYAML: %v, want DefErrors", err)
	}
	got := map[string]survey.DefError{}
	for _, d := range defs {
		for id := range want {
			if strings.HasPrefix(d.Msg, "Frage \""+id+"\": ") {
				got[id] = d
			}
		}
	}
	for id, w := range want {
		d := got[id]
		if d.Msg != w {
			t.Errorf("questionnaire: %s\n got %q\nwant %q", id, d.Msg, w)
			continue
		}
		// The diagnostic inserts the error as a nested message: the
		// pages write it in their language, around it and inside it.
		if !hasMessage(d.MsgText, errs[id].Message()) {
			t.Errorf("questionnaire: %s: the message %v does not nest the condition's error %v", id, d.MsgText, errs[id].Message())
			continue
		}
		requireExprMessage(t, d.MsgText)
		if en := inLang(EN, d.MsgText); !strings.HasPrefix(en, "question \""+id+"\": relevant \"") || !strings.Contains(en, "\": column ") {
			t.Errorf("%q → %q", w, en)
		}
	}
	if len(want) < 40 {
		t.Errorf("only %d questions", len(want))
	}
}

// TestExprMessagesWords: no German text of the parser's messages has an
// English word, no English text a German one outside what it quotes.
func TestExprMessagesWords(t *testing.T) {
	n := 0
	for key, de := range survey.GermanTexts() {
		if !strings.HasPrefix(key, "msg.expr.") {
			continue
		}
		n++
		en, _ := Raw(EN, key)
		if w := englishExprWord.FindString(de); w != "" {
			t.Errorf("%s: English %q in %q", key, w, de)
		}
		rest := exprDataRE.ReplaceAllString(dataRE.ReplaceAllString(en, ""), "")
		if germanExprWord.MatchString(rest) || germanImportWord.MatchString(rest) {
			t.Errorf("%s: German in %q", key, en)
		}
	}
	if n < 40 {
		t.Errorf("only %d messages of the parser", n)
	}
}

// germanImportWord finds German words left in an English diagnostic.
var germanImportWord = regexp.MustCompile(`\b(Frage|Zeile|Liste|Spalte|Blatt|Datei|Gruppe|Objekt|Fläche|ungültig|nicht|Fehler|keine|kein|Schlüssel|erwartet|fehlt|fehlen|doppelt|ohne|Ziffern|Zahl|gibt|wird|ist|hat|und)\b|[äöüÄÖÜß]`)

// dataRE finds what the diagnostics quote from the file: it keeps its
// language.
var dataRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|„[^“]*“|\$\{[^}]*\}`)

// TestImportMessages translates what the parsers really write for broken
// files, nested sentences and lists of problems included.
func TestImportMessages(t *testing.T) {
	var msgs []string
	var keyed []*survey.Message
	// text adds a message: keyed, or a German sentence.
	text := func(m *survey.Message, s string) {
		if m != nil {
			keyed = append(keyed, m)
		} else {
			msgs = append(msgs, s)
		}
	}
	// keyedErr adds the problems of a file whose diagnostics are all
	// keyed (Kommunen, boundaries): a problem without a key is an error.
	keyedErr := func(err error) {
		t.Helper()
		var ie *survey.ImportError
		var se *survey.Error
		switch {
		case errors.As(err, &ie):
			for i, p := range ie.Problems {
				if m := ie.Message(i); m == nil || m.String() != p {
					t.Errorf("problem %q: keyed as %v", p, m)
				} else {
					keyed = append(keyed, m)
				}
			}
		case errors.As(err, &se) && se.Text != nil:
			keyed = append(keyed, se.Text)
		default:
			t.Errorf("error %v: want a keyed one", err)
		}
	}
	addErr := func(err error) {
		t.Helper()
		var de survey.DefErrors
		var ie *survey.ImportError
		switch {
		case errors.As(err, &de):
			for _, d := range de {
				text(d.MsgText, d.Msg)
				// A place without a key is the file's name (data).
				if d.PlaceText != nil {
					text(d.PlaceText, d.Place)
				}
			}
		case errors.As(err, &ie):
			for i, p := range ie.Problems {
				text(ie.Message(i), p)
			}
		case err != nil:
			msgs = append(msgs, err.Error())
		default:
			t.Fatal("no error")
		}
	}
	for _, src := range []string{
		"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - id: q1\n        typ: text\n",
		"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - 5\n",
		`id: x
title: ""
lists:
  ja: [{value: j, label: Ja}, {value: j, label: ""}]
sections:
  - id: "a b"
    questions:
      - {id: q1, type: select, label: Eins}
      - {id: q1, type: integer, label: Zwei, min: 5, max: 1, max_length: 99999}
      - {id: q2, type: text, relevant: "${nix} = 1", label: Drei}
      - {id: q3, type: text, label: "", constraint: ". = 1 and", choices: ja}
      - {id: q4, type: single_choice, label: Vier, choices: fehlt}
      - {id: q5, type: single_choice, label: Fünf, choices: ja, scale: ja}
      - {id: "5x", type: note, label: Sechs, required: true, items: [{value: "a b", label: ""}]}
      - {id: q7, type: matrix, label: Sieben, choices: ja, relevant: "${q7} = 1"}
      - {id: q8, type: text, label: Acht, relevant: "${q7} = 1"}
      - {type: text, label: Neun}
`,
	} {
		_, err := survey.ParseYAML("fragebogen.yaml", []byte(src))
		addErr(err)
	}
	for _, csv := range []string{
		"ags;name\n",
		"ags;name;kind;lat;lon;population;population_year\n" +
			"03241001;Hannover;Stadt;52,38;9,77;x;1700\n" +
			"3,24E+06;;Stadt;91;abc;;\n" +
			"03241001;Doppelt;Stadt;;;1;2000\n" +
			"12;X;;52;9;;\n",
		"ars;name;lat;lon\n032410001001;A;52;9\n032410001001;B;52;9\n",
		"ags;ars;name;lat;lon\n03241001;032419999999;A;52;9\n;;B;52;9\n",
		"ags;name;lat;lon\n",
		"\xff\xfeA",
	} {
		_, err := survey.ParseKommunenCSV([]byte(csv))
		keyedErr(err)
	}
	ks := []survey.Kommune{{AGS: "03241001", Name: "Hannover"}}
	for _, geo := range []string{
		"nicht json",
		`{"type": "Point", "coordinates": [1, 2]}`,
		`{}`,
		`{"type": "FeatureCollection", "features": [
			{"properties": {"ags": "09999999", "name": "Irgendwo"}, "geometry": {"type": "Point"}},
			{"properties": {"name": "Ohne"}, "geometry": {"type": "Point"}},
			{"properties": {"ags": "03241001"}, "geometry": null},
			7]}`,
	} {
		_, err := survey.MatchBoundaries([]byte(geo), ks)
		keyedErr(err)
	}
	var many []string
	for i := range 12 {
		many = append(many, `{"properties": {"ags": "0999999`+strconv.Itoa(i%10)+`"}, "geometry": {"type": "Point"}}`)
	}
	_, err := survey.MatchBoundaries([]byte(`{"type": "FeatureCollection", "features": [`+strings.Join(many, ",")+`]}`), ks)
	keyedErr(err)
	for _, geom := range []string{
		`{"type": "Polygon", "coordinates": []}`,
		`{"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}`,
		`{"type": "Polygon", "coordinates": [[[1, 200], [3, 4], [5, 6]]]}`,
		`{"type": "Polygon", "coordinates": "x"}`,
		`{"type": "MultiPolygon", "coordinates": "x"}`,
		`{"type": "Point", "coordinates": [1, 2]}`,
	} {
		_, err := analysis.ParseRegionGeoJSON([]byte(`{"type": "FeatureCollection", "features": [{"properties": {"ags": "03241001", "name": "A"}, "geometry": ` + geom + `}]}`))
		keyedErr(err)
	}
	for _, geo := range []string{"x", `{"type": "Feature"}`, `{"type": "FeatureCollection", "features": [{"properties": {}}]}`, `{"type": "FeatureCollection", "features": [7]}`} {
		_, err := analysis.ParseRegionGeoJSON([]byte(geo))
		keyedErr(err)
	}
	// The import itself: no Kommunen stored yet, an area that cannot be
	// drawn.
	ctx := t.Context()
	_, err = analysis.ImportBoundaries(ctx, boundaryStore(nil), []byte(`{"type": "FeatureCollection", "features": []}`), survey.Actor{})
	keyedErr(err)
	_, err = analysis.ImportBoundaries(ctx, boundaryStore(ks), []byte(`{"type": "FeatureCollection", "features": [{"properties": {"ags": "03241001"},
		"geometry": {"type": "Polygon", "coordinates": [[[9, 52], [10, 52]]]}}]}`), survey.Actor{})
	keyedErr(err)
	if len(msgs)+len(keyed) < 60 {
		t.Fatalf("only %d messages: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		t.Errorf("not a keyed message: %q", m)
	}
	for _, m := range keyed {
		en := m.In(func(key string) string { f, _ := Raw(EN, key); return f }, plain)
		if en == m.String() || germanImportWord.MatchString(dataRE.ReplaceAllString(en, "")) {
			t.Errorf("%s: %q → %q", m.Key, m, en)
		}
	}
}

// boundaryStore is an analysis.BoundaryStore holding Kommunen and no
// boundaries; it refuses to store any.
type boundaryStore []survey.Kommune

func (b boundaryStore) KommunenWithARS(context.Context) ([]survey.Kommune, error) { return b, nil }

func (b boundaryStore) SaveBoundaries(context.Context, []byte, int, survey.Actor) error {
	return errors.New("boundaryStore stores nothing")
}

// TestImportTranslationShapes pins how keyed messages nest, now that no
// sentence is translated by pattern: data keeps its language even where it
// reads like a domain sentence, a message with "; " of its own is one
// message, and a list of problems is written part by part, a German
// sentence among them as it is.
func TestImportTranslationShapes(t *testing.T) {
	m := survey.NewMessage
	for _, tt := range []struct {
		m      *survey.Message
		de, en string
	}{
		{m("upload.line", 3, survey.Parts{m("msg.compare.note"), m("msg.expr.tok.word", "Hinweis ohne Antwort"), survey.Sentence("irgendetwas")}),
			"Zeile 3: Hinweis ohne Antwort; Wort 'Hinweis ohne Antwort'; irgendetwas",
			"Line 3: note without an answer; word 'Hinweis ohne Antwort'; irgendetwas"},
		{m("msg.results.note_matrix"),
			"Je Zeile eine Stufe; Anteile bezogen auf die Kommunen, die die Zeile beantwortet haben.",
			"One level per row; shares relative to the municipalities that answered the row."},
		{m("msg.compare.unit", "Hinweis ohne Antwort", m("msg.compare.no_unit")),
			"Einheit geändert (Hinweis ohne Antwort → ohne)", "unit changed (Hinweis ohne Antwort → none)"},
	} {
		if got := inLang(DE, tt.m); got != tt.de || tt.m.String() != tt.de {
			t.Errorf("%s: German %q (page %q), want %q", tt.m.Key, tt.m, got, tt.de)
		}
		if got := inLang(EN, tt.m); got != tt.en {
			t.Errorf("%s: English %q, want %q", tt.m.Key, got, tt.en)
		}
	}
	// A page's note on an item only one version has: the item's label is
	// the questionnaire's.
	if got := EN.T("compare.note.only_item", "Anzahl", "Hinweis ohne Antwort", "A"); got != "Anzahl: item “Hinweis ohne Antwort” exists only in the version of round A; not compared." {
		t.Errorf("compare.note.only_item: %q", got)
	}
}

// TestImportKeyedShapes pins the English of the keyed diagnostics of the
// Kommunen CSV and boundary files as the parsers write them: nested
// messages in the page's language, the problems of a line joined by "; ",
// data from the file as it is; the German page shows the domain's text.
func TestImportKeyedShapes(t *testing.T) {
	var got []*survey.Message
	problems := func(err error) {
		t.Helper()
		var ie *survey.ImportError
		var se *survey.Error
		switch {
		case errors.As(err, &ie):
			got = append(got, ie.Messages...)
		case errors.As(err, &se) && se.Text != nil:
			got = append(got, se.Text)
		default:
			t.Fatalf("%v: no keyed problems", err)
		}
	}
	_, err := survey.ParseKommunenCSV([]byte("ags;name;lat;lon\n03241001;Hannover;52;9\n12;;52;\n03241001;Doppelt;52;9\n03241005;Fünf;91;9\n"))
	problems(err)
	_, err = survey.ParseKommunenCSV([]byte("name;lon\nA;9\n"))
	problems(err)
	_, err = survey.MatchBoundaries([]byte(`{}`), nil)
	problems(err)
	_, err = survey.MatchBoundaries([]byte(`{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": null},
		{"properties": {"ARS": "032410001001"}, "geometry": {"type": "Point"}}, {"properties": {"ags": "09999999", "GEN": "Burgwedel"}, "geometry": {"type": "Point"}}]}`),
		[]survey.Kommune{{AGS: "03241001", Name: "Hannover"}})
	problems(err)
	_, err = analysis.ParseRegionGeoJSON([]byte(`{"type": "FeatureCollection", "features": [{"properties": {"ags": "03241001", "name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}}]}`))
	problems(err)
	_, err = analysis.ParseRegionGeoJSON([]byte(`{"type": "FeatureCollection", "features": [{"properties": {"ags": "03241001"}, "geometry": {"type": "Circle"}}, {"properties": {}}]}`))
	problems(err)
	_, err = analysis.ParseRegionGeoJSON([]byte(`{"type": "FeatureCollection", "features": [{"properties": {}}]}`))
	problems(err)
	want := [][2]string{
		{`Zeile 3: AGS "12" hat nicht 8 Ziffern; Name fehlt; Längengrad (lon) fehlt`, `Line 3: AGS "12" does not have 8 digits; name is missing; longitude (lon) is missing`},
		{"Zeile 4: AGS 03241001 kommt doppelt vor (auch Zeile 2)", "Line 4: AGS 03241001 occurs twice (also line 2)"},
		{`Zeile 5: Breitengrad (lat) "91" ist keine Zahl zwischen -90 und 90`, `Line 5: latitude (lat) "91" is not a number between -90 and 90`},
		{"Zeile 1: Spalten ags, lat fehlen in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: name;lon)",
			"Line 1: columns ags, lat are missing in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: name;lon)"},
		{`GeoJSON: erwartet wird eine FeatureCollection, gefunden ""`, `GeoJSON: a FeatureCollection is expected, found ""`},
		{`Keine Fläche der Datei passt zu einer gespeicherten Kommune (verglichen werden die Eigenschaften "ags"/"AGS" und "ars"/"ARS").`,
			`No area of the file fits a stored municipality (compared are the properties "ags"/"AGS" and "ars"/"ARS").`},
		{"Objekt 1: ohne Fläche", "Feature 1: without an area"},
		{"Objekt 2 (ARS 032410001001): keine Kommune mit diesem Schlüssel", "Feature 2 (ARS 032410001001): no municipality with this key"},
		{"Objekt 3 (AGS 09999999, Burgwedel): keine Kommune mit diesem Schlüssel", "Feature 3 (AGS 09999999, Burgwedel): no municipality with this key"},
		{"GeoJSON: Objekt 1 (03241001, A): Ring mit weniger als drei Punkten", "GeoJSON: feature 1 (03241001, A): ring with fewer than three points"},
		{`GeoJSON: Objekt 1 (03241001, ): Geometrietyp "Circle" wird nicht unterstützt (nur Polygon und MultiPolygon)`, `GeoJSON: feature 1 (03241001, ): geometry type "Circle" is not supported (only Polygon and MultiPolygon)`},
		{`GeoJSON: Objekt 1 (ohne Namen) hat keinen Gemeindeschlüssel (Eigenschaft "ags")`, `GeoJSON: feature 1 (without a name) has no municipality key (property "ags")`},
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d: %q", len(got), len(want), got)
	}
	for i, m := range got {
		if i >= len(want) {
			break
		}
		de := m.In(func(key string) string { f, _ := Raw(DE, key); return f }, plain)
		if m.String() != want[i][0] || de != want[i][0] {
			t.Errorf("%d: German %q, page %q\nwant %q", i, m.String(), de, want[i][0])
		}
		if en := english(m); en != want[i][1] {
			t.Errorf("%d: English\n got %q\nwant %q", i, en, want[i][1])
		}
	}
}
