package i18n

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// importSources are the sources of the diagnostics of uploaded files, which
// TestDomainSentencesCovered leaves out: questionnaire definitions, the
// Kommunen CSV and boundary files (every format of theirs counts), and the
// problems the store and the import command add to them (only those: their
// other messages are internal or for the command line).
var importSources = map[string]bool{
	"survey/questionnaire.go": true, "survey/xlsform.go": true, "survey/kommune.go": true,
	"survey/store/kommunen.go": false, "survey/store/mail.go": false, "cmd/bedarf/kommunen_cmd.go": false,
}

// notSentences are formats in those sources that never reach a page on
// their own: ids, feature labels (part of the sentences that use them,
// checked there with the sample "Objekt 1"), and an internal error.
var notSentences = []string{"abschnitt_%d", "Objekt %d", "Objekt %d (%s)", "write GeoJSON: %w"}

// samplePieces are the values of arguments the code takes from a closed
// set, where a sentence's entry is written for each value ("AGS %s kommt
// doppelt vor" and "ARS %s kommt doppelt vor"), keyed by the argument as
// written. Other arguments become "Probe1", "Probe2", ….
var samplePieces = map[string]string{
	"keyLabel(k.AGS)":      "AGS",
	"spreadsheetHint(ags)": "",
	"spreadsheetHint(ars)": "",
	"s.name":               "survey",
	"label":                "Objekt 1",
}

// importSentence is a format found in a source with its arguments.
type importSentence struct {
	where  string
	format string
	args   []ast.Expr
}

// sample fills the format's verbs: values of samplePieces, else "ProbeN"
// (quoted for %q).
func (s importSentence) sample() string {
	i := 0
	return verbRE.ReplaceAllStringFunc(s.format, func(v string) string {
		if v == "%%" {
			return "%"
		}
		i++
		if i <= len(s.args) {
			if p, ok := samplePieces[types.ExprString(s.args[i-1])]; ok {
				return p
			}
		}
		p := "Probe" + strconv.Itoa(i)
		if strings.HasSuffix(v, "q") {
			return strconv.Quote(p)
		}
		return p
	})
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
				if name == "append" && len(x.Args) > 1 && types.ExprString(x.Args[0]) == "problems" {
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
				if list := types.ExprString(x.Args[0]); slices.Contains([]string{"bad", "problems", "lp", "m.Unmatched"}, list) {
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

func isSelector(e ast.Expr, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == name
}

// scanXLSPieces returns the German pieces xlsform.go inserts into its
// sentences: the reasons for refused columns and types, the supported
// types, and the words of what and kind.
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
// upload page, and every German piece they insert, matches a catalogue
// entry, so that the English pages show them in English.
func TestImportSentencesCovered(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	sentences, pieces := 0, 0
	for src, all := range importSources {
		path := filepath.Join(root, filepath.FromSlash(src))
		for _, s := range scanImportSentences(t, fset, path, all) {
			if slices.Contains(notSentences, s.format) || !letterRE.MatchString(verbRE.ReplaceAllString(s.format, "")) {
				continue // "%s:%d", "%s: %v": nothing of their own to translate
			}
			sentences++
			if _, _, ok := DomainKey(s.sample()); !ok {
				t.Errorf("%s: no catalogue entry matches the sentence %q (sample %q)", s.where, s.format, s.sample())
			}
		}
	}
	for _, s := range scanXLSPieces(t, fset, filepath.Join(root, "survey", "xlsform.go")) {
		pieces++
		if _, _, ok := DomainKey(s.format); !ok {
			t.Errorf("%s: no catalogue entry matches the piece %q", s.where, s.format)
		}
	}
	if sentences < 110 || pieces < 25 {
		t.Errorf("only %d sentences and %d pieces found: has the scan stopped working?", sentences, pieces)
	}
}

// germanExprWord finds German in a message of the expression parser.
var germanExprWord = regexp.MustCompile(`[äöüÄÖÜß]|\b(nicht|und|oder|Frage|erwartet|unbekannt|ungültig|Zeichen|Ausdruck|Spalte)\b`)

// TestExprErrorsEnglish: survey/expr.go writes its errors in English (see
// ExprError); the sentences above insert them as they are. So that they
// need no entries, none may be German.
func TestExprErrorsEnglish(t *testing.T) {
	path := filepath.Join("..", "..", "..", "survey", "expr.go")
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(e ast.Expr) {
		if format, _, ok := formatOf(e); ok {
			n++
			if germanExprWord.MatchString(format) {
				t.Errorf("%s: German in an expression error: %q", fset.Position(e.Pos()), format)
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			switch name := callName(x.Fun); {
			case isSelector(x.Fun, "errAt") && len(x.Args) == 2:
				check(x.Args[1])
			case name == "fmt.Sprintf" || name == "fmt.Errorf":
				check(x.Args[0])
			}
		case *ast.KeyValueExpr:
			if types.ExprString(x.Key) == "Msg" {
				check(x.Value)
			}
		}
		return true
	})
	if n < 25 {
		t.Errorf("only %d expression errors found: has the scan stopped working?", n)
	}
}

// germanImportWord finds German words left in an English diagnostic.
var germanImportWord = regexp.MustCompile(`\b(Frage|Zeile|Liste|Spalte|Blatt|Datei|Gruppe|Objekt|Fläche|ungültig|nicht|Fehler|keine|kein|Schlüssel|erwartet|fehlt|fehlen|doppelt|ohne|Ziffern|Zahl|gibt|wird|ist|hat|und)\b|[äöüÄÖÜß]`)

// dataRE finds what the diagnostics quote from the file: it keeps its
// language.
var dataRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|„[^“]*“|\$\{[^}]*\}`)

// requireTranslated checks that each German message has an English
// translation without German words outside quoted data, and that German
// stays unchanged.
func requireTranslated(t *testing.T, msgs []string) {
	t.Helper()
	for _, m := range msgs {
		en := EN.Domain(m)
		if en == m || germanImportWord.MatchString(dataRE.ReplaceAllString(en, "")) {
			t.Errorf("%q → %q", m, en)
		}
		if de := DE.Domain(m); de != m {
			t.Errorf("DE changed %q to %q", m, de)
		}
	}
}

// TestImportMessages translates what the parsers really write for broken
// files, nested sentences and lists of problems included.
func TestImportMessages(t *testing.T) {
	var msgs []string
	addErr := func(err error) {
		t.Helper()
		var de survey.DefErrors
		var ie *survey.ImportError
		switch {
		case errors.As(err, &de):
			for _, d := range de {
				msgs = append(msgs, d.Msg)
				if d.Place != "" {
					msgs = append(msgs, d.Place)
				}
			}
		case errors.As(err, &ie):
			msgs = append(msgs, ie.Problems...)
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
		addErr(err)
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
		addErr(err)
	}
	var many []string
	for i := range 12 {
		many = append(many, `{"properties": {"ags": "0999999`+strconv.Itoa(i%10)+`"}, "geometry": {"type": "Point"}}`)
	}
	_, err := survey.MatchBoundaries([]byte(`{"type": "FeatureCollection", "features": [`+strings.Join(many, ",")+`]}`), ks)
	addErr(err)
	for _, geom := range []string{
		`{"type": "Polygon", "coordinates": []}`,
		`{"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}`,
		`{"type": "Polygon", "coordinates": [[[1, 200], [3, 4], [5, 6]]]}`,
		`{"type": "Polygon", "coordinates": "x"}`,
		`{"type": "MultiPolygon", "coordinates": "x"}`,
		`{"type": "Point", "coordinates": [1, 2]}`,
	} {
		_, err := analysis.ParseRegionGeoJSON([]byte(`{"type": "FeatureCollection", "features": [{"properties": {"ags": "03241001", "name": "A"}, "geometry": ` + geom + `}]}`))
		addErr(err)
	}
	for _, geo := range []string{"x", `{"type": "Feature"}`, `{"type": "FeatureCollection", "features": [{"properties": {}}]}`, `{"type": "FeatureCollection", "features": [7]}`} {
		_, err := analysis.ParseRegionGeoJSON([]byte(geo))
		addErr(err)
	}
	msgs = append(msgs, "Es sind noch keine Kommunen gespeichert: bitte zuerst die Kommunen importieren.")
	if len(msgs) < 60 {
		t.Fatalf("only %d messages: %q", len(msgs), msgs)
	}
	requireTranslated(t, msgs)
}

// TestImportTranslationShapes pins the translation of nested sentences:
// pieces are translated in turn, quoted data is not, lists of problems
// part by part.
func TestImportTranslationShapes(t *testing.T) {
	for de, en := range map[string]string{
		"YAML nicht lesbar: Zeile 8: unbekannter Schlüssel \"typ\"":                                                                          "YAML not readable: line 8: unknown key \"typ\"",
		"Frage-ID \"q1\" kommt doppelt vor (zuerst survey, Zeile 3)":                                                                         "question id \"q1\" occurs twice (first at survey, row 3)",
		"Frage \"q2\": relevant \"${a} = 'Zeile 1: x'\": column 5: unexpected end of input":                                                  "question \"q2\": relevant \"${a} = 'Zeile 1: x'\": column 5: unexpected end of input",
		"Typ \"range\" wird nicht unterstützt (Schieberegler)":                                                                               "type \"range\" is not supported (sliders)",
		"Zeile 3: AGS \"12\" hat nicht 8 Ziffern; Name fehlt; Längengrad (lon) fehlt":                                                        "Line 3: AGS \"12\" does not have 8 digits; name is missing; longitude (lon) is missing",
		"Zeile 4: AGS 03241001 kommt doppelt vor (auch Zeile 2)":                                                                             "Line 4: AGS 03241001 occurs twice (also line 2)",
		"Zeile 5: Breitengrad (lat) \"91\" ist keine Zahl zwischen -90 und 90":                                                               "Line 5: latitude (lat) \"91\" is not a number between -90 and 90",
		"Zeile 1: Spalten ags, lat fehlen in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: name)": "Line 1: columns ags, lat are missing in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: name)",
		"GeoJSON: erwartet wird eine FeatureCollection, gefunden \"\"":                                                                       "GeoJSON: a FeatureCollection is expected, found \"\"",
		"Objekt 4 (AGS 09999999, Burgwedel): keine Kommune mit diesem Schlüssel":                                                             "Feature 4 (AGS 09999999, Burgwedel): no municipality with this key",
		"GeoJSON: Objekt 1 (03241001, A): Ring mit weniger als drei Punkten":                                                                 "GeoJSON: feature 1 (03241001, A): ring with fewer than three points",
		// Quoted data keeps its language, even when it reads like a sentence.
		"Frage \"Name fehlt\" hat keinen Text (label)": "question \"Name fehlt\" has no text (label)",
		// A sentence with "; " of its own is one sentence.
		"Frage-ID \"9\" ist ungültig (Buchstabe oder _, dann Buchstaben, Ziffern, _; höchstens 64 Zeichen)": "question id \"9\" is invalid (letter or _, then letters, digits, _; at most 64 characters)",
		// A list of which a part is no domain sentence stays as it is.
		"Name fehlt; irgendetwas": "Name fehlt; irgendetwas",
	} {
		wantShape(t, de, en)
	}
}

func wantShape(t *testing.T, de, en string) {
	t.Helper()
	if got := EN.Domain(de); got != en {
		t.Errorf("EN.Domain(%q)\n got %q\nwant %q", de, got, en)
	}
}

// TestDomainGermanUnique: no two domain entries have the same German text,
// or which one translates it would depend on map order.
func TestDomainGermanUnique(t *testing.T) {
	seen := map[string]string{}
	for _, k := range Keys() {
		if !strings.HasPrefix(k, domainPrefix) {
			continue
		}
		de := entries[k].de
		if other, ok := seen[de]; ok {
			t.Errorf("%s and %s have the same German text %q", other, k, de)
		}
		seen[de] = k
	}
}

// TestDomainExplicitIndexes: %[n]s in an entry takes the piece of argument
// n, wherever it stands in the German text; quoted pieces are data.
func TestDomainExplicitIndexes(t *testing.T) {
	d := compileDomain(map[string]entry{"domain.test.swap": {"Erst %[2]s, dann \"%[1]s\".", "First \"%[1]s\", then %[2]s."}})
	key, args, data, ok := d.match("Erst B, dann \"A\".")
	if !ok || key != "domain.test.swap" || !slices.Equal(args, []string{"A", "B"}) || !slices.Equal(data, []bool{true, false}) {
		t.Errorf("got %s %q %v %v", key, args, data, ok)
	}
}
