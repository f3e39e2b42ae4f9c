package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// exprParseCases lists valid sources with their normalized String form.
var exprParseCases = []struct {
	src, want string
}{
	{`${a}`, `${a}`},
	{`${a}='x'`, `${a} = 'x'`},
	{`"x" = ${a}`, `'x' = ${a}`},
	{`"it's" = ${a}`, `"it's" = ${a}`},
	{`${a} = ''`, `${a} = ''`},
	{`${a} != "ja"`, `${a} != 'ja'`},
	{"  ${a}\t>=\n 2.50 ", `${a} >= 2.5`},
	{`${a}<1`, `${a} < 1`},
	{`${a}<=1`, `${a} <= 1`},
	{`${a}>1`, `${a} > 1`},
	{`${a}>=1`, `${a} >= 1`},
	{`${Q_1} = ${_b2}`, `${Q_1} = ${_b2}`},
	{`-1 < .5`, `-1 < 0.5`},
	{`007 = 7.000`, `7 = 7`},
	{`1. = 1`, `1 = 1`},
	{`-0 = 0`, `-0 = 0`},
	{`1200`, `1200`},
	{`'x'`, `'x'`},
	{`(${a} = 1)`, `${a} = 1`},
	{`(((${a})))`, `${a}`},
	{`${a} = 1 and ${b} = 2`, `${a} = 1 and ${b} = 2`},
	{`${a} = 1 or ${b} = 2 and ${c} = 3`, `${a} = 1 or ${b} = 2 and ${c} = 3`},
	{`((${a} = 1 or ${b} = 2)) and ${c} = 3`, `(${a} = 1 or ${b} = 2) and ${c} = 3`},
	{`${a} = 1 or (${b} = 2 or ${c} = 3)`, `${a} = 1 or ${b} = 2 or ${c} = 3`},
	{`(${a} = 1 and ${b} = 2) and ${c} = 3`, `${a} = 1 and ${b} = 2 and ${c} = 3`},
	{`${a} = 1 or (${b} = 2 and ${c} = 3)`, `${a} = 1 or ${b} = 2 and ${c} = 3`},
	{`(${a} = 1 or ${b} = 2) = true()`, `(${a} = 1 or ${b} = 2) = true()`},
	{`(1 = 1) = (2 != 3)`, `(1 = 1) = (2 != 3)`},
	{`not( ${a} )`, `not(${a})`},
	{`not(${a} = 1 or ${b} = 2)`, `not(${a} = 1 or ${b} = 2)`},
	{`not(not(true()))`, `not(not(true()))`},
	{`selected( ${m} ,"x" )`, `selected(${m}, 'x')`},
	{`selected(${m}, 1)`, `selected(${m}, '1')`},
	{`selected(${m}, 2.50)`, `selected(${m}, '2.5')`},
	{`count-selected(${m})>=2`, `count-selected(${m}) >= 2`},
	{`count-selected(${m})`, `count-selected(${m})`},
	{`true( )`, `true()`},
	{`false()`, `false()`},
	{`${a}and${b}`, `${a} and ${b}`},
	{`'ä' = "ö"`, `'ä' = 'ö'`},
	{`'a"b' = ${a}`, `'a"b' = ${a}`},
	{`${a} = 'x' and (${b} > 2 or not(selected(${c}, 'y')))`, `${a} = 'x' and (${b} > 2 or not(selected(${c}, 'y')))`},
}

func TestParseExpr(t *testing.T) {
	for _, tc := range exprParseCases {
		e, err := ParseExpr(tc.src)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.src, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("ParseExpr(%q).String() = %q, want %q", tc.src, got, tc.want)
		}
		again, err := ParseExpr(e.String())
		if err != nil {
			t.Errorf("ParseExpr(%q) (round trip of %q): %v", e.String(), tc.src, err)
			continue
		}
		if again.String() != e.String() {
			t.Errorf("round trip of %q: %q became %q", tc.src, e.String(), again.String())
		}
	}
}

// exprErrorCases lists invalid sources with the column and message expected.
var exprErrorCases = []struct {
	src string
	pos int
	msg string
}{
	{``, 1, "leerer Ausdruck"},
	{`   `, 4, "leerer Ausdruck"},
	{`${a} =`, 7, "nach '=' fehlt ein Wert"},
	{`${a} =  = 1`, 9, "Wert erwartet, gefunden: '='"},
	{`${a} = 1 2`, 10, "unerwartet: Zahl '2' (fehlt 'and' oder 'or'?)"},
	{`${a} = 1 ${b} = 2`, 10, "unerwartet: Frageverweis ${b} (fehlt 'and' oder 'or'?)"},
	{`${a} = 1 AND ${b} = 2`, 10, "unerwartet: Wort 'AND' (bitte klein schreiben: 'and')"},
	{`${a} = 1)`, 9, "unerwartet: ')'"},
	{`${a} = 1,`, 9, "unerwartet: ','"},
	{`${a} = 'x`, 8, "Text ohne schließendes Anführungszeichen"},
	{`${a} = "x'`, 8, "Text ohne schließendes Anführungszeichen"},
	{`${a`, 1, "nach '${' fehlt die schließende Klammer '}'"},
	{`${a} = ${b`, 8, "nach '${' fehlt die schließende Klammer '}'"},
	{`${}`, 1, "leerer Frageverweis '${}'"},
	{`${1a} = 1`, 3, `ungültige Frage-ID "1a"`},
	{`${a b} = 1`, 3, `ungültige Frage-ID "a b"`},
	{`${a-b}`, 3, `ungültige Frage-ID "a-b"`},
	{`$a`, 1, "'{' nach '$' erwartet (Frageverweise schreiben Sie als ${id})"},
	{`$`, 1, "'{' nach '$' erwartet (Frageverweise schreiben Sie als ${id})"},
	{`foo(${a})`, 1, "unbekannte Funktion 'foo'"},
	{`string-length(${a}) > 2`, 1, "unbekannte Funktion 'string-length'"},
	{`NOT(${a})`, 1, "unbekannte Funktion 'NOT' (bitte klein schreiben: 'not')"},
	{`${a} = 1 and foo`, 14, "unerwartetes Wort 'foo' (Frageverweise schreiben Sie als ${foo})"},
	{`x-y = 1`, 1, "unerwartetes Wort 'x-y'"},
	{`(${a} = 1`, 10, "')' erwartet, gefunden: Ende des Ausdrucks"},
	{`(${a} = 1 'x'`, 11, "')' erwartet, gefunden: Text 'x'"},
	{`(${a} = 1 "it's"`, 11, `')' erwartet, gefunden: Text "it's"`},
	{`${a} = 1 (${b} = 2)`, 10, "unerwartet: '(' (fehlt 'and' oder 'or'?)"},
	{`${a} = 1 not(${b})`, 10, "unerwartet: Wort 'not' (fehlt 'and' oder 'or'?)"},
	{`()`, 2, "in '()' fehlt ein Ausdruck"},
	{`not ${a}`, 5, "'(' nach 'not' erwartet, gefunden: Frageverweis ${a}"},
	{`not`, 4, "'(' nach 'not' erwartet, gefunden: Ende des Ausdrucks"},
	{`not()`, 5, "not() braucht genau eine Bedingung"},
	{`not(${a}, ${b})`, 9, "not() braucht genau eine Bedingung"},
	{`not(${a}`, 9, "')' erwartet, gefunden: Ende des Ausdrucks"},
	{`selected('a', 'b')`, 10, "selected() braucht als Erstes einen Frageverweis wie ${q}, gefunden: Text 'a'"},
	{`selected(${a})`, 14, "',' nach dem Frageverweis erwartet, gefunden: ')'"},
	{`selected(${a}, ${b})`, 16, "selected() braucht als Zweites einen Auswahl-Code in Anführungszeichen, gefunden: Frageverweis ${b}"},
	{`selected(${a}, )`, 16, "selected() braucht als Zweites einen Auswahl-Code in Anführungszeichen, gefunden: ')'"},
	{`selected(${a}, 'x', 'y')`, 19, "zu viele Angaben in selected()"},
	{`selected(${a}, 'x'`, 19, "')' erwartet, gefunden: Ende des Ausdrucks"},
	{`count-selected()`, 16, "count-selected() braucht als Erstes einen Frageverweis wie ${q}, gefunden: ')'"},
	{`count-selected(${a}, 'x')`, 20, "zu viele Angaben in count-selected()"},
	{`true`, 5, "'(' nach 'true' erwartet, gefunden: Ende des Ausdrucks"},
	{`true(1)`, 6, "')' erwartet, gefunden: Zahl '1'"},
	{`${a} == 1`, 6, "bitte '=' zum Vergleichen verwenden, nicht '=='"},
	{`${a} ! 1`, 6, "'=' nach '!' erwartet (zum Verneinen schreiben Sie not(...))"},
	{`${a} = 1 && ${b} = 2`, 10, "unerwartetes Zeichen '&' (schreiben Sie 'and')"},
	{`${a} = 1 || ${b} = 2`, 10, "unerwartetes Zeichen '|' (schreiben Sie 'or')"},
	{`${a} # 1`, 6, "unerwartetes Zeichen '#'"},
	{`${a} = 1 + 2`, 10, "unerwartetes Zeichen '+'"},
	{`1 < ${a} < 3`, 10, "Vergleiche lassen sich nicht verketten; bitte Klammern setzen"},
	{`${a} = ${b} = ${c}`, 13, "Vergleiche lassen sich nicht verketten; bitte Klammern setzen"},
	{`${a} = - 1`, 8, "unerwartetes Zeichen '-' (Rechnen wird nicht unterstützt)"},
	{`${a} = .`, 8, "unerwartetes Zeichen '.'"},
	{`and`, 1, "Wert erwartet, gefunden: Wort 'and'"},
	{`${a} = 1 and`, 13, "Wert erwartet, aber der Ausdruck endet hier"},
	{`${a} = 1 or or ${b}`, 13, "Wert erwartet, gefunden: Wort 'or'"},
	{`${a} = 1 and )`, 14, "Wert erwartet, gefunden: ')'"},
	{`ä = 1`, 1, "unerwartetes Zeichen 'ä'"},
	{`'ä' = ü`, 7, "unerwartetes Zeichen 'ü'"},
	{`${a} = '€' or ${b} = 'x`, 22, "Text ohne schließendes Anführungszeichen"},
	{"1" + strings.Repeat("0", 400), 1, "Zahl außerhalb des zulässigen Bereichs"},
	{"${a} = \xff", 8, "ungültige Zeichenkodierung (kein UTF-8)"},
	{"'ä' = '\xc3'", 8, "ungültige Zeichenkodierung (kein UTF-8)"},
	{strings.Repeat(" ", exprMaxLen) + "1", exprMaxLen + 1, "Ausdruck zu lang (mehr als 4096 Bytes)"},
	{strings.Repeat("ä", exprMaxLen/2) + "1", exprMaxLen/2 + 1, "Ausdruck zu lang (mehr als 4096 Bytes)"},
	{strings.Repeat("(", exprMaxDepth+1) + "1" + strings.Repeat(")", exprMaxDepth+1), exprMaxDepth + 1, "Ausdruck zu tief verschachtelt (mehr als 100 Ebenen)"},
	{strings.Repeat("not(", exprMaxDepth+1) + "1" + strings.Repeat(")", exprMaxDepth+1), 4*exprMaxDepth + 1, "Ausdruck zu tief verschachtelt (mehr als 100 Ebenen)"},
	{strings.Repeat("not(", exprMaxDepth) + "selected(${a}, 'x')" + strings.Repeat(")", exprMaxDepth), 4*exprMaxDepth + 1, "Ausdruck zu tief verschachtelt (mehr als 100 Ebenen)"},
}

func TestParseExprErrors(t *testing.T) {
	for _, tc := range exprErrorCases {
		e, err := ParseExpr(tc.src)
		name := tc.src
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		if err == nil {
			t.Errorf("ParseExpr(%q) = %q, want an error", name, e.String())
			continue
		}
		var pe *ExprError
		if !errors.As(err, &pe) {
			t.Errorf("ParseExpr(%q) error %T, want *ExprError", name, err)
			continue
		}
		if pe.Pos != tc.pos || pe.Text.String() != tc.msg {
			t.Errorf("ParseExpr(%q) = column %d: %q, want column %d: %q", name, pe.Pos, pe.Text, tc.pos, tc.msg)
		}
		if want := "Spalte " + strconv.Itoa(tc.pos) + ": " + tc.msg; err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
	}
}

func TestParseExprLimits(t *testing.T) {
	deep := strings.Repeat("(", exprMaxDepth) + "${a}" + strings.Repeat(")", exprMaxDepth)
	if _, err := ParseExpr(deep); err != nil {
		t.Errorf("%d levels of parentheses: %v", exprMaxDepth, err)
	}
	nots := strings.Repeat("not(", exprMaxDepth) + "${a}" + strings.Repeat(")", exprMaxDepth)
	e, err := ParseExpr(nots)
	if err != nil {
		t.Fatalf("%d nested not(): %v", exprMaxDepth, err)
	}
	if !e.Eval(exprLookup(map[string][]string{"a": {"x"}})) { // an even number of negations
		t.Errorf("%d nested not() of an answered question = false", exprMaxDepth)
	}
	long := strings.Repeat(" ", exprMaxLen-1) + "1"
	if _, err := ParseExpr(long); err != nil {
		t.Errorf("%d bytes: %v", exprMaxLen, err)
	}
	// A long flat chain stays shallow: and/or are n-ary.
	chain := "${a} = 1" + strings.Repeat(" or ${a} = 1", 300)
	e, err = ParseExpr(chain)
	if err != nil {
		t.Fatalf("chain: %v", err)
	}
	if len(e.root.args) != 301 {
		t.Errorf("chain of 301 'or' operands has %d", len(e.root.args))
	}
}

func exprLookup(answers map[string][]string) func(string) []string {
	return func(id string) []string { return answers[id] }
}

type exprEvalCase struct {
	src     string
	answers map[string][]string
	want    bool
}

// exprEvalCases are truth tables; the same cases run through conditions.js.
var exprEvalCases = []exprEvalCase{
	// Unanswered questions are the empty string; numeric comparisons fail.
	{`${n} > 5`, nil, false},
	{`${n} < 5`, nil, false},
	{`${n} >= 0`, nil, false},
	{`${n} <= 0`, nil, false},
	{`${n} = 5`, nil, false},
	{`${n} != 5`, nil, true},
	{`${n} = 0`, nil, false},
	{`${n} = ''`, nil, true},
	{`${n} != ''`, nil, false},
	{`${n} = ''`, map[string][]string{"n": {}}, true},
	{`${n} = ''`, map[string][]string{"n": {""}}, true},
	{`${n} = ''`, map[string][]string{"n": {"0"}}, false},
	{`${n} != ''`, map[string][]string{"n": {"0"}}, true},
	{`${n}`, nil, false},
	{`${n}`, map[string][]string{"n": {""}}, false},
	{`${n}`, map[string][]string{"n": {"0"}}, true},
	{`not(${n})`, nil, true},
	{`${n} < 'b'`, nil, false},
	{`${n} > ''`, map[string][]string{"n": {"a"}}, false},
	{`${a} = ${b}`, nil, true},
	{`${a} < ${b}`, nil, false},

	// Numbers and numeric strings compare numerically.
	{`${n} > 5`, map[string][]string{"n": {"10"}}, true},
	{`${n} > 5`, map[string][]string{"n": {"5"}}, false},
	{`${n} >= 5`, map[string][]string{"n": {"5"}}, true},
	{`${n} < 5`, map[string][]string{"n": {"4.99"}}, true},
	{`${n} <= 5`, map[string][]string{"n": {"5.01"}}, false},
	{`${n} = 1200`, map[string][]string{"n": {"1200"}}, true},
	{`${n} = 1.5`, map[string][]string{"n": {"1.5"}}, true},
	{`${n} = 1.50`, map[string][]string{"n": {"1.5"}}, true},
	{`${n} = 5`, map[string][]string{"n": {"5.0"}}, true},
	{`${n} != 5`, map[string][]string{"n": {"5.0"}}, false},
	{`${n} >= -1`, map[string][]string{"n": {"-1"}}, true},
	{`${n} < 0`, map[string][]string{"n": {"-0.5"}}, true},
	{`${n} = 0.5`, map[string][]string{"n": {".5"}}, true},
	{`${n} = 1`, map[string][]string{"n": {"+1"}}, true},
	{`${n} = 1`, map[string][]string{"n": {"1."}}, true},
	{`${n} = 100000`, map[string][]string{"n": {"1e5"}}, false},
	{`${n} > 5`, map[string][]string{"n": {"abc"}}, false},
	{`${n} < 5`, map[string][]string{"n": {"abc"}}, false},
	{`${n} = 5`, map[string][]string{"n": {"abc"}}, false},
	{`${n} != 5`, map[string][]string{"n": {"abc"}}, true},
	{`${n} > 5`, map[string][]string{"n": {" 10"}}, false},
	{`${a} = ${b}`, map[string][]string{"a": {"1"}, "b": {"1.0"}}, true},
	{`${a} < ${b}`, map[string][]string{"a": {"2"}, "b": {"10"}}, true},
	{`${a} > ${b}`, map[string][]string{"a": {"2"}, "b": {"10"}}, false},
	{`1 = 1`, nil, true},
	{`1 < 2`, nil, true},
	{`2 = 2.0`, nil, true},
	{`-1 < 0`, nil, true},
	{`'10' < '9'`, nil, false},
	{`'10' > 9`, nil, true},

	// Strings: = with a string literal compares strings; other comparisons
	// of non-numeric strings go by code point.
	{`${n} = '5'`, map[string][]string{"n": {"5"}}, true},
	{`${n} = '5'`, map[string][]string{"n": {"5.0"}}, false},
	{`${n} != '5'`, map[string][]string{"n": {"5.0"}}, true},
	{`${q} = 'ja'`, map[string][]string{"q": {"ja"}}, true},
	{`${q} = 'ja'`, map[string][]string{"q": {"nein"}}, false},
	{`${q} = 'ja'`, nil, false},
	{`${q} != 'ja'`, nil, true},
	{`'ja' = ${q}`, map[string][]string{"q": {"ja"}}, true},
	{`${a} = ${b}`, map[string][]string{"a": {"x"}, "b": {"x"}}, true},
	{`${a} = ${b}`, map[string][]string{"a": {"x"}, "b": {"y"}}, false},
	{`${a} < ${b}`, map[string][]string{"a": {"apple"}, "b": {"banana"}}, true},
	{`${d} >= '2024-01-01'`, map[string][]string{"d": {"2024-03-05"}}, true},
	{`${d} >= '2024-01-01'`, map[string][]string{"d": {"2023-12-31"}}, false},
	{`${d} >= '2024-01-01'`, nil, false},
	{`${d} < '2024-01-01'`, nil, false},
	{`'a' = 'a'`, nil, true},
	{`'a' = "a"`, nil, true},
	{`'a' < 'b'`, nil, true},
	{`'b' > 'a'`, nil, true},
	{`'ä' > 'z'`, nil, true},
	{`'Z' < 'a'`, nil, true},
	{`'' = ''`, nil, true},
	{`'' < 'a'`, nil, false},
	{`count-selected(${m}) = '2'`, map[string][]string{"m": {"a", "b"}}, true},
	{`2 = '2.0'`, nil, false},

	// Multiple choice.
	{`selected(${m}, 'a')`, map[string][]string{"m": {"a", "b"}}, true},
	{`selected(${m}, 'b')`, map[string][]string{"m": {"a", "b"}}, true},
	{`selected(${m}, 'c')`, map[string][]string{"m": {"a", "b"}}, false},
	{`selected(${m}, 'a')`, nil, false},
	{`selected(${m}, 'a')`, map[string][]string{"m": {"a b"}}, true},
	{`selected(${m}, 'a b')`, map[string][]string{"m": {"a b"}}, false},
	{`selected(${m}, '')`, map[string][]string{"m": {""}}, false},
	{`selected(${s}, '1')`, map[string][]string{"s": {"1"}}, true},
	{`selected(${s}, 1)`, map[string][]string{"s": {"1"}}, true},
	{`selected(${s}, 1)`, map[string][]string{"s": {"10"}}, false},
	{`not(selected(${m}, 'a'))`, nil, true},
	{`count-selected(${m}) = 2`, map[string][]string{"m": {"a", "b"}}, true},
	{`count-selected(${m}) = 2`, map[string][]string{"m": {"a b"}}, true},
	{`count-selected(${m}) > 0`, nil, false},
	{`count-selected(${m}) = 0`, nil, true},
	{`count-selected(${m}) = 0`, map[string][]string{"m": {""}}, true},
	{`count-selected(${m}) >= 1`, map[string][]string{"m": {"x"}}, true},
	{`count-selected(${m})`, map[string][]string{"m": {"a"}}, true},
	{`count-selected(${m})`, nil, false},
	{`${m} = 'a b'`, map[string][]string{"m": {"a", "b"}}, true},
	{`${m} = 'a b'`, map[string][]string{"m": {"a", "", "b"}}, true},
	{`${m} = 'a'`, map[string][]string{"m": {"a", "b"}}, false},
	{`${m} != 'a'`, map[string][]string{"m": {"a", "b"}}, true},
	{`${m} = 1`, map[string][]string{"m": {"1", "2"}}, false},
	{`${m} > 0`, map[string][]string{"m": {"1", "2"}}, false},
	{`${m} = 2`, map[string][]string{"m": {"", "2"}}, true},
	{`${m}`, map[string][]string{"m": {"a", "b"}}, true},

	// Booleans.
	{`true()`, nil, true},
	{`false()`, nil, false},
	{`not(false())`, nil, true},
	{`${a} = true()`, map[string][]string{"a": {"x"}}, true},
	{`${a} = true()`, nil, false},
	{`${a} != false()`, map[string][]string{"a": {"0"}}, true},
	{`true() = 1`, nil, true},
	{`false() = 0`, nil, true},
	{`true() = 'false'`, nil, true},
	{`true() > false()`, nil, true},
	{`true() < 1`, nil, false},
	{`false() < ${n}`, map[string][]string{"n": {"0.5"}}, true},
	{`true() > ${n}`, nil, false},
	{`(1 = 1) = (2 = 2)`, nil, true},
	{`(1 = 1) = false()`, nil, false},
	{`(1 = 2) != (2 = 3)`, nil, false},

	// Bare values.
	{`0`, nil, false},
	{`1`, nil, true},
	{`-1`, nil, true},
	{`0.0`, nil, false},
	{`''`, nil, false},
	{`'x'`, nil, true},
	{`'0'`, nil, true},

	// Logic, precedence and nesting.
	{`${a} = 1 or ${b} = 2 and ${c} = 3`, map[string][]string{"a": {"1"}}, true},
	{`${a} = 1 or ${b} = 2 and ${c} = 3`, map[string][]string{"b": {"2"}}, false},
	{`${a} = 1 or ${b} = 2 and ${c} = 3`, map[string][]string{"b": {"2"}, "c": {"3"}}, true},
	{`(${a} = 1 or ${b} = 2) and ${c} = 3`, map[string][]string{"a": {"1"}}, false},
	{`(${a} = 1 or ${b} = 2) and ${c} = 3`, map[string][]string{"a": {"1"}, "c": {"3"}}, true},
	{`not(${a} = 1 and ${b} = 2)`, map[string][]string{"a": {"1"}, "b": {"2"}}, false},
	{`not(${a} = 1 and ${b} = 2)`, map[string][]string{"a": {"1"}}, true},
	{`not(${a} = 1) and not(${b} = 2)`, nil, true},
	{`not(not(not(true())))`, nil, false},
	{`${a} = 1 and (${b} = 2 or selected(${m}, 'x'))`, map[string][]string{"a": {"1"}, "m": {"y", "x"}}, true},
	{`${a} = 1 and (${b} = 2 or selected(${m}, 'x'))`, map[string][]string{"a": {"1"}, "m": {"y"}}, false},
	{`${a} and ${b}`, map[string][]string{"a": {"x"}, "b": {"0"}}, true},
	{`${a} or ${b}`, nil, false},
	{`${a} = 'ja' and ${n} > 0 or ${x} = 'immer'`, map[string][]string{"x": {"immer"}}, true},
	{`${a} = 'ja' and (${n} > 0 or ${x} = 'immer')`, map[string][]string{"x": {"immer"}}, false},
}

func TestExprEval(t *testing.T) {
	for _, tc := range exprEvalCases {
		e, err := ParseExpr(tc.src)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tc.src, err)
			continue
		}
		if got := e.Eval(exprLookup(tc.answers)); got != tc.want {
			t.Errorf("%s with %v = %v, want %v", tc.src, tc.answers, got, tc.want)
		}
		// The normalized form means the same.
		again, err := ParseExpr(e.String())
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", e.String(), err)
			continue
		}
		if got := again.Eval(exprLookup(tc.answers)); got != tc.want {
			t.Errorf("%s (from %s) with %v = %v, want %v", e.String(), tc.src, tc.answers, got, tc.want)
		}
	}
}

func TestExprEvalShortCircuit(t *testing.T) {
	e, err := ParseExpr(`${a} = 1 or ${b} = 1 and ${c} = 1`)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	e.Eval(func(id string) []string {
		asked = append(asked, id)
		if id == "a" {
			return []string{"1"}
		}
		return nil
	})
	if !slices.Equal(asked, []string{"a"}) {
		t.Errorf("looked up %v, want only [a]", asked)
	}
}

func TestExprNil(t *testing.T) {
	var e *Expr
	if !e.Eval(nil) {
		t.Error("nil Expr is false, want true")
	}
	if e.String() != "" || e.Refs() != nil {
		t.Errorf("nil Expr: String %q, Refs %v", e.String(), e.Refs())
	}
	if b, err := e.MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("nil Expr MarshalJSON = %s, %v", b, err)
	}
	if !new(Expr).Eval(nil) {
		t.Error("zero Expr is false, want true")
	}
	e, err := ParseExpr(`${a} = ''`)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Eval(nil) {
		t.Error("nil lookup: ${a} = '' is false, want true")
	}
}

func TestExprRefs(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`1 = 1`, nil},
		{`${a}`, []string{"a"}},
		{`${b} = ${a} or ${b} = 1`, []string{"a", "b"}},
		{`selected(${m}, 'x') and count-selected(${k}) > 1 and not(${Z} = ${a_1})`, []string{"Z", "a_1", "k", "m"}},
	}
	for _, tc := range tests {
		e, err := ParseExpr(tc.src)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", tc.src, err)
		}
		got := e.Refs()
		if !slices.Equal(got, tc.want) {
			t.Errorf("Refs(%q) = %v, want %v", tc.src, got, tc.want)
		}
		if len(got) > 0 {
			got[0] = "changed"
			if e.Refs()[0] == "changed" {
				t.Errorf("Refs(%q) returns the internal slice", tc.src)
			}
		}
	}
}

func TestExprMarshalJSON(t *testing.T) {
	tests := []struct{ src, want string }{
		{`${a} = 'x'`, `["=",["ref","a"],"x"]`},
		{`${a} != 1200`, `["!=",["ref","a"],1200]`},
		{`${a} < -0.50`, `["<",["ref","a"],-0.5]`},
		{`${a} <= 1`, `["<=",["ref","a"],1]`},
		{`${a} > 1`, `[">",["ref","a"],1]`},
		{`${a} >= 1`, `[">=",["ref","a"],1]`},
		{`selected(${m}, 'x') and not(count-selected(${m}) > 2)`, `["and",["selected","m","x"],["not",[">",["count-selected","m"],2]]]`},
		{`${a} or ${b} or (${c} or true())`, `["or",["ref","a"],["ref","b"],["ref","c"],true]`},
		{`false()`, `false`},
		{`'<b>' = "it's"`, `["=","\u003cb\u003e","it's"]`},
		{`'"' = 'ä\'`, `["=","\"","ä\\"]`},
	}
	for _, tc := range tests {
		e, err := ParseExpr(tc.src)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", tc.src, err)
		}
		got, err := e.MarshalJSON()
		if err != nil || string(got) != tc.want {
			t.Errorf("MarshalJSON(%q) = %s, %v; want %s", tc.src, got, err, tc.want)
		}
		if !json.Valid(got) {
			t.Errorf("MarshalJSON(%q) is not valid JSON: %s", tc.src, got)
		}
	}
	// Through encoding/json, as a field of a larger value.
	e, err := ParseExpr(`${a} = 'x'`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(struct {
		Relevant *Expr `json:"relevant"`
		None     *Expr `json:"none"`
	}{Relevant: e})
	if err != nil || string(got) != `{"relevant":["=",["ref","a"],"x"],"none":null}` {
		t.Errorf("json.Marshal = %s, %v", got, err)
	}
}

func TestExprEvalAllocs(t *testing.T) {
	e, err := ParseExpr(`${a} = 'ja' and (${n} > 1.5 or selected(${m}, 'x')) and count-selected(${m}) < 3 and ${b} != ''`)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string][]string{"a": {"ja"}, "n": {"1"}, "m": {"y", "x"}, "b": {"z"}}
	lookup := exprLookup(answers)
	if !e.Eval(lookup) {
		t.Fatal("expression is false, want true")
	}
	if n := testing.AllocsPerRun(100, func() { e.Eval(lookup) }); n != 0 {
		t.Errorf("Eval allocates %v times per run, want 0", n)
	}
}

func BenchmarkExprEval(b *testing.B) {
	e, err := ParseExpr(`${a} = 'ja' and (${n} > 1.5 or selected(${m}, 'x')) and not(${b} = '')`)
	if err != nil {
		b.Fatal(err)
	}
	answers := map[string][]string{"a": {"ja"}, "n": {"1200"}, "m": {"y", "x"}, "b": {"z"}}
	lookup := exprLookup(answers)
	b.ReportAllocs()
	for b.Loop() {
		e.Eval(lookup)
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, tc := range exprParseCases {
		f.Add(tc.src)
	}
	for _, tc := range exprErrorCases {
		f.Add(tc.src)
	}
	for _, tc := range exprEvalCases {
		f.Add(tc.src)
	}
	answers := map[string][]string{"a": {"1"}, "b": {"x"}, "m": {"a", "b"}, "n": {"1.5"}}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseExpr(src)
		if err != nil {
			var pe *ExprError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseExpr(%q) error %T", src, err)
			}
			if pe.Pos < 1 || pe.Pos > len(src)+1 || pe.Text == nil || pe.Text.String() == "" {
				t.Fatalf("ParseExpr(%q) = column %d: %q", src, pe.Pos, pe.Text)
			}
			return
		}
		s := e.String()
		again, err := ParseExpr(s)
		if err != nil {
			t.Fatalf("ParseExpr(%q) ok, but its String %q: %v", src, s, err)
		}
		if again.String() != s {
			t.Fatalf("ParseExpr(%q): String %q reparses to %q", src, s, again.String())
		}
		if !slices.Equal(again.Refs(), e.Refs()) || !slices.IsSorted(e.Refs()) {
			t.Fatalf("ParseExpr(%q): Refs %v, after round trip %v", src, e.Refs(), again.Refs())
		}
		j, err := e.MarshalJSON()
		if err != nil || !json.Valid(j) {
			t.Fatalf("ParseExpr(%q): MarshalJSON %s, %v", src, j, err)
		}
		if e.Eval(exprLookup(answers)) != again.Eval(exprLookup(answers)) {
			t.Fatalf("ParseExpr(%q): %q evaluates differently", src, s)
		}
		e.Eval(nil)
	})
}

// ---- conditions.js ----

// runNode runs script with node, passing input as JSON on standard input,
// and decodes its JSON output into out. Without node, the test is skipped,
// except in CI (CI=true), where it fails.
func runNode(t *testing.T, script string, input, out any) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node is required in CI: %v", err)
		}
		t.Skipf("node not found: %v", err)
	}
	lib, err := filepath.Abs(filepath.Join("..", "static", "js", "conditions.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "run.js")
	src := "const conditions = require(" + strconv.Quote(lib) + ");\n" + script
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, path)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("node output: %v\n%s", err, stdout.String())
	}
}

const nodeReadStdin = `
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
`

// randomExpr builds a random source text from the whole grammar.
func randomExpr(r *rand.Rand, depth int) string {
	refs := []string{"a", "b", "m"}
	operand := func() string {
		switch r.IntN(9) {
		case 0, 1, 2:
			return "${" + refs[r.IntN(len(refs))] + "}"
		case 3:
			return []string{"0", "1", "-1", "1.5", "10", "2", ".5"}[r.IntN(7)]
		case 4, 5:
			return []string{"''", "'a'", "'x'", "'1'", "'10'", "'a x'", "'2024-01-01'", "'ä'", "'1.0'", "\"it's\""}[r.IntN(10)]
		case 6:
			return "count-selected(${" + refs[r.IntN(len(refs))] + "})"
		case 7:
			return []string{"true()", "false()"}[r.IntN(2)]
		default:
			if depth > 0 {
				return "(" + randomExpr(r, depth-1) + ")"
			}
			return "${a}"
		}
	}
	ops := []string{"=", "!=", "<", "<=", ">", ">="}
	if depth <= 0 {
		return operand() + " " + ops[r.IntN(len(ops))] + " " + operand()
	}
	switch r.IntN(7) {
	case 0, 1:
		return operand() + " " + ops[r.IntN(len(ops))] + " " + operand()
	case 2:
		return randomExpr(r, depth-1) + " and " + randomExpr(r, depth-1)
	case 3:
		return randomExpr(r, depth-1) + " or " + randomExpr(r, depth-1)
	case 4:
		return "not(" + randomExpr(r, depth-1) + ")"
	case 5:
		return "selected(${" + refs[r.IntN(len(refs))] + "}, '" + []string{"a", "x", "1", ""}[r.IntN(4)] + "')"
	default:
		return operand()
	}
}

func randomAnswers(r *rand.Rand) map[string][]string {
	values := [][]string{
		nil, {""}, {"0"}, {"1"}, {"1.5"}, {"10"}, {"-1"}, {"a"}, {"x"}, {"a", "x"}, {"a x"},
		{"2024-01-01"}, {"ä"}, {"1", "2"}, {"abc"}, {".5"}, {"+1"}, {"1."}, {"1.0"}, {"", "a"},
		{"😀"}, {"\uffff"}, {"1e5"},
	}
	answers := map[string][]string{}
	for _, id := range []string{"a", "b", "m"} {
		if v := values[r.IntN(len(values))]; v != nil {
			answers[id] = v
		}
	}
	return answers
}

func TestConditionsJSMatchesGo(t *testing.T) {
	type jsCase struct {
		Src     string              `json:"src"`
		AST     *Expr               `json:"ast"`
		Answers map[string][]string `json:"answers"`
		Want    bool                `json:"-"`
	}
	var cases []jsCase
	add := func(src string, answers map[string][]string) {
		e, err := ParseExpr(src)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", src, err)
		}
		if answers == nil {
			answers = map[string][]string{}
		}
		cases = append(cases, jsCase{Src: src, AST: e, Answers: answers, Want: e.Eval(exprLookup(answers))})
	}
	for _, tc := range exprEvalCases {
		add(tc.src, tc.answers)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		src := randomExpr(r, 3)
		for range 6 {
			add(src, randomAnswers(r))
		}
	}

	numbers := []float64{0, math.Copysign(0, -1), 1, -1, 1.5, 0.1 + 0.2, 1200, 1e20, 1e21, 1.5e22, 123456789012345680000,
		1e-6, 1e-7, 1.5e-7, -2.5e-10, 5e-324, math.MaxFloat64, 1.0 / 3, 100, 2e-300}
	germans := []struct {
		in   string
		want *string
	}{
		{"1,5", ptr("1.5")}, {"1.200", ptr("1200")}, {"1.200,5", ptr("1200.5")}, {"1.5", ptr("1.5")},
		{"0.125", ptr("0.125")}, {"12.345.678", ptr("12345678")}, {"-1.200", ptr("-1200")}, {" 42 ", ptr("42")},
		{"+3", ptr("3")}, {",5", ptr("0.5")}, {"1,50", ptr("1.5")}, {"1.2345", ptr("1.2345")}, {"12.34", ptr("12.34")},
		{"007", ptr("7")}, {"0,0", ptr("0")}, {"1234", ptr("1234")}, {"1234.5", ptr("1234.5")},
		{"1.200.00", nil}, {"abc", nil}, {"1e5", nil}, {"", nil}, {"2024-01-01", nil}, {"1 200", nil},
		{"1,2,3", nil}, {"1.", nil}, {"1.200,", nil}, {"1234.567,8", nil},
	}
	germanIn := make([]string, len(germans))
	for i, g := range germans {
		germanIn[i] = g.in
	}

	input := map[string]any{"cases": cases, "numbers": numbers, "germans": germanIn}
	var out struct {
		Results []bool    `json:"results"`
		Numbers []string  `json:"numbers"`
		Germans []*string `json:"germans"`
	}
	runNode(t, nodeReadStdin+`
const lookup = (answers) => (id) => answers[id] || [];
process.stdout.write(JSON.stringify({
  results: input.cases.map((c) => conditions.evaluate(c.ast, lookup(c.answers))),
  numbers: input.numbers.map(conditions.formatNumber),
  germans: input.germans.map(conditions.normalizeNumber),
}));
`, input, &out)

	if len(out.Results) != len(cases) {
		t.Fatalf("node returned %d results for %d cases", len(out.Results), len(cases))
	}
	failed := 0
	for i, c := range cases {
		if out.Results[i] != c.Want {
			failed++
			if failed <= 20 {
				t.Errorf("%s with %v: Go %v, conditions.js %v", c.Src, c.Answers, c.Want, out.Results[i])
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d cases differ", failed, len(cases))
	}
	for i, f := range numbers {
		if want := formatExprNumber(f); out.Numbers[i] != want {
			t.Errorf("formatNumber(%v) = %q, Go says %q", f, out.Numbers[i], want)
		}
	}
	for i, g := range germans {
		got := out.Germans[i]
		switch {
		case g.want == nil && got != nil:
			t.Errorf("normalizeNumber(%q) = %q, want null", g.in, *got)
		case g.want != nil && (got == nil || *got != *g.want):
			t.Errorf("normalizeNumber(%q) = %v, want %q", g.in, got, *g.want)
		case g.want != nil:
			if _, ok := parseExprNumber(*got); !ok {
				t.Errorf("normalizeNumber(%q) = %q is not a number for Go", g.in, *got)
			}
		}
	}
}

func ptr(s string) *string { return &s }

// TestConditionsJSForm drives applyConditions over a minimal stand-in for the
// DOM: the wrappers, inputs and the hidden property it uses.
func TestConditionsJSForm(t *testing.T) {
	relevant := func(src string) string {
		e, err := ParseExpr(src)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", src, err)
		}
		j, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return string(j)
	}
	input := map[string]any{
		"wrappers": []map[string]string{
			{"qid": "a"},
			{"qid": "b", "relevant": relevant(`${a} = 'ja'`)},
			{"qid": "c", "relevant": relevant(`${b} > 1000`)},
			{"qid": "m"},
			{"qid": "d", "relevant": relevant(`selected(${m}, 'y') and not(selected(${m}, 'z'))`)},
			{"qid": "p"},
			{"qid": "e", "relevant": relevant(`${p} >= 3`)},
			{"qid": "s"},
			{"qid": "f", "relevant": relevant(`${s} = 'k2'`)},
			{"qid": "g", "relevant": "not json"},
			{"qid": "n"},
			{"qid": "h", "relevant": relevant(`${n} = 1.2`)},
			{"qid": "t"},
			{"qid": "i", "relevant": relevant(`${t} = '0511'`)},
		},
	}
	// Each step sets inputs, runs applyConditions and reports the hidden
	// questions.
	var out [][]string
	runNode(t, nodeReadStdin+`
function field(name, type, value) {
  return { name: name, type: type, value: value, checked: false, tagName: type === 'textarea' ? 'TEXTAREA' : 'INPUT' };
}
const els = {
  a_ja: field('q.a', 'radio', 'ja'), a_nein: field('q.a', 'radio', 'nein'),
  b: field('q.b', 'text', ''), c: field('q.c', 'text', ''),
  m_x: field('q.m', 'checkbox', 'x'), m_y: field('q.m', 'checkbox', 'y'), m_z: field('q.m', 'checkbox', 'z'),
  p1: field('q.p.1', 'text', ''), p2: field('q.p.2', 'text', ''),
  s: { name: 'q.s', type: 'select-one', tagName: 'SELECT', options: [
    { value: '', selected: true }, { value: 'k1', selected: false }, { value: 'k2', selected: false }] },
  n: field('q.n', 'number', ''), t: field('q.t', 'tel', ''), other: field('csrf', 'hidden', 'x'),
};
const wrappers = input.wrappers.map((w) => ({
  hidden: false,
  getAttribute(name) {
    if (name === 'data-qid') return w.qid;
    if (name === 'data-relevant') return w.relevant === undefined ? null : w.relevant;
    return null;
  },
}));
const form = { elements: Object.values(els), querySelectorAll: () => wrappers };
const steps = [
  () => {},
  () => { els.a_ja.checked = true; els.b.value = '1.200'; },
  () => { els.b.value = '1,5'; },
  () => { els.b.value = ' 1.000,5 '; },
  () => { els.a_ja.checked = false; els.a_nein.checked = true; },
  () => { els.m_y.checked = true; els.p1.value = '1,5'; els.p2.value = '1.5'; },
  () => { els.m_z.checked = true; els.p2.value = 'x'; els.s.options[0].selected = false; els.s.options[2].selected = true; },
  () => { els.n.value = '1.200'; els.t.value = '0511'; },
];
console.error = () => {};
const result = steps.map((step) => {
  step();
  conditions.applyConditions(form);
  return wrappers.filter((w) => w.hidden).map((w) => w.getAttribute('data-qid'));
});
process.stdout.write(JSON.stringify(result));
`, input, &out)
	want := [][]string{
		{"b", "c", "d", "e", "f", "h", "i"}, // nothing answered; g's bad JSON leaves it visible
		{"d", "e", "f", "h", "i"},           // a = ja shows b; b = 1.200 means 1200 > 1000
		{"c", "d", "e", "f", "h", "i"},      // 1,5
		{"d", "e", "f", "h", "i"},           // 1.000,5
		{"b", "c", "d", "e", "f", "h", "i"}, // a = nein hides b, and so c (hidden b is unanswered)
		{"b", "c", "f", "h", "i"},           // y selected; items 1,5 + 1.5 = 3
		{"b", "c", "d", "e", "h", "i"},      // z selected too; a non-numeric item; select k2
		{"b", "c", "d", "e"},                // number input "1.200" is 1.2; tel input stays "0511"
	}
	if len(out) != len(want) {
		t.Fatalf("got %d steps, want %d", len(out), len(want))
	}
	for i := range want {
		if !slices.Equal(out[i], want[i]) {
			t.Errorf("step %d: hidden %v, want %v", i, out[i], want[i])
		}
	}
}
