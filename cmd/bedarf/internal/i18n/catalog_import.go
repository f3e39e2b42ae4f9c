package i18n

// Errors in conditions (survey/expr.go), as the questionnaire diagnostics
// (keyed, catalog_defs.go) insert them in German (see domain.go). The
// command line shows them in German; the pages translate them. (The
// Kommunen CSV, boundary files and the contacts CSV are keyed:
// catalog_kommunen.go, catalog_errors.go.)
var _ = add(map[string]entry{
	// Errors in conditions (survey/expr.go, ExprError), inserted into
	// upload.def.condition and upload.xls.group_condition as "Spalte 12: …".
	// The keywords of the language (and, or, not(), selected(), ${id}) stay
	// as they are; what the parser found is a piece of its own (the
	// domain.expr.tok entries). Every entry begins with fixed text, so that
	// none matches the whole diagnostic around an error.
	"domain.expr.column":         {"Spalte %s: %s", "column %s: %s"},
	"domain.expr.too_long":       {"Ausdruck zu lang (mehr als %s Bytes)", "expression too long (more than %s bytes)"},
	"domain.expr.utf8":           {"ungültige Zeichenkodierung (kein UTF-8)", "invalid character encoding (not UTF-8)"},
	"domain.expr.empty":          {"leerer Ausdruck", "empty expression"},
	"domain.expr.trailing":       {"unerwartet: %s", "unexpected %s"},
	"domain.expr.trailing_join":  {"unerwartet: %s (fehlt 'and' oder 'or'?)", "unexpected %s (missing 'and' or 'or'?)"},
	"domain.expr.trailing_case":  {"unerwartet: %s (bitte klein schreiben: '%s')", "unexpected %s (write '%s' in lowercase)"},
	"domain.expr.dollar":         {"'{' nach '$' erwartet (Frageverweise schreiben Sie als ${id})", "expected '{' after '$' (write question references as ${id})"},
	"domain.expr.brace":          {"nach '${' fehlt die schließende Klammer '}'", "missing the closing '}' after '${'"},
	"domain.expr.empty_ref":      {"leerer Frageverweis '${}'", "empty question reference '${}'"},
	"domain.expr.bad_id":         {"ungültige Frage-ID \"%s\"", "invalid question id \"%s\""},
	"domain.expr.unterminated":   {"Text ohne schließendes Anführungszeichen", "text without a closing quotation mark"},
	"domain.expr.double_eq":      {"bitte '=' zum Vergleichen verwenden, nicht '=='", "use '=' to compare, not '=='"},
	"domain.expr.bang":           {"'=' nach '!' erwartet (zum Verneinen schreiben Sie not(...))", "expected '=' after '!' (write not(...) to negate)"},
	"domain.expr.amp":            {"unerwartetes Zeichen '&' (schreiben Sie 'and')", "unexpected character '&' (write 'and')"},
	"domain.expr.pipe":           {"unerwartetes Zeichen '|' (schreiben Sie 'or')", "unexpected character '|' (write 'or')"},
	"domain.expr.minus":          {"unerwartetes Zeichen '-' (Rechnen wird nicht unterstützt)", "unexpected character '-' (arithmetic is not supported)"},
	"domain.expr.char":           {"unerwartetes Zeichen '%s'", "unexpected character '%s'"},
	"domain.expr.number_range":   {"Zahl außerhalb des zulässigen Bereichs", "number out of range"},
	"domain.expr.no_operand":     {"nach '%s' fehlt ein Wert", "expected a value after '%s'"},
	"domain.expr.chained":        {"Vergleiche lassen sich nicht verketten; bitte Klammern setzen", "comparisons cannot be chained; use parentheses"},
	"domain.expr.empty_parens":   {"in '()' fehlt ein Ausdruck", "expected an expression inside '()'"},
	"domain.expr.operand_end":    {"Wert erwartet, aber der Ausdruck endet hier", "expected a value, but the expression ends here"},
	"domain.expr.operand":        {"Wert erwartet, gefunden: %s", "expected a value, found %s"},
	"domain.expr.function_case":  {"unbekannte Funktion '%s' (bitte klein schreiben: '%s')", "unknown function '%s' (write '%s' in lowercase)"},
	"domain.expr.function":       {"unbekannte Funktion '%s'", "unknown function '%s'"},
	"domain.expr.word_ref":       {"unerwartetes Wort '%s' (Frageverweise schreiben Sie als ${%s})", "unexpected word '%s' (write a question reference as ${%s})"},
	"domain.expr.word":           {"unerwartetes Wort '%s'", "unexpected word '%s'"},
	"domain.expr.not_one":        {"not() braucht genau eine Bedingung", "not() takes exactly one condition"},
	"domain.expr.paren_close":    {"')' erwartet, gefunden: %s", "expected ')', found %s"},
	"domain.expr.paren_open":     {"'(' nach '%s' erwartet, gefunden: %s", "expected '(' after '%s', found %s"},
	"domain.expr.comma":          {"',' nach dem Frageverweis erwartet, gefunden: %s", "expected ',' after the question reference, found %s"},
	"domain.expr.selected_ref":   {"selected() braucht als Erstes einen Frageverweis wie ${q}, gefunden: %s", "selected() expects a question reference like ${q} as its first argument, found %s"},
	"domain.expr.count_ref":      {"count-selected() braucht als Erstes einen Frageverweis wie ${q}, gefunden: %s", "count-selected() expects a question reference like ${q} as its first argument, found %s"},
	"domain.expr.selected_code":  {"selected() braucht als Zweites einen Auswahl-Code in Anführungszeichen, gefunden: %s", "selected() expects a quoted choice code as its second argument, found %s"},
	"domain.expr.too_many":       {"zu viele Angaben in %s()", "too many arguments to %s()"},
	"domain.expr.too_deep":       {"Ausdruck zu tief verschachtelt (mehr als %s Ebenen)", "expression nested too deeply (more than %s levels)"},
	"domain.expr.tok.end":        {"Ende des Ausdrucks", "end of the expression"},
	"domain.expr.tok.ref":        {"Frageverweis ${%s}", "question reference ${%s}"},
	"domain.expr.tok.text":       {"Text '%s'", "text '%s'"},
	"domain.expr.tok.text_quote": {"Text \"%s\"", "text \"%s\""},
	"domain.expr.tok.number":     {"Zahl '%s'", "number '%s'"},
	"domain.expr.tok.word":       {"Wort '%s'", "word '%s'"},
})
