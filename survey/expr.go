package survey

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep hostile condition text from exhausting memory or the stack.
const (
	exprMaxLen   = 4096 // bytes of source text
	exprMaxDepth = 100  // nested parentheses and function calls
)

// Expr is a compiled condition in the XLSForm expression subset:
//
//	${q}                              question reference
//	= != < <= > >=                    comparisons (not chainable)
//	and, or, not(expr)                logic; precedence or < and < comparison
//	selected(${q}, 'x')               choice code 'x' is among the answer's codes
//	count-selected(${q})              number of codes selected
//	true(), false()                   boolean constants
//	3, 2.5, -1, 'text', "text"        literals
//
// Parse once with ParseExpr, then Eval as often as needed; an Expr is
// immutable and safe for concurrent use. A nil *Expr (no condition) is
// always true.
type Expr struct {
	root exprNode
	refs []string // sorted, unique
}

// ExprError reports why a condition could not be compiled.
type ExprError struct {
	Pos int // 1-based column: the character position in the source text
	// Text says what is wrong for the questionnaire's authors, a keyed
	// message ("msg.expr." keys), e.g. "')' erwartet, gefunden: Ende des
	// Ausdrucks". What the parser found is a nested message (a question
	// reference, a number, the end); ids, names and characters of the
	// source are data.
	Text *Message
}

// Message returns the error with its column as a keyed message,
// "Spalte 12: ')' erwartet, …" in German: the message a questionnaire's
// diagnostic inserts for a broken condition.
func (e *ExprError) Message() *Message { return NewMessage("msg.expr.column", e.Pos, e.Text) }

// Error returns the message in German, "Spalte 12: ')' erwartet, …".
func (e *ExprError) Error() string { return e.Message().String() }

// exprKind identifies the kind of an AST node.
type exprKind uint8

const (
	exprInvalid exprKind = iota
	exprOr
	exprAnd
	exprNot
	exprEq
	exprNe
	exprLt
	exprLe
	exprGt
	exprGe
	exprRef
	exprStr
	exprNum
	exprBool
	exprSelected
	exprCountSelected
)

// exprOperators maps comparison kinds to their source (and JSON) spelling.
var exprOperators = [...]string{
	exprEq: "=", exprNe: "!=", exprLt: "<", exprLe: "<=", exprGt: ">", exprGe: ">=",
}

// exprNode is one node of the AST.
type exprNode struct {
	kind exprKind
	str  string     // question id (ref, selected, count-selected) or string literal
	code string     // selected: the choice code
	num  float64    // number literal
	b    bool       // boolean literal
	args []exprNode // or, and: two or more; not: one; comparisons: two
}

func (n *exprNode) isComparison() bool { return n.kind >= exprEq && n.kind <= exprGe }

// ParseExpr compiles src. Errors are *ExprError with the 1-based column and
// a keyed message, in German e.g. "Spalte 12: ')' erwartet, gefunden: Ende
// des Ausdrucks". The keywords of the language (and, or, not(), selected(), ${id}
// …) appear in the messages as they are written.
func ParseExpr(src string) (*Expr, error) {
	if len(src) > exprMaxLen {
		return nil, &ExprError{
			Pos:  utf8.RuneCountInString(src[:exprMaxLen]) + 1,
			Text: NewMessage("msg.expr.too_long", exprMaxLen),
		}
	}
	if !utf8.ValidString(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return nil, &ExprError{Pos: utf8.RuneCountInString(src[:i]) + 1, Text: NewMessage("msg.expr.utf8")}
	}
	p := &exprParser{src: src}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, p.errAt(p.tok.pos, NewMessage("msg.expr.empty"))
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.errAt(p.tok.pos, trailing(p.tok))
	}
	slices.Sort(p.refs)
	return &Expr{root: root, refs: slices.Compact(p.refs)}, nil
}

// trailing reports a token left over after a complete expression, with a
// fix where one suggests itself.
func trailing(t exprToken) *Message {
	switch t.kind {
	case tokName:
		if lower := strings.ToLower(t.text); lower == "and" || lower == "or" {
			return NewMessage("msg.expr.trailing_case", t.describe(), lower)
		}
		return NewMessage("msg.expr.trailing_join", t.describe())
	case tokRef, tokStr, tokNum, tokLParen:
		return NewMessage("msg.expr.trailing_join", t.describe())
	}
	return NewMessage("msg.expr.trailing", t.describe())
}

// Refs returns the question ids referenced, sorted and unique.
func (e *Expr) Refs() []string {
	if e == nil || len(e.refs) == 0 {
		return nil
	}
	return slices.Clone(e.refs)
}

// Eval evaluates the condition. lookup returns the answer to question id:
// nil or an empty slice when unanswered, one string for single-valued answers
// (numbers as canonical Go strings such as "1.5", "1200"), the selected codes
// for multiple choice. Empty strings in the slice are ignored. A nil lookup
// means nothing is answered. A nil *Expr is true.
//
// Eval does not know which questions are hidden: lookup should return nil for
// a question whose own condition is false, as static/js/conditions.js does.
//
// Semantics follow XPath as used by ODK:
//   - an unanswered question is the empty string; several codes are joined by
//     a space; a numeric string is plain decimal notation ("-1", "2.5", ".5"),
//     without exponent, spaces or German separators;
//   - = and != compare as strings when either side is a string literal;
//     otherwise numerically when both sides are numbers or numeric strings; a
//     number never equals a non-numeric string; two strings compare as strings;
//   - < <= > >= compare numerically when both sides are numeric; they are false
//     when a number meets a non-numeric or empty value (NaN) and when either
//     side is empty; two non-numeric strings compare by code point;
//   - a comparison with true() or false() converts the other side to boolean
//     (= and !=) or both sides to numbers (< and the like);
//   - selected(${q}, 'x') is true when 'x' is one of the codes and
//     count-selected(${q}) is the number of codes; like ODK, both also split
//     each value at spaces;
//   - used as a boolean, a number is true when non-zero and a string or answer
//     when non-empty.
//
// Eval does not allocate unless a multiple-choice answer with several codes
// or a number is compared as a string.
func (e *Expr) Eval(lookup func(id string) []string) bool {
	if e == nil || e.root.kind == exprInvalid {
		return true
	}
	if lookup == nil {
		lookup = func(string) []string { return nil }
	}
	return e.root.truth(lookup)
}

// String returns the source form (normalized): single spaces around
// operators, only the parentheses needed, numbers in canonical form and
// strings in single quotes unless they contain one.
func (e *Expr) String() string {
	if e == nil || e.root.kind == exprInvalid {
		return ""
	}
	var b strings.Builder
	e.root.format(&b)
	return b.String()
}

// MarshalJSON returns a compact JSON form of the AST that
// static/js/conditions.js evaluates:
//
//	"text"                          string literal
//	1.5                             number literal
//	true, false                     true(), false()
//	["ref", "q"]                    ${q}
//	["selected", "q", "x"]          selected(${q}, 'x')
//	["count-selected", "q"]         count-selected(${q})
//	["not", A]                      not(A)
//	["and", A, B, ...]              A and B and ...
//	["or", A, B, ...]               A or B or ...
//	["=", A, B]                     also "!=", "<", "<=", ">", ">="
//
// A nil *Expr marshals as null.
func (e *Expr) MarshalJSON() ([]byte, error) {
	if e == nil || e.root.kind == exprInvalid {
		return []byte("null"), nil
	}
	return e.root.appendJSON(nil), nil
}

// ---- lexer ----

type exprTokKind uint8

const (
	tokEOF exprTokKind = iota
	tokRef
	tokStr
	tokNum
	tokName
	tokLParen
	tokRParen
	tokComma
	tokOp
)

type exprToken struct {
	kind exprTokKind
	pos  int      // byte offset in the source
	text string   // ref id, string contents, name, number or operator text
	op   exprKind // tokOp: the comparison
	num  float64  // tokNum: the value
}

// describe names the token for error messages, e.g. "Zahl '2'" or "Text
// 'x'": what kind of token it is in words, its text as written (data).
func (t exprToken) describe() *Message {
	switch t.kind {
	case tokEOF:
		return NewMessage("msg.expr.tok.end")
	case tokRef:
		return NewMessage("msg.expr.tok.ref", t.text)
	case tokStr:
		return NewMessage("msg.expr.tok.text", quoteExprString(t.text))
	case tokNum:
		return NewMessage("msg.expr.tok.number", t.text)
	case tokName:
		return NewMessage("msg.expr.tok.word", t.text)
	default: // ( ) , and the comparisons
		return NewMessage("msg.expr.tok.symbol", t.text)
	}
}

type exprParser struct {
	src   string
	pos   int // byte offset of the next unread character
	tok   exprToken
	depth int
	refs  []string
}

func (p *exprParser) errAt(off int, msg *Message) *ExprError {
	return &ExprError{Pos: utf8.RuneCountInString(p.src[:off]) + 1, Text: msg}
}

func isExprSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isExprDigit(c byte) bool { return c >= '0' && c <= '9' }
func isExprIDStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
func isExprIDChar(c byte) bool { return isExprIDStart(c) || isExprDigit(c) }

// next reads the next token into p.tok.
func (p *exprParser) next() error {
	s := p.src
	for p.pos < len(s) && isExprSpace(s[p.pos]) {
		p.pos++
	}
	start := p.pos
	if start == len(s) {
		p.tok = exprToken{kind: tokEOF, pos: start}
		return nil
	}
	c := s[start]
	switch {
	case c == '$':
		if start+1 >= len(s) || s[start+1] != '{' {
			return p.errAt(start, NewMessage("msg.expr.dollar"))
		}
		end := strings.IndexByte(s[start+2:], '}')
		if end < 0 {
			return p.errAt(start, NewMessage("msg.expr.brace"))
		}
		id := s[start+2 : start+2+end]
		if id == "" {
			return p.errAt(start, NewMessage("msg.expr.empty_ref"))
		}
		if !isExprID(id) {
			return p.errAt(start+2, NewMessage("msg.expr.bad_id", id))
		}
		p.tok = exprToken{kind: tokRef, pos: start, text: id}
		p.pos = start + 2 + end + 1
	case c == '\'' || c == '"':
		end := strings.IndexByte(s[start+1:], c)
		if end < 0 {
			return p.errAt(start, NewMessage("msg.expr.unterminated"))
		}
		p.tok = exprToken{kind: tokStr, pos: start, text: s[start+1 : start+1+end]}
		p.pos = start + 1 + end + 1
	case isExprDigit(c) || c == '.' || c == '-':
		return p.lexNumber()
	case isExprIDStart(c):
		end := start + 1
		for end < len(s) && (isExprIDChar(s[end]) || s[end] == '-') {
			end++
		}
		p.tok = exprToken{kind: tokName, pos: start, text: s[start:end]}
		p.pos = end
	case c == '(':
		p.tok, p.pos = exprToken{kind: tokLParen, pos: start, text: "("}, start+1
	case c == ')':
		p.tok, p.pos = exprToken{kind: tokRParen, pos: start, text: ")"}, start+1
	case c == ',':
		p.tok, p.pos = exprToken{kind: tokComma, pos: start, text: ","}, start+1
	case c == '=':
		if start+1 < len(s) && s[start+1] == '=' {
			return p.errAt(start, NewMessage("msg.expr.double_eq"))
		}
		p.op(start, exprEq, 1)
	case c == '!':
		if start+1 >= len(s) || s[start+1] != '=' {
			return p.errAt(start, NewMessage("msg.expr.bang"))
		}
		p.op(start, exprNe, 2)
	case c == '<':
		if start+1 < len(s) && s[start+1] == '=' {
			p.op(start, exprLe, 2)
		} else {
			p.op(start, exprLt, 1)
		}
	case c == '>':
		if start+1 < len(s) && s[start+1] == '=' {
			p.op(start, exprGe, 2)
		} else {
			p.op(start, exprGt, 1)
		}
	case c == '&':
		return p.errAt(start, NewMessage("msg.expr.amp"))
	case c == '|':
		return p.errAt(start, NewMessage("msg.expr.pipe"))
	default:
		r, _ := utf8.DecodeRuneInString(s[start:])
		return p.errAt(start, NewMessage("msg.expr.char", strconv.QuoteRune(r)))
	}
	return nil
}

func (p *exprParser) op(start int, kind exprKind, size int) {
	p.tok = exprToken{kind: tokOp, pos: start, text: p.src[start : start+size], op: kind}
	p.pos = start + size
}

// lexNumber reads -?(digits[.digits*] | .digits).
func (p *exprParser) lexNumber() error {
	s, start := p.src, p.pos
	i := start
	if s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && isExprDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isExprDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		if s[start] == '-' {
			return p.errAt(start, NewMessage("msg.expr.minus"))
		}
		return p.errAt(start, NewMessage("msg.expr.char", strconv.QuoteRune('.')))
	}
	text := s[start:i]
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		return p.errAt(start, NewMessage("msg.expr.number_range"))
	}
	p.tok = exprToken{kind: tokNum, pos: start, text: text, num: v}
	p.pos = i
	return nil
}

// isExprID reports whether id matches [A-Za-z_][A-Za-z0-9_]*.
func isExprID(id string) bool {
	if id == "" || !isExprIDStart(id[0]) {
		return false
	}
	for i := 1; i < len(id); i++ {
		if !isExprIDChar(id[i]) {
			return false
		}
	}
	return true
}

// ---- parser ----

// parseOr parses and-expressions joined by 'or'.
func (p *exprParser) parseOr() (exprNode, error) {
	return p.parseLogic(exprOr, "or", (*exprParser).parseAnd)
}

// parseAnd parses comparisons joined by 'and'.
func (p *exprParser) parseAnd() (exprNode, error) {
	return p.parseLogic(exprAnd, "and", (*exprParser).parseComparison)
}

// parseLogic parses operand (word operand)* into one n-ary node, flattening
// parenthesized operands of the same kind.
func (p *exprParser) parseLogic(kind exprKind, word string, operand func(*exprParser) (exprNode, error)) (exprNode, error) {
	first, err := operand(p)
	if err != nil {
		return exprNode{}, err
	}
	if !(p.tok.kind == tokName && p.tok.text == word) {
		return first, nil
	}
	n := exprNode{kind: kind}
	n.args = appendFlat(n.args, kind, first)
	for p.tok.kind == tokName && p.tok.text == word {
		if err := p.next(); err != nil {
			return exprNode{}, err
		}
		next, err := operand(p)
		if err != nil {
			return exprNode{}, err
		}
		n.args = appendFlat(n.args, kind, next)
	}
	return n, nil
}

func appendFlat(args []exprNode, kind exprKind, n exprNode) []exprNode {
	if n.kind == kind {
		return append(args, n.args...)
	}
	return append(args, n)
}

// parseComparison parses operand [op operand].
func (p *exprParser) parseComparison() (exprNode, error) {
	left, err := p.parsePrimary()
	if err != nil {
		return exprNode{}, err
	}
	if p.tok.kind != tokOp {
		return left, nil
	}
	op := p.tok
	if err := p.next(); err != nil {
		return exprNode{}, err
	}
	if p.tok.kind == tokEOF {
		return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.no_operand", op.text))
	}
	right, err := p.parsePrimary()
	if err != nil {
		return exprNode{}, err
	}
	if p.tok.kind == tokOp {
		return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.chained"))
	}
	return exprNode{kind: op.op, args: []exprNode{left, right}}, nil
}

// parsePrimary parses a literal, a reference, a function call or a
// parenthesized expression.
func (p *exprParser) parsePrimary() (exprNode, error) {
	t := p.tok
	switch t.kind {
	case tokRef:
		p.refs = append(p.refs, t.text)
		return exprNode{kind: exprRef, str: t.text}, p.next()
	case tokStr:
		return exprNode{kind: exprStr, str: t.text}, p.next()
	case tokNum:
		return exprNode{kind: exprNum, num: t.num}, p.next()
	case tokLParen:
		if err := p.enter(t.pos); err != nil {
			return exprNode{}, err
		}
		if err := p.next(); err != nil {
			return exprNode{}, err
		}
		if p.tok.kind == tokRParen {
			return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.empty_parens"))
		}
		n, err := p.parseOr()
		if err != nil {
			return exprNode{}, err
		}
		if err := p.expect(tokRParen, wantRParen); err != nil {
			return exprNode{}, err
		}
		p.depth--
		return n, nil
	case tokName:
		return p.parseCall()
	case tokEOF:
		return exprNode{}, p.errAt(t.pos, NewMessage("msg.expr.operand_end"))
	default:
		return exprNode{}, p.errAt(t.pos, NewMessage("msg.expr.operand", t.describe()))
	}
}

// parseCall parses a function call; p.tok is its name.
func (p *exprParser) parseCall() (exprNode, error) {
	name := p.tok
	switch name.text {
	case "not", "selected", "count-selected", "true", "false":
	case "and", "or":
		return exprNode{}, p.errAt(name.pos, NewMessage("msg.expr.operand", name.describe()))
	default:
		if err := p.next(); err != nil {
			return exprNode{}, err
		}
		if p.tok.kind == tokLParen {
			switch lower := strings.ToLower(name.text); lower {
			case "not", "selected", "count-selected", "true", "false":
				return exprNode{}, p.errAt(name.pos, NewMessage("msg.expr.function_case", name.text, lower))
			}
			return exprNode{}, p.errAt(name.pos, NewMessage("msg.expr.function", name.text))
		}
		if isExprID(name.text) {
			return exprNode{}, p.errAt(name.pos, NewMessage("msg.expr.word_ref", name.text))
		}
		return exprNode{}, p.errAt(name.pos, NewMessage("msg.expr.word", name.text))
	}
	if err := p.enter(name.pos); err != nil {
		return exprNode{}, err
	}
	if err := p.next(); err != nil {
		return exprNode{}, err
	}
	if err := p.expect(tokLParen, func(found *Message) *Message { return NewMessage("msg.expr.paren_open", name.text, found) }); err != nil {
		return exprNode{}, err
	}
	var n exprNode
	switch name.text {
	case "true", "false":
		n = exprNode{kind: exprBool, b: name.text == "true"}
	case "not":
		if p.tok.kind == tokRParen {
			return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.not_one"))
		}
		arg, err := p.parseOr()
		if err != nil {
			return exprNode{}, err
		}
		if p.tok.kind == tokComma {
			return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.not_one"))
		}
		n = exprNode{kind: exprNot, args: []exprNode{arg}}
	case "selected":
		id, err := p.expectRef("selected")
		if err != nil {
			return exprNode{}, err
		}
		if err := p.expect(tokComma, wantComma); err != nil {
			return exprNode{}, err
		}
		var code string
		switch p.tok.kind {
		case tokStr:
			code = p.tok.text
		case tokNum:
			code = formatExprNumber(p.tok.num)
		default:
			return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.selected_code", p.tok.describe()))
		}
		if err := p.next(); err != nil {
			return exprNode{}, err
		}
		n = exprNode{kind: exprSelected, str: id, code: code}
	case "count-selected":
		id, err := p.expectRef("count-selected")
		if err != nil {
			return exprNode{}, err
		}
		n = exprNode{kind: exprCountSelected, str: id}
	}
	if p.tok.kind == tokComma {
		return exprNode{}, p.errAt(p.tok.pos, NewMessage("msg.expr.too_many", name.text))
	}
	if err := p.expect(tokRParen, wantRParen); err != nil {
		return exprNode{}, err
	}
	p.depth--
	return n, nil
}

// enter counts one more level of nesting.
func (p *exprParser) enter(off int) error {
	p.depth++
	if p.depth > exprMaxDepth {
		return p.errAt(off, NewMessage("msg.expr.too_deep", exprMaxDepth))
	}
	return nil
}

// expect consumes a token of the given kind, or reports what was wanted:
// want returns the message for the token found instead.
func (p *exprParser) expect(kind exprTokKind, want func(found *Message) *Message) error {
	if p.tok.kind != kind {
		return p.errAt(p.tok.pos, want(p.tok.describe()))
	}
	return p.next()
}

// wantRParen and wantComma are the messages of expect for a missing ')' and
// a missing ',' after a question reference.
func wantRParen(found *Message) *Message { return NewMessage("msg.expr.paren_close", found) }
func wantComma(found *Message) *Message  { return NewMessage("msg.expr.comma", found) }

// expectRef consumes the question reference that fn needs as first argument.
func (p *exprParser) expectRef(fn string) (string, error) {
	if p.tok.kind != tokRef {
		return "", p.errAt(p.tok.pos, NewMessage("msg.expr.first_ref", fn, p.tok.describe()))
	}
	id := p.tok.text
	p.refs = append(p.refs, id)
	return id, p.next()
}

// ---- evaluation ----

// exprValueKind is the XPath type of an intermediate value.
type exprValueKind uint8

const (
	valBool   exprValueKind = iota
	valNum                  // number literal or count-selected
	valStr                  // string literal
	valAnswer               // a question's answer
)

// exprValue is an intermediate value; it lives on the stack.
type exprValue struct {
	kind exprValueKind
	b    bool
	num  float64
	str  string
	list []string // valAnswer
}

// truth evaluates n as a boolean.
func (n *exprNode) truth(lookup func(string) []string) bool {
	switch n.kind {
	case exprOr:
		for i := range n.args {
			if n.args[i].truth(lookup) {
				return true
			}
		}
		return false
	case exprAnd:
		for i := range n.args {
			if !n.args[i].truth(lookup) {
				return false
			}
		}
		return true
	case exprNot:
		return !n.args[0].truth(lookup)
	case exprEq, exprNe, exprLt, exprLe, exprGt, exprGe:
		return compareExprValues(n.kind, n.args[0].value(lookup), n.args[1].value(lookup))
	case exprSelected:
		return hasExprCode(lookup(n.str), n.code)
	case exprBool:
		return n.b
	default:
		return n.value(lookup).truth()
	}
}

// value evaluates n to an XPath value.
func (n *exprNode) value(lookup func(string) []string) exprValue {
	switch n.kind {
	case exprRef:
		return exprValue{kind: valAnswer, list: lookup(n.str)}
	case exprStr:
		return exprValue{kind: valStr, str: n.str}
	case exprNum:
		return exprValue{kind: valNum, num: n.num}
	case exprCountSelected:
		return exprValue{kind: valNum, num: float64(countExprCodes(lookup(n.str)))}
	default:
		return exprValue{kind: valBool, b: n.truth(lookup)}
	}
}

// Choice codes never contain spaces. Like ODK, selected and count-selected
// split each value at spaces, so a multiple-choice answer passed as one
// space-separated string works too.

// hasExprCode reports whether code is among the codes in list.
func hasExprCode(list []string, code string) bool {
	if code == "" {
		return false
	}
	for _, v := range list {
		for v != "" {
			field, rest, _ := strings.Cut(v, " ")
			if field == code {
				return true
			}
			v = rest
		}
	}
	return false
}

// countExprCodes returns the number of codes in list.
func countExprCodes(list []string) int {
	count := 0
	for _, v := range list {
		for v != "" {
			field, rest, _ := strings.Cut(v, " ")
			if field != "" {
				count++
			}
			v = rest
		}
	}
	return count
}

// truth converts v to a boolean.
func (v exprValue) truth() bool {
	switch v.kind {
	case valBool:
		return v.b
	case valNum:
		return v.num != 0 && !math.IsNaN(v.num)
	case valStr:
		return v.str != ""
	default:
		for _, c := range v.list {
			if c != "" {
				return true
			}
		}
		return false
	}
}

// text converts v to a string; codes are joined by a space.
func (v exprValue) text() string {
	switch v.kind {
	case valBool:
		if v.b {
			return "true"
		}
		return "false"
	case valNum:
		return formatExprNumber(v.num)
	case valStr:
		return v.str
	}
	first, count := "", 0
	for _, c := range v.list {
		if c != "" {
			if count == 0 {
				first = c
			}
			count++
		}
	}
	if count <= 1 {
		return first
	}
	var b strings.Builder
	for _, c := range v.list {
		if c != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c)
		}
	}
	return b.String()
}

// numeric returns v as a number when it is a number or a numeric string.
func (v exprValue) numeric() (float64, bool) {
	switch v.kind {
	case valNum:
		return v.num, true
	case valStr:
		return parseExprNumber(v.str)
	case valAnswer:
		s, count := "", 0
		for _, c := range v.list {
			if c != "" {
				s = c
				count++
			}
		}
		if count != 1 {
			return 0, false // empty, or several codes joined by a space
		}
		return parseExprNumber(s)
	}
	return 0, false
}

// number converts v to a number as XPath's number() does (NaN if not numeric).
func (v exprValue) number() float64 {
	if v.kind == valBool {
		if v.b {
			return 1
		}
		return 0
	}
	if f, ok := v.numeric(); ok {
		return f
	}
	return math.NaN()
}

// compareExprValues applies comparison op to a and b (see Expr.Eval).
func compareExprValues(op exprKind, a, b exprValue) bool {
	equality := op == exprEq || op == exprNe
	if a.kind == valBool || b.kind == valBool {
		if equality {
			return (a.truth() == b.truth()) == (op == exprEq)
		}
		return compareOrdered(op, a.number(), b.number())
	}
	an, aNumeric := a.numeric()
	bn, bNumeric := b.numeric()
	if equality {
		var eq bool
		switch {
		case a.kind == valStr || b.kind == valStr:
			eq = a.text() == b.text()
		case aNumeric && bNumeric:
			eq = an == bn
		case a.kind == valNum || b.kind == valNum:
			eq = false // a number never equals a non-numeric string
		default:
			eq = a.text() == b.text()
		}
		return eq == (op == exprEq)
	}
	switch {
	case aNumeric && bNumeric:
		return compareOrdered(op, an, bn)
	case a.kind == valNum || b.kind == valNum:
		return false // NaN
	}
	as, bs := a.text(), b.text()
	if as == "" || bs == "" {
		return false
	}
	return compareOrdered(op, strings.Compare(as, bs), 0)
}

func compareOrdered[T int | float64](op exprKind, a, b T) bool {
	switch op {
	case exprEq:
		return a == b
	case exprNe:
		return a != b
	case exprLt:
		return a < b
	case exprLe:
		return a <= b
	case exprGt:
		return a > b
	default:
		return a >= b
	}
}

// parseExprNumber parses s when it matches [+-]?(digits[.digits*]|.digits);
// anything else (empty, exponents, spaces, "Inf") is not a number.
func parseExprNumber(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isExprDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isExprDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 || i != len(s) {
		return 0, false
	}
	f, _ := strconv.ParseFloat(s, 64) // out of range gives ±Inf, as in JavaScript
	return f, true
}

// formatExprNumber returns the canonical Go form of f, e.g. "1.5", "1200".
func formatExprNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// ---- source and JSON forms ----

// precedence orders node kinds for parenthesization in String.
func (n *exprNode) precedence() int {
	switch {
	case n.kind == exprOr:
		return 1
	case n.kind == exprAnd:
		return 2
	case n.isComparison():
		return 3
	default:
		return 4
	}
}

func (n *exprNode) format(b *strings.Builder) {
	switch n.kind {
	case exprOr, exprAnd:
		word := " or "
		if n.kind == exprAnd {
			word = " and "
		}
		for i := range n.args {
			if i > 0 {
				b.WriteString(word)
			}
			n.args[i].formatOperand(b, n.precedence()+1)
		}
	case exprNot:
		b.WriteString("not(")
		n.args[0].format(b)
		b.WriteByte(')')
	case exprEq, exprNe, exprLt, exprLe, exprGt, exprGe:
		n.args[0].formatOperand(b, 4)
		b.WriteByte(' ')
		b.WriteString(exprOperators[n.kind])
		b.WriteByte(' ')
		n.args[1].formatOperand(b, 4)
	case exprRef:
		b.WriteString("${" + n.str + "}")
	case exprStr:
		b.WriteString(quoteExprString(n.str))
	case exprNum:
		b.WriteString(formatExprNumber(n.num))
	case exprBool:
		b.WriteString(strconv.FormatBool(n.b) + "()")
	case exprSelected:
		b.WriteString("selected(${" + n.str + "}, " + quoteExprString(n.code) + ")")
	case exprCountSelected:
		b.WriteString("count-selected(${" + n.str + "})")
	}
}

// formatOperand writes n, in parentheses if it binds less tightly than min.
func (n *exprNode) formatOperand(b *strings.Builder, min int) {
	if n.precedence() < min {
		b.WriteByte('(')
		n.format(b)
		b.WriteByte(')')
		return
	}
	n.format(b)
}

// quoteExprString quotes s in single quotes, or in double quotes if s
// contains a single quote (XPath strings have no escapes).
func quoteExprString(s string) string {
	if strings.IndexByte(s, '\'') >= 0 {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

func (n *exprNode) appendJSON(buf []byte) []byte {
	switch n.kind {
	case exprStr:
		return appendJSONString(buf, n.str)
	case exprNum:
		return append(buf, formatExprNumber(n.num)...)
	case exprBool:
		return strconv.AppendBool(buf, n.b)
	case exprRef:
		buf = append(buf, `["ref",`...)
		buf = appendJSONString(buf, n.str)
		return append(buf, ']')
	case exprCountSelected:
		buf = append(buf, `["count-selected",`...)
		buf = appendJSONString(buf, n.str)
		return append(buf, ']')
	case exprSelected:
		buf = append(buf, `["selected",`...)
		buf = appendJSONString(buf, n.str)
		buf = append(buf, ',')
		buf = appendJSONString(buf, n.code)
		return append(buf, ']')
	}
	var name string
	switch n.kind {
	case exprOr:
		name = "or"
	case exprAnd:
		name = "and"
	case exprNot:
		name = "not"
	default:
		name = exprOperators[n.kind]
	}
	buf = append(buf, `["`...)
	buf = append(buf, name...) // plain ASCII, no escaping needed
	buf = append(buf, '"')
	for i := range n.args {
		buf = append(buf, ',')
		buf = n.args[i].appendJSON(buf)
	}
	return append(buf, ']')
}

// appendJSONString appends s as a JSON string (HTML-safe, as encoding/json
// writes it).
func appendJSONString(buf []byte, s string) []byte {
	quoted, _ := json.Marshal(s) // a valid UTF-8 string always marshals
	return append(buf, quoted...)
}
