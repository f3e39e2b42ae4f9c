package i18n

// Diagnostics of uploaded files, as the domain packages write them in
// German (see domain.go): the Kommunen CSV and boundary files
// (survey/kommune.go, survey/store/kommunen.go, analysis.ParseRegionGeoJSON,
// cmd/bedarf/kommunen_cmd.go), the contacts CSV (survey/store/mail.go),
// and the errors in conditions (survey/expr.go) that the questionnaire
// diagnostics (keyed, catalog_defs.go) insert. The command
// line shows them in German; the pages translate them.
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

	// Text encodings of import files (survey/kommune.go decodeText).
	"domain.import.utf16":     {"Die Datei ist als UTF-16 nicht lesbar: %s", "The file cannot be read as UTF-16: %s"},
	"domain.import.encoding":  {"Die Datei ist weder UTF-8 noch Windows-1252: %s", "The file is neither UTF-8 nor Windows-1252: %s"},
	"domain.import.line_read": {"Zeile %s: nicht lesbar: %s", "Line %s: not readable: %s"},

	// Kommunen CSV (survey/kommune.go ParseKommunenCSV, survey/store/kommunen.go).
	"domain.kommunen.header_bad":       {"Zeile 1: Kopfzeile nicht lesbar: %s", "Line 1: header not readable: %s"},
	"domain.kommunen.header_missing":   {"Zeile 1: %s in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: %s)", "Line 1: %s in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: %s)"},
	"domain.kommunen.columns_missing":  {"Spalten %s fehlen", "columns %s are missing"},
	"domain.kommunen.ags_twice":        {"AGS %s kommt doppelt vor (auch Zeile %s)", "AGS %s occurs twice (also line %s)"},
	"domain.kommunen.ars_twice":        {"ARS %s kommt doppelt vor (auch Zeile %s)", "ARS %s occurs twice (also line %s)"},
	"domain.kommunen.key_is_ars":       {"Zeile %s: Schlüssel %s ist auch die ARS der Zeile %s", "Line %s: key %s is also the ARS of line %s"},
	"domain.kommunen.none":             {"Die Datei enthält keine Kommunen.", "The file contains no municipalities."},
	"domain.kommunen.ags_digits":       {"AGS \"%s\" hat nicht 8 Ziffern", "AGS \"%s\" does not have 8 digits"},
	"domain.kommunen.ags_digits_sheet": {"AGS \"%s\" hat nicht 8 Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)", "AGS \"%s\" does not have 8 digits (the spreadsheet probably formatted the key as a number: format the column as text)"},
	"domain.kommunen.ars_digits":       {"ARS \"%s\" hat nicht 12 Ziffern", "ARS \"%s\" does not have 12 digits"},
	"domain.kommunen.ars_digits_sheet": {"ARS \"%s\" hat nicht 12 Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)", "ARS \"%s\" does not have 12 digits (the spreadsheet probably formatted the key as a number: format the column as text)"},
	"domain.kommunen.no_key":           {"AGS fehlt (Gemeindeverbände ohne eigenen AGS, etwa Samtgemeinden, brauchen die ARS in der Spalte ars)", "AGS is missing (associations of municipalities without an AGS of their own, such as Samtgemeinden, need the ARS in the column ars)"},
	"domain.kommunen.ars_mismatch":     {"ARS %s passt nicht zum AGS %s", "ARS %s does not match the AGS %s"},
	"domain.kommunen.no_name":          {"Name fehlt", "name is missing"},
	"domain.kommunen.name_long":        {"Name ist länger als %s Zeichen", "name is longer than %s characters"},
	"domain.kommunen.kind_long":        {"Art (kind) ist länger als %s Zeichen", "kind is longer than %s characters"},
	"domain.kommunen.lat":              {"Breitengrad (lat)", "latitude (lat)"},
	"domain.kommunen.lon":              {"Längengrad (lon)", "longitude (lon)"},
	"domain.kommunen.no_lat":           {"Breitengrad (lat) fehlt", "latitude (lat) is missing"},
	"domain.kommunen.no_lon":           {"Längengrad (lon) fehlt", "longitude (lon) is missing"},
	"domain.kommunen.coordinate":       {"%s \"%s\" ist keine Zahl zwischen -%s und %s", "%s \"%s\" is not a number between -%s and %s"},
	"domain.kommunen.population":       {"Einwohnerzahl \"%s\" ist keine ganze Zahl ab 0", "population \"%s\" is not a whole number of at least 0"},
	"domain.kommunen.population_year":  {"Jahr der Einwohnerzahl \"%s\" ist keine Jahreszahl", "year of the population \"%s\" is not a year"},
	"domain.kommunen.ars_taken":        {"ARS %s von %s gehört schon zur gespeicherten Kommune %s (%s)", "ARS %s of %s already belongs to the stored municipality %s (%s)"},

	// Boundary files (survey/kommune.go MatchBoundaries,
	// analysis.ParseRegionGeoJSON, cmd/bedarf/kommunen_cmd.go).
	"domain.bounds.no_kommunen":    {"Es sind noch keine Kommunen gespeichert: bitte zuerst die Kommunen importieren.", "No municipalities are stored yet: please import the municipalities first."},
	"domain.bounds.not_geojson":    {"Die Datei ist kein GeoJSON: %s", "The file is not GeoJSON: %s"},
	"domain.bounds.not_collection": {"GeoJSON: erwartet wird eine FeatureCollection, gefunden \"%s\"", "GeoJSON: a FeatureCollection is expected, found \"%s\""},
	"domain.bounds.unreadable":     {"Objekt %s: nicht lesbar: %s", "Feature %s: not readable: %s"},
	"domain.bounds.no_area":        {"Objekt %s: ohne Fläche", "Feature %s: without an area"},
	"domain.bounds.no_match":       {"Objekt %s: keine Kommune mit diesem Schlüssel", "Feature %s: no municipality with this key"},
	"domain.bounds.no_key":         {"Objekt %s: ohne Schlüssel (Eigenschaft \"ags\" oder \"ars\")", "Feature %s: without a key (property \"ags\" or \"ars\")"},
	"domain.bounds.none_fits":      {"Keine Fläche der Datei passt zu einer gespeicherten Kommune (verglichen werden die Eigenschaften \"ags\"/\"AGS\" und \"ars\"/\"ARS\").", "No area of the file fits a stored municipality (compared are the properties \"ags\"/\"AGS\" and \"ars\"/\"ARS\")."},
	"domain.bounds.more":           {"… und %s weitere", "… and %s more"},
	"domain.bounds.cannot_read":    {"GeoJSON kann nicht gelesen werden: %s", "GeoJSON cannot be read: %s"},
	"domain.bounds.feature_read":   {"GeoJSON: Objekt %s kann nicht gelesen werden: %s", "GeoJSON: feature %s cannot be read: %s"},
	"domain.bounds.feature_no_ags": {"GeoJSON: Objekt %s (%s) hat keinen Gemeindeschlüssel (Eigenschaft \"ags\")", "GeoJSON: feature %s (%s) has no municipality key (property \"ags\")"},
	"domain.bounds.no_name":        {"ohne Namen", "without a name"},
	"domain.bounds.feature":        {"GeoJSON: Objekt %s (%s, %s): %s", "GeoJSON: feature %s (%s, %s): %s"},
	"domain.bounds.no_areas":       {"GeoJSON enthält keine Flächen", "GeoJSON contains no areas"},
	"domain.bounds.polygon":        {"ungültige Polygon-Koordinaten: %s", "invalid Polygon coordinates: %s"},
	"domain.bounds.multipolygon":   {"ungültige MultiPolygon-Koordinaten: %s", "invalid MultiPolygon coordinates: %s"},
	"domain.bounds.geometry":       {"Geometrietyp \"%s\" wird nicht unterstützt (nur Polygon und MultiPolygon)", "geometry type \"%s\" is not supported (only Polygon and MultiPolygon)"},
	"domain.bounds.no_ring":        {"Polygon ohne Ring", "Polygon without a ring"},
	"domain.bounds.position":       {"ungültige Position %s (erwartet Länge, Breite in WGS84)", "invalid position %s (expected longitude, latitude in WGS84)"},
	"domain.bounds.short_ring":     {"Ring mit weniger als drei Punkten", "ring with fewer than three points"},

	// Contacts CSV checked against the stored Kommunen (survey/store/mail.go).
	"domain.contact.no_kommune": {"Zeile %s: Eine Kommune mit dem Schlüssel %s gibt es nicht. Bitte legen Sie sie zuerst unter „Kommunen“ an.", "Line %s: there is no municipality with the key %s. Please add it first under “Municipalities”."},
})
